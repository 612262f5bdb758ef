"""Bring contacts in from a file: LinkedIn's ``Connections.csv`` or a plain list of names.

The visitor picks a file; the page sends its bytes (base64, so that the encoding is judged
here, not guessed by the browser) and this module answers with a preview: who would be added,
who is already there. Nothing is stored before the visitor confirms (:func:`apply_import`).

Formats, decided once:

- **LinkedIn** (*Paramètres → Confidentialité des données → Obtenir une copie de vos données*):
  a few lines of notes, then the header ``First Name,Last Name,URL,Email Address,Company,
  Position,Connected On`` (the French column names ``Prénom``, ``Nom``, ``Adresse e-mail``,
  ``Entreprise``, ``Poste``, ``Date de connexion`` are read too). The header is searched in the
  first :data:`MAX_NOTE_LINES` lines. ``Connected On`` is ``15 Mar 2021`` (also ``15 mars 2021``,
  ``2021-03-15`` or ``15/03/2021``, what a spreadsheet writes back).
- **A plain list**: one name per line; or, when the first line is a header naming a ``nom``
  (or ``name``) column, the optional columns ``url`` and ``entreprise`` (or ``company``) too.
- **Delimiters**: the comma, the semicolon (what a French spreadsheet writes) and the tab are
  detected on the header line and accepted; a header split by anything else is refused.
- **What is kept**: the name (first and last joined), and, when the visitor keeps them, the
  profile's URL and the company; the day the relation started, to prefill the duration of the
  first evaluation. E-mail addresses and positions are never read into a candidate.

Refused, with a French message and nothing changed: a file that is not UTF-8 (a byte-order
mark is fine), larger than :data:`MAX_IMPORT_BYTES`, with more than :data:`MAX_IMPORT_ROWS`
rows, badly quoted, or with a kept cell that starts like a spreadsheet formula (``=``, ``+``,
``-``, ``@``: a file made to run ``=cmd|' /C calc'!A0`` is refused, not cleaned), holds HTML
markup (``<b>``, ``<img …>``: a name is text, and a file that carries tags was not written
by LinkedIn), or a name or company that the archive's rules refuse. Every problem of the file
is listed at once (at most :data:`MAX_LISTED_ERRORS`, then how many more).

Duplicates: a candidate is "already there" when an entry for a person has the same name once
normalised (accents, case and spaces aside) or the same profile URL (scheme, ``www.``, case,
trailing ``/``, query and fragment aside); a second row of the file for the same
person is "repeated". Both are shown, neither is added.
"""

from __future__ import annotations

import base64
import binascii
import csv
import dataclasses
import io
import re
import unicodedata
from dataclasses import dataclass
from datetime import UTC, date, datetime
from typing import TYPE_CHECKING, Any, Final, Literal

from scoring._errors import ErrorCollector, InvalidDataError, ValidationError
from scoring._french import NBSP, AnswerError, grouped, quote
from scoring.archive import (
    MAX_CLOCK_SKEW,
    MAX_CONTACTS,
    Archive,
    Contact,
    check_company,
    check_label,
    check_url,
    parse_day,
)

if TYPE_CHECKING:
    from collections.abc import Iterable, Mapping, Sequence

    from scoring.model import Questionnaire

__all__ = [
    "MAX_IMPORT_BYTES",
    "MAX_IMPORT_ROWS",
    "Candidate",
    "ImportPreview",
    "apply_import",
    "duration_since",
    "normalized_name",
    "normalized_url",
    "preview_import",
    "read_contacts",
]

# A LinkedIn export of 30 000 connections (LinkedIn's own limit) is about 3 MB; twice the row
# cap at 160 bytes a row still fits in 8 MB.
MAX_IMPORT_BYTES: Final = 8_000_000
MAX_IMPORT_ROWS: Final = 50_000
MAX_NOTE_LINES: Final = 20
MAX_LISTED_ERRORS: Final = 20
_SOURCE: Final = "import"

# Column names, lowercased, by what they hold. The e-mail address and the position are known
# only so that they are recognised as LinkedIn's columns; they are never read.
_LINKEDIN: Final = {
    "first": ("first name", "prénom"),
    "last": ("last name", "nom"),
    "url": ("url", "profil", "profile url"),
    "email": ("email address", "adresse e-mail", "adresse email", "e-mail"),
    "company": ("company", "entreprise", "société"),
    "position": ("position", "poste"),
    "connected": ("connected on", "date de connexion", "connecté le", "connecte le"),
}
_PLAIN: Final = {
    "name": ("nom", "name", "label", "contact"),
    "url": ("url", "profil", "lien"),
    "company": ("entreprise", "company", "société"),
}
_DELIMITERS: Final = (",", ";", "\t")
_DELIMITER_NAMES: Final = {",": "virgule", ";": "point-virgule", "\t": "tabulation"}
# What a spreadsheet would run as a formula (OWASP, "CSV injection").
_FORMULA_STARTS: Final = ("=", "+", "-", "@")
_MARKUP: Final = re.compile(r"<[A-Za-z/!?]")
_MONTHS: Final = {
    **{m: i for i, m in enumerate(("jan", "feb", "mar", "apr", "may", "jun", "jul", "aug",
                                   "sep", "oct", "nov", "dec"), start=1)},
    **{m: i for i, m in enumerate(("janv", "févr", "mars", "avr", "mai", "juin", "juil",
                                   "août", "sept", "oct", "nov", "déc"), start=1)},
    "janvier": 1, "février": 2, "avril": 4, "juillet": 7, "septembre": 9, "octobre": 10,
    "novembre": 11, "décembre": 12, "fevr": 2, "aout": 8, "dec": 12, "févr.": 2,
}  # fmt: skip
_DAY_MONTH_YEAR: Final = re.compile(r"(\d{1,2})\s+([^\W\d_]+\.?)\s+(\d{4})")
_SLASHED: Final = re.compile(r"(\d{1,2})/(\d{1,2})/(\d{4})")
_SAVE_AS_UTF8: Final = (
    f"Enregistrez-le au format {quote('CSV UTF-8')} depuis votre tableur, "
    "puis importez-le de nouveau."
)

Format = Literal["linkedin", "liste"]
Status = Literal["new", "present", "repeated"]


@dataclass(frozen=True, kw_only=True, slots=True)
class Candidate:
    """One person of the file, as the preview shows them."""

    line: int  # the line of the file (from 1), which the visitor's picks name
    label: str
    url: str | None = None
    company: str | None = None
    connected_on: date | None = None
    status: Status = "new"
    existing: str | None = None  # "present": the id of the entry with the same name or URL
    same_as: int | None = None  # "repeated": the line of the first row for this person

    def to_dict(self) -> dict[str, Any]:
        return {
            "line": self.line,
            "label": self.label,
            "url": self.url,
            "company": self.company,
            "connected_on": None if self.connected_on is None else self.connected_on.isoformat(),
            "status": self.status,
            "existing": self.existing,
            "same_as": self.same_as,
        }


@dataclass(frozen=True, kw_only=True, slots=True)
class ImportPreview:
    """What the file holds, split into the people to add and those already there."""

    format: Format
    delimiter: str
    candidates: tuple[Candidate, ...]
    skipped: tuple[int, ...] = ()  # rows without a name (LinkedIn leaves some empty)

    def to_dict(self) -> dict[str, Any]:
        return {
            "format": self.format,
            "delimiter": _DELIMITER_NAMES.get(self.delimiter, ""),
            "new": [c.to_dict() for c in self.candidates if c.status == "new"],
            "present": [c.to_dict() for c in self.candidates if c.status != "new"],
            "skipped": list(self.skipped),
        }


# --- Reading the bytes ------------------------------------------------------------------------


def _problem(message: str, path: str = "", fix: str = "") -> InvalidDataError:
    return InvalidDataError(_SOURCE, [AnswerError(message, path, fix=fix)])


def _decode(data: bytes) -> str:
    if len(data) > MAX_IMPORT_BYTES:
        raise _problem(
            f"Le fichier est trop volumineux{NBSP}: {grouped(len(data))} octets "
            f"(maximum{NBSP}: {grouped(MAX_IMPORT_BYTES)})",
            fix="Gardez seulement les lignes des personnes à importer.",
        )
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        raise _problem("Le fichier est encodé en UTF-16, pas en UTF-8", fix=_SAVE_AS_UTF8)
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        line = data[: error.start].count(b"\n") + 1
        raise _problem(
            f"Le fichier n’est pas encodé en UTF-8 (premier caractère illisible à la ligne {line})",
            fix=_SAVE_AS_UTF8,
        ) from None
    if "\x00" in text:
        raise _problem(
            "Ce fichier n’est pas un fichier texte (il contient des octets nuls)",
            fix="Choisissez le fichier CSV de vos contacts.",
        )
    if not text.strip():
        raise _problem("Le fichier est vide", fix="Choisissez le fichier CSV de vos contacts.")
    return text


def _split(line: str, delimiter: str) -> list[str]:
    try:
        return next(csv.reader([line], delimiter=delimiter), [])
    except csv.Error:
        return []


def _columns(cells: Sequence[str], names: Mapping[str, tuple[str, ...]]) -> dict[str, int]:
    """Which cell holds what, for the cells that are known column names."""
    found: dict[str, int] = {}
    for index, cell in enumerate(cells):
        key = cell.strip().casefold()
        for what, aliases in names.items():
            if key in aliases and what not in found:
                found[what] = index
    return found


def _header(lines: Sequence[str]) -> tuple[Format, str, int, dict[str, int]] | None:
    """The format, delimiter, line index and columns of the header, if one is found."""
    for index, line in enumerate(lines[:MAX_NOTE_LINES]):
        best: tuple[int, str, dict[str, int]] | None = None
        for delimiter in _DELIMITERS:
            columns = _columns(_split(line, delimiter), _LINKEDIN)
            enough = {"first", "last"} <= columns.keys() and len(columns) >= 3  # noqa: PLR2004
            if enough and (best is None or len(columns) > best[0]):
                best = (len(columns), delimiter, columns)
        if best is not None:
            return "linkedin", best[1], index, best[2]
    first = next((i for i, line in enumerate(lines) if line.strip()), 0)
    for delimiter in _DELIMITERS:
        columns = _columns(_split(lines[first], delimiter), _PLAIN)
        if "name" in columns:
            return "liste", delimiter, first, columns
    return None


def _looks_like_a_header(line: str) -> bool:
    """A first line that names known columns, but split by something else."""
    words = line.casefold()
    return sum(name in words for name in ("first name", "last name", "connected on")) >= 2  # noqa: PLR2004


# --- One row ----------------------------------------------------------------------------------


def _connected_on(text: str, today: date) -> date:
    text = text.strip()
    day = parse_day(text)
    if day is None and (match := _SLASHED.fullmatch(text)):
        try:
            day = date(int(match[3]), int(match[2]), int(match[1]))
        except ValueError:
            day = None
    if day is None and (match := _DAY_MONTH_YEAR.fullmatch(text)):
        month = _MONTHS.get(match[2].casefold().rstrip("."))
        if month is not None:
            try:
                day = date(int(match[3]), month, int(match[1]))
            except ValueError:
                day = None
    if day is None:
        raise AnswerError(
            f"Date de connexion illisible{NBSP}: {quote(text)}",
            fix=f"Écrivez-la comme {quote('15 Mar 2021')} ou {quote('2021-03-15')}.",
        )
    if day > today:
        raise AnswerError(
            f"Date de connexion située dans le futur{NBSP}: {quote(text)}",
            fix="Vérifiez cette date dans le fichier.",
        )
    return day


def _cell(text: str, column: str) -> str:
    """A kept cell, refused when a spreadsheet would run it or when it holds markup."""
    stripped = text.strip()
    if stripped.startswith(_FORMULA_STARTS):
        raise AnswerError(
            f"La colonne {quote(column)} commence par {quote(stripped[0])}, comme une formule "
            f"de tableur{NBSP}: {quote(_short(stripped))}",
            fix="Retirez ce caractère en début de cellule, puis importez le fichier de nouveau.",
        )
    if _MARKUP.search(stripped):
        raise AnswerError(
            f"La colonne {quote(column)} contient du code HTML{NBSP}: {quote(_short(stripped))}",
            fix="Retirez les balises (du type <b> ou <img>) du fichier, puis importez-le de "
            "nouveau.",
        )
    return stripped


def _short(text: str) -> str:
    return text if len(text) <= 40 else text[:40] + "…"  # noqa: PLR2004


@dataclass(frozen=True, kw_only=True, slots=True)
class _Layout:
    format: Format
    delimiter: str
    columns: Mapping[str, int]
    names: Mapping[str, str]  # what → the column's name in the file, for messages


def _row(cells: Sequence[str], layout: _Layout, line: int, today: date) -> Candidate | None:
    """The candidate of one row, or None for a row without a name; ``InvalidDataError``
    listing every problem of the row."""

    def get(what: str) -> str:
        index = layout.columns.get(what)
        return cells[index] if index is not None and index < len(cells) else ""

    errors = ErrorCollector()
    path = f"ligne {line}"
    parts: list[str] = []
    for what in ("first", "last") if layout.format == "linkedin" else ("name",):
        with errors.collect(path):
            parts.append(_cell(get(what), layout.names[what]))
    label = " ".join(part for part in parts if part)
    if not errors.errors and not label:
        return None
    fields: dict[str, Any] = {}
    if label:
        with errors.collect(path):
            fields["label"] = check_label(label)
    for what, check in (("url", check_url), ("company", check_company)):
        with errors.collect(path):
            value = _cell(get(what), layout.names.get(what, what))
            fields[what] = check(value) if value else None
    raw_date = get("connected").strip()
    with errors.collect(path):
        fields["connected_on"] = _connected_on(raw_date, today) if raw_date else None
    errors.finalize(_SOURCE)
    return Candidate(line=line, **fields)


def read_contacts(data: bytes, *, today: date | None = None) -> ImportPreview:
    """Parse the file; every candidate has status "new" (see :func:`preview_import`).

    ``today`` (default: the current UTC date, plus a day of clock skew) bounds the
    connection dates.
    """
    if today is None:
        today = (datetime.now(UTC) + MAX_CLOCK_SKEW).date()
    text = _decode(data)
    lines = text.splitlines()
    header = _header(lines)
    if header is None and _looks_like_a_header(lines[0]):
        raise _problem(
            "Séparateur de colonnes non reconnu dans l’en-tête (ligne 1)",
            "ligne 1",
            fix="Séparez les colonnes par des virgules, des points-virgules ou des tabulations.",
        )
    if header is None:  # one name per line, no header: the whole line is the name
        layout = _Layout(format="liste", delimiter="", columns={"name": 0}, names={"name": "nom"})
        start = 0
    else:
        fmt, delimiter, start, columns = header
        cells = _split(lines[start], delimiter)
        names = {what: cells[index].strip() for what, index in columns.items()}
        layout = _Layout(format=fmt, delimiter=delimiter, columns=columns, names=names)
        start += 1
    body = "\n".join(lines[start:])
    # No delimiter: a character that cannot be in the text (NUL was refused), so that a line
    # is one cell and its quotes are still read the CSV way.
    reader = csv.reader(io.StringIO(body), delimiter=layout.delimiter or "\x00", strict=True)
    errors = ErrorCollector()
    candidates: list[Candidate] = []
    skipped: list[int] = []
    rows = 0
    try:
        for cells in reader:
            line = start + reader.line_num
            if not any(cell.strip() for cell in cells):
                continue
            rows += 1
            if rows > MAX_IMPORT_ROWS:
                raise _problem(
                    f"Le fichier compte plus de {grouped(MAX_IMPORT_ROWS)} lignes "
                    f"(maximum{NBSP}: {grouped(MAX_IMPORT_ROWS)})",
                    fix="Découpez-le en plusieurs fichiers, ou gardez seulement les personnes "
                    "à importer.",
                )
            with errors.collect():
                candidate = _row(cells, layout, line, today)
                if candidate is None:
                    skipped.append(line)
                else:
                    candidates.append(candidate)
    except csv.Error:
        line = start + reader.line_num
        raise _problem(
            "Guillemets mal fermés dans le fichier",
            f"ligne {line}",
            fix="Vérifiez les guillemets de cette ligne, ou exportez le fichier de nouveau.",
        ) from None
    _finalize(errors.errors)
    if not candidates:
        raise _problem(
            "Le fichier ne contient aucun nom",
            fix="Choisissez le fichier Connections.csv de LinkedIn, ou une liste d’un nom par "
            "ligne.",
        )
    return ImportPreview(
        format=layout.format,
        delimiter=layout.delimiter,
        candidates=tuple(candidates),
        skipped=tuple(skipped),
    )


def _finalize(errors: Sequence[ValidationError]) -> None:
    if not errors:
        return
    listed = list(errors[:MAX_LISTED_ERRORS])
    if len(errors) > MAX_LISTED_ERRORS:
        more = len(errors) - MAX_LISTED_ERRORS
        listed.append(
            AnswerError(
                f"… et {grouped(more)} autre{'s' if more > 1 else ''} problème"
                f"{'s' if more > 1 else ''}",
                fix="Corrigez d’abord ceux-ci, puis importez le fichier de nouveau.",
            )
        )
    raise InvalidDataError(_SOURCE, listed)


# --- Against the archive ----------------------------------------------------------------------


def normalized_name(label: str) -> str:
    """A name as compared: accents, case, punctuation spacing and runs of spaces aside."""
    decomposed = unicodedata.normalize("NFKD", label)
    bare = "".join(char for char in decomposed if not unicodedata.combining(char))
    return " ".join(bare.casefold().replace("-", " ").split())


def normalized_url(url: str) -> str:
    """A profile URL as compared: ``http``/``https``, ``www.``, case, query and trailing ``/``
    aside (profile addresses such as LinkedIn's ignore the case of their path too)."""
    rest = re.sub(r"^https?://", "", url.strip(), flags=re.IGNORECASE)
    rest = re.split(r"[?#]", rest, maxsplit=1)[0].rstrip("/")
    host, _, path = rest.partition("/")
    host = host.casefold().removeprefix("www.")
    return f"{host}/{path.casefold()}"


def _people(archive: Archive) -> Iterable[Contact]:
    return (contact for contact in archive.contacts if contact.kind == "contact")


def _sorted_out(archive: Archive, candidates: Iterable[Candidate]) -> tuple[Candidate, ...]:
    names = {normalized_name(c.label): c.id for c in _people(archive)}
    urls = {normalized_url(c.url): c.id for c in _people(archive) if c.url}
    seen_names: dict[str, int] = {}
    seen_urls: dict[str, int] = {}
    out: list[Candidate] = []
    for read in candidates:
        name = normalized_name(read.label)
        url = normalized_url(read.url) if read.url else None
        existing = names.get(name) or (urls.get(url) if url else None)
        first = seen_names.get(name) or (seen_urls.get(url) if url else None)
        if existing is not None:
            out.append(dataclasses.replace(read, status="present", existing=existing))
        elif first is not None:
            out.append(dataclasses.replace(read, status="repeated", same_as=first))
        else:
            out.append(read)
        seen_names.setdefault(name, read.line)
        if url:
            seen_urls.setdefault(url, read.line)
    return tuple(out)


def preview_import(current: Archive, data: bytes, *, today: date | None = None) -> ImportPreview:
    """The file's candidates, each marked new, present (in ``current``) or repeated."""
    preview = read_contacts(data, today=today)
    return dataclasses.replace(preview, candidates=_sorted_out(current, preview.candidates))


def apply_import(  # noqa: PLR0913 - the visitor's choices, each named
    current: Archive,
    data: bytes,
    *,
    picks: Mapping[int, str],
    created: datetime,
    keep_url: bool,
    keep_company: bool,
    today: date | None = None,
) -> Archive:
    """``current`` with the picked candidates appended as people without evaluations.

    ``picks`` maps a line of the file (a new candidate) to the id the page drew for it.
    The file is read again: the page sends what the visitor previewed, not a list of names.
    """
    preview = preview_import(current, data, today=today)
    by_line = {c.line: c for c in preview.candidates}
    errors = ErrorCollector()
    used = {c.id for c in current.contacts}
    contacts: list[Contact] = []
    for line, contact_id in picks.items():
        path = f"picks.{line}"
        candidate = by_line.get(line)
        if candidate is None or candidate.status != "new":
            errors.add(
                AnswerError(
                    f"La ligne {line} du fichier n’est pas une personne à ajouter",
                    path,
                    fix=f"Rechargez la page{NBSP}: le fichier ou vos données ont changé.",
                )
            )
            continue
        if contact_id in used:
            errors.add(AnswerError(f"Identifiant déjà utilisé{NBSP}: {quote(contact_id)}", path))
            continue
        used.add(contact_id)
        contacts.append(
            Contact(
                id=contact_id,
                label=candidate.label,
                created=created,
                url=candidate.url if keep_url else None,
                company=candidate.company if keep_company else None,
                connected_on=candidate.connected_on,
            )
        )
    if len(current.contacts) + len(contacts) > MAX_CONTACTS:
        errors.add(
            AnswerError(
                f"Trop de contacts{NBSP}: {grouped(len(current.contacts) + len(contacts))} "
                f"(maximum{NBSP}: {grouped(MAX_CONTACTS)})",
                "picks",
                fix="Choisissez moins de personnes, ou supprimez les contacts dont vous n’avez "
                "plus besoin.",
            )
        )
    errors.finalize(_SOURCE)
    return dataclasses.replace(current, contacts=(*current.contacts, *contacts))


def decode_file(value: object, path: str = "file") -> bytes:
    """The file's bytes from the base64 text the page sends."""
    if not isinstance(value, str):
        raise _problem("Le fichier manque dans la requête", path)
    if len(value) > MAX_IMPORT_BYTES * 4 // 3 + 4:
        raise _problem(
            f"Le fichier est trop volumineux (maximum{NBSP}: {grouped(MAX_IMPORT_BYTES)} octets)",
            path,
            fix="Gardez seulement les lignes des personnes à importer.",
        )
    try:
        return base64.b64decode(value, validate=True)
    except (binascii.Error, ValueError):
        raise _problem("Le fichier n’a pas été transmis correctement", path) from None


# --- The duration of a relation that an import dated ------------------------------------------


def duration_since(questionnaire: Questionnaire, since: date, today: date) -> str | None:
    """The id of the duration that a relation started on ``since`` has lasted by ``today``:
    the first whose ``up_to_days`` it does not exceed, else the open-ended last one; None when
    the definition gives no ``up_to_days`` (nothing to go by)."""
    durations = questionnaire.context.durations
    if not any(d.up_to_days for d in durations):
        return None
    days = max(0, (today - since).days)
    for duration in durations:
        if duration.up_to_days is not None and days <= duration.up_to_days:
            return duration.id
    open_ended = [d for d in durations if d.up_to_days is None]
    return open_ended[-1].id if open_ended else durations[-1].id
