"""The crible in real Chromium with the real self-hosted Pyodide, served under a sub-path.

Every non-loopback host is unresolvable (see conftest.CHROMIUM_ARGS) and every request of the
page and of its worker is recorded: none may leave the origin.
"""

from __future__ import annotations

import json
import re
import time
from typing import TYPE_CHECKING

import pytest
from browser_support import (
    ALL_IDS,
    BEST,
    CONTACT,
    ENGINE_TIMEOUT_MS,
    WORST,
    Recorder,
    cli_result,
    fill,
    wait_ready,
    wait_result,
)
from site_support import SUB_PATH

from scoring import browser

if TYPE_CHECKING:
    from playwright.sync_api import BrowserContext, Route
    from site_support import SiteServer

pytestmark = pytest.mark.browser

STARTUP_FAILURE = (
    "Le moteur de calcul n’a pas pu démarrer dans ce navigateur. Vos réponses sont conservées "
    "sur la page\u00a0: utilisez le crible sur papier ci-dessous pour conclure."
)

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


CONTEXT_OPTIONS = {"viewport": {"width": 390, "height": 844}}  # see conftest.context


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
    # Served slowly, the engine is certainly still loading while the visitor answers.
    page.goto(site.at("crible-slow") + "crible/", wait_until="domcontentloaded")
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
    pages += ["donner/", "groupe/", "apport/", "mon-reseau/", "faraday/", "confidentialite/"]
    pages += ["a-propos/", "page-inexistante/"]
    engine_pages = {"crible/", "donner/", "groupe/", "apport/", "mon-reseau/"}
    for path in pages:
        page.goto(site.url + path)
        if path in engine_pages:
            page.wait_for_selector("[data-engine=ready]", timeout=ENGINE_TIMEOUT_MS)
        assert (path, page.evaluate("window.__csp")) == (path, [])
    # Zooming an infographic runs the lightbox's code, under the same policy.
    page.goto(site.url + "regles/")
    page.click("a.glightbox >> visible=true")
    page.wait_for_selector(".glightbox-container .gslide-image img")
    assert page.evaluate("window.__csp") == []
    assert [e for e in recorder.console_errors if "Content Security Policy" in e] == []


# Every Worker the page constructs, as the page saw it then: its name, the document's state,
# whether Material's bundle had run (it defines document$), who constructed it; and its errors.
RECORD_WORKERS = """
window.__workers = [];
window.__workerErrors = [];
const NativeWorker = window.Worker;
window.Worker = class extends NativeWorker {
  constructor(url, options) {
    super(url, options);
    window.__workers.push({
      name: options?.name ?? null,
      readyState: document.readyState,
      material: "document$" in window,
      stack: new Error().stack,
    });
    this.addEventListener("error", (event) => window.__workerErrors.push(event.message));
  }
};
"""
ENGINE_JS = "**/assets/javascripts/crible/engine.js"


def test_the_engine_worker_is_started_from_head_before_materials_bundle_runs(
    site: SiteServer, context: BrowserContext, recorder: Recorder
) -> None:
    context.add_init_script(RECORD_WORKERS)
    page = recorder.watch(context.new_page())
    page.goto(site.url + "crible/")
    wait_ready(page)
    fill(page, BEST, "gt1y")
    assert wait_result(page)["verdict"] == cli_result(BEST, "gt1y")["verdict"]
    workers = page.evaluate("window.__workers")
    # One engine worker for the whole visit, made by start.js (inlined in <head>) while the
    # page was still being parsed, and taken over by engine.js rather than started again.
    engines = [w for w in workers if w["name"] == "crible-engine"]
    assert [(w["readyState"], w["material"]) for w in engines] == [("loading", False)]
    assert "startWorker" in engines[0]["stack"]
    assert "engine.js" not in engines[0]["stack"]
    assert len([w for w in page.workers if "worker.js" in w.url]) == 1
    assert page.evaluate("window.__csp") == []
    assert recorder.console_errors == []


def test_the_early_worker_is_taken_over_when_engine_js_arrives_late(
    site: SiteServer, context: BrowserContext
) -> None:
    context.add_init_script(RECORD_WORKERS)
    seen = len(site.requests.snapshot())

    def hold(route: Route) -> None:
        # engine.js arrives only once the worker, on its own, has asked for the wheel.
        deadline = time.monotonic() + ENGINE_TIMEOUT_MS / 1000
        while time.monotonic() < deadline:
            if any(".whl" in path for path in site.requests.snapshot()[seen:]):
                break
            time.sleep(0.05)
        route.continue_()

    context.route(ENGINE_JS, hold)
    page = context.new_page()
    page.goto(site.url + "crible/", wait_until="commit")
    wait_ready(page)
    requested = site.requests.snapshot()[seen:]
    wheel = next(i for i, path in enumerate(requested) if ".whl" in path)
    engine = next(i for i, path in enumerate(requested) if path.endswith("/engine.js"))
    assert wheel < engine
    fill(page, WORST, "gt1y")
    expected = cli_result(WORST, "gt1y")
    shown = wait_result(page)
    assert (shown["verdict"], shown["score"]) == (expected["verdict"], str(expected["score"]))
    engines = [w for w in page.evaluate("window.__workers") if w["name"] == "crible-engine"]
    assert len(engines) == 1


def test_an_error_of_the_early_worker_before_engine_js_arrives_is_reported(
    site: SiteServer, context: BrowserContext
) -> None:
    """The worker's error comes while nobody listens yet: start.js keeps it for engine.js."""
    context.add_init_script(RECORD_WORKERS)
    context.route(
        "**/assets/javascripts/crible/worker.js*",
        lambda route: route.fulfill(
            content_type="text/javascript", body='throw new Error("panne simulée");'
        ),
    )
    page = context.new_page()

    def hold(route: Route) -> None:
        page.wait_for_function("window.__workerErrors.length > 0", timeout=ENGINE_TIMEOUT_MS)
        route.continue_()

    context.route(ENGINE_JS, hold)
    page.goto(site.url + "crible/", wait_until="commit")
    page.wait_for_selector(".crible[data-engine=error]", timeout=ENGINE_TIMEOUT_MS)
    # At once, with the worker's own error: not the start-up limit (15 s in these builds).
    # The reason (the browser's, in English) only in « Détails », never as the message.
    assert page.inner_text("[data-status] [data-message] > p") == STARTUP_FAILURE
    assert page.text_content("[data-status] [data-message-details] li") == (
        "le script du moteur n’a pas pu démarrer (Uncaught Error: panne simulée)"
    )
    assert page.is_visible("[data-paper]")
    first = next(w for w in page.evaluate("window.__workers") if w["name"] == "crible-engine")
    assert "engine.js" not in first["stack"]  # start.js's: the one the error came from


@pytest.mark.parametrize(
    "prefix", ["crible-wrong-mime", "crible-missing-runtime", "crible-csp-blocked"]
)
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
    # Material's navigation.tracking may add the section anchor it scrolled to.
    page.wait_for_url(re.compile(re.escape(site.url + "crible/") + "(#.*)?$"))
    wait_ready(page)
    # Material swapped the content without a page load: the marker survived.
    assert page.evaluate("window.__sameDocument") is True
    fill(page, BEST, "gt1y")
    expected = cli_result(BEST, "gt1y")
    assert wait_result(page)["verdict"] == expected["verdict"]
    assert page.evaluate("window.__csp") == []


def test_a_worker_that_dies_mid_session_ends_in_error_with_answers_kept(
    site: SiteServer, context: BrowserContext
) -> None:
    page = context.new_page()
    page.goto(site.url + "crible/")
    wait_ready(page)
    page.fill("#crible-label", "Lambda")
    page.check('fieldset[data-item="available"] input[value="yes"]')
    wait_result(page)
    engines = [worker for worker in page.workers if "worker.js" in worker.url]
    assert len(engines) == 1
    engines[0].evaluate("self.close()")  # the worker stops answering, as after a crash
    page.check('fieldset[data-item="competent"] input[value="no"]')
    page.wait_for_selector(".crible[data-engine=error]", timeout=ENGINE_TIMEOUT_MS)
    assert page.inner_text("[data-status] [data-message] > p") == STARTUP_FAILURE
    assert (
        page.text_content("[data-status] [data-message-details] li") == "le moteur ne répond plus"
    )
    assert page.is_visible("[data-paper]")
    assert page.input_value("#crible-label") == "Lambda"
    assert page.is_checked('fieldset[data-item="available"] input[value="yes"]')
    assert page.is_checked('fieldset[data-item="competent"] input[value="no"]')


HOSTILE_MESSAGES = """async (workerURL) => {
  const worker = new Worker(workerURL, { type: "module" });
  const ask = (message) => new Promise((resolve) => {
    const listener = (event) => {
      if (event.data.id !== message.id) return;
      worker.removeEventListener("message", listener);
      resolve(event.data);
    };
    worker.addEventListener("message", listener);
    worker.postMessage(message);
  });
  const answers = [];
  answers.push(await ask({ id: 1, fn: "evaluate", arg: 42 }));
  answers.push(await ask({ id: 2, fn: "__import__", arg: "os" }));
  const unknown = '{"questionnaire": "inconnu", "answers": {}}';
  const listed = '{"questionnaire": "contact", "answers": {"available": ["yes"]}}';
  answers.push(await ask({ id: 3, fn: "evaluate", arg: unknown }));
  answers.push(await ask({ id: 4, fn: "evaluate", arg: "[".repeat(60000) }));
  answers.push(await ask({ id: 5, fn: "evaluate", arg: listed }));
  answers.push(await ask({ id: 6, fn: "network", arg: '{"current": ""}' }));
  worker.terminate();
  return answers;
}"""


def test_the_worker_answers_hostile_messages_without_dying(
    site: SiteServer, context: BrowserContext
) -> None:
    page = context.new_page()
    page.goto(site.url + "crible/")
    wait_ready(page)
    # The page's own worker URL (start.js), without a snapshot file: this worker's memory is
    # not to be kept.
    url = page.evaluate(
        """() => {
        const url = window.cribleStart.workerURL();
        const settings = new URLSearchParams(url.hash.slice(1));
        settings.delete("snapshots");
        url.hash = settings.toString();
        return url.href;
    }"""
    )
    answers = page.evaluate(HOSTILE_MESSAGES, url)
    assert answers[0] == {"id": 1, "error": "arg must be a string"}
    # A name that is no entry point of scoring/contract.py: refused by Python, in French.
    assert answers[1]["id"] == 2
    assert json.loads(answers[1]["result"]) == {
        "ok": False,
        "errors": [
            {
                "path": "",
                "message": "Le moteur de calcul ne connaît pas l’appel «\u202f__import__\u202f»",
                "fix": "Rechargez la page\u202f; si le problème revient, signalez-le.",
            }
        ],
    }
    unknown = json.loads(answers[2]["result"])
    assert unknown["ok"] is False
    assert unknown["errors"][0]["path"] == "questionnaire"
    deep = json.loads(answers[3]["result"])
    assert deep["errors"][0]["message"] == (
        "Requête trop imbriquée (profondeur 60\u202f000, au plus 8)"
    )
    wrong_type = json.loads(answers[4]["result"])
    assert wrong_type["ok"] is False
    assert wrong_type["errors"][0]["path"] == "answers.available"
    # Still alive and still right after all that.
    assert answers[5] == {"id": 6, "result": browser.network('{"current": ""}')}
    assert json.loads(answers[5]["result"])["ok"] is True
