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
    merge,
    merge_preview,
    parse_archive,
)

if TYPE_CHECKING:
    from collections.abc import Mapping, Sequence
    from datetime import datetime

__all__ = [
    "OPS",
    "import_apply",
    "import_preview",
    "read_current",
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
