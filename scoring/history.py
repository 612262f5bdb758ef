"""Each relation over time, and the verdict mix of the network per quarter.

:func:`entry_history` gives, for one entry (a person, a group, the self-assessment), the
series of its evaluations with one questionnaire: date, bilan, verdict band; with the bands
of that questionnaire as score ranges, so that a chart can shade them. The give side of the
win-win map is another scale (what the visitor gives): it is a series of its own.
:func:`quarter_mix` counts, at the end of each calendar quarter, the people whose latest
evaluation then had each verdict: how the network moved.

Pure and clock-free: an archive in, plain data out (the page draws the SVG).
"""

from __future__ import annotations

from datetime import date
from typing import TYPE_CHECKING, Any, Final

from scoring.archive import Archive, Contact, format_date
from scoring.engine import score
from scoring.model import load_questionnaire

if TYPE_CHECKING:
    from scoring.archive import Evaluation
    from scoring.model import Questionnaire

__all__ = ["entry_history", "network_history", "quarter_mix"]

# The questionnaire whose verdicts the network's mix counts: the crible, for people.
MIX_QUESTIONNAIRE: Final = "contact"


def _point(questionnaire: Questionnaire, evaluation: Evaluation) -> dict[str, Any]:
    result = score(questionnaire, evaluation.answers, evaluation.context)
    band = next(b for b in questionnaire.bands if b.id == result.verdict)
    return {
        "evaluation": evaluation.id,
        "date": format_date(evaluation.date),
        "score": result.score,
        "verdict": result.verdict,
        "verdict_label": result.verdict_label,
        "tone": band.tone,
        "provisional": result.provisional,
    }


def _bands(questionnaire: Questionnaire) -> list[dict[str, Any]]:
    """Each band as the score range it covers, most favourable first."""
    out: list[dict[str, Any]] = []
    top = questionnaire.score_max
    for band in questionnaire.bands:
        low = max(band.min_score, questionnaire.score_min)
        out.append({"id": band.id, "label": band.label, "tone": band.tone, "low": low, "high": top})
        top = low - 1
    return out


def entry_history(contact: Contact) -> list[dict[str, Any]]:
    """One series per questionnaire the entry was evaluated with, in order of first use;
    each series has its points sorted by date (stable) and its questionnaire's scale."""
    series: dict[str, list[Evaluation]] = {}
    for evaluation in sorted(contact.evaluations, key=lambda e: e.date):
        series.setdefault(evaluation.questionnaire, []).append(evaluation)
    out = []
    for questionnaire_id, evaluations in series.items():
        questionnaire = load_questionnaire(questionnaire_id)
        out.append(
            {
                "questionnaire": questionnaire_id,
                "title": questionnaire.title,
                "score_min": questionnaire.score_min,
                "score_max": questionnaire.score_max,
                "bands": _bands(questionnaire),
                "points": [_point(questionnaire, e) for e in evaluations],
            }
        )
    return out


def _quarter(day: date) -> tuple[int, int]:
    return day.year, (day.month - 1) // 3 + 1


def _quarter_end(year: int, quarter: int) -> date:
    month = quarter * 3
    next_month = date(year + (month == 12), month % 12 + 1, 1)  # noqa: PLR2004
    return date.fromordinal(next_month.toordinal() - 1)


def quarter_mix(archive: Archive) -> list[dict[str, Any]]:
    """From the quarter of the first crible evaluation to that of the last: at each quarter's
    end, how many people's latest crible verdict was each band (most favourable first)."""
    questionnaire = load_questionnaire(MIX_QUESTIONNAIRE)
    dated: list[tuple[date, str, str]] = []  # (day, contact id, verdict), by date
    for contact in archive.contacts:
        if contact.kind != questionnaire.subject:
            continue
        for evaluation in contact.evaluations:
            if evaluation.questionnaire == MIX_QUESTIONNAIRE:
                verdict = score(questionnaire, evaluation.answers, evaluation.context).verdict
                dated.append((evaluation.date.date(), contact.id, verdict))
    if not dated:
        return []
    dated.sort(key=lambda item: item[0])
    year, quarter = _quarter(dated[0][0])
    last = _quarter(dated[-1][0])
    latest: dict[str, str] = {}
    index = 0
    out: list[dict[str, Any]] = []
    while (year, quarter) <= last:
        end = _quarter_end(year, quarter)
        while index < len(dated) and dated[index][0] <= end:
            latest[dated[index][1]] = dated[index][2]
            index += 1
        verdicts = list(latest.values())
        out.append(
            {
                "quarter": f"{year}-T{quarter}",
                "label": f"{quarter}{'er' if quarter == 1 else 'e'} trimestre {year}",
                "end": end.isoformat(),
                "counts": [
                    {"id": b.id, "label": b.label, "tone": b.tone, "count": verdicts.count(b.id)}
                    for b in questionnaire.bands
                ],
                "total": len(verdicts),
            }
        )
        year, quarter = (year + 1, 1) if quarter == 4 else (year, quarter + 1)  # noqa: PLR2004
    return out


def network_history(archive: Archive) -> dict[str, Any]:
    """Every entry's series (entries in the archive's order) and the quarters' mix."""
    return {
        "entries": [
            {
                "id": contact.id,
                "kind": contact.kind,
                "label": contact.label,
                # What an import kept (archive version 3), or None.
                "url": contact.url,
                "company": contact.company,
                "connected_on": None
                if contact.connected_on is None
                else contact.connected_on.isoformat(),
                "series": entry_history(contact),
            }
            for contact in archive.contacts
        ],
        "quarters": quarter_mix(archive),
    }
