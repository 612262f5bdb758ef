"""Runs a list of calls and answers in JSON: the same file in Pyodide and in CPython.

``pyodide_runner.mjs`` imports it inside Pyodide; ``test_pyodide.py`` imports it in CPython;
both call :func:`run` with the same text, so the two sides differ only by the interpreter.

A call is ``{"fn": "evaluate", "arg": "…"}``: ``fn`` is ``module:function`` (a bare name means
``scoring.browser:<name>``, the functions JavaScript calls), ``arg`` the one string it takes.
Each call answers ``{"ok": true, "value": <what it returned>, "ms": <duration>}``, or
``{"ok": false, "error": "<type>: <message>", "ms": …}`` when it raised (the browser functions
never should). The first call of a module also pays for its imports.
"""

from __future__ import annotations

import importlib
import importlib.util
import json
import pkgutil
import sys
import time
from pathlib import Path

DEFAULT_MODULE = "scoring.browser"
DISTRIBUTION = "crible-scoring"


def call(spec: dict[str, str]) -> dict[str, object]:
    module_name, _, name = spec["fn"].rpartition(":")
    started = time.perf_counter()
    try:
        function = getattr(importlib.import_module(module_name or DEFAULT_MODULE), name)
        value = function(spec["arg"])
    except Exception as error:  # noqa: BLE001 - a failed call is a result to compare, too
        answer: dict[str, object] = {"ok": False, "error": f"{type(error).__name__}: {error}"}
    else:
        answer = {"ok": True, "value": value}
    answer["ms"] = round((time.perf_counter() - started) * 1000, 1)
    return answer


def dispatch(request: str) -> str:
    """The worker's way in: ``[name, argument]`` (JSON) through ``scoring.browser.call``."""
    name, argument = json.loads(request)
    browser = importlib.import_module(DEFAULT_MODULE)
    answer: str = browser.call(name, argument)
    return answer


def import_all(package: str) -> str:
    """Import every module of `package`, subpackages included; answer their sorted names."""
    root = importlib.import_module(package)
    names = [package, *(m.name for m in pkgutil.walk_packages(root.__path__, package + "."))]
    for name in names:
        importlib.import_module(name)
    return json.dumps(sorted(names))


def origin(module: str) -> str:
    """Where `module` would be imported from (JSON: a path, or null if it is nowhere)."""
    spec = importlib.util.find_spec(module)
    return json.dumps(None if spec is None else spec.origin)


def distribution_version() -> str:
    """The installed distribution's version, from its METADATA file. Not importlib.metadata:
    the engine never uses it (worker.js reads the version in the wheel's name), so the
    standard library the site ships leaves out most of it."""
    prefix = DISTRIBUTION.replace("-", "_") + "-"
    for folder in map(Path, sys.path):
        for info in sorted(folder.glob(f"{prefix}*.dist-info")) if folder.is_dir() else ():
            for line in (info / "METADATA").read_text(encoding="utf-8").splitlines():
                if line.startswith("Version: "):
                    return line.removeprefix("Version: ").strip()
    msg = f"{DISTRIBUTION} is not installed"
    raise LookupError(msg)


def run(calls_json: str) -> str:
    calls = json.loads(calls_json)
    return json.dumps(
        {
            "python": sys.version,
            "distribution_version": distribution_version(),
            "results": [call(spec) for spec in calls],
        },
        ensure_ascii=False,
    )
