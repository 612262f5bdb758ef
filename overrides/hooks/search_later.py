"""Material's search worker, started late on the pages that start the engine at once.

Material reads the URL of its search worker from the page's `__config` JSON (its `search`
key). On the pages that start the engine while their <head> is parsed, that URL becomes
`assets/javascripts/crible/search-later.js?worker=<Material's worker>`, which waits for the
engine before it runs Material's worker (the file says why). Every other page keeps Material's
worker as it is; Material creates one per visit, on the first page.
"""

from __future__ import annotations

import json
import posixpath
import re
from urllib.parse import quote

__all__ = ["SCRIPT", "SearchLaterError", "defer_search"]

# Site-relative, next to Material's `workers/` folder (the worker's relative imports need it).
SCRIPT = "assets/javascripts/crible/search-later.js"

_CONFIG = re.compile(
    r'(<script id="__config" type="application/json">)(?P<json>.*?)(</script>)', re.DOTALL
)


class SearchLaterError(ValueError):
    """The page's Material configuration is not where or what it should be."""


def defer_search(html: str) -> str:
    """The page with its search worker's URL pointed at search-later.js."""
    found = _CONFIG.search(html)
    if found is None:
        msg = "no Material configuration (script#__config) in the page"
        raise SearchLaterError(msg)
    text = found["json"]
    search = json.loads(text).get("search")
    if not isinstance(search, str) or not search.endswith(".js"):
        msg = f"unexpected search worker in Material's configuration: {search!r}"
        raise SearchLaterError(msg)
    # Both URLs relative to the page: the wrapper sits one folder beside Material's worker.
    folder = posixpath.dirname(posixpath.dirname(search))
    relative = posixpath.relpath(search, posixpath.join(folder, "crible"))
    later = f"{posixpath.join(folder, 'crible', 'search-later.js')}?worker={quote(relative)}"
    replaced = text.replace(json.dumps(search), json.dumps(later), 1)
    if replaced == text:
        msg = "the search worker's URL is not written as plain JSON in Material's configuration"
        raise SearchLaterError(msg)
    return html[: found.start("json")] + replaced + html[found.end("json") :]
