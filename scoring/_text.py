"""What a person reads in a terminal: a questionnaire or a result, in French.

The browser renders the same data from JSON; this is the CLI's counterpart, kept apart so
that the browser entry point never imports it.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from scoring._french import NBSP, NNBSP, percent, signed
from scoring.engine import TOP_RULES

if TYPE_CHECKING:
    from collections.abc import Iterable

    from scoring.engine import Result
    from scoring.model import Questionnaire

__all__ = ["describe_questionnaire", "describe_result"]

BULLET = "  – "


def _rules(numbers: Iterable[int]) -> str:
    found = list(numbers)
    if not found:
        return "aucune règle"
    word = "règle" if len(found) == 1 else "règles"
    return f"{word} {', '.join(map(str, found))}"


def describe_questionnaire(q: Questionnaire) -> str:
    lines = [f"{q.title} ({q.id})", q.intro, ""]
    lines.append(f"Réponses possibles{NBSP}: {q.answers.yes}, {q.answers.no}, {q.answers.unknown}")
    lines.append(
        f"Bilan possible{NBSP}: de {signed(q.score_min)} à {signed(q.score_max)}{NNBSP}; "
        f"verdict provisoire sous {percent(q.min_coverage)} de critères renseignés"
    )
    dimensions = q.dimension_by_id
    lines += ["", f"Critères ({len(q.items)}){NBSP}:"]
    for item in q.items:
        sign = "+" if item.sign == "+" else "−"
        weight = f", poids {item.weight}" if item.weight != 1 else ""
        lines.append(
            f"  {sign} {item.label} ({item.id}){NBSP}: {item.question} "
            f"[{dimensions[item.dimension].label}{NNBSP}; {_rules(item.rules)}{weight}]"
        )
    lines += ["", f"Verdicts{NBSP}:"]
    for band in q.bands:
        lines.append(
            f"{BULLET}{band.label} ({band.id}){NBSP}: à partir de {signed(band.min_score)}"
        )
    if q.contradictions:
        items = q.item_by_id
        lines += ["", f"Contradictions signalées{NBSP}:"]
        lines += [
            f"{BULLET}{items[c.items[0]].label} et {items[c.items[1]].label}"
            for c in q.contradictions
        ]
    lines += ["", q.context.question]
    for duration in q.context.durations:
        note = " (verdict provisoire)" if duration.provisional else ""
        lines.append(f"{BULLET}{duration.label} ({duration.id}){note}")
    if q.time_question:
        lines += ["", f"{q.time_question} (facultatif, en heures par mois)"]
    return "\n".join(lines)


def describe_result(q: Questionnaire, result: Result) -> str:
    items = q.item_by_id
    rules = q.rule_by_number

    def labels(ids: Iterable[str]) -> str:
        return ", ".join(items[i].label for i in ids) or "aucun"

    lines = [
        f"Verdict{NBSP}: {result.verdict_label}",
        f"Bilan{NBSP}: {signed(result.score)} (de {signed(result.score_min)} "
        f"à {signed(result.score_max)})",
        result.advice,
        "",
        f"Points positifs ({len(result.positives)}){NBSP}: {labels(result.positives)}",
        f"Points négatifs ({len(result.negatives)}){NBSP}: {labels(result.negatives)}",
        f"Critères renseignés{NBSP}: {result.answered} sur {result.total} "
        f"({percent(result.coverage)})",
    ]
    weak = [d.label for d in result.dimensions if d.weak]
    if weak:
        lines.append(f"Dimensions fragiles{NBSP}: {', '.join(weak)}")
    if result.contradictions:
        lines.append(f"Contradictions{NBSP}:")
        lines += [f"{BULLET}{c.message}" for c in result.contradictions]
    if "recent" in result.provisional_reasons:
        lines.append(
            f"Verdict provisoire{NBSP}: la relation est trop récente pour être jugée "
            "(règles 4 et 5)."
        )
    if "low-coverage" in result.provisional_reasons:
        lines.append(
            f"Verdict provisoire{NBSP}: trop peu de critères renseignés "
            f"(il en faut au moins {percent(q.min_coverage)})."
        )
    # The page's order: the first three rules, what weighs most first, then the others.
    ranked = [rule.number for rule in result.ranked_rules if rule.number in rules]
    if ranked:
        lines.append(f"Règles à relire en premier{NBSP}:")
        lines += [f"{BULLET}Règle {n}{NBSP}: {rules[n].title}" for n in ranked[:TOP_RULES]]
    if ranked[TOP_RULES:]:
        lines.append(f"Autres règles concernées{NBSP}: {_rules(sorted(ranked[TOP_RULES:]))}")
    return "\n".join(lines)
