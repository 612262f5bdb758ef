"""French typography for the guide's prose, applied once at build time (see FRENCH.md).

Authors type ordinary spaces and apostrophes; this Markdown extension turns them into the
Imprimerie nationale conventions in text nodes only: never inside code, scripts, URLs or HTML
attributes (attributes are not text nodes, and raw HTML blocks never reach the tree).
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

from markdown.extensions import Extension
from markdown.treeprocessors import Treeprocessor

if TYPE_CHECKING:
    from xml.etree.ElementTree import Element

    from markdown import Markdown

__all__ = ["TypographyExtension", "typeset"]

NBSP = "\u00a0"  # before ':'
NNBSP = "\u202f"  # before ';', '!', '?' and inside « »

_RULES: tuple[tuple[re.Pattern[str], str], ...] = (
    (re.compile(r"(?<=\w)'(?=\w)"), "’"),
    (re.compile(r"[ \u00a0]*([;!?])(?=[\s;!?]|$)"), NNBSP + r"\1"),
    (re.compile(r"(?<=\S)[ \u00a0\u202f]*:(?=\s|$)"), NBSP + ":"),
    (re.compile(r"«[ \u00a0\u202f]*"), "«" + NNBSP),
    (re.compile(r"[ \u00a0\u202f]*»"), NNBSP + "»"),
)
# "?!" and "!!" stay together; only the first mark of a run gets the space.
_DOUBLED = re.compile(NNBSP + r"([;!?])" + NNBSP + r"(?=[;!?])")
# Elements whose text is code or machine-readable: left as written.
_VERBATIM = frozenset({"code", "pre", "kbd", "samp", "script", "style", "math"})


def typeset(text: str) -> str:
    """Apply the French spacing and apostrophe rules to one run of prose."""
    for pattern, replacement in _RULES:
        text = pattern.sub(replacement, text)
    while True:
        joined = _DOUBLED.sub(NNBSP + r"\1", text)
        if joined == text:
            return text
        text = joined


class _TypographyProcessor(Treeprocessor):
    def run(self, root: Element) -> None:
        self._walk(root)

    def _walk(self, element: Element) -> None:
        if element.tag in _VERBATIM:
            return
        if element.text:
            element.text = typeset(element.text)
        for child in element:
            self._walk(child)
            if child.tail:
                child.tail = typeset(child.tail)


class TypographyExtension(Extension):
    """Registers the processor after inline parsing (20) and attr_list (8), before toc (5)."""

    def extendMarkdown(self, md: Markdown) -> None:  # noqa: N802 (Markdown's API name)
        md.treeprocessors.register(_TypographyProcessor(md), "french_typography", 7)
