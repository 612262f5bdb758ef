"""A new subject is data only: in a copy of the repository, its entry in subjects.toml, its
questionnaire (a TOML file), its page and its nav line; no code. The copy builds, and in real
Chromium with real Pyodide, under the sub-path, the page asks for its name in its own words, the
evaluation is saved as an entry of the new kind, and Mon réseau counts it, names it and links
its re-evaluation to its page.

Nothing is mocked, and nothing may leave the origin."""

from __future__ import annotations

import json
from typing import TYPE_CHECKING

import pytest
from browser_support import Recorder, best, fill, stored, wait_ready, wait_result
from site_support import SUB_PATH, SiteServer, add_to_nav, build_site, copy_project, free_port

import scoring

if TYPE_CHECKING:
    from collections.abc import Iterator

    from playwright.sync_api import BrowserContext

pytestmark = pytest.mark.browser

SUBJECT = """
[[subjects]]
id = "entreprise"
questionnaire = "entreprise"
about = "une entreprise"
saved_as = "une entreprise"
this = "cette entreprise"
one = "{n} entreprise"
many = "{n} entreprises"
new = "Nouvelle entreprise"
evaluate = "Évaluer une entreprise"
reevaluate = "Réévaluer"
suffix = "(entreprise)"

[subjects.form]
ask = "Quelle entreprise évaluez-vous ?"
ask_hint = "Un nom court suffit ; il reste sur votre appareil."
unnamed = "Donnez d'abord un nom à cette entreprise."
positives = "Ce qui compte pour cette entreprise"
negatives = "Ce qui compte contre elle"
dimensions = "L'entreprise, dimension par dimension"
recent = "vous la connaissez depuis trop peu de temps pour la juger"
"""
PAGE = """\
---
template: crible.html
questionnaire: entreprise
---

# Évaluer une entreprise

Une entreprise de votre réseau vous apporte-t-elle ce qu'elle vous coûte ?
"""
GROUPE = scoring.load_questionnaire("groupe")
NAV_AFTER = "  - Évaluer un groupe: groupe.md\n"


@pytest.fixture(scope="module")
def subject_site(tmp_path_factory: pytest.TempPathFactory) -> Iterator[SiteServer]:
    port = free_port()
    project = copy_project(tmp_path_factory.mktemp("subject"))
    definitions = project / "scoring" / "definitions"
    with (definitions / "subjects.toml").open("a", encoding="utf-8") as file:
        file.write(SUBJECT)
    # Its questionnaire: the group's, about the new subject.
    text = (definitions / "groupe.toml").read_text(encoding="utf-8")
    text = text.replace('id = "groupe"', 'id = "entreprise"', 1)
    text = text.replace('subject = "groupe"', 'subject = "entreprise"', 1)
    (definitions / "entreprise.toml").write_text(text, encoding="utf-8")
    (project / "docs" / "entreprise.md").write_text(PAGE, encoding="utf-8")
    add_to_nav(project, NAV_AFTER, "  - Évaluer une entreprise: entreprise.md\n")
    site_dir = tmp_path_factory.mktemp("subject-site")
    build_site(site_dir, f"http://127.0.0.1:{port}/{SUB_PATH}/", project=project)
    with SiteServer(site_dir, port) as server:
        yield server


def test_a_new_subject_is_asked_saved_counted_and_linked(
    context: BrowserContext, subject_site: SiteServer, recorder: Recorder
) -> None:
    page = recorder.watch(context.new_page())
    page.goto(subject_site.url + "entreprise/")
    wait_ready(page)
    page.wait_for_selector("[data-save]:not([hidden])")
    assert page.get_attribute(".crible", "data-subject") == "entreprise"
    assert page.inner_text("label[for=crible-label]") == (
        "Quelle entreprise évaluez-vous\u202f?\nUn nom court suffit\u202f; il reste sur votre "
        "appareil."
    )
    page.click("[data-save-button]")  # no name yet: the subject's own words say so
    page.wait_for_selector("[data-save-status]:has-text('Donnez')")
    assert page.inner_text("[data-save-status]") == "Donnez d’abord un nom à cette entreprise."
    page.fill("#crible-label", "ACME")
    fill(page, best(GROUPE), GROUPE.context.durations[-1].id)
    result = wait_result(page)
    assert result["verdict"] == GROUPE.bands[0].id
    assert "Ce qui compte pour cette entreprise" in result["text"]
    page.click("[data-save-button]")
    page.wait_for_selector("[data-save-status] a")
    archive = stored(page)
    assert archive is not None
    (acme,) = json.loads(archive)["contacts"]
    assert (acme["label"], acme["kind"]) == ("ACME", "entreprise")

    page.click("[data-save-status] a")  # « Voir Mon réseau »
    page.wait_for_selector(".reseau[data-engine=ready] [data-overview]:not([hidden])")
    assert page.inner_text("[data-status]") == "Sur cet appareil\u00a0: 1 entreprise."
    entry = page.locator(f'details[data-contact="{acme["id"]}"][data-kind="entreprise"]')
    assert entry.locator("summary").inner_text() == (f"ACME (entreprise) — {GROUPE.bands[0].label}")
    entry.locator("summary").click()
    again = entry.locator("a.md-button--primary")
    assert again.inner_text() == "Réévaluer ACME"
    assert again.get_attribute("href") == f"../entreprise/?contact={acme['id']}"
    assert entry.locator("button", has_text="Supprimer cette entreprise").count() == 1
    assert [r for r in recorder.requests if not r.startswith(subject_site.url)] == []
    assert recorder.console_errors == []
    assert page.evaluate("window.__csp") == []
