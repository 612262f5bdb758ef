"""The engine: golden cases, the invariants the guide promises, and French answer errors."""

from __future__ import annotations

import copy
import tomllib
from importlib import resources
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from scoring import InvalidDataError, Questionnaire, load_questionnaire, load_rules, score
from scoring import parse_questionnaire as parse

Q = load_questionnaire("contact")
IDS = [item.id for item in Q.items]
POSITIVE = [item.id for item in Q.items if item.sign == "+"]
NEGATIVE = [item.id for item in Q.items if item.sign == "-"]
BEST = dict.fromkeys(POSITIVE, "yes") | dict.fromkeys(NEGATIVE, "no")
WORST = dict.fromkeys(POSITIVE, "no") | dict.fromkeys(NEGATIVE, "yes")
NNBSP = "\u202f"
NBSP = "\u00a0"


def q_(text: str) -> str:
    return f"«{NNBSP}{text}{NNBSP}»"


def dimension(did: str, label: str, *counts: int, weak: bool) -> dict[str, Any]:
    keys = ("score", "min", "max", "favourable", "unfavourable", "unknown")
    return {"id": did, "label": label} | dict(zip(keys, counts, strict=True)) | {"weak": weak}


def rule(
    number: int, weight: int, items: list[str], *, band: bool = False, recent: bool = False
) -> dict[str, Any]:
    return {"number": number, "weight": weight, "items": items, "band": band, "recent": recent}


# --- Golden cases ---------------------------------------------------------------------------


def test_all_best() -> None:
    assert score(Q, BEST).to_dict() == {
        "questionnaire": "contact",
        "verdict": "cultiver",
        "verdict_label": "À cultiver",
        "advice": "Cette relation vous enrichit. Donnez-lui du temps, et veillez à rendre autant "
        "que vous recevez.",
        "score": 9,
        "score_min": -4,
        "score_max": 9,
        "positives": POSITIVE,
        "negatives": [],
        "unfavourable": [],
        "unknown": [],
        "answered": 13,
        "total": 13,
        "coverage": 1.0,
        "dimensions": [
            dimension("disponibilite", "Disponibilité", 2, 0, 2, 2, 0, 0, weak=False),
            dimension("reseau", "Ouverture du réseau", 1, 0, 1, 1, 0, 0, weak=False),
            dimension("qualite", "Qualité des échanges", 1, -2, 1, 3, 0, 0, weak=False),
            dimension("attitude", "Attitude", 2, -1, 2, 3, 0, 0, weak=False),
            dimension("ressenti", "Ressenti", 3, -1, 3, 4, 0, 0, weak=False),
        ],
        "contradictions": [],
        "provisional": False,
        "provisional_reasons": [],
        "rules": [5, 6],
        "ranked_rules": [rule(5, 0, [], band=True), rule(6, 0, [], band=True)],
        "top_rules": 3,
        "tone": "good",
    }


def test_all_worst() -> None:
    assert score(Q, WORST, {"duration": "gt1y"}).to_dict() == {
        "questionnaire": "contact",
        "verdict": "distance",
        "verdict_label": "À laisser de côté",
        "advice": "Cette relation vous coûte plus qu’elle ne vous apporte. Rien ne vous oblige à "
        "la poursuivre.",
        "score": -4,
        "score_min": -4,
        "score_max": 9,
        "positives": [],
        "negatives": NEGATIVE,
        "unfavourable": IDS,
        "unknown": [],
        "answered": 13,
        "total": 13,
        "coverage": 1.0,
        "dimensions": [
            dimension("disponibilite", "Disponibilité", 0, 0, 2, 0, 2, 0, weak=True),
            dimension("reseau", "Ouverture du réseau", 0, 0, 1, 0, 1, 0, weak=True),
            dimension("qualite", "Qualité des échanges", -2, -2, 1, 0, 3, 0, weak=True),
            dimension("attitude", "Attitude", -1, -1, 2, 0, 3, 0, weak=True),
            dimension("ressenti", "Ressenti", -1, -1, 3, 0, 4, 0, weak=True),
        ],
        "contradictions": [],
        "provisional": False,
        "provisional_reasons": [],
        "rules": [1, 3, 4, 5, 6, 7, 8, 9, 10],
        # What weighs most first: rule 9 is cited by three criteria answered against the
        # contact and by the band; 3 and 8 by three criteria (in number order); then two…
        "ranked_rules": [
            rule(9, 3, ["unargued", "evasive", "feel-empty"], band=True),
            rule(3, 3, ["introduces", "competent", "considered"]),
            rule(8, 3, ["always-critical", "open-to-criticism", "considered"]),
            rule(1, 2, ["competent", "motivated"]),
            rule(5, 2, ["available", "responsive"]),
            rule(7, 2, ["always-critical", "constructive"]),
            rule(10, 1, ["feel-empty"], band=True),
            rule(4, 1, ["positive-mood"]),
            rule(6, 1, ["available"]),
        ],
        "top_rules": 3,
        "tone": "bad",
    }


def test_all_unknown() -> None:
    result = score(Q, dict.fromkeys(IDS, "unknown"))
    assert result == score(Q, {})  # a missing answer is an unknown one
    assert (result.score, result.verdict, result.coverage) == (0, "surveiller", 0.0)
    assert result.unknown == tuple(IDS)
    assert result.unfavourable == ()
    assert result.provisional_reasons == ("low-coverage",)
    assert result.provisional is True
    assert not any(d.weak for d in result.dimensions)
    assert result.rules == (6, 9)  # the band's only: nothing was held against the contact


def test_mixed() -> None:
    answers = {
        "available": "yes",
        "responsive": "no",
        "introduces": "unknown",
        "competent": "yes",
        "unargued": "yes",
        "evasive": "no",
        "constructive": "yes",
        "positive-mood": "yes",
        "feel-empty": "no",
    }
    result = score(Q, answers, {"duration": "3to12m"})
    assert (result.score, result.verdict) == (3, "entretenir")
    assert result.positives == ("available", "competent", "constructive", "positive-mood")
    assert result.negatives == ("unargued",)
    assert result.unfavourable == ("responsive", "unargued")
    assert result.unknown == (
        "introduces",
        "always-critical",
        "open-to-criticism",
        "motivated",
        "considered",
    )
    assert (result.answered, result.total) == (8, 13)
    assert result.coverage == 8 / 13
    assert result.provisional is False
    weak = {d.id: (d.favourable, d.unfavourable, d.unknown) for d in result.dimensions if d.weak}
    assert weak == {"disponibilite": (1, 1, 0)}
    assert result.rules == (4, 5, 9)
    assert [r.to_dict() for r in result.ranked_rules] == [
        rule(5, 1, ["responsive"], band=True),
        rule(9, 1, ["unargued"]),
        rule(4, 0, [], band=True),
    ]


def test_contradictory() -> None:
    answers = BEST | {"always-critical": "yes", "feel-empty": "yes"}
    result = score(Q, answers)
    assert result.score == 7
    assert [c.to_dict() for c in result.contradictions] == [
        {
            "items": ["always-critical", "constructive"],
            "message": "Vous l’avez dit à la fois systématiquement critique et constructif\u00a0: "
            "l’une de ces deux réponses mérite d’être revue.",
        },
        {
            "items": ["feel-empty", "positive-mood"],
            "message": "Vous vous dites à la fois vide et d’humeur positive après vos "
            "échanges\u00a0: l’une de ces deux réponses mérite d’être revue.",
        },
        {
            "items": ["feel-empty", "motivated"],
            "message": "Vous vous dites à la fois vide et motivé après vos échanges\u00a0: "
            "l’une de ces deux réponses mérite d’être revue.",
        },
    ]


def test_too_recent_is_provisional_not_condemned() -> None:
    result = score(Q, WORST, {"duration": "lt1m"})
    assert result.provisional_reasons == ("recent",)
    assert {4, 5} <= set(result.rules)
    assert score(Q, BEST, {"duration": "1to3m"}).rules == (4, 5, 6)
    # Too early to judge comes first, whatever the weight of the answers against the contact
    # (rule 5, cited by two of them, before rule 4, cited by one); then rule 9.
    assert [r.number for r in result.ranked_rules][:3] == [5, 4, 9]
    both = score(Q, {"available": "yes"}, {"duration": "lt1m"})
    assert both.provisional_reasons == ("recent", "low-coverage")


@pytest.mark.parametrize("context", [None, {}, {"duration": None}, {"duration": "gt1y"}])
def test_context_that_says_nothing_recent(context: dict[str, Any] | None) -> None:
    assert score(Q, BEST, context).provisional is False


def test_coverage_threshold_is_inclusive() -> None:
    seven = dict.fromkeys(IDS[:7], "no")  # 7/13 ≥ 0.5
    six = dict.fromkeys(IDS[:6], "no")  # 6/13 < 0.5
    assert score(Q, seven).provisional_reasons == ()
    assert score(Q, six).provisional_reasons == ("low-coverage",)


# --- Invalid answers: French, every mistake at once -----------------------------------------


def _messages(answers: dict[str, Any], context: dict[str, Any] | None = None) -> list[str]:
    with pytest.raises(InvalidDataError) as caught:
        score(Q, answers, context)
    assert caught.value.source == "answers"
    return [str(error) for error in caught.value.errors]


@pytest.mark.parametrize(
    ("answers", "context", "expected"),
    [
        pytest.param({"foo": "yes"}, None, [f"Critère inconnu {q_('foo')} (answers.foo)"], id="id"),
        pytest.param(
            {"available": "maybe"},
            None,
            [
                f"Réponse invalide {q_('maybe')} pour le critère {q_('available')} "
                "(answers.available)"
            ],
            id="value",
        ),
        pytest.param(
            {"available": "Yes"},
            None,
            [f"Réponse invalide {q_('Yes')} pour le critère {q_('available')} (answers.available)"],
            id="case",
        ),
        pytest.param(
            {"available": True, "responsive": None, "motivated": 1},
            None,
            [
                f"Réponse invalide true pour le critère {q_('available')} (answers.available)",
                f"Réponse invalide null pour le critère {q_('responsive')} (answers.responsive)",
                f"Réponse invalide 1 pour le critère {q_('motivated')} (answers.motivated)",
            ],
            id="not-text",
        ),
        pytest.param(
            {},
            {"duration": "2y"},
            [f"Durée inconnue {q_('2y')} (context.duration)"],
            id="duration",
        ),
        pytest.param(
            {},
            {"mood": "ok", "duration": 3},
            [
                f"Information de contexte inconnue {q_('mood')} (context.mood)",
                "Durée inconnue 3 (context.duration)",
            ],
            id="context",
        ),
    ],
)
def test_invalid_answers(
    answers: dict[str, Any], context: dict[str, Any] | None, expected: list[str]
) -> None:
    assert _messages(answers, context) == expected


def test_invalid_answer_fixes() -> None:
    with pytest.raises(InvalidDataError) as caught:
        score(Q, {"foo": "yes", "available": "oui"}, {"duration": "x"})
    assert [error.fix for error in caught.value.errors] == [
        f"Retirez cette réponse{NBSP}: le questionnaire {q_('contact')} n’a pas de critère "
        "de ce nom.",
        f"Répondez par {q_('yes')}, {q_('no')} ou {q_('unknown')}.",
        f"Choisissez l’une de ces durées{NBSP}: {q_('lt1m')}, {q_('1to3m')}, {q_('3to12m')}, "
        f"{q_('gt1y')}.",
    ]


# --- Properties -----------------------------------------------------------------------------

answer_values = st.sampled_from(["yes", "no", "unknown"])
answer_sets = st.dictionaries(st.sampled_from(IDS), answer_values)


@given(answer_sets, st.sampled_from(POSITIVE), answer_values)
def test_yes_to_a_positive_never_lowers_the_score(
    answers: dict[str, str], item: str, other: str
) -> None:
    assert score(Q, answers | {item: "yes"}).score >= score(Q, answers | {item: other}).score


@given(answer_sets, st.sampled_from(NEGATIVE), answer_values)
def test_yes_to_a_negative_never_raises_the_score(
    answers: dict[str, str], item: str, other: str
) -> None:
    assert score(Q, answers | {item: "yes"}).score <= score(Q, answers | {item: other}).score


@given(answer_sets, st.sampled_from(IDS))
def test_unknown_never_counts_against_the_contact(answers: dict[str, str], item: str) -> None:
    """Not knowing scores like the harmless answer, is never unfavourable, only lowers coverage."""
    unknown = score(Q, answers | {item: "unknown"})
    harmless = score(Q, answers | {item: "yes" if item in POSITIVE else "no"})
    harmful = score(Q, answers | {item: "no" if item in POSITIVE else "yes"})
    assert unknown.score >= harmful.score
    assert unknown.score == score(Q, answers | {item: "no"}).score
    assert item not in unknown.unfavourable
    assert item not in unknown.negatives
    assert item in unknown.unknown
    assert unknown.answered == harmless.answered - 1
    assert unknown.coverage < harmless.coverage
    ranks = [band.id for band in Q.bands]
    assert ranks.index(unknown.verdict) <= ranks.index(harmful.verdict)


@given(answer_sets)
def test_score_within_bounds_and_band_matches(answers: dict[str, str]) -> None:
    result = score(Q, answers)
    assert Q.score_min <= result.score <= Q.score_max
    band = Q.band_by_id[result.verdict]
    assert band.min_score <= result.score
    better = Q.bands[: Q.bands.index(band)]
    assert all(b.min_score > result.score for b in better)
    assert sum(d.score for d in result.dimensions) == result.score
    assert result.answered + len(result.unknown) == result.total


@given(answer_sets, st.randoms(use_true_random=False), st.sampled_from([None, "lt1m", "gt1y"]))
def test_deterministic_and_order_free(
    answers: dict[str, str], rnd: Any, duration: str | None
) -> None:
    items = list(answers.items())
    rnd.shuffle(items)
    context = {"duration": duration}
    first = score(Q, answers, context)
    assert first == score(Q, dict(items), dict(context))
    assert first.to_dict() == score(Q, dict(items), context).to_dict()


# Any valid questionnaire: the best profile lands in the best band, the worst in the worst.

CONTACT = tomllib.loads(
    (resources.files("scoring") / "definitions" / "contact.toml").read_text(encoding="utf-8")
)


@st.composite
def questionnaires(draw: st.DrawFn) -> Questionnaire:
    data = copy.deepcopy(CONTACT)
    signs = draw(st.lists(st.sampled_from("+-"), min_size=1, max_size=8))
    weights = draw(st.lists(st.integers(1, 3), min_size=len(signs), max_size=len(signs)))
    data["dimensions"] = [{"id": "all", "label": "Tout"}]
    data["contradictions"] = [{"items": ["i0", f"i{len(signs) - 1}"], "message": "Non."}]
    data["items"] = [
        {
            "id": f"i{n}",
            "sign": sign,
            "label": f"Critère {n}",
            "question": f"Question {n} ?",
            "dimension": "all",
            "rules": [1],
            "weight": weight,
        }
        for n, (sign, weight) in enumerate(zip(signs, weights, strict=True))
    ]
    if len(signs) == 1:
        data["contradictions"] = []
        del data["contradictions"]
    lowest = -sum(w for s, w in zip(signs, weights, strict=True) if s == "-")
    highest = sum(w for s, w in zip(signs, weights, strict=True) if s == "+")
    # Strictly decreasing: the first ≤ highest, the middle ones > lowest, the last ≤ lowest.
    middle = draw(st.sets(st.integers(lowest + 1, max(highest, lowest + 1)), max_size=3))
    middle = {m for m in middle if m <= highest}
    mins = [*sorted(middle, reverse=True), draw(st.integers(lowest - 3, lowest))]
    data["bands"] = [
        {
            "id": f"b{n}",
            "label": f"Bande {n}",
            "min_score": m,
            "advice": "Oui.",
            "rules": [2],
            "tone": "fair",
        }
        for n, m in enumerate(mins)
    ]
    return parse(data, source="generated", rules=load_rules())


@settings(max_examples=200)
@given(questionnaires())
def test_best_in_first_band_worst_in_last(q: Questionnaire) -> None:
    best = {i.id: "yes" if i.sign == "+" else "no" for i in q.items}
    worst = {i.id: "no" if i.sign == "+" else "yes" for i in q.items}
    assert score(q, best).verdict == q.bands[0].id
    assert score(q, best).score == q.score_max
    assert score(q, worst).verdict == q.bands[-1].id
    assert score(q, worst).score == q.score_min


@pytest.mark.parametrize(
    ("weights", "expected"),
    [
        pytest.param({}, [9, 3, 8, 1, 5, 7, 10, 4, 6], id="equal-weights"),
        # A heavier criterion moves its rules up: "introduces" (rule 3) weighs 3 here.
        pytest.param({"introduces": 3}, [3, 9, 8, 1, 5, 7, 10, 4, 6], id="heavier-criterion"),
        # Rule 10 now weighs 2, as 1, 5 and 7 do: the verdict's band cites it, it goes first.
        pytest.param({"feel-empty": 2}, [9, 3, 8, 10, 1, 5, 7, 4, 6], id="band-breaks-ties"),
    ],
)
def test_rules_are_ranked_by_the_weight_against_the_contact(
    weights: dict[str, int], expected: list[int]
) -> None:
    data = copy.deepcopy(CONTACT)
    for item in data["items"]:
        if item["id"] in weights:
            item["weight"] = weights[item["id"]]
    for band in data["bands"]:  # the scale grows with the weights: keep the bands covering it
        if band is data["bands"][-1]:
            band["min_score"] = -sum(i.get("weight", 1) for i in data["items"] if i["sign"] == "-")
    questionnaire = parse(data, source="contact.toml", rules=load_rules())
    result = score(questionnaire, worst_of(questionnaire), {"duration": "gt1y"})
    assert [r.number for r in result.ranked_rules] == expected
    assert result.rules == tuple(sorted(expected))


def worst_of(questionnaire: Questionnaire) -> dict[str, str]:
    return {i.id: ("no" if i.sign == "+" else "yes") for i in questionnaire.items}
