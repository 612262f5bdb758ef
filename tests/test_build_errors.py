"""What a site owner sees when the build stops: real `mkdocs build` runs on a copy of the site.

Each copy breaks one thing the way a person editing the repository would; the build must stop
before writing anything, and its message must name the file, the key path and the fix.
"""

from __future__ import annotations

import os
import subprocess
import sys
import zipfile
from typing import TYPE_CHECKING

import engine_assets
import pytest
from site_support import ROOT, copy_project

if TYPE_CHECKING:
    from pathlib import Path

pytestmark = pytest.mark.build


@pytest.fixture
def site_copy(tmp_path: Path) -> Path:
    return copy_project(tmp_path / "site-source")


def build(copy: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "mkdocs", "build", "--strict", "--site-dir", str(copy / "out")],
        cwd=copy,
        env=dict(os.environ, SITE_URL="http://127.0.0.1:8000/crible/"),
        capture_output=True,
        text=True,
        check=False,
    )


def replace_in(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def test_a_broken_definition_stops_the_build_with_every_mistake(site_copy: Path) -> None:
    contact = site_copy / "scoring/definitions/contact.toml"
    replace_in(contact, 'id = "competent"\nsign = "+"\n', 'id = "competent"\n')
    replace_in(
        contact, 'dimension = "attitude"\nrules = [7, 8]', 'dimension = "humeur"\nrules = [7, 8]'
    )
    result = build(site_copy)
    assert result.returncode == 1
    assert "ERROR   -  Invalid questionnaire definition:\n" in result.stderr
    lines = [line.strip() for line in result.stderr.splitlines()]
    assert (
        f"{contact}: Missing required value in 'items[3].sign'. "
        'Add sign = "+" or sign = "-" to this item.'
    ) in lines
    unknown = [
        line for line in lines if "Unknown dimension 'humeur' in 'items[4].dimension'" in line
    ]
    assert len(unknown) == 1
    assert unknown[0].startswith(f"{contact}: ")
    assert not (site_copy / "out").exists()


def test_a_broken_map_stops_the_build(site_copy: Path) -> None:
    carte = site_copy / "scoring/definitions/carte.toml"
    replace_in(
        carte, 'questionnaire = "donne"\nmin_score = 2', 'questionnaire = "donne"\nmin_score = 9'
    )
    result = build(site_copy)
    assert result.returncode == 1
    lines = [line.strip() for line in result.stderr.splitlines()]
    assert (
        f"{carte}: min_score 9 leaves a side of the map empty (scores of 'donne' go from -1 "
        "to 5) in 'give.min_score'. Write a min_score from 0 to 5."
    ) in lines
    assert not (site_copy / "out").exists()


def test_broken_subjects_stop_the_build(site_copy: Path) -> None:
    """A subject's questionnaire about something else, and a questionnaire about an unknown
    subject: each named with its file and key path."""
    subjects = site_copy / "scoring/definitions/subjects.toml"
    replace_in(subjects, 'questionnaire = "groupe"', 'questionnaire = "donne"')
    result = build(site_copy)
    assert result.returncode == 1
    lines = [line.strip() for line in result.stderr.splitlines()]
    assert (
        f"{subjects}: Questionnaire 'donne' is about 'contact' in 'subjects[1].questionnaire'. "
        "Use one of the questionnaires with subject = 'groupe': 'groupe'."
    ) in lines
    replace_in(subjects, 'id = "groupe"', 'id = "groupes"')
    result = build(site_copy)
    groupe = site_copy / "scoring/definitions/groupe.toml"
    lines = [line.strip() for line in result.stderr.splitlines()]
    assert (
        f"{groupe}: Unknown subject 'groupe' in 'subject'. Use one of the subject ids of "
        "subjects.toml: 'contact', 'groupes', 'soi'."
    ) in lines
    assert not (site_copy / "out").exists()


def test_a_page_naming_an_unknown_questionnaire_stops_the_build(site_copy: Path) -> None:
    replace_in(site_copy / "docs/crible.md", "questionnaire: contact", "questionnaire: contacts")
    result = build(site_copy)
    assert result.returncode == 1
    assert (
        "crible.md: unknown questionnaire 'contacts' in the front matter (questionnaire: "
        "contacts). Use one of: apport, contact, donne, groupe."
    ) in result.stderr


def test_a_front_matter_that_yaml_cannot_read_stops_the_build(site_copy: Path) -> None:
    # MkDocs alone would publish the crible as prose: no title, no form, no questionnaire.
    page = site_copy / "docs/crible.md"
    lines = page.read_text(encoding="utf-8").splitlines(keepends=True)
    assert lines[0] == "---\n"
    assert lines[1].startswith("title: ")
    lines.insert(2, "description: Le crible : treize critères\n")
    page.write_text("".join(lines), encoding="utf-8")
    result = build(site_copy)
    assert result.returncode == 1
    assert (
        "docs/crible.md:3: the front matter is not valid YAML (mapping values are not allowed "
        'here). Put the value in double quotes (description: "Le crible : treize critères"), '
        "or write it on the next lines after 'key: >-'."
    ) in [line.strip() for line in result.stderr.splitlines()]
    assert not (site_copy / "out").exists()


def test_rule_headings_that_drift_from_the_rules_stop_the_build(site_copy: Path) -> None:
    replace_in(
        site_copy / "docs/regles.md",
        "## Règle 8. Soyez tolérant { #regle-8 }",
        "## Règle 8. Soyez indulgent { #regle-8 }",
    )
    result = build(site_copy)
    assert result.returncode == 1
    assert "docs/regles.md: the rule headings do not match" in result.stderr
    assert "## Règle 8. Soyez tolérant { #regle-8 }" in result.stderr


def test_a_missing_runtime_stops_the_build_with_the_command_that_fixes_it(
    site_copy: Path,
) -> None:
    (site_copy / "node_modules").unlink()
    result = build(site_copy)
    assert result.returncode == 1
    assert (
        f"The Pyodide runtime is not installed ({site_copy / 'node_modules/pyodide'}). "
        "Run `npm ci` at the root of the repository (it installs the pinned runtime)."
    ) in result.stderr


def test_the_wheel_is_reproducible_and_carries_the_definitions(tmp_path: Path) -> None:
    first = engine_assets.build_wheel(ROOT, tmp_path / "a")
    second = engine_assets.build_wheel(ROOT, tmp_path / "b")
    assert first.name == second.name
    assert first.name.endswith("-py3-none-any.whl")
    assert first.path.read_bytes() == second.path.read_bytes()
    names = zipfile.ZipFile(first.path).namelist()
    assert "scoring/definitions/contact.toml" in names
    assert "scoring/definitions/rules.toml" in names
    for name in ("apport", "carte", "donne", "groupe"):
        assert f"scoring/definitions/{name}.toml" in names
    assert not [name for name in names if "__pycache__" in name or name.startswith("tests/")]
