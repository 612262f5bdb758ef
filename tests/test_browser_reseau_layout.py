"""Mon réseau as a visitor sees it, in real Chromium with real Pyodide: it fits a phone, it
names each verdict with the definition's words everywhere, its empty states say one sentence,
and erasing everything asks first (#15, item 6).

The archives are written by scoring (`record`), the way the pages write them, then put in
localStorage as a returning visitor would have them.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import TYPE_CHECKING, Any

import pytest
from browser_support import (
    ARCHIVE_KEY,
    CONTACT,
    DONNE,
    ENGINE_TIMEOUT_MS,
    best,
    dialogs_of,
    network_archive,
    record,
    stored,
    summary_of,
    worst,
)
from test_accessibility import SCHEMES, assert_accessible

if TYPE_CHECKING:
    from collections.abc import Callable

    from playwright.sync_api import BrowserContext, Page, ViewportSize
    from site_support import SiteServer

pytestmark = pytest.mark.browser

PHONE: ViewportSize = {"width": 360, "height": 800}
NARROW: ViewportSize = {"width": 700, "height": 900}
DESKTOP: ViewportSize = {"width": 1366, "height": 900}
MIN_TEXT_PX = 11  # the smallest text a chart may show, as rendered
CARDS_BELOW = 700  # px of viewport: the contacts as cards below, a table from there on
SCREENS = [
    pytest.param(PHONE, id="360"),
    pytest.param(NARROW, id="700"),
    pytest.param(DESKTOP, id="1366"),
]

# Four positive criteria answered "yes", nothing against: +4, "À entretenir" (the verdict the
# issue saw filed under "À surveiller" in « Que faire maintenant ? »).
POSITIVES = [item.id for item in CONTACT.items if item.sign == "+"]
FAIR = {item.id: "no" for item in CONTACT.items} | dict.fromkeys(POSITIVES[:4], "yes")


def _iso(days_ago: int) -> str:
    now = datetime.now(UTC).replace(microsecond=0)
    return (now - timedelta(days=days_ago)).isoformat().replace("+00:00", "Z")


def archive_of(people: list[tuple[str, str, dict[str, str], dict[str, str] | None]]) -> str:
    """An archive of contacts (id, label, crible answers, what-you-give answers or None)."""
    archive = ""
    for serial, (ident, label, answers, given) in enumerate(people):
        sides = [("contact", answers)] + ([("donne", given)] if given else [])
        for side, (questionnaire, chosen) in enumerate(sides):
            evaluation: dict[str, Any] = {
                "id": f"e-{serial:04d}{side}",
                "date": _iso(serial + 1),
                "questionnaire": questionnaire,
                "answers": chosen,
                "context": {"duration": "gt1y"},
            }
            contact = {"id": ident, "label": label, "kind": "contact"}
            archive = record(archive, contact, evaluation)
    return archive


# Two contacts, one side each: nobody on the win-win map yet.
TWO = archive_of(
    [
        ("c-000a11ce", "Alice", FAIR, None),
        ("c-000b0b00", "Bruno", worst(CONTACT), None),
    ]
)

# Thirty contacts, long labels among them (80 characters, the limit, and one long word), half
# of them with both sides evaluated: every part of the page has something to lay out.
LONG = "Marie-Charlotte de La Rochefoucauld-Liancourt, ancienne collègue du laboratoire"
WORD = "Anticonstitutionnellement-Intergouvernementalisation"
PROFILES = [best(CONTACT), FAIR, {"available": "yes", "feel-empty": "yes"}, worst(CONTACT)]
THIRTY = archive_of(
    [
        (
            f"c-{n:08x}",
            LONG if n == 0 else WORD if n == 1 else f"Contact numéro {n + 1}",
            PROFILES[n % 4],
            (best(DONNE) if n % 3 else worst(DONNE)) if n % 2 == 0 else None,
        )
        for n in range(30)
    ]
)
ARCHIVES = [pytest.param(TWO, id="2-entries"), pytest.param(THIRTY, id="30-entries")]


def open_with(context: BrowserContext, site: SiteServer, archive: str | None) -> Page:
    """Mon réseau, ready, with `archive` stored beforehand (None: nothing stored)."""
    page = context.new_page()
    page.goto(site.url)
    if archive is not None:
        page.evaluate("([key, text]) => localStorage.setItem(key, text)", [ARCHIVE_KEY, archive])
    page.goto(site.url + "mon-reseau/")
    page.wait_for_selector(".reseau[data-engine=ready]", timeout=ENGINE_TIMEOUT_MS)
    return page


# Every table shown inside Mon réseau: its width, the width of the page's column, and how far
# its own content reaches (a table that scrolls sideways inside Material's wrapper is still
# wider than its column).
_LAYOUT = """() => {
  const column = document.querySelector(".reseau").getBoundingClientRect().width;
  const tables = [...document.querySelectorAll(".reseau table")]
    .filter((t) => t.getClientRects().length > 0)
    .map((t) => ({
      name: [...t.attributes].map((a) => a.name).find((n) => n.startsWith("data-")) ?? "",
      width: t.getBoundingClientRect().width,
      content: Math.max(t.scrollWidth, ...[...t.querySelectorAll("th, td")]
        .map((c) => c.getBoundingClientRect().right - t.getBoundingClientRect().left)),
      wrapper: t.closest(".md-typeset__scrollwrap")?.scrollWidth
        - t.closest(".md-typeset__scrollwrap")?.clientWidth,
    }));
  // The smallest text of each chart as rendered: its font size scaled by the drawing's width.
  const texts = [...document.querySelectorAll(".reseau svg text")]
    .filter((t) => t.getClientRects().length > 0)
    .map((t) => {
      const chart = t.ownerSVGElement;
      const scale = chart.getBoundingClientRect().width / chart.viewBox.baseVal.width;
      return {text: t.textContent, px: parseFloat(getComputedStyle(t).fontSize) * scale};
    });
  const smallest = texts.reduce((a, b) => (b.px < a.px ? b : a), {text: "", px: Infinity});
  // What sticks out, if anything: named in the failure's message.
  const wide = [...document.querySelectorAll("body *")]
    .filter((e) => e.getClientRects().length > 0
      && e.getBoundingClientRect().right > innerWidth + 0.5)
    .slice(-4)
    .map((e) => `${e.tagName.toLowerCase()}.${e.getAttribute("class") ?? ""} in `
      + (e.closest("table, svg")?.outerHTML.slice(0, 120) ?? ""));
  return {scroll: document.documentElement.scrollWidth, inner: innerWidth, column, tables,
          smallest, charts: texts.length, wide};
}"""


@pytest.mark.parametrize("archive", ARCHIVES)
@pytest.mark.parametrize("viewport", SCREENS)
def test_mon_reseau_fits_its_column_at_every_width(
    site: SiteServer,
    new_context: Callable[..., BrowserContext],
    viewport: ViewportSize,
    archive: str,
) -> None:
    page = open_with(new_context(viewport), site, archive)
    page.wait_for_selector("[data-overview]:not([hidden])")
    for summary in page.locator("details[data-contact] summary").all():
        summary.click()  # every history open: its chart, its buttons, the rename field
    layout = page.evaluate(_LAYOUT)
    assert layout["scroll"] <= layout["inner"], layout["wide"]
    assert layout["charts"] > 0
    assert layout["smallest"]["px"] >= MIN_TEXT_PX, layout["smallest"]
    map_table = {"data-map-table"} if archive == THIRTY else set()
    expected = {"data-table", "data-quarters"} | map_table
    assert {t["name"] for t in layout["tables"]} == expected
    for table in layout["tables"]:
        assert table["width"] <= layout["column"] + 0.5, table
        assert table["content"] <= table["width"] + 0.5, table
        assert table["wrapper"] <= 0, table  # nothing to scroll sideways
    # Cards below 700 px: each contact a block of its own, its values named; a table above.
    display = page.eval_on_selector("[data-table] tbody tr", "r => getComputedStyle(r).display")
    cards = viewport["width"] < CARDS_BELOW
    assert display == ("block" if cards else "table-row")
    if cards:
        named = page.eval_on_selector_all(
            "[data-table] tbody tr:first-child td",
            "cells => cells.map(c => getComputedStyle(c, '::before').content)",
        )
        assert named[:3] == ['"Verdict" / ""', '"Bilan" / ""', '"Ce que vous donnez" / ""']
        # No column to head: the sort buttons are chips, outlined, a finger's height each.
        chips = page.eval_on_selector_all(
            "[data-table] thead th button",
            "buttons => buttons.map(b => [b.textContent, getComputedStyle(b).borderTopStyle,"
            " b.getBoundingClientRect().height >= 44])",
        )
        assert [style for _, style, _ in chips] == ["solid"] * len(chips), chips
        assert all(tall for _, _, tall in chips), chips


@pytest.mark.parametrize(
    "viewport", [pytest.param(PHONE, id="360"), pytest.param(DESKTOP, id="1366")]
)
def test_a_contacts_verdict_reads_the_same_in_every_view(
    site: SiteServer, new_context: Callable[..., BrowserContext], viewport: ViewportSize
) -> None:
    archive = network_archive()
    extra = {"id": "c-0000fa1e", "label": "Fabien", "kind": "contact"}
    evaluation = {
        "id": "e-0000fa1e",
        "date": _iso(2),
        "questionnaire": "contact",
        "answers": FAIR,
        "context": {"duration": "gt1y"},
    }
    archive = record(archive, extra, evaluation)
    summary = summary_of(archive)
    bands = {band.id: band.label for band in CONTACT.bands}
    people = [c for c in summary["contacts"] if c["kind"] == "contact" and c["latest"]]
    assert {c["latest"]["verdict"] for c in people} == set(bands)  # every verdict is there
    page = open_with(new_context(viewport), site, archive)
    page.wait_for_selector("[data-overview]:not([hidden])")

    # The chart lists the definition's bands, in its order, with its words.
    chart = page.locator("[data-chart] text.reseau__chart-label").all_text_contents()
    assert chart == [band.label for band in CONTACT.bands]
    for contact in people:
        label = bands[contact["latest"]["verdict"]]
        assert contact["latest"]["verdict_label"] == label
        row = page.locator(f'[data-table] tr[data-contact="{contact["id"]}"]')
        assert row.locator("td").first.text_content() == label
        assert row.get_attribute("data-verdict") == contact["latest"]["verdict"]
        # « Que faire maintenant ? »: under the heading of its own verdict, and nowhere else.
        listed = page.locator(
            f'[data-actions] [data-action-band] li[data-contact="{contact["id"]}"]'
        )
        assert listed.count() == 1, contact["label"]
        section = page.locator(
            f'[data-action-band="{contact["latest"]["verdict"]}"]:has(li[data-contact="{contact["id"]}"])'
        )
        heading = section.locator("h3").text_content() or ""
        assert heading.rsplit(" (", 1)[0] == label, (contact["label"], heading)
        summary_text = page.locator(
            f'details[data-contact="{contact["id"]}"] > summary'
        ).text_content()
        assert summary_text == f"{contact['label']} — {label}"
        history = page.locator(
            f'details[data-contact="{contact["id"]}"] li[data-questionnaire="contact"]'
        ).last
        assert f"{label}, bilan " in (history.text_content() or "")
        if contact["quadrant"]:
            point = page.locator(f'svg.reseau__map [data-contact="{contact["id"]}"] title')
            # An SVG title holds text only: the label isolated by FSI…PDI, not a <bdi>.
            title = f"\u2068{contact['label']}\u2069\u00a0: {label} ("
            assert (point.text_content() or "").startswith(title)
            cell = page.locator(f'[data-map-table] tr[data-contact="{contact["id"]}"] td').first
            assert (cell.text_content() or "").startswith(f"{label} (")
    # The headings of « Que faire maintenant ? » are the bands' labels, in their order (nothing
    # is older than six months here: no list of evaluations to redo).
    headings = [h.rsplit(" (", 1)[0] for h in page.locator("[data-actions] h3").all_text_contents()]
    assert headings == [band.label for band in CONTACT.bands]
    advice = page.locator('[data-action-band="entretenir"] p').text_content()
    assert advice == next(b.advice for b in CONTACT.bands if b.id == "entretenir")


NOTHING_STORED = (
    "Rien n’est encore enregistré sur cet appareil\u00a0: vous pourrez exporter, imprimer ou "
    "effacer vos données après votre premier enregistrement."
)
NEED_DATA = ["[data-export-json]", "[data-export-csv]", "[data-print]", "[data-erase]"]


@pytest.mark.parametrize("theme", SCHEMES)
def test_empty_states_are_one_sentence_and_offer_nothing_to_export(
    site: SiteServer, new_context: Callable[..., BrowserContext], theme: str
) -> None:
    page = open_with(new_context(PHONE, theme), site, None)
    assert page.get_attribute("body", "data-md-color-scheme") == SCHEMES[theme]
    assert page.is_visible("[data-empty]")
    assert [page.is_disabled(button) for button in NEED_DATA] == [True] * 4
    assert page.is_enabled("[data-import]")
    assert page.inner_text("[data-nothing-stored]") == NOTHING_STORED
    assert "(0)" not in page.inner_text(".reseau")
    assert_accessible(page, f"{theme} mon-reseau nothing stored, actions disabled")

    # Two contacts, nobody on the map: one sentence there, no empty quadrant box.
    page.evaluate("([key, text]) => localStorage.setItem(key, text)", [ARCHIVE_KEY, TWO])
    page.reload()
    page.wait_for_selector(".reseau[data-engine=ready] [data-overview]:not([hidden])")
    assert [page.is_enabled(button) for button in NEED_DATA] == [True] * 4
    assert not page.is_visible("[data-nothing-stored]")
    assert page.inner_text("[data-map-empty]") == (
        "Aucun contact n’a encore ses deux côtés évalués. Passez un contact au crible, puis "
        "évaluez ce que vous lui donnez, sous le même nom\u00a0: il apparaîtra ici."
    )
    assert page.locator("[data-quadrant-list], svg.reseau__map, [data-map-table]").count() == 0
    assert "(0)" not in page.inner_text(".reseau")
    assert_accessible(page, f"{theme} mon-reseau two contacts as cards, empty map")


ERASE_TEXT = (
    "Sur cet appareil\u00a0: 2 contacts.\n\n"
    "L’effacement retire de ce navigateur toutes vos évaluations (contacts, groupes, votre "
    "apport), vos préférences d’affichage pour ce site et la copie du moteur de calcul. Il est "
    "définitif\u00a0: rien ne pourra être récupéré. Exportez d’abord vos données si vous voulez "
    "les garder."
)


@pytest.mark.parametrize("theme", SCHEMES)
def test_erasing_everything_asks_first_and_cancel_keeps_everything(
    site: SiteServer, new_context: Callable[..., BrowserContext], theme: str
) -> None:
    page = open_with(new_context(PHONE, theme), site, TWO)
    page.wait_for_selector("[data-overview]:not([hidden])")
    dialogs = dialogs_of(page)
    before = stored(page)

    page.click("[data-erase]")
    page.wait_for_selector("[data-erase-dialog][open]")
    assert page.inner_text("#reseau-erase-title") == "Effacer toutes vos données\u202f?"
    assert page.inner_text("#reseau-erase-text") == ERASE_TEXT
    assert page.evaluate("document.activeElement.hasAttribute('data-erase-cancel')")
    assert_accessible(page, f"{theme} mon-reseau erase dialog")
    page.click("[data-erase-cancel]")
    assert not page.is_visible("[data-erase-dialog]")
    assert page.inner_text("[data-data-status]") == "Rien n’a été effacé."
    assert stored(page) == before

    # Escape is the same as « Annuler ».
    page.evaluate("document.querySelector('[data-data-status]').textContent = ''")
    page.click("[data-erase]")
    page.keyboard.press("Escape")
    page.wait_for_selector("[data-erase-dialog][open]", state="detached")
    assert page.inner_text("[data-data-status]") == "Rien n’a été effacé."
    assert stored(page) == before

    # The export the dialog offers saves the same text, and leaves the choice open.
    page.click("[data-erase]")
    with page.expect_download() as download:
        page.click("[data-erase-export]")
    assert download.value.path().read_text(encoding="utf-8") == before
    assert page.is_visible("[data-erase-dialog]")
    assert page.inner_text("[data-erase-status]") == (
        "Le fichier d’export a été créé dans votre navigateur."
    )
    assert stored(page) == before

    page.click("[data-erase-confirm]")
    page.wait_for_selector("[data-empty]:not([hidden])")
    assert stored(page) is None
    assert page.inner_text("[data-data-status]") == (
        "Toutes vos données ont été effacées de ce navigateur."
    )
    assert [page.is_disabled(button) for button in NEED_DATA] == [True] * 4
    assert dialogs == []  # no window.confirm: the page's own dialog asked


def test_the_printed_overview_leaves_out_the_data_actions(
    site: SiteServer, new_context: Callable[..., BrowserContext]
) -> None:
    page = open_with(new_context(DESKTOP), site, TWO)
    page.wait_for_selector("[data-overview]:not([hidden])")
    page.emulate_media(media="print")
    for selector in [".reseau__data", "[data-erase]", "[data-table] a[data-reevaluate]"]:
        assert not page.is_visible(selector), selector
    assert page.is_visible("[data-table]")
