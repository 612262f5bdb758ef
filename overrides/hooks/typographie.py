"""French typography of everything the build writes for a visitor, applied once (FRENCH.md,
at the repository's root).

Authors type ordinary spaces and apostrophes, in the Markdown, the front matter, mkdocs.yml
(nav labels, copyright) and the templates; the rules of `scoring.typeset` (the same ones the
definitions and the infographics go through) turn them into the Imprimerie nationale
conventions. Two passes, one rule set:
- `TypographyExtension`, in the Markdown tree: the page body, so that the table of contents
  and the search index (built from the body) get the typeset text too;
- `typeset_page`, over each page's final HTML (on_post_page, on_post_template): `<title>`, the
  header and nav labels, the footer's copyright, the templates' own sentences, text that
  follows an inline element (`<a>…</a> :`, which the Markdown pass sees as a lone " :"), the
  `alt`, `title`, `aria-label` (Material's "Suivant: …" links) and `placeholder` attributes
  and the `content` of description and title `<meta>`s.
Never inside code, pre, kbd, samp, script, style or textarea, nor in any other attribute
(URLs, data for the scripts, ids).
"""

from __future__ import annotations

import html
import re
from html.parser import HTMLParser
from typing import TYPE_CHECKING

from markdown.extensions import Extension
from markdown.treeprocessors import Treeprocessor

from scoring import typeset

if TYPE_CHECKING:
    from xml.etree.ElementTree import Element

    from markdown import Markdown

__all__ = ["TypographyExtension", "typeset", "typeset_page"]

# Elements whose text is code or machine-readable: left as written.
_VERBATIM = frozenset({"code", "pre", "kbd", "samp", "script", "style", "math", "textarea"})
# A text run does not continue across these: what precedes them is no context for what follows.
_BLOCKS = frozenset(
    {
        "address", "article", "aside", "blockquote", "body", "br", "caption", "dd", "details",
        "div", "dl", "dt", "fieldset", "figcaption", "figure", "footer", "form", "h1", "h2",
        "h3", "h4", "h5", "h6", "head", "header", "hr", "label", "legend", "li", "main", "nav",
        "ol", "option", "p", "section", "summary", "table", "td", "template", "th", "title",
        "tr", "ul",
    }
)  # fmt: skip
_VOID = frozenset(
    {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "wbr"}
)
# Attributes that a visitor reads (or hears): every other attribute is left alone.
_READ_ATTRIBUTES = frozenset({"alt", "title", "aria-label", "placeholder"})
# <meta name|property=… content=…> whose content is shown by search engines and social cards.
_READ_METAS = frozenset(
    {"description", "og:description", "og:title", "twitter:description", "twitter:title"}
)
_ATTRIBUTE = re.compile(
    r"""(?P<name>[^\s"'>/=]+)(?P<eq>\s*=\s*)(?:"(?P<dq>[^"]*)"|'(?P<sq>[^']*)')"""
)


def _context(char: str) -> str:
    """A stand-in for the character next to a text node: the rules only ask whether it is a
    space, a letter or something else, and the stand-in is never changed by them."""
    if not char or char.isspace():
        return " " if char else ""
    return "x" if char.isalnum() or char == "_" else "."


def typeset_between(before: str, text: str, after: str) -> str:
    """Typeset `text` as it reads between the characters `before` and `after` (either may be
    ""): " : une grille" after "</a>" gets its no-break space, "l'" before "<em>ami" its ’."""
    left, right = _context(before), _context(after)
    done = typeset(left + text + right)
    return done[len(left) : len(done) - len(right)]


class _Page(HTMLParser):
    """Finds, with their offsets in the page, the text runs and the start tags to typeset."""

    def __init__(self, source: str) -> None:
        super().__init__(convert_charrefs=True)
        # Where each line starts: getpos() counts lines by "\n" only, as done here.
        self._lines = [0] + [m.end() for m in re.finditer("\n", source)]
        self._length = len(source)
        self._open: list[str] = []
        # The offset where each event (tag, text, comment…) starts: a text's source ends
        # where the next event starts (its length differs from the text's: entities).
        self.starts: list[int] = []
        # (event index, text) of each visible run; None for a boundary between runs.
        self.runs: list[tuple[int, str] | None] = []
        # (offset, source, tag, attributes) of each start tag.
        self.tags: list[tuple[int, str, str, dict[str, str | None]]] = []

    def _event(self) -> int:
        line, column = self.getpos()
        self.starts.append(self._lines[line - 1] + column)
        return len(self.starts) - 1

    def _start(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        offset = self.starts[self._event()]
        self.tags.append((offset, self.get_starttag_text() or "", tag, dict(attrs)))
        if tag in _BLOCKS or tag in _VERBATIM or tag in _VOID:
            self.runs.append(None)

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self._start(tag, attrs)
        if tag not in _VOID:
            self._open.append(tag)

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self._start(tag, attrs)

    def handle_endtag(self, tag: str) -> None:
        self._event()
        if tag in _BLOCKS or tag in _VERBATIM:
            self.runs.append(None)
        if tag in self._open:
            while self._open.pop() != tag:
                pass

    def handle_comment(self, data: str) -> None:  # noqa: ARG002 (HTMLParser's signature)
        self._event()

    def handle_decl(self, decl: str) -> None:  # noqa: ARG002
        self._event()

    def handle_pi(self, data: str) -> None:  # noqa: ARG002
        self._event()

    def unknown_decl(self, data: str) -> None:  # noqa: ARG002
        self._event()

    def handle_data(self, data: str) -> None:
        event = self._event()
        if not any(tag in _VERBATIM for tag in self._open):
            self.runs.append((event, data))

    def close(self) -> None:
        super().close()
        self.starts.append(self._length)  # the end of the page


def _typeset_tag(raw: str, tag: str, attrs: dict[str, str | None]) -> str:
    meta = tag == "meta" and (attrs.get("name") or attrs.get("property")) in _READ_METAS
    names = _READ_ATTRIBUTES | ({"content"} if meta else set())

    def one(match: re.Match[str]) -> str:
        if match["name"].lower() not in names:
            return match[0]
        value = html.unescape(match["dq"] if match["dq"] is not None else match["sq"])
        done = typeset(value)
        if done == value:
            return match[0]
        return f'{match["name"]}{match["eq"]}"{html.escape(done, quote=True)}"'

    return _ATTRIBUTE.sub(one, raw)


def typeset_page(source: str) -> str:
    """The page with its visible text and its read attributes typeset; the rest byte for byte.

    Text runs are found with their offsets and rewritten in place, so the markup, the inline
    scripts (whose hashes the CSP carries) and every other attribute are left as they were.
    """
    parser = _Page(source)
    parser.feed(source)
    parser.close()
    edits: list[tuple[int, int, str]] = []
    for start, raw, tag, attrs in parser.tags:
        done = _typeset_tag(raw, tag, attrs)
        if done != raw:
            edits.append((start, start + len(raw), done))
    runs = parser.runs
    for index, run in enumerate(runs):
        if run is None:
            continue
        event, text = run
        before = runs[index - 1] if index > 0 else None
        after = runs[index + 1] if index + 1 < len(runs) else None
        done = typeset_between(
            before[1][-1:] if before else "", text, after[1][:1] if after else ""
        )
        start, end = parser.starts[event], parser.starts[event + 1]
        if done != text and html.unescape(source[start:end]) == text:
            edits.append((start, end, html.escape(done, quote=False)))
    for start, end, replacement in sorted(edits, reverse=True):
        source = source[:start] + replacement + source[end:]
    return source


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
