"""The engine on intent (intent.js, page.js, sw-template.js), in real Chromium.

Each test starts a fresh persistent profile (`launch_persistent_context` on a temporary
directory: an HTTP cache on disk, as a visitor's browser has), against the session's server,
which serves the built site under /crible/ with GitHub Pages' gzip, ETag and max-age. What the
tests count is what the server answered (a 200 is a full transfer, a 304 a revalidation): the
service worker's requests are in it, as the page's and the engine worker's.
"""

from __future__ import annotations

import re
import time
from collections import Counter
from typing import TYPE_CHECKING, Any

import offline
import pytest
from browser_support import (
    BEST,
    cli_result,
    closing_all,
    fill,
    first_page,
    wait_ready,
    wait_result,
)
from conftest import CHROMIUM, CHROMIUM_ARGS, DEFAULT_CONTEXT
from site_support import SUB_PATH
from test_offline import _embedded, _wait_for_cache

if TYPE_CHECKING:
    from collections.abc import Callable, Iterator
    from pathlib import Path

    from playwright.sync_api import BrowserContext, Page, Playwright
    from site_support import SiteServer

pytestmark = pytest.mark.browser

# The engine's files: the runtime, the wheel, and the worker that loads them.
ENGINE = re.compile(
    rf"^/{SUB_PATH}/(assets/pyodide/|assets/engine/|assets/javascripts/crible/worker\.js)"
)
# The modules of the questionnaires and of Mon réseau, imported only where they are used.
PAGE_MODULES = re.compile(
    rf"^/{SUB_PATH}/assets/javascripts/crible/(form|network|reseau-[a-z]+)\.js"
)
CRIBLE_LINK = '.md-content a[href$="crible/"]'
OURS = f"/{SUB_PATH}/assets/javascripts/crible/"  # our scripts
# The idle pre-load this replaces ran when the browser was idle, at most 3 s after the page's
# scripts (requestIdleCallback's timeout), and the service worker after it: a reader who waits
# this long after the page's load covers that trigger with a margin, in a fraction of the
# issue's 30 s (tests/test_intent.py runs several readers; bench/plain.py measures 30 s).
IDLE_MS = 8000


@pytest.fixture
def launch(
    playwright_instance: Playwright, tmp_path: Path
) -> Iterator[Callable[..., BrowserContext]]:
    """Chromium on a persistent profile in `tmp_path` (the same one at each call: a repeat
    visit), with the tests' flags; closed after the test."""

    def open_profile(**options: Any) -> BrowserContext:
        return playwright_instance.chromium.launch_persistent_context(
            str(tmp_path / "profile"),
            executable_path=CHROMIUM,
            headless=True,
            args=CHROMIUM_ARGS,
            **{**DEFAULT_CONTEXT, **options},
        )

    with closing_all(open_profile) as opener:
        yield opener


def _engine_answers(site: SiteServer, since: int) -> list[tuple[str, int]]:
    """(file, status) of the engine's requests answered since `since`, query left out."""
    return [
        (path.split("?")[0].rsplit("/", 1)[1], status)
        for path, status in site.requests.statuses()[since:]
        if ENGINE.match(path)
    ]


def _wait_for(site: SiteServer, since: int, name: str, seconds: float = 10) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if any(file == name for file, _ in _engine_answers(site, since)):
            return
        time.sleep(0.05)
    msg = f"{name} was not requested within {seconds} s"
    raise AssertionError(msg)


def _registered(page: Page) -> bool:
    return bool(page.evaluate("navigator.serviceWorker.getRegistration().then(Boolean)"))


def test_a_reader_of_the_rules_requests_no_engine_file(
    launch: Callable[..., BrowserContext], site: SiteServer
) -> None:
    since = len(site.requests.statuses())
    page = first_page(launch())
    page.goto(site.url + "regles/", wait_until="load")
    assert page.evaluate("typeof window.cribleStart.startWorker") == "function"  # ours
    page.wait_for_timeout(IDLE_MS)
    answered = site.requests.statuses()[since:]
    assert [path for path, _ in answered if ENGINE.match(path)] == []
    assert [path for path, _ in answered if PAGE_MODULES.match(path)] == []
    # Our scripts ran, and only the two that watch for intent: not engine.js, not offline.js.
    ours = [path.rsplit("/", 1)[1] for path, _ in answered if path.startswith(OURS)]
    assert sorted(ours) == ["intent.js", "page.js"]
    assert not _registered(page)  # and no offline copy either


def _cache_name(built_site: Path) -> tuple[str, int]:
    """The name of this version's offline cache, and how many files it keeps."""
    manifest = _embedded((built_site / offline.SERVICE_WORKER).read_text(encoding="utf-8"))
    name = f"{offline.CACHE_PREFIX}:/{SUB_PATH}/:{manifest['version']}"
    return name, len(manifest["entries"])


def _cached(page: Page, name: str) -> int:
    return int(
        page.evaluate("async (name) => (await (await caches.open(name)).keys()).length", name)
    )


def test_hovering_the_crible_link_then_clicking_gives_a_verdict(
    launch: Callable[..., BrowserContext], site: SiteServer, built_site: Path
) -> None:
    """The engine started on the guide page is the crible's; with the offline copy kept once
    it has run, each of its files was requested once in all."""
    page = first_page(launch())
    page.goto(site.url + "regles/", wait_until="load")
    page.wait_for_timeout(1000)
    since = len(site.requests.statuses())
    page.evaluate("window.__sameDocument = true")
    page.hover(CRIBLE_LINK)
    _wait_for(site, since, "worker.js")  # the hover started the engine
    page.wait_for_timeout(300)
    page.click(CRIBLE_LINK)
    page.wait_for_url(re.compile(re.escape(site.url + "crible/") + "(#.*)?$"))
    wait_ready(page)
    assert page.evaluate("window.__sameDocument") is True  # Material's instant navigation
    fill(page, BEST, "gt1y")
    shown, expected = wait_result(page), cli_result(BEST, "gt1y")
    assert (shown["verdict"], shown["score"]) == (expected["verdict"], str(expected["score"]))
    cache, files = _cache_name(built_site)
    _wait_for_cache(page, cache)
    assert _cached(page, cache) == files
    assert _requests(_engine_answers(site, since)) == ENGINE_FILES


def _requests(answers: list[tuple[str, int]]) -> Counter[str]:
    """How many times each engine file was asked for: full transfers (200) and revalidations
    (304) alike; nothing else is an acceptable answer."""
    assert {status for _, status in answers} <= {200, 304}, answers
    return Counter(file for file, _ in answers)


def _full_transfers(answers: list[tuple[str, int]]) -> Counter[str]:
    assert {status for _, status in answers} <= {200, 304}, answers
    return Counter(file for file, status in answers if status == 200)


def _verdict(page: Page, url: str) -> None:
    page.goto(url)
    wait_ready(page)
    fill(page, BEST, "gt1y")
    assert wait_result(page)["verdict"] == cli_result(BEST, "gt1y")["verdict"]


# Each file of the engine, once: the runtime, the wheel, and the worker that loads them, all
# under URLs that name their version (worker.js too: the page's settings travel in the
# fragment, start.js), so that the offline copy takes them from the HTTP cache.
ENGINE_FILES = {
    "pyodide.mjs": 1,
    "pyodide.asm.mjs": 1,
    "pyodide.asm.wasm": 1,
    "pyodide-lock.json": 1,
    "python_stdlib.zip": 1,
    "crible_scoring-0.1.0-py3-none-any.whl": 1,
    "worker.js": 1,
}


def test_each_engine_file_is_requested_once_for_the_engine_and_the_offline_copy(
    launch: Callable[..., BrowserContext], site: SiteServer, built_site: Path
) -> None:
    cache, files = _cache_name(built_site)
    since = len(site.requests.statuses())
    context = launch()
    page = first_page(context)
    _verdict(page, site.url + "crible/")
    _wait_for_cache(page, cache)  # the offline copy, kept once the engine has run
    assert _cached(page, cache) == files
    # One request each, all of them full transfers: the engine's; the copy asked for none.
    first = _engine_answers(site, since)
    assert _requests(first) == ENGINE_FILES
    assert _full_transfers(first) == ENGINE_FILES
    context.close()

    # The repeat visit: the same profile, the browser reopened. The offline copy answers for
    # the versioned files; at most a revalidation of each, never a second full transfer.
    since = len(site.requests.statuses())
    page = first_page(launch())
    _verdict(page, site.url + "crible/")
    page.wait_for_timeout(2000)  # time for a late request to show
    again = _engine_answers(site, since)
    assert _full_transfers(again) == {}
    assert all(count == 1 for count in _requests(again).values()), again


def test_a_visitor_saving_data_gets_the_engine_only_on_a_questionnaire(
    launch: Callable[..., BrowserContext], site: SiteServer
) -> None:
    """The browser's own data saver (DevTools' override of navigator.connection.saveData, as
    the browser's setting sets it), with the `Save-Data: on` header it sends along."""
    context = launch(extra_http_headers={"Save-Data": "on"})
    page = first_page(context)
    context.new_cdp_session(page).send("Emulation.setDataSaverOverride", {"dataSaverEnabled": True})
    since = len(site.requests.statuses())
    page.goto(site.url + "regles/", wait_until="load")
    assert page.evaluate("navigator.connection.saveData") is True
    page.hover(CRIBLE_LINK)
    page.wait_for_timeout(1000)
    page.focus(CRIBLE_LINK)
    page.wait_for_timeout(1000)
    page.dispatch_event(CRIBLE_LINK, "touchstart")
    page.wait_for_timeout(IDLE_MS)
    assert _engine_answers(site, since) == []
    page.click(CRIBLE_LINK)
    page.wait_for_url(re.compile(re.escape(site.url + "crible/") + "(#.*)?$"))
    wait_ready(page)
    fill(page, BEST, "gt1y")
    assert wait_result(page)["verdict"] == cli_result(BEST, "gt1y")["verdict"]
    assert _requests(_engine_answers(site, since)) == ENGINE_FILES
    page.wait_for_timeout(4000)  # past the idle moment when the copy would be registered
    assert not _registered(page)


def test_the_engine_waits_for_the_pointer_to_rest(
    launch: Callable[..., BrowserContext], site: SiteServer
) -> None:
    """A pointer that crosses the link on its way elsewhere is not an intent."""
    page = first_page(launch())
    page.goto(site.url + "regles/", wait_until="load")
    box = page.locator(CRIBLE_LINK).first.bounding_box()
    assert box is not None
    since = len(site.requests.statuses())
    y = box["y"] + box["height"] / 2
    page.mouse.move(box["x"] - 50, y)
    page.mouse.move(box["x"] + box["width"] + 50, y, steps=3)  # across, without resting
    page.mouse.move(0, 0)
    page.wait_for_timeout(2000)
    assert _engine_answers(site, since) == []


def test_intent_on_a_page_whose_engine_runs_starts_no_second_worker(
    launch: Callable[..., BrowserContext], site: SiteServer
) -> None:
    """start.js's startEarly (the worker born at the intent, before engine.js arrives) adds
    none where the page already started one: the questionnaire's link to Mon réseau."""
    page = first_page(launch())
    since = len(site.requests.statuses())
    _verdict(page, site.url + "crible/")
    link = '.md-nav a[href$="mon-reseau/"]'
    page.hover(link)
    page.wait_for_timeout(1000)
    page.dispatch_event(link, "pointerdown")
    page.wait_for_timeout(1000)
    assert page.evaluate("window.cribleStart.takeEarly()") is None
    assert _requests(_engine_answers(site, since))["worker.js"] == 1
