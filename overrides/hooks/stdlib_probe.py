"""Runs inside Pyodide, under Node (``build_stdlib.mjs``): the standard library the engine needs.

Not imported by MkDocs: ``build_stdlib.mjs`` writes this file into Pyodide's file system and
imports it there, after the engine started exactly as ``worker.js`` starts it. Three steps:

1. :func:`exercise` calls every entry function of ``scoring.browser`` with a broad set of
   arguments (valid, invalid, hostile), so that every import made at run time happens;
2. :func:`needed_modules` takes the stdlib modules in ``sys.modules`` (Pyodide's bootstrap, the
   worker's own calls, the exercise) and adds every module that the ``scoring`` package imports,
   directly or through the stdlib, anywhere in its code (function bodies included), read from
   the sources: a rare path that the exercise missed cannot import a module the zip lacks;
3. :func:`write_zip` compiles those modules with this very interpreter (its magic number is the
   one the browser's Pyodide checks) into unchecked hash-based ``.pyc`` files: reproducible, and
   zipimport loads them without reading or hashing any source.

:func:`write_package_bytecode` compiles the installed ``scoring`` package the same way, into a
zip of ``scoring/__pycache__/*.cpython-314.pyc`` entries (checked hash-based) that
``engine_assets.build_wheel`` adds to the wheel the site ships: the worker then imports
``scoring`` without compiling it.
"""

from __future__ import annotations

# Only modules that the engine imports anyway: what this file imports must not be mistaken for
# what the engine needs. The tools (ast, zipfile…) are imported after `imported_modules` ran.
import importlib
import json
import sys
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    import ast
    import zipfile

# The package whose every import must be in the zip, and its entry module.
PACKAGE = "scoring"
ENTRY = "scoring.browser"
# The list of its entry points (scoring/contract.py).
CONTRACT = "scoring.contract"
# Codecs are imported by name at run time (`str.encode("latin-1")`), invisible to a reading of
# the sources: the ones text, JSON, zip and CSV handling may ask for are always shipped.
CODECS = ("aliases", "ascii", "cp437", "latin_1", "utf_8", "utf_8_sig", "utf_16", "utf_32")
# Fixed zip timestamp: the same inputs give the same bytes.
EPOCH = (1980, 1, 1, 0, 0, 0)


def _arguments() -> list[str]:
    """Valid, invalid and hostile arguments; each entry function is called with every one."""
    from scoring import questionnaire_ids  # noqa: PLC0415 (the wheel is installed by now)

    describe = importlib.import_module(ENTRY).describe
    requests: list[object] = []
    for qid in questionnaire_ids():
        definition = json.loads(describe(qid))["result"]
        items = [item["id"] for item in definition.get("items", [])]
        durations = [d["id"] for d in definition.get("context", {}).get("durations", [])]
        for value in ("yes", "no", "unknown"):
            answers = dict.fromkeys(items, value)
            requests.append({"questionnaire": qid, "answers": answers})
            requests.extend(
                {"questionnaire": qid, "answers": answers, "context": {"duration": d}}
                for d in [*durations, None, "nope"]
            )
    evaluation = {
        "id": "e-1",
        "date": "2026-03-04T10:00:00.250Z",
        "questionnaire": "contact",
        "answers": {"available": "yes", "feel-empty": "unknown"},
        "context": {"duration": "3to12m"},
    }
    contact = {
        "id": "c-1a2b3c",
        "label": "Lambda",
        "created": "2026-01-02T09:30:00Z",
        "evaluations": [evaluation, {**evaluation, "id": "e-2", "context": None}],
    }
    archive = {
        "format": "crible-archive",
        "version": 1,
        "exported_at": "2026-11-26T10:00:00.000Z",
        "contacts": [contact],
    }
    broken = {**archive, "contacts": [{**contact, "label": "a\tb", "evaluations": [{}]}]}
    stored = [json.dumps(archive), json.dumps(broken), "", "null", "bonjour"]
    # The shapes of the "Mon réseau" requests (scoring.browser's docstring), and near misses.
    changes = {
        "contact": {"id": "c-new", "label": "=1+1"},
        "evaluation": {**evaluation, "id": "e-new"},
        "created": "2026-11-20T10:00:00.123Z",
        "contact_id": "c-1a2b3c",
        "evaluation_id": "e-1",
        "label": "Alpha « β »",
    }
    operations = ["record", "rename", "delete-evaluation", "delete-contact", "other"]
    documents: list[object] = [
        *requests,
        archive,
        broken,
        *({"current": text, "op": op, **changes} for text in stored for op in operations),
        *(
            {"current": current, "incoming": incoming, "mode": mode}
            for current in stored[:3]
            for incoming in stored
            for mode in ("merge", "replace", "other")
        ),
        {"archive": archive},
        {"current": archive, "incoming": archive},
        {},
        [],
        None,
        1,
    ]
    texts = [json.dumps(d, ensure_ascii=False) for d in documents]
    return [
        *questionnaire_ids(),
        *stored,
        *texts,
        "",
        "bonjour",
        "[" * 100_000,
        '{"a":' * 100_000,
        '{"version": ' + "9" * 5000 + "}",
        '{"version": NaN}',
        '{"x": "\\ud800"}',
        " " * 2_000_001 + "{}",
    ]


def exercise() -> int:
    """Call every entry point with every argument, as the worker does (``browser.call``, the
    contract's names and one it refuses); answer how many calls were made."""
    entry = importlib.import_module(ENTRY)
    contract = importlib.import_module(CONTRACT)
    names = [point.name for point in contract.ENTRY_POINTS] + ["not-an-entry-point"]
    calls = 0
    for name in names:
        for argument in _arguments():
            try:
                entry.call(name, argument)
            except Exception:  # noqa: BLE001, S112 - only the imports matter here
                continue
            finally:
                calls += 1
    return calls


def _zip_modules(archive: zipfile.ZipFile) -> dict[str, str]:
    """Module name → its source file in the zip."""
    modules = {}
    for name in archive.namelist():
        if not name.endswith(".py"):
            continue
        parts = name[: -len(".py")].split("/")
        if parts[-1] == "__init__":
            parts.pop()
        modules[".".join(parts)] = name
    return modules


def _executed_at_import(tree: ast.Module) -> list[ast.AST]:
    """The nodes a module runs when imported: everything but the bodies of its functions."""
    import ast  # noqa: PLC0415

    nodes: list[ast.AST] = []
    pending: list[ast.AST] = [tree]
    while pending:
        node = pending.pop()
        nodes.append(node)
        if not isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef | ast.Lambda):
            pending.extend(ast.iter_child_nodes(node))
    return nodes


def _imports(tree: ast.Module, module: str, *, is_package: bool, everywhere: bool) -> set[str]:
    """The modules a source may import (candidates, not checked): with `everywhere`, wherever
    the statement is, else only those run at import time (not inside a function)."""
    import ast  # noqa: PLC0415

    package = module if is_package else module.rpartition(".")[0]
    found: set[str] = set()
    for node in ast.walk(tree) if everywhere else _executed_at_import(tree):
        if isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = package.rsplit(".", node.level - 1)[0] if node.level > 1 else package
                target = f"{base}.{node.module}" if node.module else base
            else:
                target = node.module or ""
            found.add(target)
            found.update(f"{target}.{alias.name}" for alias in node.names)
        elif (
            isinstance(node, ast.Call)
            and node.args
            and isinstance(node.args[0], ast.Constant)
            and isinstance(node.args[0].value, str)
            and (
                (isinstance(node.func, ast.Name) and node.func.id == "__import__")
                or (isinstance(node.func, ast.Attribute) and node.func.attr == "import_module")
            )
        ):
            found.add(node.args[0].value)
    with_parents: set[str] = set()
    for name in found:
        parts = name.split(".")
        with_parents.update(".".join(parts[:i]) for i in range(1, len(parts) + 1))
    return with_parents


def _package_sources() -> dict[str, tuple[str, bool]]:
    """Every module of the `scoring` package → (source, is it a package)."""
    import importlib.util  # noqa: PLC0415
    from pathlib import Path  # noqa: PLC0415

    spec = importlib.util.find_spec(PACKAGE)
    assert spec is not None  # noqa: S101
    assert spec.submodule_search_locations is not None  # noqa: S101
    root = Path(next(iter(spec.submodule_search_locations)))
    sources = {}
    for path in sorted(root.rglob("*.py")):
        parts = list(path.relative_to(root.parent).with_suffix("").parts)
        is_package = parts[-1] == "__init__"
        if is_package:
            parts.pop()
        sources[".".join(parts)] = (path.read_text(encoding="utf-8"), is_package)
    return sources


def imported_modules(stdlib_zip: str) -> list[str]:
    """The modules imported so far from the stdlib zip. Call it before `needed_modules`."""
    prefix = stdlib_zip + "/"
    return sorted(
        name
        for name, module in list(sys.modules.items())
        if str(getattr(module, "__file__", "") or "").startswith(prefix)
    )


def needed_modules(stdlib_zip: str, imported: list[str]) -> dict[str, list[str]]:
    """The stdlib modules to ship: `imported`, plus `scoring`'s static import closure.

    That closure takes every import statement of `scoring` (function bodies included: the lazy
    imports of rare paths are the ones an exercise may miss), then, through the stdlib, the
    imports those modules run when imported. The imports inside stdlib functions are left to
    the exercise: followed everywhere, they pull in a third of the stdlib (multiprocessing,
    unittest, pdb…) that no path of the engine reaches."""
    import ast  # noqa: PLC0415
    import zipfile  # noqa: PLC0415

    with zipfile.ZipFile(stdlib_zip) as archive:
        available = _zip_modules(archive)
        pending = [
            _imports(ast.parse(source), name, is_package=is_package, everywhere=True)
            for name, (source, is_package) in _package_sources().items()
        ]
        static: set[str] = set()
        while pending:
            candidates = pending.pop()
            for name in sorted(candidates - static):
                if name not in available:
                    continue
                static.add(name)
                path = available[name]
                tree = ast.parse(archive.read(path))
                package = path.endswith("/__init__.py")
                pending.append(_imports(tree, name, is_package=package, everywhere=False))
    codecs = {f"encodings.{codec}" for codec in CODECS} & set(available)
    return {
        "imported": sorted(set(imported) & set(available)),
        "static": sorted(static - set(imported)),
        "codecs": sorted(codecs - set(imported) - static),
    }


def write_zip(stdlib_zip: str, modules: list[str], out: str, *, sources: bool) -> dict[str, int]:
    """Compile `modules` (and their packages) from the stock zip into a new zip at `out`."""
    import importlib.util  # noqa: PLC0415
    import zipfile  # noqa: PLC0415
    from pathlib import PurePosixPath  # noqa: PLC0415

    source_hash = importlib.util.source_hash
    to_pyc = importlib._bootstrap_external._code_to_hash_pyc  # type: ignore[attr-defined]  # noqa: SLF001
    with zipfile.ZipFile(stdlib_zip) as stock:
        available = _zip_modules(stock)
        # A module needs its packages: `a.b.c` ships `a/__init__` and `a/b/__init__` too.
        names = {".".join(m.split(".")[:i]) for m in modules for i in range(1, m.count(".") + 2)}
        paths = {available[name] for name in names if name in available}
        folders = {str(PurePosixPath(p).parent) + "/" for p in paths} - {"./"}
        for folder in list(folders):
            parts = folder.rstrip("/").split("/")
            folders.update("/".join(parts[:i]) + "/" for i in range(1, len(parts)))
        entries: dict[str, bytes] = dict.fromkeys(folders, b"")
        for path in paths:
            source = stock.read(path)
            code = compile(source, f"{stdlib_zip}/{path}", "exec", dont_inherit=True, optimize=0)
            entries[path + "c"] = bytes(to_pyc(code, source_hash(source), checked=False))
            if sources:
                entries[path] = source
    with zipfile.ZipFile(out, "w", compression=zipfile.ZIP_DEFLATED, compresslevel=9) as new:
        for name in sorted(entries):
            info = zipfile.ZipInfo(name, date_time=EPOCH)
            info.compress_type = zipfile.ZIP_STORED if name.endswith("/") else zipfile.ZIP_DEFLATED
            info.external_attr = (0o40755 << 16) | 0x10 if name.endswith("/") else 0o644 << 16
            new.writestr(info, entries[name], compresslevel=9)
    return {
        "modules": len(paths),
        "magic": int.from_bytes(importlib.util.MAGIC_NUMBER[:2], "little"),
    }


def write_package_bytecode(out: str) -> dict[str, int]:
    """Compile every module of the installed `scoring` package into a zip at `out`: each
    `.py` (relative to site-packages) gets its `__pycache__/<name>.<cache tag>.pyc`. Checked
    hash-based, unlike the stdlib's: the import hashes the source (a few milliseconds for the
    whole package) and compiles it again if it differs, so a `.pyc` can never run stale code."""
    import importlib.util  # noqa: PLC0415
    import zipfile  # noqa: PLC0415
    from pathlib import Path  # noqa: PLC0415

    source_hash = importlib.util.source_hash
    to_pyc = importlib._bootstrap_external._code_to_hash_pyc  # type: ignore[attr-defined]  # noqa: SLF001
    spec = importlib.util.find_spec(PACKAGE)
    assert spec is not None  # noqa: S101
    assert spec.submodule_search_locations is not None  # noqa: S101
    root = Path(next(iter(spec.submodule_search_locations)))
    entries = {}
    for path in sorted(root.rglob("*.py")):
        source = path.read_bytes()
        # The path the worker installs it at: the one a traceback names.
        code = compile(source, str(path), "exec", dont_inherit=True, optimize=0)
        cached = Path(importlib.util.cache_from_source(str(path)))
        name = cached.relative_to(root.parent).as_posix()
        entries[name] = bytes(to_pyc(code, source_hash(source), checked=True))
    with zipfile.ZipFile(out, "w", compression=zipfile.ZIP_DEFLATED, compresslevel=9) as new:
        for name in sorted(entries):
            info = zipfile.ZipInfo(name, date_time=EPOCH)
            info.compress_type = zipfile.ZIP_DEFLATED
            info.external_attr = 0o644 << 16
            new.writestr(info, entries[name], compresslevel=9)
    return {"package_modules": len(entries)}
