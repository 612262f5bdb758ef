"""Mon réseau: summaries and edits of the archive the visitor keeps on their device.

The page stores the archive as the text :func:`~scoring.archive.dump_archive` writes, and asks
this module for everything else: the summary it shows (:func:`summarize`), every change
(:func:`update`), the import of a file (:func:`import_preview`, :func:`import_apply`) and the
table export (:func:`export_csv`). JavaScript only stores text, draws ids and dates, and renders.
Every function is deterministic: dates come from the caller, and ``now`` serves only the
archive's "date in the future" check (the current UTC time when not given).

Stored text. ``""``, whitespace only, ``"null"`` (and ``None``, the JSON ``null`` of a request)
mean that nothing is stored yet: an empty archive. Anything else must be a valid archive.

Requests (:func:`update`, :func:`import_preview`, :func:`import_apply`) are JSON objects that
carry the stored text under ``current`` (required, so that a forgotten key can never turn into
"nothing stored" and overwrite the visitor's data). Error paths point into the request:

- a stored text that cannot be read gives first one error at ``current`` ("Les données
  enregistrées sur cet appareil sont illisibles"), then the archive's own errors with their
  paths under ``current`` (``current.contacts[0].label``); nothing is ever written over it;
- ``record``: the evaluation's problems are under ``evaluation`` (``evaluation.answers.foo``,
  ``evaluation.date``), the new contact's under ``contact.id`` and ``contact.label``, its
  creation date under ``created``; too many contacts at ``contact``, too many evaluations for
  this contact at ``evaluation``;
- ``rename``: ``label``; the ids named by a request: ``contact_id``, ``evaluation_id``;
- an archive that would exceed :data:`~scoring.archive.MAX_ARCHIVE_BYTES`: no path.

The incoming file of an import keeps the paths the archive gives (``contacts[0].label``).
"""

from __future__ import annotations

import dataclasses
import io
import json
import unicodedata
from typing import TYPE_CHECKING, Any, Final

from scoring._errors import InvalidDataError
from scoring._french import NBSP, AnswerError, grouped, quote
from scoring._request_reader import SOURCE, Fields, show
from scoring.archive import (
    MAX_ARCHIVE_BYTES,
    MAX_CONTACTS,
    MAX_EVALUATIONS_PER_CONTACT,
    NEWER_VERSION,
    Archive,
    Contact,
    Evaluation,
    check_evaluation,
    check_id,
    check_kind,
    check_label,
    check_moment,
    dump_archive,
    format_date,
    merge,
    merge_preview,
    parse_archive,
)
from scoring.engine import score
from scoring.model import SUBJECTS, load_map, load_questionnaire

if TYPE_CHECKING:
    from collections.abc import Mapping, Sequence
    from datetime import datetime

__all__ = [
    "CSV_HEADERS",
    "OPS",
    "export_csv",
    "import_apply",
    "import_preview",
    "read_current",
    "read_request",
    "read_stored",
    "stored_archive",
    "summarize",
    "update",
    "written",
]

# The questionnaires whose bands the overview counts: people's, and groups'.
NETWORK_QUESTIONNAIRE: Final = "contact"
GROUP_QUESTIONNAIRE: Final = "groupe"
CSV_HEADERS: Final = (
    "Nom",
    "Type",
    "Dernière évaluation",
    "Verdict",
    "Bilan",
    "Ce que vous donnez",
    "Carte gagnant-gagnant",
    "Heures par mois",
    "Évaluations",
)
_KIND_LABELS: Final = {"contact": "Contact", "groupe": "Groupe", "soi": "Vous"}
# Rule 6: the share of the recorded time that goes to helping others, below which (or above
# which) the time is not balanced. A third either way leaves room for every way of working.
HELP_SHARE_LOW: Final = 1 / 3
HELP_SHARE_HIGH: Final = 2 / 3
_BALANCE_MESSAGES: Final = {
    "peu-d-aide": "Vous passez bien plus de temps sur vos propres questions qu’à aider vos "
    f"contacts{NBSP}: pensez à rendre ce que vous recevez.",
    "trop-d-aide": "Vous passez bien plus de temps à aider vos contacts que sur vos propres "
    f"questions{NBSP}: gardez-en pour vos recherches.",
    "equilibre": "Votre temps est équilibré entre vos propres questions et l’aide que vous "
    "apportez.",
}
# Bidi classes of right-to-left letters and numbers and of the explicit controls (UAX #9).
_BIDI_RISKS: Final = frozenset(
    {"R", "AL", "AN", "LRE", "LRO", "RLE", "RLO", "PDF", "LRI", "RLI", "FSI", "PDI"}
)
# What a spreadsheet would read as the start of a formula (OWASP, "CSV injection").
_FORMULA_STARTS: Final = ("=", "+", "-", "@", "\t", "\r")

# The keys of each request; the first ones of each tuple are required.
OPS: Final[Mapping[str, tuple[tuple[str, ...], tuple[str, ...]]]] = {
    "record": (("current", "op", "contact", "evaluation"), ("created",)),
    "rename": (("current", "op", "contact_id", "label"), ()),
    "delete-evaluation": (("current", "op", "contact_id", "evaluation_id"), ()),
    "delete-contact": (("current", "op", "contact_id"), ()),
}
_IMPORT_KEYS: Final = ("current", "incoming")
_APPLY_KEYS: Final = ("current", "incoming", "mode")
_MODES: Final = ("merge", "replace")
_CONTACT_KEYS: Final = ("id", "label", "kind")


# --- The stored archive ---------------------------------------------------------------------


def read_stored(text: str | None, *, now: datetime | None = None) -> Archive:
    """The archive stored on the device (empty when nothing is); ``InvalidDataError`` if corrupt.

    Local damage stays local: an evaluation the site can no longer count is kept and marked,
    an entry that cannot be read is set aside as it is (see ``validate_archive``); only an
    unreadable top level makes the whole archive corrupt.
    """
    if text is None or text.strip() in {"", "null"}:
        return Archive()
    return parse_archive(text, now=now, keep_odd=True, set_aside=True)


# --- The overview -----------------------------------------------------------------------------


def _evaluation_summary(evaluation: Evaluation) -> dict[str, Any]:
    result = score(
        load_questionnaire(evaluation.questionnaire), evaluation.answers, evaluation.context
    )
    return {
        "id": evaluation.id,
        "date": format_date(evaluation.date),
        "questionnaire": evaluation.questionnaire,
        "verdict": result.verdict,
        "verdict_label": result.verdict_label,
        "score": result.score,
        "score_min": result.score_min,
        "score_max": result.score_max,
        "provisional": result.provisional,
        "coverage": result.coverage,
        "minutes": evaluation.minutes,
    }


def _latest_with_trend(
    evaluations: Sequence[dict[str, Any]],
) -> tuple[dict[str, Any] | None, int | None]:
    """The last of ``evaluations`` (one questionnaire's, by date) and its change of score."""
    if not evaluations:
        return None, None
    latest = evaluations[-1]
    trend = latest["score"] - evaluations[-2]["score"] if len(evaluations) > 1 else None
    return latest, trend


def _contact_summary(contact: Contact, give: str) -> dict[str, Any]:
    ordered = sorted(contact.evaluations, key=lambda evaluation: evaluation.date)  # stable
    evaluations = [_evaluation_summary(e) for e in ordered if not e.ignored]
    # The entry's own verdict: its latest evaluation but the give side, which is another scale
    # (what the visitor gives, not what they receive). A trend compares one questionnaire only.
    main = [e for e in evaluations if e["questionnaire"] != give]
    if main:
        main = [e for e in main if e["questionnaire"] == main[-1]["questionnaire"]]
    latest, trend = _latest_with_trend(main)
    given, give_trend = _latest_with_trend([e for e in evaluations if e["questionnaire"] == give])
    return {
        "id": contact.id,
        "kind": contact.kind,
        "label": contact.label,
        "created": format_date(contact.created),
        "evaluations": evaluations,
        "latest": latest,
        "trend": trend,
        "give": given,
        "give_trend": give_trend,
        "quadrant": None,
        # Kept but not counted anywhere (a date ahead, a criterion the site no longer has…).
        "ignored": [
            {
                "id": e.id,
                "date": format_date(e.date),
                "questionnaire": e.questionnaire,
                "status": "ignorée",
                "reason": e.ignored,
            }
            for e in ordered
            if e.ignored
        ],
    }


def _set_aside(archive: Archive) -> dict[str, Any]:
    """The entries that could not be read: how many, why, and their text to download."""
    labels = {
        id(entry): contact.label for contact in archive.contacts for entry in contact.set_aside
    }
    entries = archive.all_set_aside()
    described = []
    for entry in entries:
        label = labels.get(id(entry))
        if label is None and isinstance(entry.data, dict):
            found = entry.data.get("label")
            label = found if isinstance(found, str) else None
        described.append(
            {
                "kind": "evaluation" if id(entry) in labels else "contact",
                "label": label,
                "reason": entry.reason,
                "where": entry.where,
            }
        )
    data = [entry.data for entry in entries]
    return {
        "count": len(entries),
        "entries": described,
        "text": json.dumps(data, ensure_ascii=False, indent=2) + "\n" if entries else "",
    }


def _band_counts(questionnaire_id: str, contacts: Sequence[dict[str, Any]]) -> list[dict[str, Any]]:
    """The bands of a questionnaire, most favourable first, with how many entries' latest
    verdict falls in each."""
    verdicts = [
        c["latest"]["verdict"]
        for c in contacts
        if c["latest"] is not None and c["latest"]["questionnaire"] == questionnaire_id
    ]
    return [
        {"id": band.id, "label": band.label, "count": verdicts.count(band.id)}
        for band in load_questionnaire(questionnaire_id).bands
    ]


def _win_win(contacts: Sequence[dict[str, Any]]) -> dict[str, Any]:
    """Place each person with both sides evaluated on the map (sets their ``quadrant``)."""
    carte = load_map()
    placed: dict[str, list[str]] = {q.id: [] for q in carte.quadrants}
    for contact in contacts:
        latest, given = contact["latest"], contact["give"]
        if contact["kind"] != "contact" or latest is None or given is None:
            continue
        if latest["questionnaire"] != carte.receive.questionnaire:
            continue
        quadrant = carte.quadrant(receive_score=latest["score"], give_score=given["score"])
        contact["quadrant"] = quadrant.id
        placed[quadrant.id].append(contact["id"])
    data = carte.to_dict()
    for side in (carte.receive, carte.give):
        questionnaire = load_questionnaire(side.questionnaire)
        key = "receive" if side is carte.receive else "give"
        data[key] |= {"score_min": questionnaire.score_min, "score_max": questionnaire.score_max}
    for quadrant in data["quadrants"]:
        quadrant["contacts"] = placed[quadrant["id"]]
    return data


def _time_balance(contacts: Sequence[dict[str, Any]], give: str) -> dict[str, Any]:
    """Rule 6: the time spent on one's own questions and on helping others, per month.

    Each relation counts with the minutes of its latest evaluation of each side (an older
    figure is out of date); the crible's minutes are time on one's own questions, the give
    side's are time spent helping, a group's are time spent in it.
    """
    own = help_ = groups = 0
    recorded = False
    costly: list[tuple[int, str]] = []
    group_bands = load_questionnaire(GROUP_QUESTIONNAIRE).bands
    for contact in contacts:
        for evaluation in (contact["latest"], contact["give"]):
            if evaluation is None or evaluation["minutes"] is None:
                continue
            recorded = True
            minutes = evaluation["minutes"]
            if evaluation["questionnaire"] == give:
                help_ += minutes
            elif contact["kind"] == "groupe":
                groups += minutes
            elif contact["kind"] == "contact":
                own += minutes
        latest = contact["latest"]
        if (
            contact["kind"] == "groupe"
            and latest is not None
            and latest["questionnaire"] == GROUP_QUESTIONNAIRE
            and latest["verdict"] != group_bands[0].id
        ):
            costly.append((latest["minutes"] or 0, contact["id"]))
    share = help_ / (own + help_) if own + help_ else None
    balance = None
    if share is not None:
        balance = (
            "peu-d-aide"
            if share < HELP_SHARE_LOW
            else "trop-d-aide"
            if share > HELP_SHARE_HIGH
            else "equilibre"
        )
    return {
        "recorded": recorded,
        "own": own,
        "help": help_,
        "groups": groups,
        "help_share": share,
        "balance": balance,
        "message": None if balance is None else _BALANCE_MESSAGES[balance],
        "rules": [6],
        # Most minutes first; the archive's order among equals (sorted() is stable).
        "costly_groups": [
            contact_id for _, contact_id in sorted(costly, key=lambda pair: -pair[0])
        ],
    }


def summarize(archive: Archive) -> dict[str, Any]:
    """The overview of the network: every entry with its scored evaluations, the bands, the
    win-win map and the time balance.

    Entries (people, groups, the visitor: ``kind``) keep the archive's order; an entry's
    evaluations are sorted by date (stable). ``latest`` is the latest evaluation of the
    entry's own questionnaire (anything but the map's give side), ``give`` the latest of the
    give side; each ``trend`` is the score's change since the evaluation before it with the
    same questionnaire, or ``None``. ``bands`` are those of the "contact" questionnaire, most
    favourable first, each with the number of people whose latest evaluation has that verdict;
    ``group_bands`` the same for groups. ``map`` is the win-win map with the people placed on
    it (``quadrant`` of each person evaluated on both sides); ``time`` is rule 6's balance.

    Each entry's ``ignored`` lists the evaluations kept but counted nowhere, with their
    ``reason`` (French); ``ignored`` at the top counts them. ``set_aside`` says how many
    stored entries could not be read (``count``), each with its ``reason``, the ``label`` of
    its contact when known and its ``kind`` (``contact`` or ``evaluation``), and gives their
    JSON ``text``, for the visitor to download.
    """
    give = load_map().give.questionnaire
    contacts = [_contact_summary(contact, give) for contact in archive.contacts]
    people = [c for c in contacts if c["kind"] == "contact"]
    return {
        "contacts": contacts,
        "bands": _band_counts(NETWORK_QUESTIONNAIRE, people),
        "group_bands": _band_counts(
            GROUP_QUESTIONNAIRE, [c for c in contacts if c["kind"] == "groupe"]
        ),
        "evaluated": sum(1 for contact in people if contact["latest"] is not None),
        "total": len(contacts),
        "counts": {kind: sum(1 for c in contacts if c["kind"] == kind) for kind in SUBJECTS},
        "map": _win_win(contacts),
        "time": _time_balance(contacts, give),
        "ignored": sum(len(c["ignored"]) for c in contacts),
        "set_aside": _set_aside(archive),
    }


# --- Requests ---------------------------------------------------------------------------------
# Read by the one reader of requests (scoring._request_reader): its messages, its key paths.


def _problem(message: str, path: str = "", fix: str = "") -> InvalidDataError:
    return InvalidDataError(SOURCE, [AnswerError(message, path, fix=fix)])


def read_request(text: object, required: Sequence[str], optional: Sequence[str] = ()) -> Fields:
    """A request's JSON object, with exactly the ``required`` keys and some ``optional`` ones
    (``InvalidDataError`` otherwise)."""
    fields = Fields.read(text)
    fields.keys(required, optional)
    fields.finalize()
    return fields


def read_current(request: object, *, now: datetime | None = None) -> Archive:
    """The stored archive of a request that only reads it (``{"current": text}``): the
    archive's own errors, under ``current`` (the page says itself that it cannot read it)."""
    fields = read_request(request, ("current",))
    text = fields.optional_text("current")
    fields.finalize()
    try:
        return read_stored(text, now=now)
    except InvalidDataError as group:
        raise InvalidDataError(SOURCE, [e.under("current") for e in group.errors]) from None


def stored_archive(fields: Fields, now: datetime | None = None) -> Archive:
    """The stored archive under ``current`` of a request that changes it; never guessed when
    it cannot be read (nothing is ever written over it)."""
    value = fields.optional_text("current")
    fields.finalize()
    try:
        return read_stored(value, now=now)
    except InvalidDataError as group:
        if any(error.code == NEWER_VERSION for error in group.errors):
            newer = AnswerError(
                "Une version plus récente du site a enregistré ces données",
                "current",
                fix="Rien n’a été modifié. Rechargez la page pour passer à cette version.",
                code=NEWER_VERSION,
            )
            raise InvalidDataError(SOURCE, [newer]) from None
        unreadable = AnswerError(
            "Les données enregistrées sur cet appareil sont illisibles",
            "current",
            fix="Rien n’a été modifié. Téléchargez ces données telles quelles pour les garder, "
            "puis effacez-les pour repartir de zéro.",
        )
        raise InvalidDataError(
            SOURCE, [unreadable, *(error.under("current") for error in group.errors)]
        ) from None


def _contact_index(archive: Archive, fields: Fields) -> int:
    contact_id = fields.text("contact_id")
    fields.finalize()
    for index, contact in enumerate(archive.contacts):
        if contact.id == contact_id:
            return index
    raise _problem(
        f"Contact introuvable{NBSP}: {show(contact_id)}",
        "contact_id",
        fix=f"Rechargez la page{NBSP}: ce contact a peut-être été supprimé entre-temps.",
    )


def _put(current: Archive, index: int, contact: Contact) -> Archive:
    """``current`` with ``contact`` at ``index`` (in place, or appended)."""
    contacts = current.contacts
    return dataclasses.replace(
        current, contacts=(*contacts[:index], contact, *contacts[index + 1 :])
    )


def _record(current: Archive, fields: Fields, now: datetime | None) -> Archive:
    record = fields.record("contact")
    fields.finalize()  # a contact that is no object: nothing else can be matched
    record.keys((), _CONTACT_KEYS)
    contact = record.data
    evaluation = fields.get("evaluation")
    evaluation_id = evaluation.get("id") if isinstance(evaluation, dict) else None
    if any(e.id == evaluation_id for c in current.contacts for e in c.evaluations):
        raise _problem(
            f"Identifiant d’évaluation déjà utilisé{NBSP}: {show(str(evaluation_id))}",
            "evaluation.id",
            fix=f"Cette évaluation est peut-être déjà enregistrée{NBSP}: rechargez la page.",
        )
    contact_id = contact.get("id")
    index = next((i for i, c in enumerate(current.contacts) if c.id == contact_id), None)
    kind = contact.get("kind", "contact")
    if index is not None and kind != current.contacts[index].kind:
        raise _problem(
            f"Ce contact est déjà enregistré avec un autre type{NBSP}: "
            f"{quote(current.contacts[index].kind)}",
            "contact.kind",
            fix=f"Rechargez la page{NBSP}: elle ne correspond plus aux données enregistrées.",
        )
    if kind == "soi" and index is None:
        existing = next((c for c in current.contacts if c.kind == "soi"), None)
        if existing is not None:
            raise _problem(
                f"Votre apport au réseau est déjà enregistré sous un autre identifiant{NBSP}: "
                f"{show(existing.id)}",
                "contact.id",
                fix=f"Rechargez la page{NBSP}: l’évaluation y sera ajoutée.",
            )
    if index is not None:  # an existing contact keeps its label and creation date
        existing = current.contacts[index]
        count = len(existing.evaluations) + len(existing.set_aside)
        if count >= MAX_EVALUATIONS_PER_CONTACT:
            fields.add(
                f"Trop d’évaluations pour ce contact{NBSP}: {grouped(count + 1)} "
                f"(maximum{NBSP}: {grouped(MAX_EVALUATIONS_PER_CONTACT)})",
                "evaluation",
            )
        # Only the new evaluation is checked: what is stored was read a moment ago, and may
        # hold entries kept as they are (see read_stored).
        checked = _evaluation(fields, existing.kind, now)
        fields.finalize()
        assert checked is not None  # noqa: S101 - finalize() passed
        edited = dataclasses.replace(existing, evaluations=(*existing.evaluations, checked))
        return _put(current, index, edited)
    if len(current.contacts) >= MAX_CONTACTS:
        raise _problem(
            f"Trop de contacts{NBSP}: {grouped(MAX_CONTACTS + 1)} "
            f"(maximum{NBSP}: {grouped(MAX_CONTACTS)})",
            "contact",
            fix="Supprimez les contacts dont vous n’avez plus besoin.",
        )
    return _put(current, len(current.contacts), _new_contact(fields, record, now))


def _evaluation(fields: Fields, kind: str, now: datetime | None) -> Evaluation | None:
    """The request's new evaluation, checked by the archive for an entry of ``kind`` (its
    problems under ``evaluation``); None when refused."""
    return fields.field(
        "evaluation", lambda value: check_evaluation(value, kind=kind, now=now), None
    )


def _new_contact(fields: Fields, record: Fields, now: datetime | None) -> Contact:
    """A new entry: ``contact`` (id, label, kind), ``created`` and its first evaluation,
    each checked by the archive in its words, where the request holds it."""
    if "created" not in fields.data:
        fields.add(f"Clé obligatoire manquante {show('created')}", "created")
    for key in ("id", "label"):
        if key not in record.data:
            record.add(f"Clé obligatoire manquante {show(key)}", key)
    contact_id = record.field("id", check_id, "")
    label = record.field("label", check_label, "")
    kind = record.field("kind", check_kind, "") if "kind" in record.data else "contact"
    created = fields.field("created", lambda value: check_moment(value, now=now), None)
    evaluation = _evaluation(fields, kind, now)
    fields.finalize()
    assert created is not None  # noqa: S101 - finalize() passed
    assert evaluation is not None  # noqa: S101
    return Contact(
        id=contact_id, label=label, kind=kind, created=created, evaluations=(evaluation,)
    )


def _rename(current: Archive, fields: Fields, _: datetime | None) -> Archive:
    index = _contact_index(current, fields)
    label = fields.field("label", check_label, "")
    fields.finalize()
    return _put(current, index, dataclasses.replace(current.contacts[index], label=label))


def _delete_evaluation(current: Archive, fields: Fields, _: datetime | None) -> Archive:
    index = _contact_index(current, fields)
    evaluation_id = fields.text("evaluation_id")
    fields.finalize()
    contact = current.contacts[index]
    kept = tuple(e for e in contact.evaluations if e.id != evaluation_id)
    if len(kept) == len(contact.evaluations):
        raise _problem(
            f"Évaluation introuvable{NBSP}: {show(evaluation_id)}",
            "evaluation_id",
            fix=f"Rechargez la page{NBSP}: cette évaluation a peut-être été supprimée entre-temps.",
        )
    contacts = list(current.contacts)
    contacts[index] = dataclasses.replace(contact, evaluations=kept)
    return dataclasses.replace(current, contacts=tuple(contacts))


def _delete_contact(current: Archive, fields: Fields, _: datetime | None) -> Archive:
    index = _contact_index(current, fields)
    contacts = current.contacts[:index] + current.contacts[index + 1 :]
    return dataclasses.replace(current, contacts=contacts)


_APPLY: Final = {
    "record": _record,
    "rename": _rename,
    "delete-evaluation": _delete_evaluation,
    "delete-contact": _delete_contact,
}


def _dumped(archive: Archive) -> dict[str, str]:
    text = dump_archive(archive)
    size = len(text.encode("utf-8", "surrogatepass"))
    if size > MAX_ARCHIVE_BYTES:
        raise _problem(
            f"L’archive deviendrait trop volumineuse{NBSP}: {grouped(size)} octets "
            f"(maximum{NBSP}: {grouped(MAX_ARCHIVE_BYTES)})",
            fix="Exportez vos données, puis supprimez des évaluations anciennes.",
        )
    return {"archive": text}


def update(request: str, *, now: datetime | None = None) -> dict[str, str]:
    """Apply one change (``op``) to the stored archive: ``{"archive": <new text>}``."""
    fields = Fields.read(request)
    known = ", ".join(map(quote, OPS))
    op = fields.choice(
        "op",
        tuple(OPS),
        unknown="Opération inconnue",
        missing="Opération manquante",
        fix=f"Opérations permises{NBSP}: {known}.",
    )
    fields.finalize()  # the keys of a request depend on its op
    fields.keys(*OPS[op])
    fields.finalize()
    current = stored_archive(fields, now)
    return _dumped(_APPLY[op](current, fields, now))


def written(archive: Archive) -> dict[str, str]:
    """``{"archive": text}``, refused when it would exceed the archive's size limit (for the
    other modules that change the stored archive: scoring.network_requests)."""
    return _dumped(archive)


# --- Import -----------------------------------------------------------------------------------


def _import(fields: Fields, now: datetime | None) -> tuple[Archive, Archive]:
    current = stored_archive(fields, now)
    incoming = fields.text("incoming")
    fields.finalize()
    # A file's odd evaluations are kept and marked as the stored ones are; a broken entry
    # refuses the file, with every problem named (the visitor chose this file).
    return current, parse_archive(incoming, now=now, keep_odd=True)


def import_preview(request: str, *, now: datetime | None = None) -> dict[str, Any]:
    """What importing ``incoming`` would change (see :meth:`scoring.archive.Preview.to_dict`),
    with the number of contacts and evaluations the file holds."""
    current, incoming = _import(read_request(request, _IMPORT_KEYS), now)
    return {
        **merge_preview(current, incoming).to_dict(),
        "incoming_contacts": len(incoming.contacts),
        "incoming_evaluations": sum(len(contact.evaluations) for contact in incoming.contacts),
    }


def import_apply(request: str, *, now: datetime | None = None) -> dict[str, str]:
    """``mode`` "merge": the union, the stored version winning conflicts; "replace": the file."""
    fields = read_request(request, _APPLY_KEYS)
    mode = fields.choice(
        "mode",
        _MODES,
        unknown="Mode d’import inconnu",
        missing="Mode d’import manquant",
        fix=f"Choisissez {quote('merge')} ou {quote('replace')}.",
    )
    fields.finalize()
    current, incoming = _import(fields, now)
    return _dumped(incoming if mode == "replace" else merge(current, incoming))


# --- Export for a spreadsheet -----------------------------------------------------------------


def _cell(text: str) -> str:
    """A text cell that no spreadsheet will run as a formula."""
    return "'" + text if text.startswith(_FORMULA_STARTS) else text


def _label_cell(label: str) -> str:
    """A label's cell, isolated (U+2068 … U+2069) when it holds right-to-left text or a bidi
    control: opened as text, the file would otherwise let it reorder the cells after it.

    Other labels stay as typed: invisible isolates in every cell would break a search or a
    formula (``=A2="Lambda"``) in the spreadsheet, where each cell is laid out alone anyway.
    """
    cell = _cell(label)
    if any(unicodedata.bidirectional(char) in _BIDI_RISKS for char in label):
        return f"\u2068{cell}\u2069"
    return cell


def _hours(minutes: int | None) -> str:
    """Minutes as hours the French way: ``1,5``; empty when not recorded."""
    if minutes is None:
        return ""
    return f"{minutes / 60:.2f}".rstrip("0").rstrip(".").replace(".", ",")


def _verdict(summary: dict[str, Any] | None) -> str:
    if summary is None:
        return ""
    label: str = summary["verdict_label"]
    return label + (" (provisoire)" if summary["provisional"] else "")


def export_csv(archive: Archive) -> str:
    """One row per entry, as French spreadsheets read it: ``;`` between cells, a byte-order
    mark first (so that Excel reads UTF-8), CRLF line ends, quotes where needed.

    The name, the type (Contact, Groupe, Vous), the latest evaluation's UTC date
    (``AAAA-MM-JJ``), verdict (``(provisoire)`` when it is) and score (a plain number, ``-4``),
    the give side's verdict, the quadrant of the win-win map, the hours per month recorded
    with the latest evaluation (``1,5``) and the number of evaluations; empty cells for what
    is not known.
    """
    import csv  # noqa: PLC0415 - only the export needs it

    summary = summarize(archive)
    quadrants = {q["id"]: q["label"] for q in summary["map"]["quadrants"]}
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=";", lineterminator="\r\n")
    writer.writerow(CSV_HEADERS)
    for contact in summary["contacts"]:
        latest = contact["latest"]
        writer.writerow(
            [
                _label_cell(contact["label"]),
                _KIND_LABELS[contact["kind"]],
                "" if latest is None else latest["date"][:10],
                _cell(_verdict(latest)),
                "" if latest is None else latest["score"],
                _cell(_verdict(contact["give"])),
                quadrants.get(contact["quadrant"], ""),
                _hours(None if latest is None else latest["minutes"]),
                len(contact["evaluations"]) + len(contact["ignored"]),  # every one kept
            ]
        )
    return "\ufeff" + buffer.getvalue()
