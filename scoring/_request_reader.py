"""The one reader of requests: the JSON object a page (or the CLI) sends, and its fields.

Every entry point of :mod:`scoring.browser` reads its request here, and the archive validator
(:mod:`scoring.archive`) uses the same primitives, so that one mistake is worded one way:

- :meth:`Fields.read` parses the text within :data:`REQUEST_LIMITS` (the bounded reader of
  :mod:`scoring._json`) and wants one JSON object; when the text is not one, nothing else can
  be judged and that is all it says;
- :meth:`Fields.keys` reports duplicate keys (JSON parsers disagree on which one wins), keys
  that are dangerous once the data reaches JavaScript, unknown keys (with the allowed ones, in
  French) and missing ones;
- the typed getters (:meth:`Fields.text`, :meth:`Fields.flag`, :meth:`Fields.day`…) record a
  wrong value with its key path and return a placeholder: :meth:`Fields.finalize` then raises
  every problem at once (``InvalidDataError("request", …)``), before any placeholder is used.

Every message is French and typeset (FRENCH.md); a wrong type always reads
« Type inattendu : nombre entier (attendu : texte) », never a Python type name.
"""

from __future__ import annotations

import json
import re
from datetime import UTC, date, datetime
from types import MappingProxyType
from typing import TYPE_CHECKING, Final, TypeVar

from scoring._errors import ErrorCollector, InvalidDataError, ValidationError
from scoring._french import NBSP, AnswerError, quote
from scoring._json import LimitError, Limits, loads

if TYPE_CHECKING:
    from collections.abc import Callable, Iterable, Mapping, Sequence

__all__ = [
    "DATE_FORMAT",
    "DAY_FORMAT",
    "REQUEST_LIMITS",
    "SOURCE",
    "Fields",
    "JsonObject",
    "as_day",
    "as_flag",
    "as_integer",
    "as_list",
    "as_moment",
    "as_object",
    "as_text",
    "duplicate_key",
    "key_path",
    "parse_day",
    "parse_moment",
    "show",
    "type_name",
    "wrong_type",
]

_T = TypeVar("_T")

SOURCE: Final = "request"
# Every request within the same limits. The largest carries two archives (the stored one and a
# file to import, 2 MB each: scoring.archive.MAX_ARCHIVE_BYTES) as JSON strings, whose escaping
# can double their size; the deepest nests {request: {evaluation: {answers: …}}}, and archives
# travel as strings. Deeper than 8 is no request, and would kill Pyodide (see scoring._json).
REQUEST_LIMITS: Final = Limits(max_bytes=8_100_000, max_depth=8)
DATE_FORMAT: Final = "AAAA-MM-JJTHH:MM:SSZ"
DAY_FORMAT: Final = "AAAA-MM-JJ"

_DATE_PATTERN: Final = re.compile(r"(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2}):(\d{2})(?:\.(\d{3}))?Z")
_DAY_PATTERN: Final = re.compile(r"(\d{4})-(\d{2})-(\d{2})")
_PLAIN_KEY: Final = re.compile(r"[A-Za-z0-9_-]{1,64}")
_JS_RESERVED: Final = frozenset({"__proto__", "constructor", "prototype"})
_SHOWN_LENGTH: Final = 40
_EMPTY: Final[Mapping[str, object]] = MappingProxyType({})
# bool before int: True is an int to Python, a booléen to whoever wrote the JSON.
_TYPE_NAMES: Final = (
    (type(None), "null"),
    (bool, "booléen"),
    (int, "nombre entier"),
    (float, "nombre décimal"),
    (str, "texte"),
    (list, "liste"),
    (dict, "objet"),
)


# --- Words -------------------------------------------------------------------------------------


def type_name(value: object) -> str:
    """The JSON type of ``value`` in French: ``nombre entier``, ``texte``, ``objet``…"""
    for kind, name in _TYPE_NAMES:
        if isinstance(value, kind):
            return name
    return "valeur non JSON"  # only a Python caller can pass one


def wrong_type(value: object, expected: str, path: str = "", *, fix: str = "") -> AnswerError:
    """The one message of a wrong type: « Type inattendu : liste (attendu : objet) »."""
    message = f"Type inattendu{NBSP}: {type_name(value)} (attendu{NBSP}: {expected})"
    return AnswerError(message, path, fix=fix)


def show(value: str) -> str:
    """A value as quoted in a message: control characters escaped, long values shortened."""
    shown = json.dumps(value, ensure_ascii=False)[1:-1]
    # A lone surrogate cannot be encoded, in UTF-8 nor on its way to JavaScript: escape it.
    shown = "".join(
        f"\\u{ord(char):04x}" if "\ud800" <= char <= "\udfff" else char for char in shown
    )
    if len(shown) > _SHOWN_LENGTH:
        shown = shown[:_SHOWN_LENGTH] + "…"
    return quote(shown)


def key_path(key: str) -> str:
    """A key as written in a path: plain ids as is, anything else quoted (``["a b"]``)."""
    if _PLAIN_KEY.fullmatch(key):
        return key
    return "[" + json.dumps(key, ensure_ascii=False) + "]"


def duplicate_key(key: str) -> AnswerError:
    return AnswerError(
        f"Clé en double {show(key)}",
        key_path(key),
        fix="Une clé ne peut apparaître qu’une fois dans un même objet.",
    )


# --- Values ------------------------------------------------------------------------------------


class JsonObject(dict[str, object]):
    """A JSON object that remembers the keys it met more than once (the first value is kept)."""

    __slots__ = ("duplicates",)

    def __init__(self, pairs: Iterable[tuple[str, object]]) -> None:
        super().__init__()
        self.duplicates: list[str] = []
        for key, value in pairs:
            if key not in self:
                self[key] = value
            elif key not in self.duplicates:
                self.duplicates.append(key)


def parse_moment(text: str) -> datetime | None:
    """A date and time in UTC (``AAAA-MM-JJTHH:MM:SSZ``, milliseconds optional), or None."""
    match = _DATE_PATTERN.fullmatch(text)
    if match is None:
        return None
    year, month, day, hour, minute, second, millis = match.groups()
    try:
        return datetime(
            int(year),
            int(month),
            int(day),
            int(hour),
            int(minute),
            int(second),
            int(millis or 0) * 1000,
            tzinfo=UTC,
        )
    except ValueError:  # 2026-02-30, 25:00…
        return None


def parse_day(text: str) -> date | None:
    """``AAAA-MM-JJ`` as a date, or None when it is not one."""
    match = _DAY_PATTERN.fullmatch(text)
    if match is None:
        return None
    try:
        return date(int(match[1]), int(match[2]), int(match[3]))
    except ValueError:
        return None


# Readers of one value, each raising one AnswerError relative to it (no path: the caller's).


def as_text(value: object) -> str:
    if not isinstance(value, str):
        raise wrong_type(value, "texte")
    return value


def as_object(value: object) -> Mapping[str, object]:
    if not isinstance(value, dict):
        raise wrong_type(value, "objet")
    return value


def as_list(value: object) -> list[object]:
    if not isinstance(value, list):
        raise wrong_type(value, "liste")
    return value


def as_flag(value: object) -> bool:
    if not isinstance(value, bool):
        raise wrong_type(value, "booléen")
    return value


def as_integer(value: object) -> int:
    if not isinstance(value, int) or isinstance(value, bool):
        raise wrong_type(value, "nombre entier")
    return value


def as_day(value: object) -> date:
    day = parse_day(as_text(value))
    if day is None:
        raise AnswerError(
            f"Date invalide {show(str(value))}", fix=f"Format attendu{NBSP}: {DAY_FORMAT}."
        )
    return day


def as_moment(value: object) -> datetime:
    moment = parse_moment(as_text(value))
    if moment is None:
        raise AnswerError(
            f"Date invalide {show(str(value))}",
            fix=f"Format attendu{NBSP}: {DATE_FORMAT}, en temps universel (UTC).",
        )
    return moment


# --- Objects -----------------------------------------------------------------------------------


class Fields:
    """One JSON object of a request (or of an archive), read key by key into ``errors``.

    ``path`` locates the object (``""`` for the request itself, ``"contact"`` for one inside
    it): each problem carries its full key path. A getter returns a placeholder for a value it
    refuses (or a required key that is missing, already reported by :meth:`keys`); nothing
    read may be used before :meth:`finalize` has passed.
    """

    __slots__ = ("data", "errors", "fix", "path", "source")

    def __init__(
        self,
        data: Mapping[str, object],
        *,
        errors: ErrorCollector | None = None,
        path: str = "",
        source: str = SOURCE,
        fix: str = "",
    ) -> None:
        self.data = data
        self.errors = ErrorCollector() if errors is None else errors
        self.path = path
        self.source = source
        self.fix = fix  # of a missing key (the request's example, from read())

    @classmethod
    def read(cls, text: object, *, example: str = "", source: str = SOURCE) -> Fields:
        """The JSON object of ``text``, or ``InvalidDataError`` when it is not one (too large,
        too deep, not JSON, not an object: then nothing else can be judged). ``example``, a
        request written out, is the fix of those errors and of a missing key."""
        fix = f"Écrivez par exemple {example}." if example else ""

        def refused(error: AnswerError) -> InvalidDataError:
            return InvalidDataError(source, [error])

        if not isinstance(text, str):  # what a JavaScript bug could pass
            raise refused(wrong_type(text, "texte", fix=fix))
        try:
            data = loads(text, REQUEST_LIMITS, object_pairs_hook=JsonObject)
        except LimitError as error:
            raise refused(AnswerError(error.sentence("Requête"), fix=fix)) from None
        except json.JSONDecodeError as error:
            # The position helps whoever wrote the text (the CLI's answers file).
            where = f"ligne {error.lineno}, colonne {error.colno}"
            advice = "Vérifiez les guillemets doubles, les virgules et les accolades."
            raise refused(AnswerError(f"JSON invalide ({where})", fix=advice)) from None
        if not isinstance(data, dict):
            raise refused(wrong_type(data, "objet", fix=fix))
        return cls(data, source=source, fix=fix)

    def where(self, key: str) -> str:
        """The key path of ``key`` in this object (``""`` for the object itself)."""
        if not key:
            return self.path
        step = key if key.startswith("[") else key_path(key)
        if not self.path or step.startswith("["):
            return self.path + step
        return f"{self.path}.{step}"

    def add(self, message: str, key: str = "", *, fix: str = "", code: str = "") -> None:
        """A problem of this request at ``key`` (``""``: the object itself)."""
        self.errors.add(AnswerError(message, self.where(key), fix=fix, code=code))

    def finalize(self) -> None:
        """Raise every problem recorded so far (``InvalidDataError``), if there is any."""
        self.errors.finalize(self.source)

    def keys(self, required: Sequence[str], optional: Sequence[str] = ()) -> None:
        """Record duplicate, forbidden, unknown and missing keys, in that order."""
        self.keys_among((*required, *optional), required)

    def keys_among(self, allowed: Sequence[str], required: Sequence[str]) -> None:
        """:meth:`keys`, the allowed ones listed in the order of ``allowed``."""
        for key in getattr(self.data, "duplicates", ()):
            error = duplicate_key(key)
            self.add(error.message, key, fix=error.fix)
        for key in self.data:
            if key in allowed:
                continue
            if key in _JS_RESERVED:
                message = f"Clé interdite {show(key)} (nom réservé en JavaScript)"
            else:
                message = f"Clé inconnue {show(key)}"
            known = ", ".join(map(quote, allowed))
            self.add(message, key, fix=f"Clés permises{NBSP}: {known}.")
        for key in required:
            if key not in self.data:
                self.add(f"Clé obligatoire manquante {show(key)}", key, fix=self.fix)

    def field(
        self, key: str, read: Callable[[object], _T], placeholder: _T, *, fix: str = ""
    ) -> _T:
        """The value of ``key`` read by ``read`` (which raises a ``ValidationError`` relative
        to it); ``placeholder`` when the key is absent or its value refused (recorded, with
        ``fix`` if ``read`` gave none)."""
        if key not in self.data:
            return placeholder
        try:
            return read(self.data[key])
        except ValidationError as error:
            found: Sequence[ValidationError] = (error,)
        except InvalidDataError as group:
            found = group.errors
        for problem in found:
            moved = problem.under(self.where(key))
            if fix and not moved.fix:
                moved = AnswerError(moved.message, moved.path, fix=fix, code=moved.code)
            self.errors.add(moved)
        return placeholder

    def get(self, key: str) -> object:
        """The value of ``key`` as it is (``None`` when absent), for a reader of its own."""
        return self.data.get(key)

    def text(self, key: str) -> str:
        return self.field(key, as_text, "")

    def optional_text(self, key: str) -> str | None:
        """Text or null (null too when the key is absent)."""

        def read(value: object) -> str | None:
            if value is not None and not isinstance(value, str):
                raise wrong_type(value, "texte ou null")
            return value

        return self.field(key, read, None)

    def flag(self, key: str) -> bool:
        return self.field(key, as_flag, False)  # noqa: FBT003 - a placeholder, not an option

    def integer(self, key: str) -> int:
        return self.field(key, as_integer, 0)

    def day(self, key: str) -> date:
        return self.field(key, as_day, date.min)

    def moment(self, key: str) -> datetime:
        return self.field(key, as_moment, datetime.min.replace(tzinfo=UTC))

    def sequence(self, key: str) -> list[object]:
        """A JSON list."""
        return self.field(key, as_list, [])

    def record(self, key: str, *, fix: str = "") -> Fields:
        """The object under ``key``, read into the same errors with its own key paths."""
        data = self.field(key, as_object, _EMPTY, fix=fix)
        return Fields(data, errors=self.errors, path=self.where(key), source=self.source)

    def optional_record(self, key: str, *, fix: str = "") -> Fields | None:
        """An object, or None when the value is null or the key absent."""
        if self.data.get(key) is None:
            return None
        return self.record(key, fix=fix)

    def choice(
        self, key: str, choices: Sequence[str], *, unknown: str, missing: str, fix: str
    ) -> str:
        """One of ``choices``; else ``unknown`` and the value (« Opération inconnue
        « merge » »), or ``missing`` when the key is absent; ``""`` when refused."""
        if key not in self.data:
            self.add(missing, key, fix=fix)
            return ""
        value = self.data[key]
        if isinstance(value, str) and value in choices:
            return value
        shown = show(value) if isinstance(value, str) else type_name(value)
        self.add(f"{unknown} {shown}", key, fix=fix)
        return ""
