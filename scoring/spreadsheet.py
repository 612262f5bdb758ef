"""Mon réseau as a table: one row per entry of the overview, for a spreadsheet.

:func:`export_csv` reads the records of :func:`scoring.overview.summarize` (the page's own
figures, so that the table and the page never disagree) and writes them as French
spreadsheets read CSV. A cell never runs as a formula, and a right-to-left name cannot
reorder the cells after it.
"""

from __future__ import annotations

import io
import unicodedata
from typing import TYPE_CHECKING, Final

from scoring.archive import format_date
from scoring.overview import summarize

if TYPE_CHECKING:
    from scoring.archive import Archive
    from scoring.overview import EvaluationSummary

__all__ = ["CSV_HEADERS", "export_csv"]

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
# Bidi classes of right-to-left letters and numbers and of the explicit controls (UAX #9).
_BIDI_RISKS: Final = frozenset(
    {"R", "AL", "AN", "LRE", "LRO", "RLE", "RLO", "PDF", "LRI", "RLI", "FSI", "PDI"}
)
# What a spreadsheet would read as the start of a formula (OWASP, "CSV injection").
_FORMULA_STARTS: Final = ("=", "+", "-", "@", "\t", "\r")


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


def _verdict(summary: EvaluationSummary | None) -> str:
    if summary is None:
        return ""
    return summary.verdict_label + (" (provisoire)" if summary.provisional else "")


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

    overview = summarize(archive)
    quadrants = {placed.quadrant.id: placed.quadrant.label for placed in overview.map.quadrants}
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=";", lineterminator="\r\n")
    writer.writerow(CSV_HEADERS)
    for contact in overview.contacts:
        latest = contact.latest
        writer.writerow(
            [
                _label_cell(contact.label),
                _KIND_LABELS[contact.kind],
                "" if latest is None else format_date(latest.date)[:10],
                _cell(_verdict(latest)),
                "" if latest is None else latest.score,
                _cell(_verdict(contact.give)),
                "" if contact.quadrant is None else quadrants[contact.quadrant],
                _hours(None if latest is None else latest.minutes),
                len(contact.evaluations) + len(contact.ignored),  # every one kept
            ]
        )
    return "\ufeff" + buffer.getvalue()
