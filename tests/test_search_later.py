"""Material's search on the pages that start the engine at once (search_later.py, search-later.js).

On those pages Material's search worker is search-later.js, which runs Material's own worker
once the engine has started or failed. Here: the rewriting of Material's configuration, exact,
and its refusals; in real Chromium, Material's worker is not even requested while the engine
is held back, and search answers once it is ready; on a page whose engine fails, search still
answers; the guide pages keep Material's worker as it is.
"""

from __future__ import annotations

import json
import re
import time
from typing import TYPE_CHECKING

import pytest
import search_later
from browser_support import BEST, ENGINE_TIMEOUT_MS, fill, wait_result

if TYPE_CHECKING:
    from pathlib import Path

    from playwright.sync_api import BrowserContext, Page, Route
    from site_support import SiteServer

MATERIAL_WORKER = re.compile(r"/assets/javascripts/workers/search\.[\w.]+\.js$")
CONFIG = re.compile(r'<script id="__config" type="application/json">(.*?)</script>', re.DOTALL)


def _search_setting(html: str) -> str:
    found = CONFIG.search(html)
    assert found is not None
    setting: str = json.loads(found[1])["search"]
    return setting


def test_the_engine_pages_point_materials_search_at_search_later(built_site: Path) -> None:
    worker = _search_setting((built_site / "regles/index.html").read_text("utf-8"))
    assert re.fullmatch(r"\.\./assets/javascripts/workers/search\.[0-9a-f]{8}\.min\.js", worker)
    name = worker.rsplit("/", 1)[1]
    later = f"../assets/javascripts/crible/search-later.js?worker=../workers/{name}"
    for page in ("crible", "apport", "groupe", "donner", "mon-reseau"):
        html = (built_site / page / "index.html").read_text("utf-8")
        assert _search_setting(html) == later, page
    for page in ("regles", "conformisme", "confidentialite"):
        html = (built_site / page / "index.html").read_text("utf-8")
        assert _search_setting(html) == worker, page
    assert (built_site / "assets/javascripts/crible/search-later.js").is_file()


def test_the_rewriting_keeps_everything_else_of_the_page() -> None:
    html = (
        '<p>avant</p><script id="__config" type="application/json">'
        '{"base": "..", "search": "../assets/javascripts/workers/search.1234abcd.min.js", '
        '"tags": null}</script><p>après</p>'
    )
    assert search_later.defer_search(html) == (
        '<p>avant</p><script id="__config" type="application/json">'
        '{"base": "..", "search": "../assets/javascripts/crible/search-later.js'
        '?worker=../workers/search.1234abcd.min.js", "tags": null}</script><p>après</p>'
    )


@pytest.mark.parametrize(
    ("html", "message"),
    [
        ("<p>pas de configuration</p>", "no Material configuration (script#__config) in the page"),
        (
            '<script id="__config" type="application/json">{"base": ".."}</script>',
            "unexpected search worker in Material's configuration: None",
        ),
        (
            '<script id="__config" type="application/json">{"search": "a\\/b.js"}</script>',
            "the search worker's URL is not written as plain JSON in Material's configuration",
        ),
    ],
)
def test_an_unexpected_configuration_is_refused_with_its_reason(html: str, message: str) -> None:
    with pytest.raises(search_later.SearchLaterError) as raised:
        search_later.defer_search(html)
    assert str(raised.value) == message


# No service worker: every request of the page and its workers reaches the route below.
CONTEXT_OPTIONS = {"service_workers": "block"}  # see conftest.context


def _search(page: Page, query: str) -> list[str]:
    # Typed, as a visitor does: Material searches on the keys, not on a value set at once.
    page.click("input.md-search__input")
    page.keyboard.type(query)
    page.wait_for_selector(".md-search-result__item", timeout=ENGINE_TIMEOUT_MS)
    return page.locator(".md-search-result__item h1").all_inner_texts()


@pytest.mark.browser
def test_materials_worker_runs_only_once_the_engine_is_ready(
    site: SiteServer, context: BrowserContext
) -> None:
    seen = len(site.requests.snapshot())
    before_release: list[str] = []

    def hold(route: Route) -> None:
        # The engine cannot be ready before its wheel arrives: held until the page has set
        # up its search (the index fetched, search-later.js started) and a second more. The
        # server's log, not the browser's events: those wait while this handler runs.
        deadline = time.monotonic() + 10
        while time.monotonic() < deadline and not any(
            "search_index.json" in path for path in site.requests.snapshot()[seen:]
        ):
            time.sleep(0.05)
        time.sleep(1)
        before_release.extend(site.requests.snapshot()[seen:])
        route.continue_()

    context.route("**/assets/engine/*.whl*", hold)
    page = context.new_page()
    page.goto(site.url + "crible/")
    fill(page, BEST, "gt1y")
    wait_result(page)
    assert any("search_index.json" in path for path in before_release)
    assert any("search-later.js?worker=" in path for path in before_release)
    assert not any(MATERIAL_WORKER.search(path.split("?")[0]) for path in before_release)
    assert any(MATERIAL_WORKER.search(path) for path in site.requests.snapshot()[seen:])
    assert "Le piège du conformisme" in _search(page, "conformisme")


@pytest.mark.browser
def test_search_answers_on_a_page_whose_engine_failed(
    site: SiteServer, context: BrowserContext
) -> None:
    page = context.new_page()
    page.goto(site.at("crible-missing-runtime") + "crible/")
    page.wait_for_selector(".crible[data-engine=error]", timeout=ENGINE_TIMEOUT_MS)
    assert "Le piège du conformisme" in _search(page, "conformisme")
