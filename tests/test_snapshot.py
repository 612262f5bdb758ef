"""The engine's start-up snapshot, in real Chromium with the real Pyodide (worker.js).

After a first start, the worker copies Python's memory (before any call of the page reaches
Python) and writes it to the origin private file system; the next worker restores it instead of
starting Python again. Here: the second visit really starts from it and computes the verdict the
CLI computes; no data the page sent is in it; a damaged or foreign copy is never used, the
engine starts normally and writes a good one; "Effacer toutes mes données" deletes it. (A new
deployment, with another wheel, is in test_offline.py: it needs two builds.)
"""

from __future__ import annotations

import time
from typing import TYPE_CHECKING, Any

import pytest
from browser_support import (
    ARCHIVE_KEY,
    BEST,
    ENGINE_MODULE,
    ENGINE_TIMEOUT_MS,
    WORST,
    Recorder,
    cli_result,
    fill,
    network_archive,
    wait_result,
)

if TYPE_CHECKING:
    from playwright.sync_api import BrowserContext, Page
    from site_support import SiteServer

pytestmark = pytest.mark.browser

# engine.js names the file after the site's path ("/crible/"), percent-encoded.
FILE = "%2Fcrible%2F.crible.engine"

READY = f"""async () => {{
  const engine = await ({ENGINE_MODULE})();
  return {{ ...(await engine.engineFor().ready), file: engine.snapshotFile() }};
}}"""

# The snapshot file as the page sees it: its size, its header and whether it holds a string.
STORED = """async ([name, needle]) => {
  const directory = await navigator.storage.getDirectory();
  const names = [];
  for await (const key of directory.keys()) names.push(key);
  let file;
  try {
    file = await (await directory.getFileHandle(name)).getFile();
  } catch {
    return { names, size: null };
  }
  const bytes = new Uint8Array(await file.arrayBuffer());
  const magic = new TextDecoder().decode(bytes.subarray(0, 16));
  const length = new DataView(bytes.buffer).getUint32(16, true);
  const header = JSON.parse(new TextDecoder().decode(bytes.subarray(20, 20 + length)));
  const found = {};
  for (const text of needle) {
    const target = new TextEncoder().encode(text);
    found[text] = false;
    search: for (let i = 20 + length; i <= bytes.length - target.length; i += 1) {
      if (bytes[i] !== target[0]) continue;
      for (let j = 1; j < target.length; j += 1) if (bytes[i + j] !== target[j]) continue search;
      found[text] = true;
      break;
    }
  }
  return { names, size: bytes.length, magic, key: JSON.parse(header.key), found };
}"""

# Overwrite part of the stored file: `at` bytes from the start (negative: from the end).
DAMAGE = """async ([name, at, text]) => {
  const directory = await navigator.storage.getDirectory();
  const handle = await directory.getFileHandle(name);
  const size = (await handle.getFile()).size;
  const writable = await handle.createWritable({ keepExistingData: true });
  await writable.write({ type: "write", position: at < 0 ? size + at : at,
                         data: new TextEncoder().encode(text) });
  await writable.close();
  return size;
}"""


def ready(page: Page) -> dict[str, Any]:
    info: dict[str, Any] = page.evaluate(READY)
    return info


def stored(page: Page, *needles: str) -> dict[str, Any]:
    state: dict[str, Any] = page.evaluate(STORED, [FILE, list(needles)])
    return state


def wait_stored(page: Page) -> dict[str, Any]:
    """Until the worker has written its snapshot (one second after "ready", then the write)."""
    deadline = time.monotonic() + ENGINE_TIMEOUT_MS / 1000
    while time.monotonic() < deadline:
        state = stored(page)
        if state["size"] is not None and FILE + ".partial" not in state["names"]:
            return state
        time.sleep(0.25)
    raise AssertionError(f"no snapshot was written: {stored(page)}")


def visit(context: BrowserContext, url: str) -> Page:
    """A new page (hence a new engine worker), the previous ones closed."""
    for page in context.pages:
        page.close()
    page = context.new_page()
    page.goto(url)
    page.wait_for_selector("[data-engine=ready]", timeout=ENGINE_TIMEOUT_MS)
    return page


def assert_verdict(page: Page, answers: dict[str, str], duration: str) -> None:
    page.click(".crible button[type=reset]")
    fill(page, answers, duration)
    expected = cli_result(answers, duration)
    shown = wait_result(page)
    assert (shown["verdict"], shown["score"]) == (expected["verdict"], str(expected["score"]))


def test_the_second_visit_starts_from_the_snapshot(
    site: SiteServer, context: BrowserContext, recorder: Recorder
) -> None:
    page = visit(context, site.url + "crible/")
    first = ready(page)
    assert first["file"] == FILE
    assert first["start"] == {"path": "normal", "snapshot": "absent"}
    written = wait_stored(page)
    assert written["magic"] == "crible-snapshot\n"
    # Keyed on the runtime, the stdlib and the wheel the page names (their digests in the URLs).
    meta = page.locator('meta[name="crible-engine"]')
    for attribute in ("data-engine-index", "data-engine-stdlib", "data-engine-wheel"):
        relative = meta.get_attribute(attribute) or ""
        absolute = page.evaluate("(url) => new URL(url, document.baseURI).href", relative)
        assert absolute in written["key"], attribute
    # The memory is 31 MB, but only its pages that hold something are written.
    assert 5_000_000 < written["size"] < 25_000_000

    again = recorder.watch(visit(context, site.url + "crible/"))
    second = ready(again)
    assert second["start"] == {"path": "snapshot", "snapshot": "loaded"}
    assert second["scoring"] == first["scoring"]
    assert second["python"] == first["python"]
    # The files are not in the snapshot: written again, by the worker, as on the first start.
    assert second["install"] == first["install"]
    assert second["install"]["via"] == "worker"
    assert_verdict(again, BEST, "gt1y")
    assert_verdict(again, WORST, "lt1m")
    assert again.evaluate("window.__csp") == []
    assert recorder.console_errors == []
    # The restored engine also serves Mon réseau's calls (an empty network).
    network = visit(context, site.url + "mon-reseau/")
    assert ready(network)["start"]["path"] == "snapshot"
    network.wait_for_selector("[data-empty]:not([hidden])")


def test_nothing_the_page_sends_is_in_the_snapshot(
    site: SiteServer, context: BrowserContext
) -> None:
    """A call sent before the engine is ready reaches Python after the copy is taken."""
    marker = "zq-visitor-data-7f3a91c2"
    page = context.new_page()
    page.goto(site.url + "crible/", wait_until="commit")
    # start.js, inlined in <head> right after the engine's meta, has run.
    page.wait_for_function("'cribleStart' in window", polling=10)
    answer = page.evaluate(
        f"""async (marker) => {{
        const engine = await ({ENGINE_MODULE})();
        const pending = engine.engineFor().call("evaluate", marker);
        const early = !document.querySelector(".crible[data-engine=ready]");
        return {{ early, answer: JSON.parse(await pending) }};
    }}""",
        marker,
    )
    assert answer["early"] is True
    assert answer["answer"]["ok"] is False  # Python did receive it: not a JSON request
    assert ready(page)["start"]["path"] == "normal"
    wait_stored(page)
    # The copy holds Python's own strings, not the one the page sent.
    found = stored(page, marker, "scoring.browser")["found"]
    assert found == {marker: False, "scoring.browser": True}


@pytest.mark.parametrize(
    ("damage", "at", "reason"),
    [
        # A few bytes of memory changed on disk: Pyodide would restore them; the digest refuses.
        ("payload", -4_000_000, "damaged"),
        ("magic", 0, "damaged"),
        ("header", 40, "damaged"),
    ],
)
def test_a_damaged_snapshot_is_never_used_and_is_replaced(
    site: SiteServer, context: BrowserContext, damage: str, at: int, reason: str
) -> None:
    page = visit(context, site.url + "crible/")
    wait_stored(page)
    size = page.evaluate(DAMAGE, [FILE, at, "\x00garbage" * 8])
    assert size > 5_000_000, damage

    damaged = visit(context, site.url + "crible/")
    assert ready(damaged)["start"] == {"path": "normal", "snapshot": reason}
    assert_verdict(damaged, BEST, "gt1y")
    # The bad copy went; the normal start wrote a good one, which the next visit uses.
    assert wait_stored(damaged)["magic"] == "crible-snapshot\n"
    repaired = visit(context, site.url + "crible/")
    assert ready(repaired)["start"] == {"path": "snapshot", "snapshot": "loaded"}
    assert_verdict(repaired, WORST, "gt1y")


def test_another_builds_snapshot_is_never_used(site: SiteServer, context: BrowserContext) -> None:
    """A copy whose key names other engine files (here: another wheel digest) is dropped."""
    page = visit(context, site.url + "crible/")
    key = wait_stored(page)["key"]
    wheel = next(part for part in key if isinstance(part, str) and ".whl?v=" in part)
    digest = wheel.rpartition("?v=")[2]
    other = "0" * len(digest) if digest != "0" * len(digest) else "1" * len(digest)
    # The header's key, rewritten in place (same length): a snapshot made for another wheel.
    offset = page.evaluate(
        """async ([name, digest]) => {
        const file = await (await (await navigator.storage.getDirectory())
          .getFileHandle(name)).getFile();
        const head = new TextDecoder("latin1").decode(await file.slice(0, 4096).arrayBuffer());
        return head.indexOf(digest);
    }""",
        [FILE, digest],
    )
    assert offset > 20
    page.evaluate(DAMAGE, [FILE, offset, other])

    stale = visit(context, site.url + "crible/")
    assert ready(stale)["start"] == {"path": "normal", "snapshot": "stale"}
    assert_verdict(stale, BEST, "3to12m")
    assert wait_stored(stale)["key"] == key


def test_erasing_all_data_deletes_the_snapshot(site: SiteServer, context: BrowserContext) -> None:
    page = visit(context, site.url + "mon-reseau/")
    wait_stored(page)
    # Erasing is offered once something is stored; it asks first, in the page's own dialog.
    page.evaluate(
        "([key, text]) => localStorage.setItem(key, text)", [ARCHIVE_KEY, network_archive()]
    )
    page.reload()
    page.wait_for_selector(".reseau[data-engine=ready] [data-overview]:not([hidden])")
    page.click("[data-erase]")
    page.click("[data-erase-dialog][open] [data-erase-confirm]")
    deadline = time.monotonic() + 10
    while stored(page)["size"] is not None and time.monotonic() < deadline:
        time.sleep(0.1)
    state = stored(page)
    assert state["size"] is None
    assert [name for name in state["names"] if name.startswith(FILE)] == []
