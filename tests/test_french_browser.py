"""What the visitor reads in the interactive states, in real Chromium, read as a French editor
would (FRENCH.md): the same typography rule as the built pages (tests/french_support.py), no
key path outside the « Détails » disclosure, no English sentence.

States: a questionnaire's result, the paper crible (engine failure), Mon réseau with data, each
import error of a set of bad archives, and the save errors (a full storage, an archive written
by a newer release).
"""

from __future__ import annotations

import csv
import io
import json
import re
from typing import TYPE_CHECKING

import pytest
from browser_support import (
    ARCHIVE_KEY,
    BEST,
    ENGINE_TIMEOUT_MS,
    best,
    fill,
    network_archive,
    refused_save,
    wait_ready,
    wait_result,
    worst,
)
from french_support import typography_faults

import scoring
from scoring.model import load_map
from scoring.network import read_stored
from scoring.spreadsheet import export_csv

if TYPE_CHECKING:
    from pathlib import Path

    from playwright.sync_api import BrowserContext, Page
    from site_support import SiteServer

pytestmark = pytest.mark.browser

CONTEXT_OPTIONS = {"viewport": {"width": 1000, "height": 900}}  # see conftest.context

# The rendered text of the page without what the rule exempts (code, pre, kbd, samp) and
# without the « Détails » disclosures' content (their summary stays: the visitor sees it).
VISIBLE_TEXT = """() => {
  // Through the CSSOM, not a <style> element: the page's CSP forbids inline styles.
  const hidden = [...document.querySelectorAll(
    "code, pre, kbd, samp, [data-message-details] > :not(summary)")];
  const before = hidden.map((node) => node.style.getPropertyValue("display"));
  for (const node of hidden) node.style.setProperty("display", "none", "important");
  const text = document.body.innerText;
  hidden.forEach((node, index) => node.style.setProperty("display", before[index]));
  return text;
}"""
DETAILS_TEXT = """() => [...document.querySelectorAll("[data-message-details]")].map((node) => {
  node.open = true;
  return node.innerText;
}).join("\\n")"""

# A key path as scoring writes it: contacts[0].evaluations[1].date, answers.available…
KEY_PATH = re.compile(
    r"\b[a-z_]+(?:\[\d+\])+(?:\.[a-z_]+(?:\[\d+\])*)*|"
    r"\b(?:contacts|evaluations|answers|context|current|incoming|evaluation|contact)\.[a-z_]+"
)
# Words that mark an English sentence (or a programmer's message) on a French page.
ENGLISH = re.compile(
    r"\b(?:the|error|failed|undefined|null|NaN|Error|Uncaught|TypeError|SyntaxError|"
    r"RangeError|KeyError|Exception|Traceback|is not|cannot|Cannot|Unexpected|unexpected|"
    r"invalid|Invalid|missing|Missing|not found)\b"
)


def faults_of(where: str, text: str) -> list[str]:
    """Every breach of the three rules in `text` (the visible text of one state)."""
    found = typography_faults(where, text)
    found += [f"{where}: chemin de clé visible : {m[0]}" for m in KEY_PATH.finditer(text)]
    found += [f"{where}: anglais : {m[0]}" for m in ENGLISH.finditer(text)]
    return found


def visible(page: Page) -> str:
    return str(page.evaluate(VISIBLE_TEXT))


def test_the_rules_of_this_file_can_fail() -> None:
    found = faults_of("x", "Erreur : contacts[0].evaluations[1].date, failed")
    assert [fault.split(": …")[0] for fault in found] == [
        "x: espace ordinaire avant le signe",
        "x: chemin de clé visible : contacts[0].evaluations[1].date",
        "x: anglais : failed",
    ]
    # A time is not prose; the missing space inside « is a fault.
    found = faults_of("x", "Le 3 décembre 2026 à 10:05, «Alice\u202f» répond\u00a0: oui.")
    assert [fault.split(": …")[0] for fault in found] == ["x: pas d’espace après «"]


def test_a_questionnaire_result(site: SiteServer, context: BrowserContext) -> None:
    page = context.new_page()
    page.goto(site.url + "crible/")
    wait_ready(page)
    page.fill("#crible-label", "Lambda")
    fill(page, BEST, "1to3m")  # provisional: its reasons are said too
    result = wait_result(page)
    assert result["verdict"] == "cultiver"
    text = visible(page)
    assert "Verdict provisoire" in text or "provisoire" in text
    assert faults_of("crible (résultat)", text) == []


def test_the_paper_crible(site: SiteServer, context: BrowserContext) -> None:
    page = context.new_page()
    page.goto(site.at("crible-missing-runtime") + "groupe/", wait_until="domcontentloaded")
    page.wait_for_selector(".crible[data-engine=error]", timeout=ENGINE_TIMEOUT_MS)
    assert page.is_visible("[data-paper]")
    text = visible(page)
    # The provisional rule in the group questionnaire's own words, not « une relation ».
    assert (
        "Le verdict reste provisoire si vous répondez «\u202fmoins d’un mois\u202f» ou "
        "«\u202fd’un à trois mois\u202f» à la question «\u202fDepuis combien de temps "
        "participez-vous à ce groupe\u202f?\u202f»"
    ) in text
    assert "relation récente" not in text
    # The browser's reason, English or not, is there for who wants it, in « Détails ».
    assert "Détails" in text
    assert page.evaluate(DETAILS_TEXT).startswith("Détails")
    assert faults_of("groupe (crible papier)", text) == []


def test_mon_reseau_with_data(site: SiteServer, context: BrowserContext) -> None:
    page = context.new_page()
    page.goto(site.url)
    page.evaluate("([k, v]) => localStorage.setItem(k, v)", [ARCHIVE_KEY, network_archive()])
    page.goto(site.url + "mon-reseau/")
    page.wait_for_selector(".reseau[data-engine=ready] [data-overview]:not([hidden])",
                           timeout=ENGINE_TIMEOUT_MS)  # fmt: skip
    for node in page.query_selector_all("details"):
        node.evaluate("(d) => { d.open = true; }")  # every contact's history, as printed
    text = visible(page)
    assert "Alice" in text
    assert faults_of("mon-reseau (données)", text) == []


def _archive(contacts: list[dict[str, object]], version: int = 2) -> str:
    return json.dumps({"format": "crible-archive", "version": version, "contacts": contacts})


def _contact(
    label: str, evaluations: list[dict[str, object]], ident: str = "c-a"
) -> dict[str, object]:
    return {
        "id": ident,
        "kind": "contact",
        "label": label,
        "created": "2026-01-05T09:00:00Z",
        "evaluations": evaluations,
    }


def _evaluation(date: str, **answers: str) -> dict[str, object]:
    return {"id": f"e-{date[:10]}", "date": date, "questionnaire": "contact", "answers": answers}


# (id, file content, what the visitor reads, the key paths « Détails » must hold)
BAD_ARCHIVES = [
    pytest.param(
        "",
        "Ce fichier n’a pas été importé, rien n’a changé.\n\nLe fichier est vide. Exportez de "
        "nouveau vos évaluations depuis le site, sans modifier le fichier.",
        [],
        id="empty",
    ),
    pytest.param(
        '{"format": "crible-archive", "version": 2, "contacts": [',
        "Ce fichier n’a pas été importé, rien n’a changé.\n\nLe fichier est incomplet\u00a0: il "
        "semble tronqué. Exportez de nouveau vos évaluations depuis le site, sans modifier le "
        "fichier.",
        [],
        id="truncated",
    ),
    pytest.param(
        _archive(
            [
                _contact("Alice", [_evaluation("2026-12-03T10:00:00Z", available="yes")]),
                _contact("Bruno", [], ident="c-a"),
            ]
        ),
        "Ce fichier n’a pas été importé, rien n’a changé.\n\nContact «\u202fBruno\u202f»\u00a0: "
        "identifiant de contact déjà utilisé par un autre contact\u00a0: «\u202fc-a\u202f».\n\n"
        "Détails",
        ["contacts[1].id"],
        id="same-contact-id",
    ),
    pytest.param(
        _archive(
            [
                _contact(
                    "Alice",
                    [
                        _evaluation("2026-12-03T10:00:00Z", available="yes"),
                        _evaluation("2026-12-03T10:00:00Z", available="no"),
                    ],
                ),
                _contact("", [], ident="c-b"),
            ]
        ),
        "Ce fichier n’a pas été importé, rien n’a changé. Il présente 2 problèmes.\n\n"
        "Contact «\u202fAlice\u202f», évaluation du 3 décembre 2026\u00a0: identifiant "
        "d’évaluation déjà utilisé par une autre évaluation\u00a0: «\u202fe-2026-12-03\u202f».\n"
        "2e contact\u00a0: le nom du contact est vide. Donnez-lui un nom ou un surnom.\nDétails",
        ["contacts[0].evaluations[1].id", "contacts[1].label"],
        id="two-problems",
    ),
    pytest.param(
        _archive([], version=99),
        "Ce fichier n’a pas été importé, rien n’a changé.\n\nCe fichier vient d’une version plus "
        "récente du site (version 99)\u202f; mettez la page à jour. Rechargez la page en vidant "
        "le cache du navigateur, puis importez-le de nouveau.\n\nDétails",
        ["version"],
        id="newer-version",
    ),
]


@pytest.mark.parametrize(("content", "expected", "paths"), BAD_ARCHIVES)
def test_each_import_error(  # noqa: PLR0913 (fixtures and parameters)
    site: SiteServer,
    context: BrowserContext,
    tmp_path: Path,
    content: str,
    expected: str,
    paths: list[str],
) -> None:
    page = context.new_page()
    page.goto(site.url + "mon-reseau/")
    page.wait_for_selector(".reseau[data-engine=ready]", timeout=ENGINE_TIMEOUT_MS)
    upload = tmp_path / "sauvegarde.json"
    upload.write_text(content, encoding="utf-8")
    page.set_input_files("[data-import]", upload)
    page.wait_for_function(
        "() => document.querySelector('[data-data-status]').textContent.startsWith('Ce fichier')"
    )
    said = page.inner_text("[data-data-status]")
    assert said.startswith(expected), said
    details = page.evaluate(DETAILS_TEXT)
    for path in paths:
        assert path in details
    assert faults_of("mon-reseau (import)", visible(page)) == []


FULL_STORAGE = """
Storage.prototype.setItem = function () {
  throw new DOMException("The quota has been exceeded.", "QuotaExceededError");
};
"""


def _refused_save(page: Page, site: SiteServer) -> str:
    """Answer the crible, save, and return the visible text once the save is refused."""
    refused_save(page, site.url, "Lambda")
    return visible(page)


def test_the_save_errors(site: SiteServer, context: BrowserContext) -> None:
    # An archive written by a newer release: scoring refuses the save.
    page = context.new_page()
    page.goto(site.url)
    newer = _archive([], version=99)
    page.evaluate("([k, v]) => localStorage.setItem(k, v)", [ARCHIVE_KEY, newer])
    text = _refused_save(page, site)
    assert "Une version plus récente du site a enregistré vos données" in text
    assert faults_of("crible (version plus récente)", text) == []

    # A full storage: the browser refuses the write (its English name in « Détails » only).
    context.add_init_script(FULL_STORAGE)
    page.evaluate("() => localStorage.clear()")
    text = _refused_save(page, site)
    assert "L’espace de stockage de ce navigateur est plein." in text
    assert "QuotaExceededError" not in text
    assert "QuotaExceededError" in page.evaluate(DETAILS_TEXT)
    assert faults_of("crible (stockage plein)", text) == []


# ---- One vocabulary: the verdict and quadrant labels of every view are the definitions' ----

BANDS = {
    questionnaire: {band.id: band.label for band in scoring.load_questionnaire(questionnaire).bands}
    for questionnaire in scoring.questionnaire_ids()
}
QUADRANTS = {quadrant.id: quadrant.label for quadrant in load_map().quadrants}


def test_the_csv_says_the_definitions_labels() -> None:
    rows = list(csv.reader(io.StringIO(export_csv(read_stored(network_archive()))), delimiter=";"))
    header = rows[0]
    verdicts = {row[header.index("Verdict")].removesuffix(" (provisoire)") for row in rows[1:]}
    known = {label for bands in BANDS.values() for label in bands.values()}
    assert verdicts - {""} <= known
    assert {row[header.index("Ce que vous donnez")] for row in rows[1:]} - {""} <= set(
        BANDS["donne"].values()
    )
    assert {row[header.index("Carte gagnant-gagnant")] for row in rows[1:]} - {""} == set(
        QUADRANTS.values()
    )


@pytest.mark.parametrize("questionnaire", ["contact", "donne", "groupe", "apport"])
def test_each_questionnaire_page_says_the_definitions_verdicts(
    site: SiteServer, context: BrowserContext, questionnaire: str
) -> None:
    definition = scoring.load_questionnaire(questionnaire)
    path = {"contact": "crible/", "donne": "donner/", "groupe": "groupe/", "apport": "apport/"}
    page = context.new_page()
    page.goto(site.url + path[questionnaire])
    wait_ready(page)
    if definition.subject != "soi":
        page.fill("#crible-label", "Lambda")
    for answers in (best(definition), worst(definition)):
        fill(page, answers, "gt1y")
        result = wait_result(page)
        label = page.inner_text("[data-result] [data-verdict-label]")
        assert label == BANDS[questionnaire][result["verdict"]]
        assert page.inner_text("[data-summary-verdict] [data-verdict-label]") == label
    # The paper crible: every verdict, in the definition's order.
    paper = page.locator("[data-paper] tbody tr td:nth-child(2)").all_inner_texts()
    assert paper == [band.label for band in definition.bands]


def test_mon_reseau_says_the_definitions_verdicts_and_quadrants(
    site: SiteServer, context: BrowserContext
) -> None:
    page = context.new_page()
    page.goto(site.url)
    page.evaluate("([k, v]) => localStorage.setItem(k, v)", [ARCHIVE_KEY, network_archive()])
    page.goto(site.url + "mon-reseau/")
    page.wait_for_selector(
        ".reseau[data-engine=ready] [data-overview]:not([hidden])", timeout=ENGINE_TIMEOUT_MS
    )
    checked = 0
    for row in page.query_selector_all("[data-table] tbody tr[data-contact]"):
        text = row.inner_text()
        if verdict := row.get_attribute("data-verdict"):
            assert BANDS["contact"][verdict] in text
            checked += 1
        if give := row.get_attribute("data-give"):
            assert BANDS["donne"][give] in text
            checked += 1
    for row in page.query_selector_all("[data-group-table] tbody tr[data-group][data-verdict]"):
        assert BANDS["groupe"][row.get_attribute("data-verdict") or ""] in row.inner_text()
        checked += 1
    self_entry = page.locator(".reseau__self[data-verdict]")
    assert (
        BANDS["apport"][self_entry.get_attribute("data-verdict") or ""] in self_entry.inner_text()
    )
    for row in page.query_selector_all("[data-map-table] tbody tr[data-contact][data-quadrant]"):
        assert QUADRANTS[row.get_attribute("data-quadrant") or ""] in row.inner_text()
        checked += 1
    for quadrant, label in QUADRANTS.items():
        heading = page.inner_text(f'[data-quadrant-list="{quadrant}"] h3')
        assert heading.startswith(f"{label} (")
    assert checked >= 15  # every row of the archive's four contacts, three groups, the map
