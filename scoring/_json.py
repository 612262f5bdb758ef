"""The bounded reader: untrusted JSON text (or bytes) checked before and while it is parsed.

Every entry point reads through here, the CLI (files, standard input) and the browser (requests,
archives), each with its own :class:`Limits`. A limit passed raises :class:`LimitError`, which
says what was found and what is allowed (``(10,0 Mo, au plus 8 Mo)``, ``(profondeur 30, au
plus 8)``); the caller names what was read (« Requête trop volumineuse … »). Why each check:

- **size**, before anything: a file such as ``/dev/zero`` never ends, so bytes are read up to
  the limit plus one (:func:`read_bytes`), never until memory runs out;
- **depth**, before parsing: in Pyodide, ``json.loads`` of some 100 000 nested ``[`` overflows
  the JavaScript stack before Python's recursion limit is reached, a fatal error that kills the
  interpreter, not an exception (:func:`nesting_depth`);
- **integers**, while parsing: CPython refuses to convert more than 4 300 digits with a
  ``ValueError`` that ``json`` lets through; no valid input holds more than a few digits.

A UTF-8 byte-order mark (left by some editors, and by Windows' ``Out-File``) is dropped.
"""

from __future__ import annotations

import json
import os
import re
from dataclasses import dataclass
from itertools import accumulate
from typing import IO, TYPE_CHECKING, Any, Final, Literal

from scoring._french import grouped

if TYPE_CHECKING:
    from collections.abc import Callable

__all__ = [
    "BOM",
    "LimitError",
    "Limits",
    "check_size",
    "decode_utf8",
    "loads",
    "nesting_depth",
    "read_bytes",
]

BOM: Final = "\ufeff"
_JSON_STRING: Final = re.compile(r'"(?:[^"\\]++|\\.)*+"')
_NOT_BRACKET: Final = re.compile(r"[^\[\]{}]++")
_DEPTH_STEP: Final = {"[": 1, "{": 1, "]": -1, "}": -1}
# A character takes at most 4 bytes of UTF-8: a text this short fits whatever it holds.
_MAX_UTF8_BYTES_PER_CHAR: Final = 4


@dataclass(frozen=True, kw_only=True, slots=True)
class Limits:
    """What one kind of input may hold: bytes of UTF-8, bracket depth, digits of an integer."""

    max_bytes: int
    max_depth: int
    max_digits: int = 20


class LimitError(ValueError):
    """A limit passed: ``kind``, what was found (None when a stream was cut), the limit."""

    def __init__(
        self, kind: Literal["size", "depth", "digits"], found: int | None, limit: int
    ) -> None:
        self.kind = kind
        self.found = found
        self.limit = limit
        super().__init__(self.detail)

    def sentence(self, what: str) -> str:
        """« Requête trop volumineuse (10,0 Mo, au plus 8 Mo) » for ``what`` "Requête" (a
        feminine noun: "Requête", "Archive")."""
        if self.kind == "size":
            return f"{what} trop volumineuse {self.detail}"
        if self.kind == "depth":
            return f"{what} trop imbriquée {self.detail}"
        return f"Nombre trop long dans la {what.lower()} {self.detail}"

    @property
    def detail(self) -> str:
        """``(10,0 Mo, au plus 8 Mo)``, ``(profondeur 30, au plus 8)``, ``(5 000 chiffres, au
        plus 20)``; ``(plus de 64 ko)`` when a stream was cut at the limit."""
        if self.kind == "size":
            if self.found is None:
                return f"(plus de {_size(self.limit, exact=True)})"
            return f"({_size(self.found)}, au plus {_size(self.limit, exact=True)})"
        if self.kind == "depth":
            return f"(profondeur {grouped(self.found or 0)}, au plus {self.limit})"
        return f"({grouped(self.found or 0)} chiffres, au plus {self.limit})"


def _size(count: int, *, exact: bool = False) -> str:
    """``10,0 Mo``, ``70,0 ko``; a limit (``exact``) without a useless ``,0``: ``8 Mo``."""
    value, unit = (count / 1_000_000, "Mo") if count >= 1_000_000 else (count / 1000, "ko")  # noqa: PLR2004 - units
    text = f"{value:.1f}".replace(".", ",")
    if exact:
        text = text.removesuffix(",0")
    return f"{text}\u00a0{unit}"


def nesting_depth(text: str) -> int:
    """How deep brackets (outside strings) nest in a JSON text.

    Regular expressions and ``accumulate`` keep this check at C speed (a few milliseconds for
    the largest file allowed).
    """
    brackets = _NOT_BRACKET.sub("", _JSON_STRING.sub("", text))
    return max(accumulate(map(_DEPTH_STEP.__getitem__, brackets)), default=0)


def check_size(text: str, limit: int) -> None:
    """Raise ``LimitError`` when ``text`` takes more than ``limit`` bytes of UTF-8."""
    if len(text) * _MAX_UTF8_BYTES_PER_CHAR <= limit:
        return
    size = len(text.encode("utf-8", "surrogatepass"))
    if size > limit:
        raise LimitError("size", size, limit)


def _bounded_int(max_digits: int) -> Callable[[str], int]:
    def parse(digits: str) -> int:
        if len(digits.lstrip("-")) > max_digits:
            raise LimitError("digits", len(digits.lstrip("-")), max_digits)
        return int(digits)

    return parse


def loads(text: str, limits: Limits, **hooks: Any) -> Any:  # noqa: ANN401 - JSON data
    """``json.loads`` within ``limits`` (``hooks``: its ``object_pairs_hook``…).

    Raises ``LimitError``, or ``json.JSONDecodeError`` for what is not JSON.
    """
    if not isinstance(text, str):  # what a JavaScript bug could pass: json's own error
        raise TypeError(type(text).__name__)
    text = text.removeprefix(BOM)
    check_size(text, limits.max_bytes)
    depth = nesting_depth(text)
    if depth > limits.max_depth:
        raise LimitError("depth", depth, limits.max_depth)
    try:
        return json.loads(text, parse_int=_bounded_int(limits.max_digits), **hooks)
    except RecursionError:  # nesting_depth missed it (a bracket in a malformed string?)
        raise LimitError("depth", depth, limits.max_depth) from None


def read_bytes(stream: IO[bytes], limit: int) -> bytes:
    """At most ``limit`` bytes of ``stream``: one more is read to know, never the whole of an
    endless one. A regular file's size is told; a stream's is not known (``found`` None)."""
    data = stream.read(limit + 1)
    if len(data) > limit:
        try:
            size: int | None = os.fstat(stream.fileno()).st_size or None
        except (OSError, ValueError, AttributeError):
            size = None
        raise LimitError("size", size if size and size > limit else None, limit)
    return data


def decode_utf8(data: bytes) -> str:
    """UTF-8 bytes as text, a byte-order mark dropped; ``UnicodeDecodeError`` if they are not."""
    return data.decode("utf-8-sig")
