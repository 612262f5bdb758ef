"""Mon réseau over time in real Chromium with real Pyodide: contacts imported from LinkedIn's
export, the duration prefilled from the day of connection, each entry's chart, « À revoir »
and its calendar, and bad files refused with their message, nothing changed.

Nothing is mocked: the file goes through the page, the worker and scoring; the archive through
localStorage.
"""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import TYPE_CHECKING, Literal

import icalendar
import pytest
from browser_support import (
    ARCHIVE_KEY,
    BEST,
    ENGINE_TIMEOUT_MS,
    Recorder,
    stored,
    wait_ready,
    wait_result,
)
from site_support import SUB_PATH
from test_accessibility import assert_accessible

from scoring import load_questionnaire, score
from scoring.archive import Archive, Contact, Evaluation, dump_archive

if TYPE_CHECKING:
    from playwright.sync_api import Browser, BrowserContext, Page
    from site_support import SiteServer

pytestmark = pytest.mark.browser

IMPORTS = Path(__file__).parent / "fixtures" / "imports"
CONTEXT_OPTIONS = {"viewport": {"width": 1000, "height": 900}, "locale": "fr-FR"}
CONTACT = load_questionnaire("contact")
POSITIVES = [item.id for item in CONTACT.items if item.sign == "+"]


def open_network(page: Page, site: SiteServer) -> None:
    page.goto(site.url + "mon-reseau/")
    page.wait_for_selector(".reseau[data-engine=ready]", timeout=ENGINE_TIMEOUT_MS)


def seed(page: Page, site: SiteServer, text: str) -> None:
    page.goto(site.url + "mon-reseau/")
    page.evaluate("([key, text]) => localStorage.setItem(key, text)", [ARCHIVE_KEY, text])
    open_network(page, site)


def table_labels(page: Page) -> list[str]:
    labels: list[str] = page.eval_on_selector_all(
        "[data-table] tbody tr", "rows => rows.map(r => r.cells[0].textContent.trim())"
    )
    return sorted(labels)


def text_of(page: Page, selector: str) -> str:
    text = page.inner_text(selector).replace("\u202f", " ").replace("\u00a0", " ")
    return text.replace("\u2068", "").replace("\u2069", "")  # labels' bidi isolation


def test_import_pick_two_of_five_evaluate_one_with_the_prefilled_duration_and_reload(
    site: SiteServer, context: BrowserContext, recorder: Recorder
) -> None:
    page = recorder.watch(context.new_page())
    open_network(page, site)
    page.set_input_files("[data-contacts-import]", IMPORTS / "Connections.csv")
    page.wait_for_selector("[data-contacts-dialog][open]")
    assert text_of(page, "[data-contacts-counts]") == "Export LinkedIn : 5 personnes à ajouter."
    boxes = page.locator("[data-contacts-dialog] input[data-candidate]")
    assert boxes.count() == 5
    assert page.is_disabled("[data-contacts-add]")
    assert "@" not in page.inner_text("[data-contacts-dialog]")
    assert stored(page) is None  # nothing before the confirmation

    page.check('input[data-candidate="5"]')  # Ada Lovelace
    page.check('input[data-candidate="7"]')  # Grace Hopper
    page.check("[data-keep-url]")
    page.click("[data-contacts-add]")
    page.wait_for_function("document.querySelectorAll('[data-table] tbody tr').length === 2")
    assert table_labels(page) == ["Ada Lovelace", "Grace Hopper"]
    archive = json.loads(stored(page) or "")
    assert archive["version"] == 3
    assert [
        (c["label"], c.get("url"), c.get("company"), c.get("connected_on"), c["evaluations"])
        for c in archive["contacts"]
    ] == [
        ("Ada Lovelace", "https://www.linkedin.com/in/ada-lovelace-1815", None, "2021-03-15", []),
        ("Grace Hopper", "https://www.linkedin.com/in/gracehopper", None, "2019-01-03", []),
    ]
    assert "example.org" not in (stored(page) or "")

    # Both are « à revoir » at once: never evaluated.
    page.reload()
    page.wait_for_selector(".reseau[data-engine=ready]", timeout=ENGINE_TIMEOUT_MS)
    assert table_labels(page) == ["Ada Lovelace", "Grace Hopper"]
    page.wait_for_selector("[data-reviews] li[data-review]")
    reviews = page.locator("[data-reviews] li[data-review]")
    assert reviews.count() == 2

    # Evaluate Ada from there: the crible opens on her, the duration prefilled (since 2021).
    page.click('[data-reviews] a:has-text("Ada Lovelace")')
    wait_ready(page)
    page.wait_for_selector("[data-reevaluation]:not([hidden])")
    assert page.input_value("#crible-label") == "Ada Lovelace"
    assert page.is_checked('input[name="duration"][value="gt1y"]')
    assert text_of(page, "[data-reevaluation]") == (
        "Première évaluation de « Ada Lovelace ». La durée de la relation est préremplie "
        "d’après la date de votre mise en relation, gardée à l’import."
    )
    for item_id, value in BEST.items():
        page.check(f'fieldset[data-item="{item_id}"] input[value="{value}"]')
    wait_result(page)
    page.click("[data-save-button]")
    page.wait_for_selector("[data-save-status] a")

    open_network(page, site)
    page.reload()
    page.wait_for_selector(".reseau[data-engine=ready]", timeout=ENGINE_TIMEOUT_MS)
    rows = page.eval_on_selector_all(
        "[data-table] tbody tr",
        "rows => rows.map(r => [r.cells[0].textContent.trim(), r.cells[1].textContent.trim()])",
    )
    assert sorted(rows) == [["Ada Lovelace", "À cultiver"], ["Grace Hopper", "Pas encore évalué"]]
    ada = json.loads(stored(page) or "")["contacts"][0]
    assert ada["url"] == "https://www.linkedin.com/in/ada-lovelace-1815"
    (evaluation,) = ada["evaluations"]
    assert evaluation["context"] == {"duration": "gt1y"}
    assert [r for r in recorder.requests if not r.startswith(f"{site.origin}/{SUB_PATH}/")] == []
    assert page.evaluate("window.__csp") == []


def three_evaluations() -> tuple[Archive, list[int]]:
    now = datetime.now(UTC).replace(microsecond=0)
    answers = [
        dict.fromkeys(POSITIVES[:1], "yes"),
        dict.fromkeys(POSITIVES[:4], "yes"),
        dict.fromkeys(POSITIVES, "yes"),
    ]
    evaluations = tuple(
        Evaluation(
            id=f"e-{index}",
            date=now - timedelta(days=200 - 80 * index),
            questionnaire="contact",
            answers=given,
            context={"duration": "gt1y"},
        )
        for index, given in enumerate(answers)
    )
    alice = Contact(
        id="c-alice", label="Alice", created=now - timedelta(days=300), evaluations=evaluations
    )
    scores = [score(CONTACT, e.answers, e.context).score for e in evaluations]
    return Archive(contacts=(alice,)), scores


def test_a_contact_with_three_evaluations_shows_them_as_a_chart_and_a_table(
    site: SiteServer, context: BrowserContext, recorder: Recorder
) -> None:
    archive, scores = three_evaluations()
    page = recorder.watch(context.new_page())
    seed(page, site, dump_archive(archive))
    page.click('details[data-contact="c-alice"] summary')
    chart = '[data-evolution-for="c-alice"] svg[data-history-chart="contact"]'
    page.wait_for_selector(chart)
    points = page.eval_on_selector_all(
        f"{chart} circle[data-point]",
        "cs => cs.map(c => [c.dataset.point, Number(c.dataset.score), c.dataset.date])",
    )
    assert points == [
        [e.id, s, e.date.strftime("%Y-%m-%dT%H:%M:%SZ")]
        for e, s in zip(archive.contacts[0].evaluations, scores, strict=True)
    ]
    assert scores == [1, 4, 9]
    # Higher bilans are drawn higher, later dates further right.
    xy = page.eval_on_selector_all(
        f"{chart} circle[data-point]",
        "cs => cs.map(c => [Number(c.getAttribute('cx')), Number(c.getAttribute('cy'))])",
    )
    assert xy[0][0] < xy[1][0] < xy[2][0]
    assert xy[0][1] > xy[1][1] > xy[2][1]
    bands = page.eval_on_selector_all(
        f"{chart} rect[data-band]", "rs => rs.map(r => r.dataset.band)"
    )
    assert bands == [band.id for band in CONTACT.bands]
    cells = page.eval_on_selector_all(
        '[data-evolution-for="c-alice"] [data-history-table] tbody tr',
        "rows => rows.map(r => r.cells[1].textContent)",
    )
    assert cells == ["+1", "+4", "+9"]
    # The mix per quarter and the review due in 180 days (« À cultiver »).
    assert page.locator("[data-quarters] tr[data-quarter]").count() >= 2
    due = (archive.contacts[0].evaluations[-1].date + timedelta(days=180)).date()
    assert page.locator("[data-reviews] li[data-review]").count() == 0  # not within 30 days
    assert text_of(page, "[data-reviews]") == (
        "Rien à revoir dans les 30 prochains jours.\n\nUne autre revue est prévue plus tard : "
        "le calendrier les contient toutes."
    )
    with page.expect_download() as caught:
        page.click("[data-reviews-ics]")
    path = caught.value.path()
    calendar = icalendar.Calendar.from_ical(Path(path).read_text(encoding="utf-8"))
    events = [e for e in calendar.walk("VEVENT") if isinstance(e, icalendar.Event)]
    assert [(str(e["SUMMARY"]), e.start) for e in events] == [("Revoir Alice", due)]
    assert page.evaluate("window.__csp") == []


def test_a_bad_file_is_refused_with_its_message_and_nothing_changes(
    site: SiteServer, context: BrowserContext
) -> None:
    archive, _ = three_evaluations()
    text = dump_archive(archive)
    page = context.new_page()
    seed(page, site, text)
    cases = {
        "formule.csv": "La colonne « Company » commence par « = », comme une formule de "
        "tableur : « =cmd|' /C calc'!A0 » (ligne 2). Retirez ce caractère en début de cellule, "
        "puis importez le fichier de nouveau.",
        "latin1.csv": "Le fichier n’est pas encodé en UTF-8 (premier caractère illisible à la "
        "ligne 2). Enregistrez-le au format « CSV UTF-8 » depuis votre tableur, puis importez-le "
        "de nouveau.",
        "html.csv": "La colonne « First Name » contient du code HTML : « <img src=x "
        "onerror=alert(1)> » (ligne 2). Retirez les balises (du type <b> ou <img>) du "
        "fichier, puis importez-le de nouveau.",
    }
    for name, first in cases.items():
        page.set_input_files("[data-contacts-import]", IMPORTS / name)
        page.wait_for_function(
            "document.querySelector('[data-data-status]').textContent.includes('refusé')"
        )
        page.wait_for_selector("[data-contacts-errors]:not([hidden]) li")
        assert text_of(page, "[data-contacts-errors] li:first-child") == first, name
        assert text_of(page, "[data-data-status]") == (
            "Aucun contact n’a été importé, rien n’a changé : ce fichier a été refusé."
        )
        assert not page.is_visible("[data-contacts-dialog]")
        assert stored(page) == text
        page.evaluate("document.querySelector('[data-data-status]').textContent = ''")


@pytest.mark.parametrize("theme", ["light", "dark"])
def test_the_new_views_have_no_axe_violation(
    site: SiteServer, browser: Browser, theme: Literal["light", "dark"]
) -> None:
    context = browser.new_context(
        locale="fr-FR", viewport={"width": 390, "height": 844}, color_scheme=theme
    )
    try:
        archive, _ = three_evaluations()
        page = context.new_page()
        seed(page, site, dump_archive(archive))
        page.click('details[data-contact="c-alice"] summary')
        page.wait_for_selector('[data-evolution-for="c-alice"] svg')
        assert_accessible(page, f"{theme} mon-reseau history")
        page.set_input_files("[data-contacts-import]", IMPORTS / "connexions-fr.csv")
        page.wait_for_selector("[data-contacts-dialog][open]")
        assert_accessible(page, f"{theme} mon-reseau import dialog")
    finally:
        context.close()
