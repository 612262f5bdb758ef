"""The requests of Mon réseau's import of contacts, history and reviews (see scoring.browser).

Each takes the JSON text of a request that carries the stored archive under ``current``, read
as :mod:`scoring.network` reads it (never guessed when unreadable) with the one reader of
requests (:mod:`scoring._request_reader`), and returns plain data.
Dates come from the page: ``today`` (``AAAA-MM-JJ``, the visitor's local day), ``created`` and
``stamp`` (ISO 8601 UTC, as JavaScript's ``toISOString()`` writes them).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from scoring._request_reader import Fields, show, wrong_type
from scoring.contacts_import import apply_import, decode_file, duration_since, preview_import
from scoring.history import network_history
from scoring.ical import calendar
from scoring.model import is_questionnaire, load_questionnaire
from scoring.network import read_current, read_request, stored_archive, written
from scoring.reviews import due_reviews

if TYPE_CHECKING:
    from datetime import date

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


def preview_contacts_import(request: str) -> dict[str, Any]:
    """``{"current", "file": base64, "today"}`` → the preview (see ``ImportPreview.to_dict``)."""
    fields = read_request(request, ("current", "file", "today"))
    current = stored_archive(fields)
    today = fields.day("today")
    fields.finalize()
    return preview_import(current, decode_file(fields.get("file")), today=today).to_dict()


def _picks(fields: Fields) -> dict[int, str]:
    """``[{"line": 6, "id": "c-…"}, …]``: the lines of the file to import, each once."""
    value = fields.get("picks")
    if isinstance(value, list) and not value:
        fields.add(
            "Aucune personne choisie", "picks", fix="Cochez au moins une personne à ajouter."
        )
    picks: dict[int, str] = {}
    for index, pick in enumerate(fields.sequence("picks")):
        if not isinstance(pick, dict):
            fields.errors.add(wrong_type(pick, "objet", f"picks[{index}]"))
            continue
        choice = Fields(pick, errors=fields.errors, path=f"picks[{index}]")
        choice.keys(("line", "id"))
        line, contact_id = choice.integer("line"), choice.text("id")
        if line in picks:
            fields.add(f"Ligne {line} choisie deux fois", f"picks[{index}]")
        picks[line] = contact_id
    return picks


def apply_contacts_import(request: str) -> dict[str, str]:
    """``{"current", "file", "today", "picks": [{"line", "id"}], "created", "keep_url",
    "keep_company"}`` → ``{"archive": new text}``."""
    fields = read_request(
        request, ("current", "file", "today", "picks", "created", "keep_url", "keep_company")
    )
    current = stored_archive(fields)
    picks = _picks(fields)
    created, today = fields.moment("created"), fields.day("today")
    keep_url, keep_company = fields.flag("keep_url"), fields.flag("keep_company")
    fields.finalize()
    archive = apply_import(
        current,
        decode_file(fields.get("file")),
        picks=picks,
        created=created,
        keep_url=keep_url,
        keep_company=keep_company,
        today=today,
    )
    # The archive's own validator checks the new entries (ids, labels, dates) in its words.
    from scoring.archive import parse_archive  # noqa: PLC0415

    text = written(archive)["archive"]
    parse_archive(text)
    return {"archive": text}


def history(request: str) -> dict[str, JsonValue]:
    """``{"current": text}`` → every entry's series and the quarters' mix."""
    return network_history(read_current(request)).to_dict()


def _reviews(fields: Fields) -> tuple[list[Review], date]:
    found = due_reviews(stored_archive(fields))
    today = fields.day("today")
    fields.finalize()
    return found, today


def reviews(request: str) -> dict[str, JsonValue]:
    """``{"current", "today"}`` → ``{"reviews": [...]}``, soonest first (see Review.to_dict)."""
    found, today = _reviews(read_request(request, ("current", "today")))
    return {"reviews": [review.to_dict(today) for review in found]}


def reviews_ics(request: str) -> dict[str, Any]:
    """``{"current", "today", "stamp"}`` → ``{"ics": the calendar, "events": how many}``."""
    fields = read_request(request, ("current", "today", "stamp"))
    stamp = fields.moment("stamp")
    found, _ = _reviews(fields)
    return {"ics": calendar(found, stamp=stamp), "events": len(found)}


def prefill_duration(request: str) -> dict[str, str | None]:
    """``{"current", "contact_id", "questionnaire", "today"}`` → ``{"duration": id or null}``:
    how long the relation with an imported person has lasted, from the day the import kept
    (see contacts_import.duration_since); null when nothing is known or the entry is unknown
    (a new contact: the form stays as it is)."""
    fields = read_request(request, ("current", "contact_id", "questionnaire", "today"))
    qid = fields.text("questionnaire")
    if isinstance(fields.get("questionnaire"), str) and not is_questionnaire(qid):
        fields.add(f"Questionnaire inconnu {show(qid)}", "questionnaire")
    contact_id = fields.text("contact_id")
    today = fields.day("today")
    fields.finalize()
    current = stored_archive(fields)
    contact = next((c for c in current.contacts if c.id == contact_id), None)
    if contact is None or contact.connected_on is None:
        return {"duration": None}
    return {"duration": duration_since(load_questionnaire(qid), contact.connected_on, today)}
