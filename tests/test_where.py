"""Where an error is, in French (scoring/_where.py): the page shows this, never the key path."""

from __future__ import annotations

import json

import pytest

from scoring._where import locate, locator

NNBSP = "\u202f"
ARCHIVE = {
    "contacts": [
        {"kind": "contact", "label": "Alice", "evaluations": [{"date": "2026-12-03T10:00:00Z"}]},
        {"kind": "groupe", "label": "Forum", "evaluations": [{"date": "pas une date"}]},
        {"kind": "soi", "label": "Moi", "evaluations": [{"date": "2030-01-01T00:00:00Z"}]},
        {"kind": "contact", "label": "", "evaluations": []},
        "pas un objet",
    ]
}


@pytest.mark.parametrize(
    ("path", "expected"),
    [
        pytest.param("contacts[0].evaluations[0].answers.available",
                     f"Contact «{NNBSP}Alice{NNBSP}», évaluation du 3 décembre 2026", id="contact"),
        pytest.param("contacts[1].evaluations[0].date",
                     f"Groupe «{NNBSP}Forum{NNBSP}», 1re évaluation", id="group-bad-date"),
        pytest.param("contacts[2].evaluations[0].minutes",
                     "Votre auto-évaluation, évaluation du 1er janvier 2030", id="self"),
        pytest.param("contacts[3].label", "4e contact", id="no-label"),
        pytest.param("contacts[4]", "5e contact", id="not-an-object"),
        pytest.param("contacts[9].id", "10e contact", id="beyond"),
        pytest.param("version", "", id="not-under-a-contact"),
    ],
)  # fmt: skip
def test_locate(path: str, expected: str) -> None:
    assert locate(ARCHIVE, path) == expected


def test_locator_reads_the_text_once_and_only_under_its_prefix() -> None:
    where = locator(json.dumps(ARCHIVE), "current")
    assert where("current.contacts[3].label") == "4e contact"
    assert where("contacts[3].label") == ""
    # Not JSON, or nested deeper than any archive: nothing is said, nothing fails.
    assert locator("{")("contacts[0].label") == "1er contact"
    assert locator("[" * 100_000)("contacts[0].label") == "1er contact"
