"""What the three infographics share: their two formats (wide and narrow), the painted
shapes, and the frame (opaque background, accessible title and description, heading).

Two formats, drawn from the same data: a page shows the wide one in its content column (688
CSS px at 1366 px) and the narrow one on a phone (328 CSS px at 360 px), through
``<picture><source media>`` (figure_embed). Each keeps its smallest text at 11 CSS px or more
there: smallest font size × rendered width / viewBox width (tests/test_browser_infographics.py).
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from typing import Final

from figure_text import TextBlock, line_height, text_block


@dataclass(frozen=True, slots=True, kw_only=True)
class Format:
    """A page size of the figures: its width in viewBox units and its smallest type."""

    suffix: str  # in the file name: "" (wide) or "-etroit"
    width: int
    margin: int
    gap: int
    heading: int  # font sizes
    subheading: int
    smallest: int  # no text of this format is smaller: see the module's docstring


# 16 × 686 / 960 = 11.4 CSS px at the narrowest wide column (960 px, 1220 px and up).
WIDE: Final = Format(
    suffix="", width=960, margin=32, gap=16, heading=32, subheading=18, smallest=16
)
# 14 × 328 / 360 = 12.8 CSS px on a 360 px phone, 11.2 on a 320 px one.
NARROW: Final = Format(
    suffix="-etroit", width=360, margin=10, gap=8, heading=23, subheading=15, smallest=14
)
FORMATS: Final = (WIDE, NARROW)


@dataclass(frozen=True, slots=True, kw_only=True)
class Box:
    """A rounded rectangle; ``fill`` and ``stroke`` name colours of the palette."""

    x: int
    y: int
    width: int
    height: int
    fill: str
    stroke: str
    radius: int = 12


@dataclass(frozen=True, slots=True, kw_only=True)
class Badge:
    """A coloured disc with a short centred text (a number, a sign)."""

    cx: int
    cy: int
    r: int
    fill: str
    label: TextBlock


@dataclass(frozen=True, slots=True, kw_only=True)
class Frame:
    """The common frame: opaque background, accessible title and description, heading."""

    slug: str
    width: int
    height: int
    title: str
    desc: str
    heading: TextBlock
    subheading: TextBlock
    background: Box


def badge(text: str, *, cx: int, cy: int, r: int, fill: str, size: int) -> Badge:  # noqa: PLR0913
    label = text_block(
        text,
        x=cx,
        top=cy - line_height(size) // 2,
        width=4 * r,
        size=size,
        fill="blanc",
        bold=True,
        anchor="middle",
    )
    return Badge(cx=cx, cy=cy, r=r, fill=fill, label=label)


HEADER_TOP: Final = 36


def frame(slug: str, page: Format, *, title: str, subtitle: str, desc: str) -> tuple[Frame, int]:
    """The frame without its final height, and the ordinate where the content starts."""
    top = HEADER_TOP * page.heading // WIDE.heading
    heading = text_block(
        title,
        x=page.width // 2,
        top=top,
        width=page.width - 2 * page.margin,
        size=page.heading,
        fill="encre",
        bold=True,
        anchor="middle",
        balanced=True,
    )
    subheading = text_block(
        subtitle,
        x=page.width // 2,
        top=top + heading.height + 6,
        width=page.width - 4 * page.margin,
        size=page.subheading,
        fill="discret",
        anchor="middle",
        balanced=True,
    )
    content_top = top + heading.height + 6 + subheading.height + 28 * page.heading // WIDE.heading
    background = Box(x=0, y=0, width=page.width, height=0, fill="fond", stroke="bord", radius=24)
    return (
        Frame(
            slug=slug,
            width=page.width,
            height=0,
            title=title,
            desc=desc,
            heading=heading,
            subheading=subheading,
            background=background,
        ),
        content_top,
    )


def close(frame_: Frame, bottom: int, page: Format) -> Frame:
    """Set the frame's height from the bottom of its content."""
    height = bottom + page.margin
    background = replace(frame_.background, x=1, y=1, width=frame_.width - 2, height=height - 2)
    return replace(frame_, height=height, background=background)
