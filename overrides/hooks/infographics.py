"""The guide's three infographics, rendered to SVG from the definitions at build time, each in
two formats (wide, and narrow for phones) and two colour schemes (light, and dark for Material's
slate): twelve files, ``<figure><format><scheme>.svg`` (``gagnant-gagnant-etroit-sombre.svg``).

This module knows neither MkDocs nor the ``scoring`` model: each figure module says what it
needs as ``Protocol``s and the hook passes the real objects. The arithmetic of the layouts lives
in small typed modules (figure_text: wrapping; figure_frame: formats and shapes; figure_rules,
figure_win_win, figure_sieve: one figure each; figure_palette: colours); the Jinja2 templates
(``overrides/infographics/*.svg.j2``) stay declarative and every text goes through their
autoescaping. Data texts get the pages' French typography (``scoring.typeset``). How pages
show the variants: figure_embed.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Final

from figure_frame import FORMATS, Format
from figure_palette import SCHEMES, Scheme
from figure_rules import layout_rules
from figure_sieve import layout_sieve
from figure_win_win import layout_matrix
from jinja2 import Environment, FileSystemLoader, StrictUndefined

if TYPE_CHECKING:
    from collections.abc import Sequence
    from pathlib import Path

    from figure_rules import RuleLike
    from figure_sieve import QuestionnaireLike
    from figure_win_win import MapLike

FIGURES: Final = ("dix-regles", "gagnant-gagnant", "valeur-du-reseau")


def file_name(figure: str, page: Format, scheme: Scheme) -> str:
    return f"{figure}{page.suffix}{scheme.suffix}.svg"


OUTPUTS: Final = tuple(
    file_name(figure, page, scheme) for figure in FIGURES for page in FORMATS for scheme in SCHEMES
)


def environment(templates_dir: Path) -> Environment:
    """Jinja2 with autoescaping (the data's text cannot break the XML)."""
    return Environment(
        loader=FileSystemLoader(templates_dir),
        autoescape=True,
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
    )


def _contexts(
    rules: Sequence[RuleLike], crible: QuestionnaireLike, win_win: MapLike, page: Format
) -> dict[str, dict[str, object]]:
    """What each figure's template receives, laid out in ``page``'s format."""
    rules_frame, cards = layout_rules(rules, page)
    matrix_frame, matrix = layout_matrix(win_win, page)
    sieve_frame, sieve = layout_sieve(crible, page)
    return {
        "dix-regles": {"frame": rules_frame, "cards": cards},
        "gagnant-gagnant": {"frame": matrix_frame, "matrix": matrix},
        "valeur-du-reseau": {"frame": sieve_frame, "sieve": sieve},
    }


def render_infographics(
    rules: Sequence[RuleLike],
    crible: QuestionnaireLike,
    win_win: MapLike,
    templates_dir: Path,
) -> dict[str, str]:
    """Every variant of the three infographics: ``{file name: SVG text}``, in OUTPUTS' order."""
    env = environment(templates_dir)
    contexts = {page.suffix: _contexts(rules, crible, win_win, page) for page in FORMATS}
    return {
        file_name(figure, page, scheme): env.get_template(f"{figure}.svg.j2").render(
            **contexts[page.suffix][figure], p=scheme.palette
        )
        for figure in FIGURES
        for page in FORMATS
        for scheme in SCHEMES
    }
