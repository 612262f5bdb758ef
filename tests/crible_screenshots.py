"""Screenshots of the crible's states, for reviewers (not a test).

    .venv/bin/python tests/crible_screenshots.py FOLDER

Builds the site, serves it on loopback, and writes into FOLDER, at 360 × 800 and 1366 × 900, in
the light and the dark theme: the engine loading, ready with no answer, three answers, the
last answer (as the visitor sees it, not scrolled by the script), the whole result, the offer
to undo « Effacer les réponses », and a start-up failure (the WebAssembly download refused)
with the paper crible; the home page as it opens; Mon réseau with two saved contacts (the whole
page) and its erase dialog; Mon réseau with nothing stored.
"""

from __future__ import annotations

import sys
import tempfile
from pathlib import Path
from typing import TYPE_CHECKING

from browser_support import ALL_IDS, ARCHIVE_KEY, WORST
from conftest import CHROMIUM, CHROMIUM_ARGS
from site_support import SUB_PATH, SiteServer, build_site, free_port
from test_browser_reseau_layout import TWO

if TYPE_CHECKING:
    from playwright.sync_api import Browser, ViewportSize

SCREENS: dict[str, ViewportSize] = {
    "360": {"width": 360, "height": 800},
    "1366": {"width": 1366, "height": 900},
}
TIMEOUT_MS = 60000


def shoot(browser: Browser, site: SiteServer, folder: Path, screen: str, theme: str) -> None:
    name = f"{screen}-{theme}"
    context = browser.new_context(
        locale="fr-FR",
        viewport=SCREENS[screen],
        color_scheme="dark" if theme == "dark" else "light",
    )
    page = context.new_page()
    page.goto(site.url + "crible/", wait_until="domcontentloaded")
    page.screenshot(path=folder / f"{name}-1-loading.png")
    page.wait_for_selector(".crible[data-engine=ready]", timeout=TIMEOUT_MS)
    page.locator("#crible-label").scroll_into_view_if_needed()
    page.screenshot(path=folder / f"{name}-2-no-answer.png")
    for index, item in enumerate(ALL_IDS, start=1):
        page.check(f'fieldset[data-item="{item}"] input[value="{WORST[item]}"]')
        page.wait_for_selector("[data-result][aria-busy=false]")
        if index == 3:
            page.screenshot(path=folder / f"{name}-3-three-answers.png")
    page.screenshot(path=folder / f"{name}-4-last-answer.png")
    page.locator("[data-result]").screenshot(path=folder / f"{name}-5-result.png")
    page.click("[data-reset-answers]")
    page.wait_for_selector("[data-undo-reset]")
    page.screenshot(path=folder / f"{name}-5b-answers-erased.png")

    page.goto(site.url)
    page.screenshot(path=folder / f"{name}-7-home.png")
    page.goto(site.url + "mon-reseau/")
    page.wait_for_selector(
        ".reseau[data-engine=ready] [data-empty]:not([hidden])", timeout=TIMEOUT_MS
    )
    page.screenshot(path=folder / f"{name}-8-reseau-empty.png", full_page=True)
    page.evaluate("([key, text]) => localStorage.setItem(key, text)", [ARCHIVE_KEY, TWO])
    page.reload()
    page.wait_for_selector(
        ".reseau[data-engine=ready] [data-overview]:not([hidden])", timeout=TIMEOUT_MS
    )
    page.screenshot(path=folder / f"{name}-9-reseau-two.png", full_page=True)
    page.click("[data-erase]")
    page.wait_for_selector("[data-erase-dialog][open]")
    page.screenshot(path=folder / f"{name}-10-reseau-erase.png")
    context.close()

    context = browser.new_context(locale="fr-FR", viewport=SCREENS[screen], color_scheme="light")
    context.route("**/pyodide.asm.wasm*", lambda route: route.abort())
    page = context.new_page()
    page.goto(site.url + "crible/")
    page.check(f'fieldset[data-item="{ALL_IDS[0]}"] input[value="yes"]')
    page.wait_for_selector(".crible[data-engine=error]", timeout=TIMEOUT_MS)
    page.screenshot(path=folder / f"{screen}-6-error.png", full_page=True)
    context.close()


def main(folder: Path) -> None:
    from playwright.sync_api import sync_playwright  # noqa: PLC0415 (a browser script)

    folder.mkdir(parents=True, exist_ok=True)
    port = free_port()
    with tempfile.TemporaryDirectory() as built:
        build_site(Path(built), f"http://127.0.0.1:{port}/{SUB_PATH}/", timeout_ms=TIMEOUT_MS)
        with SiteServer(Path(built), port) as site, sync_playwright() as playwright:
            browser = playwright.chromium.launch(
                executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS
            )
            for screen in SCREENS:
                for theme in ("light", "dark"):
                    shoot(browser, site, folder, screen, theme)
            browser.close()
    print(f"Captures écrites dans {folder}")


if __name__ == "__main__":
    if len(sys.argv) != 2:
        sys.exit("Usage\u00a0: python tests/crible_screenshots.py DOSSIER")
    main(Path(sys.argv[1]))
