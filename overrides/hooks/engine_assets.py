"""The files the in-browser engine needs: the pinned Pyodide runtime and the `scoring` wheel.

Pure functions with no MkDocs import, so that they are unit-tested on their own; the build hook
(`crible_hooks.py`) only decides where the results go in the site.
"""

from __future__ import annotations

import hashlib
import json
import tempfile
from dataclasses import dataclass
from pathlib import Path

__all__ = [
    "RUNTIME_FILES",
    "EngineAssetError",
    "Runtime",
    "Wheel",
    "build_wheel",
    "find_runtime",
    "trimmed_lock",
]

# The four core files Pyodide 314 loads from its indexURL. The lock file is written by us
# (see `trimmed_lock`), the source maps and the classic-script build are left out.
RUNTIME_FILES = ("pyodide.mjs", "pyodide.asm.mjs", "pyodide.asm.wasm", "python_stdlib.zip")
LOCK_FILE = "pyodide-lock.json"
_FIX_NPM = "Run `npm ci` at the root of the repository (it installs the pinned runtime)."


class EngineAssetError(Exception):
    """A file the engine needs is missing or does not match its pin; the message says the fix."""


@dataclass(frozen=True, slots=True, kw_only=True)
class Runtime:
    """The Pyodide runtime found in node_modules, checked against the pin in package-lock.json."""

    version: str
    directory: Path

    def files(self) -> dict[str, Path]:
        return {name: self.directory / name for name in RUNTIME_FILES}


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
    missing = [name for name, path in runtime.files().items() if not path.is_file()]
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


def build_wheel(project_root: Path, out_dir: Path) -> Wheel:
    """Build the `scoring` wheel in-process with hatchling (no subprocess: `mkdocs serve`
    rebuilds must not wait seconds). Hatchling builds reproducibly: fixed timestamps."""
    from hatchling.builders.wheel import WheelBuilder  # noqa: PLC0415 (only the build needs it)

    out_dir.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(dir=out_dir) as scratch:
        builder = WheelBuilder(str(project_root))
        built = [Path(p) for p in builder.build(directory=scratch, versions=["standard"])]
        if len(built) != 1:
            raise EngineAssetError(f"Expected one wheel from hatchling, got {built}.")
        target = out_dir / built[0].name
        built[0].replace(target)
    digest = hashlib.sha256(target.read_bytes()).hexdigest()
    return Wheel(path=target, sha256=digest)
