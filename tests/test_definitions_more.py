"""The questionnaires beyond the crible (self-assessment, give side, groups) and the win-win
map: they load, they say what they are about, and a broken map says exactly why."""

from __future__ import annotations

import copy
import tomllib
from importlib import resources
from typing import Any

import pytest
from test_model import DELETE, mutated, parse

from scoring import InvalidDataError, load_questionnaire, load_rules
from scoring.model import load_map, parse_map, subject_ids

MAP = tomllib.loads(
    (resources.files("scoring") / "definitions" / "carte.toml").read_text(encoding="utf-8")
)


@pytest.mark.parametrize(
    ("qid", "subject", "positives", "negatives", "bands", "asks_time"),
    [
        ("contact", "contact", 9, 4, ["cultiver", "entretenir", "surveiller", "distance"], True),
        ("donne", "contact", 5, 1, ["beaucoup", "assez", "peu"], True),
        ("groupe", "groupe", 6, 5, ["rester-actif", "reduire", "quitter"], True),
        ("apport", "soi", 9, 4, ["moteur", "contributeur", "discret", "consommateur"], False),
    ],
)
def test_each_questionnaire(  # noqa: PLR0913 - one row of the table above
    qid: str,
    subject: str,
    positives: int,
    negatives: int,
    bands: list[str],
    asks_time: bool,  # noqa: FBT001
) -> None:
    q = load_questionnaire(qid)
    assert q.subject == subject
    assert (sum(i.sign == "+" for i in q.items), sum(i.sign == "-" for i in q.items)) == (
        positives,
        negatives,
    )
    assert [band.id for band in q.bands] == bands
    assert bool(q.time_question) is asks_time
    assert q.to_dict()["subject"] == subject
    assert q.to_dict()["time_question"] == q.time_question


def test_the_self_assessment_covers_the_ten_rules() -> None:
    covered = {n for item in load_questionnaire("apport").items for n in item.rules}
    assert covered == set(range(1, 11))


def test_the_group_questionnaire_asks_about_conformism() -> None:
    group = load_questionnaire("groupe")
    assert group.item_by_id["conformism"].question == (
        "Faut-il y penser comme les membres les plus influents pour être bien vu\u202f?"
    )
    assert group.time_question == "Combien d’heures par mois consacrez-vous à ce groupe\u202f?"


def errors_of(data: dict[str, Any]) -> list[str]:
    with pytest.raises(InvalidDataError) as caught:
        parse(data)
    return caught.value.lines()


def test_a_subject_must_be_known() -> None:
    assert errors_of(mutated({"subject": "personne"})) == [
        "Unknown subject 'personne' in 'subject'. Use one of the subject ids of subjects.toml: "
        "'contact', 'groupe', 'soi'."
    ]
    assert subject_ids() == ("contact", "groupe", "soi")


def test_time_question_is_optional_but_not_empty() -> None:
    assert parse(mutated({"time_question": DELETE})).time_question == ""
    assert errors_of(mutated({"time_question": " "})) == [
        "Empty value in 'time_question'. Write some text here, for example "
        'time_question = "Combien d\'heures par mois consacrez-vous à ce groupe ?".'
    ]


# --- The win-win map ------------------------------------------------------------------------


def test_the_map() -> None:
    carte = load_map()
    assert (carte.receive.questionnaire, carte.receive.min_score) == ("contact", 3)
    assert (carte.give.questionnaire, carte.give.min_score) == ("donne", 2)
    assert [(q.id, q.receive, q.give) for q in carte.quadrants] == [
        ("gagnant-gagnant", True, True),
        ("gagnant-perdant", True, False),
        ("perdant-gagnant", False, True),
        ("perdant-perdant", False, False),
    ]
    assert carte.quadrant(receive_score=3, give_score=1).id == "gagnant-perdant"
    assert carte.quadrant(receive_score=2, give_score=2).id == "perdant-gagnant"


def map_errors(changes: dict[str, Any]) -> list[str]:
    data = copy.deepcopy(MAP)
    for path, value in changes.items():
        *parents, last = path.split(".")
        node: Any = data
        for key in parents:
            node = node[int(key)] if key.isdigit() else node[key]
        if value is DELETE:
            del node[int(last) if last.isdigit() else last]
        else:
            node[int(last) if last.isdigit() else last] = value
    questionnaires = {qid: load_questionnaire(qid) for qid in ("contact", "donne", "groupe")}
    with pytest.raises(InvalidDataError) as caught:
        parse_map(data, source="carte.toml", rules=load_rules(), questionnaires=questionnaires)
    assert caught.value.source == "carte.toml"
    return caught.value.lines()


@pytest.mark.parametrize(
    ("changes", "expected"),
    [
        pytest.param(
            {"give.questionnaire": "groupe"},
            [
                "Unknown questionnaire 'groupe' in 'give.questionnaire'. Use one of the "
                "questionnaire ids with subject = \"contact\": 'contact', 'donne'."
            ],
            id="a-group-questionnaire-on-a-person-axis",
        ),
        pytest.param(
            {"receive.min_score": -4},
            [
                "min_score -4 leaves a side of the map empty (scores of 'contact' go from -4 "
                "to 9) in 'receive.min_score'. Write a min_score from -3 to 9."
            ],
            id="threshold-at-the-bottom",
        ),
        pytest.param(
            {"give.min_score": 6},
            [
                "min_score 6 leaves a side of the map empty (scores of 'donne' go from -1 to 5) "
                "in 'give.min_score'. Write a min_score from 0 to 5."
            ],
            id="threshold-above-the-top",
        ),
        pytest.param(
            {"quadrants.3": DELETE},
            [
                "No quadrant for receive = false, give = false in 'quadrants'. Write four "
                "quadrants, one for each pair of receive and give."
            ],
            id="a-quadrant-missing",
        ),
        pytest.param(
            {"quadrants.3.give": True},
            [
                "Quadrant 'perdant-perdant' has the same receive and give as 'perdant-gagnant' "
                "in 'quadrants[3]'. Give each of the four quadrants its own pair of receive and "
                "give.",
                "No quadrant for receive = false, give = false in 'quadrants'. Write four "
                "quadrants, one for each pair of receive and give.",
            ],
            id="two-quadrants-alike",
        ),
        pytest.param(
            {"quadrants.0.receive": DELETE, "quadrants.1.rules": [11]},
            [
                "Unknown rule 11 in 'quadrants[1].rules[0]'. Use a rule number defined in "
                "rules.toml: 1, 2, 3, 4, 5, 6, 7, 8, 9, 10.",
                "Missing required value in 'quadrants[0].receive'. Add receive = true or "
                "receive = false.",
                "No quadrant for receive = true, give = true in 'quadrants'. Write four "
                "quadrants, one for each pair of receive and give.",
            ],
            id="receive-missing-and-an-unknown-rule",
        ),
        pytest.param(
            {"colour": "red"},
            [
                "Unknown key 'colour'. Remove 'colour' or correct its spelling (keys of this "
                "file: format, receive, give, quadrants)."
            ],
            id="unknown-key",
        ),
    ],
)
def test_a_broken_map(changes: dict[str, Any], expected: list[str]) -> None:
    assert map_errors(changes) == expected
