"""The next review dates as an iCalendar file (RFC 5545) that any calendar imports.

One ``VEVENT`` per planned review (:func:`scoring.reviews.due_reviews`): an all-day event on
the due day (``DTSTART;VALUE=DATE``; an overdue review keeps its day, in the past, so that its
``UID`` stays the same), summed up « Revoir <nom> ». Nothing else of the visitor's goes in:
no answer, no verdict, no URL, no company. ``UID`` is the entry's id and the due day (ids are
random, not personal), so that importing a newer file updates the same events; ``DTSTAMP`` is
the time the caller gives. Text is escaped (``\\``, ``;``, ``,``, newlines), lines are folded
at 75 octets without splitting a UTF-8 character, and end with CRLF, as section 3.1 asks.
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import TYPE_CHECKING, Final

if TYPE_CHECKING:
    from collections.abc import Iterable, Sequence

    from scoring.reviews import Review

__all__ = ["PRODID", "calendar", "escape_text", "fold"]

PRODID: Final = "-//Crible//Revues du réseau//FR"
_FOLD_OCTETS: Final = 75


def escape_text(text: str) -> str:
    """A TEXT value (RFC 5545, 3.3.11): backslash, semicolon, comma and newlines escaped."""
    text = text.replace("\\", "\\\\").replace(";", "\\;").replace(",", "\\,")
    return text.replace("\r\n", "\\n").replace("\n", "\\n").replace("\r", "\\n")


def fold(line: str) -> str:
    """One content line folded at 75 octets (3.1): CRLF and a space before each continuation,
    never inside a UTF-8 sequence."""
    parts: list[str] = []
    current = ""
    size = 0
    limit = _FOLD_OCTETS
    for char in line:
        width = len(char.encode("utf-8"))
        if size + width > limit:
            parts.append(current)
            current, size = "", 0
            limit = _FOLD_OCTETS - 1  # the leading space of a continuation counts
        current += char
        size += width
    parts.append(current)
    return "\r\n ".join(parts)


def _summary(review: Review) -> str:
    if review.kind == "soi":
        return "Refaire le point sur votre apport au réseau"
    if review.kind == "groupe":
        return f"Revoir le groupe {review.label}"
    return f"Revoir {review.label}"


def _event(review: Review, stamp: str) -> Iterable[str]:
    day = review.due.strftime("%Y%m%d")
    yield "BEGIN:VEVENT"
    yield f"UID:{review.contact_id}-{day}@crible"
    yield f"DTSTAMP:{stamp}"
    yield f"DTSTART;VALUE=DATE:{day}"
    yield f"SUMMARY:{escape_text(_summary(review))}"
    yield "TRANSP:TRANSPARENT"
    yield "END:VEVENT"


def calendar(reviews: Sequence[Review], *, stamp: datetime) -> str:
    """The iCalendar text of ``reviews`` (``stamp``: when the file is made, aware)."""
    stamped = stamp.astimezone(UTC).strftime("%Y%m%dT%H%M%SZ")
    lines = [
        "BEGIN:VCALENDAR",
        "VERSION:2.0",
        f"PRODID:{PRODID}",
        "CALSCALE:GREGORIAN",
        "METHOD:PUBLISH",
        f"X-WR-CALNAME:{escape_text('Revues du réseau (crible)')}",
    ]
    for review in reviews:
        lines.extend(_event(review, stamped))
    lines.append("END:VCALENDAR")
    return "".join(fold(line) + "\r\n" for line in lines)
