"""The first infographic, « Quelle valeur apportez-vous au réseau ? »: the ten rules of
``rules.toml``, each with its principle, as cards read from top to bottom (two columns wide,
one narrow)."""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import TYPE_CHECKING, Final, Protocol

from figure_frame import NARROW, WIDE, Badge, Box, Format, Frame, badge, close, frame
from figure_text import TextBlock, text_block

from scoring import typeset

if TYPE_CHECKING:
    from collections.abc import Sequence


class RuleLike(Protocol):
    """One of the ten rules (``rules.toml``)."""

    @property
    def number(self) -> int: ...
    @property
    def title(self) -> str: ...
    @property
    def principle(self) -> str: ...


@dataclass(frozen=True, slots=True, kw_only=True)
class RuleCard:
    box: Box
    number: Badge
    title: TextBlock
    principle: TextBlock


@dataclass(frozen=True, slots=True, kw_only=True)
class _Style:
    columns: int
    column_gap: int
    pad: int
    badge_r: int
    badge_size: int
    title_size: int
    principle_size: int


_STYLES: Final = {
    WIDE.suffix: _Style(
        columns=2,
        column_gap=24,
        pad=20,
        badge_r=22,
        badge_size=20,
        title_size=19,
        principle_size=16,
    ),
    NARROW.suffix: _Style(
        columns=1, column_gap=0, pad=12, badge_r=16, badge_size=16, title_size=17, principle_size=15
    ),
}


def _texts(
    rule: RuleLike, x: int, y: int, width: int, style: _Style
) -> tuple[TextBlock, TextBlock]:
    text_x = x + style.pad + 2 * style.badge_r + style.pad * 4 // 5
    text_w = x + width - style.pad - text_x
    title = text_block(
        typeset(rule.title),
        x=text_x,
        top=y + style.pad - 2,
        width=text_w,
        size=style.title_size,
        fill="encre",
        bold=True,
        balanced=True,
    )
    principle = text_block(
        typeset(rule.principle),
        x=text_x,
        top=y + style.pad + title.height + 4,
        width=text_w,
        size=style.principle_size,
        fill="texte",
        balanced=True,
    )
    return title, principle


def _height(rule: RuleLike, width: int, style: _Style) -> int:
    title, principle = _texts(rule, 0, 0, width, style)
    return max(
        2 * style.pad + 2 * style.badge_r, 2 * style.pad + title.height + 4 + principle.height
    )


def count_word(count: int) -> str:
    words = {10: "dix", 11: "onze", 12: "douze", 13: "treize"}
    return words.get(count, str(count))


def layout_rules(rules: Sequence[RuleLike], page: Format) -> tuple[Frame, tuple[RuleCard, ...]]:
    """Cards read from top to bottom: 1 to 5 on the left and 6 to 10 on the right (wide), or
    one under another (narrow)."""
    style = _STYLES[page.suffix]
    ordered = sorted(rules, key=lambda rule: rule.number)
    count = len(ordered)
    titles = " ; ".join(f"{rule.number}. {typeset(rule.title)}" for rule in ordered)
    base, top = frame(
        "dix-regles",
        page,
        title=typeset("Quelle valeur apportez-vous au réseau ?"),
        subtitle=f"Une méthode en {count_word(count)} règles simples",
        desc=typeset(
            f"Les {count_word(count)} règles de la méthode, chacune avec son principe : {titles}."
        ),
    )
    inner = page.width - 2 * page.margin
    column_w = (inner - (style.columns - 1) * style.column_gap) // style.columns
    per_column = math.ceil(count / style.columns)
    cards: list[RuleCard] = []
    y = top
    for row in range(per_column):
        indexes = (row + column * per_column for column in range(style.columns))
        line = [ordered[i] for i in indexes if i < count]
        height = max(_height(rule, column_w, style) for rule in line)
        for column, rule in enumerate(line):
            x = page.margin + column * (column_w + style.column_gap)
            title, principle = _texts(rule, x, y, column_w, style)
            number = badge(
                str(rule.number),
                cx=x + style.pad + style.badge_r,
                cy=y + style.pad + style.badge_r,
                r=style.badge_r,
                fill="primaire_plein",
                size=style.badge_size,
            )
            box = Box(x=x, y=y, width=column_w, height=height, fill="carte", stroke="primaire_bord")
            cards.append(RuleCard(box=box, number=number, title=title, principle=principle))
        y += height + page.gap
    return close(base, y - page.gap, page), tuple(cards)
