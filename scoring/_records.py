"""The records of the model: frozen, slotted, keyword-only, built only by ``_parse``.

``Questionnaire.to_dict`` is the JSON that the CLI's ``show`` and the browser's ``describe``
give, so that JavaScript reads the very definition the engine scores with.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Literal

if TYPE_CHECKING:
    from scoring._jsontypes import JsonValue

__all__ = [
    "AnswerLabels",
    "Band",
    "Context",
    "Contradiction",
    "Dimension",
    "Duration",
    "Item",
    "MapSide",
    "Quadrant",
    "Questionnaire",
    "Rule",
    "Sign",
    "Subject",
    "SubjectForm",
    "WinWinMap",
]

Sign = Literal["+", "-"]


@dataclass(frozen=True, slots=True, kw_only=True)
class Rule:
    number: int
    title: str
    principle: str


@dataclass(frozen=True, slots=True, kw_only=True)
class AnswerLabels:
    yes: str
    no: str
    unknown: str


@dataclass(frozen=True, slots=True, kw_only=True)
class Duration:
    id: str
    label: str
    provisional: bool  # too recent to judge (rules 4 and 5): the verdict is only provisional
    # The longest relation, in days, that this duration describes (None: no upper bound, or not
    # said). It turns the day a relation started into a duration (an imported contact's).
    up_to_days: int | None = None


@dataclass(frozen=True, slots=True, kw_only=True)
class Context:
    question: str
    durations: tuple[Duration, ...]


@dataclass(frozen=True, slots=True, kw_only=True)
class Dimension:
    id: str
    label: str


@dataclass(frozen=True, slots=True, kw_only=True)
class Item:
    id: str
    sign: Sign
    label: str
    question: str
    dimension: str
    rules: tuple[int, ...]
    weight: int = 1


@dataclass(frozen=True, slots=True, kw_only=True)
class Band:
    id: str
    label: str
    min_score: int
    advice: str
    rules: tuple[int, ...]
    tone: str  # one of TONES: the colour and icon of the verdict badge (the label says it too)
    # Re-evaluate after this many days when the latest verdict is this one (None: not planned).
    review_after_days: int | None = None


@dataclass(frozen=True, slots=True, kw_only=True)
class Contradiction:
    items: tuple[str, str]
    message: str


@dataclass(frozen=True, slots=True, kw_only=True)
class Questionnaire:
    format: int
    id: str
    title: str
    subject: str  # a subject id (subjects.toml): what an archived evaluation with it is about
    intro: str
    min_coverage: float
    answers: AnswerLabels
    context: Context
    dimensions: tuple[Dimension, ...]
    items: tuple[Item, ...]
    bands: tuple[Band, ...]  # most favourable first
    contradictions: tuple[Contradiction, ...]
    rules: tuple[Rule, ...]  # the rule book it was checked against, for titles and links
    time_question: str = ""  # asked beside the criteria when set (hours per month, rule 6)

    @property
    def score_min(self) -> int:
        return -sum(item.weight for item in self.items if item.sign == "-")

    @property
    def score_max(self) -> int:
        return sum(item.weight for item in self.items if item.sign == "+")

    @property
    def item_by_id(self) -> dict[str, Item]:
        return {item.id: item for item in self.items}

    @property
    def dimension_by_id(self) -> dict[str, Dimension]:
        return {dimension.id: dimension for dimension in self.dimensions}

    @property
    def duration_by_id(self) -> dict[str, Duration]:
        return {duration.id: duration for duration in self.context.durations}

    @property
    def band_by_id(self) -> dict[str, Band]:
        return {band.id: band for band in self.bands}

    @property
    def rule_by_number(self) -> dict[int, Rule]:
        return {rule.number: rule for rule in self.rules}

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready: what ``python -m scoring show --format json`` and the browser describe."""
        return {
            "format": self.format,
            "id": self.id,
            "title": self.title,
            "subject": self.subject,
            "time_question": self.time_question,
            "intro": self.intro,
            "min_coverage": self.min_coverage,
            "score_min": self.score_min,
            "score_max": self.score_max,
            "answers": {
                "yes": self.answers.yes,
                "no": self.answers.no,
                "unknown": self.answers.unknown,
            },
            "context": {
                "question": self.context.question,
                "durations": [
                    {
                        "id": d.id,
                        "label": d.label,
                        "provisional": d.provisional,
                        "up_to_days": d.up_to_days,
                    }
                    for d in self.context.durations
                ],
            },
            "dimensions": [{"id": d.id, "label": d.label} for d in self.dimensions],
            "items": [
                {
                    "id": item.id,
                    "sign": item.sign,
                    "label": item.label,
                    "question": item.question,
                    "dimension": item.dimension,
                    "rules": list(item.rules),
                    "weight": item.weight,
                }
                for item in self.items
            ],
            "bands": [
                {
                    "id": band.id,
                    "label": band.label,
                    "min_score": band.min_score,
                    "advice": band.advice,
                    "rules": list(band.rules),
                    "tone": band.tone,
                    "review_after_days": band.review_after_days,
                }
                for band in self.bands
            ],
            "contradictions": [
                {"items": list(c.items), "message": c.message} for c in self.contradictions
            ],
            "rules": [
                {"number": r.number, "title": r.title, "principle": r.principle} for r in self.rules
            ],
        }


@dataclass(frozen=True, slots=True, kw_only=True)
class SubjectForm:
    """What a questionnaire page about this subject says (the name field: not for a single one)."""

    positives: str
    negatives: str
    dimensions: str
    recent: str  # why a verdict is provisional when the duration is too short
    ask: str = ""
    ask_hint: str = ""
    unnamed: str = ""


@dataclass(frozen=True, slots=True, kw_only=True)
class Subject:
    """What a questionnaire can be about (``subjects.toml``): the kind of an archived entry, its
    questionnaire, and the words the pages use for it."""

    id: str
    questionnaire: str  # where an entry of this kind is evaluated and re-evaluated
    about: str  # « porte sur une personne »
    saved_as: str  # « est enregistré comme un contact »
    this: str  # « Supprimer ce contact »
    one: str  # « {n} contact »
    new: str  # « Nouveau contact » (an import's preview)
    evaluate: str  # « Évaluer un premier contact »
    reevaluate: str  # « Réévaluer » (the name follows, unless single)
    form: SubjectForm
    many: str = ""  # « {n} contacts »; "" for a single subject
    suffix: str = ""  # after the name: « Club du jeudi (groupe) »
    single: bool = False  # the visitor themself: one entry at most, its name fixed
    label: str = ""  # a single subject's stored name
    title: str = ""  # a single subject's name on the pages

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready: what the build gives the pages (crible_hooks, the domain island)."""
        return {
            "id": self.id,
            "questionnaire": self.questionnaire,
            "about": self.about,
            "saved_as": self.saved_as,
            "this": self.this,
            "one": self.one,
            "many": self.many,
            "new": self.new,
            "evaluate": self.evaluate,
            "reevaluate": self.reevaluate,
            "suffix": self.suffix,
            "single": self.single,
            "label": self.label,
            "title": self.title,
            "form": {
                "positives": self.form.positives,
                "negatives": self.form.negatives,
                "dimensions": self.form.dimensions,
                "recent": self.form.recent,
                "ask": self.form.ask,
                "ask_hint": self.form.ask_hint,
                "unnamed": self.form.unnamed,
            },
        }


@dataclass(frozen=True, slots=True, kw_only=True)
class MapSide:
    """One axis of the win-win map: a questionnaire and the score from which that side wins."""

    questionnaire: str
    min_score: int
    label: str

    def to_dict(self) -> dict[str, JsonValue]:
        return {
            "questionnaire": self.questionnaire,
            "min_score": self.min_score,
            "label": self.label,
        }


@dataclass(frozen=True, slots=True, kw_only=True)
class Quadrant:
    id: str
    receive: bool  # the visitor wins (receives enough)
    give: bool  # the contact wins (the visitor gives enough)
    label: str
    advice: str
    rules: tuple[int, ...]

    def to_dict(self) -> dict[str, JsonValue]:
        return {
            "id": self.id,
            "receive": self.receive,
            "give": self.give,
            "label": self.label,
            "advice": self.advice,
            "rules": list(self.rules),
        }


@dataclass(frozen=True, slots=True, kw_only=True)
class WinWinMap:
    """``carte.toml``: how "Mon réseau" places each contact by what is received and given."""

    receive: MapSide
    give: MapSide
    quadrants: tuple[Quadrant, ...]  # the four (receive, give) combinations, each once

    def quadrant(self, *, receive_score: int, give_score: int) -> Quadrant:
        wins = (receive_score >= self.receive.min_score, give_score >= self.give.min_score)
        return next(q for q in self.quadrants if (q.receive, q.give) == wins)

    def to_dict(self) -> dict[str, JsonValue]:
        return {
            "receive": self.receive.to_dict(),
            "give": self.give.to_dict(),
            "quadrants": [quadrant.to_dict() for quadrant in self.quadrants],
        }
