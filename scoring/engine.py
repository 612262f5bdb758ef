"""The engine: from a questionnaire and the visitor's answers to a verdict.

The rule is the one printed on the paper sheet, so that a person can check it by hand: each
"yes" to a positive criterion adds its weight, each "yes" to a negative one takes it away, and
"no" or "unknown" add nothing. An unknown answer is therefore never held against the contact;
it lowers the coverage instead, and a low coverage makes the verdict provisional.

``score`` is pure (no clock, no randomness, no global state): the browser, the CLI and the
tests get the same result for the same answers.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Literal

from scoring._errors import InvalidDataError
from scoring._french import AnswerError, quote, shown

if TYPE_CHECKING:
    from collections.abc import Mapping, Sequence

    from scoring.model import Duration, Item, Questionnaire

__all__ = [
    "ANSWER_VALUES",
    "TOP_RULES",
    "ContradictionResult",
    "DimensionResult",
    "Result",
    "RuleResult",
    "score",
]

ANSWER_VALUES = ("yes", "no", "unknown")
# How many rules a result puts first (the page shows the others on request, the CLI after).
TOP_RULES = 3
RECENT_RULES = (4, 5)  # "don't seek usefulness at once", "cultivate over time"
CONTEXT_KEYS = ("duration",)

Answer = Literal["yes", "no", "unknown"]
_ANSWERS: dict[str, Answer] = {"yes": "yes", "no": "no", "unknown": "unknown"}  # str → Answer


@dataclass(frozen=True, slots=True, kw_only=True)
class DimensionResult:
    id: str
    label: str
    score: int
    lowest: int  # "min" in to_dict(); named so as not to shadow the builtin
    highest: int
    favourable: int  # how many criteria speak for the contact: + answered yes, − answered no
    unfavourable: int  # + answered no, − answered yes
    unknown: int
    weak: bool

    def to_dict(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "label": self.label,
            "score": self.score,
            "min": self.lowest,
            "max": self.highest,
            "favourable": self.favourable,
            "unfavourable": self.unfavourable,
            "unknown": self.unknown,
            "weak": self.weak,
        }


@dataclass(frozen=True, slots=True, kw_only=True)
class ContradictionResult:
    items: tuple[str, str]
    message: str

    def to_dict(self) -> dict[str, Any]:
        return {"items": list(self.items), "message": self.message}


@dataclass(frozen=True, slots=True, kw_only=True)
class RuleResult:
    """A rule to reread, and why it weighs in this result (see _rank_rules)."""

    number: int
    weight: int  # total weight of the criteria answered against the subject that cite it
    items: tuple[str, ...]  # those criteria, in the questionnaire's order
    band: bool  # the verdict's band cites it
    recent: bool  # cited because the relation is too recent to judge (rules 4 and 5)

    def to_dict(self) -> dict[str, Any]:
        return {
            "number": self.number,
            "weight": self.weight,
            "items": list(self.items),
            "band": self.band,
            "recent": self.recent,
        }


@dataclass(frozen=True, slots=True, kw_only=True)
class Result:
    questionnaire: str
    verdict: str
    verdict_label: str
    advice: str
    score: int
    score_min: int
    score_max: int
    positives: tuple[str, ...]
    negatives: tuple[str, ...]
    unfavourable: tuple[str, ...]
    unknown: tuple[str, ...]
    answered: int
    total: int
    coverage: float
    dimensions: tuple[DimensionResult, ...]
    contradictions: tuple[ContradictionResult, ...]
    provisional: bool
    provisional_reasons: tuple[str, ...]  # "recent", "low-coverage", in that order
    rules: tuple[int, ...]  # every rule concerned, in number order
    ranked_rules: tuple[RuleResult, ...]  # the same rules, what weighs most first
    tone: str  # the band's tone (model.TONES): how the verdict badge looks

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready data: the contract shared by the CLI and the browser."""
        return {
            "questionnaire": self.questionnaire,
            "verdict": self.verdict,
            "verdict_label": self.verdict_label,
            "advice": self.advice,
            "score": self.score,
            "score_min": self.score_min,
            "score_max": self.score_max,
            "positives": list(self.positives),
            "negatives": list(self.negatives),
            "unfavourable": list(self.unfavourable),
            "unknown": list(self.unknown),
            "answered": self.answered,
            "total": self.total,
            "coverage": self.coverage,
            "dimensions": [dimension.to_dict() for dimension in self.dimensions],
            "contradictions": [contradiction.to_dict() for contradiction in self.contradictions],
            "provisional": self.provisional,
            "provisional_reasons": list(self.provisional_reasons),
            "rules": list(self.rules),
            "ranked_rules": [rule.to_dict() for rule in self.ranked_rules],
            "top_rules": TOP_RULES,
            "tone": self.tone,
        }


def score(
    questionnaire: Questionnaire,
    answers: Mapping[str, object],
    context: Mapping[str, object] | None = None,
) -> Result:
    """Score ``answers`` (item id → "yes" | "no" | "unknown"; a missing item is unknown).

    Raises InvalidDataError("answers", …) with French messages for an unknown item, a value
    other than the three answers, an unknown context key or duration. ``context`` may hold
    ``duration``: a duration id, or None for "not said".
    """
    given, answer_errors = _check_answers(questionnaire, answers)
    duration, context_errors = _check_context(questionnaire, context)
    if answer_errors or context_errors:
        raise InvalidDataError("answers", [*answer_errors, *context_errors])
    items = questionnaire.items
    value = sum(_points(item, given[item.id]) for item in items)
    answered = sum(1 for item in items if given[item.id] != "unknown")
    coverage = answered / len(items)
    band = next(band for band in questionnaire.bands if band.min_score <= value)
    unfavourable = tuple(item.id for item in items if _unfavourable(item, given[item.id]))

    reasons = []
    if duration is not None and duration.provisional:
        reasons.append("recent")
    if coverage < questionnaire.min_coverage:
        reasons.append("low-coverage")

    ranked = _rank_rules(
        [item for item in items if item.id in unfavourable],
        band.rules,
        RECENT_RULES if "recent" in reasons else (),
    )

    return Result(
        questionnaire=questionnaire.id,
        verdict=band.id,
        verdict_label=band.label,
        advice=band.advice,
        score=value,
        score_min=questionnaire.score_min,
        score_max=questionnaire.score_max,
        positives=tuple(i.id for i in items if i.sign == "+" and given[i.id] == "yes"),
        negatives=tuple(i.id for i in items if i.sign == "-" and given[i.id] == "yes"),
        unfavourable=unfavourable,
        unknown=tuple(item.id for item in items if given[item.id] == "unknown"),
        answered=answered,
        total=len(items),
        coverage=coverage,
        dimensions=_dimensions(questionnaire, given),
        contradictions=tuple(
            ContradictionResult(items=c.items, message=c.message)
            for c in questionnaire.contradictions
            if given[c.items[0]] == "yes" and given[c.items[1]] == "yes"
        ),
        provisional=bool(reasons),
        provisional_reasons=tuple(reasons),
        rules=tuple(sorted(rule.number for rule in ranked)),
        ranked_rules=ranked,
        tone=band.tone,
    )


def _rank_rules(
    against: Sequence[Item], band_rules: Sequence[int], recent_rules: Sequence[int]
) -> tuple[RuleResult, ...]:
    """The rules to reread, what weighs most in this result first.

    A relation too recent to judge is first of all a reason to wait (rules 4 and 5 make the
    verdict provisional); then the rules cited by the most weight of criteria answered
    against the subject; then those the verdict's band cites; ties in number order. The page
    shows the first three and the CLI says the same order.
    """
    numbers = {n for item in against for n in item.rules} | set(band_rules) | set(recent_rules)
    found = [
        RuleResult(
            number=number,
            weight=sum(item.weight for item in against if number in item.rules),
            items=tuple(item.id for item in against if number in item.rules),
            band=number in band_rules,
            recent=number in recent_rules,
        )
        for number in numbers
    ]
    return tuple(sorted(found, key=lambda r: (not r.recent, -r.weight, not r.band, r.number)))


def _points(item: Item, answer: Answer) -> int:
    if answer != "yes":
        return 0
    return item.weight if item.sign == "+" else -item.weight


def _favourable(item: Item, answer: Answer) -> bool:
    return (item.sign, answer) in {("+", "yes"), ("-", "no")}


def _unfavourable(item: Item, answer: Answer) -> bool:
    return (item.sign, answer) in {("+", "no"), ("-", "yes")}


def _dimensions(
    questionnaire: Questionnaire, given: Mapping[str, Answer]
) -> tuple[DimensionResult, ...]:
    found = []
    for dimension in questionnaire.dimensions:
        items = [item for item in questionnaire.items if item.dimension == dimension.id]
        favourable = sum(1 for item in items if _favourable(item, given[item.id]))
        unfavourable = sum(1 for item in items if _unfavourable(item, given[item.id]))
        found.append(
            DimensionResult(
                id=dimension.id,
                label=dimension.label,
                score=sum(_points(item, given[item.id]) for item in items),
                lowest=-sum(item.weight for item in items if item.sign == "-"),
                highest=sum(item.weight for item in items if item.sign == "+"),
                favourable=favourable,
                unfavourable=unfavourable,
                unknown=sum(1 for item in items if given[item.id] == "unknown"),
                weak=unfavourable > 0 and unfavourable >= favourable,
            )
        )
    return tuple(found)


# --- Checking the visitor's input (French: the visitor reads these) --------------------------


def _check_answers(
    questionnaire: Questionnaire, answers: Mapping[str, object]
) -> tuple[dict[str, Answer], list[AnswerError]]:
    """Every item's answer ("unknown" where none was given), and the mistakes found."""
    given: dict[str, Answer] = dict.fromkeys(questionnaire.item_by_id, "unknown")
    errors: list[AnswerError] = []
    for key, value in answers.items():
        path = f"answers.{key}"
        if key not in given:
            errors.append(
                AnswerError(
                    f"Critère inconnu {quote(key)}",
                    path,
                    fix=f"Retirez cette réponse\u00a0: le questionnaire {quote(questionnaire.id)} "
                    "n’a pas de critère de ce nom.",
                )
            )
        elif isinstance(value, str) and value in _ANSWERS:
            given[key] = _ANSWERS[value]
        else:
            errors.append(
                AnswerError(
                    f"Réponse invalide {shown(value)} pour le critère {quote(key)}",
                    path,
                    fix=f"Répondez par {quote('yes')}, {quote('no')} ou {quote('unknown')}.",
                )
            )
    return given, errors


def _check_context(
    questionnaire: Questionnaire, context: Mapping[str, object] | None
) -> tuple[Duration | None, list[AnswerError]]:
    """The duration the visitor gave (None when they did not say), and the mistakes found."""
    if not context:
        return None, []
    durations = questionnaire.duration_by_id
    errors: list[AnswerError] = []
    for key, value in context.items():
        path = f"context.{key}"
        if key not in CONTEXT_KEYS:
            errors.append(
                AnswerError(
                    f"Information de contexte inconnue {quote(key)}",
                    path,
                    fix=f"Retirez cette clé\u00a0: le contexte ne connaît que {quote('duration')}.",
                )
            )
        elif value is not None and (not isinstance(value, str) or value not in durations):
            choices = ", ".join(quote(d) for d in durations)
            errors.append(
                AnswerError(
                    f"Durée inconnue {shown(value)}",
                    path,
                    fix=f"Choisissez l’une de ces durées\u00a0: {choices}.",
                )
            )
    value = context.get("duration")
    if errors or not isinstance(value, str):
        return None, errors
    return durations[value], errors
