"""Helpers shared by the browser tests: answers, waiting for the engine, recording traffic."""

from __future__ import annotations

import contextlib
import json
import subprocess
import sys
from datetime import UTC, datetime, timedelta
from typing import TYPE_CHECKING, Any

from site_support import ROOT, SUB_PATH

import scoring
from scoring import browser as scoring_browser

if TYPE_CHECKING:
    from collections.abc import Callable, Iterator

    from playwright.sync_api import BrowserContext, Dialog, Page

# A page function resolving to the page's own engine module, engine.js: the URL its scripts
# import, so the same instance, whose engineFor() is the page's engine.
ENGINE_MODULE = """async () => {
  const meta = document.querySelector('meta[name="crible-engine"]');
  const url = new URL(meta.dataset.engineWorker.replace(/worker\\.js(\\?.*)?$/, "engine.js"),
                      document.baseURI);
  return import(url.href);
}"""

ENGINE_TIMEOUT_MS = 60000  # generous: CI machines are slow; the page's own limit is 20 s here
CONTACT = scoring.load_questionnaire("contact")
ALL_IDS = [item.id for item in CONTACT.items]


def best(questionnaire: scoring.Questionnaire) -> dict[str, str]:
    """Every answer in favour: "yes" to the positive criteria, "no" to the negative ones."""
    return {item.id: ("yes" if item.sign == "+" else "no") for item in questionnaire.items}


def worst(questionnaire: scoring.Questionnaire) -> dict[str, str]:
    return {item.id: ("no" if item.sign == "+" else "yes") for item in questionnaire.items}


BEST = best(CONTACT)
WORST = worst(CONTACT)


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


@contextlib.contextmanager
def closing_all(
    open_context: Callable[..., BrowserContext],
) -> Iterator[Callable[..., BrowserContext]]:
    """`open_context` as a test's fixture gives it: every context it opened is closed when the
    block ends (a context the test closed itself is closed again, which does nothing)."""
    opened: list[BrowserContext] = []

    def opening(*args: Any, **kwargs: Any) -> BrowserContext:
        context = open_context(*args, **kwargs)
        opened.append(context)
        return context

    try:
        yield opening
    finally:
        for context in opened:
            context.close()


def first_page(context: BrowserContext) -> Page:
    """The page a persistent context opens with (a new one if it has none)."""
    return context.pages[0] if context.pages else context.new_page()


def cli_result(
    answers: dict[str, str], duration: str | None, questionnaire: str = "contact"
) -> dict[str, Any]:
    """What `python -m scoring evaluate` says for the same answers: the reference."""
    request: dict[str, Any] = {"questionnaire": questionnaire, "answers": answers}
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


# Where the pages keep the visitor's archive (store.js): the site's path, then .crible.archive.
ARCHIVE_KEY = f"/{SUB_PATH}/.crible.archive"


def stored(page: Page) -> str | None:
    """The archive text the page stored, or None."""
    value = page.evaluate(f"localStorage.getItem({json.dumps(ARCHIVE_KEY)})")
    return value if value is None else str(value)


def dialogs_of(page: Page) -> list[str]:
    """The messages of every dialog the page opens (each dismissed): a script injected through
    a label would show itself here with alert(1)."""
    messages: list[str] = []

    def dismiss(dialog: Dialog) -> None:
        messages.append(dialog.message)
        dialog.dismiss()

    page.on("dialog", dismiss)
    return messages


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


def refused_save(page: Page, url: str, label: str) -> str:
    """Open the crible of the site at `url`, answer it at its best for `label`, save, and
    return the save status once it says the evaluation was not saved."""
    page.goto(url + "crible/")
    wait_ready(page)
    page.wait_for_selector("[data-save]:not([hidden])")
    page.fill("#crible-label", label)
    fill(page, BEST, "gt1y")
    wait_result(page)
    page.click("[data-save-button]")
    page.wait_for_selector("[data-save-status]:has-text('pas été enregistrée')")
    return page.inner_text("[data-save-status]")


def record(
    archive: str,
    contact: dict[str, str],
    evaluation: dict[str, Any],
) -> str:
    """The archive after one saved evaluation, as the page's worker computes it (scoring)."""
    request = {
        "current": archive,
        "op": "record",
        "contact": contact,
        "evaluation": evaluation,
        "created": evaluation["date"],
    }
    response = json.loads(scoring_browser.update(json.dumps(request)))
    assert response["ok"] is True, response
    text: str = response["result"]["archive"]
    return text


def summary_of(archive: str) -> dict[str, Any]:
    """What Mon réseau is given for this archive: the reference for what it shows."""
    response = json.loads(scoring_browser.network(json.dumps({"current": archive})))
    assert response["ok"] is True, response
    result: dict[str, Any] = response["result"]
    return result


GROUPE = scoring.load_questionnaire("groupe")
DONNE = scoring.load_questionnaire("donne")
APPORT = scoring.load_questionnaire("apport")


def network_archive() -> str:
    """Every state of Mon réseau at once: four contacts, one in each quadrant of the map, one
    contact with a single side, three groups (one to leave, one to reduce), the visitor's own
    two evaluations, and time recorded on both sides. Built by scoring, as the pages would."""
    now = datetime.now(UTC).replace(microsecond=0)

    def iso(days_ago: int) -> str:
        return (now - timedelta(days=days_ago)).isoformat().replace("+00:00", "Z")

    archive = ""
    serial = 0

    def save(
        contact: tuple[str, str, str],
        questionnaire: str,
        answers: dict[str, str],
        days_ago: int,
        minutes: int | None = None,
    ) -> None:
        nonlocal archive, serial
        serial += 1
        evaluation: dict[str, Any] = {
            "id": f"e-{serial:04d}",
            "date": iso(days_ago),
            "questionnaire": questionnaire,
            "answers": answers,
            "context": {"duration": "gt1y"},
        }
        if minutes is not None:
            evaluation["minutes"] = minutes
        ident, label, kind = contact
        archive = record(archive, {"id": ident, "label": label, "kind": kind}, evaluation)

    alice = ("c-a11ce0", "Alice", "contact")
    bruno = ("c-b00b00", "Bruno", "contact")
    chloe = ("c-c4c4c4", "Chloé", "contact")
    damien = ("c-d4d4d4", "Damien", "contact")
    elise = ("c-e1e1e1", "Élise", "contact")
    save(alice, "contact", WORST, 300)
    save(alice, "contact", BEST, 3, minutes=120)
    save(alice, "donne", best(DONNE), 3, minutes=60)
    save(bruno, "contact", BEST, 5, minutes=240)
    save(bruno, "donne", worst(DONNE), 5)
    save(chloe, "contact", WORST, 6)
    save(chloe, "donne", best(DONNE), 6, minutes=300)
    save(damien, "contact", WORST, 7)
    save(damien, "donne", worst(DONNE), 7)
    save(elise, "contact", {"available": "yes", "feel-empty": "yes"}, 8)
    save(("g-f0f0f0", "Forum des chercheurs", "groupe"), "groupe", best(GROUPE), 4, minutes=180)
    save(("g-b0b0b0", "Liste <b>polémique</b>", "groupe"), "groupe", worst(GROUPE), 4, minutes=600)
    mixed = {**best(GROUPE), "time-sink": "yes", "habit": "yes", "useful": "no", "polemics": "yes"}
    save(("g-c0c0c0", "Club du jeudi", "groupe"), "groupe", mixed, 9, minutes=90)
    save(("s-000001", "Vous", "soi"), "apport", worst(APPORT), 200)
    save(("s-000001", "Vous", "soi"), "apport", best(APPORT), 2)
    return archive
