"""Each relation over time, and the verdict mix of the network per quarter.

:func:`entry_history` gives, for one entry (a person, a group, the self-assessment), the
series of its evaluations with one questionnaire: date, bilan, verdict band; with the bands
of that questionnaire as score ranges, so that a chart can shade them. The give side of the
win-win map is another scale (what the visitor gives): it is a series of its own.
:func:`quarter_mix` counts, at the end of each calendar quarter, the people whose latest
evaluation then had each verdict: how the network moved.

An evaluation the site can no longer count (``Evaluation.ignored``: a date ahead, a criterion
it no longer has…) is on no chart and in no mix, as it is counted nowhere in the overview.

Pure and clock-free: an archive in, frozen records out; :meth:`NetworkHistory.to_dict` is the
JSON the page draws its charts from (``scoring.network_requests.history``, nowhere else).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import TYPE_CHECKING, Final

from scoring.archive import format_date
from scoring.engine import score
from scoring.model import load_questionnaire

if TYPE_CHECKING:
    from datetime import datetime

    from scoring._jsontypes import JsonValue
    from scoring.archive import Archive, Contact, Evaluation
    from scoring.model import Questionnaire

__all__ = [
    "BandRange",
    "EntryHistory",
    "HistoryPoint",
    "NetworkHistory",
    "QuarterMix",
    "Series",
    "VerdictCount",
    "entry_history",
    "network_history",
    "quarter_mix",
]

# The questionnaire whose verdicts the network's mix counts: the crible, for people.
MIX_QUESTIONNAIRE: Final = "contact"


# --- The records ------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True, kw_only=True)
class HistoryPoint:
    """One evaluation on its entry's chart."""

    evaluation: str  # the evaluation's id
    date: datetime
    score: int
    verdict: str
    verdict_label: str
    tone: str  # the band's (scoring.model.TONES)
    provisional: bool

    def to_dict(self) -> dict[str, JsonValue]:
        return {
            "evaluation": self.evaluation,
            "date": format_date(self.date),
            "score": self.score,
            "verdict": self.verdict,
            "verdict_label": self.verdict_label,
            "tone": self.tone,
            "provisional": self.provisional,
        }


@dataclass(frozen=True, slots=True, kw_only=True)
class BandRange:
    """A verdict band as the scores it covers, ``low`` to ``high`` included."""

    id: str
    label: str
    tone: str
    low: int
    high: int

    def to_dict(self) -> dict[str, JsonValue]:
        return {
            "id": self.id,
            "label": self.label,
            "tone": self.tone,
            "low": self.low,
            "high": self.high,
        }


@dataclass(frozen=True, slots=True, kw_only=True)
class Series:
    """An entry's evaluations with one questionnaire, by date, on that questionnaire's scale."""

    questionnaire: str
    title: str
    score_min: int
    score_max: int
    bands: tuple[BandRange, ...]  # most favourable first
    points: tuple[HistoryPoint, ...]

    def to_dict(self) -> dict[str, JsonValue]:
        return {
            "questionnaire": self.questionnaire,
            "title": self.title,
            "score_min": self.score_min,
            "score_max": self.score_max,
            "bands": [band.to_dict() for band in self.bands],
            "points": [point.to_dict() for point in self.points],
        }


@dataclass(frozen=True, slots=True, kw_only=True)
class EntryHistory:
    """One entry of the archive and its series."""

    id: str
    kind: str
    label: str
    # What an import kept (archive version 3), or None.
    url: str | None
    company: str | None
    connected_on: date | None
    series: tuple[Series, ...]  # in order of first use

    def to_dict(self) -> dict[str, JsonValue]:
        return {
            "id": self.id,
            "kind": self.kind,
            "label": self.label,
            "url": self.url,
            "company": self.company,
            "connected_on": None if self.connected_on is None else self.connected_on.isoformat(),
            "series": [series.to_dict() for series in self.series],
        }


@dataclass(frozen=True, slots=True, kw_only=True)
class VerdictCount:
    """A verdict band and how many people had it."""

    id: str
    label: str
    tone: str
    count: int

    def to_dict(self) -> dict[str, JsonValue]:
        return {"id": self.id, "label": self.label, "tone": self.tone, "count": self.count}


@dataclass(frozen=True, slots=True, kw_only=True)
class QuarterMix:
    """At the end of one calendar quarter, how many people's latest verdict was each band."""

    year: int
    quarter: int  # 1 to 4
    end: date  # the quarter's last day
    counts: tuple[VerdictCount, ...]  # most favourable first

    @property
    def total(self) -> int:
        """How many people had a verdict by then."""
        return sum(count.count for count in self.counts)

    def to_dict(self) -> dict[str, JsonValue]:
        return {
            "quarter": f"{self.year}-T{self.quarter}",
            "label": f"{self.quarter}{'er' if self.quarter == 1 else 'e'} trimestre {self.year}",
            "end": self.end.isoformat(),
            "counts": [count.to_dict() for count in self.counts],
            "total": self.total,
        }


@dataclass(frozen=True, slots=True, kw_only=True)
class NetworkHistory:
    """Every entry's series (entries in the archive's order) and the quarters' mix."""

    entries: tuple[EntryHistory, ...]
    quarters: tuple[QuarterMix, ...]

    def to_dict(self) -> dict[str, JsonValue]:
        return {
            "entries": [entry.to_dict() for entry in self.entries],
            "quarters": [quarter.to_dict() for quarter in self.quarters],
        }


# --- The computations -------------------------------------------------------------------------


def _point(questionnaire: Questionnaire, evaluation: Evaluation) -> HistoryPoint:
    result = score(questionnaire, evaluation.answers, evaluation.context)
    return HistoryPoint(
        evaluation=evaluation.id,
        date=evaluation.date,
        score=result.score,
        verdict=result.verdict,
        verdict_label=result.verdict_label,
        tone=questionnaire.band_by_id[result.verdict].tone,
        provisional=result.provisional,
    )


def _bands(questionnaire: Questionnaire) -> tuple[BandRange, ...]:
    """Each band as the score range it covers, most favourable first."""
    out: list[BandRange] = []
    top = questionnaire.score_max
    for band in questionnaire.bands:
        low = max(band.min_score, questionnaire.score_min)
        out.append(BandRange(id=band.id, label=band.label, tone=band.tone, low=low, high=top))
        top = low - 1
    return tuple(out)


def entry_history(contact: Contact) -> tuple[Series, ...]:
    """One series per questionnaire the entry was evaluated with, in order of first use;
    each series has its points sorted by date (stable) and its questionnaire's scale."""
    series: dict[str, list[Evaluation]] = {}
    for evaluation in sorted(contact.evaluations, key=lambda e: e.date):
        if not evaluation.ignored:  # kept but counted nowhere (see scoring.overview)
            series.setdefault(evaluation.questionnaire, []).append(evaluation)
    out = []
    for questionnaire_id, evaluations in series.items():
        questionnaire = load_questionnaire(questionnaire_id)
        out.append(
            Series(
                questionnaire=questionnaire_id,
                title=questionnaire.title,
                score_min=questionnaire.score_min,
                score_max=questionnaire.score_max,
                bands=_bands(questionnaire),
                points=tuple(_point(questionnaire, e) for e in evaluations),
            )
        )
    return tuple(out)


def _quarter(day: date) -> tuple[int, int]:
    return day.year, (day.month - 1) // 3 + 1


def _quarter_end(year: int, quarter: int) -> date:
    month = quarter * 3
    next_month = date(year + (month == 12), month % 12 + 1, 1)  # noqa: PLR2004
    return date.fromordinal(next_month.toordinal() - 1)


def quarter_mix(archive: Archive) -> tuple[QuarterMix, ...]:
    """From the quarter of the first crible evaluation to that of the last: at each quarter's
    end, how many people's latest crible verdict was each band (most favourable first)."""
    questionnaire = load_questionnaire(MIX_QUESTIONNAIRE)
    dated: list[tuple[date, str, str]] = []  # (day, contact id, verdict), by date
    for contact in archive.contacts:
        if contact.kind != questionnaire.subject:
            continue
        for evaluation in contact.evaluations:
            if evaluation.questionnaire == MIX_QUESTIONNAIRE and not evaluation.ignored:
                verdict = score(questionnaire, evaluation.answers, evaluation.context).verdict
                dated.append((evaluation.date.date(), contact.id, verdict))
    if not dated:
        return ()
    dated.sort(key=lambda item: item[0])
    year, quarter = _quarter(dated[0][0])
    last = _quarter(dated[-1][0])
    latest: dict[str, str] = {}
    index = 0
    out: list[QuarterMix] = []
    while (year, quarter) <= last:
        end = _quarter_end(year, quarter)
        while index < len(dated) and dated[index][0] <= end:
            latest[dated[index][1]] = dated[index][2]
            index += 1
        verdicts = list(latest.values())
        counts = tuple(
            VerdictCount(id=b.id, label=b.label, tone=b.tone, count=verdicts.count(b.id))
            for b in questionnaire.bands
        )
        out.append(QuarterMix(year=year, quarter=quarter, end=end, counts=counts))
        year, quarter = (year + 1, 1) if quarter == 4 else (year, quarter + 1)  # noqa: PLR2004
    return tuple(out)


def network_history(archive: Archive) -> NetworkHistory:
    """Every entry's series (entries in the archive's order) and the quarters' mix."""
    return NetworkHistory(
        entries=tuple(
            EntryHistory(
                id=contact.id,
                kind=contact.kind,
                label=contact.label,
                url=contact.url,
                company=contact.company,
                connected_on=contact.connected_on,
                series=entry_history(contact),
            )
            for contact in archive.contacts
        ),
        quarters=quarter_mix(archive),
    )
