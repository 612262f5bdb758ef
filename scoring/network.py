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
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any, Final

from scoring._errors import ErrorCollector, InvalidDataError, ValidationError
from scoring._french import NBSP, NNBSP, AnswerError, quote
from scoring._json import LimitError, Limits, loads
from scoring.archive import (
    ARCHIVE_FORMAT,
    CURRENT_VERSION,
    MAX_ARCHIVE_BYTES,
    MAX_CONTACTS,
    MAX_EVALUATIONS_PER_CONTACT,
    NEWER_VERSION,
    Archive,
    Contact,
    Evaluation,
    _JsonObject,
    _show,
    _type_name,
    _Validator,
    dump_archive,
    format_date,
    merge,
    merge_preview,
    parse_archive,
    validate_archive,
)
from scoring.engine import score
from scoring.model import load_map, load_questionnaire, subject_ids

if TYPE_CHECKING:
    from collections.abc import Mapping, Sequence

__all__ = [
    "CSV_HEADERS",
    "OPS",
    "export_csv",
    "import_apply",
    "import_preview",
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
_SOURCE: Final = "request"
# A request carries at most two archives as JSON strings (escaping can double their size), and
# nests {request: {evaluation: {answers: …}}}: 3 levels (archives travel as strings).
_REQUEST_LIMITS: Final = Limits(max_bytes=4 * MAX_ARCHIVE_BYTES + 100_000, max_depth=8)


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
        "counts": {kind: sum(1 for c in contacts if c["kind"] == kind) for kind in subject_ids()},
        "map": _win_win(contacts),
        "time": _time_balance(contacts, give),
        "ignored": sum(len(c["ignored"]) for c in contacts),
        "set_aside": _set_aside(archive),
    }


# --- Requests ---------------------------------------------------------------------------------


def _problem(message: str, path: str = "", fix: str = "") -> InvalidDataError:
    return InvalidDataError(_SOURCE, [AnswerError(message, path, fix=fix)])


def _wrong_type(value: object, expected: str, path: str) -> InvalidDataError:
    return _problem(f"Type inattendu{NBSP}: {_type_name(value)} (attendu{NBSP}: {expected})", path)


def _load_request(text: object) -> Mapping[str, object]:
    if not isinstance(text, str):
        raise _wrong_type(text, "texte", "")
    try:
        data = loads(text, _REQUEST_LIMITS, object_pairs_hook=_JsonObject)
    except LimitError as error:
        raise _problem(error.sentence("Requête")) from None
    except ValueError:
        raise _problem("La requête n’est pas un JSON valide") from None
    if not isinstance(data, dict):
        raise _wrong_type(data, "objet", "")
    return data


def _check_keys(
    data: Mapping[str, object], required: Sequence[str], optional: Sequence[str] = ()
) -> None:
    errors = ErrorCollector()
    _Validator.keys(errors, data, (*required, *optional), required)
    errors.finalize(_SOURCE)


def _current(data: Mapping[str, object], now: datetime | None) -> Archive:
    """The stored archive a request carries; never guessed when it cannot be read."""
    value = data["current"]
    if value is not None and not isinstance(value, str):
        raise _wrong_type(value, "texte ou null", "current")
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
            raise InvalidDataError(_SOURCE, [newer]) from None
        unreadable = AnswerError(
            "Les données enregistrées sur cet appareil sont illisibles",
            "current",
            fix="Rien n’a été modifié. Téléchargez ces données telles quelles pour les garder, "
            "puis effacez-les pour repartir de zéro.",
        )
        raise InvalidDataError(
            _SOURCE, [unreadable, *(error.under("current") for error in group.errors)]
        ) from None


def _text_field(data: Mapping[str, object], key: str) -> str:
    value = data[key]
    if not isinstance(value, str):
        raise _wrong_type(value, "texte", key)
    return value


def _contact_index(archive: Archive, data: Mapping[str, object]) -> int:
    contact_id = _text_field(data, "contact_id")
    for index, contact in enumerate(archive.contacts):
        if contact.id == contact_id:
            return index
    raise _problem(
        f"Contact introuvable{NBSP}: {_show(contact_id)}",
        "contact_id",
        fix=f"Rechargez la page{NBSP}: ce contact a peut-être été supprimé entre-temps.",
    )


def _moved(error: ValidationError, places: Sequence[tuple[str, str]]) -> AnswerError:
    """An error of the new archive, located in the request (``places``: archive → request).

    A place is a record (``contacts[2]``: what is under it moves too) or a list
    (``contacts``: only the list itself, not its items).
    """
    path = error.path
    for prefix, target in places:
        under = (prefix + ".", prefix + "[") if prefix.endswith("]") else (prefix + ".",)
        if path == prefix or path.startswith(under):
            return AnswerError(error.message, target + path[len(prefix) :], fix=error.fix)
    return AnswerError(error.message, "", fix=error.fix)


def _checked(
    data: dict[str, Any],
    places: Sequence[tuple[str, str]],
    now: datetime | None,
    problems: Sequence[ValidationError] = (),
) -> Contact:
    """The contact ``data`` (a new or edited ``Contact.to_dict()``), checked alone.

    The archive's own validator checks it, in its words (the rest of the archive was read a
    moment ago; the caller made sure that its ids are not used elsewhere). ``places`` locate
    its errors in the request (see :func:`_moved`); ``problems`` found in the request
    beforehand are reported first.
    """
    alone = {"format": ARCHIVE_FORMAT, "version": CURRENT_VERSION, "contacts": [data]}
    try:
        (contact,) = validate_archive(alone, now=now).contacts
    except InvalidDataError as group:
        moved = [_moved(error, places) for error in group.errors]
        raise InvalidDataError(_SOURCE, [*problems, *moved]) from None
    if problems:
        raise InvalidDataError(_SOURCE, problems)
    return contact


def _put(current: Archive, index: int, contact: Contact) -> Archive:
    """``current`` with ``contact`` at ``index`` (in place, or appended)."""
    contacts = current.contacts
    return dataclasses.replace(
        current, contacts=(*contacts[:index], contact, *contacts[index + 1 :])
    )


def _record(current: Archive, data: Mapping[str, object], now: datetime | None) -> Archive:
    contact = data["contact"]
    if not isinstance(contact, dict):
        raise _wrong_type(contact, "objet", "contact")
    problems = ErrorCollector()
    with problems.collect("contact"):
        _check_keys(contact, (), _CONTACT_KEYS)
    evaluation = data["evaluation"]
    evaluation_id = evaluation.get("id") if isinstance(evaluation, dict) else None
    if any(e.id == evaluation_id for c in current.contacts for e in c.evaluations):
        raise _problem(
            f"Identifiant d’évaluation déjà utilisé{NBSP}: {_show(str(evaluation_id))}",
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
                f"{_show(existing.id)}",
                "contact.id",
                fix=f"Rechargez la page{NBSP}: l’évaluation y sera ajoutée.",
            )
    if index is not None:  # an existing contact keeps its label and creation date
        existing = current.contacts[index]
        count = len(existing.evaluations) + len(existing.set_aside)
        if count >= MAX_EVALUATIONS_PER_CONTACT:
            problems.add(
                AnswerError(
                    f"Trop d’évaluations pour ce contact{NBSP}: {_number(count + 1)} "
                    f"(maximum{NBSP}: {_number(MAX_EVALUATIONS_PER_CONTACT)})",
                    "evaluation",
                )
            )
        # Only the new evaluation is checked: what is stored was read a moment ago, and may
        # hold entries kept as they are (see read_stored).
        alone = _alone(existing, now, evaluations=[evaluation])
        places = [("contacts[0].evaluations[0]", "evaluation")]
        (checked,) = _checked(alone, places, now, problems.errors).evaluations
        edited = dataclasses.replace(existing, evaluations=(*existing.evaluations, checked))
        return _put(current, index, edited)
    if len(current.contacts) >= MAX_CONTACTS:
        raise _problem(
            f"Trop de contacts{NBSP}: {_number(MAX_CONTACTS + 1)} "
            f"(maximum{NBSP}: {_number(MAX_CONTACTS)})",
            "contact",
            fix="Supprimez les contacts dont vous n’avez plus besoin.",
        )
    new: dict[str, Any] = {key: contact[key] for key in _CONTACT_KEYS if key in contact}
    new.setdefault("kind", "contact")
    if "created" in data:
        new["created"] = data["created"]
    new["evaluations"] = [evaluation]
    places = [
        ("contacts[0].evaluations[0]", "evaluation"),
        ("contacts[0].id", "contact.id"),
        ("contacts[0].label", "contact.label"),
        ("contacts[0].kind", "contact.kind"),
        ("contacts[0].created", "created"),
    ]
    return _put(current, len(current.contacts), _checked(new, places, now, problems.errors))


def _rename(current: Archive, data: Mapping[str, object], now: datetime | None) -> Archive:
    index = _contact_index(current, data)
    existing = current.contacts[index]
    alone = _alone(existing, now, label=data["label"])
    label = _checked(alone, [("contacts[0].label", "label")], now).label
    return _put(current, index, dataclasses.replace(existing, label=label))


def _alone(contact: Contact, now: datetime | None, **changes: object) -> dict[str, Any]:
    """A stored contact without its evaluations, with ``changes``, to check what changes.

    Its creation date is not checked again: a date ahead of the clock, accepted in what is
    stored, must not block a change; the present stands in for it.
    """
    moment = datetime.now(UTC) if now is None else now
    created = min(contact.created, moment)
    return {
        "id": contact.id,
        "kind": contact.kind,
        "label": contact.label,
        "created": format_date(created),
        "evaluations": [],
    } | changes


def _delete_evaluation(current: Archive, data: Mapping[str, object], _: datetime | None) -> Archive:
    index = _contact_index(current, data)
    evaluation_id = _text_field(data, "evaluation_id")
    contact = current.contacts[index]
    kept = tuple(e for e in contact.evaluations if e.id != evaluation_id)
    if len(kept) == len(contact.evaluations):
        raise _problem(
            f"Évaluation introuvable{NBSP}: {_show(evaluation_id)}",
            "evaluation_id",
            fix=f"Rechargez la page{NBSP}: cette évaluation a peut-être été supprimée entre-temps.",
        )
    contacts = list(current.contacts)
    contacts[index] = dataclasses.replace(contact, evaluations=kept)
    return dataclasses.replace(current, contacts=tuple(contacts))


def _delete_contact(current: Archive, data: Mapping[str, object], _: datetime | None) -> Archive:
    index = _contact_index(current, data)
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
            f"L’archive deviendrait trop volumineuse{NBSP}: {_number(size)} octets "
            f"(maximum{NBSP}: {_number(MAX_ARCHIVE_BYTES)})",
            fix="Exportez vos données, puis supprimez des évaluations anciennes.",
        )
    return {"archive": text}


def _number(value: int) -> str:
    return f"{value:,}".replace(",", NNBSP)


def update(request: str, *, now: datetime | None = None) -> dict[str, str]:
    """Apply one change (``op``) to the stored archive: ``{"archive": <new text>}``."""
    data = _load_request(request)
    op = data.get("op")
    if not isinstance(op, str) or op not in OPS:
        known = ", ".join(map(quote, OPS))
        raise _problem(
            "Opération manquante"
            if op is None
            else f"Opération inconnue {_show(op) if isinstance(op, str) else _type_name(op)}",
            "op",
            fix=f"Opérations permises{NBSP}: {known}.",
        )
    _check_keys(data, *OPS[op])
    current = _current(data, now)
    return _dumped(_APPLY[op](current, data, now))


# For the other modules that answer requests on the stored archive (scoring.contacts_import,
# scoring.reviews): the same reading, the same guard on the stored text, the same size check.


def read_request(
    text: object, required: Sequence[str], optional: Sequence[str] = ()
) -> Mapping[str, object]:
    """A request's JSON object, with exactly the ``required`` keys and some ``optional`` ones."""
    data = _load_request(text)
    _check_keys(data, required, optional)
    return data


def stored_archive(data: Mapping[str, object], now: datetime | None = None) -> Archive:
    """The stored archive under ``current``; never guessed when it cannot be read."""
    return _current(data, now)


def written(archive: Archive) -> dict[str, str]:
    """``{"archive": text}``, refused when it would exceed the archive's size limit."""
    return _dumped(archive)


# --- Import -----------------------------------------------------------------------------------


def _import(data: Mapping[str, object], now: datetime | None) -> tuple[Archive, Archive]:
    current = _current(data, now)
    incoming = data["incoming"]
    if not isinstance(incoming, str):
        raise _wrong_type(incoming, "texte", "incoming")
    # A file's odd evaluations are kept and marked as the stored ones are; a broken entry
    # refuses the file, with every problem named (the visitor chose this file).
    return current, parse_archive(incoming, now=now, keep_odd=True)


def import_preview(request: str, *, now: datetime | None = None) -> dict[str, Any]:
    """What importing ``incoming`` would change (see :meth:`scoring.archive.Preview.to_dict`),
    with the number of contacts and evaluations the file holds."""
    data = _load_request(request)
    _check_keys(data, _IMPORT_KEYS)
    current, incoming = _import(data, now)
    return {
        **merge_preview(current, incoming).to_dict(),
        "incoming_contacts": len(incoming.contacts),
        "incoming_evaluations": sum(len(contact.evaluations) for contact in incoming.contacts),
    }


def import_apply(request: str, *, now: datetime | None = None) -> dict[str, str]:
    """``mode`` "merge": the union, the stored version winning conflicts; "replace": the file."""
    data = _load_request(request)
    _check_keys(data, _APPLY_KEYS)
    mode = data["mode"]
    if mode not in _MODES:
        shown = _show(mode) if isinstance(mode, str) else _type_name(mode)
        raise _problem(
            f"Mode d’import inconnu {shown}",
            "mode",
            fix=f"Choisissez {quote('merge')} ou {quote('replace')}.",
        )
    current, incoming = _import(data, now)
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
