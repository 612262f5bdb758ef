"""Accessibility (WCAG 2.2 AA) of the built site in real Chromium, and a small security review.

- axe-core, rules tagged wcag2a/wcag2aa/wcag21a/wcag21aa/wcag22aa: no violation on any page, in
  every state of the crible, of the other questionnaires (what you give, a group, your own
  contribution) and of Mon réseau (groups, self-assessment, win-win map, time), in the light
  and the dark theme. Material follows the
  system's preference on a first visit (its palette entries carry a `media` query), so a
  context created with `color_scheme="dark"` gets `data-md-color-scheme="slate"`: each test
  checks the theme it meant to test is the one on screen.
- axe is injected with `page.evaluate(source)`: Playwright evaluates it through the DevTools
  protocol, which the page's Content-Security-Policy does not govern. The policy stays as
  strict as deployed for the page's own scripts (no `bypass_csp`), and `add_script_tag` would
  have been refused by it (an inline script). axe only reads the DOM and computed styles.
- A keyboard-only journey (Tab, arrows, Space, Enter) from the crible to Mon réseau, with a
  visible focus ring on the way; the live result region; 44 × 44 px touch targets on a phone;
  `prefers-reduced-motion`.
- No HTML sink in our JavaScript; every link opening a new tab carries `rel="noopener"`.
"""

from __future__ import annotations

import json
import re
import subprocess
from datetime import UTC, datetime, timedelta
from html.parser import HTMLParser
from typing import TYPE_CHECKING, Any

import pytest
from browser_support import (
    APPORT,
    BEST,
    DONNE,
    ENGINE_TIMEOUT_MS,
    GROUPE,
    WORST,
    best,
    fill,
    network_archive,
    wait_ready,
    wait_result,
)
from site_support import ROOT, SUB_PATH

from scoring import browser as scoring_browser

if TYPE_CHECKING:
    from collections.abc import Callable, Iterator
    from pathlib import Path

    from playwright.sync_api import Browser, BrowserContext, Page, ViewportSize
    from site_support import SiteServer

    import scoring

pytestmark = pytest.mark.browser

AXE_SOURCE = (ROOT / "node_modules" / "axe-core" / "axe.min.js").read_text(encoding="utf-8")
WCAG_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"]
# Our name of a theme → Material's scheme, chosen from the system preference on a first visit.
SCHEMES = {"light": "default", "dark": "slate"}
GUIDE_PAGES = [
    "",
    "regles/",
    "gagnant-gagnant/",
    "valeur-du-reseau/",
    "conformisme/",
    "faraday/",
    "confidentialite/",
    "a-propos/",
    "404.html",  # what GitHub Pages serves for an unknown address
]
KEY = f"/{SUB_PATH}/.crible.archive"
PHONE: ViewportSize = {"width": 390, "height": 844}
DESKTOP: ViewportSize = {"width": 1280, "height": 900}
MIN_TARGET = 44  # CSS px: WCAG 2.5.5, on the crible's answers and every button we draw

_RUN_AXE = """tags => axe.run(document, {
  runOnly: {type: "tag", values: tags},
  resultTypes: ["violations"],
}).then(result => result.violations.map(v => ({
  id: v.id,
  targets: v.nodes.map(n => n.target.join(" ")),
  summary: v.nodes.length ? v.nodes[0].failureSummary : "",
})))"""


def axe_violations(page: Page) -> list[dict[str, Any]]:
    # Contrast is judged at rest: a button fading in (Material's "back to top") is not measured
    # halfway through its transition.
    page.wait_for_function(
        "document.getAnimations().every(a => a.playState !== 'running')", timeout=5000
    )
    if not page.evaluate("typeof window.axe === 'object'"):
        page.evaluate(AXE_SOURCE)
    found: list[dict[str, Any]] = page.evaluate(_RUN_AXE, WCAG_TAGS)
    return found


def assert_accessible(page: Page, where: str) -> None:
    found = axe_violations(page)
    for violation in found:
        print(f"{where}: {violation['id']} on {violation['targets']}\n{violation['summary']}")
    assert (where, [(v["id"], v["targets"]) for v in found]) == (where, [])


@pytest.fixture
def new_context(browser: Browser) -> Iterator[Callable[..., BrowserContext]]:
    """Fresh contexts (a first visit each), closed at the end of the test."""
    opened: list[BrowserContext] = []

    def make(theme: str = "light", viewport: ViewportSize = DESKTOP, **options: Any) -> Any:
        context = browser.new_context(
            locale="fr-FR",
            viewport=viewport,
            color_scheme="dark" if theme == "dark" else "light",
            **options,
        )
        opened.append(context)
        return context

    yield make
    for context in opened:
        context.close()


def open_page(context: BrowserContext, url: str, theme: str, **goto: Any) -> Page:
    page = context.new_page()
    page.goto(url, **goto)
    page.wait_for_selector("body[data-md-color-scheme]")
    assert page.get_attribute("body", "data-md-color-scheme") == SCHEMES[theme]
    return page


def open_network(page: Page, site: SiteServer) -> None:
    page.goto(site.url + "mon-reseau/")
    page.wait_for_selector(".reseau[data-engine=ready]", timeout=ENGINE_TIMEOUT_MS)


def sample_archive() -> str:
    """Three contacts as scoring stores them: a history of two, a single one, an old one."""
    now = datetime.now(UTC).replace(microsecond=0)

    def iso(days_ago: int) -> str:
        return (now - timedelta(days=days_ago)).isoformat().replace("+00:00", "Z")

    def evaluation(ident: str, days_ago: int, answers: dict[str, str]) -> dict[str, Any]:
        return {
            "id": ident,
            "date": iso(days_ago),
            "questionnaire": "contact",
            "answers": answers,
            "context": {"duration": "gt1y"},
        }

    contacts = [
        {
            "id": "c-a11ce0",
            "label": "Alice",
            "created": iso(400),
            "evaluations": [evaluation("e-a11ce1", 300, WORST), evaluation("e-a11ce2", 3, BEST)],
        },
        {
            "id": "c-b00b00",
            "label": "Bruno",
            "created": iso(10),
            "evaluations": [evaluation("e-b00b01", 2, {"available": "yes", "feel-empty": "yes"})],
        },
        {"id": "c-c4c4c4", "label": "Chloé", "created": iso(1), "evaluations": []},
    ]
    text = json.dumps({"format": "crible-archive", "version": 1, "contacts": contacts})
    assert json.loads(scoring_browser.validate_archive(text))["ok"] is True
    return text


# --- axe: every page, every state, both themes -------------------------------------------------


def test_the_tags_run_the_wcag_2_2_aa_rules_of_the_pinned_axe() -> None:
    """WCAG 2.2 adds one rule axe can check (2.5.8, target size): the tag list enables it."""
    script = (
        "const axe = require('axe-core');"
        "console.log(JSON.stringify([axe.version, axe.getRules(JSON.parse(process.argv[1]))"
        ".map(rule => rule.ruleId).filter(id => id === 'target-size')]));"
    )
    done = subprocess.run(
        ["node", "-e", script, json.dumps(WCAG_TAGS)],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=True,
    )
    pinned = json.loads((ROOT / "package.json").read_text("utf-8"))["devDependencies"]
    assert json.loads(done.stdout) == [pinned["axe-core"], ["target-size"]]


@pytest.mark.parametrize("theme", SCHEMES)
def test_every_guide_page_has_no_violation(
    site: SiteServer, new_context: Callable[..., BrowserContext], theme: str
) -> None:
    context = new_context(theme)
    for path in GUIDE_PAGES:
        page = open_page(context, site.url + path, theme)
        assert_accessible(page, f"{theme} {path or 'accueil'}")
        page.close()
    # An infographic zoomed in the lightbox.
    page = open_page(context, site.url + "regles/", theme)
    page.click("a.glightbox >> visible=true")
    page.wait_for_selector(".glightbox-container .gslide-image img")
    assert_accessible(page, f"{theme} regles/ + lightbox")


@pytest.mark.parametrize("theme", SCHEMES)
def test_the_crible_has_no_violation_in_any_state(
    site: SiteServer, new_context: Callable[..., BrowserContext], theme: str
) -> None:
    context = new_context(theme)
    # Loading: the runtime is served slowly, the form is already there.
    page = open_page(
        context, site.at("crible-slow") + "crible/", theme, wait_until="domcontentloaded"
    )
    assert page.get_attribute(".crible", "data-engine") == "loading"
    assert_accessible(page, f"{theme} crible loading")
    wait_ready(page)
    assert_accessible(page, f"{theme} crible ready, empty")

    # A provisional verdict (a recent relation) with contradictions to review.
    page.fill("#crible-label", "Lambda")
    fill(page, {**BEST, "always-critical": "yes", "feel-empty": "yes"}, "lt1m")
    shown = wait_result(page)
    assert "Verdict provisoire" in shown["text"]
    assert "Réponses à revoir" in shown["text"]
    assert_accessible(page, f"{theme} crible result (provisional, contradictions)")

    page.click("[data-save-button]")
    page.wait_for_selector("[data-save-status] a")
    assert_accessible(page, f"{theme} crible result saved")

    # Asking to save without a name: the message and the focus go back to the field.
    page.fill("#crible-label", "")
    page.click("[data-save-button]")
    page.wait_for_function("document.activeElement.id === 'crible-label'")
    assert_accessible(page, f"{theme} crible save refused")


@pytest.mark.parametrize("theme", SCHEMES)
def test_the_sticky_summary_and_the_badge_have_no_violation_on_a_phone(
    site: SiteServer, new_context: Callable[..., BrowserContext], theme: str
) -> None:
    page = open_page(new_context(theme, {"width": 360, "height": 800}), site.url + "crible/", theme)
    wait_ready(page)
    assert_accessible(page, f"{theme} crible on a phone, no answer yet (invitation)")
    # Half-way down the form: the summary sticks under the header, over the questions.
    # The duration comes first: checking it scrolls back up to it, and the summary only
    # sticks once the questions below it are in view.
    seven = dict(list(WORST.items())[:7])
    fill(page, {}, "gt1y")
    fill(page, seven, None)
    page.wait_for_selector("[data-summary] [data-badge]")
    page.locator(f'fieldset[data-item="{list(seven)[-1]}"]').scroll_into_view_if_needed()
    # Right under Material's 48 px header (waited for: a scroll may still be settling).
    page.wait_for_function(
        "Math.abs(document.querySelector('[data-summary]').getBoundingClientRect().top - 48) <= 1",
        timeout=5000,
    )
    assert_accessible(page, f"{theme} crible on a phone, sticky summary with a badge")
    # The whole result: badge, gauge, dimensions, and every rule unfolded.
    page.locator("[data-all-rules] summary").click()
    page.locator("[data-result]").scroll_into_view_if_needed()
    assert_accessible(page, f"{theme} crible on a phone, result with every rule")


def test_the_crible_in_error_with_the_paper_version_has_no_violation(
    site: SiteServer, new_context: Callable[..., BrowserContext]
) -> None:
    # Both themes at once: the engine gives up after its own time limit, so wait only once.
    pages = {
        theme: open_page(
            new_context(theme),
            site.at("crible-missing-runtime") + "crible/",
            theme,
            wait_until="domcontentloaded",
        )
        for theme in SCHEMES
    }
    for theme, page in pages.items():
        page.check('fieldset[data-item="available"] input[value="yes"]')
        page.wait_for_selector(".crible[data-engine=error]", timeout=ENGINE_TIMEOUT_MS)
        assert page.is_visible("[data-paper]")
        assert_accessible(page, f"{theme} crible error + paper crible")


@pytest.mark.parametrize("theme", SCHEMES)
def test_mon_reseau_has_no_violation_in_any_state(
    site: SiteServer, new_context: Callable[..., BrowserContext], theme: str, tmp_path: Path
) -> None:
    context = new_context(theme)
    page = open_page(context, site.url + "mon-reseau/", theme)
    page.wait_for_selector(".reseau[data-engine=ready]", timeout=ENGINE_TIMEOUT_MS)
    assert page.is_visible("[data-empty]")
    assert_accessible(page, f"{theme} mon-reseau empty")

    archive = sample_archive()
    page.evaluate("([key, text]) => localStorage.setItem(key, text)", [KEY, archive])
    open_network(page, site)
    page.click('details[data-contact] summary:has-text("Alice")')
    page.wait_for_selector("details[open] .reseau-history__chart")
    assert page.locator("[data-table] tbody tr").count() == 3
    assert_accessible(page, f"{theme} mon-reseau overview + Alice's details")

    incoming = tmp_path / "autre.json"
    other = json.loads(archive)
    other["contacts"][1]["label"] = "Bruno (autre appareil)"
    incoming.write_text(json.dumps(other), encoding="utf-8")
    page.set_input_files("[data-import]", incoming)
    page.wait_for_selector("[data-import-dialog][open]")
    assert_accessible(page, f"{theme} mon-reseau import dialog")
    page.keyboard.press("Escape")  # a modal dialog closes with Escape
    page.wait_for_selector("[data-import-dialog][open]", state="detached")
    assert page.inner_text("[data-data-status]") == "Import annulé, rien n’a changé."

    page.evaluate("key => localStorage.setItem(key, '{pas du json')", KEY)
    open_network(page, site)
    assert page.is_visible("[data-corrupt]")
    assert_accessible(page, f"{theme} mon-reseau corrupt data")


# The other questionnaires: their page and their definition.
QUESTIONNAIRE_PAGES: dict[str, scoring.Questionnaire] = {
    "donner/": DONNE,
    "groupe/": GROUPE,
    "apport/": APPORT,
}


@pytest.mark.parametrize("theme", SCHEMES)
def test_the_other_questionnaires_have_no_violation_in_any_state(
    site: SiteServer, new_context: Callable[..., BrowserContext], theme: str
) -> None:
    context = new_context(theme)
    for path, questionnaire in QUESTIONNAIRE_PAGES.items():
        page = open_page(context, site.url + path, theme)
        wait_ready(page)
        assert_accessible(page, f"{theme} {path} ready, empty")

        # A provisional verdict with a contradiction to review.
        named = questionnaire.subject != "soi"
        if named:
            page.fill("#crible-label", "Lambda")
        clash = dict.fromkeys(questionnaire.contradictions[0].items, "yes")
        fill(page, {**best(questionnaire), **clash}, "lt1m")
        shown = wait_result(page)
        assert "Verdict provisoire" in shown["text"]
        assert "Réponses à revoir" in shown["text"]
        assert_accessible(page, f"{theme} {path} result (provisional, contradiction)")

        if questionnaire.time_question:
            # A time that is not one: refused, the field marked and focused.
            page.fill("#crible-hours", "beaucoup")
            page.click("[data-save-button]")
            page.wait_for_function("document.activeElement.id === 'crible-hours'")
            assert page.get_attribute("#crible-hours", "aria-invalid") == "true"
            assert_accessible(page, f"{theme} {path} time refused")
            page.fill("#crible-hours", "2,5")
        page.click("[data-save-button]")
        page.wait_for_selector("[data-save-status] a")
        assert_accessible(page, f"{theme} {path} saved")
        page.close()


@pytest.mark.parametrize("theme", SCHEMES)
def test_mon_reseau_with_groups_self_map_and_time_has_no_violation(
    site: SiteServer, new_context: Callable[..., BrowserContext], theme: str
) -> None:
    context = new_context(theme)
    page = open_page(context, site.url, theme)
    page.evaluate("([key, text]) => localStorage.setItem(key, text)", [KEY, network_archive()])
    open_network(page, site)
    assert page.locator("svg.reseau__map [data-quadrant]").count() == 4
    assert page.locator("[data-map-table] tbody tr").count() == 4
    assert page.locator("[data-group-table] tbody tr").count() == 3
    assert page.locator("[data-costly-groups] li[data-group]").count() == 2
    assert page.is_visible("[data-self] .reseau__self")
    assert page.get_attribute("[data-time] .reseau__time", "data-balance") == "equilibre"
    for summary in page.locator("details[data-contact] summary").all():
        summary.click()
    page.wait_for_selector("details[open] .reseau-history__chart")
    assert_accessible(page, f"{theme} mon-reseau groups, self, map, time, every history open")


def test_the_new_states_keep_44_px_targets_on_a_phone(
    site: SiteServer, new_context: Callable[..., BrowserContext]
) -> None:
    context = new_context(viewport=PHONE, has_touch=True, is_mobile=True)
    page = open_page(context, site.url + "groupe/", "light")
    wait_ready(page)
    crible = ".crible__choices label, .crible button, .crible input[type=text]"
    assert page.locator("#crible-hours").count() == 1
    assert small_targets(page, crible) == []
    page.evaluate("([key, text]) => localStorage.setItem(key, text)", [KEY, network_archive()])
    open_network(page, site)
    for summary in page.locator("details[data-contact] summary").all():
        summary.click()
    reseau = ".reseau button, .reseau .md-button, .reseau summary, .reseau input[type=text]"
    assert page.locator(reseau).count() > 30
    assert small_targets(page, reseau) == []


# --- keyboard ------------------------------------------------------------------------------------

_ACTIVE = """() => {
  const e = document.activeElement;
  return e ? e.tagName.toLowerCase() + (e.id ? "#" + e.id : "") +
    (e.name ? `[name=${e.name}]` : "") + " " + (e.textContent || e.value || "").trim().slice(0, 30)
    : "none";
}"""


def tab_to(page: Page, selector: str, limit: int = 120) -> None:
    """Press Tab until the focus is on `selector`, as a keyboard user would."""
    visited = []
    for _ in range(limit):
        page.keyboard.press("Tab")
        if page.evaluate("s => document.activeElement?.matches(s) ?? false", selector):
            return
        visited.append(page.evaluate(_ACTIVE))
    pytest.fail(f"{selector} never got the focus; visited: {visited}")


def focus_ring(page: Page) -> dict[str, str]:
    ring: dict[str, str] = page.evaluate(
        """() => {
          const s = getComputedStyle(document.activeElement);
          return {outline: s.outlineStyle, width: s.outlineWidth, shadow: s.boxShadow};
        }"""
    )
    return ring


def assert_focus_visible(page: Page, what: str) -> None:
    ring = focus_ring(page)
    outlined = ring["outline"] != "none" and ring["width"] not in {"0px", ""}
    assert (what, outlined or ring["shadow"] != "none") == (what, True), ring


def choose(page: Page, name: str, value: str) -> None:
    """On the group's first radio (focused, none checked): Space, or arrows to the value."""
    values: list[str] = page.eval_on_selector_all(
        f'input[name="{name}"]', "inputs => inputs.map(i => i.value)"
    )
    assert page.evaluate("document.activeElement.name") == name
    assert page.evaluate("document.activeElement.value") == values[0]
    index = values.index(value)
    if index == 0:
        page.keyboard.press("Space")
    for _ in range(index):
        page.keyboard.press("ArrowRight")
    assert page.is_checked(f'input[name="{name}"][value="{value}"]')


def test_a_keyboard_only_journey_from_the_crible_to_mon_reseau(
    site: SiteServer, new_context: Callable[..., BrowserContext]
) -> None:
    page = open_page(new_context(), site.url + "crible/", "light")
    wait_ready(page)
    tab_to(page, "#crible-label")
    assert_focus_visible(page, "label field")
    page.keyboard.type("Alice")

    page.keyboard.press("Tab")  # the duration group, then each criterion in the page's order
    choose(page, "duration", "gt1y")
    assert_focus_visible(page, "radio")
    items: list[str] = page.eval_on_selector_all(
        "fieldset[data-item]", "sets => sets.map(s => s.dataset.item)"
    )
    for item in items:
        page.keyboard.press("Tab")
        choose(page, f"item-{item}", BEST[item])
    shown = wait_result(page)
    assert shown["verdict"] == "cultiver"

    tab_to(page, "[data-save-button]")
    assert_focus_visible(page, "save button")
    page.keyboard.press("Enter")
    page.wait_for_selector("[data-save-status] a")
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.textContent") == "Voir Mon réseau"
    assert_focus_visible(page, "link to Mon réseau")
    page.keyboard.press("Enter")
    page.wait_for_url(re.compile(re.escape(site.url + "mon-reseau/") + "(#.*)?$"))
    page.wait_for_selector(".reseau[data-engine=ready]", timeout=ENGINE_TIMEOUT_MS)

    tab_to(page, "details[data-contact] summary")
    assert_focus_visible(page, "contact summary")
    page.keyboard.press("Enter")
    page.wait_for_selector("details[data-contact][open]")

    tab_to(page, "[data-export-json]")
    assert_focus_visible(page, "export button")
    with page.expect_download() as download:
        page.keyboard.press("Enter")
    exported = json.loads(download.value.path().read_text(encoding="utf-8"))
    assert [contact["label"] for contact in exported["contacts"]] == ["Alice"]

    tab_to(page, "[data-erase]")
    page.keyboard.press("Enter")
    page.wait_for_selector("[data-erase-dialog][open]")
    # The dialog opens on "Annuler"; erasing is two Tabs away (past the export).
    assert page.evaluate("document.activeElement.hasAttribute('data-erase-cancel')")
    page.keyboard.press("Tab")
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.hasAttribute('data-erase-confirm')")
    assert_focus_visible(page, "erase confirmation")
    page.keyboard.press("Enter")
    page.wait_for_selector("[data-empty]:not([hidden])")
    assert page.evaluate("k => localStorage.getItem(k)", KEY) is None


# --- the live result ----------------------------------------------------------------------------


def test_the_result_is_announced_politely_once_computed(
    site: SiteServer, new_context: Callable[..., BrowserContext]
) -> None:
    page = open_page(new_context(), site.url + "crible/", "light")
    region = page.locator("[data-result]")
    # One short live sentence (the summary: progress and verdict), not the whole result on
    # every answer.
    assert region.get_attribute("aria-live") is None
    summary = page.locator("[data-summary]")
    assert (summary.get_attribute("aria-live"), summary.get_attribute("aria-atomic")) == (
        "polite",
        "true",
    )
    assert page.locator("[aria-live]").count() == 1
    wait_ready(page)
    fill(page, BEST, "gt1y")
    before = wait_result(page)
    page.evaluate(
        """() => {
          window.__busy = [];
          new MutationObserver(() => window.__busy.push(
            document.querySelector("[data-result]").getAttribute("aria-busy"))
          ).observe(document.querySelector("[data-result]"),
                    {attributes: true, attributeFilter: ["aria-busy"]});
        }"""
    )
    page.check('fieldset[data-item="feel-empty"] input[value="yes"]')
    page.wait_for_function(
        "v => { const r = document.querySelector('[data-result]');"
        " return r.getAttribute('aria-busy') === 'false' && r.dataset.score !== v; }",
        arg=before["score"],
    )
    after = wait_result(page)
    assert after["text"] != before["text"]
    assert after["score"] == str(int(before["score"]) - 1)
    assert summary.inner_text().split("\n")[0] == "13 sur 13 critères renseignés"
    busy: list[str] = page.evaluate("window.__busy")
    assert busy[0] == "true"
    assert busy[-1] == "false"


# --- touch targets ------------------------------------------------------------------------------

_SMALL_TARGETS = """([selector, minimum]) => [...document.querySelectorAll(selector)]
  .filter(e => e.getClientRects().length && getComputedStyle(e).visibility !== "hidden")
  .map(e => { const r = e.getBoundingClientRect();
              return [e.outerHTML.slice(0, 80), Math.round(r.width), Math.round(r.height)]; })
  .filter(([, w, h]) => w < minimum || h < minimum)"""


def small_targets(page: Page, selector: str) -> list[list[Any]]:
    found: list[list[Any]] = page.evaluate(_SMALL_TARGETS, [selector, MIN_TARGET])
    return found


def test_touch_targets_are_at_least_44_px_on_a_phone(
    site: SiteServer, new_context: Callable[..., BrowserContext]
) -> None:
    context = new_context(viewport=PHONE, has_touch=True, is_mobile=True)
    page = open_page(context, site.url + "crible/", "light")
    wait_ready(page)
    page.fill("#crible-label", "Alice")
    fill(page, BEST, "gt1y")
    wait_result(page)
    assert page.locator(".crible__choices label").count() == 3 * len(BEST) + 4
    crible = ".crible__choices label, .crible button, .crible input[type=text]"
    assert small_targets(page, crible) == []
    page.click("[data-save-button]")
    page.wait_for_selector("[data-save-status] a")

    page.evaluate("([key, text]) => localStorage.setItem(key, text)", [KEY, sample_archive()])
    open_network(page, site)
    for summary in page.locator("details[data-contact] summary").all():
        summary.click()
    reseau = ".reseau button, .reseau .md-button, .reseau summary, .reseau input[type=text]"
    assert page.locator(reseau).count() > 20
    assert small_targets(page, reseau) == []


# --- reduced motion -----------------------------------------------------------------------------

_MOVING = """() => {
  const moving = [];
  const nonzero = (list) => list.split(",").some(d => parseFloat(d) > 0);
  for (const e of document.querySelectorAll("*")) {
    for (const pseudo of [null, "::before", "::after"]) {
      const s = getComputedStyle(e, pseudo);
      const animated = s.animationName !== "none" && nonzero(s.animationDuration);
      if (nonzero(s.transitionDuration) || animated) {
        moving.push(`${e.tagName.toLowerCase()}.${e.className}${pseudo ?? ""}`.slice(0, 80));
      }
    }
  }
  return moving;
}"""


def test_reduced_motion_stops_every_transition_and_animation(
    site: SiteServer, new_context: Callable[..., BrowserContext]
) -> None:
    context = new_context(reduced_motion="reduce")
    page = open_page(context, site.url + "regles/", "light")
    assert page.evaluate(_MOVING) == []
    # Material's instant navigation (its progress bar) and the lightbox's zoom.
    page.locator('.md-content a[href$="crible/"]').first.click()
    # Material's navigation.tracking may add the section anchor it scrolled to.
    page.wait_for_url(re.compile(re.escape(site.url + "crible/") + "(#.*)?$"))
    wait_ready(page)
    fill(page, BEST, "gt1y")
    wait_result(page)
    assert page.evaluate(_MOVING) == []
    assert page.evaluate("document.getAnimations().length") == 0
    # A new load, not history.back(): with navigation.tracking the history holds the section
    # anchors Material wrote while scrolling, and a same-document back never fires `load`.
    page.goto(site.url + "regles/")
    page.click("a.glightbox >> visible=true")
    page.wait_for_selector(".glightbox-container .gslide-image img")
    assert page.evaluate(_MOVING) == []
    assert page.evaluate("document.getAnimations().length") == 0
    # Without its animations the lightbox still opens and closes, however fast the visitor.
    page.keyboard.press("Escape")
    page.wait_for_selector(".glightbox-container", state="detached")
    for _ in range(3):
        page.click("a.glightbox >> visible=true")
        page.keyboard.press("Escape")
        page.wait_for_selector(".glightbox-container", state="detached")


# --- security review ----------------------------------------------------------------------------

HTML_SINKS = re.compile(
    r"innerHTML|outerHTML|insertAdjacentHTML|document\.write|\beval\s*\(|new\s+Function\b"
)


@pytest.mark.parametrize(
    "script",
    sorted((ROOT / "overrides/assets/javascripts/crible").glob("*.js")),
    ids=lambda path: path.name,
)
def test_our_javascript_never_parses_html_or_evaluates_strings(script: Path) -> None:
    lines = script.read_text(encoding="utf-8").splitlines()
    found = [(n, line.strip()) for n, line in enumerate(lines, 1) if HTML_SINKS.search(line)]
    assert found == []


class _BlankTargets(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.links: list[dict[str, str | None]] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        attributes = dict(attrs)
        if tag in {"a", "area", "form"} and attributes.get("target") == "_blank":
            self.links.append(attributes)


@pytest.mark.build
def test_every_link_to_a_new_tab_has_noopener(built_site: Path) -> None:
    unsafe: list[tuple[str, str | None]] = []
    total = 0
    for html in sorted(built_site.rglob("*.html")):
        parser = _BlankTargets()
        parser.feed(html.read_text(encoding="utf-8"))
        total += len(parser.links)
        page = html.relative_to(built_site).as_posix()
        unsafe += [
            (page, link.get("href"))
            for link in parser.links
            if "noopener" not in (link.get("rel") or "").split()
        ]
    assert total > 0  # Material's social links open a new tab: the check has something to check
    assert unsafe == []
