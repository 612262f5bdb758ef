"""French typography for the guide's prose, applied once at build time (see FRENCH.md).

Authors type ordinary spaces and apostrophes; this Markdown extension turns them into the
Imprimerie nationale conventions in text nodes only: never inside code, scripts, URLs or HTML
attributes (attributes are not text nodes, and raw HTML blocks never reach the tree).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from markdown.extensions import Extension
from markdown.treeprocessors import Treeprocessor

from scoring import typeset

if TYPE_CHECKING:
    from xml.etree.ElementTree import Element

    from markdown import Markdown

__all__ = ["TypographyExtension", "typeset"]

# Elements whose text is code or machine-readable: left as written.
_VERBATIM = frozenset({"code", "pre", "kbd", "samp", "script", "style", "math"})


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
