"""The files the in-browser engine needs: the pinned Pyodide runtime and the `scoring` wheel.

Pure functions with no MkDocs import, so that they are unit-tested on their own; the build hook
(`crible_hooks.py`) only decides where the results go in the site.
"""

from __future__ import annotations

import base64
import contextlib
import hashlib
import json
import os
import shutil
import subprocess
import tempfile
import zipfile
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from collections.abc import Iterator

__all__ = [
    "CACHE_DIR",
    "RUNTIME_FILES",
    "STDLIB_FILE",
    "EngineAssetError",
    "Runtime",
    "Stdlib",
    "Wheel",
    "build_wheel",
    "engine_stdlib",
    "find_runtime",
    "stdlib_key",
    "trimmed_lock",
]

# The core files Pyodide 314 loads from its indexURL, shipped as they are. The lock file is
# written by us (see `trimmed_lock`), the standard library too (see `engine_stdlib`); the source
# maps and the classic-script build are left out.
RUNTIME_FILES = ("pyodide.mjs", "pyodide.asm.mjs", "pyodide.asm.wasm")
# Pyodide's own standard library (sources only): the input of `engine_stdlib`, never shipped.
# The site ships its own zip under the same name, in the same directory.
STDLIB_FILE = "python_stdlib.zip"
LOCK_FILE = "pyodide-lock.json"
# Where built files are kept between builds, relative to the project root (git-ignored).
CACHE_DIR = Path(".cache") / "crible"
HOOKS = Path(__file__).resolve().parent
STDLIB_SCRIPTS = (HOOKS / "build_stdlib.mjs", HOOKS / "stdlib_probe.py")
# The date hatchling stamps on the wheel's entries: its own default, whatever SOURCE_DATE_EPOCH
# says. `make build` sets that to the last commit's date (MkDocs dates the sitemap with it), but
# the wheel must change only with scoring: new bytes are a new URL, and each returning visitor's
# engine snapshot, keyed on that URL, would be dropped at every deployment, a page edit included.
WHEEL_EPOCH = "1580601600"
NODE_TIMEOUT = 300  # seconds; a build takes 5 to 15
_FIX_NPM = "Run `npm ci` at the root of the repository (it installs the pinned runtime)."
_FIX_NODE = (
    "Install Node.js 20 or later (https://nodejs.org/, or your package manager) so that `node` "
    "is on the PATH, then build again: it runs Pyodide once to compile the standard library "
    "the site ships, and the result is cached in .cache/crible/."
)


class EngineAssetError(Exception):
    """A file the engine needs is missing or does not match its pin; the message says the fix."""


@dataclass(frozen=True, slots=True, kw_only=True)
class Runtime:
    """The Pyodide runtime found in node_modules, checked against the pin in package-lock.json."""

    version: str
    directory: Path

    def files(self) -> dict[str, Path]:
        """The files the site ships as they are."""
        return {name: self.directory / name for name in RUNTIME_FILES}

    @property
    def stdlib(self) -> Path:
        """Pyodide's standard library, sources only: what `engine_stdlib` compiles from."""
        return self.directory / STDLIB_FILE


@dataclass(frozen=True, slots=True, kw_only=True)
class Wheel:
    path: Path
    sha256: str

    @property
    def name(self) -> str:
        return self.path.name


def _pinned_version(project_root: Path) -> str:
    lock_path = project_root / "package-lock.json"
    try:
        lock = json.loads(lock_path.read_text(encoding="utf-8"))
        version = lock["packages"]["node_modules/pyodide"]["version"]
    except (OSError, ValueError, KeyError, TypeError) as error:
        msg = f"{lock_path}: cannot read the pinned version of 'pyodide' ({error})."
        raise EngineAssetError(msg) from error
    if not isinstance(version, str):
        raise EngineAssetError(f"{lock_path}: the version of 'pyodide' is not a string.")
    return version


def find_runtime(project_root: Path) -> Runtime:
    """Locate node_modules/pyodide and check it is complete and the version package-lock pins."""
    pinned = _pinned_version(project_root)
    directory = project_root / "node_modules" / "pyodide"
    manifest = directory / "package.json"
    if not manifest.is_file():
        raise EngineAssetError(f"The Pyodide runtime is not installed ({directory}). {_FIX_NPM}")
    installed = json.loads(manifest.read_text(encoding="utf-8")).get("version")
    if installed != pinned:
        msg = (
            f"node_modules/pyodide is version {installed}, but package-lock.json pins {pinned}. "
            f"{_FIX_NPM}"
        )
        raise EngineAssetError(msg)
    runtime = Runtime(version=pinned, directory=directory)
    needed = [*runtime.files().items(), (STDLIB_FILE, runtime.stdlib)]
    missing = [name for name, path in needed if not path.is_file()]
    if missing:
        names = ", ".join(missing)
        raise EngineAssetError(f"node_modules/pyodide lacks {names}. {_FIX_NPM}")
    return runtime


def trimmed_lock(runtime: Runtime) -> str:
    """Pyodide's lock file without its 357 package entries: the engine loads none of them.

    Saves a 119 kB download on every cold visit; `info` must stay (Pyodide checks the ABI).
    """
    lock = json.loads((runtime.directory / LOCK_FILE).read_text(encoding="utf-8"))
    return json.dumps({"info": lock["info"], "packages": {}}, sort_keys=True)


def build_wheel(project_root: Path, out_dir: Path, *, bytecode: Path | None = None) -> Wheel:
    """Build the `scoring` wheel in-process with hatchling (no subprocess: `mkdocs serve`
    rebuilds must not wait seconds). Hatchling builds reproducibly: fixed timestamps.

    `bytecode`: a zip of `scoring/__pycache__/*.pyc` compiled by Pyodide's CPython
    (`Stdlib.bytecode`), added to the wheel with its RECORD lines, so that the worker imports
    `scoring` without compiling it. The sources stay: tracebacks show their lines, and an
    interpreter with another magic number (CPython 3.11 running the tests) ignores the `.pyc`."""
    from hatchling.builders.wheel import WheelBuilder  # noqa: PLC0415 (only the build needs it)

    out_dir.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(dir=out_dir) as scratch, _source_date(WHEEL_EPOCH):
        builder = WheelBuilder(str(project_root))
        built = [Path(p) for p in builder.build(directory=scratch, versions=["standard"])]
        if len(built) != 1:
            raise EngineAssetError(f"Expected one wheel from hatchling, got {built}.")
        target = out_dir / built[0].name
        if bytecode is None:
            built[0].replace(target)
        else:
            _add_bytecode(built[0], bytecode, target)
    digest = hashlib.sha256(target.read_bytes()).hexdigest()
    return Wheel(path=target, sha256=digest)


@contextlib.contextmanager
def _source_date(epoch: str) -> Iterator[None]:
    """SOURCE_DATE_EPOCH set to `epoch` for the duration (hatchling reads the environment)."""
    saved = os.environ.get("SOURCE_DATE_EPOCH")
    os.environ["SOURCE_DATE_EPOCH"] = epoch
    try:
        yield
    finally:
        if saved is None:
            del os.environ["SOURCE_DATE_EPOCH"]
        else:
            os.environ["SOURCE_DATE_EPOCH"] = saved


def _record_line(name: str, data: bytes) -> str:
    digest = base64.urlsafe_b64encode(hashlib.sha256(data).digest()).rstrip(b"=").decode()
    return f"{name},sha256={digest},{len(data)}"


def _add_bytecode(wheel: Path, bytecode: Path, target: Path) -> None:
    """Copy `wheel` to `target` with the `.pyc` files of `bytecode` before its .dist-info, in
    name order, with the timestamp hatchling gave the RECORD; RECORD lists them."""
    with zipfile.ZipFile(wheel) as source, zipfile.ZipFile(bytecode) as extra:
        infos = source.infolist()
        record = next((i for i in infos if i.filename.endswith(".dist-info/RECORD")), None)
        if record is None:
            raise EngineAssetError(f"{wheel.name} has no RECORD.")
        names = {info.filename for info in infos}
        added = {info.filename: extra.read(info) for info in extra.infolist()}
        clashes = sorted(set(added) & names)
        if clashes or any(not n.endswith(".pyc") or "/" not in n for n in added):
            raise EngineAssetError(f"{bytecode}: unexpected entries {clashes or sorted(added)}.")
        lines = source.read(record).decode("utf-8").splitlines()
        # RECORD's own line (no hash) stays last.
        lines[-1:-1] = [_record_line(name, data) for name, data in sorted(added.items())]
        dist_info = record.filename.rpartition("/")[0] + "/"
        with zipfile.ZipFile(target, "w", compression=zipfile.ZIP_DEFLATED) as out:
            pending = sorted(added)
            for info in infos:
                if pending and info.filename.startswith(dist_info):
                    for name in pending:
                        new = zipfile.ZipInfo(name, date_time=record.date_time)
                        new.external_attr = 0o644 << 16
                        new.compress_type = zipfile.ZIP_DEFLATED
                        out.writestr(new, added[name])
                    pending = []
                data = source.read(info)
                if info is record:
                    data = ("\n".join(lines) + "\n").encode("utf-8")
                out.writestr(info, data)


@dataclass(frozen=True, slots=True, kw_only=True)
class Stdlib:
    """The standard library the site ships: bytecode of the modules the engine needs."""

    path: Path
    sha256: str
    report: dict[str, object]
    # `scoring` compiled by the same interpreter, for the wheel (see build_wheel).
    bytecode: Path

    @property
    def name(self) -> str:
        return STDLIB_FILE


def stdlib_key(runtime: Runtime, project_root: Path) -> str:
    """What the shipped stdlib depends on: the runtime, scoring's sources and the build scripts.

    The module set follows scoring's imports, hence its `.py` files (not its definitions: data
    imports nothing). Two builds with the same key give the same zip."""
    digest = hashlib.sha256(f"pyodide {runtime.version}\0".encode())
    package = project_root / "scoring"
    for path in sorted(package.rglob("*.py")):
        digest.update(f"{path.relative_to(package).as_posix()}\0".encode())
        digest.update(path.read_bytes() + b"\0")
    for script in STDLIB_SCRIPTS:
        digest.update(f"{script.name}\0".encode())
        digest.update(script.read_bytes() + b"\0")
    return digest.hexdigest()[:32]


def engine_stdlib(
    runtime: Runtime, project_root: Path, *, cache: Path | None = None, node: str | None = None
) -> Stdlib:
    """The stdlib zip to ship, from the cache when its key is there, else built and cached.

    Built by `build_stdlib.mjs`: Pyodide under Node starts as the worker does, runs every entry
    point of `scoring.browser`, and compiles the stdlib modules it needs (plus everything
    `scoring` imports) into `.pyc` files. Seconds of work, hence the cache: a `mkdocs serve`
    rebuild or a second build reads the zip back. Only the current key is kept.
    `cache` defaults to .cache/crible/stdlib/ in the project; `node` to the one on the PATH."""
    cache = cache or project_root / CACHE_DIR / "stdlib"
    key = stdlib_key(runtime, project_root)
    zip_path, report_path = cache / f"{key}.zip", cache / f"{key}.json"
    bytecode = cache / f"{key}.scoring.zip"
    if not (zip_path.is_file() and report_path.is_file() and bytecode.is_file()):
        _build_stdlib(runtime, project_root, (zip_path, report_path, bytecode), node=node)
        for stale in cache.iterdir():
            if stale.is_file() and stale.name.partition(".")[0] != key:
                stale.unlink(missing_ok=True)
    report = json.loads(report_path.read_text(encoding="utf-8"))
    digest = hashlib.sha256(zip_path.read_bytes()).hexdigest()
    return Stdlib(path=zip_path, sha256=digest, report=report, bytecode=bytecode)


def _build_stdlib(
    runtime: Runtime, project_root: Path, paths: tuple[Path, Path, Path], *, node: str | None
) -> None:
    zip_path, report_path, bytecode_path = paths
    node = node or shutil.which("node")
    if node is None:
        raise EngineAssetError(f"Node.js was not found. {_FIX_NODE}")
    zip_path.parent.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(dir=zip_path.parent) as scratch:
        wheel = build_wheel(project_root, Path(scratch))
        out, report = Path(scratch) / "stdlib.zip", Path(scratch) / "report.json"
        bytecode = Path(scratch) / "scoring.zip"
        command = [node, str(STDLIB_SCRIPTS[0]), "--pyodide", str(runtime.directory)]
        command += ["--wheel", str(wheel.path), "--out", str(out), "--report", str(report)]
        command += ["--bytecode", str(bytecode)]
        try:
            done = subprocess.run(  # noqa: S603 (our script, our arguments)
                command, capture_output=True, text=True, timeout=NODE_TIMEOUT, check=False
            )
        except (OSError, subprocess.TimeoutExpired) as error:
            raise EngineAssetError(f"Cannot run {node} ({error}). {_FIX_NODE}") from error
        if done.returncode != 0:
            msg = (
                f"{STDLIB_SCRIPTS[0].name} failed (exit {done.returncode}); Node 20+ and the "
                f"pinned runtime are needed ({_FIX_NPM}):\n{done.stderr[-3000:]}"
            )
            raise EngineAssetError(msg)
        # Report and bytecode first, zip last: a zip in the cache always has the other two.
        report.replace(report_path)
        bytecode.replace(bytecode_path)
        out.replace(zip_path)
