"""Typed getters over one TOML table that record mistakes instead of stopping at the first.

Each getter returns a value of the right type even when the data is wrong (a placeholder: ""
for text, 0 for numbers), so records can always be built; the caller raises every collected
error at the end and the placeholders are never seen. "" is never a valid value (empty text is
an error), which is what lets cross-record checks (duplicates, references) skip placeholders.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import TYPE_CHECKING, TypeVar

from scoring._errors import ErrorCollector, ValidationError
from scoring._french import typeset

if TYPE_CHECKING:
    from collections.abc import Sequence

__all__ = ["Check", "Table", "join"]

T = TypeVar("T")
# A check on a well-typed value: None when fine, else (message, fix).
Check = Callable[[T], "tuple[str, str] | None"]

# How a TOML author should write each kind of value, for the fix of a type error.
_HINTS = {
    "str": "text in double quotes",
    "int": "a whole number without quotes",
    "float": "a number without quotes",
    "bool": "true or false, without quotes",
    "array": "a list in square brackets",
    "table": "a table",
}


def join(prefix: str, key: str) -> str:
    """``items[3]`` + ``sign`` → ``items[3].sign``; ``rules`` + ``[1]`` → ``rules[1]``."""
    if not prefix:
        return key
    if not key:
        return prefix
    return prefix + key if key.startswith("[") else f"{prefix}.{key}"


def type_name(value: object) -> str:
    """TOML's words for containers, Python's for scalars (as in the messages of packaging)."""
    if isinstance(value, Mapping):
        return "table"
    if isinstance(value, list):
        return "array"
    return type(value).__name__


class Table:
    """One TOML table at ``path`` (``items[3]``), described to the author as ``what`` ("item")."""

    def __init__(
        self,
        data: Mapping[str, object] | None,
        path: str,
        errors: ErrorCollector,
        *,
        what: str,
        keys: Sequence[str],
    ) -> None:
        # data is None for a table that is itself missing or mistyped: that error is already
        # reported once, so reading its fields must stay silent instead of adding one per field.
        self.data: Mapping[str, object] = data if data is not None else {}
        self.silent = data is None
        self.path = path
        self.errors = errors
        self.what = what
        self.keys = tuple(keys)
        self._keys_checked = False

    def _check_keys(self) -> None:
        # Done on the first read rather than at construction, so that errors come in the order
        # of the file: all of items[0], then all of items[2]…
        if self._keys_checked:
            return
        self._keys_checked = True
        for key in self.data:
            if key not in self.keys:
                self.error(
                    "",
                    f"Unknown key {key!r}",
                    f"Remove {key!r} or correct its spelling (keys of this {self.what}: "
                    f"{', '.join(self.keys)}).",
                )

    def error(self, key: str, message: str, fix: str) -> None:
        self.errors.add(ValidationError(message, join(self.path, key), fix=fix))

    def _raw(self, key: str, example: str, *, required: bool) -> object:
        """The value at ``key``, or None when absent (reported when required)."""
        self._check_keys()
        value = self.data.get(key)
        if value is None and required and not self.silent:
            self.error(key, "Missing required value", f"Add {example} to this {self.what}.")
        return value

    def _mistyped(self, key: str, value: object, expected: str, example: str) -> None:
        self.error(
            key,
            f"Unexpected type {type_name(value)} (expected {expected})",
            f"Write {key} as {_HINTS[expected]}, for example {example}.",
        )

    def _checked(self, key: str, value: T, check: Check[T] | None) -> bool:
        problem = check(value) if check is not None else None
        if problem is not None:
            self.error(key, *problem)
        return problem is None

    def text(
        self, key: str, example: str, *, check: Check[str] | None = None, required: bool = True
    ) -> str:
        """Non-empty text; "" when an optional key is absent (or when it is reported)."""
        value = self._raw(key, example, required=required)
        if value is None:
            return ""
        if not isinstance(value, str):
            self._mistyped(key, value, "str", example)
            return ""
        if not value.strip():
            self.error(key, "Empty value", f"Write some text here, for example {example}.")
            return ""
        return value if self._checked(key, value, check) else ""

    def prose(self, key: str, example: str, *, required: bool = True) -> str:
        """Text a visitor reads: French typography applied once, here (see _french.typeset)."""
        return typeset(self.text(key, example, required=required))

    def integer(
        self, key: str, example: str, *, default: int | None = None, check: Check[int] | None = None
    ) -> int:
        value = self._raw(key, example, required=default is None)
        if value is None:
            return default or 0
        # bool is a subclass of int in Python, but `weight = true` is a mistake, not a 1.
        if not isinstance(value, int) or isinstance(value, bool):
            self._mistyped(key, value, "int", example)
            return 0
        return value if self._checked(key, value, check) else 0

    def number(self, key: str, example: str, *, check: Check[float] | None = None) -> float:
        value = self._raw(key, example, required=True)
        if value is None:
            return 0.0
        if not isinstance(value, int | float) or isinstance(value, bool):
            self._mistyped(key, value, "float", example)
            return 0.0
        return float(value) if self._checked(key, float(value), check) else 0.0

    def boolean(self, key: str, example: str, *, default: bool) -> bool:
        value = self._raw(key, example, required=False)
        if value is None:
            return default
        if not isinstance(value, bool):
            self._mistyped(key, value, "bool", example)
            return default
        return value

    def array(self, key: str, example: str, *, required: bool = True) -> list[object]:
        value = self._raw(key, example, required=required)
        if value is None:
            return []
        if not isinstance(value, list):
            self._mistyped(key, value, "array", example)
            return []
        return value

    def integers(
        self, key: str, example: str, *, check: Check[int] | None = None
    ) -> tuple[int, ...]:
        """An array of whole numbers; each element is checked at its own path (``rules[1]``)."""
        found: list[int] = []
        for index, value in enumerate(self.array(key, example)):
            at = join(key, f"[{index}]")
            if not isinstance(value, int) or isinstance(value, bool):
                self._mistyped(at, value, "int", example)
            elif self._checked(at, value, check):
                found.append(value)
        return tuple(found)

    def texts(self, key: str, example: str, *, check: Check[str] | None = None) -> tuple[str, ...]:
        """An array of non-empty texts; a wrong element becomes "" so positions are kept."""
        found: list[str] = []
        for index, value in enumerate(self.array(key, example)):
            at = join(key, f"[{index}]")
            if not isinstance(value, str):
                self._mistyped(at, value, "str", example)
                found.append("")
            elif not value.strip():
                self.error(at, "Empty value", f"Write some text here, for example {example}.")
                found.append("")
            else:
                found.append(value if self._checked(at, value, check) else "")
        return tuple(found)

    def table(self, key: str, example: str, *, what: str, keys: Sequence[str]) -> Table:
        value = self._raw(key, example, required=True)
        if value is not None and not isinstance(value, Mapping):
            self._mistyped(key, value, "table", example)
            value = None
        return Table(value, join(self.path, key), self.errors, what=what, keys=keys)

    def tables(
        self, key: str, example: str, *, what: str, keys: Sequence[str], required: bool = True
    ) -> list[Table]:
        """An array of tables (``[[items]]``); a required one may not be empty either."""
        values = self.array(key, example, required=required)
        if required and self.data.get(key) == []:
            self.error(key, "Empty array", f"Add at least one {what}, for example {example}.")
        found: list[Table] = []
        for index, value in enumerate(values):
            at = join(key, f"[{index}]")
            if isinstance(value, Mapping):
                found.append(Table(value, join(self.path, at), self.errors, what=what, keys=keys))
            else:
                self._mistyped(at, value, "table", example)
        return found
