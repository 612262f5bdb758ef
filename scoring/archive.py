"""The archive: everything a visitor keeps on their device or exports as a file.

An archive holds the visitor's contacts and, for each one, the evaluations they made with a
questionnaire. It is keyed by stable ids (questionnaire, criteria, answer values, durations),
never by French text, so that a rewording of the site never breaks a saved archive. Version 2::

    {"format": "crible-archive", "version": 2, "exported_at": "2026-11-26T10:00:00Z",
     "contacts": [{"id": "c-1a2b3c", "kind": "contact", "label": "Lambda",
       "created": "2026-01-02T09:30:00Z",
       "evaluations": [{"id": "e-4d5e6f", "date": "2026-03-04T10:00:00Z",
                        "questionnaire": "contact",
                        "answers": {"available": "yes", "feel-empty": "unknown"},
                        "context": {"duration": "3to12m"}, "minutes": 90}]}]}

``exported_at``, ``context`` and ``minutes`` are optional, answers may be partial (an
unanswered criterion is simply absent). Every other key is required, and no other key is
allowed.

- **Entries.** ``contacts`` holds everything the visitor evaluates, told apart by ``kind``: a
  person (``"contact"``), a group or community (``"groupe"``), or the visitor themself
  (``"soi"``, at most one entry: the self-assessment). An evaluation's questionnaire must be
  about its entry's kind (its ``subject``): the crible and the give side for a person, the
  group questionnaire for a group.
- **Time.** ``minutes`` is the time per month the visitor says they spend on that relation,
  recorded with the evaluation (rule 6): a whole number from 0 to :data:`MAX_MINUTES`.
- **Imported contacts** (version 3). A person brought in from a list of connections
  (:mod:`scoring.contacts_import`) may carry, each optional: ``url`` (the profile's address,
  ``http(s)://``, at most :data:`MAX_URL_LENGTH` characters), ``company`` (text, the label's
  rules, at most :data:`MAX_COMPANY_LENGTH` characters) and ``connected_on`` (``AAAA-MM-JJ``, the
  day the relation started: it prefills the duration of the first evaluation). Such an entry
  may have no evaluation yet. Never an e-mail address: the import drops it.
- **Versions.** Version 1 (before groups, the self-assessment and the give side) had no
  ``kind`` and no ``minutes``; it is read as version 2 with every entry a ``"contact"``, which
  is all it could hold, and written back as version 2. Nothing else changed: a version-1 export
  imports without loss (``tests/fixtures/archive-v1.json`` is one, written by version 1).
  Version 3 only adds the three optional keys above, which version 2 refused as unknown: a
  version-2 archive is a valid version-3 one, read unchanged. An archive is written with the
  lowest version that holds it (:func:`written_version`): 2 as long as no entry has any of the
  new keys, so that a page of the previous release still reads it; 3 once one has, so that such
  a page says "newer version" (and keeps the data) instead of "unreadable".

Decisions, written down once:

- **Limits.** A file larger than :data:`MAX_ARCHIVE_BYTES` (2 000 000 bytes of UTF-8) is refused
  before JSON parsing: one evaluation of the 13 criteria takes about 0.7 kB as written by
  :func:`dump_archive`, so some 2 700 fit, far more than a person's network needs, and it stays
  well under the ~5 MB that browsers give one origin in ``localStorage`` (an origin that all of
  a user's GitHub Pages project sites share). Brackets may nest at most 20 deep (an archive
  needs 6), checked before parsing too: in Pyodide a very deep JSON text overflows the
  JavaScript stack, a fatal error rather than an exception. At most :data:`MAX_CONTACTS`
  contacts, :data:`MAX_EVALUATIONS_PER_CONTACT` evaluations per contact, labels of 1 to
  :data:`MAX_LABEL_LENGTH` characters (code points), ids of 1 to 64 characters among
  ``A-Z a-z 0-9 _ -``.
- **Messages.** Every problem is an :class:`~scoring._french.AnswerError` (the visitor's data,
  in French, like the engine's errors on answers) whose ``message`` is a sentence that reads
  well alone, whose ``path`` is the exact key path (``contacts[0].evaluations[1].answers.
  available``; a key of the archive's own records that is not a plain id is quoted:
  ``contacts[0]["a b"]``), and whose ``fix`` says what to do when there is something to say.
  The interface shows the message, then the path, then the fix; ``str()`` gives
  ``message (path)``. Typography follows FRENCH.md (no-break spaces before ``:`` and inside
  « »). All problems are reported at once, in one ``InvalidDataError("archive", …)``, with one
  exception: when the file is not a crible archive at all (empty, not JSON, not an object,
  wrong ``format``) or comes from an unknown ``version``, only that is reported, since the rest
  cannot be judged.
- **Answers and context** are checked by the engine (:func:`scoring.engine.score`): an archived
  evaluation is valid exactly when it can be scored, and both say so in the same words. A
  ``duration`` of ``null`` (not said) is allowed, as the engine allows it.
- **Dates** are ISO 8601 in UTC, ``YYYY-MM-DDTHH:MM:SSZ``, optionally with milliseconds
  (``2026-11-26T10:00:00.000Z``, what JavaScript's ``toISOString()`` writes). They are kept to
  the millisecond and written back without a fraction when it is zero. A date more than
  :data:`MAX_CLOCK_SKEW` after ``now`` is refused in a file to check (clocks differ between
  devices by hours, not by a day), and marked in what a device keeps (below); ``now``
  defaults to the current UTC time, the only clock in the package (the engine is clock-free;
  ``exported_at`` is set by the caller, ``dataclasses.replace(archive,
  exported_at=…)``). An evaluation dated before its contact's creation is allowed: contacts
  may be re-created on another device.
- **Order.** Contacts and evaluations keep the order of the file (the interface sorts what it
  shows); answers are written sorted by criterion id. :func:`dump_archive` is canonical:
  exporting, importing and exporting again gives the same bytes.
- **Labels are text**, never markup: ``<img src=x onerror=alert(1)>`` is a valid label, kept
  as is; the interface escapes it. Control characters (tabs and newlines included), line and
  paragraph separators and lone surrogates are refused; leading or trailing spaces are kept.
- **Security.** Duplicate keys are refused (JSON parsers disagree on which one wins), and so are
  keys that are dangerous once the data reaches JavaScript (``__proto__``, ``constructor``,
  ``prototype``): they are named in the message. ``NaN`` and ``Infinity`` are not JSON.
- **Local damage stays local.** What a device keeps is read with ``keep_odd`` and
  ``set_aside`` (see :func:`validate_archive`): an evaluation made odd by a site update or a
  fast clock is kept, written back byte for byte and counted nowhere; an entry that cannot be
  read is kept aside, as it was, after the readable ones (no new key: an older page reads the
  same data as before). A file to import is read with ``keep_odd`` only.
- **Merging** an imported archive into the current one (:func:`merge_preview` for the import
  screen, then :func:`merge`) matches contacts and evaluations by id; see their docstrings.
"""

from __future__ import annotations

import dataclasses
import json
import re
import unicodedata
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from types import MappingProxyType
from typing import TYPE_CHECKING, Any, Final, Literal, TypeVar

# From the package, not its private modules; it must stay importable before this one.
from scoring import Questionnaire, is_questionnaire, load_questionnaire
from scoring._errors import ErrorCollector, InvalidDataError, ValidationError
from scoring._french import NBSP, NNBSP, AnswerError, french_date, grouped, quote
from scoring._json import BOM, LimitError, Limits, check_size, loads
from scoring._request_reader import (
    Fields,
    JsonObject,
    as_day,
    as_integer,
    as_list,
    as_moment,
    as_object,
    as_text,
    duplicate_key,
    parse_day,
    parse_moment,
    show,
    type_name,
    wrong_type,
)
from scoring.engine import score
from scoring.model import load_subjects, subject_ids

if TYPE_CHECKING:
    from collections.abc import Callable, Mapping, Sequence

__all__ = [
    "ARCHIVE_FORMAT",
    "CURRENT_VERSION",
    "MAX_ARCHIVE_BYTES",
    "MAX_CLOCK_SKEW",
    "MAX_COMPANY_LENGTH",
    "MAX_CONTACTS",
    "MAX_EVALUATIONS_PER_CONTACT",
    "MAX_LABEL_LENGTH",
    "MAX_MINUTES",
    "MAX_URL_LENGTH",
    "NEWER_VERSION",
    "Archive",
    "Conflict",
    "Contact",
    "Evaluation",
    "NewEvaluation",
    "Preview",
    "SetAside",
    "check_company",
    "check_evaluation",
    "check_id",
    "check_kind",
    "check_label",
    "check_moment",
    "check_url",
    "dump_archive",
    "format_date",
    "limit_problem",
    "merge",
    "merge_preview",
    "parse_archive",
    "parse_day",
    "parse_moment",
    "validate_archive",
    "written_version",
]

ARCHIVE_FORMAT: Final = "crible-archive"
CURRENT_VERSION: Final = 3
# The version that brought the optional keys of imported contacts (url, company, connected_on).
IMPORT_VERSION: Final = 3
MAX_ARCHIVE_BYTES: Final = 2_000_000
MAX_CONTACTS: Final = 1_000
MAX_EVALUATIONS_PER_CONTACT: Final = 500
MAX_LABEL_LENGTH: Final = 80
MAX_MINUTES: Final = 31 * 24 * 60  # a whole month
# The tolerance for a date ahead of the clock: devices' clocks and time zones set by hand differ
# by hours, not by a day. Beyond it, a file to check is refused; what a device keeps is kept,
# marked and left out of every count (its date cannot place it in the history).
MAX_CLOCK_SKEW: Final = timedelta(hours=24)
MAX_URL_LENGTH: Final = 300
MAX_COMPANY_LENGTH: Final = 120

_SOURCE: Final = "archive"
_ID_PATTERN: Final = re.compile(r"[A-Za-z0-9_-]{1,64}")
_URL_PATTERN: Final = re.compile(r"https?://[^\s\x00-\x1f\x7f]+", re.IGNORECASE)
# Names that are harmless in Python but dangerous once the data is a JavaScript object.
# Unicode categories refused in a label: controls, line/paragraph separators, lone surrogates.
_REFUSED_CATEGORIES: Final = frozenset({"Cc", "Zl", "Zp", "Cs"})
# A label made only of these shows nothing: a row with a name 0 px wide (see _invisible).
_INVISIBLE_CATEGORIES: Final = frozenset({"Cf", "Mn", "Me", "Zs", "Zl", "Zp", "Cc"})
# Hangul fillers and the blank Braille pattern are letters or symbols that fonts draw empty.
_BLANK_FILLERS: Final = frozenset("\u115f\u1160\u3164\uffa0\u2800")
_SHOWN_POINTS: Final = 5
# An archive nests 6 levels deep (archive, contacts, contact, evaluations, evaluation, answers)
# and its largest integer is a number of minutes (5 digits).
_LIMITS: Final = Limits(max_bytes=MAX_ARCHIVE_BYTES, max_depth=20, max_digits=20)

# The code of the error that says the archive comes from a newer version of the site: a page
# facing it must neither reset nor overwrite the data (the newer page can read it).
NEWER_VERSION: Final = "newer-version"

_ARCHIVE_KEYS: Final = ("format", "version", "exported_at", "contacts")
# Per version: (allowed keys, required keys).
_CONTACT_KEYS: Final = {
    1: (("id", "label", "created", "evaluations"),) * 2,
    2: (("id", "kind", "label", "created", "evaluations"),) * 2,
    3: (
        ("id", "kind", "label", "created", "evaluations", "url", "company", "connected_on"),
        ("id", "kind", "label", "created", "evaluations"),
    ),
}
_EVALUATION_KEYS: Final = {
    1: (
        ("id", "date", "questionnaire", "answers", "context"),
        ("id", "date", "questionnaire", "answers"),
    ),
    2: (
        ("id", "date", "questionnaire", "answers", "context", "minutes"),
        ("id", "date", "questionnaire", "answers"),
    ),
}
_EVALUATION_KEYS[3] = _EVALUATION_KEYS[2]


def _about(kind: str) -> str:
    """« une personne », « un groupe »: a kind of entry in a sentence (subjects.toml)."""
    return next((s.about for s in load_subjects() if s.id == kind), kind)


_T = TypeVar("_T")


# --- The model ----------------------------------------------------------------------------------


def _frozen_mapping(value: Mapping[str, _T]) -> Mapping[str, _T]:
    return MappingProxyType(dict(value))


@dataclass(frozen=True, kw_only=True, slots=True)
class Evaluation:
    """One run of a questionnaire for one contact."""

    id: str
    date: datetime
    questionnaire: str
    answers: Mapping[str, str]
    context: Mapping[str, str | None] | None = None
    minutes: int | None = None  # time per month spent on the relation, when the visitor said
    # Why it cannot be counted (French, e.g. "répond au critère « x » que le site n’a plus"),
    # "" when it can; ``raw`` is then the record as it was read, written back unchanged.
    ignored: str = ""
    raw: Mapping[str, object] | None = None

    def __post_init__(self) -> None:
        object.__setattr__(self, "answers", _frozen_mapping(self.answers))
        if self.context is not None:
            object.__setattr__(self, "context", _frozen_mapping(self.context))

    def to_dict(self) -> dict[str, Any]:
        if self.raw is not None:
            return dict(self.raw)
        data: dict[str, Any] = {
            "id": self.id,
            "date": format_date(self.date),
            "questionnaire": self.questionnaire,
            "answers": dict(sorted(self.answers.items())),
        }
        if self.context is not None:
            data["context"] = dict(sorted(self.context.items()))
        if self.minutes is not None:
            data["minutes"] = self.minutes
        return data


@dataclass(frozen=True, kw_only=True, slots=True)
class Contact:
    """Someone or something the visitor evaluates, known by a label of the visitor's choosing:
    a person (``kind`` "contact"), a group ("groupe") or the visitor themself ("soi")."""

    id: str
    label: str
    created: datetime
    evaluations: tuple[Evaluation, ...] = ()
    kind: str = "contact"  # one of scoring.model.subject_ids()
    set_aside: tuple[SetAside, ...] = ()  # broken evaluations, written back after the others
    # Version 3, for a person brought in by an import: what the visitor chose to keep.
    url: str | None = None
    company: str | None = None
    connected_on: date | None = None  # the day the relation started

    @property
    def imported(self) -> bool:
        """True when the entry carries one of version 3's keys."""
        return (self.url, self.company, self.connected_on) != (None, None, None)

    def to_dict(self) -> dict[str, Any]:
        data: dict[str, Any] = {
            "id": self.id,
            "kind": self.kind,
            "label": self.label,
            "created": format_date(self.created),
        }
        if self.url is not None:
            data["url"] = self.url
        if self.company is not None:
            data["company"] = self.company
        if self.connected_on is not None:
            data["connected_on"] = self.connected_on.isoformat()
        data["evaluations"] = [evaluation.to_dict() for evaluation in self.evaluations] + [
            entry.data for entry in self.set_aside
        ]
        return data


@dataclass(frozen=True, kw_only=True, slots=True)
class SetAside:
    """A stored entry (a contact, or one evaluation) that cannot be read: kept as it was.

    ``data`` is the entry as JSON decoded it (a key met twice keeps its first value), written
    back as is; ``reason`` is the first of its problems (French); ``where`` its key path in
    the text it was read from.
    """

    data: object
    reason: str
    where: str


@dataclass(frozen=True, kw_only=True, slots=True)
class Archive:
    """Everything a visitor keeps: their contacts and their evaluations."""

    contacts: tuple[Contact, ...] = ()
    exported_at: datetime | None = None
    set_aside: tuple[SetAside, ...] = ()  # broken contacts, written back after the others

    def to_dict(self) -> dict[str, Any]:
        data: dict[str, Any] = {"format": ARCHIVE_FORMAT, "version": written_version(self)}
        if self.exported_at is not None:
            data["exported_at"] = format_date(self.exported_at)
        data["contacts"] = [contact.to_dict() for contact in self.contacts] + [
            entry.data for entry in self.set_aside
        ]
        return data

    def all_set_aside(self) -> tuple[SetAside, ...]:
        """Every broken entry: whole contacts first, then single evaluations."""
        return self.set_aside + tuple(e for c in self.contacts for e in c.set_aside)


def written_version(archive: Archive) -> int:
    """The lowest version that holds ``archive``: 2 unless an entry has version 3's keys."""
    return IMPORT_VERSION if any(c.imported for c in archive.contacts) else IMPORT_VERSION - 1


def format_date(value: datetime) -> str:
    """``2026-11-26T10:00:00Z``, or ``2026-11-26T10:00:00.250Z`` when there are milliseconds."""
    value = value.astimezone(UTC) if value.tzinfo is not None else value
    text = (
        f"{value.year:04d}-{value.month:02d}-{value.day:02d}"
        f"T{value.hour:02d}:{value.minute:02d}:{value.second:02d}"
    )
    if value.microsecond // 1000:
        text += f".{value.microsecond // 1000:03d}"
    return text + "Z"


def dump_archive(archive: Archive) -> str:
    """The canonical JSON text of an archive (UTF-8 characters kept, two-space indent)."""
    return json.dumps(archive.to_dict(), ensure_ascii=False, indent=2) + "\n"


# --- Parsing ------------------------------------------------------------------------------------


class _ForbiddenConstantError(ValueError):
    def __init__(self, name: str) -> None:
        self.name = name
        super().__init__(name)


def _forbid_constant(name: str) -> object:
    raise _ForbiddenConstantError(name)


def _fail(message: str, fix: str = "") -> InvalidDataError:
    return InvalidDataError(_SOURCE, [AnswerError(message, "", fix=fix)])


_EXPORT_AGAIN: Final = (
    "Exportez de nouveau vos évaluations depuis le site, sans modifier le fichier."
)


def parse_archive(
    text: str,
    *,
    now: datetime | None = None,
    questionnaires: Mapping[str, Questionnaire] | None = None,
    keep_odd: bool = False,
    set_aside: bool = False,
) -> Archive:
    """Read an archive from its JSON text; raise ``InvalidDataError`` listing every problem.

    ``questionnaires`` maps ids to the questionnaires an evaluation may use (default: every
    questionnaire shipped with the package). ``keep_odd`` and ``set_aside``: see
    :func:`validate_archive`.
    """
    try:
        check_size(text, MAX_ARCHIVE_BYTES)
        text = text.removeprefix(BOM)  # a byte-order mark left by some text editors
        if not text.strip():
            raise _fail("Le fichier est vide", _EXPORT_AGAIN)
        data = loads(text, _LIMITS, object_pairs_hook=JsonObject, parse_constant=_forbid_constant)
    except _ForbiddenConstantError as error:
        constant = f"Valeur non permise en JSON{NBSP}: {quote(error.name)}"
        raise _fail(constant, _EXPORT_AGAIN) from None
    except LimitError as error:
        raise limit_problem(error) from None
    except json.JSONDecodeError as error:
        # Positions are left out on purpose: they differ between Python versions (CPython and
        # Pyodide must answer alike) and a visitor does not edit JSON by hand.
        truncated = error.pos >= len(text.rstrip()) or error.msg.startswith("Unterminated")
        if truncated:
            cut = f"Le fichier est incomplet{NBSP}: il semble tronqué"
            raise _fail(cut, _EXPORT_AGAIN) from None
        raise _fail("Ce fichier n’est pas un fichier JSON valide", _EXPORT_AGAIN) from None
    return validate_archive(
        data, now=now, questionnaires=questionnaires, keep_odd=keep_odd, set_aside=set_aside
    )


def limit_problem(error: LimitError) -> InvalidDataError:
    """An archive over its limits (see :data:`MAX_ARCHIVE_BYTES`), in the archive's words."""
    if error.kind == "size":
        found = "plus de " if error.found is None else ""
        return _fail(
            f"Le fichier est trop volumineux{NBSP}: {found}{grouped(error.found or error.limit)} "
            f"octets (maximum{NBSP}: {grouped(MAX_ARCHIVE_BYTES)})",
            "Vérifiez qu’il s’agit bien d’une sauvegarde du crible.",
        )
    if error.kind == "depth":
        return _fail("Ce fichier contient des données trop profondément imbriquées")
    return _fail("Ce fichier contient un nombre trop long")


def validate_archive(
    data: object,
    *,
    now: datetime | None = None,
    questionnaires: Mapping[str, Questionnaire] | None = None,
    keep_odd: bool = False,
    set_aside: bool = False,
) -> Archive:
    """Check decoded JSON data (dicts, lists, str, int…) and build the archive from it.

    Strict by default (a file to check). For what a device already keeps, local damage stays
    local:

    - ``keep_odd``: an evaluation that is well formed but that this site can no longer count
      (dated more than :data:`MAX_CLOCK_SKEW` ahead of ``now``, a questionnaire or a criterion
      the site no longer has, an answer value or a duration it no longer knows) is kept, with
      its ``ignored`` reason, and written back unchanged (``raw``);
    - ``set_aside``: a contact or an evaluation that cannot be read at all is kept aside as it
      was (:class:`SetAside`), and the rest is read; creation and export dates ahead of ``now``
      are accepted (nothing is computed from them). Only problems of the archive's top level
      (format, version, keys, the list of contacts itself) still make it unreadable.
    """
    if now is None:
        now = datetime.now(UTC)
    elif now.tzinfo is None:
        raise ValueError("'now' must be an aware datetime")
    lookup = _shipped if questionnaires is None else questionnaires.get
    validator = _Validator(now, lookup)
    validator.keep_odd = keep_odd
    validator.set_aside = set_aside
    return validator.archive(data)


def check_evaluation(value: object, *, kind: str, now: datetime | None = None) -> Evaluation:
    """One new evaluation of an entry of ``kind`` (``"contact"``…), checked as in a file to
    check (strict); ``InvalidDataError`` or ``AnswerError`` with paths relative to it
    (``date``, ``answers.foo``). Its id is not compared with those of an archive: the caller
    does that."""
    validator = _Validator(datetime.now(UTC) if now is None else now, _shipped)
    validator.kind = kind
    return validator.evaluation(value)


def check_id(value: object) -> str:
    """An id of a contact or an evaluation as the archive accepts it; ``AnswerError``
    otherwise."""
    return _as_id(value)


def check_kind(value: object) -> str:
    """The kind of an entry (``"contact"``, ``"groupe"``, ``"soi"``); ``AnswerError``
    otherwise."""
    return _as_kind(value)


def check_moment(value: object, *, now: datetime | None = None) -> datetime:
    """A date of the archive (``created``…), refused more than :data:`MAX_CLOCK_SKEW` after
    ``now`` as in a file to check; ``AnswerError`` otherwise."""
    return _Validator(datetime.now(UTC) if now is None else now, _shipped).date(value)


def _shipped(questionnaire_id: str) -> Questionnaire | None:
    """A questionnaire shipped with the package, loaded only when an evaluation names it.

    (Listing them all with ``questionnaire_ids`` would import ``importlib.resources``, which
    the browser does not need otherwise.) A broken shipped definition is not the visitor's
    problem: its own error, in English, goes through.
    """
    return load_questionnaire(questionnaire_id) if is_questionnaire(questionnaire_id) else None


# --- Small typed readers; each raises one ValidationError relative to the value ----------------


def _as_id(value: object) -> str:
    text = as_text(value)
    if not _ID_PATTERN.fullmatch(text):
        raise AnswerError(
            f"Identifiant invalide {show(text)}",
            fix="Un identifiant compte de 1 à 64 caractères parmi A-Z, a-z, 0-9, « _ » et « - ».",
        )
    return text


def _as_label(value: object) -> str:
    text = as_text(value)
    if not text.strip():
        raise AnswerError("Le nom du contact est vide", fix="Donnez-lui un nom ou un surnom.")
    if len(text) > MAX_LABEL_LENGTH:
        raise AnswerError(
            f"Le nom du contact est trop long : {len(text)} caractères "
            f"(maximum : {MAX_LABEL_LENGTH})"
        )
    if any(unicodedata.category(char) in _REFUSED_CATEGORIES for char in text):
        raise AnswerError(
            f"Le nom du contact contient un caractère de contrôle : {show(text)}",
            fix="Retirez les tabulations, retours à la ligne et caractères invisibles.",
        )
    if all(_invisible(char) for char in text):
        # The characters by their code points: shown as they are, they would show nothing.
        points = ", ".join(f"U+{ord(char):04X}" for char in text[:_SHOWN_POINTS])
        more = "…" if len(text) > _SHOWN_POINTS else ""
        raise AnswerError(
            f"Le nom du contact ne contient aucun caractère visible ({points}{more})",
            fix="Donnez-lui un nom ou un surnom d’au moins une lettre, un chiffre ou un signe "
            "que l’on voit.",
        )
    return text


def _invisible(char: str) -> bool:
    """A character that shows nothing on its own: a format character (zero-width space,
    joiners, bidi controls), a combining mark alone, a variation selector (category Mn), a
    space or a control, or a filler that fonts draw empty."""
    return unicodedata.category(char) in _INVISIBLE_CATEGORIES or char in _BLANK_FILLERS


def check_label(value: object) -> str:
    """The label of an entry as the archive accepts it; ``AnswerError`` in French otherwise."""
    return _as_label(value)


def check_company(value: object) -> str:
    """A company's name as the archive accepts it (version 3); ``AnswerError`` otherwise."""
    text = as_text(value)
    problem = (
        "est vide"
        if not text.strip()
        else f"est trop long{NBSP}: {len(text)} caractères (maximum{NBSP}: {MAX_COMPANY_LENGTH})"
        if len(text) > MAX_COMPANY_LENGTH
        else f"contient un caractère de contrôle{NBSP}: {show(text)}"
        if any(unicodedata.category(char) in _REFUSED_CATEGORIES for char in text)
        else ""
    )
    if problem:
        raise AnswerError(f"Le nom de l’entreprise {problem}", fix="Corrigez-le, ou retirez-le.")
    return text


def check_url(value: object) -> str:
    """A profile's address as the archive accepts it (version 3); ``AnswerError`` otherwise."""
    text = as_text(value)
    if len(text) > MAX_URL_LENGTH or not _URL_PATTERN.fullmatch(text):
        raise AnswerError(
            f"Adresse de profil invalide {show(text)}",
            fix=f"Une adresse commence par https:// et compte au plus {MAX_URL_LENGTH} "
            "caractères, sans espace.",
        )
    return text


def _as_kind(value: object) -> str:
    text = as_text(value)
    if text not in subject_ids():
        raise AnswerError(
            f"Type d’entrée inconnu {show(text)}",
            fix=f"Types permis{NBSP}: {', '.join(map(quote, subject_ids()))}.",
        )
    return text


def _as_minutes(value: object) -> int:
    value = as_integer(value)
    if not 0 <= value <= MAX_MINUTES:
        raise AnswerError(
            f"Temps mensuel impossible{NBSP}: {value} minutes",
            fix=f"Indiquez un nombre de minutes par mois de 0 à {grouped(MAX_MINUTES)}.",
        )
    return value


# --- The validator: one method per record, each collecting every problem -----------------------


class _Validator:
    def __init__(self, now: datetime, lookup: Callable[[str], Questionnaire | None]) -> None:
        self.now = now
        self.lookup = lookup
        self.contact_ids: set[str] = set()
        self.evaluation_ids: set[str] = set()
        self.format_version = CURRENT_VERSION  # the file's, once header() accepted it
        self.kind = "contact"  # the kind of the entry whose evaluations are being read
        self.self_entry: str | None = None  # the id of the "soi" entry met first
        self.keep_odd = False  # see validate_archive
        self.set_aside = False
        self.broken_contacts: list[SetAside] = []
        self.broken_evaluations: list[SetAside] = []  # of the contact being read
        self.contact_where = ""  # and its place in the file

    # Generic pieces

    @staticmethod
    def keys(
        errors: ErrorCollector,
        data: Mapping[str, object],
        allowed: Sequence[str],
        required: Sequence[str],
    ) -> None:
        """Report duplicate, forbidden, unknown and missing keys (the reader's words)."""
        Fields(data, errors=errors).keys_among(allowed, required)

    @staticmethod
    def field(
        errors: ErrorCollector,
        data: Mapping[str, object],
        key: str,
        read: Callable[[object], _T],
        placeholder: _T,
    ) -> _T:
        """The value of ``key`` read by ``read``; on a problem, it is collected and
        ``placeholder`` stands in (it never leaves the validator: ``finalize`` raises)."""
        return Fields(data, errors=errors).field(key, read, placeholder)

    def day(self, value: object) -> date:
        day = as_day(value)
        if day > (self.now + MAX_CLOCK_SKEW).date():
            raise AnswerError(
                f"Date située dans le futur : {value}",
                fix="Vérifiez la date et l’heure de l’appareil qui a produit ce fichier.",
            )
        return day

    def date(self, value: object) -> datetime:
        date = as_moment(value)
        future = self.future(date)
        if future is not None and not self.set_aside:
            raise future
        return date

    def future(self, date: datetime) -> AnswerError | None:
        """The error of a date too far ahead of ``now``, if it is."""
        if date <= self.now + MAX_CLOCK_SKEW:
            return None
        return AnswerError(
            f"Date située dans le futur{NBSP}: le {french_date(date)}",
            fix="Vérifiez la date et l’heure de l’appareil qui a produit ce fichier.",
        )

    # Records

    def archive(self, value: object) -> Archive:
        if not isinstance(value, dict):
            raise _fail(
                "Ce fichier n’est pas une archive du crible "
                f"(type inattendu : {type_name(value)} ; attendu : objet)",
                "Choisissez un fichier exporté depuis ce site.",
            )
        data: Mapping[str, object] = value
        self.header(data)
        version = data["version"]
        assert isinstance(version, int)  # noqa: S101 - header() checked it
        self.format_version = version
        errors = ErrorCollector()
        self.keys(errors, data, _ARCHIVE_KEYS, ("format", "version", "contacts"))
        exported_at = self.field(errors, data, "exported_at", self.date, None)
        contacts: tuple[Contact, ...] = self.field(errors, data, "contacts", self.contacts, ())
        errors.finalize(_SOURCE)
        return Archive(
            contacts=contacts, exported_at=exported_at, set_aside=tuple(self.broken_contacts)
        )

    def header(self, data: Mapping[str, object]) -> None:
        """``format`` and ``version`` first: when they are wrong, nothing else is judged."""
        errors = ErrorCollector()
        if "format" not in data:
            errors.add(
                AnswerError(
                    "Ce fichier n’est pas une archive du crible (la clé « format » manque)",
                    "format",
                )
            )
        elif data["format"] != ARCHIVE_FORMAT:
            found = data["format"]
            shown = show(found) if isinstance(found, str) else f"de type {type_name(found)}"
            errors.add(
                AnswerError(
                    f"Ce fichier n’est pas une archive du crible (format {shown} au lieu de "
                    f"«\u202f{ARCHIVE_FORMAT}\u202f»)",
                    "format",
                )
            )
        with errors.collect("version"):
            self.version(data)
        errors.finalize(_SOURCE)

    @staticmethod
    def version(data: Mapping[str, object]) -> None:
        if "version" not in data:
            raise AnswerError("Clé obligatoire manquante « version »")
        version = data["version"]
        if not isinstance(version, int) or isinstance(version, bool):
            raise wrong_type(version, "nombre entier")
        if version > CURRENT_VERSION:
            raise AnswerError(
                f"Ce fichier vient d’une version plus récente du site (version {version}) ; "
                "mettez la page à jour",
                fix="Rechargez la page en vidant le cache du navigateur, "
                "puis importez-le de nouveau.",
                code=NEWER_VERSION,
            )
        if version < 1:
            raise AnswerError(
                f"Version d’archive inconnue : {version} (attendu : {CURRENT_VERSION})"
            )

    @staticmethod
    def records(
        value: object, read: Callable[[object], _T], limit: int, too_many: str
    ) -> tuple[_T, ...]:
        """A list of at most ``limit`` records, each read by ``read``, every problem kept."""
        items = as_list(value)
        if len(items) > limit:
            raise AnswerError(
                f"{too_many}\u00a0: {grouped(len(items))} (maximum\u00a0: {grouped(limit)})"
            )
        errors = ErrorCollector()
        found: list[_T] = []
        for index, item in enumerate(items):
            with errors.collect(f"[{index}]"):
                found.append(read(item))
        errors.finalize(_SOURCE)
        return tuple(found)

    def aside(
        self,
        read: Callable[[object], _T],
        items: Sequence[object],
        into: list[SetAside],
        where: str,
    ) -> tuple[_T, ...]:
        """Each of ``items`` read by ``read``; one that cannot be read is kept in ``into``.

        The ids met while reading a broken entry are forgotten: it takes no id from the rest.
        """
        found: list[_T] = []
        for index, item in enumerate(items):
            if into is self.broken_contacts:
                self.contact_where = f"{where}[{index}]"
            seen = (set(self.contact_ids), set(self.evaluation_ids), self.self_entry)
            try:
                found.append(read(item))
            except (InvalidDataError, ValidationError) as problem:
                self.contact_ids, self.evaluation_ids, self.self_entry = seen
                first = problem if isinstance(problem, ValidationError) else problem.errors[0]
                path = f"{where}[{index}]" + (f".{first.path}" if first.path else "")
                into.append(SetAside(data=item, reason=first.message, where=path))
        return tuple(found)

    def contacts(self, value: object) -> tuple[Contact, ...]:
        if not self.set_aside:
            return self.records(value, self.contact, MAX_CONTACTS, "Trop de contacts")
        items = self.records(value, _itself, MAX_CONTACTS, "Trop de contacts")
        return self.aside(self.contact, items, self.broken_contacts, "contacts")

    def contact(self, value: object) -> Contact:
        data = as_object(value)
        errors = ErrorCollector()
        self.keys(errors, data, *_CONTACT_KEYS[self.format_version])
        contact_id = self.field(errors, data, "id", _as_id, "")
        # Version 1 knew only people; an unreadable kind judges no evaluation (None).
        kind: str | None = (
            self.field(errors, data, "kind", _as_kind, None)
            if (
                self.format_version >= 2  # noqa: PLR2004 - the version that brought kinds
            )
            else "contact"
        )
        if kind == "soi":
            if self.self_entry is not None:
                errors.add(
                    AnswerError(
                        "Une archive ne contient qu’une seule entrée "
                        f"{quote('votre apport au réseau')}, et celle-ci en est une seconde"
                        f"{NBSP}: {show(contact_id)}",
                        "kind",
                        fix=f"Gardez une seule entrée de type {quote('soi')}{NNBSP}; "
                        f"regroupez-y les évaluations {quote('apport')}.",
                    )
                )
            else:
                self.self_entry = contact_id
        self.kind = kind or ""
        if contact_id and contact_id in self.contact_ids:
            errors.add(
                AnswerError(
                    "Identifiant de contact déjà utilisé par un autre contact : "
                    f"{show(contact_id)}",
                    "id",
                )
            )
        self.contact_ids.add(contact_id)
        label = self.field(errors, data, "label", _as_label, "")
        created = self.field(errors, data, "created", self.date, self.now)
        url = self.field(errors, data, "url", check_url, None)
        company = self.field(errors, data, "company", check_company, None)
        connected_on = self.field(errors, data, "connected_on", self.day, None)
        self.broken_evaluations = []
        evaluations: tuple[Evaluation, ...] = self.field(
            errors, data, "evaluations", self.evaluations, ()
        )
        errors.finalize(_SOURCE)
        return Contact(
            id=contact_id,
            label=label,
            created=created,
            evaluations=evaluations,
            kind=kind or "contact",
            set_aside=tuple(self.broken_evaluations),
            url=url,
            company=company,
            connected_on=connected_on,
        )

    def evaluations(self, value: object) -> tuple[Evaluation, ...]:
        too_many = "Trop d’évaluations pour ce contact"
        if not self.set_aside:
            return self.records(value, self.evaluation, MAX_EVALUATIONS_PER_CONTACT, too_many)
        items = self.records(value, _itself, MAX_EVALUATIONS_PER_CONTACT, too_many)
        where = f"{self.contact_where}.evaluations"
        return self.aside(self.evaluation, items, self.broken_evaluations, where)

    def evaluation(self, value: object) -> Evaluation:
        data = as_object(value)
        errors = ErrorCollector()
        self.keys(errors, data, *_EVALUATION_KEYS[self.format_version])
        evaluation_id = self.field(errors, data, "id", _as_id, "")
        if evaluation_id and evaluation_id in self.evaluation_ids:
            errors.add(
                AnswerError(
                    "Identifiant d’évaluation déjà utilisé par une autre évaluation : "
                    f"{show(evaluation_id)}",
                    "id",
                )
            )
        self.evaluation_ids.add(evaluation_id)
        # What this site can no longer count (see validate_archive): with keep_odd, apart.
        odd = ErrorCollector() if self.keep_odd else errors
        date = self.field(errors, data, "date", as_moment, self.now)
        future = self.future(date)
        if future is not None:
            odd.add(future.under("date"))
        questionnaire_id: str | None = self.field(errors, data, "questionnaire", as_text, None)
        if questionnaire_id is not None and self.lookup(questionnaire_id) is None:
            odd.add(
                AnswerError(
                    f"Questionnaire inconnu {show(questionnaire_id)}",
                    "questionnaire",
                    fix=f"Ce fichier vient peut-être d’une version plus récente du site{NBSP}: "
                    "mettez la page à jour.",
                )
            )
        answers = self.field(errors, data, "answers", as_object, _EMPTY)
        context = self.field(errors, data, "context", as_object, None)
        minutes = self.field(errors, data, "minutes", _as_minutes, None)
        for key, record in (("answers", answers), ("context", context)):
            for duplicate in getattr(record, "duplicates", ()):
                errors.add(duplicate_key(duplicate).under(key))
        questionnaire = None if questionnaire_id is None else self.lookup(questionnaire_id)
        if questionnaire is not None and self.kind and questionnaire.subject != self.kind:
            errors.add(
                AnswerError(
                    f"Le questionnaire {show(questionnaire.id)} porte sur "
                    f"{_about(questionnaire.subject)}, pas sur {_about(self.kind)}",
                    "questionnaire",
                    fix="Exportez de nouveau vos évaluations depuis le site, "
                    "sans modifier le fichier.",
                )
            )
        if questionnaire is not None:
            # The engine checks the answers and the context (all of their mistakes at once),
            # so that an evaluation is valid exactly when it can be scored, and both say so in
            # the same words.
            with odd.collect():
                score(questionnaire, answers, context)
        errors.finalize(_SOURCE)
        ignored = ""
        if odd is not errors and odd.errors:
            ignored = _why_ignored(odd.errors, date, questionnaire, answers)
        return Evaluation(
            id=evaluation_id,
            date=date,
            questionnaire=questionnaire_id or "",
            answers={key: str(answer) for key, answer in answers.items()},
            context=None
            if context is None
            else {key: _text_or_none(v) for key, v in context.items()},
            minutes=minutes,
            ignored=ignored,
            raw=data if ignored else None,
        )


def _itself(value: object) -> object:
    return value


def _why_ignored(
    errors: Sequence[ValidationError],
    date: datetime,
    questionnaire: Questionnaire | None,
    answers: Mapping[str, object],
) -> str:
    """Why an evaluation is kept but not counted, as Mon réseau says it (French)."""
    if any(error.path == "date" for error in errors):
        return (
            f"datée du {french_date(date)}, dans le futur{NBSP}: "
            "l’horloge de l’appareil avançait sans doute"
        )
    if questionnaire is None:
        return "questionnaire que le site n’a plus"
    removed = [key for key in answers if key not in questionnaire.item_by_id]
    if len(removed) == 1:
        return f"répond au critère {show(removed[0])} que le site n’a plus"
    if removed:
        return f"répond aux critères {', '.join(map(show, removed))} que le site n’a plus"
    return f"réponses que le site ne comprend plus{NBSP}: {errors[0].message}"


_EMPTY: Final[Mapping[str, object]] = MappingProxyType({})


def _text_or_none(value: object) -> str | None:
    return value if value is None or isinstance(value, str) else str(value)


# --- Merging an imported archive into the current one -----------------------------------------


@dataclass(frozen=True, kw_only=True, slots=True)
class NewEvaluation:
    """An evaluation of the incoming archive that the current one lacks.

    ``contact_label`` is there for the import screen only: it takes no part in comparisons
    (an evaluation is the same wherever its contact was renamed).
    """

    contact_id: str
    evaluation: Evaluation
    contact_label: str = field(default="", compare=False)

    def to_dict(self) -> dict[str, Any]:
        return {
            "contact_id": self.contact_id,
            "contact_label": self.contact_label,
            "id": self.evaluation.id,
            "date": format_date(self.evaluation.date),
            "questionnaire": self.evaluation.questionnaire,
        }


@dataclass(frozen=True, kw_only=True, slots=True)
class Conflict:
    """An id present on both sides with different content.

    ``kind`` is ``"contact"`` (same contact id, different label or creation date: the
    evaluations are compared one by one, apart) or ``"evaluation"`` (same evaluation id,
    different content, or filed under another contact).
    """

    kind: Literal["contact", "evaluation"]
    id: str
    current: Contact | NewEvaluation
    incoming: Contact | NewEvaluation

    def to_dict(self) -> dict[str, Any]:
        """What the import screen lists: ``label`` is the current name of the contact
        concerned; each side is a contact's ``id``, ``label`` and ``created``, or what
        :meth:`NewEvaluation.to_dict` gives for an evaluation."""

        def side(value: Contact | NewEvaluation) -> dict[str, Any]:
            if isinstance(value, Contact):
                return {"id": value.id, "label": value.label, "created": format_date(value.created)}
            return value.to_dict()

        current = self.current
        return {
            "kind": self.kind,
            "id": self.id,
            "label": current.label if isinstance(current, Contact) else current.contact_label,
            "current": side(current),
            "incoming": side(self.incoming),
        }


@dataclass(frozen=True, kw_only=True, slots=True)
class Preview:
    """What importing ``incoming`` into ``current`` would change, for the import screen."""

    new_contacts: tuple[Contact, ...] = ()
    new_evaluations: tuple[NewEvaluation, ...] = ()
    conflicts: tuple[Conflict, ...] = ()
    unchanged_evaluations: int = 0

    @property
    def is_empty(self) -> bool:
        """True when the import would add nothing (conflicts aside)."""
        return not self.new_contacts and not self.new_evaluations

    def to_dict(self) -> dict[str, Any]:
        """For the import screen: a new contact is summed up by its ``id``, ``kind``, ``label``,
        ``created`` and number of ``evaluations``; an evaluation as in
        :meth:`NewEvaluation.to_dict`."""
        return {
            "new_contacts": [
                {
                    "id": contact.id,
                    "kind": contact.kind,
                    "label": contact.label,
                    "created": format_date(contact.created),
                    "evaluations": len(contact.evaluations),
                }
                for contact in self.new_contacts
            ],
            "new_evaluations": [new.to_dict() for new in self.new_evaluations],
            "conflicts": [conflict.to_dict() for conflict in self.conflicts],
            "unchanged_evaluations": self.unchanged_evaluations,
        }


def _evaluation_index(archive: Archive) -> dict[str, NewEvaluation]:
    return {
        evaluation.id: NewEvaluation(
            contact_id=contact.id, evaluation=evaluation, contact_label=contact.label
        )
        for contact in archive.contacts
        for evaluation in contact.evaluations
    }


def _align_self(current: Archive, incoming: Archive) -> Archive:
    """``incoming`` with its self-assessment entry filed under the current one.

    The visitor is one person: self-assessments made on two devices (two "soi" entries with
    different ids) join the current entry, under its id, label and creation date.
    """
    ours = next((c for c in current.contacts if c.kind == "soi"), None)
    if ours is None:
        return incoming
    return dataclasses.replace(
        incoming,
        contacts=tuple(
            dataclasses.replace(c, id=ours.id, label=ours.label, created=ours.created)
            if c.kind == "soi"
            else c
            for c in incoming.contacts
        ),
    )


def merge_preview(current: Archive, incoming: Archive) -> Preview:
    """Compare two archives by ids: new contacts, new evaluations, conflicts.

    A new contact's evaluations are listed with the contact, not in ``new_evaluations``; one
    whose id is already taken by an evaluation of the current archive is also a conflict.
    The incoming self-assessment entry is compared with the current one (see ``_align_self``).
    """
    incoming = _align_self(current, incoming)
    contacts = {contact.id: contact for contact in current.contacts}
    evaluations = _evaluation_index(current)
    new_contacts: list[Contact] = []
    new_evaluations: list[NewEvaluation] = []
    conflicts: list[Conflict] = []
    unchanged = 0
    for contact in incoming.contacts:
        existing = contacts.get(contact.id)
        if existing is None:
            new_contacts.append(contact)
        elif (existing.label, existing.created, existing.kind) != (
            contact.label,
            contact.created,
            contact.kind,
        ):
            conflicts.append(
                Conflict(kind="contact", id=contact.id, current=existing, incoming=contact)
            )
        for evaluation in contact.evaluations:
            theirs = NewEvaluation(
                contact_id=contact.id, evaluation=evaluation, contact_label=contact.label
            )
            ours = evaluations.get(evaluation.id)
            if ours is None:
                if existing is not None:
                    new_evaluations.append(theirs)
            elif ours == theirs:
                unchanged += 1
            else:
                conflicts.append(
                    Conflict(kind="evaluation", id=evaluation.id, current=ours, incoming=theirs)
                )
    return Preview(
        new_contacts=tuple(new_contacts),
        new_evaluations=tuple(new_evaluations),
        conflicts=tuple(conflicts),
        unchanged_evaluations=unchanged,
    )


def merge(current: Archive, incoming: Archive, *, replace: bool = False) -> Archive:
    """The union of two archives, matched by ids.

    On a conflict the current version is kept, unless ``replace`` is true: then the incoming
    one wins (a contact's label and creation date; an evaluation's content and the contact it
    belongs to). Contacts and evaluations keep their order; what is new is appended.
    ``exported_at`` is the current archive's. Raises ``InvalidDataError`` when the union would
    exceed the archive's limits, or would file an evaluation under an entry of another kind
    (possible only with edited files: ids are drawn at random).
    """
    incoming = _align_self(current, incoming)
    incoming_index = _evaluation_index(incoming)
    current_index = _evaluation_index(current)
    # With ``replace``, the evaluations whose incoming version wins.
    winners = (
        {
            evaluation_id
            for evaluation_id, theirs in incoming_index.items()
            if evaluation_id in current_index and current_index[evaluation_id] != theirs
        }
        if replace
        else set()
    )
    contacts = {contact.id: contact for contact in current.contacts}
    evaluations: dict[str, list[Evaluation]] = {}
    for contact in current.contacts:
        kept: list[Evaluation] = []
        for evaluation in contact.evaluations:
            theirs = incoming_index[evaluation.id] if evaluation.id in winners else None
            if theirs is None:
                kept.append(evaluation)
            elif theirs.contact_id == contact.id:
                kept.append(theirs.evaluation)  # replaced in place
            # else: it moves to another contact, where the loop below appends it
        evaluations[contact.id] = kept
    for contact in incoming.contacts:
        if contact.id not in contacts or replace:
            contacts[contact.id] = contact  # a dict keeps the first position of a key
        bucket = evaluations.setdefault(contact.id, [])
        for evaluation in contact.evaluations:
            ours = current_index.get(evaluation.id)
            if ours is None or (evaluation.id in winners and ours.contact_id != contact.id):
                bucket.append(evaluation)
    # What the current archive keeps aside stays, whichever side wins (an incoming file has
    # nothing aside: a broken entry refuses it).
    aside = {contact.id: contact.set_aside for contact in current.contacts}
    merged = Archive(
        contacts=tuple(
            dataclasses.replace(
                contact,
                evaluations=tuple(evaluations[contact.id]),
                set_aside=aside.get(contact.id, contact.set_aside),
            )
            for contact in contacts.values()
        ),
        exported_at=current.exported_at,
        set_aside=current.set_aside,
    )
    _check_limits(merged)
    return merged


def _check_limits(archive: Archive) -> None:
    errors = ErrorCollector()
    for index, contact in enumerate(archive.contacts):
        for rank, evaluation in enumerate(contact.evaluations):
            questionnaire = _shipped(evaluation.questionnaire)
            if questionnaire is not None and questionnaire.subject != contact.kind:
                errors.add(
                    AnswerError(
                        f"La fusion classerait une évaluation {show(evaluation.questionnaire)} "
                        f"sous {_about(contact.kind)} ({show(contact.label)})",
                        f"contacts[{index}].evaluations[{rank}]",
                        fix="Choisissez plutôt de remplacer vos données par ce fichier, "
                        "après les avoir exportées.",
                    )
                )
    if len(archive.contacts) > MAX_CONTACTS:
        errors.add(
            AnswerError(
                f"La fusion donnerait trop de contacts : {grouped(len(archive.contacts))} "
                f"(maximum : {grouped(MAX_CONTACTS)})",
                "contacts",
            )
        )
    for index, contact in enumerate(archive.contacts):
        if len(contact.evaluations) > MAX_EVALUATIONS_PER_CONTACT:
            errors.add(
                AnswerError(
                    "La fusion donnerait trop d’évaluations pour ce contact : "
                    f"{grouped(len(contact.evaluations))} "
                    f"(maximum : {grouped(MAX_EVALUATIONS_PER_CONTACT)})",
                    f"contacts[{index}].evaluations",
                )
            )
    size = len(dump_archive(archive).encode("utf-8", "surrogatepass"))
    if size > MAX_ARCHIVE_BYTES:
        errors.add(
            AnswerError(
                f"La fusion donnerait une archive trop volumineuse : {grouped(size)} octets "
                f"(maximum : {grouped(MAX_ARCHIVE_BYTES)})"
            )
        )
    errors.finalize(_SOURCE)
