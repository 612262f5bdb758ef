"""The infographics as Chromium shows them on the built site, at 360 × 800 and 1366 × 900, in
the light and the dark scheme (figure_embed.py, crible.css).

For each figure the browser picks one variant (``img.currentSrc``): narrow on the phone, wide on
the desktop, dark when Material's scheme is ``slate`` (set by the system's preference or by the
palette toggle), light in print. Its smallest text, font size × rendered width / viewBox width,
is 11 CSS px or more; the zoom link opens the same scheme's variant; the phone's page does not
scroll sideways.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import pytest

if TYPE_CHECKING:
    from playwright.sync_api import Browser, Page, ViewportSize
    from site_support import SiteServer

PAGES = {
    "regles/": "dix-regles",
    "gagnant-gagnant/": "gagnant-gagnant",
    "valeur-du-reseau/": "valeur-du-reseau",
}
SCREENS: dict[str, ViewportSize] = {
    "360": {"width": 360, "height": 800},
    "1366": {"width": 1366, "height": 900},
}
SMALLEST_PX = 11

# Every infographic of the page: how many of its images show, and for the one that shows, the
# file the browser picked, its rendered width, the SVG's viewBox width and smallest font size
# (read from the file itself), and where its zoom link points.
SHOWN = """async () => {
  const figures = [];
  for (const figure of document.querySelectorAll(".crible-infographic")) {
    const shown = [...figure.querySelectorAll("img")].filter(
      (img) => img.getBoundingClientRect().width > 0);
    const img = shown[0];
    const svg = new DOMParser().parseFromString(
      await (await fetch(img.currentSrc)).text(), "image/svg+xml");
    const sizes = [...svg.querySelectorAll("text")].map((t) => Number(t.getAttribute("font-size")));
    figures.push({
      shown: shown.length,
      file: img.currentSrc.split("/").pop(),
      width: img.getBoundingClientRect().width,
      viewBox: Number(svg.documentElement.getAttribute("viewBox").split(" ")[2]),
      smallest: Math.min(...sizes),
      zoom: img.closest("a").href.split("/").pop(),
    });
  }
  return figures;
}"""
LOADED = "[...document.querySelectorAll('.crible-infographic img')].every((img) => img.complete)"


def open_page(browser: Browser, site: SiteServer, path: str, screen: str, scheme: str) -> Page:
    context = browser.new_context(
        locale="fr-FR",
        viewport=SCREENS[screen],
        color_scheme=scheme,  # type: ignore[arg-type]
    )
    page = context.new_page()
    page.goto(site.url + path)
    page.wait_for_function(LOADED)
    return page


def shown(page: Page) -> list[dict[str, Any]]:
    figures: list[dict[str, Any]] = page.evaluate(SHOWN)
    return figures


def rendered_px(figure: dict[str, Any]) -> float:
    return float(figure["smallest"] * figure["width"] / figure["viewBox"])


@pytest.mark.parametrize("scheme", ["light", "dark"])
@pytest.mark.parametrize("screen", list(SCREENS))
def test_the_picked_variant_reads_at_11_px_or_more(
    browser: Browser, site: SiteServer, screen: str, scheme: str
) -> None:
    suffix = ("-etroit" if screen == "360" else "") + ("-sombre" if scheme == "dark" else "")
    for path, figure in PAGES.items():
        page = open_page(browser, site, path, screen, scheme)
        body_scheme = page.evaluate("document.body.dataset.mdColorScheme")
        assert body_scheme == ("slate" if scheme == "dark" else "default")
        (found,) = shown(page)
        assert found["shown"] == 1
        assert found["file"] == f"{figure}{suffix}.svg"
        # The zoom opens the wide variant of the same scheme.
        assert found["zoom"] == f"{figure}{'-sombre' if scheme == 'dark' else ''}.svg"
        assert found["viewBox"] == (360 if screen == "360" else 960)
        assert found["width"] == (328 if screen == "360" else 688)
        assert rendered_px(found) >= SMALLEST_PX, (path, found)
        if screen == "360":
            assert page.evaluate("document.documentElement.scrollWidth") == 360
        page.context.close()


def test_the_palette_toggle_switches_the_variant(browser: Browser, site: SiteServer) -> None:
    """Material's toggle is manual: the dark variant follows the body's attribute, not the
    system's preference."""
    page = open_page(browser, site, "gagnant-gagnant/", "360", "light")
    assert shown(page)[0]["file"] == "gagnant-gagnant-etroit.svg"
    # The toggle's labels point at the palette to switch to (Material moves their titles into
    # tooltips once hovered, so they are found by their `for`).
    page.locator('label[for="__palette_1"]').click()
    page.wait_for_function("document.body.dataset.mdColorScheme === 'slate'")
    page.wait_for_function(LOADED)
    (found,) = shown(page)
    assert (found["shown"], found["file"], found["zoom"]) == (
        1,
        "gagnant-gagnant-etroit-sombre.svg",
        "gagnant-gagnant-sombre.svg",
    )
    # The dark figure's background is the page's own (figure_palette.DARK["fond"], #1e2129).
    background = page.evaluate("getComputedStyle(document.body).backgroundColor")
    assert background == "rgb(30, 33, 41)"
    page.locator('label[for="__palette_0"]').click()
    page.wait_for_function("document.body.dataset.mdColorScheme === 'default'")
    assert shown(page)[0]["file"] == "gagnant-gagnant-etroit.svg"
    page.context.close()


@pytest.mark.parametrize("screen", list(SCREENS))
def test_print_is_light_in_the_dark_scheme(browser: Browser, site: SiteServer, screen: str) -> None:
    page = open_page(browser, site, "valeur-du-reseau/", screen, "dark")
    assert shown(page)[0]["file"].endswith("-sombre.svg")
    page.emulate_media(media="print")
    page.wait_for_function(LOADED)
    (found,) = shown(page)
    assert found["shown"] == 1
    assert "-sombre" not in found["file"]
    assert found["file"].startswith("valeur-du-reseau")
    page.context.close()


def test_the_zoom_shows_the_dark_variant_alone(browser: Browser, site: SiteServer) -> None:
    page = open_page(browser, site, "regles/", "1366", "dark")
    page.click("a.glightbox >> visible=true")
    slide = page.wait_for_selector(".glightbox-container .gslide-image img")
    assert slide is not None
    assert (slide.get_attribute("src") or "").endswith("/assets/infographics/dix-regles-sombre.svg")
    # Alone in its gallery: the light variant is not the next slide.
    assert page.locator(".glightbox-container .gslide").count() == 1
    page.context.close()
