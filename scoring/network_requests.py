"""The requests of Mon réseau's import of contacts, history and reviews (see scoring.browser).

Each takes the JSON text of a request that carries the stored archive under ``current``, read
as :mod:`scoring.network` reads it (never guessed when unreadable), and returns plain data.
Dates come from the page: ``today`` (``AAAA-MM-JJ``, the visitor's local day), ``created`` and
``stamp`` (ISO 8601 UTC, as JavaScript's ``toISOString()`` writes them).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, Final

from scoring._errors import ErrorCollector, InvalidDataError
from scoring._french import NBSP, AnswerError, quote
from scoring.archive import parse_day, parse_moment
from scoring.contacts_import import apply_import, decode_file, duration_since, preview_import
from scoring.history import network_history
from scoring.ical import calendar
from scoring.model import is_questionnaire, load_questionnaire
from scoring.network import read_request, read_stored, stored_archive, written
from scoring.reviews import due_reviews

if TYPE_CHECKING:
    from collections.abc import Mapping
    from datetime import date, datetime

    from scoring._jsontypes import JsonValue
    from scoring.reviews import Review

__all__ = [
    "apply_contacts_import",
    "history",
    "prefill_duration",
    "preview_contacts_import",
    "reviews",
    "reviews_ics",
]

_SOURCE: Final = "request"


def _problem(message: str, path: str, fix: str = "") -> InvalidDataError:
    return InvalidDataError(_SOURCE, [AnswerError(message, path, fix=fix)])


def _day(data: Mapping[str, object], key: str) -> date:
    value = data[key]
    day = parse_day(value) if isinstance(value, str) else None
    if day is None:
        raise _problem(
            f"Date invalide{NBSP}: {quote(str(value))}", key, f"Format attendu{NBSP}: AAAA-MM-JJ."
        )
    return day


def _moment(data: Mapping[str, object], key: str) -> datetime:
    value = data[key]
    moment = parse_moment(value) if isinstance(value, str) else None
    if moment is None:
        raise _problem(
            f"Date invalide{NBSP}: {quote(str(value))}",
            key,
            f"Format attendu{NBSP}: AAAA-MM-JJTHH:MM:SSZ.",
        )
    return moment


def _flag(data: Mapping[str, object], key: str) -> bool:
    value = data[key]
    if not isinstance(value, bool):
        raise _problem(f"{quote(key)} doit valoir true ou false", key)
    return value


def preview_contacts_import(request: str) -> dict[str, Any]:
    """``{"current", "file": base64, "today"}`` → the preview (see ``ImportPreview.to_dict``)."""
    data = read_request(request, ("current", "file", "today"))
    current = stored_archive(data)
    return preview_import(current, decode_file(data["file"]), today=_day(data, "today")).to_dict()


def _picks(value: object) -> dict[int, str]:
    if not isinstance(value, list) or not value:
        raise _problem(
            "Aucune personne choisie", "picks", "Cochez au moins une personne à ajouter."
        )
    errors = ErrorCollector()
    picks: dict[int, str] = {}
    for index, pick in enumerate(value):
        line = pick.get("line") if isinstance(pick, dict) else None
        contact_id = pick.get("id") if isinstance(pick, dict) else None
        if not isinstance(line, int) or isinstance(line, bool) or not isinstance(contact_id, str):
            errors.add(
                AnswerError(
                    f"Choix mal formé{NBSP}: il faut un numéro de ligne et un identifiant",
                    f"picks[{index}]",
                )
            )
        elif line in picks:
            errors.add(AnswerError(f"Ligne {line} choisie deux fois", f"picks[{index}]"))
        else:
            picks[line] = contact_id
    errors.finalize(_SOURCE)
    return picks


def apply_contacts_import(request: str) -> dict[str, str]:
    """``{"current", "file", "today", "picks": [{"line", "id"}], "created", "keep_url",
    "keep_company"}`` → ``{"archive": new text}``."""
    data = read_request(
        request, ("current", "file", "today", "picks", "created", "keep_url", "keep_company")
    )
    current = stored_archive(data)
    archive = apply_import(
        current,
        decode_file(data["file"]),
        picks=_picks(data["picks"]),
        created=_moment(data, "created"),
        keep_url=_flag(data, "keep_url"),
        keep_company=_flag(data, "keep_company"),
        today=_day(data, "today"),
    )
    # The archive's own validator checks the new entries (ids, labels, dates) in its words.
    from scoring.archive import parse_archive  # noqa: PLC0415

    text = written(archive)["archive"]
    parse_archive(text)
    return {"archive": text}


def history(text: str | None) -> dict[str, JsonValue]:
    """The stored archive (text, "" or null) → every entry's series and the quarters' mix."""
    return network_history(read_stored(text)).to_dict()


def _reviews(data: Mapping[str, object]) -> tuple[list[Review], date]:
    return due_reviews(stored_archive(data)), _day(data, "today")


def reviews(request: str) -> dict[str, JsonValue]:
    """``{"current", "today"}`` → ``{"reviews": [...]}``, soonest first (see Review.to_dict)."""
    found, today = _reviews(read_request(request, ("current", "today")))
    return {"reviews": [review.to_dict(today) for review in found]}


def reviews_ics(request: str) -> dict[str, Any]:
    """``{"current", "today", "stamp"}`` → ``{"ics": the calendar, "events": how many}``."""
    data = read_request(request, ("current", "today", "stamp"))
    found, _ = _reviews(data)
    return {"ics": calendar(found, stamp=_moment(data, "stamp")), "events": len(found)}


def prefill_duration(request: str) -> dict[str, str | None]:
    """``{"current", "contact_id", "questionnaire", "today"}`` → ``{"duration": id or null}``:
    how long the relation with an imported person has lasted, from the day the import kept
    (see contacts_import.duration_since); null when nothing is known or the entry is unknown
    (a new contact: the form stays as it is)."""
    data = read_request(request, ("current", "contact_id", "questionnaire", "today"))
    qid = data["questionnaire"]
    if not isinstance(qid, str) or not is_questionnaire(qid):
        raise _problem(f"Questionnaire inconnu {quote(str(qid))}", "questionnaire")
    today = _day(data, "today")
    current = stored_archive(data)
    contact = next((c for c in current.contacts if c.id == data["contact_id"]), None)
    if contact is None or contact.connected_on is None:
        return {"duration": None}
    return {"duration": duration_since(load_questionnaire(qid), contact.connected_on, today)}
