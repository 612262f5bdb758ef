"""The real `mkdocs build --strict`, and what a visitor's browser gets from its output."""

from __future__ import annotations

import base64
import hashlib
import json
import re
import urllib.request
import xml.etree.ElementTree as ET
from html.parser import HTMLParser
from typing import TYPE_CHECKING
from urllib.parse import urljoin, urlsplit

import engine_assets
import pytest
from site_support import ROOT, SUB_PATH

import scoring

if TYPE_CHECKING:
    from pathlib import Path

    from site_support import SiteServer

pytestmark = pytest.mark.build

PAGES = [
    "index.html",
    "regles/index.html",
    "gagnant-gagnant/index.html",
    "valeur-du-reseau/index.html",
    "crible/index.html",
    "mon-reseau/index.html",
    "conformisme/index.html",
    "faraday/index.html",
    "confidentialite/index.html",
    "a-propos/index.html",
    "404.html",
]
INFOGRAPHICS = [
    f"{figure}{page}{scheme}.svg"
    for figure in ("dix-regles", "gagnant-gagnant", "valeur-du-reseau")
    for page in ("", "-etroit")
    for scheme in ("", "-sombre")
]
SVG = "{http://www.w3.org/2000/svg}"
BASE = f"http://127.0.0.1/{SUB_PATH}/"


class _Resources(HTMLParser):
    """Every URL a page makes the browser load (not the links a reader may follow)."""

    LOADING_RELS = frozenset({"stylesheet", "icon", "modulepreload", "preload", "manifest"})

    def __init__(self) -> None:
        super().__init__()
        self.urls: list[str] = []
        self.links: list[str] = []
        self.inline_scripts: list[str] = []
        self.inline_styles: list[str] = []
        self.csp: list[str] = []
        self._inline: str | None = None
        self._buffer: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = {k: v or "" for k, v in attrs}
        self._loaded_by(tag, a)
        if tag == "a" and "href" in a:
            self.links.append(a["href"])
        elif tag == "meta" and a.get("http-equiv") == "Content-Security-Policy":
            self.csp.append(a["content"])
        # The engine's files, loaded by the page's worker (the index is a directory URL).
        for key, suffix in (
            ("worker", ""),
            ("index", "pyodide.mjs"),
            ("wheel", ""),
            ("stdlib", ""),
        ):
            if f"data-engine-{key}" in a:
                self.urls.append(a[f"data-engine-{key}"] + suffix)

    def _loaded_by(self, tag: str, a: dict[str, str]) -> None:
        if tag == "script" and "src" in a:
            self.urls.append(a["src"])
        elif tag == "script" and "json" not in a.get("type", ""):
            self._inline, self._buffer = "script", []
        elif tag == "style":
            self._inline, self._buffer = "style", []
        elif tag == "link" and self.LOADING_RELS & set(a.get("rel", "").split()):
            self.urls.append(a["href"])
        elif tag in {"img", "source", "audio", "video", "iframe", "embed", "track"}:
            self.urls.extend(a[k] for k in ("src",) if k in a)
            self.urls.extend(part.split()[0] for part in a.get("srcset", "").split(",") if part)
        elif tag == "object" and "data" in a:
            self.urls.append(a["data"])

    def handle_data(self, data: str) -> None:
        if self._inline:
            self._buffer.append(data)

    def handle_endtag(self, tag: str) -> None:
        if self._inline == tag:
            target = self.inline_scripts if tag == "script" else self.inline_styles
            target.append("".join(self._buffer))
            self._inline = None


def _parse(site: Path, page: str) -> _Resources:
    parser = _Resources()
    parser.feed((site / page).read_text(encoding="utf-8"))
    return parser


def _local_file(site: Path, page: str, url: str) -> Path | None:
    """The file inside the site that `url` (found on `page`) names, or None if it leaves it."""
    absolute = urlsplit(urljoin(BASE + page, url))
    if absolute.scheme == "data":
        return site  # inline data: nothing is fetched
    if f"{absolute.scheme}://{absolute.netloc}" != "http://127.0.0.1":
        return None
    if not absolute.path.startswith(f"/{SUB_PATH}/"):
        return None
    inner = absolute.path[len(SUB_PATH) + 2 :]
    target = site / inner
    return target / "index.html" if inner == "" or inner.endswith("/") else target


def test_every_page_is_built(built_site: Path) -> None:
    missing = [page for page in PAGES if not (built_site / page).is_file()]
    assert missing == []


def test_the_ten_rules_have_stable_anchors_and_their_titles(built_site: Path) -> None:
    html = (built_site / "regles/index.html").read_text(encoding="utf-8")
    for rule in scoring.load_rules():
        heading = re.search(rf'<h2 id="regle-{rule.number}">(.*?)<a', html, re.DOTALL)
        assert heading is not None, f"regle-{rule.number}"
        text = heading[1].replace("\u00a0", " ").replace("\u202f", " ").replace("’", "'")
        assert text.strip() == f"Règle {rule.number}. {rule.title}".replace("’", "'")
    assert scoring.load_rules()[-1].number == 10


@pytest.mark.parametrize("name", INFOGRAPHICS)
def test_infographics_are_svg_with_title_and_real_text(built_site: Path, name: str) -> None:
    root = ET.parse(built_site / "assets/infographics" / name).getroot()  # noqa: S314 (our own file)
    assert root.tag == f"{SVG}svg"
    title = root.find(f"{SVG}title")
    assert title is not None
    assert title.text
    texts = [t for t in root.iter(f"{SVG}text") if "".join(t.itertext()).strip()]
    assert len(texts) >= 10
    assert root.find(f".//{SVG}path[@d]") is None or len(texts) >= 10  # text is never outlined


def test_infographics_are_shown_with_a_french_alt_and_zoom(built_site: Path) -> None:
    for page, name in [
        ("regles/index.html", "dix-regles.svg"),
        ("gagnant-gagnant/index.html", "gagnant-gagnant.svg"),
        ("valeur-du-reseau/index.html", "valeur-du-reseau.svg"),
    ]:
        html = (built_site / page).read_text(encoding="utf-8")
        stem = name.removesuffix(".svg")
        # Light and dark, each a zoomable link to its own variant around a <picture> whose
        # source is the narrow format (figure_embed.py; what Chromium picks:
        # test_browser_infographics.py).
        alts = []
        for scheme, suffix in (("clair", ""), ("sombre", "-sombre")):
            variant = re.search(
                rf'<a class="glightbox crible-infographic__{scheme}" [^>]*'
                rf'href="../assets/infographics/{stem}{suffix}.svg"[^>]*><picture>'
                rf'<source media="\(max-width: 699px\)" '
                rf'srcset="../assets/infographics/{stem}-etroit{suffix}.svg"[^>]*>'
                rf'(<img [^>]*src="../assets/infographics/{stem}{suffix}.svg"[^>]*>)',
                html,
            )
            assert variant is not None, (page, scheme)
            alt = re.search(r'alt="([^"]+)"', variant[1])
            assert alt is not None
            alts.append(alt[1])
        assert len(alts[0]) > 20, alts[0]
        assert alts[0] == alts[1]


@pytest.mark.parametrize("page", PAGES)
def test_every_loaded_resource_is_inside_the_site(built_site: Path, page: str) -> None:
    parsed = _parse(built_site, page)
    assert parsed.urls, "a page loads at least its stylesheet and scripts"
    targets = {url: _local_file(built_site, page, url) for url in parsed.urls}
    assert [url for url, target in targets.items() if target is None] == []
    assert [url for url, target in targets.items() if target and not target.exists()] == []


def test_stylesheets_load_nothing_from_elsewhere(built_site: Path) -> None:
    sheets = sorted(built_site.rglob("*.css"))
    assert sheets
    for sheet in sheets:
        css = sheet.read_text(encoding="utf-8")
        assert "@import" not in css, sheet
        page = sheet.relative_to(built_site).as_posix()
        for url in re.findall(r"url\(\s*['\"]?([^'\")]+)", css):
            target = _local_file(built_site, page, url)
            assert target is not None, (sheet, url)
            assert target.exists(), (sheet, url)


def test_no_web_font_and_no_third_party_host_in_any_loaded_file(built_site: Path) -> None:
    loaded = [*built_site.rglob("*.html"), *built_site.rglob("*.css")]
    for path in loaded:
        text = path.read_text(encoding="utf-8")
        assert "fonts.googleapis" not in text, path
        assert "fonts.gstatic" not in text, path


def _sha(body: str) -> str:
    return "'sha256-" + base64.b64encode(hashlib.sha256(body.encode()).digest()).decode() + "'"


@pytest.mark.parametrize("page", PAGES)
def test_every_page_carries_the_strict_csp(built_site: Path, page: str) -> None:
    parsed = _parse(built_site, page)
    assert len(parsed.csp) == 1
    directives = dict(d.strip().split(" ", 1) for d in parsed.csp[0].split(";"))
    assert directives["default-src"] == "'none'"
    assert directives["worker-src"] == "'self'"
    assert directives["connect-src"] == "'self'"
    assert directives["img-src"] == "'self' data:"
    assert directives["base-uri"] == "'none'"
    assert directives["form-action"] == "'none'"
    script_src = directives["script-src"].split()
    assert script_src[:3] == ["'self'", "'unsafe-eval'", "'wasm-unsafe-eval'"]
    assert "'unsafe-inline'" not in parsed.csp[0]
    for body in parsed.inline_scripts:
        assert _sha(body) in script_src
    style_src = directives["style-src"].split()
    assert style_src[0] == "'self'"
    for body in parsed.inline_styles:
        assert _sha(body) in style_src
    # The CSP precedes every script of the page.
    html = (built_site / page).read_text(encoding="utf-8")
    assert html.index("Content-Security-Policy") < html.index("<script")


def test_the_engine_files_are_in_the_site(built_site: Path) -> None:
    version = json.loads((ROOT / "package-lock.json").read_text())["packages"][
        "node_modules/pyodide"
    ]["version"]
    runtime = built_site / "assets/pyodide" / version
    for name in ("pyodide.mjs", "pyodide.asm.mjs", "pyodide.asm.wasm"):
        assert (runtime / name).read_bytes() == (ROOT / "node_modules/pyodide" / name).read_bytes()
    # The stdlib is not Pyodide's but the site's own (bytecode of the modules the engine needs,
    # see engine_assets.engine_stdlib), and its URL names its digest.
    shipped = engine_assets.engine_stdlib(engine_assets.find_runtime(ROOT), ROOT)
    assert (runtime / "python_stdlib.zip").read_bytes() == shipped.path.read_bytes()
    assert sorted(path.name for path in runtime.iterdir()) == [
        "pyodide-lock.json",
        "pyodide.asm.mjs",
        "pyodide.asm.wasm",
        "pyodide.mjs",
        "python_stdlib.zip",
    ]
    zip_url = f"../assets/pyodide/{version}/python_stdlib.zip?v={shipped.sha256[:16]}"
    assert f'data-engine-stdlib="{zip_url}"' in (built_site / "crible/index.html").read_text(
        encoding="utf-8"
    )
    lock = json.loads((runtime / "pyodide-lock.json").read_text())
    assert lock["packages"] == {}
    assert lock["info"]["python"].startswith("3.14")
    wheels = list((built_site / "assets/engine").glob("crible_scoring-*-py3-none-any.whl"))
    assert len(wheels) == 1


def test_the_crible_page_is_rendered_from_the_definition(built_site: Path) -> None:
    html = (built_site / "crible/index.html").read_text(encoding="utf-8")
    contact = scoring.load_questionnaire("contact")
    fieldsets = re.findall(r'<fieldset [^>]*data-item="([^"]+)"', html)
    assert fieldsets == [item.id for item in contact.items]
    for item in contact.items:
        for value in ("yes", "no", "unknown"):
            assert f'name="item-{item.id}" value="{value}"' in html
    assert 'data-engine="loading"' in html
    assert html.count('aria-live="polite"') == 1


def _internal_links(built_site: Path) -> set[str]:
    urls: set[str] = set()
    for html in built_site.rglob("*.html"):
        page = html.relative_to(built_site).as_posix()
        parsed = _parse(built_site, page)
        for url in [*parsed.links, *parsed.urls]:
            absolute = urlsplit(urljoin(BASE + page, url))
            if absolute.netloc == "127.0.0.1" and absolute.path.startswith(f"/{SUB_PATH}/"):
                urls.add(absolute.path)
    return urls


def test_every_internal_link_answers_200_under_the_sub_path(site: SiteServer) -> None:
    paths = _internal_links(site.site_dir)
    assert len(paths) > 30
    failures = []
    for path in sorted(paths):
        with urllib.request.urlopen(site.origin + path) as response:  # noqa: S310 (loopback)
            if response.status != 200:
                failures.append((path, response.status))
    assert failures == []


def test_no_build_tooling_is_published(built_site: Path) -> None:
    published = [p.relative_to(built_site).as_posix() for p in built_site.rglob("*") if p.is_file()]
    assert [p for p in published if p.startswith(("hooks/", "infographics/"))] == []
    assert [p for p in published if p.endswith((".py", ".j2", ".pyc", ".toml"))] == []
    assert "sw.js" in published
    assert "assets/javascripts/crible/sw-template.js" not in published
    assert "assets/javascripts/crible/start.js" not in published


def test_the_start_script_is_inlined_in_every_page_without_its_comments(
    built_site: Path,
) -> None:
    source = (ROOT / "overrides/assets/javascripts/crible/start.js").read_text("utf-8")
    code = [line for line in source.splitlines() if line.strip()]
    expected = "\n".join(line for line in code if not line.lstrip().startswith("//"))
    assert "window.cribleStart = Object.freeze(" in expected
    assert len(expected) < len(source) / 2  # the comments were most of the file
    for page in sorted(built_site.rglob("*.html")):
        html = page.read_text("utf-8")
        engine = html.index('<meta name="crible-engine"')
        assert html.index(f"<script>{expected}</script>") > engine, page
