"""The page ↔ worker ↔ Python boundary is the contract (scoring/contract.py), written once.

The worker holds no list of its own (it passes every call to ``scoring.browser.call``); these
tests tie the contract to what the pages ask for, to what ``browser.call`` answers, and to the
README's table. The refusal of an unknown name, in real Pyodide, is in tests/test_pyodide.py
(``test_an_unknown_entry_point_is_refused_in_french``).
"""

from __future__ import annotations

import json
import re
from pathlib import Path

from scoring import browser
from scoring.contract import BY_NAME, ENTRY_POINTS

ROOT = Path(__file__).resolve().parent.parent
SCRIPTS = ROOT / "overrides" / "assets" / "javascripts" / "crible"
WORKER = SCRIPTS / "worker.js"
README = ROOT / "README.md"
# `engine.request("name", …)`, the pages' only way to the worker (engine.js).
REQUEST = re.compile(r"""\bengine\s*\.\s*request\(\s*["'`]([^"'`]+)["'`]""")
START, END = "<!-- contract:start -->", "<!-- contract:end -->"

NAMES = [point.name for point in ENTRY_POINTS]


def requested() -> dict[str, list[str]]:
    """Each name the site's JS asks the engine for, with the files that ask."""
    found: dict[str, list[str]] = {}
    for script in sorted(SCRIPTS.glob("*.js")):
        for name in REQUEST.findall(script.read_text(encoding="utf-8")):
            found.setdefault(name, []).append(script.name)
    return found


def table() -> str:
    """The README's table, as the contract says it."""
    rows = [
        "| Point d’entrée | Requête (le texte envoyé) | Réponse (`result`) |",
        "| --- | --- | --- |",
        *(f"| `{p.name}` | {p.request} | {p.answer} |" for p in ENTRY_POINTS),
    ]
    return "\n".join(rows)


def test_the_contract_lists_each_name_once() -> None:
    assert len(NAMES) == len(set(NAMES)) == len(BY_NAME)


def test_the_pages_ask_for_exactly_the_contract() -> None:
    asked = requested()
    missing = sorted(set(asked) - set(NAMES))
    unused = sorted(set(NAMES) - set(asked))
    assert not missing, f"called by the pages but not in scoring/contract.py: {missing} ({asked})"
    assert not unused, f"in scoring/contract.py but called by no page (remove them): {unused}"


def test_each_entry_point_is_the_browser_function_of_its_name() -> None:
    for point in ENTRY_POINTS:
        assert getattr(browser, point.name) is point.call, point.name


def test_browser_call_answers_each_entry_point_as_its_function() -> None:
    for point in ENTRY_POINTS:
        assert browser.call(point.name, "null") == point.call("null"), point.name


def test_browser_call_refuses_any_other_name_in_french() -> None:
    refused = {
        "path": "",
        "message": "Le moteur de calcul ne connaît pas l’appel «\u202fvalidate_archive\u202f»",
        "fix": "Rechargez la page\u202f; si le problème revient, signalez-le.",
    }
    answer = json.loads(browser.call("validate_archive", "{}"))
    assert answer == {"ok": False, "errors": [refused]}
    long = json.loads(browser.call("x" * 41, ""))["errors"][0]["message"]
    assert long == f"Le moteur de calcul ne connaît pas l’appel «\u202f{'x' * 40}…\u202f»"


def test_the_worker_holds_no_list_and_passes_every_call_to_python() -> None:
    source = WORKER.read_text(encoding="utf-8")
    listed = sorted(name for name in NAMES if f'"{name}"' in source)
    assert not listed, f"worker.js names entry points again: {listed}"
    assert "const call = entry.call;" in source
    assert 'pyodide.pyimport("scoring.browser")' in source


def test_the_readme_table_is_the_contract() -> None:
    text = README.read_text(encoding="utf-8")
    assert START in text, f"README.md: no {START} … {END} section"
    written = text.split(START, 1)[1].split(END, 1)[0].strip()
    assert written == table(), f"README.md's contract table differs; it should read:\n{table()}"
