"""How a page shows an infographic: the Markdown image ``![…](assets/infographics/X.svg)``,
once mkdocs-glightbox has put it in its zoom link, becomes two links, light and dark, each
holding a ``<picture>`` whose ``<source>`` gives the narrow format to phones:

    <span class="crible-infographic">
      <a class="glightbox crible-infographic__clair" href="…/X.svg" data-gallery="…">
        <picture><source media="(max-width: 699px)" srcset="…/X-etroit.svg" …>
                 <img alt="…" src="…/X.svg" …></picture></a>
      <a class="glightbox crible-infographic__sombre" href="…/X-sombre.svg" …>…</a>
    </span>

crible.css shows the one of the page's scheme (Material's toggle sets
``data-md-color-scheme="slate"`` on the body; a ``prefers-color-scheme`` media query could not
follow it) and prints the light one. Each zoom link opens its own variant, alone in its gallery.
Site owners write a plain image; the alt text they write is kept for every variant.
"""

from __future__ import annotations

import html
import re
from typing import TYPE_CHECKING, Final

from figure_frame import NARROW

if TYPE_CHECKING:
    from collections.abc import Mapping

# The narrow format up to 699 CSS px: from 700 px the content column is 668 px wide or more,
# so the wide format's smallest type (16 units of 960) renders at 11.1 px or more.
NARROW_MEDIA: Final = "(max-width: 699px)"
DARK_SUFFIX: Final = "-sombre"

# An image, in its zoom link when the page has one (mkdocs-glightbox is off with the front
# matter `glightbox: false`).
_IMAGE = re.compile(
    r"(?:<a (?P<attrs>[^>]*)>\s*)?(?P<img><img (?P<img_attrs>[^>]*)>)(?(attrs)\s*</a>)",
    re.DOTALL,
)
_ATTRIBUTE = re.compile(r'(?P<name>[\w-]+)="(?P<value>[^"]*)"')
_FIGURE_SRC = re.compile(r"(?P<base>(?:[^\"]*/)?assets/infographics/)(?P<figure>[a-z0-9-]+)\.svg")


def svg_size(svg: str) -> tuple[int, int]:
    """The ``width`` and ``height`` of an SVG we rendered."""
    found = re.search(r'<svg [^>]*width="(\d+)" height="(\d+)"', svg)
    if found is None:
        msg = "an infographic without width and height"
        raise ValueError(msg)
    return int(found[1]), int(found[2])


def _attributes(text: str) -> dict[str, str]:
    return {m["name"]: html.unescape(m["value"]) for m in _ATTRIBUTE.finditer(text)}


def _render(name: str, attributes: Mapping[str, str]) -> str:
    pairs = "".join(f' {key}="{html.escape(value)}"' for key, value in attributes.items())
    return f"<{name}{pairs}>"


def embed_infographics(page_html: str, sizes: Mapping[str, tuple[int, int]]) -> str:
    """Every image of an infographic (a file with a narrow variant in ``sizes``, which gives
    every variant's size) turned into its light and dark ``<picture>``s, each in its own zoom
    link when the image had one."""

    def variants(match: re.Match[str]) -> str:
        img = _attributes(match["img_attrs"])
        source = _FIGURE_SRC.fullmatch(img.get("src", ""))
        if source is None or f"{source['figure']}{NARROW.suffix}.svg" not in sizes:
            return match[0]
        base, figure = source["base"], source["figure"]
        link = _attributes(match["attrs"]) if match["attrs"] is not None else None
        parts = ['<span class="crible-infographic">']
        for scheme, suffix in (("clair", ""), ("sombre", DARK_SUFFIX)):
            wide = f"{figure}{suffix}.svg"
            narrow = f"{figure}{NARROW.suffix}{suffix}.svg"
            variant = f"crible-infographic__{scheme}"
            if link is not None:
                classes = f"{link.get('class', 'glightbox')} {variant}"
                anchor = link | {"class": classes, "href": base + wide}
                anchor["data-gallery"] = f"crible-{figure}-{scheme}"
                parts.append(_render("a", anchor))
            width, height = sizes[wide]
            narrow_w, narrow_h = sizes[narrow]
            parts += [
                "<picture>" if link is not None else f'<picture class="{variant}">',
                _render(
                    "source",
                    {
                        "media": NARROW_MEDIA,
                        "srcset": base + narrow,
                        "width": str(narrow_w),
                        "height": str(narrow_h),
                    },
                ),
                _render(
                    "img",
                    img | {"src": base + wide, "width": str(width), "height": str(height)},
                ),
                "</picture></a>" if link is not None else "</picture>",
            ]
        parts.append("</span>")
        return "".join(parts)

    return _IMAGE.sub(variants, page_html)
