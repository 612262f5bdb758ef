"""The crible in real Chromium with the real self-hosted Pyodide, served under a sub-path.

Every non-loopback host is unresolvable (see conftest.CHROMIUM_ARGS) and every request of the
page and of its worker is recorded: none may leave the origin.
"""

from __future__ import annotations

import json
import subprocess
import sys
from typing import TYPE_CHECKING, Any

import pytest
from site_support import ROOT, SUB_PATH

import scoring

if TYPE_CHECKING:
    from collections.abc import Iterator

    from playwright.sync_api import Browser, BrowserContext, Page
    from site_support import SiteServer

pytestmark = pytest.mark.browser

ENGINE_TIMEOUT_MS = 60000  # generous: CI machines are slow; the page's own limit is 20 s here
CONTACT = scoring.load_questionnaire("contact")
ALL_IDS = [item.id for item in CONTACT.items]
BEST = {item.id: ("yes" if item.sign == "+" else "no") for item in CONTACT.items}
WORST = {item.id: ("no" if item.sign == "+" else "yes") for item in CONTACT.items}

PROFILES: dict[str, tuple[dict[str, str], str | None]] = {
    "all-best": (BEST, "gt1y"),
    "all-worst": (WORST, "gt1y"),
    "mixed": (
        {
            "available": "yes",
            "responsive": "no",
            "introduces": "unknown",
            "competent": "yes",
            "always-critical": "no",
            "unargued": "yes",
            "evasive": "no",
            "constructive": "yes",
            "feel-empty": "no",
            "considered": "yes",
        },
        "3to12m",
    ),
    "all-unknown": (dict.fromkeys(ALL_IDS, "unknown"), None),
    "contradictory": ({**BEST, "always-critical": "yes", "feel-empty": "yes"}, "gt1y"),
    "too-recent": (BEST, "lt1m"),
}


class Recorder:
    """Requests of the page and its workers, console errors and CSP violations."""

    def __init__(self, context: BrowserContext) -> None:
        self.requests: list[str] = []
        self.console_errors: list[str] = []
        context.on("request", lambda request: self.requests.append(request.url))
        context.add_init_script(
            "window.__csp = [];"
            "document.addEventListener('securitypolicyviolation', (e) =>"
            " window.__csp.push(e.violatedDirective + ' ' + e.blockedURI));"
        )

    def watch(self, page: Page) -> Page:
        page.on(
            "console",
            lambda message: self.console_errors.append(message.text)
            if message.type == "error"
            else None,
        )
        return page


@pytest.fixture
def context(browser: Browser) -> Iterator[BrowserContext]:
    context = browser.new_context(locale="fr-FR", viewport={"width": 390, "height": 844})
    yield context
    context.close()


@pytest.fixture
def recorder(context: BrowserContext) -> Recorder:
    return Recorder(context)


def cli_result(answers: dict[str, str], duration: str | None) -> dict[str, Any]:
    """What `python -m scoring evaluate` says for the same answers: the reference."""
    request: dict[str, Any] = {"questionnaire": "contact", "answers": answers}
    if duration:
        request["context"] = {"duration": duration}
    completed = subprocess.run(
        [sys.executable, "-m", "scoring", "evaluate", "-", "--format", "json"],
        input=json.dumps(request),
        capture_output=True,
        text=True,
        check=True,
        cwd=ROOT,
    )
    result: dict[str, Any] = json.loads(completed.stdout)
    return result


def fill(page: Page, answers: dict[str, str], duration: str | None) -> None:
    for item_id, value in answers.items():
        page.check(f'fieldset[data-item="{item_id}"] input[value="{value}"]')
    if duration:
        page.check(f'input[name="duration"][value="{duration}"]')


def wait_ready(page: Page) -> None:
    page.wait_for_selector(".crible[data-engine=ready]", timeout=ENGINE_TIMEOUT_MS)


def wait_result(page: Page) -> dict[str, str]:
    page.wait_for_selector("[data-result][aria-busy=false][data-verdict]", timeout=10000)
    region = page.locator("[data-result]")
    return {
        "verdict": region.get_attribute("data-verdict") or "",
        "score": region.get_attribute("data-score") or "",
        "text": region.inner_text(),
    }


def test_the_verdict_shown_equals_the_cli_for_every_profile(
    site: SiteServer, context: BrowserContext, recorder: Recorder
) -> None:
    page = recorder.watch(context.new_page())
    page.goto(site.url + "crible/")
    wait_ready(page)
    for name, (answers, duration) in PROFILES.items():
        page.click(".crible button[type=reset]")
        page.fill("#crible-label", f"Profil {name}")
        fill(page, answers, duration)
        shown = wait_result(page)
        expected = cli_result(answers, duration)
        assert (name, shown["verdict"], shown["score"]) == (
            name,
            expected["verdict"],
            str(expected["score"]),
        )
        assert expected["verdict_label"] in shown["text"]
        assert f"« Profil {name} »" in shown["text"].replace("\u202f", " ")
        if expected["provisional"]:
            assert "Verdict provisoire" in shown["text"]
        for contradiction in expected["contradictions"]:
            assert contradiction["message"] in shown["text"]
    assert [r for r in recorder.requests if not r.startswith(site.origin + "/")] == []
    assert recorder.console_errors == []
    assert page.evaluate("window.__csp") == []


def test_known_profiles_land_in_the_expected_bands(
    site: SiteServer, context: BrowserContext
) -> None:
    page = context.new_page()
    page.goto(site.url + "crible/")
    wait_ready(page)
    fill(page, BEST, "gt1y")
    assert wait_result(page)["verdict"] == CONTACT.bands[0].id
    page.click(".crible button[type=reset]")
    fill(page, WORST, "gt1y")
    assert wait_result(page)["verdict"] == CONTACT.bands[-1].id


def test_nothing_leaves_the_origin_and_the_worker_is_recorded(
    site: SiteServer, context: BrowserContext, recorder: Recorder
) -> None:
    page = recorder.watch(context.new_page())
    page.goto(site.url + "crible/")
    wait_ready(page)
    fill(page, BEST, None)
    wait_result(page)
    requested = recorder.requests
    # The worker's own fetches are in the record: the runtime, the stdlib and our wheel.
    for name in ("pyodide.asm.wasm", "python_stdlib.zip", ".whl", "worker.js"):
        assert any(name in url for url in requested), name
    assert [url for url in requested if not url.startswith(f"{site.origin}/{SUB_PATH}/")] == []


def test_answers_typed_before_the_engine_is_ready_are_scored(
    site: SiteServer, context: BrowserContext
) -> None:
    page = context.new_page()
    page.goto(site.url + "crible/", wait_until="domcontentloaded")
    assert page.get_attribute(".crible", "data-engine") == "loading"
    fill(page, WORST, "gt1y")
    page.fill("#crible-label", "Tôt")
    assert page.get_attribute(".crible", "data-engine") == "loading"
    wait_ready(page)
    shown = wait_result(page)
    expected = cli_result(WORST, "gt1y")
    assert (shown["verdict"], shown["score"]) == (expected["verdict"], str(expected["score"]))


def test_every_page_has_no_csp_violation(
    site: SiteServer, context: BrowserContext, recorder: Recorder
) -> None:
    page = recorder.watch(context.new_page())
    pages = ["", "regles/", "gagnant-gagnant/", "valeur-du-reseau/", "crible/", "conformisme/"]
    pages += ["faraday/", "confidentialite/", "a-propos/", "page-inexistante/"]
    for path in pages:
        page.goto(site.url + path)
        if path == "crible/":
            wait_ready(page)
        assert (path, page.evaluate("window.__csp")) == (path, [])
    # Zooming an infographic runs the lightbox's code, under the same policy.
    page.goto(site.url + "regles/")
    page.click("a.glightbox")
    page.wait_for_selector(".glightbox-container .gslide-image img")
    assert page.evaluate("window.__csp") == []
    assert [e for e in recorder.console_errors if "Content Security Policy" in e] == []


@pytest.mark.parametrize("prefix", ["crible-wrong-mime", "crible-missing-runtime"])
def test_a_broken_runtime_ends_in_error_with_the_paper_crible_and_answers_kept(
    site: SiteServer, context: BrowserContext, prefix: str
) -> None:
    page = context.new_page()
    page.goto(site.at(prefix) + "crible/", wait_until="domcontentloaded")
    page.fill("#crible-label", "Lambda")
    page.check('fieldset[data-item="available"] input[value="yes"]')
    page.check('fieldset[data-item="feel-empty"] input[value="no"]')
    page.wait_for_selector(".crible[data-engine=error]", timeout=ENGINE_TIMEOUT_MS)
    status = page.inner_text("[data-status]")
    assert status.startswith("Le moteur de calcul n’a pas pu démarrer dans ce navigateur.")
    assert page.is_visible("[data-paper]")
    assert "Le crible sur papier" in page.inner_text("[data-paper]")
    assert page.input_value("#crible-label") == "Lambda"
    assert page.is_checked('fieldset[data-item="available"] input[value="yes"]')
    assert page.is_checked('fieldset[data-item="feel-empty"] input[value="no"]')
    assert page.get_attribute("[data-result]", "data-verdict") is None


def test_arriving_through_instant_navigation_works(
    site: SiteServer, context: BrowserContext, recorder: Recorder
) -> None:
    page = recorder.watch(context.new_page())
    page.goto(site.url)
    page.evaluate("window.__sameDocument = true")
    page.locator('.md-content a[href$="crible/"]').first.click()
    page.wait_for_url(site.url + "crible/")
    wait_ready(page)
    # Material swapped the content without a page load: the marker survived.
    assert page.evaluate("window.__sameDocument") is True
    fill(page, BEST, "gt1y")
    expected = cli_result(BEST, "gt1y")
    assert wait_result(page)["verdict"] == expected["verdict"]
    assert page.evaluate("window.__csp") == []
