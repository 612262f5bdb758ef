"""Guards that run on JSON text before it is parsed, shared by every JSON entry point."""

from __future__ import annotations

import re
from itertools import accumulate
from typing import Final

__all__ = ["nesting_depth"]

_JSON_STRING: Final = re.compile(r'"(?:[^"\\]++|\\.)*+"')
_NOT_BRACKET: Final = re.compile(r"[^\[\]{}]++")
_DEPTH_STEP: Final = {"[": 1, "{": 1, "]": -1, "}": -1}


def nesting_depth(text: str) -> int:
    """How deep brackets (outside strings) nest in a JSON text.

    Checked before parsing because in Pyodide, ``json.loads`` of some 100 000 nested ``[``
    overflows the JavaScript stack before Python's recursion limit is reached: a fatal error
    that kills the interpreter, not an exception. Regular expressions and ``accumulate`` keep
    this check at C speed (a few milliseconds for the largest file allowed).
    """
    brackets = _NOT_BRACKET.sub("", _JSON_STRING.sub("", text))
    return max(accumulate(map(_DEPTH_STEP.__getitem__, brackets)), default=0)
