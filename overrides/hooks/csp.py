"""The Content-Security-Policy of every page, computed from the built HTML.

Material inlines a few small scripts (and mkdocs-glightbox an inline style); instead of
'unsafe-inline', the policy lists the sha256 of each inline block found anywhere in the site.
The union over the site is used on every page because Material's instant navigation inserts
the next page's inline scripts into the current document, which keeps its first policy.
"""

from __future__ import annotations

import base64
import hashlib
import re
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from collections.abc import Iterable

__all__ = ["PLACEHOLDER", "InlineHashes", "inline_hashes", "policy"]

# Written by overrides/main.html in the site_meta block, replaced after the whole site is built.
PLACEHOLDER = "crible-csp-placeholder"

_INLINE_SCRIPT = re.compile(r"<script(?P<attrs>[^>]*)>(?P<body>.*?)</script>", re.DOTALL)
_INLINE_STYLE = re.compile(r"<style(?P<attrs>[^>]*)>(?P<body>.*?)</style>", re.DOTALL)
_SRC = re.compile(r"\ssrc\s*=")
# Data blocks are never executed, so they need no hash (Material's __config, our definitions).
_DATA_TYPE = re.compile(r"""\stype\s*=\s*["']?application/(?:ld\+)?json""")


def _sha256(body: str) -> str:
    digest = hashlib.sha256(body.encode("utf-8")).digest()
    return "'sha256-" + base64.b64encode(digest).decode("ascii") + "'"


class InlineHashes:
    """The hashes of the inline scripts and styles seen so far, page after page."""

    def __init__(self) -> None:
        self.scripts: set[str] = set()
        self.styles: set[str] = set()

    def add_page(self, html: str) -> None:
        found = inline_hashes(html)
        self.scripts |= found.scripts
        self.styles |= found.styles


def inline_hashes(html: str) -> InlineHashes:
    """The hashes of one page's executable inline scripts and inline style elements."""
    found = InlineHashes()
    for match in _INLINE_SCRIPT.finditer(html):
        attrs = match["attrs"]
        if _SRC.search(attrs) or _DATA_TYPE.search(attrs):
            continue
        found.scripts.add(_sha256(match["body"]))
    for match in _INLINE_STYLE.finditer(html):
        found.styles.add(_sha256(match["body"]))
    return found


def policy(script_hashes: Iterable[str], style_hashes: Iterable[str]) -> str:
    """The policy: nothing by default, everything from this origin only.

    'unsafe-eval' is required by Pyodide 314 (its loader builds functions from strings);
    'wasm-unsafe-eval' lets the worker compile the runtime's WebAssembly.
    """
    directives = {
        "default-src": ["'none'"],
        "script-src": ["'self'", "'unsafe-eval'", "'wasm-unsafe-eval'", *sorted(script_hashes)],
        "worker-src": ["'self'"],
        "connect-src": ["'self'"],
        "img-src": ["'self'", "data:"],
        "style-src": ["'self'", *sorted(style_hashes)],
        "manifest-src": ["'self'"],
        "base-uri": ["'none'"],
        "form-action": ["'none'"],
    }
    return "; ".join(f"{name} {' '.join(values)}" for name, values in directives.items())
