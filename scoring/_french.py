"""French for the visitor: typography helpers and the error class of answers.

Definition files are written by developers and site owners, so their errors are in English;
answers come from the visitor's form (or a file they saved), so their errors are in French,
typeset as `FRENCH.md` (at the repository's root) asks: a no-break space before ":" and narrow
no-break spaces inside « guillemets » and before "%". Numbers use the minus sign U+2212, as on
the printed sheet.
"""

from __future__ import annotations

import json
import re
from typing import TYPE_CHECKING

from scoring._errors import ValidationError

if TYPE_CHECKING:
    from datetime import date

__all__ = [
    "NBSP",
    "NNBSP",
    "AnswerError",
    "french_date",
    "grouped",
    "percent",
    "quote",
    "shown",
    "signed",
    "typeset",
]

NBSP = "\u00a0"  # before ":"
NNBSP = "\u202f"  # inside « », before ";", "!", "?" and "%"
MINUS = "\u2212"


class AnswerError(ValidationError):
    """A mistake in the visitor's answers, in French.

    The inherited rendering ("… in 'answers.foo'") would glue English onto a French sentence,
    so the key path goes in parentheses instead: ``Critère inconnu « foo » (answers.foo)``.
    JS never parses this string: it gets ``message``, ``path`` and ``fix`` separately.
    """

    def __str__(self) -> str:
        return f"{self.message} ({self.path})" if self.path else self.message

    def under(self, prefix: str) -> AnswerError:
        moved = super().under(prefix)
        return AnswerError(moved.message, moved.path, fix=moved.fix, code=moved.code)


def quote(text: str) -> str:
    return f"«{NNBSP}{text}{NNBSP}»"


def shown(value: object) -> str:
    """A value from the visitor's JSON as they would recognise it: text quoted, the rest as JSON."""
    if isinstance(value, str):
        return quote(value)
    try:
        return json.dumps(value, ensure_ascii=False)
    except (TypeError, ValueError):  # not JSON at all (a Python caller): still say something
        return type(value).__name__


_MONTHS = (
    "janvier", "février", "mars", "avril", "mai", "juin", "juillet", "août", "septembre",
    "octobre", "novembre", "décembre",
)  # fmt: skip


def french_date(day: date) -> str:
    """ "3 décembre 2026", "1er janvier 2030": a date as a French reader writes it (FRENCH.md),
    like Intl.DateTimeFormat('fr-FR', {dateStyle: 'long'}) on the page, never ISO."""
    number = "1er" if day.day == 1 else str(day.day)
    return f"{number} {_MONTHS[day.month - 1]} {day.year}"


def grouped(value: int) -> str:
    """A whole number written the French way: ``2 000 000`` (narrow no-break spaces)."""
    return f"{value:,}".replace(",", NNBSP)


def signed(number: int) -> str:
    """+6, −4, 0: the balance is read as a gain or a loss, so the sign is always written."""
    if number > 0:
        return f"+{number}"
    if number < 0:
        return f"{MINUS}{-number}"
    return "0"


def percent(share: float) -> str:
    """0.4615… → "46,2 %" (decimal comma, one decimal at most), like Intl.NumberFormat('fr-FR')."""
    text = f"{share * 100:.1f}".removesuffix(".0").replace(".", ",")
    return f"{text}{NNBSP}%"


# Typography of prose, once for everything the visitor reads: the pages (through the Markdown
# extension of the site), the infographics and the definitions' texts (at load time).
# Idempotent: texts typeset at load time may pass through the page's typesetting again.
_RULES: tuple[tuple[re.Pattern[str], str], ...] = (
    (re.compile(r"(?<=\w)'(?=[\w«])"), "’"),
    (re.compile(r"[ \u00a0\u202f]*([;!?])(?=[\s;!?]|$)"), NNBSP + r"\1"),
    (re.compile(r"(?<=\S)[ \u00a0\u202f]*:(?=\s|$)"), NBSP + ":"),
    (re.compile(r"«[ \u00a0\u202f]*"), "«" + NNBSP),
    (re.compile(r"[ \u00a0\u202f]*»"), NNBSP + "»"),
    # "50 %" after a number only, and only before a space or a mark: "%20" in a URL stays.
    (re.compile(r"(?<=\d)[ \u00a0\u202f]*%(?=[\s.,;:!?)]|$)"), NNBSP + "%"),
)
# "?!" and "!!" stay together; only the first mark of a run gets the space.
_DOUBLED = re.compile(NNBSP + r"([;!?])" + NNBSP + r"(?=[;!?])")


def typeset(text: str) -> str:
    """Apply the French spacing and apostrophe rules to one run of prose."""
    for pattern, replacement in _RULES:
        text = pattern.sub(replacement, text)
    while True:
        joined = _DOUBLED.sub(NNBSP + r"\1", text)
        if joined == text:
            return text
        text = joined
