"""Offline: the precache manifest of a built site and the service worker that serves it.

Pure functions with no MkDocs import, unit-tested on their own; the build hook calls
`write_service_worker` once the whole site is written (CSP included), so that the digests are
those of the bytes the server will send.

The manifest lists, relative to the site's root (the worker's scope, any sub-path), every file
a page may request: the pages under their directory URLs (`./`, `regles/`), the stylesheets
and scripts, the images and infographics, the sitemap that instant navigation reads, the
search index with the search scripts of the site's languages, the Pyodide runtime, the stdlib
zip and the wheel, these two under the exact URLs the pages request (`?v=<digest>`). Each
entry carries the sha256 of its bytes and says whether its URL is *versioned*: a URL that
names its content (a `?v=` digest, the runtime's version directory, Material's hashed
bundles) is served from the cache first and its bytes are checked against the digest when
precached; any other file (pages, crible.css, our ES modules) is served from the network
first, the cache being the offline fallback. The cache's version is a digest of the whole
manifest: a changed byte anywhere is a new cache, and the worker deletes the others.
"""

from __future__ import annotations

import hashlib
import json
import re
from dataclasses import asdict, dataclass
from fnmatch import fnmatchcase
from pathlib import Path, PurePosixPath
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from collections.abc import Iterable, Mapping

__all__ = [
    "CACHE_PREFIX",
    "MARKER",
    "SERVICE_WORKER",
    "SIZE_MARKER",
    "Entry",
    "Manifest",
    "OfflineError",
    "build_manifest",
    "cache_version",
    "page_url",
    "render_service_worker",
    "search_scripts",
    "write_service_worker",
]

# Where the worker is written, at the root of the site: its scope is then the whole site.
SERVICE_WORKER = "sw.js"
# Every cache of ours starts with it (then the scope's path, then the version; see the worker):
# all the GitHub Pages project sites of a user share one origin, hence one CacheStorage.
CACHE_PREFIX = "crible-offline"
# In the worker's template, replaced by the manifest (a JSON literal is a JS expression).
MARKER = "/* crible-offline-manifest */ null"
# In the pages (the engine meta's data-offline-size), replaced by the copy's size in bytes.
SIZE_MARKER = "crible-offline-size"

# What a page may load. Source maps are for developers; sitemap.xml.gz is for crawlers.
SUFFIXES = frozenset(
    {".html", ".css", ".js", ".mjs", ".json", ".xml", ".wasm", ".zip", ".whl"}
    | {".svg", ".png", ".jpg", ".jpeg", ".gif", ".webp", ".ico", ".woff2", ".webmanifest"}
)
# Build tooling that the theme directory leaks into the site (MkDocs copies custom_dir's files):
# published, but no page requests it.
EXCLUDED = ("hooks/*",)
# Material ships the stemmers of every language; its search worker imports only the site's.
LUNR = "assets/javascripts/lunr/"
SEARCH_INDEX = "search/search_index.json"
# Material's bundles name their content: assets/javascripts/bundle.e71a0d61.min.js.
_HASHED_NAME = re.compile(r"^assets/.+\.[0-9a-f]{8}\.min\.(?:js|css)$")


class OfflineError(Exception):
    """The manifest cannot be built as the pages need it; the message says what is missing."""


@dataclass(frozen=True, slots=True)
class Entry:
    """One URL to precache, relative to the site's root, and the sha256 of its bytes."""

    url: str
    sha256: str
    versioned: bool
    size: int = 0  # bytes, as stored (decoded)


@dataclass(frozen=True, slots=True)
class Manifest:
    version: str
    entries: tuple[Entry, ...]

    def urls(self) -> list[str]:
        return [entry.url for entry in self.entries]

    def size(self) -> int:
        """The bytes the offline copy keeps in the browser."""
        return sum(entry.size for entry in self.entries)

    def to_json(self) -> str:
        data = {
            "prefix": CACHE_PREFIX,
            "version": self.version,
            "entries": [asdict(entry) for entry in self.entries],
        }
        # ASCII only: no U+2028 or U+2029 can end up in the script as a raw character.
        return json.dumps(data, ensure_ascii=True, separators=(",", ":"))


def page_url(path: str) -> str:
    """The URL under which a page is linked: `regles/index.html` → `regles/`, root → `./`."""
    if path == "index.html":
        return "./"
    if path.endswith("/index.html"):
        return path.removesuffix("index.html")
    return path


def search_scripts(languages: Iterable[str]) -> set[str]:
    """The files under assets/javascripts/lunr/ that Material's search worker imports."""
    languages = list(languages)
    names = {"min/lunr.stemmer.support.min.js"}
    for language in languages:
        if language == "ja":
            names.add("tinyseg.js")
        elif language in {"hi", "th"}:
            names.add("wordcut.js")
        if language != "en":
            names.add(f"min/lunr.{language}.min.js")
    if len(languages) > 1:
        names.add("min/lunr.multi.min.js")
    return {LUNR + name for name in names}


def _search_languages(site_dir: Path) -> list[str] | None:
    index = site_dir / SEARCH_INDEX
    if not index.is_file():
        return None
    config = json.loads(index.read_text(encoding="utf-8")).get("config", {})
    return [str(language) for language in config.get("lang", ["en"])]


def _wanted(path: str, search: set[str]) -> bool:
    if PurePosixPath(path).suffix not in SUFFIXES or path == SERVICE_WORKER:
        return False
    if path.startswith(LUNR):
        return path in search
    return not any(fnmatchcase(path, pattern) for pattern in EXCLUDED)


def cache_version(entries: Iterable[Entry]) -> str:
    """A digest of every URL and every file digest: any change is a new version."""
    canonical = json.dumps([asdict(entry) for entry in entries], sort_keys=True)
    return hashlib.sha256(canonical.encode("utf-8")).hexdigest()[:16]


def build_manifest(site_dir: Path, engine_urls: Mapping[str, str]) -> Manifest:
    """What to precache, from the built site and the engine's URLs (the hook's `engine_urls`).

    The engine files that pages request with a `?v=` query (wheel, stdlib zip) are listed
    under that exact URL, never under their bare path: the worker matches requests exactly.
    """
    requested = {url.partition("?")[0]: url for url in engine_urls.values() if "?v=" in url}
    runtime = engine_urls.get("index")
    languages = _search_languages(site_dir)
    search = search_scripts(languages) if languages is not None else set()
    entries = []
    for file in sorted(p for p in site_dir.rglob("*") if p.is_file()):
        path = file.relative_to(site_dir).as_posix()
        if not _wanted(path, search):
            continue
        data = file.read_bytes()
        digest = hashlib.sha256(data).hexdigest()
        if path.endswith(".html"):
            entries.append(Entry(page_url(path), digest, versioned=False, size=len(data)))
            continue
        url = requested.pop(path, path)
        versioned = (
            "?v=" in url
            or bool(runtime and path.startswith(runtime))
            or bool(_HASHED_NAME.match(path))
        )
        entries.append(Entry(url, digest, versioned=versioned, size=len(data)))
    if requested:
        missing = ", ".join(sorted(requested))
        raise OfflineError(f"the pages request engine files that are not in the site: {missing}")
    return Manifest(version=cache_version(entries), entries=tuple(entries))


def render_service_worker(template: str, manifest: Manifest) -> str:
    """The worker's source: the template with its manifest."""
    if template.count(MARKER) != 1:
        raise OfflineError(f"the service worker template must contain {MARKER!r} exactly once")
    return template.replace(MARKER, manifest.to_json())


def write_service_worker(site_dir: Path, template: str, engine_urls: Mapping[str, str]) -> Manifest:
    """Write sw.js at the root of a built site; returns the manifest it carries."""
    manifest = build_manifest(site_dir, engine_urls)
    source = render_service_worker(template, manifest)
    (site_dir / SERVICE_WORKER).write_text(source, encoding="utf-8")
    return manifest
