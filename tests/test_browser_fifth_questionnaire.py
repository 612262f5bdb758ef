"""A fifth questionnaire is data only: in a copy of the repository, one TOML file about contacts,
one page whose front matter names it, and its line in the nav; nothing else changes. The copy
builds (`mkdocs build --strict`), and in real Chromium with real Pyodide, under the sub-path,
the new page is filled, scored, saved, and found in Mon réseau.

Nothing is mocked, and nothing may leave the origin."""

from __future__ import annotations

import json
from typing import TYPE_CHECKING

import pytest
from browser_support import Recorder, fill, stored, wait_ready, wait_result
from site_support import SUB_PATH, SiteServer, add_to_nav, build_site, copy_project, free_port

if TYPE_CHECKING:
    from collections.abc import Iterator

    from playwright.sync_api import BrowserContext

pytestmark = pytest.mark.browser

QID = "confiance"
DEFINITION = f"""\
format = 1
id = "{QID}"
title = "Pouvez-vous compter sur ce contact ?"
subject = "contact"
intro = "Pensez à une personne précise de votre réseau."
min_coverage = 0.5

[answers]
yes = "Oui"
no = "Non"
unknown = "Je ne sais pas"

[context]
question = "Depuis combien de temps échangez-vous avec ce contact ?"

[[context.durations]]
id = "recent"
label = "Moins de trois mois"
provisional = true

[[context.durations]]
id = "ancien"
label = "Plus de trois mois"

[[dimensions]]
id = "fiabilite"
label = "Fiabilité"

[[items]]
id = "tient-parole"
sign = "+"
label = "Tient parole"
question = "Fait-il ce qu'il a dit qu'il ferait ?"
dimension = "fiabilite"
rules = [5]

[[items]]
id = "discret"
sign = "+"
label = "Discret"
question = "Garde-t-il pour lui ce que vous lui confiez ?"
dimension = "fiabilite"
rules = [8]

[[items]]
id = "oublie"
sign = "-"
label = "Oublie"
question = "Oublie-t-il souvent ce qu'il vous a promis ?"
dimension = "fiabilite"
rules = [5]

[[bands]]
id = "solide"
label = "Un appui solide"
min_score = 2
advice = "Vous pouvez compter sur ce contact."
rules = [5]
tone = "good"

[[bands]]
id = "a-voir"
label = "À mettre à l'épreuve"
min_score = 0
advice = "Confiez-lui une petite chose avant une grande."
rules = [4]
tone = "fair"

[[bands]]
id = "fragile"
label = "Un appui fragile"
min_score = -1
advice = "Ne lui confiez rien d'important pour l'instant."
rules = [9]
tone = "bad"
"""
PAGE = f"""\
---
template: crible.html
questionnaire: {QID}
---

# Pouvez-vous compter sur ce contact ?

Un questionnaire ajouté par le propriétaire du site : la confiance que vous inspire un contact.
"""
# The only changes: the definition, the page, and its line in the nav (mkdocs.yml).
ADDED = {f"scoring/definitions/{QID}.toml": DEFINITION, f"docs/{QID}.md": PAGE}
NAV_AFTER = "  - Ce que vous donnez: donner.md\n"
NAV_LINE = f"  - Compter sur un contact: {QID}.md\n"


@pytest.fixture(scope="module")
def fifth_site(tmp_path_factory: pytest.TempPathFactory) -> Iterator[SiteServer]:
    """The copy with the fifth questionnaire, built for the sub-path it is served under (its
    own port: the session's site may be served at the same time)."""
    port = free_port()
    project = copy_project(tmp_path_factory.mktemp("fifth"))
    for path, text in ADDED.items():
        (project / path).write_text(text, encoding="utf-8")
    add_to_nav(project, NAV_AFTER, NAV_LINE)
    site_dir = tmp_path_factory.mktemp("fifth-site")
    build_site(site_dir, f"http://127.0.0.1:{port}/{SUB_PATH}/", project=project)
    with SiteServer(site_dir, port) as server:
        yield server


def test_a_fifth_questionnaire_is_filled_saved_and_shown(
    context: BrowserContext, fifth_site: SiteServer, recorder: Recorder
) -> None:
    page = recorder.watch(context.new_page())
    page.goto(fifth_site.url + f"{QID}/")
    wait_ready(page)
    page.wait_for_selector("[data-save]:not([hidden])")
    assert page.get_attribute(".crible", "data-questionnaire") == QID
    assert page.inner_text("label[for=crible-label]").startswith("Qui évaluez-vous\u202f?")
    page.fill("#crible-label", "Zoé")
    fill(page, {"tient-parole": "yes", "discret": "yes", "oublie": "no"}, "ancien")
    result = wait_result(page)
    assert (result["verdict"], result["score"]) == ("solide", "2")
    assert page.inner_text("[data-verdict-label]") == "Un appui solide"
    page.click("[data-save-button]")
    page.wait_for_selector("[data-save-status] a")
    assert page.inner_text("[data-save-status]").startswith(
        "Évaluation de «\u202fZoé\u202f» enregistrée sur cet appareil le "
    )
    archive = stored(page)
    assert archive is not None
    # As stored (this process's scoring does not know the new questionnaire: the copy's does).
    (zoe,) = json.loads(archive)["contacts"]
    assert (zoe["label"], zoe["kind"]) == ("Zoé", "contact")
    assert [e["questionnaire"] for e in zoe["evaluations"]] == [QID]

    page.click("[data-save-status] a")  # « Voir Mon réseau »
    page.wait_for_selector(".reseau[data-engine=ready] [data-overview]:not([hidden])")
    assert page.url == fifth_site.url + "mon-reseau/"
    assert page.inner_text("[data-status]") == "Sur cet appareil\u00a0: 1 contact."
    entry = page.locator(f'details[data-contact="{zoe["id"]}"][data-kind="contact"]')
    entry.locator("summary").click()
    evaluation = entry.locator(f'li[data-questionnaire="{QID}"]')
    assert evaluation.inner_text().split(" Supprimer")[0].endswith(": Un appui solide, bilan +2")
    # Its re-evaluation is on the contact's page; the new page is linked from the domain island.
    assert entry.locator("a.md-button--primary").get_attribute("href") == (
        f"../crible/?contact={zoe['id']}"
    )
    assert (
        page.evaluate("JSON.parse(document.getElementById('crible-domain').textContent).pages")[QID]
        == f"../{QID}/"
    )
    assert [r for r in recorder.requests if not r.startswith(fifth_site.url)] == []
    assert recorder.console_errors == []
    assert page.evaluate("window.__csp") == []
