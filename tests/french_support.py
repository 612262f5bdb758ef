"""What a French editor checks in a text a visitor reads (FRENCH.md, at the repository's root):
the spacing of ; : ! ? « », straight apostrophes, and runs of words copied from the source
article. Shared by the build tests (the HTML and SVG files) and the browser tests (the text of
the page's interactive states), so that both apply one rule.
"""

from __future__ import annotations

import html
import re
import unicodedata
from dataclasses import dataclass, field
from html.parser import HTMLParser
from typing import TYPE_CHECKING

from site_support import ROOT

if TYPE_CHECKING:
    from pathlib import Path

RUN = 8  # words in a row shared with the article: a copied sentence, not a shared phrase

# The article sits beside the clone, in CI as here: ../shared/seed/ from the repository's root
# (a worktree of the repository is one level deeper than the clone).
SEED_NAME = "strategie-reseaux-sociaux.txt"
SEED_CANDIDATES = (
    ROOT.parent / "shared" / "seed" / SEED_NAME,
    ROOT.parent.parent / "shared" / "seed" / SEED_NAME,
)

# Text that is code or machine-readable: never typeset, never checked.
VERBATIM = frozenset({"code", "pre", "kbd", "samp", "var", "script", "style", "textarea"})
HEADINGS = frozenset({"h1", "h2", "h3", "h4", "h5", "h6"})
# A sentence does not run across these (nor does a copied one).
BLOCKS = frozenset(
    {
        "address", "article", "aside", "blockquote", "body", "br", "caption", "dd", "details",
        "div", "dl", "dt", "fieldset", "figcaption", "figure", "footer", "form", "h1", "h2",
        "h3", "h4", "h5", "h6", "head", "header", "hr", "label", "legend", "li", "main", "nav",
        "ol", "option", "p", "section", "summary", "table", "td", "template", "th", "title",
        "tr", "ul", "button", "select",
    }
)  # fmt: skip
VOID = frozenset(
    {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "wbr"}
)
READ_ATTRIBUTES = ("alt", "title", "placeholder", "aria-label")
READ_METAS = frozenset(
    {
        "description", "og:description", "og:title", "twitter:description", "twitter:title",
    }
)  # fmt: skip

# (pattern, what is wrong): the conventions of FRENCH.md, as a reader sees their breach.
FAULTS = (
    (re.compile(r"[^\s\u00a0\u202f][;:!?»](?=\s|$)"), "pas d’espace avant le signe"),
    (re.compile(r" [;:!?»]"), "espace ordinaire avant le signe"),
    (re.compile(r"« "), "espace ordinaire après «"),
    (re.compile(r"«[^\s\u00a0\u202f]"), "pas d’espace après «"),
    (re.compile(r"[^\W\d_]'[^\W\d_]"), "apostrophe droite"),
)
# Not prose: addresses, file paths, times and ratios ("12:30", "https://…", "C:\").
NOT_PROSE = re.compile(r"https?://\S+|\b[\w.-]+\.\w+:\d+|\d+:\d+|[A-Za-z]:\\\S*")


def typography_faults(where: str, text: str) -> list[str]:
    """Each fault as "where: what is wrong: …context…", in reading order."""
    text = NOT_PROSE.sub(" ", text)
    found: list[tuple[int, str]] = []
    for pattern, why in FAULTS:
        for match in pattern.finditer(text):
            context = text[max(0, match.start() - 30) : match.end() + 20].replace("\n", " ")
            found.append((match.start(), f"{where}: {why}: …{context}…"))
    return [fault for _, fault in sorted(found)]


@dataclass
class Reading:
    """What a visitor reads in one HTML document: prose blocks (with whether each is a heading)
    and the attributes read aloud or shown (alt, title, meta descriptions…)."""

    blocks: list[tuple[str, bool]] = field(default_factory=list)
    attributes: list[str] = field(default_factory=list)


class _Reader(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.reading = Reading()
        self._open: list[str] = []
        self._buffer: list[str] = []

    def _flush(self) -> None:
        text = "".join(self._buffer)
        self._buffer = []
        if text.strip():
            heading = any(tag in HEADINGS for tag in self._open)
            self.reading.blocks.append((text, heading))

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = dict(attrs)
        self.reading.attributes += [v for name in READ_ATTRIBUTES if (v := values.get(name))]
        key = values.get("name") or values.get("property")
        if tag == "meta" and key in READ_METAS and values.get("content"):
            self.reading.attributes.append(values["content"] or "")
        if tag in BLOCKS or tag in VERBATIM:
            self._flush()
        if tag not in VOID:
            self._open.append(tag)

    def handle_endtag(self, tag: str) -> None:
        if tag in BLOCKS or tag in VERBATIM:
            self._flush()
        if tag in self._open:
            while self._open.pop() != tag:
                pass

    def handle_data(self, data: str) -> None:
        if not any(tag in VERBATIM for tag in self._open):
            self._buffer.append(data)

    def close(self) -> None:
        super().close()
        self._flush()


def read_html(source: str) -> Reading:
    reader = _Reader()
    reader.feed(source)
    reader.close()
    return reader.reading


_TEXT = re.compile(r"<text\b(?P<attrs>[^>]*)>(?P<body>.*?)</text>", re.DOTALL)
_TSPAN_END = re.compile(r"</tspan>")
_TAG = re.compile(r"<[^>]+>")


def read_svg(source: str) -> Reading:
    """Each <text> of an SVG is one block (its <tspan>s are its lines, read with a space
    between them). A heading is the figure's frame title and subtitle (the <text>s that are
    direct children of the root <svg>), its <title>, or a bold box title."""
    reading = Reading()
    depth_at: list[int] = []
    depth = 0
    for token in re.finditer(r"<(/?)(g|svg)\b[^>]*?(/?)>|<text\b", source):
        if token[0] == "<text":
            depth_at.append(depth)
        elif token[1]:
            depth -= 1
        elif not token[3]:
            depth += 1
    for match, at in zip(_TEXT.finditer(source), depth_at, strict=True):
        body = html.unescape(_TAG.sub("", _TSPAN_END.sub(" ", match["body"])))
        heading = at == 1 or 'font-weight="700"' in match["attrs"]
        # Not str.split(): it would take the no-break spaces for ordinary ones.
        reading.blocks.append((re.sub(r"[ \t\r\n]+", " ", body).strip(), heading))
    # Read aloud: the figure's title (a heading) and its description.
    for tag, heading in (("title", True), ("desc", False)):
        reading.blocks += [
            (html.unescape(text), heading)
            for text in re.findall(rf"<{tag}\b[^>]*>(.*?)</{tag}>", source, re.DOTALL)
        ]
    return reading


def reading_faults(where: str, reading: Reading) -> list[str]:
    faults: list[str] = []
    for text, _ in reading.blocks:
        faults += typography_faults(where, text)
    for text in reading.attributes:
        faults += typography_faults(f"{where} (attribut)", text)
    return faults


# ---- The article's own words ------------------------------------------------------------


def seed_path() -> Path | None:
    return next((path for path in SEED_CANDIDATES if path.is_file()), None)


def words(text: str) -> list[str]:
    """Lower case, compatibility forms folded, apostrophes and punctuation as word breaks:
    "L’impression" and "l'impression," give the same words."""
    text = unicodedata.normalize("NFKC", text).casefold()
    return re.findall(r"[^\W_]+", text)


def _is_heading(line: str) -> bool:
    """A title of the article: "Règle 8. Soyez tolérant", "Infographie, Qu'est-ce qu'un jeu
    gagnant-gagnant ?", or a line without a sentence's end."""
    line = line.strip()
    return bool(re.match(r"Règle \d+\.|Infographie,", line)) or not re.search(r"[.!?…)»]$", line)


def article_runs(seed: str) -> dict[tuple[str, ...], str]:
    """Every run of RUN words of the article's paragraphs (not its titles), with the line it
    comes from."""
    runs: dict[tuple[str, ...], str] = {}
    for line in seed.splitlines():
        if _is_heading(line):
            continue
        found = words(line)
        for start in range(len(found) - RUN + 1):
            runs.setdefault(tuple(found[start : start + RUN]), line.strip())
    return runs


_QUOTED = re.compile(r"«[^»]*»|“[^”]*”")


def shared_runs(where: str, text: str, runs: dict[tuple[str, ...], str]) -> list[str]:
    """The passages of `text` (quotations set aside) that repeat RUN or more words of the
    article in a row, each once, with the article's sentence."""
    found = words(_QUOTED.sub(" | ", text))
    shared: list[str] = []
    start = 0
    while start <= len(found) - RUN:
        key = tuple(found[start : start + RUN])
        if key not in runs:
            start += 1
            continue
        end = start + RUN
        while end < len(found) and tuple(found[end - RUN + 1 : end + 1]) in runs:
            end += 1
        passage = " ".join(found[start:end])
        shared.append(f"{where}: « {passage} » (article : « {runs[key]} »)")
        start = end
    return shared


def reading_runs(where: str, reading: Reading, runs: dict[tuple[str, ...], str]) -> list[str]:
    shared: list[str] = []
    for text, heading in reading.blocks:
        if not heading:
            shared += shared_runs(where, text, runs)
    for text in reading.attributes:
        shared += shared_runs(f"{where} (attribut)", text, runs)
    return shared
