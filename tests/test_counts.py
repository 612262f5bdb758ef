"""The guide's counts and tables follow the definitions (overrides/hooks/counts.py): a criterion
added to contact.toml stops the build until docs/valeur-du-reseau.md says so."""

from __future__ import annotations

import dataclasses
from typing import TYPE_CHECKING

import counts
import pytest
from site_support import ROOT
from test_build_errors import build, replace_in, site_copy  # noqa: F401 (the fixture)

import scoring

if TYPE_CHECKING:
    from pathlib import Path

CONTACT = scoring.load_questionnaire("contact")
PAGE = ROOT / "docs" / counts.CRITERIA_PAGE
WHERE = f"docs/{counts.CRITERIA_PAGE}"


def test_the_guide_agrees_with_the_definitions_today() -> None:
    assert counts.check_counts(WHERE, PAGE.read_text(encoding="utf-8"), CONTACT) == []


def test_the_criteria_table_is_the_definition() -> None:
    table = counts.criteria_table(CONTACT)
    assert table[:3] == ["| Critère | Signe |", "| --- | :---: |", "| Disponible | + |"]
    assert table[-1] == "| Vous considère | + |"
    assert len(table) == 2 + 13


def test_a_new_criterion_makes_every_count_wrong() -> None:
    extra = dataclasses.replace(CONTACT.items[0], id="patient", label="Patient")
    bigger = dataclasses.replace(CONTACT, items=(*CONTACT.items, extra))
    problems = counts.check_counts(WHERE, PAGE.read_text(encoding="utf-8"), bigger)
    assert f"{WHERE}: « treize critères », but contact has 14 criteria. " in problems[0]
    assert problems[0].endswith("Write « quatorze » instead of « treize ».")
    signs = "« neuf critères positifs », but contact has 10 positifs criteria"
    assert any(signs in p for p in problems)
    assert any(p.startswith(f"{WHERE}: the table « | Critère | Signe | »") for p in problems)
    assert any("| Patient | + |" in p for p in problems)
    assert any("Write « de −4 à +10 »." in p for p in problems)
    # The verdicts table does not depend on the number of criteria here.
    assert not any("« | Bilan | Verdict | »" in p for p in problems)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        pytest.param("Onze questions", ["« Onze questions », but contact has 13 criteria"],
                     id="total"),
        pytest.param("les 13 critères", [], id="digits"),
        pytest.param("neuf positifs et quatre négatifs", [], id="signs"),
        pytest.param("cinq négatifs", ["« cinq négatifs », but contact has 4 négatifs criteria"],
                     id="wrong-sign"),
        pytest.param("dix règles, deux onglets", [], id="other-nouns"),
    ],
)  # fmt: skip
def test_counts_in_prose(text: str, expected: list[str]) -> None:
    found = counts.check_counts("docs/x.md", text, CONTACT)
    assert [problem.split(". Write")[0].removeprefix("docs/x.md: ") for problem in found] == (
        expected
    )


@pytest.mark.build
def test_a_criterion_added_to_the_definition_stops_the_build(site_copy: Path) -> None:  # noqa: F811
    replace_in(
        site_copy / "scoring/definitions/contact.toml",
        "# Bands, from the most",
        '[[items]]\nid = "patient"\nsign = "+"\nlabel = "Patient"\n'
        'question = "Est-il patient ?"\ndimension = "attitude"\nrules = [8]\n\n'
        "# Bands, from the most",
    )
    result = build(site_copy)
    assert result.returncode == 1, result.stderr
    assert "The guide disagrees with the definitions:" in result.stderr
    assert (
        "docs/valeur-du-reseau.md: « treize critères », but contact has 14 criteria. "
        "Write « quatorze » instead of « treize »."
    ) in result.stderr
    assert "| Patient | + |" in result.stderr
    assert not (site_copy / "out" / "index.html").exists()
