"""The page learns the domain from the build (the `crible-domain` island, domain.js): no
questionnaire id or subject id is written as a string in the site's JS, so that adding one is
data only. Checked against every id the definitions have today."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from scoring.model import questionnaire_ids, subject_ids

JS = Path(__file__).resolve().parents[1] / "overrides" / "assets" / "javascripts" / "crible"
IDS = sorted({*questionnaire_ids(), *subject_ids()})


def quoted(identifier: str) -> re.Pattern[str]:
    """The id as a whole JS string: "groupe", 'groupe' or `groupe`."""
    return re.compile(rf"""(["'`]){re.escape(identifier)}\1""")


def test_the_ids_are_those_of_the_definitions() -> None:
    assert IDS == ["apport", "contact", "donne", "groupe", "soi"]


@pytest.mark.parametrize("identifier", IDS)
def test_no_id_is_written_in_the_js(identifier: str) -> None:
    found = [
        f"{path.name}:{number}: {line.strip()}"
        for path in sorted(JS.glob("*.js"))
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1)
        if quoted(identifier).search(line)
    ]
    assert found == []


def test_the_check_finds_a_quoted_id() -> None:
    assert quoted("soi").search('kind === "soi"')
    assert quoted("soi").search("kind === `soi`")
    assert not quoted("soi").search('"soiree"')
    assert not quoted("contact").search('"data-contact"')
