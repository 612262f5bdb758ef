"""Self-hosting: what a site owner's fork relies on to test, lint and publish (issue #18).

- `make test` without Chromium stops at once, before the install, lint and the slow suites,
  with one message that says which package to install and how;
- `make lint` rejects a workflow with an outdated action major or an undefined input
  (actionlint, then tests/workflow_majors.py), and passes ours;
- the Pages workflow: least privilege per job, caches keyed on what the build reads, and its
  build steps, run in a fresh copy with only the build's packages, give the same site, byte for
  byte, as `make build`;
- packaging: the lock files hold pyproject's pins (the build's share identical in both), the
  wheel its `py.typed` and its licence.
"""

from __future__ import annotations

import hashlib
import json
import os
import re
import shutil
import subprocess
import time
import tomllib
import zipfile
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import engine_assets
import pytest
import yaml
from site_support import ROOT
from workflow_majors import CURRENT, problems, uses

PAGES = ROOT / ".github" / "workflows" / "pages.yml"
BAD = ROOT / "tests" / "fixtures" / "workflows" / "bad.yml"
SITE_URL = "https://owner.example/crible/"
REPO_URL = "https://forge.example/owner/crible"


def _clean_env(**extra: str) -> dict[str, str]:
    """The environment of a fresh shell: no virtualenv of ours on the PATH."""
    path = os.pathsep.join(
        entry
        for entry in os.environ.get("PATH", "").split(os.pathsep)
        if entry and not Path(entry).resolve().is_relative_to(ROOT)
    )
    env = {k: v for k, v in os.environ.items() if k not in {"VIRTUAL_ENV", "PYTHONPATH"}}
    return {**env, "PATH": path, **extra}


# --- the browser, looked up once --------------------------------------------------------------


def test_make_test_without_chromium_stops_at_once_with_the_fix() -> None:
    started = time.monotonic()
    done = subprocess.run(
        ["make", "--no-print-directory", "test"],
        cwd=ROOT,
        env=_clean_env(CHROMIUM="/nonexistent"),
        capture_output=True,
        text=True,
        timeout=30,
        check=False,
    )
    elapsed = time.monotonic() - started
    assert done.returncode != 0
    assert elapsed < 30
    assert done.stdout == ""  # nothing ran before: no install, no lint
    assert done.stderr.splitlines()[0] == (
        "Chromium not found: /nonexistent (from $CHROMIUM) is not an executable file. The "
        "browser tests need it: on Debian or Ubuntu, install the package `chromium` with "
        "`sudo apt-get install -y chromium`, or set CHROMIUM=/path/to/chromium, then run "
        "`make test` again. `make serve` and `make build` do not need it."
    )


# --- the workflow linter ----------------------------------------------------------------------


def _lint_workflows(*files: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [
            "make",
            "--no-print-directory",
            "lint-workflows",
            f"WORKFLOWS={' '.join(map(str, files))}",
        ],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


def test_the_workflow_linter_rejects_an_old_major_and_an_undefined_input() -> None:
    done = _lint_workflows(BAD.relative_to(ROOT))
    assert done.returncode != 0
    reported = [line for line in (done.stdout + done.stderr).splitlines() if ".yml:" in line]
    assert reported == [
        'tests/fixtures/workflows/bad.yml:16:15: the runtime or service used by "actions/'
        "checkout@v2\" action is retired on GitHub.com. update the action's version to fix "
        "this issue [action]",
        'tests/fixtures/workflows/bad.yml:17:24: property "nope" is not defined in object type '
        "{} [expression]",
        "tests/fixtures/workflows/bad.yml:16: actions/checkout@v2: the current major is v7; use "
        "actions/checkout@v7.",
    ]


def test_our_workflows_pass_the_workflow_linter() -> None:
    done = _lint_workflows(*sorted((ROOT / ".github" / "workflows").glob("*.yml")))
    assert (done.returncode, done.stdout, done.stderr) == (0, "", "")


def _workflow(tmp_path: Path, *refs: str) -> Path:
    steps = "".join(f"      - uses: {ref}\n" for ref in refs)
    path = tmp_path / "w.yml"
    path.write_text(f"jobs:\n  build:\n    steps:\n{steps}", encoding="utf-8")
    return path


@pytest.mark.parametrize(
    ("ref", "expected"),
    [
        pytest.param("actions/checkout@v7", None, id="current"),
        pytest.param("actions/checkout@v7.0.1", None, id="current-patch"),
        pytest.param(
            "actions/checkout@v6",
            "w.yml:4: actions/checkout@v6: the current major is v7; use actions/checkout@v7.",
            id="previous-major-actionlint-accepts",
        ),
        pytest.param(
            "actions/cache@main",
            "w.yml:4: actions/cache@main: the current major is v6; use actions/cache@v6.",
            id="branch",
        ),
        pytest.param(
            "someone/deploy@v1",
            "w.yml:4: someone/deploy@v1: not in the reviewed list of tests/workflow_majors.py; "
            "check its releases and add it there with its current major.",
            id="unreviewed-action",
        ),
    ],
)
def test_the_majors_check(tmp_path: Path, ref: str, expected: str | None) -> None:
    (use,) = uses(_workflow(tmp_path, ref))
    found = problems(use)
    assert (found and found.replace(f"{tmp_path}/", "")) == expected


# --- the Pages workflow -----------------------------------------------------------------------


def _pages() -> dict[str, Any]:
    loaded = yaml.safe_load(PAGES.read_text(encoding="utf-8"))
    assert isinstance(loaded, dict)
    return {str(key): value for key, value in loaded.items()}


def _step(job: dict[str, Any], action: str) -> dict[str, Any]:
    steps: list[dict[str, Any]] = job["steps"]
    (step,) = [s for s in steps if str(s.get("uses", "")).startswith(f"{action}@")]
    return step


def test_each_job_of_the_pages_workflow_has_only_the_permissions_it_uses() -> None:
    workflow = _pages()
    assert workflow["permissions"] == {}
    assert workflow["jobs"]["build"]["permissions"] == {"contents": "read"}
    assert workflow["jobs"]["deploy"]["permissions"] == {"pages": "write", "id-token": "write"}
    checkout = _step(workflow["jobs"]["build"], "actions/checkout")
    assert checkout["with"] == {"persist-credentials": False}


def test_the_pages_workflow_uses_every_reviewed_action_at_its_current_major() -> None:
    used = {use.action: use.ref for use in uses(PAGES)}
    assert used == {action: f"v{major}" for action, major in CURRENT.items()}


def test_the_pages_workflow_caches_what_the_build_downloads_and_compiles() -> None:
    build = _pages()["jobs"]["build"]
    assert _step(build, "actions/setup-python")["with"] == {
        "python-version": "3.11",
        "cache": "pip",
        "cache-dependency-path": "requirements/build.txt",
    }
    assert _step(build, "actions/setup-node")["with"] == {"node-version": "24", "cache": "npm"}
    cache = _step(build, "actions/cache")["with"]
    assert cache["path"] == engine_assets.CACHE_DIR.as_posix()
    # The key hashes what engine_assets.stdlib_key reads: the runtime's pin, scoring's modules,
    # the scripts that build the zip.
    hashed = re.fullmatch(r"crible-stdlib-\$\{\{ hashFiles\((.*)\) \}\}", cache["key"])
    assert hashed is not None
    scripts = [path.relative_to(ROOT).as_posix() for path in engine_assets.STDLIB_SCRIPTS]
    assert [name.strip("' ") for name in hashed[1].split(",")] == [
        "package-lock.json",
        "scoring/**/*.py",
        *scripts,
    ]
    assert cache["restore-keys"] == "crible-stdlib-"


# The values a run of the build job gives its expressions, here.
EXPRESSIONS = {
    "steps.pages.outputs.base_url": SITE_URL.rstrip("/"),
    "github.server_url": "https://forge.example",
    "github.repository": "owner/crible",
}


def _expand(value: str) -> str:
    def known(match: re.Match[str]) -> str:
        assert match[1] in EXPRESSIONS, f"teach the test the value of {match[1]}"
        return EXPRESSIONS[match[1]]

    return re.sub(r"\$\{\{\s*([\w.-]+)\s*\}\}", known, value)


def _checkout(copy: Path) -> int:
    """What actions/checkout gives the job: the project's files (as in this working tree),
    in a repository whose last commit has this one's date (the build's clock, see Makefile),
    returned."""
    listed = subprocess.run(
        ["git", "ls-files", "--cached", "--others", "--exclude-standard", "-z"],
        cwd=ROOT,
        capture_output=True,
        check=True,
    ).stdout.decode()
    for name in filter(None, listed.split("\0")):
        source = ROOT / name
        if source.is_file():
            (copy / name).parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(source, copy / name)
    date = subprocess.run(
        ["git", "log", "-1", "--format=%ct"], cwd=ROOT, capture_output=True, text=True, check=True
    ).stdout.strip()
    git = ["git", "-c", "user.name=CI", "-c", "user.email=ci@example.invalid"]
    env = dict(os.environ, GIT_AUTHOR_DATE=f"@{date}", GIT_COMMITTER_DATE=f"@{date}")
    for command in (["init", "-q"], ["add", "-A"], ["commit", "-q", "-m", "checkout"]):
        subprocess.run([*git, *command], cwd=copy, env=env, check=True, capture_output=True)
    return int(date)


def _digests(site: Path) -> dict[str, str]:
    return {
        path.relative_to(site).as_posix(): hashlib.sha256(path.read_bytes()).hexdigest()
        for path in sorted(site.rglob("*"))
        if path.is_file()
    }


@pytest.mark.slow
def test_the_build_job_with_only_the_build_packages_gives_the_site_make_build_gives(
    tmp_path: Path,
) -> None:
    copy = tmp_path / "checkout"
    copy.mkdir()
    committed = _checkout(copy)
    steps = [step for step in _pages()["jobs"]["build"]["steps"] if "run" in step]
    assert [step["name"] for step in steps] == [
        "Installer de quoi construire",
        "Construire le site",
    ]
    for step in steps:
        env = {name: _expand(str(value)) for name, value in step.get("env", {}).items()}
        # No browser either: the build must not need one.
        done = subprocess.run(
            ["bash", "-e", "-c", step["run"]],
            cwd=copy,
            env=_clean_env(CHROMIUM="/nonexistent", **env),
            capture_output=True,
            text=True,
            timeout=900,
            check=False,
        )
        assert done.returncode == 0, f"{step['name']}:\n{done.stdout}\n{done.stderr}"
    assert env == {"SITE_URL": SITE_URL, "REPO_URL": REPO_URL}

    # Only the build's packages were installed.
    packages = subprocess.run(
        [str(copy / ".venv/bin/python"), "-m", "pip", "list", "--format=freeze"],
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    assert not re.search(r"^(pytest|playwright|mypy|ruff|hypothesis)==", packages, re.MULTILINE)
    lock = json.loads((copy / "package-lock.json").read_text(encoding="utf-8"))["packages"]
    dev = [name for name, entry in lock.items() if entry.get("dev")]
    assert len(dev) > 100  # Lighthouse, axe-core and theirs
    assert [name for name in dev if (copy / name).exists()] == []
    assert (copy / "node_modules/pyodide/pyodide.asm.wasm").is_file()

    reference = tmp_path / "reference"
    done = subprocess.run(
        ["make", "--no-print-directory", "build", f"SITE_DIR={reference}"],
        cwd=ROOT,
        env=_clean_env(SITE_URL=SITE_URL, REPO_URL=REPO_URL),
        capture_output=True,
        text=True,
        timeout=900,
        check=False,
    )
    assert done.returncode == 0, f"make build:\n{done.stdout}\n{done.stderr}"
    # Dated by the commit, not by the day of the build: a rebuild gives the same bytes.
    sitemap = (copy / "site" / "sitemap.xml").read_text(encoding="utf-8")
    day = datetime.fromtimestamp(committed, UTC).date().isoformat()
    assert set(re.findall(r"<lastmod>([^<]*)</lastmod>", sitemap)) == {day}
    built, expected = _digests(copy / "site"), _digests(reference)
    assert len(expected) > 50
    assert sorted(built) == sorted(expected)
    assert [name for name in expected if built[name] != expected[name]] == []


# --- packaging and the lock files -------------------------------------------------------------


def _pins(group: str) -> dict[str, str]:
    """name → version of a dependency group of pyproject.toml, included groups expanded."""
    groups = tomllib.loads((ROOT / "pyproject.toml").read_text("utf-8"))["dependency-groups"]
    pins: dict[str, str] = {}
    for entry in groups[group]:
        if isinstance(entry, dict):
            pins |= _pins(entry["include-group"])
        else:
            name, _, version = entry.partition("==")
            pins[name.lower()] = version
    return pins


def _locked(name: str) -> dict[str, str]:
    """name → `version \\ hashes` block of a lock file in requirements/."""
    text = (ROOT / "requirements" / name).read_text("utf-8")
    block = r"^([a-z0-9-]+)==(\S+)(?: ; [^\\\n]+)? \\\n((?:    --hash=\S+(?: \\)?\n)+)"
    blocks = re.findall(block, text, re.MULTILINE)
    return {package: f"{version}\n{hashes}" for package, version, hashes in blocks}


@pytest.mark.parametrize(("group", "lock"), [("site", "build.txt"), ("dev", "dev.txt")])
def test_each_lock_file_holds_its_groups_pins(group: str, lock: str) -> None:
    locked = _locked(lock)
    assert {name: locked[name].partition("\n")[0] for name in _pins(group)} == _pins(group)


def test_the_build_lock_is_the_dev_locks_share_version_and_hashes() -> None:
    """The site that CI tests is built from the very packages the workflow installs."""
    build, dev = _locked("build.txt"), _locked("dev.txt")
    assert len(build) > 20
    assert {name: dev.get(name) for name in build} == build


def test_the_wheel_ships_its_types_marker_and_its_licence(tmp_path: Path) -> None:
    wheel = engine_assets.build_wheel(ROOT, tmp_path)
    with zipfile.ZipFile(wheel.path) as built:
        names = built.namelist()
        metadata = built.read("crible_scoring-0.1.0.dist-info/METADATA").decode()
    assert "scoring/py.typed" in names
    assert "crible_scoring-0.1.0.dist-info/licenses/LICENSE" in names
    assert "License-Expression: MIT\n" in metadata
    licence = (ROOT / "LICENSE").read_text("utf-8")
    assert licence.startswith("MIT License\n\nCopyright (c) 2026 l'équipe Crible\n")
