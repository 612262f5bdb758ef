"""The engine's downloads and install, in real Chromium with the real Pyodide (worker.js).

The worker starts the runtime's downloads itself, as soon as it starts, and hands them over to
Pyodide when Pyodide asks for them (startDownloads). Here, counted by the browser (a request the
HTTP cache answers counts too): on a first visit each file of the engine, the worker's script
included, is requested exactly once (a handover that stopped working would download the
WebAssembly and the standard library twice), and the engine computes the verdict the CLI
computes. The service worker is blocked so that what is counted is the engine's start alone;
the offline copy, which takes the same files from the HTTP cache without a request, is counted
with it by tests/test_intent.py (what the server answered, first and repeat visits). And the
wheel is installed by the worker itself (wheelFiles): every file of the archive, at its size.
"""

from __future__ import annotations

import json
import zipfile
from collections import Counter
from typing import TYPE_CHECKING

import pytest
from browser_support import (
    BEST,
    ENGINE_MODULE,
    Recorder,
    cli_result,
    fill,
    wait_ready,
    wait_result,
)
from engine_assets import find_runtime
from site_support import ROOT

from scoring import browser

if TYPE_CHECKING:
    from pathlib import Path

    from playwright.sync_api import BrowserContext
    from site_support import SiteServer

pytestmark = pytest.mark.browser

# The runtime of the pin (package-lock.json), as the build copies it.
RUNTIME = f"/crible/assets/pyodide/{find_runtime(ROOT).version}/"
ENGINE = "/crible/assets/engine/"
WORKER = "/crible/assets/javascripts/crible/worker.js"


CONTEXT_OPTIONS = {"service_workers": "block"}  # see conftest.context


def test_each_engine_file_is_requested_once_per_start(
    context: BrowserContext, recorder: Recorder, site: SiteServer
) -> None:
    page = context.new_page()
    page.goto(f"{site.url}crible/")
    fill(page, BEST, "gt1y")
    shown, expected = wait_result(page), cli_result(BEST, "gt1y")
    assert (shown["verdict"], shown["score"]) == (expected["verdict"], str(expected["score"]))
    # The browser's record, not the server's: a second request answered by the HTTP cache
    # counts too.
    runtime, engine = f"{site.origin}{RUNTIME}", f"{site.origin}{ENGINE}"
    worker = f"{site.origin}{WORKER}"
    engine_files = Counter(
        url.split("?")[0].rsplit("/", 1)[1]
        for url in recorder.requests
        if url.startswith((runtime, engine, worker))
    )
    assert engine_files == {
        "worker.js": 1,
        "pyodide.mjs": 1,
        "pyodide.asm.mjs": 1,
        "pyodide.asm.wasm": 1,
        "pyodide-lock.json": 1,
        "python_stdlib.zip": 1,
        "crible_scoring-0.1.0-py3-none-any.whl": 1,
    }


READY = f"async () => (await ({ENGINE_MODULE})()).engineFor().ready"
CALL = f"async ([fn, arg]) => (await ({ENGINE_MODULE})()).engineFor().call(fn, arg)"


def test_the_worker_installs_every_file_of_the_wheel(
    context: BrowserContext, site: SiteServer, built_site: Path
) -> None:
    with zipfile.ZipFile(built_site / "assets/engine/crible_scoring-0.1.0-py3-none-any.whl") as z:
        files = [info for info in z.infolist() if not info.is_dir()]
    assert len(files) > 30  # the modules, their bytecode, the definitions, the metadata
    page = context.new_page()
    page.goto(f"{site.url}crible/")
    wait_ready(page)
    ready = page.evaluate(READY)
    assert ready["install"] == {
        "via": "worker",
        "files": len(files),
        "bytes": sum(info.file_size for info in files),
    }
    # The files are Python's: a definition read by pkgutil, a module imported on first use.
    fill(page, BEST, "gt1y")
    assert wait_result(page)["verdict"] == cli_result(BEST, "gt1y")["verdict"]
    archive = json.dumps({"format": "crible-archive", "version": 1, "contacts": []})
    request = json.dumps({"current": archive})
    answer = page.evaluate(CALL, ["network", request])
    assert answer == browser.network(request)
    assert json.loads(answer)["ok"] is True
