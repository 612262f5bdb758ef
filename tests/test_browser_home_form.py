"""The home page's first actions, the undo of « Effacer les réponses » and the printed sheet, in
real Chromium with real Pyodide (#15, items 6 and 7)."""

from __future__ import annotations

from typing import TYPE_CHECKING

import pytest
from browser_support import (
    ALL_IDS,
    BEST,
    ENGINE_TIMEOUT_MS,
    GROUPE,
    best,
    fill,
    wait_ready,
    wait_result,
)
from test_accessibility import SCHEMES, assert_accessible
from test_browser_flow import IN_VIEW

if TYPE_CHECKING:
    from collections.abc import Callable

    from playwright.sync_api import BrowserContext, Page, ViewportSize
    from site_support import SiteServer

pytestmark = pytest.mark.browser

PHONE: ViewportSize = {"width": 360, "height": 800}
DESKTOP: ViewportSize = {"width": 1366, "height": 900}


# --- Home ----------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "viewport", [pytest.param(PHONE, id="360x800"), pytest.param(DESKTOP, id="1366x900")]
)
def test_the_home_page_first_actions_are_in_view_without_scrolling(
    site: SiteServer, new_context: Callable[..., BrowserContext], viewport: ViewportSize
) -> None:
    page = new_context(viewport).new_page()
    page.goto(site.url)
    actions = page.locator(".crible-cta a.md-button")
    assert actions.all_text_contents() == ["Évaluer un contact", "Lire les dix règles"]
    hrefs = actions.evaluate_all("links => links.map((a) => a.href)")
    assert hrefs == [site.url + "crible/", site.url + "regles/"]
    assert page.evaluate("scrollY") == 0
    for which in ("crible", "regles"):
        assert page.evaluate(IN_VIEW, f'[data-cta="{which}"]'), which
    page.click('[data-cta="crible"]')
    page.wait_for_selector(".crible[data-questionnaire=contact]")
    assert page.url == site.url + "crible/"


# --- « Effacer les réponses » --------------------------------------------------------------------

_ANSWERS = """() => Object.fromEntries([...document.querySelectorAll(".crible form input")]
  .filter((i) => i.name).map((i) => [i.name + (i.type === "radio" ? "=" + i.value : ""),
                                     i.type === "radio" ? i.checked : i.value]))"""


@pytest.mark.parametrize(
    ("path", "answers"),
    [
        pytest.param("crible/", BEST, id="crible"),
        pytest.param("groupe/", best(GROUPE), id="groupe"),
    ],
)
def test_effacer_les_reponses_can_be_undone(
    site: SiteServer, new_context: Callable[..., BrowserContext], path: str, answers: dict[str, str]
) -> None:
    page = new_context(PHONE).new_page()
    page.goto(site.url + path)
    wait_ready(page)
    # Nothing typed: a reset clears nothing, so nothing is offered.
    page.click("[data-reset-answers]")
    assert page.locator("[data-undo-reset]").count() == 0

    page.fill("#crible-label", "Alice")
    fill(page, answers, "gt1y")
    page.fill("#crible-hours", "2,5")
    before = wait_result(page)
    filled = page.evaluate(_ANSWERS)
    assert sum(1 for value in filled.values() if value is True) == len(answers) + 1

    page.click("[data-reset-answers]")
    page.wait_for_selector("[data-undo-reset]")
    emptied = page.evaluate(_ANSWERS)
    assert (filled["label"], filled["hours"]) == ("Alice", "2,5")
    assert (emptied["label"], emptied["hours"]) == ("", "")
    assert not any(value is True for value in emptied.values())
    page.wait_for_selector("[data-result][aria-busy=false]:not([data-verdict])")
    status = page.locator("[data-reset-status]")
    assert status.text_content() == "Réponses effacées. Annuler l’effacement des réponses"
    assert page.inner_text("[data-undo-reset]").split("\n")[0] == "Annuler"
    assert page.get_attribute("[data-reset-status]", "role") == "status"
    assert_accessible(page, f"{path} answers erased, undo offered")

    page.click("[data-undo-reset]")
    after = wait_result(page)
    assert page.evaluate(_ANSWERS) == filled
    assert (after["verdict"], after["score"]) == (before["verdict"], before["score"])
    assert status.text_content() == "Réponses rétablies."
    assert page.evaluate("document.activeElement.hasAttribute('data-reset-answers')")

    # A new answer after a reset ends the offer: no undo over other answers.
    page.click("[data-reset-answers]")
    page.wait_for_selector("[data-undo-reset]")
    page.check(f'fieldset[data-item="{next(iter(answers))}"] input[value="unknown"]')
    assert page.locator("[data-undo-reset]").count() == 0
    assert status.text_content() == ""


# --- The printed sheet -------------------------------------------------------------------------

# What the screen shows and the sheet must not: notes about this browser, links to other pages
# of the site, buttons, the sticky summary (the result says the same) and the engine's state.
ON_SCREEN = [
    "[data-summary]",
    "[data-status]",
    ".crible__save",
    "[data-save-status] a",
    "[data-save-button]",
    "[data-reset-answers]",
]
SCREEN_ONLY = [*ON_SCREEN, "[data-print]", ".crible button"]


@pytest.mark.parametrize("theme", SCHEMES)
def test_the_printed_sheet_has_no_screen_only_notes_or_links(
    site: SiteServer, new_context: Callable[..., BrowserContext], theme: str
) -> None:
    page: Page = new_context(DESKTOP, theme).new_page()
    page.goto(site.url + "crible/")
    page.wait_for_selector(".crible[data-engine=ready]", timeout=ENGINE_TIMEOUT_MS)
    page.fill("#crible-label", "Alice")
    fill(page, BEST, "gt1y")
    wait_result(page)
    page.click("[data-save-button]")
    page.wait_for_selector("[data-save-status] a:has-text('Voir Mon réseau')")
    for selector in ON_SCREEN:
        assert page.locator(selector).first.is_visible(), selector  # on screen: there
    page.emulate_media(media="print")
    for selector in SCREEN_ONLY:
        visible = [n for n in page.locator(selector).all() if n.is_visible()]
        assert visible == [], selector
    printed = page.inner_text("body")
    assert "L’enregistrement garde" not in printed
    assert "Voir Mon réseau" not in printed
    assert "le verdict se met à jour à chaque réponse" not in printed
    # What the sheet is for: every criterion with its answer, the verdict and the paper rule.
    assert page.locator("fieldset[data-item]").count() == len(ALL_IDS)
    assert page.is_visible("[data-result] [data-badge]")
    assert page.is_visible("[data-paper]")
