"""The standard library the site ships to Pyodide: its cache key, its cache, and what it holds."""

from __future__ import annotations

import base64
import hashlib
import importlib.util
import json
import os
import shutil
import subprocess
import sys
import zipfile
from pathlib import Path, PurePosixPath

import engine_assets
import pytest
from engine_assets import EngineAssetError, Runtime

ROOT = Path(__file__).resolve().parent.parent
PYODIDE = ROOT / "node_modules" / "pyodide"


@pytest.fixture(scope="module")
def runtime() -> Runtime:
    return engine_assets.find_runtime(ROOT)


def _project(tmp_path: Path) -> Path:
    """A copy of what the key reads: scoring's sources and definitions."""
    shutil.copytree(ROOT / "scoring", tmp_path / "scoring", ignore=shutil.ignore_patterns("__py*"))
    return tmp_path


# --- The runtime files ---------------------------------------------------------------------


def test_the_stock_stdlib_is_an_input_not_a_shipped_file(runtime: Runtime) -> None:
    assert set(runtime.files()) == {"pyodide.mjs", "pyodide.asm.mjs", "pyodide.asm.wasm"}
    assert runtime.stdlib == PYODIDE / "python_stdlib.zip"


def test_a_runtime_without_its_stdlib_is_refused(tmp_path: Path) -> None:
    (tmp_path / "node_modules").mkdir()
    shutil.copytree(PYODIDE, tmp_path / "node_modules" / "pyodide")
    shutil.copy(ROOT / "package-lock.json", tmp_path)
    (tmp_path / "node_modules" / "pyodide" / "python_stdlib.zip").unlink()
    with pytest.raises(EngineAssetError, match=r"lacks python_stdlib\.zip\. Run `npm ci`"):
        engine_assets.find_runtime(tmp_path)


# --- The cache key ---------------------------------------------------------------------------


def test_the_key_is_stable(runtime: Runtime, tmp_path: Path) -> None:
    project = _project(tmp_path)
    assert engine_assets.stdlib_key(runtime, project) == engine_assets.stdlib_key(runtime, project)
    # The sources decide, not where the tree is.
    assert engine_assets.stdlib_key(runtime, project) == engine_assets.stdlib_key(runtime, ROOT)


def test_the_key_follows_the_sources_the_runtime_and_the_scripts(
    runtime: Runtime, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    project = _project(tmp_path)
    before = engine_assets.stdlib_key(runtime, project)
    other_runtime = Runtime(version=f"{runtime.version}-other", directory=runtime.directory)
    assert engine_assets.stdlib_key(other_runtime, project) != before

    browser = project / "scoring" / "browser.py"
    browser.write_text(browser.read_text(encoding="utf-8") + "\nimport decimal\n")
    changed = engine_assets.stdlib_key(runtime, project)
    assert changed != before
    (project / "scoring" / "extra.py").write_text("")
    assert engine_assets.stdlib_key(runtime, project) != changed

    probe = tmp_path / "stdlib_probe.py"
    probe.write_text("# another probe\n")
    monkeypatch.setattr(engine_assets, "STDLIB_SCRIPTS", (engine_assets.STDLIB_SCRIPTS[0], probe))
    assert engine_assets.stdlib_key(runtime, ROOT) != engine_assets.stdlib_key(runtime, project)


def test_the_key_ignores_the_definitions(runtime: Runtime, tmp_path: Path) -> None:
    """A definition imports nothing: editing one under `mkdocs serve` must not cost a rebuild."""
    project = _project(tmp_path)
    before = engine_assets.stdlib_key(runtime, project)
    contact = project / "scoring" / "definitions" / "contact.toml"
    contact.write_text(contact.read_text(encoding="utf-8") + "\n# edited\n")
    assert engine_assets.stdlib_key(runtime, project) == before


# --- The cache, with a stand-in for Node ---------------------------------------------------


FAKE_NODE = """#!{python}
import json, sys
args = sys.argv[1:]
out, report = args[args.index("--out") + 1], args[args.index("--report") + 1]
bytecode = args[args.index("--bytecode") + 1]
with open({log!r}, "a") as log:
    log.write(args[0] + "\\n")
open(out, "wb").write(b"zip bytes")
open(bytecode, "wb").write(b"pyc zip bytes")
open(report, "w").write(json.dumps({{"modules": 1}}))
"""


def _fake_node(tmp_path: Path) -> tuple[str, Path]:
    log = tmp_path / "node.log"
    node = tmp_path / "node"
    node.write_text(FAKE_NODE.format(python=sys.executable, log=str(log)))
    node.chmod(0o755)
    return str(node), log


def test_the_stdlib_is_built_once_per_key(runtime: Runtime, tmp_path: Path) -> None:
    node, log = _fake_node(tmp_path)
    cache = tmp_path / "cache"
    cache.mkdir()
    (cache / "0ld.zip").write_bytes(b"stale")
    (cache / "0ld.json").write_text("{}")

    first = engine_assets.engine_stdlib(runtime, ROOT, cache=cache, node=node)
    assert first.path.read_bytes() == b"zip bytes"
    assert first.report == {"modules": 1}
    assert first.name == "python_stdlib.zip"
    assert log.read_text().splitlines() == [str(engine_assets.STDLIB_SCRIPTS[0])]
    # The stale key is gone, and so is the build's scratch directory.
    assert first.bytecode.read_bytes() == b"pyc zip bytes"
    key = engine_assets.stdlib_key(runtime, ROOT)
    assert sorted(p.name for p in cache.iterdir()) == [
        f"{key}.json",
        f"{key}.scoring.zip",
        f"{key}.zip",
    ]

    again = engine_assets.engine_stdlib(runtime, ROOT, cache=cache, node=node)
    assert again == first
    assert len(log.read_text().splitlines()) == 1  # from the cache: Node did not run


def test_without_node_the_error_says_the_fix(
    runtime: Runtime, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(shutil, "which", lambda _: None)
    with pytest.raises(EngineAssetError, match=r"Node\.js was not found\. Install Node\.js 20"):
        engine_assets.engine_stdlib(runtime, ROOT, cache=tmp_path)


def test_a_failing_build_says_why(runtime: Runtime, tmp_path: Path) -> None:
    node = tmp_path / "node"
    node.write_text("#!/bin/sh\necho 'SyntaxError: something' >&2\nexit 3\n")
    node.chmod(0o755)
    with pytest.raises(EngineAssetError, match=r"(?s)failed \(exit 3\).*SyntaxError: something"):
        engine_assets.engine_stdlib(runtime, ROOT, cache=tmp_path / "cache", node=str(node))
    assert list((tmp_path / "cache").iterdir()) == []  # nothing half-written is kept


# --- The real zip (Pyodide under Node, or the cache of an earlier build) --------------------


@pytest.fixture(scope="module")
def shipped(runtime: Runtime) -> engine_assets.Stdlib:
    if shutil.which("node") is None:
        pytest.fail("These tests need Node 20+: install it, then run `npm ci`.")
    return engine_assets.engine_stdlib(runtime, ROOT)


@pytest.mark.pyodide
def test_the_zip_is_bytecode_of_pyodides_python(shipped: engine_assets.Stdlib) -> None:
    with zipfile.ZipFile(shipped.path) as archive:
        names = archive.namelist()
        files = [name for name in names if not name.endswith("/")]
        assert files
        assert all(name.endswith(".pyc") for name in files)
        headers = {archive.read(name)[:8] for name in files}
    magics = {header[:4] for header in headers}
    assert len(magics) == 1
    (magic,) = magics
    assert magic[2:] == b"\r\n"
    assert int.from_bytes(magic[:2], "little") == shipped.report["magic"]
    if sys.version_info[:2] == (3, 14):
        assert magic == importlib.util.MAGIC_NUMBER
    # Hash-based and unchecked (flags 0b01): zipimport loads them without touching a source.
    assert {header[4:8] for header in headers} == {b"\x01\x00\x00\x00"}


@pytest.mark.pyodide
def test_the_zip_holds_what_the_engine_imports(shipped: engine_assets.Stdlib) -> None:
    with zipfile.ZipFile(shipped.path) as archive:
        names = set(archive.namelist())
    for needed in (
        "_pyodide/__init__.pyc",  # Pyodide's own bootstrap
        "pyodide/__init__.pyc",
        "pyodide/_package_loader.pyc",  # unpackArchive
        "encodings/__init__.pyc",
        "encodings/utf_8.pyc",
        "json/__init__.pyc",
        "tomllib/__init__.pyc",  # scoring's definitions
        "argparse.pyc",  # scoring.__main__, imported by nothing the browser calls
        "traceback.pyc",  # an error that crosses into JavaScript
    ):
        assert needed in names, needed
    for left_out in ("unittest/__init__.pyc", "pydoc.pyc", "multiprocessing/__init__.pyc"):
        assert left_out not in names, left_out


@pytest.mark.pyodide
def test_the_zip_is_smaller_than_pyodides(shipped: engine_assets.Stdlib, runtime: Runtime) -> None:
    size, stock = shipped.path.stat().st_size, runtime.stdlib.stat().st_size
    print(f"shipped stdlib: {size} bytes, {shipped.report['modules']} modules; stock: {stock}")
    assert size < stock
    assert json.loads(json.dumps(shipped.report))["pyodide"] == runtime.version


# --- scoring's bytecode in the wheel the site ships ------------------------------------------


def _record(archive: zipfile.ZipFile) -> dict[str, tuple[str, str]]:
    (name,) = [n for n in archive.namelist() if n.endswith(".dist-info/RECORD")]
    lines = archive.read(name).decode("utf-8").splitlines()
    return {path: (digest, size) for path, digest, size in (line.split(",") for line in lines)}


@pytest.mark.pyodide
@pytest.mark.parametrize("epoch", [None, "1700000000", "1800000000"])
def test_the_wheel_ignores_the_build_date(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, epoch: str | None
) -> None:
    """`make build` sets SOURCE_DATE_EPOCH to the last commit's date; the wheel stays the same
    bytes (its URL, hence the visitors' engine snapshots), and the variable is given back."""
    if epoch is None:
        monkeypatch.delenv("SOURCE_DATE_EPOCH", raising=False)
    else:
        monkeypatch.setenv("SOURCE_DATE_EPOCH", epoch)
    wheel = engine_assets.build_wheel(ROOT, tmp_path)
    with zipfile.ZipFile(wheel.path) as built:
        assert {info.date_time for info in built.infolist()} == {(2020, 2, 2, 0, 0, 0)}
    assert os.environ.get("SOURCE_DATE_EPOCH") == epoch


def test_the_shipped_wheel_carries_scoring_bytecode_reproducibly(
    shipped: engine_assets.Stdlib, tmp_path: Path
) -> None:
    first = engine_assets.build_wheel(ROOT, tmp_path / "a", bytecode=shipped.bytecode)
    second = engine_assets.build_wheel(ROOT, tmp_path / "b", bytecode=shipped.bytecode)
    plain = engine_assets.build_wheel(ROOT, tmp_path / "plain")
    assert first.path.read_bytes() == second.path.read_bytes()
    assert first.sha256 == second.sha256 != plain.sha256
    with zipfile.ZipFile(first.path) as wheel, zipfile.ZipFile(plain.path) as stock:
        names = wheel.namelist()
        sources = [n for n in names if n.endswith(".py")]
        assert sources == [n for n in stock.namelist() if n.endswith(".py")]  # sources stay
        assert not [n for n in stock.namelist() if n.endswith(".pyc")]
        compiled = sorted(n for n in names if n.endswith(".pyc"))
        expected = sorted(
            f"{PurePosixPath(s).parent}/__pycache__/{PurePosixPath(s).stem}.cpython-314.pyc"
            for s in sources
        )
        assert compiled == expected
        # Before the metadata, as hatchling orders a wheel; every file in RECORD, hash right.
        assert max(names.index(n) for n in compiled) < min(
            i for i, n in enumerate(names) if ".dist-info/" in n
        )
        record = _record(wheel)
        assert sorted(record) == sorted(names)
        for name in names:
            data = wheel.read(name)
            digest = base64.urlsafe_b64encode(hashlib.sha256(data).digest()).rstrip(b"=")
            if not name.endswith("RECORD"):
                assert record[name] == (f"sha256={digest.decode()}", str(len(data))), name
        headers = {wheel.read(n)[:8] for n in compiled}
    # Pyodide's magic number, hash-based and checked (flags 0b11): never stale code.
    assert {int.from_bytes(h[:2], "little") for h in headers} == {shipped.report["magic"]}
    assert {h[4:8] for h in headers} == {b"\x03\x00\x00\x00"}


# What Python itself decides: in Pyodide, each shipped .pyc is the one the import system takes
# for its source (same magic, source hash of the .py unpacked next to it), then the engine works.
BYTECODE_CHECK = """
import importlib.util, json, pathlib, sys
root = pathlib.Path(importlib.util.find_spec("scoring").origin).parent
checks = {}
for source in sorted(root.rglob("*.py")):
    cached = pathlib.Path(importlib.util.cache_from_source(str(source)))
    pyc = cached.read_bytes()
    checks[source.name] = (
        pyc[:4] == importlib.util.MAGIC_NUMBER
        and pyc[8:16] == importlib.util.source_hash(source.read_bytes())
    )
import scoring.browser
describe = json.loads(scoring.browser.describe("contact"))
json.dumps({"checks": checks, "ok": describe["ok"], "loaded": scoring.browser.__cached__})
"""

NODE_SCRIPT = """
const [indexURL, stdLibURL, wheelPath, code] = process.argv.slice(2);
const { readFile } = await import("node:fs/promises");
const { loadPyodide } = await import(indexURL + "pyodide.mjs");
const pyodide = await loadPyodide({ indexURL, stdLibURL, stdout: () => {}, stderr: () => {} });
const wheel = await readFile(wheelPath);
const site = pyodide.runPython("import site; site.getsitepackages()[0]");
pyodide.unpackArchive(new Uint8Array(wheel.buffer, wheel.byteOffset, wheel.byteLength), "wheel",
  { extractDir: site });
process.stdout.write(pyodide.runPython(code));
"""


@pytest.mark.pyodide
def test_pyodide_takes_the_shipped_bytecode(shipped: engine_assets.Stdlib, tmp_path: Path) -> None:
    wheel = engine_assets.build_wheel(ROOT, tmp_path, bytecode=shipped.bytecode)
    script = tmp_path / "check.mjs"
    script.write_text(NODE_SCRIPT, encoding="utf-8")
    done = subprocess.run(
        ["node", str(script), f"{PYODIDE}/", str(shipped.path), str(wheel.path), BYTECODE_CHECK],
        capture_output=True,
        text=True,
        timeout=180,
        check=False,
    )
    assert done.returncode == 0, done.stderr[-3000:]
    answer = json.loads(done.stdout)
    assert answer["checks"]
    assert answer["checks"] == dict.fromkeys(answer["checks"], True)
    assert "browser.py" in answer["checks"]
    assert answer["ok"] is True
    assert answer["loaded"].endswith("scoring/__pycache__/browser.cpython-314.pyc")
