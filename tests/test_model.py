"""The questionnaire model: the shipped definitions load, and broken ones say exactly why."""

from __future__ import annotations

import copy
import re
import tomllib
from importlib import resources
from typing import TYPE_CHECKING, Any

import pytest

from scoring import (
    InvalidDataError,
    Questionnaire,
    is_questionnaire,
    load_questionnaire,
    load_questionnaire_file,
    load_rules,
    load_rules_file,
    parse_questionnaire,
    questionnaire_ids,
)

if TYPE_CHECKING:
    from collections.abc import Callable
    from pathlib import Path

CONTACT = tomllib.loads(
    (resources.files("scoring") / "definitions" / "contact.toml").read_text(encoding="utf-8")
)
DELETE = object()
_STEP = re.compile(r"([^.\[\]]+)|\[(\d+)\]")


def mutated(changes: dict[str, object]) -> dict[str, Any]:
    """A deep copy of the real contact data with ``{"items[3].sign": value or DELETE}`` applied."""
    data = copy.deepcopy(CONTACT)
    for path, value in changes.items():
        steps: list[str | int] = [key or int(index) for key, index in _STEP.findall(path)]
        parent: Any = data
        for step in steps[:-1]:
            parent = parent[step]
        if value is DELETE:
            del parent[steps[-1]]
        else:
            parent[steps[-1]] = value
    return data


def parse(data: dict[str, Any]) -> Questionnaire:
    return parse_questionnaire(data, source="contact.toml", rules=load_rules())


def errors_of(data: dict[str, Any]) -> list[str]:
    with pytest.raises(InvalidDataError) as caught:
        parse(data)
    assert caught.value.source == "contact.toml"
    return [str(error) for error in caught.value.errors]


# --- The shipped data ---------------------------------------------------------------------


def test_rules_load() -> None:
    rules = load_rules()
    assert [rule.number for rule in rules] == list(range(1, 11))
    assert rules[8].title == "Évaluez vos contacts"


def test_contact_loads() -> None:
    q = load_questionnaire("contact")
    assert q.id == "contact"
    assert sum(item.sign == "+" for item in q.items) == 9
    assert sum(item.sign == "-" for item in q.items) == 4
    assert (q.score_min, q.score_max) == (-4, 9)
    assert [band.id for band in q.bands] == ["cultiver", "entretenir", "surveiller", "distance"]
    assert q.item_by_id["feel-empty"].rules == (9, 10)
    assert q.duration_by_id["lt1m"].provisional is True
    assert q.contradictions[0].items == ("always-critical", "constructive")
    assert q.min_coverage == 0.5
    assert q.answers.unknown == "Je ne sais pas"


def test_questionnaire_ids() -> None:
    assert questionnaire_ids() == ("apport", "contact", "donne", "groupe")
    assert is_questionnaire("contact")
    assert not is_questionnaire("rules")
    assert not is_questionnaire("carte")  # the win-win map is a definition, not a questionnaire
    assert not is_questionnaire("../contact")


def test_load_is_cached_and_equal_to_parse() -> None:
    assert load_questionnaire("contact") is load_questionnaire("contact")
    assert parse(copy.deepcopy(CONTACT)) == load_questionnaire("contact")


def test_to_dict_keeps_order_and_signs() -> None:
    data = load_questionnaire("contact").to_dict()
    assert data["items"][4] == {
        "id": "always-critical",
        "sign": "-",
        "label": "Systématiquement critique",
        "question": "Se montre-t-il systématiquement critique\u202f?",
        "dimension": "attitude",
        "rules": [7, 8],
        "weight": 1,
    }
    assert [band["min_score"] for band in data["bands"]] == [6, 3, 0, -4]
    assert [band["tone"] for band in data["bands"]] == ["good", "fair", "warn", "bad"]
    assert (data["score_min"], data["score_max"]) == (-4, 9)
    assert len(data["rules"]) == 10


@pytest.mark.parametrize("qid", ["nope", "rules", "../contact", "Contact"])
def test_unknown_questionnaire(qid: str) -> None:
    with pytest.raises(InvalidDataError) as caught:
        load_questionnaire(qid)
    assert caught.value.lines() == [
        f"Unknown questionnaire {qid!r}. Use one of: 'apport', 'contact', 'donne', 'groupe'."
    ]


# --- Broken definitions: every mistake, at its exact key path -------------------------------

BROKEN = [
    pytest.param(
        {"items[3].sign": DELETE},
        ["Missing required value in 'items[3].sign'"],
        id="missing-sign",
    ),
    pytest.param(
        {"items[5].id": "responsive"},
        ["Duplicate item id 'responsive' in 'items[5].id'"],
        id="duplicate-item-id",
    ),
    pytest.param(
        {"bands[0].min_score": "6"},
        ["Unexpected type str (expected int) in 'bands[0].min_score'"],
        id="min-score-as-text",
    ),
    pytest.param(
        {"items[2].colour": "red"},
        ["Unknown key 'colour' in 'items[2]'"],
        id="unknown-item-key",
    ),
    pytest.param({"fromat": 1}, ["Unknown key 'fromat'"], id="unknown-top-level-key"),
    pytest.param(
        {"items[0].sign": "*"},
        ["Invalid sign '*' (expected '+' or '-') in 'items[0].sign'"],
        id="invalid-sign",
    ),
    pytest.param(
        {"items[4].dimension": "foo"},
        ["Unknown dimension 'foo' in 'items[4].dimension'"],
        id="unknown-dimension",
    ),
    pytest.param(
        {"items[2].rules": [3, 11]},
        ["Unknown rule 11 in 'items[2].rules[1]'"],
        id="unknown-rule",
    ),
    pytest.param(
        {"bands[1].rules": [0]},
        ["Unknown rule 0 in 'bands[1].rules[0]'"],
        id="unknown-band-rule",
    ),
    pytest.param(
        {"contradictions[0].items": ["always-critical", "nope"]},
        ["Unknown item 'nope' in 'contradictions[0].items[1]'"],
        id="unknown-contradiction-item",
    ),
    pytest.param(
        {"contradictions[1].items": ["feel-empty"]},
        ["Expected 2 item ids, found 1 in 'contradictions[1].items'"],
        id="contradiction-not-a-pair",
    ),
    pytest.param(
        {"contradictions[2].items": ["motivated", "motivated"]},
        ["Contradiction pairs item 'motivated' with itself in 'contradictions[2].items[1]'"],
        id="contradiction-with-itself",
    ),
    pytest.param(
        {"bands[2].min_score": 3},
        [
            "Bands are not in decreasing order of min_score: 3 is not below 3 "
            "in 'bands[2].min_score'"
        ],
        id="bands-not-decreasing",
    ),
    pytest.param(
        {"bands[0].min_score": 10},
        [
            "Band 'cultiver' can never be reached: min_score 10 is above the highest possible "
            "score 9 in 'bands[0].min_score'"
        ],
        id="first-band-unreachable",
    ),
    pytest.param(
        {"bands[3].min_score": -3},
        [
            "Bands do not cover the lowest possible score -4 (the last band starts at -3) "
            "in 'bands[3].min_score'"
        ],
        id="lowest-score-uncovered",
    ),
    pytest.param(
        {"bands[2].min_score": -4, "bands[3].min_score": -5},
        [
            "Band 'distance' can never be reached: the band before it already covers the lowest "
            "possible score -4 in 'bands[3]'"
        ],
        id="last-band-unreachable",
    ),
    pytest.param(
        {"items[0].weight": 2, "bands[0].min_score": 11},
        [
            "Band 'cultiver' can never be reached: min_score 11 is above the highest possible "
            "score 10 in 'bands[0].min_score'"
        ],
        id="weights-count-in-bounds",
    ),
    pytest.param(
        {"items[6].id": "Evasive_answers"},
        [
            "Invalid id 'Evasive_answers' (expected lowercase letters and digits, in words "
            "joined by single hyphens) in 'items[6].id'"
        ],
        id="invalid-item-id",
    ),
    pytest.param(
        {"dimensions[0].id": "disponibilité"},
        [
            "Invalid id 'disponibilité' (expected lowercase letters and digits, in words "
            "joined by single hyphens) in 'dimensions[0].id'",
            "Unknown dimension 'disponibilite' in 'items[0].dimension'",
            "Unknown dimension 'disponibilite' in 'items[1].dimension'",
        ],
        id="accented-dimension-id",
    ),
    pytest.param(
        {"items[1].label": "  "},
        ["Empty value in 'items[1].label'"],
        id="empty-label",
    ),
    pytest.param({"format": 2}, ["Unsupported format 2 (expected 1) in 'format'"], id="format"),
    pytest.param(
        {"min_coverage": 1.5},
        ["Invalid min_coverage 1.5 (expected a number from 0 to 1) in 'min_coverage'"],
        id="min-coverage-above-one",
    ),
    pytest.param(
        {"min_coverage": True},
        ["Unexpected type bool (expected float) in 'min_coverage'"],
        id="min-coverage-bool",
    ),
    pytest.param(
        {"dimensions[3].id": "qualite"},
        [
            "Duplicate dimension id 'qualite' in 'dimensions[3].id'",
            # 'attitude' is gone, so its items now point nowhere: said too, item by item.
            "Unknown dimension 'attitude' in 'items[4].dimension'",
            "Unknown dimension 'attitude' in 'items[7].dimension'",
            "Unknown dimension 'attitude' in 'items[8].dimension'",
        ],
        id="duplicate-dimension-id",
    ),
    pytest.param(
        {"bands[1].id": "cultiver"},
        ["Duplicate band id 'cultiver' in 'bands[1].id'"],
        id="duplicate-band-id",
    ),
    pytest.param(
        {"context.durations[3].id": "lt1m"},
        ["Duplicate duration id 'lt1m' in 'context.durations[3].id'"],
        id="duplicate-duration-id",
    ),
    pytest.param(
        {"context.durations[0].provisional": "yes"},
        ["Unexpected type str (expected bool) in 'context.durations[0].provisional'"],
        id="provisional-as-text",
    ),
    pytest.param(
        {"items[2].dimension": "qualite"},
        ["Dimension 'reseau' has no item in 'dimensions[1]'"],
        id="dimension-without-item",
    ),
    pytest.param(
        {"items[0].weight": True},
        ["Unexpected type bool (expected int) in 'items[0].weight'"],
        id="bool-weight",
    ),
    pytest.param(
        {"items[0].weight": 0},
        ["Invalid weight 0 (expected 1 or more) in 'items[0].weight'"],
        id="zero-weight",
    ),
    pytest.param(
        {"answers.unknown": DELETE},
        ["Missing required value in 'answers.unknown'"],
        id="answer-label-missing",
    ),
    pytest.param({"answers": DELETE}, ["Missing required value in 'answers'"], id="no-answers"),
    pytest.param(
        {"items": {"id": "x"}},
        [
            "Unexpected type table (expected array) in 'items'",
            "Dimension 'disponibilite' has no item in 'dimensions[0]'",
            "Dimension 'reseau' has no item in 'dimensions[1]'",
            "Dimension 'qualite' has no item in 'dimensions[2]'",
            "Dimension 'attitude' has no item in 'dimensions[3]'",
            "Dimension 'ressenti' has no item in 'dimensions[4]'",
            "Unknown item 'always-critical' in 'contradictions[0].items[0]'",
            "Unknown item 'constructive' in 'contradictions[0].items[1]'",
            "Unknown item 'feel-empty' in 'contradictions[1].items[0]'",
            "Unknown item 'positive-mood' in 'contradictions[1].items[1]'",
            "Unknown item 'feel-empty' in 'contradictions[2].items[0]'",
            "Unknown item 'motivated' in 'contradictions[2].items[1]'",
        ],
        id="items-not-an-array",
    ),
    pytest.param(
        {"context.durations": []},
        ["Empty array in 'context.durations'"],
        id="empty-durations",
    ),
    pytest.param({"contradictions": DELETE}, [], id="contradictions-are-optional"),
    pytest.param(
        {"bands[1]": "entretenir"},
        ["Unexpected type str (expected table) in 'bands[1]'"],
        id="band-not-a-table",
    ),
    pytest.param(
        {"id": "groupe"},
        [],  # no file name to compare with when parsing data directly
        id="id-free-without-file",
    ),
    pytest.param(
        # Several mistakes at once, in the order of the file.
        {
            "format": "1",
            "title": DELETE,
            "items[0].sign": "plus",
            "items[2].colour": "red",
            "items[4].dimension": "foo",
            "items[9].rules": [4, 11, "12"],
            "bands[0].min_score": True,
            "contradictions[0].items[1]": "nope",
        },
        [
            "Unexpected type str (expected int) in 'format'",
            "Missing required value in 'title'",
            "Invalid sign 'plus' (expected '+' or '-') in 'items[0].sign'",
            "Unknown key 'colour' in 'items[2]'",
            "Unknown dimension 'foo' in 'items[4].dimension'",
            "Unknown rule 11 in 'items[9].rules[1]'",
            "Unexpected type str (expected int) in 'items[9].rules[2]'",
            "Unexpected type bool (expected int) in 'bands[0].min_score'",
            "Unknown item 'nope' in 'contradictions[0].items[1]'",
        ],
        id="many-mistakes-at-once",
    ),
]


@pytest.mark.parametrize(("changes", "expected"), BROKEN)
def test_broken_definition(changes: dict[str, object], expected: list[str]) -> None:
    if not expected:
        parse(mutated(changes))
        return
    assert errors_of(mutated(changes)) == expected


FIXES = [
    pytest.param(
        {"items[3].sign": DELETE},
        'Missing required value in \'items[3].sign\'. Add sign = "+" or sign = "-" to this item.',
        id="missing-sign",
    ),
    pytest.param(
        {"bands[0].min_score": "6"},
        "Unexpected type str (expected int) in 'bands[0].min_score'. Write min_score as a whole "
        "number without quotes, for example min_score = 3.",
        id="type",
    ),
    pytest.param(
        {"items[2].colour": "red"},
        "Unknown key 'colour' in 'items[2]'. Remove 'colour' or correct its spelling (keys of "
        "this item: id, sign, label, question, dimension, rules, weight).",
        id="unknown-key",
    ),
    pytest.param(
        {"bands[3].min_score": -3},
        "Bands do not cover the lowest possible score -4 (the last band starts at -3) in "
        "'bands[3].min_score'. Write min_score = -4 in the last band, the least favourable one.",
        id="coverage",
    ),
    pytest.param(
        {"bands[2].tone": "orange"},
        "Unknown tone 'orange' in 'bands[2].tone'. Use one of the tones 'good', 'fair', 'warn', "
        "'bad', from the most to the least favourable verdict.",
        id="unknown-tone",
    ),
    pytest.param(
        {"bands[0].tone": DELETE},
        "Missing required value in 'bands[0].tone'. Add tone = \"fair\" to this band.",
        id="missing-tone",
    ),
    pytest.param(
        {"bands[1].tone": 2},
        "Unexpected type int (expected str) in 'bands[1].tone'. Write tone as text in double "
        'quotes, for example tone = "fair".',
        id="tone-as-number",
    ),
    pytest.param(
        {"items[2].rules": [11]},
        "Unknown rule 11 in 'items[2].rules[0]'. Use a rule number defined in rules.toml: "
        "1, 2, 3, 4, 5, 6, 7, 8, 9, 10.",
        id="rule",
    ),
    pytest.param(
        {"items[5].id": "responsive"},
        "Duplicate item id 'responsive' in 'items[5].id'. Change this id: items[1] already uses "
        "'responsive'.",
        id="duplicate",
    ),
]


@pytest.mark.parametrize(("changes", "expected"), FIXES)
def test_every_error_has_its_fix(changes: dict[str, object], expected: str) -> None:
    with pytest.raises(InvalidDataError) as caught:
        parse(mutated(changes))
    assert caught.value.lines() == [expected]


def test_every_error_of_the_big_case_has_a_fix() -> None:
    with pytest.raises(InvalidDataError) as caught:
        parse(mutated({"format": "1", "title": DELETE, "items[0].sign": "plus", "fromat": 1}))
    assert all(error.fix.endswith(".") for error in caught.value.errors)
    assert len(caught.value.lines()) == 4


# --- Files ----------------------------------------------------------------------------------


@pytest.fixture
def write(tmp_path: Path) -> Callable[[str, str], Path]:
    def write(name: str, text: str) -> Path:
        path = tmp_path / name
        path.write_text(text, encoding="utf-8")
        return path

    return write


def _contact_text() -> str:
    return (resources.files("scoring") / "definitions" / "contact.toml").read_text(encoding="utf-8")


def test_file_loads(write: Callable[[str, str], Path]) -> None:
    path = write("contact.toml", _contact_text())
    assert load_questionnaire_file(path) == load_questionnaire("contact")


def test_file_name_must_match_id(write: Callable[[str, str], Path]) -> None:
    path = write("groupe.toml", _contact_text())
    with pytest.raises(InvalidDataError) as caught:
        load_questionnaire_file(path)
    assert str(caught.value) == (
        f"{path}: Id 'contact' does not match the file name 'groupe.toml' in 'id'. "
        'Write id = "groupe", or rename the file to contact.toml.'
    )


def test_toml_syntax_error_names_file_and_line(write: Callable[[str, str], Path]) -> None:
    path = write("contact.toml", _contact_text().replace('id = "contact"', "id = contact", 1))
    with pytest.raises(InvalidDataError) as caught:
        load_questionnaire_file(path)
    assert caught.value.source == str(path)
    assert caught.value.lines() == [
        "Invalid TOML: Invalid value (at line 6, column 6). Correct the TOML syntax at that line."
    ]


def test_missing_file(write: Callable[[str, str], Path]) -> None:
    path = write("contact.toml", "").with_name("absent.toml")
    with pytest.raises(InvalidDataError) as caught:
        load_questionnaire_file(path)
    assert caught.value.lines() == ["File not found. Check the file name and the folder."]


def test_sibling_rules_file_is_used(write: Callable[[str, str], Path]) -> None:
    rules = (resources.files("scoring") / "definitions" / "rules.toml").read_text(encoding="utf-8")
    write("rules.toml", rules.replace("number = 10", "number = 11"))
    path = write("contact.toml", _contact_text())
    with pytest.raises(InvalidDataError) as caught:
        load_questionnaire_file(path)
    assert [str(e) for e in caught.value.errors] == [
        "Unknown rule 10 in 'items[11].rules[1]'",
        "Unknown rule 10 in 'bands[3].rules[1]'",
    ]


@pytest.mark.parametrize(
    ("old", "new", "expected"),
    [
        pytest.param(
            "number = 2\n",
            "number = 1\n",
            ["Duplicate rule number 1 in 'rules[1].number'"],
            id="duplicate-number",
        ),
        pytest.param(
            'title = "Soyez tolérant"',
            'title = ""',
            ["Empty value in 'rules[7].title'"],
            id="empty-title",
        ),
        pytest.param(
            "number = 3\n",
            "number = -3\n",
            ["Invalid number -3 (expected 1 or more) in 'rules[2].number'"],
            id="negative-number",
        ),
    ],
)
def test_broken_rules(
    write: Callable[[str, str], Path], old: str, new: str, expected: list[str]
) -> None:
    rules = (resources.files("scoring") / "definitions" / "rules.toml").read_text(encoding="utf-8")
    path = write("rules.toml", rules.replace(old, new, 1))
    with pytest.raises(InvalidDataError) as caught:
        load_rules_file(path)
    assert [str(e) for e in caught.value.errors] == expected
