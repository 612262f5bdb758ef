"""The third infographic, « Quelle est la valeur du réseau ? »: the crible's criteria
(``contact.toml``) by dimension, those that count for the contact apart from those that count
against. Wide: a row per dimension, « + » on the left and « − » on the right. Narrow: a band
per dimension, its criteria one under another. Both grow with the data."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Final, Protocol

from figure_frame import NARROW, WIDE, Badge, Box, Format, Frame, badge, close, frame
from figure_text import TextBlock, line_height, max_chars, text_block, wrap

from scoring import typeset

if TYPE_CHECKING:
    from collections.abc import Sequence

MINUS: Final = "\N{MINUS SIGN}"
NBSP: Final = "\N{NO-BREAK SPACE}"


class ItemLike(Protocol):
    """A criterion of the crible: ``sign`` is ``"+"`` or ``"-"``."""

    @property
    def id(self) -> str: ...
    @property
    def sign(self) -> str: ...
    @property
    def label(self) -> str: ...
    @property
    def dimension(self) -> str: ...


class DimensionLike(Protocol):
    """A dimension of the crible (disponibilité, attitude…)."""

    @property
    def id(self) -> str: ...
    @property
    def label(self) -> str: ...


class QuestionnaireLike(Protocol):
    """The crible: its criteria and its dimensions."""

    @property
    def title(self) -> str: ...
    @property
    def items(self) -> Sequence[ItemLike]: ...
    @property
    def dimensions(self) -> Sequence[DimensionLike]: ...


@dataclass(frozen=True, slots=True, kw_only=True)
class Criterion:
    box: Box
    sign: Badge
    label: TextBlock


@dataclass(frozen=True, slots=True, kw_only=True)
class DimensionRow:
    label: TextBlock
    band: Box
    criteria: tuple[Criterion, ...]


@dataclass(frozen=True, slots=True, kw_only=True)
class ColumnHead:
    box: Box
    label: TextBlock


@dataclass(frozen=True, slots=True, kw_only=True)
class Sieve:
    heads: tuple[ColumnHead, ...]
    dimension_head: TextBlock | None  # over the dimensions' column, when there is one
    rows: tuple[DimensionRow, ...]
    legend: TextBlock
    positives: int
    negatives: int


@dataclass(frozen=True, slots=True, kw_only=True)
class _Style:
    dimension_w: int  # the dimensions' column (wide); 0: each dimension heads its band
    sign_r: int
    sign_size: int
    item_pad: int
    item_size: int
    item_gap: int
    dimension_size: int
    head_size: int
    band_pad: int
    legend_size: int


_STYLES: Final = {
    WIDE.suffix: _Style(
        dimension_w=184,
        sign_r=14,
        sign_size=20,
        item_pad=10,
        item_size=17,
        item_gap=8,
        dimension_size=17,
        head_size=18,
        band_pad=12,
        legend_size=16,
    ),
    NARROW.suffix: _Style(
        dimension_w=0,
        sign_r=12,
        sign_size=17,
        item_pad=7,
        item_size=15,
        item_gap=6,
        dimension_size=16,
        head_size=15,
        band_pad=8,
        legend_size=14,
    ),
}


def is_positive(item: ItemLike) -> bool:
    """``True`` for a « + » criterion, ``False`` for « − »; any other sign is an error."""
    if item.sign == "+":
        return True
    if item.sign in {"-", MINUS}:
        return False
    raise ValueError(f"Critère {item.id!r} : signe {item.sign!r} inconnu, attendu '+' ou '-'.")


def group_by_dimension(
    crible: QuestionnaireLike,
) -> list[tuple[DimensionLike, list[ItemLike], list[ItemLike]]]:
    """The criteria by dimension (in the data's order), split into « + » and « − ». A
    dimension without criteria is left out; a criterion of an unknown dimension is an error."""
    known = {dimension.id for dimension in crible.dimensions}
    for item in crible.items:
        if item.dimension not in known:
            raise ValueError(f"Critère {item.id!r} : dimension {item.dimension!r} inconnue.")
    groups = []
    for dimension in crible.dimensions:
        items = [item for item in crible.items if item.dimension == dimension.id]
        if items:
            positives = [item for item in items if is_positive(item)]
            negatives = [item for item in items if not is_positive(item)]
            groups.append((dimension, positives, negatives))
    return groups


def _criterion(item: ItemLike, x: int, y: int, width: int, style: _Style) -> Criterion:
    positive = is_positive(item)
    text_x = x + style.item_pad + 2 * style.sign_r + style.item_pad
    text = typeset(item.label)
    text_w = x + width - style.item_pad - text_x
    step = line_height(style.item_size)
    lines = len(wrap(text, max_chars(text_w, style.item_size)))
    height = max(2 * style.sign_r, lines * step) + 2 * style.item_pad
    label = text_block(
        text,
        x=text_x,
        top=y + (height - lines * step) // 2,
        width=text_w,
        size=style.item_size,
        fill="texte",
    )
    tone = "vert" if positive else "rouge"
    sign = badge(
        "+" if positive else MINUS,
        cx=x + style.item_pad + style.sign_r,
        cy=y + height // 2,
        r=style.sign_r,
        fill=f"{tone}_plein",
        size=style.sign_size,
    )
    box = Box(
        x=x, y=y, width=width, height=height, fill=f"{tone}_clair", stroke=f"{tone}_bord", radius=10
    )
    return Criterion(box=box, sign=sign, label=label)


def _stack(
    items: Sequence[ItemLike], x: int, top: int, width: int, style: _Style
) -> tuple[list[Criterion], int]:
    criteria: list[Criterion] = []
    y = top
    for item in items:
        criterion = _criterion(item, x, y, width, style)
        criteria.append(criterion)
        y += criterion.box.height + style.item_gap
    return criteria, (y - style.item_gap - top if items else 0)


def _column_head(  # noqa: PLR0913  # a layout call reads best with every dimension named
    text: str, x: int, top: int, width: int, tone: str, style: _Style
) -> ColumnHead:
    label = text_block(
        typeset(text),
        x=x + width // 2,
        top=top + 6,
        width=width - 24,
        size=style.head_size,
        fill="blanc",
        bold=True,
        anchor="middle",
    )
    fill = f"{tone}_plein"
    box = Box(x=x, y=top, width=width, height=label.height + 12, fill=fill, stroke=fill, radius=10)
    return ColumnHead(box=box, label=label)


def layout_sieve(crible: QuestionnaireLike, page: Format) -> tuple[Frame, Sieve]:
    """The criteria by dimension; the height follows their number."""
    style = _STYLES[page.suffix]
    groups = group_by_dimension(crible)
    plus = [item for item in crible.items if is_positive(item)]
    minus = [item for item in crible.items if not is_positive(item)]
    total = len(crible.items)

    def labels(items: Sequence[ItemLike]) -> str:
        return " ; ".join(typeset(item.label) for item in items)

    base, top = frame(
        "valeur-du-reseau",
        page,
        title=typeset("Quelle est la valeur du réseau ?"),
        subtitle=typeset(
            f"Le crible « {crible.title} » : {total}{NBSP}critères, "
            f"{len(plus)}{NBSP}comptent pour, {len(minus)}{NBSP}comptent contre"
        ),
        desc=typeset(
            f"Les {total} critères du crible, regroupés par dimension. "
            f"Ce qui compte pour le contact (+) : {labels(plus)}. "
            f"Ce qui compte contre (−) : {labels(minus)}."
        ),
    )
    plus_head = f"+ Ce qui compte pour ({len(plus)})"
    minus_head = f"{MINUS} Ce qui compte contre ({len(minus)})"
    if style.dimension_w:
        rows, heads, dimension_head, y = _rows_side_by_side(
            groups, top, page, style, plus_head, minus_head
        )
    else:
        rows, heads, y = _bands(groups, top, page, style, plus_head, minus_head)
        dimension_head = None
    legend = text_block(
        typeset(
            "Répondez « oui » quand un critère s'applique : un + compte pour le contact, "
            "un − compte contre. « Je ne sais pas » ne compte ni pour ni contre."
        ),
        x=page.width // 2,
        top=y + 4,
        width=page.width - 4 * page.margin,
        size=style.legend_size,
        fill="discret",
        anchor="middle",
        balanced=True,
    )
    sieve = Sieve(
        heads=heads,
        dimension_head=dimension_head,
        rows=tuple(rows),
        legend=legend,
        positives=len(plus),
        negatives=len(minus),
    )
    return close(base, y + 4 + legend.height, page), sieve


_Groups = list[tuple[DimensionLike, list[ItemLike], list[ItemLike]]]


def _rows_side_by_side(  # noqa: PLR0913  # the two heads' texts are computed by the caller
    groups: _Groups, top: int, page: Format, style: _Style, plus_head: str, minus_head: str
) -> tuple[list[DimensionRow], tuple[ColumnHead, ...], TextBlock, int]:
    """Wide: a row per dimension, its name on the left, then the « + » and « − » columns."""
    x_plus = page.margin + style.dimension_w + page.gap
    col_w = (page.width - page.margin - x_plus - page.gap) // 2
    x_minus = x_plus + col_w + page.gap
    heads = (
        _column_head(plus_head, x_plus, top, col_w, "vert", style),
        _column_head(minus_head, x_minus, top, col_w, "rouge", style),
    )
    dimension_head = text_block(
        "Dimension",
        x=page.margin + 12,
        top=top + 8,
        width=style.dimension_w,
        size=page.smallest,
        fill="discret",
        bold=True,
    )
    y = top + heads[0].box.height + 12
    rows: list[DimensionRow] = []
    for dimension, positives, negatives in groups:
        inner = y + style.band_pad
        left, left_h = _stack(positives, x_plus, inner, col_w, style)
        right, right_h = _stack(negatives, x_minus, inner, col_w, style)
        first = min((stack[0].box.height for stack in (left, right) if stack), default=48)
        label = text_block(
            typeset(dimension.label),
            x=page.margin + 12,
            top=inner + (first - line_height(style.dimension_size)) // 2,
            width=style.dimension_w - 24,
            size=style.dimension_size,
            fill="encre",
            bold=True,
        )
        height = max(left_h, right_h, label.height + 12) + 2 * style.band_pad
        band = Box(
            x=page.margin,
            y=y,
            width=page.width - 2 * page.margin,
            height=height,
            fill="carte",
            stroke="trait",
        )
        rows.append(DimensionRow(label=label, band=band, criteria=tuple(left + right)))
        y += height + 10
    return rows, heads, dimension_head, y


def _bands(  # noqa: PLR0913  # as _rows_side_by_side
    groups: _Groups, top: int, page: Format, style: _Style, plus_head: str, minus_head: str
) -> tuple[list[DimensionRow], tuple[ColumnHead, ...], int]:
    """Narrow: the two heads one under the other, then a band per dimension, its name on
    top and its criteria under it, « + » first."""
    width = page.width - 2 * page.margin
    plus = _column_head(plus_head, page.margin, top, width, "vert", style)
    minus = _column_head(minus_head, page.margin, top + plus.box.height + 6, width, "rouge", style)
    y = top + plus.box.height + 6 + minus.box.height + 12
    rows: list[DimensionRow] = []
    for dimension, positives, negatives in groups:
        label = text_block(
            typeset(dimension.label),
            x=page.margin + style.band_pad + 2,
            top=y + style.band_pad - 2,
            width=width - 2 * style.band_pad,
            size=style.dimension_size,
            fill="encre",
            bold=True,
        )
        inner = y + style.band_pad + label.height + 2
        criteria, stack_h = _stack(
            [*positives, *negatives],
            page.margin + style.band_pad,
            inner,
            width - 2 * style.band_pad,
            style,
        )
        height = inner - y + stack_h + style.band_pad
        band = Box(x=page.margin, y=y, width=width, height=height, fill="carte", stroke="trait")
        rows.append(DimensionRow(label=label, band=band, criteria=tuple(criteria)))
        y += height + 8
    return rows, (plus, minus), y
