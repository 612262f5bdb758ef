"""Session fixtures: one real build of the site, one loopback server, one Chromium."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import pytest
from browser_support import Recorder
from chromium import chromium_path, missing
from site_support import SUB_PATH, SiteServer, build_site, free_port

if TYPE_CHECKING:
    from collections.abc import Iterator
    from pathlib import Path

    from playwright.sync_api import Browser, BrowserContext, Playwright

CHROMIUM = chromium_path()


def pytest_collection_finish(session: pytest.Session) -> None:
    """A run that needs the browser stops here, with one message, when it is missing."""
    problem = missing(CHROMIUM)
    if problem is not None and any(
        "browser" in getattr(item, "fixturenames", ()) for item in session.items
    ):
        pytest.exit(problem, returncode=pytest.ExitCode.USAGE_ERROR)


@pytest.fixture(scope="session")
def server_port() -> int:
    return free_port()


@pytest.fixture(scope="session")
def built_site(tmp_path_factory: pytest.TempPathFactory, server_port: int) -> Path:
    """The site built once, with site_url set to where the tests serve it (sub-path)."""
    site_dir = tmp_path_factory.mktemp("site")
    build_site(site_dir, f"http://127.0.0.1:{server_port}/{SUB_PATH}/")
    return site_dir


@pytest.fixture(scope="session")
def site(built_site: Path, server_port: int) -> Iterator[SiteServer]:
    with SiteServer(built_site, server_port) as server:
        yield server


@pytest.fixture(scope="session")
def playwright_instance() -> Iterator[Playwright]:
    from playwright.sync_api import sync_playwright  # noqa: PLC0415 (browser tests only)

    with sync_playwright() as playwright:
        yield playwright


# Every host but loopback is made unresolvable: a request that tries to leave the machine
# fails at name resolution, and the recorded requests prove none was attempted.
CHROMIUM_ARGS = [
    "--host-resolver-rules=MAP * ~NOTFOUND, EXCLUDE 127.0.0.1",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--disable-dev-shm-usage",
]


@pytest.fixture(scope="session")
def browser(playwright_instance: Playwright) -> Iterator[Browser]:
    browser = playwright_instance.chromium.launch(
        executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS
    )
    yield browser
    browser.close()


# A test's browser context: French, a desktop viewport, unless its module says otherwise in
# CONTEXT_OPTIONS (keyword arguments of Browser.new_context); closed after the test.
DEFAULT_CONTEXT: dict[str, Any] = {"locale": "fr-FR", "viewport": {"width": 1280, "height": 900}}


@pytest.fixture
def context(browser: Browser, request: pytest.FixtureRequest) -> Iterator[BrowserContext]:
    options = {**DEFAULT_CONTEXT, **getattr(request.module, "CONTEXT_OPTIONS", {})}
    context = browser.new_context(**options)
    yield context
    context.close()


@pytest.fixture
def recorder(context: BrowserContext) -> Recorder:
    """Records the requests, console errors and CSP violations of the module's `context`."""
    return Recorder(context)
