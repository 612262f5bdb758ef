"""Text fitting for the infographics: how many characters a line holds, where it wraps, and
the ``<text>`` blocks (one ``<tspan>`` a line) that the templates draw.

An SVG has no text flow: every line is placed here. Texts come from the definitions
(``rules.toml``, ``contact.toml``, ``carte.toml``) and are wrapped, never cut.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, replace
from typing import Final

# Average width of a character, as a fraction of the font size. Measured on DejaVu Sans, the
# widest font the system stack can give: with any other, the text fits with room to spare.
CHAR_EM: Final = 0.53
CHAR_EM_BOLD: Final = 0.6


def max_chars(width: int, size: int, *, bold: bool = False) -> int:
    """How many characters fit in ``width`` units at font size ``size``."""
    return max(1, math.floor(width / (size * (CHAR_EM_BOLD if bold else CHAR_EM))))


def wrap(text: str, limit: int) -> list[str]:
    """Break ``text`` at ordinary spaces (no-break spaces hold) into lines of at most
    ``limit`` characters; a word longer than ``limit`` takes a line of its own."""
    lines: list[str] = []
    current = ""
    for word in text.split(" "):
        if not word:
            continue
        candidate = f"{current} {word}" if current else word
        if current and len(candidate) > limit:
            lines.append(current)
            current = word
        else:
            current = candidate
    if current:
        lines.append(current)
    return lines or [""]


def wrap_balanced(text: str, limit: int) -> list[str]:
    """As :func:`wrap`, with as many lines but of even lengths (no lone last word)."""
    lines = wrap(text, limit)
    best = lines
    width = limit - 1
    while width > 0:
        candidate = wrap(text, width)
        if len(candidate) != len(lines):
            break
        best = candidate
        width -= 1
    return best


def line_height(size: int) -> int:
    return round(size * 1.3)


@dataclass(frozen=True, slots=True, kw_only=True)
class Line:
    x: int
    y: int
    text: str


@dataclass(frozen=True, slots=True, kw_only=True)
class TextBlock:
    """One ``<text>`` of one or more lines (a ``<tspan>`` each); ``fill`` names a colour of
    the palette (figure_palette), resolved when the scheme is drawn."""

    lines: tuple[Line, ...]
    size: int
    fill: str
    weight: int = 400
    anchor: str = "start"
    transform: str = ""

    @property
    def height(self) -> int:
        return len(self.lines) * line_height(self.size)

    @property
    def longest(self) -> int:
        return max(len(line.text) for line in self.lines)


def text_block(  # noqa: PLR0913  # a layout call reads best with every dimension named
    text: str,
    *,
    x: int,
    top: int,
    width: int,
    size: int,
    fill: str,
    bold: bool = False,
    anchor: str = "start",
    balanced: bool = False,
    shrink_to: int | None = None,
) -> TextBlock:
    """Wrap ``text`` to ``width`` and place each line; ``top`` is the top of the block. With
    ``shrink_to``, a word too long for the width lowers the size, down to ``shrink_to`` at
    most (a word is never cut)."""
    longest = max((len(word) for word in text.split(" ")), default=0)
    while (
        shrink_to is not None and size > shrink_to and longest > max_chars(width, size, bold=bold)
    ):
        size -= 1
    limit = max_chars(width, size, bold=bold)
    lines = wrap_balanced(text, limit) if balanced else wrap(text, limit)
    step = line_height(size)
    first = top + round(step / 2 + size * 0.36)
    return TextBlock(
        lines=tuple(Line(x=x, y=first + i * step, text=line) for i, line in enumerate(lines)),
        size=size,
        fill=fill,
        weight=700 if bold else 400,
        anchor=anchor,
    )


def rotated(block: TextBlock) -> TextBlock:
    """The same text, turned a quarter anticlockwise around the middle of its block (drawn
    on one line or several, centred)."""
    first = block.lines[0]
    center_y = first.y - round(block.size * 0.36) + (block.height - line_height(block.size)) // 2
    return replace(block, transform=f"rotate(-90 {first.x} {center_y})")
