"""An old release of the site, from git history, facing what the current one wrote.

The previous release (`OLD_RELEASE`, archive version 2) is built from git history with this
venv's MkDocs, its own `scoring` and its own pinned Pyodide, and served at the same origin
and sub-path as the current build (one server whose root is switched, SiteServer.serving):
one browser context, one localStorage, as a visitor meets a rollback. The current build saves
a version 3 archive; the old build must never offer a reset, must refuse to overwrite it and
must hand it over as it is; the current build then finds everything where it was.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
from datetime import UTC, date, datetime, timedelta
from typing import TYPE_CHECKING, Any

import pytest
from browser_support import ARCHIVE_KEY, BEST, ENGINE_TIMEOUT_MS, fill, stored, wait_ready
from browser_support import wait_result as wait_crible_result
from site_support import ROOT, SUB_PATH, build_site

from scoring.archive import Archive, Contact, dump_archive

if TYPE_CHECKING:
    from collections.abc import Iterator
    from pathlib import Path

    from playwright.sync_api import Browser, BrowserContext, Page
    from site_support import SiteServer

pytestmark = [pytest.mark.browser, pytest.mark.build]

OLD_RELEASE = "61f8de0"  # the release before archive version 3 (it knows "newer" archives)

# No service worker: each build's pages come from the server, never from the other's cache.
OPTIONS: dict[str, Any] = {
    "locale": "fr-FR",
    "viewport": {"width": 1280, "height": 900},
    "service_workers": "block",
}


def _git(*args: str) -> subprocess.CompletedProcess[bytes]:
    git = shutil.which("git")
    if git is None:
        pytest.skip("git is not installed: the old release cannot be taken from history")
    return subprocess.run([git, *args], cwd=ROOT, capture_output=True, check=False)


@pytest.fixture(scope="module")
def old_site(tmp_path_factory: pytest.TempPathFactory, server_port: int) -> Path:
    """The site of OLD_RELEASE, built for the origin and sub-path the tests serve."""
    if _git("cat-file", "-e", f"{OLD_RELEASE}^{{commit}}").returncode != 0:
        pytest.skip(f"commit {OLD_RELEASE} is not in this clone (a shallow clone?)")
    project = tmp_path_factory.mktemp("old-release")
    archive = project / "release.tar"
    tar = _git("archive", "--output", str(archive), OLD_RELEASE)
    assert tar.returncode == 0, tar.stderr.decode()
    shutil.unpack_archive(archive, project, filter="data")
    archive.unlink()
    # Its own Pyodide (it pins another version than this build; its hook checks the pin).
    npm = shutil.which("npm")
    assert npm is not None, "npm is needed to install the old release's Pyodide"
    subprocess.run(
        [npm, "ci", "--no-audit", "--no-fund", "--omit=dev"],
        cwd=project,
        capture_output=True,
        check=True,
    )
    site_dir = tmp_path_factory.mktemp("old-site")
    # Its own `scoring` (the build's hooks and wheel), ahead of this checkout's editable one.
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv(
            "PYTHONPATH", os.pathsep.join([str(project), os.environ.get("PYTHONPATH", "")])
        )
        build_site(site_dir, f"http://127.0.0.1:{server_port}/{SUB_PATH}/", project=project)
    return site_dir


@pytest.fixture
def tab_context(browser: Browser) -> Iterator[BrowserContext]:
    context = browser.new_context(**OPTIONS)
    yield context
    context.close()


def fresh_page(context: BrowserContext, errors: list[str]) -> Page:
    """A new tab, the context's HTTP cache emptied first: the files now served are the ones
    loaded (localStorage stays)."""
    page = context.new_page()
    context.new_cdp_session(page).send("Network.clearBrowserCache")
    page.on("pageerror", lambda error: errors.append(str(error)))
    return page


def network_rows(page: Page, site: SiteServer) -> list[list[str]]:
    page.goto(site.url + "mon-reseau/")
    page.wait_for_selector(".reseau[data-engine=ready] [data-table]", timeout=ENGINE_TIMEOUT_MS)
    rows: list[list[str]] = page.eval_on_selector_all(
        "[data-table] tbody tr",
        "rows => rows.map(r => [r.cells[0].textContent.trim(), r.cells[1].textContent.trim()])",
    )
    return sorted(
        [label.replace("\u2068", "").replace("\u2069", ""), verdict] for label, verdict in rows
    )


def save_on_crible(page: Page, site: SiteServer, label: str) -> None:
    page.goto(site.url + "crible/")
    wait_ready(page)
    page.wait_for_selector("[data-save]:not([hidden])")
    page.fill("#crible-label", label)
    fill(page, BEST, "gt1y")
    wait_crible_result(page)
    page.click("[data-save-button]")


def imported_contact() -> str:
    """A person brought in by an import, as this build's `scoring` writes it (version 3)."""
    now = datetime.now(UTC).replace(microsecond=0)
    ada = Contact(
        id="c-ada",
        label="Ada Lovelace",
        created=now - timedelta(days=30),
        url="https://www.linkedin.com/in/ada-lovelace-1815",
        connected_on=date(2021, 3, 15),
    )
    return dump_archive(Archive(contacts=(ada,)))


def test_the_old_release_never_offers_a_reset_and_loses_nothing_of_a_version_3_archive(
    site: SiteServer, old_site: Path, tab_context: BrowserContext
) -> None:
    errors: list[str] = []
    # (1) The current build: an imported contact (version 3), evaluated on the crible.
    page = fresh_page(tab_context, errors)
    page.goto(site.url)
    page.evaluate("([k, t]) => localStorage.setItem(k, t)", [ARCHIVE_KEY, imported_contact()])
    page.goto(site.url + "crible/?contact=c-ada")
    wait_ready(page)
    page.wait_for_selector("[data-reevaluation]:not([hidden])")
    assert page.input_value("#crible-label") == "Ada Lovelace"
    fill(page, BEST, "gt1y")
    wait_crible_result(page)
    page.click("[data-save-button]")
    page.wait_for_selector("[data-save-status] a")
    raw = stored(page) or ""
    archive = json.loads(raw)
    assert archive["version"] == 3
    assert [(c["label"], c["url"], len(c["evaluations"])) for c in archive["contacts"]] == [
        ("Ada Lovelace", "https://www.linkedin.com/in/ada-lovelace-1815", 1)
    ]
    before = network_rows(page, site)
    assert before == [["Ada Lovelace", "À cultiver"]]
    page.close()

    with site.serving(old_site):
        # (2) The old build's Mon réseau: « newer », no reset, the raw text offered.
        page = fresh_page(tab_context, errors)
        page.goto(site.url + "mon-reseau/")
        page.wait_for_selector(
            ".reseau[data-engine=ready] [data-newer]:not([hidden])", timeout=ENGINE_TIMEOUT_MS
        )
        assert page.locator("[data-contacts-import]").count() == 0  # the old pages indeed
        assert page.inner_text(".reseau [data-status]") == (
            "Une version plus récente du site a enregistré ces données\u00a0: rechargez la page."
        )
        assert not page.is_visible("[data-reset]")
        assert not page.is_visible("[data-corrupt]")
        assert page.is_visible("[data-reload]")
        with page.expect_download() as download:
            page.click("[data-download-newer]")
        assert download.value.path().read_text(encoding="utf-8") == raw
        assert stored(page) == raw

        # (3) The old build's crible: a save is refused, the stored text untouched.
        save_on_crible(page, site, "Bruno")
        page.wait_for_selector("[data-save-status]:has-text('pas été enregistrée')")
        assert page.inner_text("[data-save-status]") == (
            "L’évaluation n’a pas été enregistrée\u00a0: une version plus récente du site a "
            "enregistré vos données sur cet appareil, et cette page ne doit pas les remplacer. "
            "Rechargez la page, puis enregistrez de nouveau."
        )
        assert stored(page) == raw
        page.close()

    # (4) The current build again: everything as before, and a new save works.
    page = fresh_page(tab_context, errors)
    assert network_rows(page, site) == before
    assert stored(page) == raw
    save_on_crible(page, site, "Bruno")
    page.wait_for_selector("[data-save-status] a")
    assert network_rows(page, site) == [["Ada Lovelace", "À cultiver"], ["Bruno", "À cultiver"]]
    after = json.loads(stored(page) or "")
    assert after["version"] == 3
    assert after["contacts"][0] == archive["contacts"][0]
    assert errors == []
