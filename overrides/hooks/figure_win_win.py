"""The second infographic, « Qu'est-ce qu'un jeu gagnant-gagnant ? »: a two-by-two grid of
what you receive (across, to the right) by what you give (up), the way round of the map in
« Mon réseau ». The quadrants' names and the axes' titles are those of ``carte.toml``, the
map's own; what the figure adds (a sentence and a verdict per quadrant) is written here."""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import TYPE_CHECKING, Final, Protocol

from figure_frame import NARROW, WIDE, Box, Format, Frame, close, frame
from figure_text import TextBlock, line_height, rotated, text_block

from scoring import typeset

if TYPE_CHECKING:
    from collections.abc import Mapping, Sequence


class MapSideLike(Protocol):
    """An axis of the map (``carte.toml``'s ``[receive]`` or ``[give]``)."""

    @property
    def label(self) -> str: ...


class QuadrantLike(Protocol):
    """A quadrant of the map: ``receive`` when you receive enough, ``give`` when you give."""

    @property
    def receive(self) -> bool: ...
    @property
    def give(self) -> bool: ...
    @property
    def label(self) -> str: ...


class MapLike(Protocol):
    @property
    def receive(self) -> MapSideLike: ...
    @property
    def give(self) -> MapSideLike: ...
    @property
    def quadrants(self) -> Sequence[QuadrantLike]: ...


@dataclass(frozen=True, slots=True, kw_only=True)
class Outcome:
    """What the figure says of a quadrant, beside its name from the map."""

    caption: str
    verdict: str
    tone: str  # a tone of the palette: "vert", "ambre", "orange", "rouge"


# By (receive, give).
OUTCOMES: Final[Mapping[tuple[bool, bool], Outcome]] = {
    (True, True): Outcome(
        caption="Vous donnez et vous recevez : chacun y trouve son compte, "
        "l'échange se nourrit de lui-même.",
        verdict="La relation à cultiver",
        tone="vert",
    ),
    (True, False): Outcome(
        caption="Vous recevez sans rien donner en retour : l'autre finira par s'en lasser.",
        verdict="Cela ne durera pas",
        tone="ambre",
    ),
    (False, True): Outcome(
        caption="Vous donnez sans jamais recevoir : votre temps et votre énergie s'y perdent.",
        verdict="Votre temps s'épuise",
        tone="orange",
    ),
    (False, False): Outcome(
        caption="Personne ne donne, personne ne reçoit : l'échange tourne à vide.",
        verdict="Laissez-la de côté",
        tone="rouge",
    ),
}


def place(quadrant: QuadrantLike) -> str:
    """Its cell, in words: receiving to the right, giving up."""
    row = "en haut" if quadrant.give else "en bas"
    return f"{row} {'à droite' if quadrant.receive else 'à gauche'}"


@dataclass(frozen=True, slots=True, kw_only=True)
class QuadrantView:
    box: Box
    title: TextBlock
    caption: TextBlock
    pill: Box
    verdict: TextBlock


@dataclass(frozen=True, slots=True, kw_only=True)
class Axis:
    """An axis arrow (x1, y1) → (x2, y2), its head and its texts."""

    x1: int
    y1: int
    x2: int
    y2: int
    head: str  # the points of the head's triangle
    label: TextBlock
    ticks: tuple[TextBlock, ...]


@dataclass(frozen=True, slots=True, kw_only=True)
class Matrix:
    quadrants: tuple[QuadrantView, ...]
    receives: Axis  # across
    gives: Axis  # up
    stroke: str


@dataclass(frozen=True, slots=True, kw_only=True)
class _Style:
    grid_x: int  # left of the grid: room for the vertical axis
    pad: int
    title_size: int
    caption_size: int
    verdict_size: int
    tick_size: int
    axis_size: int
    pill_x: int  # padding of the verdict's pill
    pill_y: int
    tick_dx: int  # the vertical axis, leftwards: its ticks from the grid, its arrow from the
    axis_dx: int  # ticks, its title from the arrow
    label_dx: int


_STYLES: Final = {
    WIDE.suffix: _Style(
        grid_x=144,
        pad=24,
        title_size=24,
        caption_size=17,
        verdict_size=16,
        tick_size=16,
        axis_size=18,
        pill_x=16,
        pill_y=7,
        tick_dx=22,
        axis_dx=36,
        label_dx=26,
    ),
    NARROW.suffix: _Style(
        grid_x=56,
        pad=8,
        title_size=15,
        caption_size=14,
        verdict_size=14,
        tick_size=14,
        axis_size=15,
        pill_x=8,
        pill_y=5,
        tick_dx=12,
        axis_dx=16,
        label_dx=14,
    ),
}
PILL_EM: Final = 0.58  # measured width of a bold verdict (DejaVu Sans), for its pill


@dataclass(frozen=True, slots=True, kw_only=True)
class _Texts:
    title: TextBlock
    caption: TextBlock
    verdict: TextBlock

    def height(self, style: _Style) -> int:
        pill = self.verdict.height + 2 * style.pill_y
        return style.pad - 4 + self.title.height + 8 + self.caption.height + 14 + pill + style.pad


def _texts(quadrant: QuadrantLike, x: int, y: int, width: int, style: _Style) -> _Texts:
    outcome = OUTCOMES[quadrant.receive, quadrant.give]
    inner = width - 2 * style.pad
    title = text_block(
        typeset(quadrant.label),
        x=x + style.pad,
        top=y + style.pad - 4,
        width=inner,
        size=style.title_size,
        fill=outcome.tone,
        bold=True,
        shrink_to=style.tick_size,
    )
    caption = text_block(
        typeset(outcome.caption),
        x=x + style.pad,
        top=y + style.pad + title.height + 4,
        width=inner,
        size=style.caption_size,
        fill="texte",
        balanced=True,
    )
    verdict = text_block(
        typeset(outcome.verdict),
        x=x + style.pad + style.pill_x,
        top=0,  # placed once the cell's height is known
        width=inner - 2 * style.pill_x,
        size=style.verdict_size,
        fill="blanc",
        bold=True,
        balanced=True,
    )
    return _Texts(title=title, caption=caption, verdict=verdict)


def layout_matrix(win_win: MapLike, page: Format) -> tuple[Frame, Matrix]:
    """The 2 × 2 grid: receiving across (to the right), giving up, win-win at the top right."""
    style = _STYLES[page.suffix]
    quadrants = win_win.quadrants
    by_place = {(q.receive, q.give): q for q in quadrants}
    if len(by_place) != len(quadrants) or set(by_place) != set(OUTCOMES):
        raise ValueError("Il faut exactement une case par combinaison recevoir × donner.")
    listing = " ".join(
        f"{typeset(q.label)}, {place(q)}. {OUTCOMES[q.receive, q.give].caption} "
        f"{OUTCOMES[q.receive, q.give].verdict}."
        for q in quadrants
    )
    receive_label, give_label = win_win.receive.label, win_win.give.label
    base, top = frame(
        "gagnant-gagnant",
        page,
        title=typeset("Qu'est-ce qu'un jeu gagnant-gagnant ?"),
        subtitle=typeset(f"{receive_label}, croisé avec {give_label[0].lower()}{give_label[1:]}."),
        desc=typeset(
            f"Une grille de deux sur deux croise {receive_label.lower()} (axe horizontal, "
            f"vers la droite) et {give_label.lower()} (axe vertical, vers le haut). {listing}"
        ),
    )
    cell_w = (page.width - page.margin - style.grid_x - page.gap) // 2
    cell_h = max(_texts(q, 0, 0, cell_w, style).height(style) for q in quadrants)
    views: list[QuadrantView] = []
    for quadrant in quadrants:
        x = style.grid_x + (cell_w + page.gap if quadrant.receive else 0)
        y = top + (0 if quadrant.give else cell_h + page.gap)
        texts = _texts(quadrant, x, y, cell_w, style)
        tone = OUTCOMES[quadrant.receive, quadrant.give].tone
        pill_h = texts.verdict.height + 2 * style.pill_y
        pill_y = y + cell_h - style.pad - pill_h
        verdict = text_block(
            typeset(OUTCOMES[quadrant.receive, quadrant.give].verdict),
            x=x + style.pad + style.pill_x,
            top=pill_y + style.pill_y,
            width=cell_w - 2 * style.pad - 2 * style.pill_x,
            size=style.verdict_size,
            fill="blanc",
            bold=True,
            balanced=True,
        )
        pill_w = min(
            cell_w - 2 * style.pad,
            2 * style.pill_x + math.ceil(verdict.longest * style.verdict_size * PILL_EM),
        )
        pill = Box(
            x=x + style.pad,
            y=pill_y,
            width=pill_w,
            height=pill_h,
            fill=f"{tone}_plein",
            stroke=f"{tone}_plein",
            radius=min(pill_h // 2, 17),
        )
        box = Box(
            x=x, y=y, width=cell_w, height=cell_h, fill=f"{tone}_clair", stroke=f"{tone}_bord"
        )
        views.append(
            QuadrantView(
                box=box, title=texts.title, caption=texts.caption, pill=pill, verdict=verdict
            )
        )
    grid_bottom = top + 2 * cell_h + page.gap
    receives = _horizontal_axis(receive_label, grid_bottom, cell_w, page, style)
    gives = _vertical_axis(give_label, top, cell_h, page, style)
    bottom = receives.label.lines[-1].y + 10
    matrix = Matrix(quadrants=tuple(views), receives=receives, gives=gives, stroke="discret")
    return close(base, bottom, page), matrix


def _horizontal_axis(
    label_text: str, grid_bottom: int, cell_w: int, page: Format, style: _Style
) -> Axis:
    ticks = tuple(
        text_block(
            typeset(text),
            x=style.grid_x + column * (cell_w + page.gap) + cell_w // 2,
            top=grid_bottom + style.pad // 3,
            width=cell_w,
            size=style.tick_size,
            fill="discret",
            anchor="middle",
            balanced=True,
        )
        for column, text in enumerate(("Vous ne recevez rien", "Vous recevez"))
    )
    y = grid_bottom + style.pad // 3 + max(tick.height for tick in ticks) + style.tick_size // 2 + 2
    x2 = page.width - page.margin
    label = text_block(
        typeset(label_text),
        x=(style.grid_x + x2) // 2,
        top=y + 6,
        width=x2 - style.grid_x,
        size=style.axis_size,
        fill="encre",
        bold=True,
        anchor="middle",
    )
    head = f"{x2},{y} {x2 - 14},{y - 7} {x2 - 14},{y + 7}"
    return Axis(x1=style.grid_x, y1=y, x2=x2 - 12, y2=y, head=head, label=label, ticks=ticks)


def _vertical_axis(label_text: str, top: int, cell_h: int, page: Format, style: _Style) -> Axis:
    tick_x = style.grid_x - style.tick_dx
    ticks = tuple(
        text_block(
            typeset(text),
            x=tick_x,
            top=top + row * (cell_h + page.gap) + cell_h // 2 - line_height(style.tick_size) // 2,
            width=cell_h,
            size=style.tick_size,
            fill="discret",
            anchor="middle",
        )
        for row, text in enumerate(("Vous donnez", "Vous ne donnez rien"))
    )
    x = tick_x - style.axis_dx
    y_bottom = top + 2 * cell_h + page.gap
    label = text_block(
        typeset(label_text),
        x=x - style.label_dx,
        top=(top + y_bottom) // 2 - line_height(style.axis_size) // 2,
        width=2 * cell_h,
        size=style.axis_size,
        fill="encre",
        bold=True,
        anchor="middle",
    )
    head = f"{x},{top} {x - 7},{top + 14} {x + 7},{top + 14}"
    return Axis(
        x1=x,
        y1=y_bottom,
        x2=x,
        y2=top + 12,
        head=head,
        label=rotated(label),
        ticks=tuple(map(rotated, ticks)),
    )
