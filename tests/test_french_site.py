"""The built site read as a French editor would (FRENCH.md): every page's visible text, its
`<title>`, meta descriptions, `alt` and `title` texts, and the infographics' SVG text.

- Typography: no ordinary space (nor none) before ; : ! ? », after «, no straight apostrophe
  between letters; code, pre, kbd, scripts, styles and URLs excepted.
- Own words: no run of eight words in a row shared with the source article's paragraphs,
  outside « quotations » and headings.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import pytest
from french_support import (
    RUN,
    SEED_CANDIDATES,
    article_runs,
    read_html,
    read_svg,
    reading_faults,
    reading_runs,
    seed_path,
    shared_runs,
    typography_faults,
    words,
)

if TYPE_CHECKING:
    from pathlib import Path

    from french_support import Reading

pytestmark = pytest.mark.build


def _readings(site: Path) -> list[tuple[str, Reading]]:
    """(file, what a visitor reads in it) for every page and every SVG of the built site."""
    readings: list[tuple[str, Reading]] = []
    for path in sorted(site.rglob("*.html")):
        where = path.relative_to(site).as_posix()
        readings.append((where, read_html(path.read_text(encoding="utf-8"))))
    for path in sorted(site.rglob("*.svg")):
        where = path.relative_to(site).as_posix()
        if where.startswith("assets/infographics/"):
            readings.append((where, read_svg(path.read_text(encoding="utf-8"))))
    return readings


@pytest.fixture(scope="module")
def readings(built_site: Path) -> list[tuple[str, Reading]]:
    found = _readings(built_site)
    # The pages and the three infographics are all there: an empty reading proves nothing.
    # Each infographic in each of its variants (narrow, dark): a visitor reads one of them.
    names = {where.removeprefix("assets/infographics/") for where, _ in found}
    assert {"dix-regles.svg", "gagnant-gagnant.svg", "valeur-du-reseau.svg"} <= names
    assert sum(where.endswith("index.html") for where, _ in found) >= 12
    return found


def test_typography_of_every_page_and_infographic(readings: list[tuple[str, Reading]]) -> None:
    faults = [fault for where, reading in readings for fault in reading_faults(where, reading)]
    assert faults == [], f"{len(faults)} fautes de typographie :\n" + "\n".join(faults)


def test_no_sentence_of_the_article_in_the_site(readings: list[tuple[str, Reading]]) -> None:
    seed = seed_path()
    if seed is None:
        pytest.skip(f"the source article is not beside the clone: {SEED_CANDIDATES[0]}")
    runs = article_runs(seed.read_text(encoding="utf-8"))
    assert len(runs) > 1000  # the article's paragraphs were read
    shared = [found for where, reading in readings for found in reading_runs(where, reading, runs)]
    assert shared == [], f"{len(shared)} passages repris de l’article :\n" + "\n".join(shared)


# ---- The checks themselves can fail -------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        pytest.param("Verdict : à cultiver", ["espace ordinaire avant le signe"], id="space-colon"),
        pytest.param("Verdict: à cultiver", ["pas d’espace avant le signe"], id="no-space"),
        pytest.param("« Oui\u202f»", ["espace ordinaire après «"], id="space-after-guillemet"),
        pytest.param("«Oui\u202f»", ["pas d’espace après «"], id="no-space-after-guillemet"),
        pytest.param("l'échange", ["apostrophe droite"], id="straight-apostrophe"),
        pytest.param("Où en êtes-vous\u202f? Verdict\u00a0: «\u202fOui\u202f», l’échange", [],
                     id="typeset"),
        pytest.param("Voir https://example.org/a:b?c et 12:30", [], id="url-and-time"),
    ],
)  # fmt: skip
def test_typography_rule(text: str, expected: list[str]) -> None:
    assert [fault.split(": ")[1] for fault in typography_faults("x", text)] == expected


def test_svg_reading_keeps_lines_apart_and_knows_headings() -> None:
    svg = (
        '<svg xmlns="http://www.w3.org/2000/svg"><title>Titre</title><desc>Une l\'image</desc>'
        '<text font-size="17"><tspan>Sous-titre</tspan></text>'
        '<g><text font-size="15"><tspan>Faites savoir ce</tspan><tspan>que vous</tspan></text>'
        '<text font-weight="700"><tspan>Gras</tspan></text></g></svg>'
    )
    reading = read_svg(svg)
    assert reading.blocks == [
        ("Sous-titre", True),
        ("Faites savoir ce que vous", False),
        ("Gras", True),
        ("Titre", True),
        ("Une l'image", False),
    ]
    assert reading.attributes == []


def test_shared_runs_normalise_case_apostrophes_and_punctuation() -> None:
    article = (
        "Règle 8. Soyez tolérant\n"
        "Au contraire, vous vous sentez un peu vide avec l'impression d'avoir perdu votre temps.\n"
    )
    runs = article_runs(article)
    assert words("L’Impression, d'avoir") == ["l", "impression", "d", "avoir"]
    copied = "Vous sentez-vous VIDE, avec l’impression d’avoir perdu votre temps ?"
    assert shared_runs("p", copied, runs) == [
        "p: « vide avec l impression d avoir perdu votre temps »"
        " (article : « Au contraire, vous vous sentez un peu vide avec l'impression d'avoir"
        " perdu votre temps. »)"
    ]
    # Quoted, or a heading of the article: not a copy.
    assert shared_runs("p", "« vide, avec l’impression d’avoir perdu votre temps »", runs) == []
    heading = "Règle 8. Soyez tolérant, on ne juge pas et on n’insiste pas"
    assert shared_runs("p", heading, article_runs(heading)) == []
    assert len(words("un deux trois quatre cinq six sept")) == RUN - 1
