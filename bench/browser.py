"""The browser scenarios: headless Chromium with persistent profiles, timed inside the page.

Every time is taken by the page itself (`performance.now()`, ms since navigation start) through
an init script that Playwright injects before any script of the page: a MutationObserver answers
the first criterion as soon as its radio exists (`click()`: the events a visitor's click fires)
and notes when `[data-result]` first carries `data-score` (the site) or when `<html>` carries
`data-ready` (the bare reference, which writes its own `performance.now()` there). A
`PerformanceObserver` (`longtask`, `buffered`) collects the main thread's long tasks.
"""

from __future__ import annotations

import shutil
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from browser_support import ENGINE_MODULE, first_page
from conftest import CHROMIUM, CHROMIUM_ARGS

if TYPE_CHECKING:
    from pathlib import Path

    from playwright.sync_api import BrowserContext, Page, Playwright

    from bench.server import BenchServer, Hit

TIMEOUT_MS = 90_000  # any single wait; the engine gives up after ENGINE_TIMEOUT_MS
ENGINE_TIMEOUT_MS = 60_000  # the page's own limit, built into the benchmarked site
# Time on the page after the first result, before the browser closes. V8 writes a module's
# compiled wasm to its code cache only once enough functions have tiered up and a further
# delay (about 2 s) has passed: a shorter stay would hide that cache from the repeat visit.
DWELL_MS = 5_000
READ_MS = 5_000  # the guide page is "read" this long before the click
# After launch, before the first navigation: Chromium's own start-up work. A trace of the first
# seconds after launch showed a renderer of Chromium's internal pages (its omnibox's "AI mode"
# WebUI) busy for 1.7 s of CPU, in the middle of the measured visit, on a 2-core machine. A
# visitor opens a page in a browser already started; the wait is the same for both pages.
SETTLE_MS = 3_000

# Done: a score is shown (site), Python answered (bare), or the engine failed (site).
DONE = "[data-result][data-score], html[data-ready], .crible[data-engine=error]"

INIT_SCRIPT = """
(() => {
  const bench = { done: null, doneAbs: null, engineReady: null, answered: null,
                  click: null, longtasks: [], error: null };
  window.__bench = bench;
  try {
    new PerformanceObserver((list) => {
      for (const e of list.getEntries()) bench.longtasks.push([e.startTime, e.duration]);
    }).observe({ type: "longtask", buffered: true });
  } catch (error) {
    bench.error = `longtask observer: ${error}`;
  }
  const finish = (t) => {
    if (bench.done !== null) return;
    bench.done = t;
    bench.doneAbs = performance.timeOrigin + t;
  };
  const answered = new WeakSet();
  const check = () => {
    for (const root of document.querySelectorAll(".crible[data-engine]")) {
      if (!answered.has(root)) {
        const input = root.querySelector('fieldset[data-item] input[value="yes"]');
        if (input) {
          answered.add(root);
          input.click();
          bench.answered ??= performance.now();
        }
      }
      if (bench.engineReady === null && root.dataset.engine === "ready") {
        bench.engineReady = performance.now();
      }
      if (root.dataset.engine === "error") {
        bench.error = `engine: ${root.querySelector("[data-status]")?.textContent ?? "?"}`;
      }
    }
    if (document.querySelector("[data-result][data-score]")) finish(performance.now());
    const ready = document.documentElement?.dataset.ready;
    if (ready) finish(Number(ready));
  };
  new MutationObserver(check).observe(document, {
    childList: true, subtree: true, attributes: true,
    attributeFilter: ["data-score", "data-engine", "data-ready"],
  });
  addEventListener("click", (event) => {
    if (event.target instanceof Element && event.target.closest("a[href]")) {
      bench.click = performance.now();
      sessionStorage.setItem("bench-click", String(performance.timeOrigin + bench.click));
    }
  }, true);
})();
"""

READ_SCRIPT = """
() => {
  const nav = performance.getEntriesByType("navigation")[0];
  return {
    ...window.__bench,
    url: location.href,
    navigationUrl: nav ? nav.name : null,
    domContentLoaded: nav ? nav.domContentLoadedEventEnd : null,
    clickAbs: Number(sessionStorage.getItem("bench-click")) || null,
  };
}
"""


# The engine's own account of its start (worker.js's "ready" answer: which start it made, from a
# snapshot or not, and its timings on the worker's clock), read once the page is done. engine.js
# is the page's module instance (same URL): its engine is the one that answered. Null for the
# bare page.
ENGINE_SCRIPT = f"""
async () => {{
  if (!document.querySelector('meta[name="crible-engine"]')) return null;
  const {{ engineFor }} = await ({ENGINE_MODULE})();
  return {{ ...(await engineFor().ready), pageOrigin: performance.timeOrigin }};
}}
"""


class BenchError(RuntimeError):
    """A page did not reach its end state: the numbers of this run would mean nothing."""


@dataclass(slots=True)
class Visit:
    """One page load, as the page measured it, and the requests the server answered for it."""

    state: dict[str, Any]
    hits: list[Hit] = field(default_factory=list)

    @property
    def done_ms(self) -> float:
        return float(self.state["done"])

    @property
    def engine_start(self) -> str:
        """How the engine started ("normal" or "snapshot"), or "" for the bare page."""
        engine = self.state.get("engine") or {}
        return str(engine.get("start", {}).get("path", ""))

    def longtasks_until_done(self) -> list[tuple[float, float]]:
        tasks: list[list[float]] = self.state["longtasks"]
        return [(start, duration) for start, duration in tasks if start < self.done_ms]

    def as_json(self) -> dict[str, Any]:
        return {
            **self.state,
            "requests": [
                {"path": hit.path, "status": hit.status, "bytes": hit.sent, "aborted": hit.aborted}
                for hit in self.hits
            ],
        }


def launch(playwright: Playwright, profile: Path) -> BrowserContext:
    """Headless Chromium on a persistent profile: HTTP cache and wasm code cache as on disk."""
    context = playwright.chromium.launch_persistent_context(
        user_data_dir=str(profile),
        executable_path=CHROMIUM,
        headless=True,
        args=CHROMIUM_ARGS,
        locale="fr-FR",
        viewport={"width": 1280, "height": 800},
    )
    context.add_init_script(INIT_SCRIPT)
    first_page(context).wait_for_timeout(SETTLE_MS)
    return context


def _read(page: Page) -> dict[str, Any]:
    state: dict[str, Any] = page.evaluate(READ_SCRIPT)
    if state.get("error") or state.get("done") is None:
        raise BenchError(f"{page.url}: {state.get('error') or 'no end state'}")
    return state


def _wait_done(page: Page) -> dict[str, Any]:
    page.wait_for_selector(DONE, state="attached", timeout=TIMEOUT_MS)
    state = _read(page)
    state["engine"] = page.evaluate(ENGINE_SCRIPT)
    return state


def load(context: BrowserContext, url: str) -> dict[str, Any]:
    """Navigate directly to `url` and wait for the first score (site) or readiness (bare)."""
    page = first_page(context)
    page.goto(url, wait_until="commit", timeout=TIMEOUT_MS)
    return _wait_done(page)


def first_and_repeat(
    playwright: Playwright, server: BenchServer, url: str, profile: Path
) -> tuple[Visit, Visit]:
    """A first visit on a fresh profile, then the browser reopened on it for a repeat visit."""
    shutil.rmtree(profile, ignore_errors=True)
    visits = []
    for _ in range(2):
        mark = server.mark()
        context = launch(playwright, profile)
        try:
            state = load(context, url)
            first_page(context).wait_for_timeout(DWELL_MS)
        finally:
            context.close()
        visits.append(Visit(state, server.since(mark)))
    return visits[0], visits[1]


@dataclass(slots=True)
class GuideVisit:
    """Reading a guide page on a fresh profile, then clicking through to the crible."""

    guide: Visit  # the guide page: its requests during the reading time
    crible: Visit  # after the click: its requests until the first score
    click_to_done_ms: float
    instant: bool  # Material's instant navigation swapped the page (no new document)


def from_guide(  # noqa: PLR0913 (each is a setting of the scenario)
    playwright: Playwright,
    server: BenchServer,
    guide_url: str,
    link: str,
    profile: Path,
    hover_ms: int = 0,
) -> GuideVisit:
    """Read `guide_url` for READ_MS, then (if `hover_ms`) rest the pointer on the link that
    long, then click it; the time is taken from the click."""
    shutil.rmtree(profile, ignore_errors=True)
    context = launch(playwright, profile)
    try:
        page = first_page(context)
        mark = server.mark()
        page.goto(guide_url, wait_until="load", timeout=TIMEOUT_MS)
        page.wait_for_timeout(READ_MS)
        guide_state: dict[str, Any] = page.evaluate(READ_SCRIPT)
        guide_hits = server.since(mark)
        mark = server.mark()
        if hover_ms:
            page.locator(link).first.hover(timeout=TIMEOUT_MS)
            page.wait_for_timeout(hover_ms)
        page.locator(link).first.click(timeout=TIMEOUT_MS)
        state = _wait_done(page)
        page.wait_for_timeout(500)  # let the last responses be logged
        crible_hits = server.since(mark)
    finally:
        context.close()
    if state["clickAbs"] is None:
        raise BenchError(f"{guide_url}: the click on {link!r} was not seen")
    return GuideVisit(
        guide=Visit(guide_state, guide_hits),
        crible=Visit(state, crible_hits),
        click_to_done_ms=float(state["doneAbs"]) - float(state["clickAbs"]),
        instant=state["navigationUrl"] == guide_url,
    )
