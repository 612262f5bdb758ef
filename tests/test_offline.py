"""Offline: the precache manifest (unit), the service worker in the built site (build), and the
site, engine included, working with no network after a first visit (real Chromium).

The browser tests serve their own builds through a symbolic link, so that a "new deployment"
is a swap of the link: a second build, from a copy of the project whose `scoring` version is
bumped, hence a new wheel under a new URL.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import re
import shutil
import time
from html.parser import HTMLParser
from typing import TYPE_CHECKING, Any
from urllib.parse import urljoin

import offline
import pytest
from browser_support import (
    BEST,
    ENGINE_TIMEOUT_MS,
    Recorder,
    cli_result,
    fill,
    wait_ready,
    wait_result,
)
from site_support import ROOT, SUB_PATH, SiteServer, build_site, free_port

if TYPE_CHECKING:
    from collections.abc import Iterator
    from pathlib import Path

    from playwright.sync_api import BrowserContext, Page

ENGINE_URLS = {
    "index": "assets/pyodide/314.0.7/",
    "wheel": "assets/engine/crible_scoring-0.1.0-py3-none-any.whl?v=0123456789abcdef",
    "wheel_name": "crible_scoring-0.1.0-py3-none-any.whl",
    "worker": "assets/javascripts/crible/worker.js",
    "stdlib": "assets/pyodide/314.0.7/python_stdlib.zip?v=fedcba9876543210",
    "runtime_version": "314.0.7",
}
TEMPLATE = (ROOT / "overrides" / "assets/javascripts/crible/sw-template.js").read_text("utf-8")


# --- Unit: the manifest of a small fake site ------------------------------------------------


def _fake_site(root: Path) -> Path:
    files = {
        "index.html": "<p>accueil",
        "regles/index.html": "<p>règles",
        "404.html": "<p>introuvable",
        "sitemap.xml": "<urlset/>",
        "sitemap.xml.gz": "gz",
        "search/search_index.json": json.dumps({"config": {"lang": ["fr"]}, "docs": []}),
        "assets/stylesheets/crible.css": "body{}",
        "assets/stylesheets/main.618322db.min.css": "a{}",
        "assets/stylesheets/main.618322db.min.css.map": "{}",
        "assets/javascripts/crible/page.js": "//",
        "assets/javascripts/crible/worker.js": "//",
        "assets/javascripts/lunr/min/lunr.fr.min.js": "//",
        "assets/javascripts/lunr/min/lunr.de.min.js": "//",
        "assets/javascripts/lunr/min/lunr.stemmer.support.min.js": "//",
        "assets/javascripts/lunr/tinyseg.js": "//",
        "assets/infographics/dix-regles.svg": "<svg/>",
        "assets/engine/crible_scoring-0.1.0-py3-none-any.whl": "wheel",
        "assets/pyodide/314.0.7/pyodide.mjs": "//",
        "assets/pyodide/314.0.7/pyodide.asm.wasm": "wasm",
        "assets/pyodide/314.0.7/pyodide-lock.json": "{}",
        "assets/pyodide/314.0.7/python_stdlib.zip": "zip",
        "hooks/build_stdlib.mjs": "//",
        "infographics/_cadre.svg.j2": "<svg/>",
        "sw.js": "// an earlier build's",
    }
    for name, text in files.items():
        path = root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
    return root


@pytest.fixture
def fake_site(tmp_path: Path) -> Path:
    return _fake_site(tmp_path / "site")


def test_the_manifest_lists_what_pages_request_under_relative_urls(fake_site: Path) -> None:
    manifest = offline.build_manifest(fake_site, ENGINE_URLS)
    assert manifest.urls() == [
        "404.html",
        ENGINE_URLS["wheel"],
        "assets/infographics/dix-regles.svg",
        "assets/javascripts/crible/page.js",
        "assets/javascripts/crible/worker.js",
        "assets/javascripts/lunr/min/lunr.fr.min.js",
        "assets/javascripts/lunr/min/lunr.stemmer.support.min.js",
        "assets/pyodide/314.0.7/pyodide-lock.json",
        "assets/pyodide/314.0.7/pyodide.asm.wasm",
        "assets/pyodide/314.0.7/pyodide.mjs",
        ENGINE_URLS["stdlib"],
        "assets/stylesheets/crible.css",
        "assets/stylesheets/main.618322db.min.css",
        "./",
        "regles/",
        "search/search_index.json",
        "sitemap.xml",
    ]
    for url in manifest.urls():
        assert not url.startswith("/"), url
        assert "://" not in url, url


def test_versioned_urls_are_those_that_name_their_content(fake_site: Path) -> None:
    manifest = offline.build_manifest(fake_site, ENGINE_URLS)
    versioned = sorted(entry.url for entry in manifest.entries if entry.versioned)
    assert versioned == [
        ENGINE_URLS["wheel"],
        "assets/pyodide/314.0.7/pyodide-lock.json",
        "assets/pyodide/314.0.7/pyodide.asm.wasm",
        "assets/pyodide/314.0.7/pyodide.mjs",
        ENGINE_URLS["stdlib"],
        "assets/stylesheets/main.618322db.min.css",
    ]


def test_the_entries_carry_the_sha256_of_the_files(fake_site: Path) -> None:
    entries = {e.url: e.sha256 for e in offline.build_manifest(fake_site, ENGINE_URLS).entries}
    assert entries["regles/"] == hashlib.sha256("<p>règles".encode()).hexdigest()


@pytest.mark.parametrize(
    "change",
    ["assets/pyodide/314.0.7/pyodide.asm.wasm", "regles/index.html", "assets/engine/*.whl"],
)
def test_one_changed_file_changes_the_cache_version(fake_site: Path, change: str) -> None:
    before = offline.build_manifest(fake_site, ENGINE_URLS).version
    for path in fake_site.glob(change):
        path.write_text(path.read_text(encoding="utf-8") + " ", encoding="utf-8")
    after = offline.build_manifest(fake_site, ENGINE_URLS).version
    assert re.fullmatch(r"[0-9a-f]{16}", after)
    assert after != before


def test_a_new_page_or_a_new_engine_url_changes_the_cache_version(fake_site: Path) -> None:
    before = offline.build_manifest(fake_site, ENGINE_URLS).version
    assert offline.build_manifest(fake_site, ENGINE_URLS).version == before  # deterministic
    new_wheel = dict(ENGINE_URLS, wheel=ENGINE_URLS["wheel"].replace("0123", "9999"))
    assert offline.build_manifest(fake_site, new_wheel).version != before
    (fake_site / "faraday").mkdir()
    (fake_site / "faraday/index.html").write_text("<p>", encoding="utf-8")
    assert offline.build_manifest(fake_site, ENGINE_URLS).version != before


def test_an_engine_file_missing_from_the_site_is_an_error(fake_site: Path) -> None:
    (fake_site / "assets/engine/crible_scoring-0.1.0-py3-none-any.whl").unlink()
    with pytest.raises(offline.OfflineError, match=r"crible_scoring-0\.1\.0-py3-none-any\.whl"):
        offline.build_manifest(fake_site, ENGINE_URLS)


def test_page_urls_are_directory_urls() -> None:
    assert offline.page_url("index.html") == "./"
    assert offline.page_url("regles/index.html") == "regles/"
    assert offline.page_url("a/b/index.html") == "a/b/"
    assert offline.page_url("404.html") == "404.html"


def test_search_scripts_follow_materials_search_worker() -> None:
    lunr = "assets/javascripts/lunr/"
    assert offline.search_scripts(["en"]) == {lunr + "min/lunr.stemmer.support.min.js"}
    assert offline.search_scripts(["fr", "ja"]) == {
        lunr + "min/lunr.stemmer.support.min.js",
        lunr + "min/lunr.fr.min.js",
        lunr + "min/lunr.ja.min.js",
        lunr + "tinyseg.js",
        lunr + "min/lunr.multi.min.js",
    }


def _embedded(source: str) -> dict[str, Any]:
    match = re.search(r"^const MANIFEST = (.*);$", source, re.MULTILINE)
    assert match is not None
    data: dict[str, Any] = json.loads(match[1])
    return data


def test_the_worker_carries_its_manifest(fake_site: Path) -> None:
    manifest = offline.write_service_worker(fake_site, TEMPLATE, ENGINE_URLS)
    source = (fake_site / "sw.js").read_text(encoding="utf-8")
    assert offline.MARKER not in source
    data = _embedded(source)
    assert data["prefix"] == offline.CACHE_PREFIX
    assert data["version"] == manifest.version
    assert [entry["url"] for entry in data["entries"]] == manifest.urls()
    # Rewriting the site's sw.js does not change the manifest: it is never listed.
    assert offline.build_manifest(fake_site, ENGINE_URLS) == manifest


def test_a_template_without_its_marker_is_refused() -> None:
    with pytest.raises(offline.OfflineError, match="exactly once"):
        offline.render_service_worker("const MANIFEST = {};", offline.Manifest("0", ()))


def test_the_worker_keeps_to_the_csp_and_to_relative_urls() -> None:
    code = "\n".join(line for line in TEMPLATE.splitlines() if not line.lstrip().startswith("//"))
    for forbidden in ("eval(", "new Function", "importScripts", "http:", "https:"):
        assert forbidden not in code, forbidden


# --- Build: the real site's worker ----------------------------------------------------------


# The meta's attributes that are not the engine's files: its time limit, the pages using it.
NOT_FILES = {"data-engine-timeout", "data-engine-pages"}


class _EngineAttributes(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.urls: dict[str, str] = {}

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        for name, value in attrs if tag == "meta" else ():
            if name.startswith("data-engine-") and value and name not in NOT_FILES:
                self.urls[name] = value


@pytest.mark.build
def test_the_built_worker_precaches_the_engine_urls_the_crible_page_requests(
    built_site: Path,
) -> None:
    data = _embedded((built_site / offline.SERVICE_WORKER).read_text(encoding="utf-8"))
    root = f"http://127.0.0.1/{SUB_PATH}/"
    listed = {urljoin(root, entry["url"]) for entry in data["entries"]}
    page = root + "crible/"
    parser = _EngineAttributes()
    parser.feed((built_site / "crible/index.html").read_text(encoding="utf-8"))
    assert set(parser.urls) == {
        "data-engine-worker",
        "data-engine-index",
        "data-engine-wheel",
        "data-engine-stdlib",
    }
    for name, url in parser.urls.items():
        absolute = urljoin(page, url)
        if name == "data-engine-index":
            for runtime in ("pyodide.mjs", "pyodide.asm.mjs", "pyodide.asm.wasm"):
                assert absolute + runtime in listed
        else:
            assert absolute in listed, (name, absolute)
    assert "?v=" in parser.urls["data-engine-wheel"]
    assert "?v=" in parser.urls["data-engine-stdlib"]
    for entry in data["entries"]:
        assert not entry["url"].startswith("/")
        assert "://" not in entry["url"]
        assert (built_site / offline.page_url(entry["url"].partition("?")[0])).exists()
    # The template itself is not shipped: only the rendered worker, at the root.
    assert not list(built_site.rglob("sw-template.js"))


# --- Browser: two deployments served one after the other ------------------------------------


def _copy_project(destination: Path, version: str) -> Path:
    """The project, as a site owner's next commit: same sources, `scoring` at `version`."""
    for name in ("mkdocs.yml", "pyproject.toml", "package.json", "package-lock.json"):
        shutil.copy2(ROOT / name, destination / name)
    for name in ("docs", "overrides", "scoring"):
        shutil.copytree(ROOT / name, destination / name, ignore=shutil.ignore_patterns("__py*"))
    for name in ("node_modules", ".cache"):  # the pinned runtime; the compiled stdlib
        (destination / name).symlink_to(ROOT / name, target_is_directory=True)
    pyproject = destination / "pyproject.toml"
    text = pyproject.read_text(encoding="utf-8")
    assert 'version = "0.1.0"' in text
    pyproject.write_text(text.replace('version = "0.1.0"', f'version = "{version}"', 1), "utf-8")
    return destination


class Deployments:
    """Two builds of the site and a server whose `crible/` is a link to one of them."""

    def __init__(self, base: Path, port: int) -> None:
        self.first, self.second = base / "first", base / "second"
        self.live = base / "live"
        self.port = port
        self.server = SiteServer(self.live, port).__enter__()

    @contextlib.contextmanager
    def offline(self, page: Page) -> Iterator[None]:
        """No network at all: the page is offline, the server is down, the HTTP cache empty.

        Offline and down, because Chromium's offline emulation (`set_offline`) does not cover
        every fetch of the service worker: with it alone, a page navigation and the update
        checks of sw.js were seen reaching the server. A stopped server refuses them all. And
        no HTTP cache, so that what still works comes from the service worker's cache."""
        self.server.__exit__()
        context = page.context
        context.set_offline(True)
        context.new_cdp_session(page).send("Network.clearBrowserCache")
        try:
            yield
        finally:
            context.set_offline(False)
            self.server = SiteServer(self.live, self.port).__enter__()

    def deploy(self, site_dir: Path) -> None:
        self.live.unlink(missing_ok=True)
        self.live.symlink_to(site_dir, target_is_directory=True)

    def manifest(self, site_dir: Path) -> dict[str, Any]:
        return _embedded((site_dir / offline.SERVICE_WORKER).read_text(encoding="utf-8"))

    def cache_name(self, site_dir: Path) -> str:
        return f"{offline.CACHE_PREFIX}:/{SUB_PATH}/:{self.manifest(site_dir)['version']}"


@pytest.fixture(scope="module")
def deployments(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Deployments]:
    base = tmp_path_factory.mktemp("offline")
    port = free_port()
    site_url = f"http://127.0.0.1:{port}/{SUB_PATH}/"
    result = Deployments(base, port)
    build_site(result.first, site_url)
    project = base / "project"
    project.mkdir()
    build_site(result.second, site_url, timeout_ms=20000, project=_copy_project(project, "0.1.1"))
    result.deploy(result.first)
    yield result
    result.server.__exit__()


_SW_STATE = """async (nudge) => {
    const registration = await navigator.serviceWorker.getRegistration();
    // A browser checks sw.js on navigations and at least daily; a slow check is nudged here
    // as a later visit would, so that the test waits on the install, not on the schedule.
    if (nudge && registration) await registration.update().catch(() => {});
    const script = (worker) => worker?.scriptURL ?? null;
    return {
        controlled: navigator.serviceWorker.controller !== null,
        caches: await caches.keys(),
        installing: script(registration?.installing),
        waiting: script(registration?.waiting),
        active: script(registration?.active),
    };
}"""


def _wait_for_cache(page: Page, name: str) -> None:
    """Until the worker of this version controls the page and its cache is the only one."""
    start = time.monotonic()
    deadline = start + ENGINE_TIMEOUT_MS / 1000
    nudged = start
    while time.monotonic() < deadline:
        nudge = time.monotonic() - nudged > 5  # seconds
        nudged = time.monotonic() if nudge else nudged
        state = page.evaluate(_SW_STATE, nudge)
        if state["controlled"] and state["caches"] == [name]:
            return
        time.sleep(0.2)
    msg = f"the service worker did not settle on {name}: {state}"
    raise AssertionError(msg)


def _cached_urls(page: Page, name: str) -> list[str]:
    urls: list[str] = page.evaluate(
        "async (name) => (await (await caches.open(name)).keys()).map((r) => r.url)", name
    )
    return urls


def _verdict_offline(page: Page, url: str) -> None:
    page.goto(url)
    wait_ready(page)
    fill(page, BEST, "gt1y")
    assert wait_result(page)["verdict"] == cli_result(BEST, "gt1y")["verdict"]


@pytest.mark.browser
def test_after_a_first_visit_the_site_and_the_crible_work_offline(
    deployments: Deployments, context: BrowserContext
) -> None:
    site = deployments.server
    deployments.deploy(deployments.first)
    recorder = Recorder(context)
    page = recorder.watch(context.new_page())
    page.goto(site.url + "crible/")
    wait_ready(page)
    name = deployments.cache_name(deployments.first)
    _wait_for_cache(page, name)
    manifest = deployments.manifest(deployments.first)
    assert sorted(_cached_urls(page, name)) == sorted(
        urljoin(site.url, entry["url"]) for entry in manifest["entries"]
    )

    with deployments.offline(page):
        _browse_offline(context, recorder, site.url)


def _browse_offline(context: BrowserContext, recorder: Recorder, url: str) -> None:
    offline_page = recorder.watch(context.new_page())
    offline_page.goto(url)
    assert "Crible" in offline_page.title()
    offline_page.goto(url + "regles/")
    assert offline_page.locator("#regle-7").count() == 1
    # A query the manifest does not name (a contact to re-evaluate) is the same page.
    _verdict_offline(offline_page, url + "crible/?contact=c-0")
    # Instant navigation (sitemap.xml, then the page fetched by script) works as well.
    offline_page.goto(url)
    offline_page.evaluate("window.__sameDocument = true")
    offline_page.locator('.md-content a[href$="crible/"]').first.click()
    offline_page.wait_for_url(re.compile(re.escape(url + "crible/") + "(#.*)?$"))
    wait_ready(offline_page)
    assert offline_page.evaluate("window.__sameDocument") is True
    assert offline_page.evaluate("window.__csp") == []
    assert recorder.console_errors == []


@pytest.mark.browser
def test_a_new_deployment_replaces_the_cache_and_the_engine(
    deployments: Deployments, context: BrowserContext
) -> None:
    site = deployments.server
    first, second = deployments.first, deployments.second
    deployments.deploy(first)
    page = context.new_page()
    page.goto(site.url + "crible/")
    wait_ready(page)
    _wait_for_cache(page, deployments.cache_name(first))

    deployments.deploy(second)
    served = len(site.requests.snapshot())
    # The next visit (a URL the HTTP cache has not seen, so that the page is the server's):
    # the navigation checks sw.js, and a new one installs, activates, cleans up.
    page.goto(site.url + "crible/?next-visit")
    wait_ready(page)
    new_cache = deployments.cache_name(second)
    assert new_cache != deployments.cache_name(first)
    _wait_for_cache(page, new_cache)
    cached = _cached_urls(page, new_cache)
    wheels = [url for url in cached if ".whl" in url]
    assert len(wheels) == 1
    assert "crible_scoring-0.1.1-py3-none-any.whl?v=" in wheels[0]
    # The runtime did not change: it was copied from the previous cache, not downloaded again.
    after = site.requests.snapshot()[served:]
    assert [path for path in after if "pyodide.asm" in path] == []

    recorded: list[str] = []
    with deployments.offline(page):
        offline_page = context.new_page()
        offline_page.on("request", lambda request: recorded.append(request.url))
        _verdict_offline(offline_page, site.url + "crible/")
        wheel = offline_page.get_attribute('meta[name="crible-engine"]', "data-engine-wheel") or ""
    assert "crible_scoring-0.1.1-py3-none-any.whl?v=" in wheel
    assert urljoin(site.url + "crible/", wheel) in recorded, "the new wheel, from the cache"
    assert not [url for url in recorded if "0.1.0" in url]


def _size_text(site_dir: Path) -> str:
    """The copy's size as the privacy page says it: the manifest's bytes, in megabytes."""
    size = sum(
        entry["size"] for entry in _embedded((site_dir / "sw.js").read_text("utf-8"))["entries"]
    )
    return f"environ {round(size / 1e6)}\u00a0Mo"


@pytest.mark.browser
def test_the_privacy_page_keeps_the_copy_on_request_and_nothing_outside_the_site(
    deployments: Deployments, context: BrowserContext
) -> None:
    """A reader who never used the crible asks for the copy: the page says there is none,
    offers it with its size, keeps it, says so; the service worker's scope is the site's."""
    site = deployments.server
    deployments.deploy(deployments.first)
    recorder = Recorder(context)
    page = recorder.watch(context.new_page())
    page.goto(site.url + "confidentialite/")
    size = _size_text(deployments.first)
    status = page.locator("[data-offline-choice] [data-offline-status]")
    button = page.locator("[data-offline-choice] [data-offline-keep]")
    page.wait_for_selector("[data-offline-choice][data-offline=none]")
    assert status.inner_text() == (
        "Aucune copie hors ligne n\u2019est gardée dans ce navigateur pour l\u2019instant. La "
        f"demander télécharge le site et son moteur de calcul, {size}."
    )
    assert button.inner_text() == f"Garder le site disponible hors ligne ({size})"
    assert page.evaluate("navigator.serviceWorker.getRegistration().then(Boolean)") is False
    button.click()
    page.wait_for_selector("[data-offline-choice][data-offline=kept]", timeout=ENGINE_TIMEOUT_MS)
    assert status.inner_text() == (
        f"Ce navigateur garde une copie hors ligne de cette version du site ({size})\u00a0: "
        "les pages et le crible fonctionnent sans réseau."
    )
    assert button.is_hidden()
    _wait_for_cache(page, deployments.cache_name(deployments.first))
    page.reload()
    page.wait_for_selector("[data-offline-choice][data-offline=kept]")
    scope = page.evaluate("navigator.serviceWorker.ready.then((r) => r.scope)")
    assert scope == site.url
    script = page.evaluate("navigator.serviceWorker.ready.then((r) => r.active.scriptURL)")
    assert script == site.url + offline.SERVICE_WORKER
    assert page.evaluate("window.__csp") == []
    assert recorder.console_errors == []


@pytest.mark.browser
def test_a_new_deployment_never_starts_from_the_previous_engine_snapshot(
    deployments: Deployments, context: BrowserContext
) -> None:
    """The engine's snapshot (worker.js) is keyed on the wheel's URL: after a deployment with
    another wheel, the first start is a normal one, with the new `scoring`; then it snapshots."""
    from test_snapshot import ready, wait_stored  # noqa: PLC0415 (the snapshot tests' helpers)

    site = deployments.server
    deployments.deploy(deployments.first)
    page = context.new_page()
    page.goto(site.url + "crible/")
    wait_ready(page)
    assert ready(page)["scoring"] == "0.1.0"
    wait_stored(page)
    page.close()
    again = context.new_page()
    again.goto(site.url + "crible/")
    wait_ready(again)
    assert ready(again)["start"] == {"path": "snapshot", "snapshot": "loaded"}

    deployments.deploy(deployments.second)
    new = again
    # As a visitor's next visit: the new page (a URL the HTTP cache has not seen), a new worker.
    new.goto(site.url + "crible/?next-visit")
    wait_ready(new)
    info = ready(new)
    assert info["start"] == {"path": "normal", "snapshot": "stale"}
    assert info["scoring"] == "0.1.1"
    fill(new, BEST, "gt1y")
    assert wait_result(new)["verdict"] == cli_result(BEST, "gt1y")["verdict"]
    assert "crible_scoring-0.1.1-py3-none-any.whl" in str(wait_stored(new)["key"])
