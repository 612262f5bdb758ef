"""When to re-evaluate each relation: the review cadence of the definitions.

Each verdict band may say ``review_after_days`` (``scoring/definitions/*.toml``, checked when
the definition is read): an entry whose latest evaluation of its own questionnaire (the give
side apart, see :mod:`scoring.overview`) has that verdict is due that many days after it. A
person brought in by an import and never evaluated, or whose evaluations the site can no
longer count (``Evaluation.ignored``: counted nowhere), is due from the day they were added.
A band without a cadence plans nothing. :func:`due_reviews` lists them all by due date (then
name), with the number of days until (negative: overdue); the page shows those due by a
horizon and :mod:`scoring.ical` exports them. Clock-free: ``today`` comes from the caller.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from typing import TYPE_CHECKING

from scoring.engine import score
from scoring.model import load_map, load_questionnaire

if TYPE_CHECKING:
    from scoring._jsontypes import JsonValue
    from scoring.archive import Archive, Contact

__all__ = ["Review", "due_reviews"]


@dataclass(frozen=True, kw_only=True, slots=True)
class Review:
    """The next review of one entry."""

    contact_id: str
    kind: str
    label: str
    due: date
    last: date | None  # the latest evaluation's day; None: never evaluated
    questionnaire: str | None = None
    verdict: str | None = None
    verdict_label: str | None = None

    def to_dict(self, today: date) -> dict[str, JsonValue]:
        """The page's JSON; ``in_days`` counts from ``today`` (negative: overdue)."""
        return {
            "contact_id": self.contact_id,
            "kind": self.kind,
            "label": self.label,
            "due": self.due.isoformat(),
            "in_days": (self.due - today).days,
            "last": None if self.last is None else self.last.isoformat(),
            "questionnaire": self.questionnaire,
            "verdict": self.verdict,
            "verdict_label": self.verdict_label,
        }


def _review(contact: Contact, give: str) -> Review | None:
    counted = [e for e in contact.evaluations if not e.ignored]
    latest = max(
        (e for e in counted if e.questionnaire != give), key=lambda e: e.date, default=None
    )
    if latest is None:
        if counted or contact.kind != "contact":
            return None  # only the give side, or an empty group: nothing to go by
        return Review(
            contact_id=contact.id,
            kind=contact.kind,
            label=contact.label,
            due=contact.created.date(),
            last=None,
        )
    questionnaire = load_questionnaire(latest.questionnaire)
    result = score(questionnaire, latest.answers, latest.context)
    band = next(b for b in questionnaire.bands if b.id == result.verdict)
    if band.review_after_days is None:
        return None
    day = latest.date.date()
    return Review(
        contact_id=contact.id,
        kind=contact.kind,
        label=contact.label,
        due=day + timedelta(days=band.review_after_days),
        last=day,
        questionnaire=questionnaire.id,
        verdict=band.id,
        verdict_label=band.label,
    )


def due_reviews(archive: Archive) -> list[Review]:
    """Every planned review, soonest first (ties: by name, then by the archive's order)."""
    give = load_map().give.questionnaire
    reviews = [r for contact in archive.contacts if (r := _review(contact, give)) is not None]
    return sorted(reviews, key=lambda r: (r.due, r.label.casefold()))
