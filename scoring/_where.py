"""Where a problem is, in words a visitor recognises: « Alice », évaluation du 3 décembre 2026.

Errors carry a key path (``contacts[0].evaluations[1].date``) for those who want it; the page
shows it only in a « Détails » disclosure (FRENCH.md: never a bare key path). This module reads
the same document the error came from to name the contact (its label) and the evaluation (its
date, in French). It never fails: whatever it cannot read, it leaves out.
"""

from __future__ import annotations

import json
import re
from datetime import datetime
from typing import TYPE_CHECKING

from scoring._french import french_date, quote
from scoring._json import nesting_depth

if TYPE_CHECKING:
    from collections.abc import Callable

__all__ = ["locate", "locator", "parsed"]

_STEP = re.compile(r"([^.\[\]]+)|\[(\d+)\]")
_ENTRY = {"contact": "Contact", "groupe": "Groupe", "soi": "Votre auto-évaluation"}


def _ordinal(number: int, noun: str, *, feminine: bool = False) -> str:
    """ "1er contact", "1re évaluation", "2e groupe"."""
    first = "1re" if feminine else "1er"
    return f"{first if number == 1 else f'{number}e'} {noun}"


def _entry(record: object, index: int) -> str:
    if not isinstance(record, dict):
        return _ordinal(index + 1, "contact")
    kind = record.get("kind")
    kind = kind if isinstance(kind, str) and kind in _ENTRY else "contact"
    if kind == "soi":
        return _ENTRY["soi"]
    label = record.get("label")
    if isinstance(label, str) and label.strip() and len(label) <= 200:  # noqa: PLR2004
        return f"{_ENTRY[kind]} {quote(label.strip())}"
    return _ordinal(index + 1, "contact" if kind == "contact" else "groupe")


def _evaluation(record: object, index: int) -> str:
    text = record.get("date") if isinstance(record, dict) else None
    if isinstance(text, str):
        try:
            when = datetime.fromisoformat(text)
        except ValueError:
            pass
        else:
            return f"évaluation du {french_date(when)}"
    return _ordinal(index + 1, "évaluation", feminine=True)


def locate(document: object, path: str) -> str:
    """The contact and evaluation that ``path`` points into, in ``document`` (the archive as
    decoded JSON); "" when the path is not under a contact."""
    steps = [(m[1], m[2]) for m in _STEP.finditer(path)]
    words: list[str] = []
    node = document
    for position, (key, index) in enumerate(steps):
        if key:
            node = node.get(key) if isinstance(node, dict) else None
            continue
        parent = steps[position - 1][0] if position else ""
        items = node if isinstance(node, list) else []
        number = int(index)
        node = items[number] if number < len(items) else None
        if parent == "contacts":
            words.append(_entry(node, number))
        elif parent == "evaluations":
            words.append(_evaluation(node, number))
    return ", ".join(words)


# Deeper than any archive (the archive allows 20 levels): not parsed at all. A request that
# nests 100 000 brackets must never reach json.loads (a stack overflow kills Pyodide).
_MAX_DEPTH = 32


def parsed(text: object) -> object:
    """The JSON ``text`` decoded, or None (not text, too deep, not JSON)."""
    if not isinstance(text, str) or nesting_depth(text) > _MAX_DEPTH:
        return None
    try:
        return json.loads(text)
    except (ValueError, RecursionError):
        return None


def locator(text: object, prefix: str = "") -> Callable[[str], str]:
    """``locate`` over the JSON ``text`` (an archive), for the paths that start with
    ``prefix`` (``"current"``: the stored archive inside a request). The text is decoded on
    the first call only: a request that fails before any path is named costs nothing."""
    document: list[object] = []

    def where(path: str) -> str:
        if prefix:
            if not path.startswith((f"{prefix}.", f"{prefix}[")):
                return ""
            path = path[len(prefix) :]
        if not document:
            document.append(parsed(text))
        return locate(document[0], path)

    return where
