"""Mon réseau's overview: every entry scored, the bands, the win-win map, the time balance.

:func:`summarize` turns the stored archive (:func:`scoring.network.read_stored`) into an
:class:`Overview`, a tree of frozen records; :meth:`Overview.to_dict` is its JSON, given to
the page by ``scoring.browser.network`` and nowhere else (the table export reads the records,
:mod:`scoring.spreadsheet`). Pure and clock-free: an archive in, records out.

Entries (people, groups, the visitor: ``kind``) keep the archive's order; an entry's
evaluations are sorted by date (stable). An entry's ``latest`` is the latest evaluation of its
own questionnaire (anything but the map's give side, which is another scale: what the visitor
gives, not what they receive), ``give`` the latest of the give side; each ``trend`` is the
score's change since the evaluation before it with the same questionnaire, or ``None``.
An evaluation the site can no longer count (``Evaluation.ignored``) is listed with its reason
and counted nowhere; an entry that could not be read at all is set aside, with its text to
download.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from types import MappingProxyType
from typing import TYPE_CHECKING, Final, Literal

from scoring._french import NBSP
from scoring.archive import format_date
from scoring.engine import score
from scoring.model import load_map, load_questionnaire, subject_ids

if TYPE_CHECKING:
    from collections.abc import Mapping, Sequence
    from datetime import datetime

    from scoring._jsontypes import JsonValue
    from scoring.archive import Archive, Contact, Evaluation
    from scoring.model import MapSide, Quadrant, WinWinMap

__all__ = [
    "GROUP_QUESTIONNAIRE",
    "HELP_SHARE_HIGH",
    "HELP_SHARE_LOW",
    "NETWORK_QUESTIONNAIRE",
    "BandCount",
    "ContactSummary",
    "EvaluationSummary",
    "IgnoredEvaluation",
    "MapAxis",
    "NetworkMap",
    "Overview",
    "PlacedQuadrant",
    "SetAsideEntry",
    "SetAsideSummary",
    "TimeBalance",
    "summarize",
]

# The questionnaires whose bands the overview counts: people's, and groups'.
NETWORK_QUESTIONNAIRE: Final = "contact"
GROUP_QUESTIONNAIRE: Final = "groupe"
# Rule 6: the share of the recorded time that goes to helping others, below which (or above
# which) the time is not balanced. A third either way leaves room for every way of working.
HELP_SHARE_LOW: Final = 1 / 3
HELP_SHARE_HIGH: Final = 2 / 3
TIME_RULE: Final = 6
Balance = Literal["peu-d-aide", "trop-d-aide", "equilibre"]
_BALANCE_MESSAGES: Final[Mapping[Balance, str]] = {
    "peu-d-aide": "Vous passez bien plus de temps sur vos propres questions qu’à aider vos "
    f"contacts{NBSP}: pensez à rendre ce que vous recevez.",
    "trop-d-aide": "Vous passez bien plus de temps à aider vos contacts que sur vos propres "
    f"questions{NBSP}: gardez-en pour vos recherches.",
    "equilibre": "Votre temps est équilibré entre vos propres questions et l’aide que vous "
    "apportez.",
}


# --- The records ------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True, kw_only=True)
class EvaluationSummary:
    """One evaluation, scored with the questionnaire it was made with."""

    id: str
    date: datetime
    questionnaire: str
    verdict: str  # the band's id
    verdict_label: str
    score: int
    score_min: int  # the questionnaire's scale
    score_max: int
    provisional: bool  # too recent to judge (rules 4 and 5)
    coverage: float
    minutes: int | None  # time per month, when the visitor said

    def to_dict(self) -> dict[str, JsonValue]:
        return {
            "id": self.id,
            "date": format_date(self.date),
            "questionnaire": self.questionnaire,
            "verdict": self.verdict,
            "verdict_label": self.verdict_label,
            "score": self.score,
            "score_min": self.score_min,
            "score_max": self.score_max,
            "provisional": self.provisional,
            "coverage": self.coverage,
            "minutes": self.minutes,
        }


@dataclass(frozen=True, slots=True, kw_only=True)
class IgnoredEvaluation:
    """An evaluation kept but counted nowhere (a date ahead, a criterion the site no longer
    has…), with why in French."""

    id: str
    date: datetime
    questionnaire: str
    reason: str

    def to_dict(self) -> dict[str, JsonValue]:
        return {
            "id": self.id,
            "date": format_date(self.date),
            "questionnaire": self.questionnaire,
            "status": "ignorée",
            "reason": self.reason,
        }


@dataclass(frozen=True, slots=True, kw_only=True)
class ContactSummary:
    """One entry of the archive (a person, a group, the visitor) with its scored evaluations."""

    id: str
    kind: str  # one of scoring.model.subject_ids() (subjects.toml)
    label: str
    created: datetime
    evaluations: tuple[EvaluationSummary, ...]  # by date; the ignored ones apart
    latest: EvaluationSummary | None  # of the entry's own questionnaire
    trend: int | None
    give: EvaluationSummary | None  # the map's give side
    give_trend: int | None
    quadrant: str | None  # the win-win map's, for a person evaluated on both sides
    ignored: tuple[IgnoredEvaluation, ...]

    def to_dict(self) -> dict[str, JsonValue]:
        return {
            "id": self.id,
            "kind": self.kind,
            "label": self.label,
            "created": format_date(self.created),
            "evaluations": [evaluation.to_dict() for evaluation in self.evaluations],
            "latest": None if self.latest is None else self.latest.to_dict(),
            "trend": self.trend,
            "give": None if self.give is None else self.give.to_dict(),
            "give_trend": self.give_trend,
            "quadrant": self.quadrant,
            "ignored": [evaluation.to_dict() for evaluation in self.ignored],
        }


@dataclass(frozen=True, slots=True, kw_only=True)
class BandCount:
    """A verdict band and how many entries' latest verdict falls in it."""

    id: str
    label: str
    count: int

    def to_dict(self) -> dict[str, JsonValue]:
        return {"id": self.id, "label": self.label, "count": self.count}


@dataclass(frozen=True, slots=True, kw_only=True)
class MapAxis:
    """One side of the win-win map, with the scale of its questionnaire."""

    side: MapSide
    score_min: int
    score_max: int

    def to_dict(self) -> dict[str, JsonValue]:
        return {**self.side.to_dict(), "score_min": self.score_min, "score_max": self.score_max}


@dataclass(frozen=True, slots=True, kw_only=True)
class PlacedQuadrant:
    """A quadrant of the map and the people placed in it (ids, in the archive's order)."""

    quadrant: Quadrant
    contacts: tuple[str, ...]

    def to_dict(self) -> dict[str, JsonValue]:
        return {**self.quadrant.to_dict(), "contacts": list(self.contacts)}


@dataclass(frozen=True, slots=True, kw_only=True)
class NetworkMap:
    """The win-win map (``carte.toml``) with the network's people placed on it."""

    receive: MapAxis
    give: MapAxis
    quadrants: tuple[PlacedQuadrant, ...]

    def to_dict(self) -> dict[str, JsonValue]:
        return {
            "receive": self.receive.to_dict(),
            "give": self.give.to_dict(),
            "quadrants": [quadrant.to_dict() for quadrant in self.quadrants],
        }


@dataclass(frozen=True, slots=True, kw_only=True)
class TimeBalance:
    """Rule 6: the minutes per month spent on one's own questions, on helping others, and in
    groups, from the latest evaluation of each side of each entry."""

    recorded: bool  # whether any of those evaluations says its time
    own: int
    help: int
    groups: int
    costly_groups: tuple[str, ...]  # groups not worth staying in as they are, costliest first

    @property
    def help_share(self) -> float | None:
        """The share of one's time with people that goes to helping them; None: none given."""
        return self.help / (self.own + self.help) if self.own + self.help else None

    @property
    def balance(self) -> Balance | None:
        share = self.help_share
        if share is None:
            return None
        if share < HELP_SHARE_LOW:
            return "peu-d-aide"
        return "trop-d-aide" if share > HELP_SHARE_HIGH else "equilibre"

    @property
    def message(self) -> str | None:
        """What the page says of the balance, in French."""
        balance = self.balance
        return None if balance is None else _BALANCE_MESSAGES[balance]

    def to_dict(self) -> dict[str, JsonValue]:
        return {
            "recorded": self.recorded,
            "own": self.own,
            "help": self.help,
            "groups": self.groups,
            "help_share": self.help_share,
            "balance": self.balance,
            "message": self.message,
            "rules": [TIME_RULE],
            "costly_groups": list(self.costly_groups),
        }


@dataclass(frozen=True, slots=True, kw_only=True)
class SetAsideEntry:
    """A stored entry that could not be read: a whole contact, or one of its evaluations."""

    kind: Literal["contact", "evaluation"]
    label: str | None  # its contact's name, when known
    reason: str  # the first of its problems, in French
    where: str  # its key path in the stored text

    def to_dict(self) -> dict[str, JsonValue]:
        return {"kind": self.kind, "label": self.label, "reason": self.reason, "where": self.where}


@dataclass(frozen=True, slots=True, kw_only=True)
class SetAsideSummary:
    """The entries set aside, and their JSON text for the visitor to download ("" if none)."""

    entries: tuple[SetAsideEntry, ...]
    text: str

    def to_dict(self) -> dict[str, JsonValue]:
        return {
            "count": len(self.entries),
            "entries": [entry.to_dict() for entry in self.entries],
            "text": self.text,
        }


@dataclass(frozen=True, slots=True, kw_only=True)
class Overview:
    """What Mon réseau shows of the whole archive."""

    contacts: tuple[ContactSummary, ...]  # the archive's order
    bands: tuple[BandCount, ...]  # the people's (NETWORK_QUESTIONNAIRE), most favourable first
    group_bands: tuple[BandCount, ...]  # the groups' (GROUP_QUESTIONNAIRE)
    map: NetworkMap
    time: TimeBalance
    set_aside: SetAsideSummary

    @property
    def evaluated(self) -> int:
        """How many people have a verdict."""
        return sum(1 for c in self.contacts if c.kind == "contact" and c.latest is not None)

    @property
    def counts(self) -> Mapping[str, int]:
        """How many entries of each kind, every kind named (in the order of subjects.toml)."""
        return MappingProxyType(
            {kind: sum(1 for c in self.contacts if c.kind == kind) for kind in subject_ids()}
        )

    @property
    def ignored(self) -> int:
        """How many evaluations are kept but counted nowhere."""
        return sum(len(contact.ignored) for contact in self.contacts)

    def to_dict(self) -> dict[str, JsonValue]:
        """The page's JSON (``network.js``, ``reseau-*.js`` read it as it is)."""
        return {
            "contacts": [contact.to_dict() for contact in self.contacts],
            "bands": [band.to_dict() for band in self.bands],
            "group_bands": [band.to_dict() for band in self.group_bands],
            "evaluated": self.evaluated,
            "total": len(self.contacts),
            "counts": dict(self.counts),
            "map": self.map.to_dict(),
            "time": self.time.to_dict(),
            "ignored": self.ignored,
            "set_aside": self.set_aside.to_dict(),
        }


# --- The computations -------------------------------------------------------------------------


def _evaluation_summary(evaluation: Evaluation) -> EvaluationSummary:
    questionnaire = load_questionnaire(evaluation.questionnaire)
    result = score(questionnaire, evaluation.answers, evaluation.context)
    return EvaluationSummary(
        id=evaluation.id,
        date=evaluation.date,
        questionnaire=evaluation.questionnaire,
        verdict=result.verdict,
        verdict_label=result.verdict_label,
        score=result.score,
        score_min=result.score_min,
        score_max=result.score_max,
        provisional=result.provisional,
        coverage=result.coverage,
        minutes=evaluation.minutes,
    )


def _latest_with_trend(
    evaluations: Sequence[EvaluationSummary],
) -> tuple[EvaluationSummary | None, int | None]:
    """The last of ``evaluations`` (one questionnaire's, by date) and its change of score."""
    if not evaluations:
        return None, None
    latest = evaluations[-1]
    trend = latest.score - evaluations[-2].score if len(evaluations) > 1 else None
    return latest, trend


def _quadrant(
    carte: WinWinMap, kind: str, latest: EvaluationSummary | None, given: EvaluationSummary | None
) -> str | None:
    """Where a person evaluated on both sides of the map lands; None for anyone else."""
    if kind != "contact" or latest is None or given is None:
        return None
    if latest.questionnaire != carte.receive.questionnaire:
        return None
    return carte.quadrant(receive_score=latest.score, give_score=given.score).id


def _contact_summary(contact: Contact, carte: WinWinMap) -> ContactSummary:
    give = carte.give.questionnaire
    ordered = sorted(contact.evaluations, key=lambda evaluation: evaluation.date)  # stable
    evaluations = tuple(_evaluation_summary(e) for e in ordered if not e.ignored)
    # The entry's own verdict: its latest evaluation but the give side's. A trend compares one
    # questionnaire only.
    main = [e for e in evaluations if e.questionnaire != give]
    if main:
        main = [e for e in main if e.questionnaire == main[-1].questionnaire]
    latest, trend = _latest_with_trend(main)
    given, give_trend = _latest_with_trend([e for e in evaluations if e.questionnaire == give])
    return ContactSummary(
        id=contact.id,
        kind=contact.kind,
        label=contact.label,
        created=contact.created,
        evaluations=evaluations,
        latest=latest,
        trend=trend,
        give=given,
        give_trend=give_trend,
        quadrant=_quadrant(carte, contact.kind, latest, given),
        ignored=tuple(
            IgnoredEvaluation(id=e.id, date=e.date, questionnaire=e.questionnaire, reason=e.ignored)
            for e in ordered
            if e.ignored
        ),
    )


def _set_aside(archive: Archive) -> SetAsideSummary:
    """The entries that could not be read: why, where, and their text to download."""
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
            SetAsideEntry(
                kind="evaluation" if id(entry) in labels else "contact",
                label=label,
                reason=entry.reason,
                where=entry.where,
            )
        )
    data = [entry.data for entry in entries]
    return SetAsideSummary(
        entries=tuple(described),
        text=json.dumps(data, ensure_ascii=False, indent=2) + "\n" if entries else "",
    )


def _band_counts(
    questionnaire_id: str, contacts: Sequence[ContactSummary]
) -> tuple[BandCount, ...]:
    """The bands of a questionnaire, most favourable first, with how many entries' latest
    verdict falls in each."""
    verdicts = [
        c.latest.verdict
        for c in contacts
        if c.latest is not None and c.latest.questionnaire == questionnaire_id
    ]
    return tuple(
        BandCount(id=band.id, label=band.label, count=verdicts.count(band.id))
        for band in load_questionnaire(questionnaire_id).bands
    )


def _network_map(carte: WinWinMap, contacts: Sequence[ContactSummary]) -> NetworkMap:
    """The map with each person placed (their ``quadrant``) and each side's scale."""

    def axis(side: MapSide) -> MapAxis:
        questionnaire = load_questionnaire(side.questionnaire)
        return MapAxis(
            side=side, score_min=questionnaire.score_min, score_max=questionnaire.score_max
        )

    return NetworkMap(
        receive=axis(carte.receive),
        give=axis(carte.give),
        quadrants=tuple(
            PlacedQuadrant(
                quadrant=quadrant,
                contacts=tuple(c.id for c in contacts if c.quadrant == quadrant.id),
            )
            for quadrant in carte.quadrants
        ),
    )


def _time_balance(contacts: Sequence[ContactSummary], give: str) -> TimeBalance:
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
        for evaluation in (contact.latest, contact.give):
            if evaluation is None or evaluation.minutes is None:
                continue
            recorded = True
            minutes = evaluation.minutes
            if evaluation.questionnaire == give:
                help_ += minutes
            elif contact.kind == "groupe":
                groups += minutes
            elif contact.kind == "contact":
                own += minutes
        latest = contact.latest
        if (
            contact.kind == "groupe"
            and latest is not None
            and latest.questionnaire == GROUP_QUESTIONNAIRE
            and latest.verdict != group_bands[0].id
        ):
            costly.append((latest.minutes or 0, contact.id))
    return TimeBalance(
        recorded=recorded,
        own=own,
        help=help_,
        groups=groups,
        # Most minutes first; the archive's order among equals (sorted() is stable).
        costly_groups=tuple(contact_id for _, contact_id in sorted(costly, key=lambda p: -p[0])),
    )


def summarize(archive: Archive) -> Overview:
    """The overview of the network (see the module's docstring for what each part holds)."""
    carte = load_map()
    contacts = tuple(_contact_summary(contact, carte) for contact in archive.contacts)
    return Overview(
        contacts=contacts,
        bands=_band_counts(NETWORK_QUESTIONNAIRE, [c for c in contacts if c.kind == "contact"]),
        group_bands=_band_counts(GROUP_QUESTIONNAIRE, [c for c in contacts if c.kind == "groupe"]),
        map=_network_map(carte, contacts),
        time=_time_balance(contacts, carte.give.questionnaire),
        set_aside=_set_aside(archive),
    )
