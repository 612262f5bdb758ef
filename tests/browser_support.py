"""Helpers shared by the browser tests: answers, waiting for the engine, recording traffic."""

from __future__ import annotations

import json
import subprocess
import sys
from typing import TYPE_CHECKING, Any

from site_support import ROOT

import scoring

if TYPE_CHECKING:
    from playwright.sync_api import BrowserContext, Page

ENGINE_TIMEOUT_MS = 60000  # generous: CI machines are slow; the page's own limit is 20 s here
CONTACT = scoring.load_questionnaire("contact")
ALL_IDS = [item.id for item in CONTACT.items]
BEST = {item.id: ("yes" if item.sign == "+" else "no") for item in CONTACT.items}
WORST = {item.id: ("no" if item.sign == "+" else "yes") for item in CONTACT.items}


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
