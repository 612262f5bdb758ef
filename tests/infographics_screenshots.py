"""Screenshots of the three infographics as the pages show them, for reviewers (not a test).

    .venv/bin/python tests/infographics_screenshots.py FOLDER

Builds the site, serves it on loopback, and writes into FOLDER, at 360 × 800 and 1366 × 900, in
the light and the dark theme, each infographic as it appears in its page (the variant the
browser picked, at its rendered size), and the screen where it starts.
"""

from __future__ import annotations

import sys
import tempfile
from pathlib import Path

from conftest import CHROMIUM, CHROMIUM_ARGS
from site_support import SUB_PATH, SiteServer, build_site, free_port
from test_browser_infographics import LOADED, PAGES, SCREENS


def main(folder: Path) -> None:
    from playwright.sync_api import sync_playwright  # noqa: PLC0415 (a browser script)

    folder.mkdir(parents=True, exist_ok=True)
    port = free_port()
    with tempfile.TemporaryDirectory() as built:
        build_site(Path(built), f"http://127.0.0.1:{port}/{SUB_PATH}/")
        with SiteServer(Path(built), port) as site, sync_playwright() as playwright:
            browser = playwright.chromium.launch(
                executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS
            )
            for screen, viewport in SCREENS.items():
                for theme in ("light", "dark"):
                    context = browser.new_context(
                        locale="fr-FR", viewport=viewport, color_scheme=theme
                    )
                    page = context.new_page()
                    for path, figure in PAGES.items():
                        page.goto(site.url + path)
                        page.wait_for_function(LOADED)
                        name = f"{screen}-{theme}-{figure}"
                        image = page.locator(".crible-infographic img >> visible=true")
                        image.screenshot(path=folder / f"{name}.png")
                        image.scroll_into_view_if_needed()
                        page.screenshot(path=folder / f"{name}-page.png")
                    context.close()
            browser.close()
    print(f"Captures écrites dans {folder}")


if __name__ == "__main__":
    if len(sys.argv) != 2:
        sys.exit("Usage\u00a0: python tests/infographics_screenshots.py DOSSIER")
    main(Path(sys.argv[1]))
