"""Mon réseau: the archive the visitor keeps on their device, read and edited.

The page stores the archive as the text :func:`~scoring.archive.dump_archive` writes, and asks
this module to read it (:func:`read_stored`), for every change (:func:`update`) and for the
import of a file (:func:`import_preview`, :func:`import_apply`); what it shows of the archive
is :mod:`scoring.overview`'s, the table export :mod:`scoring.spreadsheet`'s. JavaScript only
stores text, draws ids and dates, and renders.
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

if TYPE_CHECKING:
    from collections.abc import Mapping, Sequence

__all__ = [
    "OPS",
    "import_apply",
    "import_preview",
    "read_request",
    "read_stored",
    "stored_archive",
    "update",
    "written",
]

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
