"""The questionnaires beyond the crible, and the win-win map, in real Chromium with real Pyodide.

- "Votre apport" (apport/, the visitor themself), "Évaluer un groupe" (groupe/), "Ce que vous
  donnez" (donner/): golden profiles filled in the real page give exactly what
  `python -m scoring evaluate` gives; saving creates the right kind of entry, with the time;
  re-evaluation starts from the latest answers of that questionnaire.
- Mon réseau places known profiles in the right quadrant of the map, on the chart and in the
  table; a hostile label stays text.
- An archive of the previous version (tests/fixtures/archive-v1.json, written by the version 1
  code) imports, or is read from storage, without loss, and is stored as version 2 after a change.

Nothing is mocked, and nothing may leave the origin.
"""

from __future__ import annotations

import json
from typing import TYPE_CHECKING, Any

import pytest
from browser_support import (
    APPORT,
    ARCHIVE_KEY,
    BEST,
    DONNE,
    ENGINE_TIMEOUT_MS,
    GROUPE,
    WORST,
    Recorder,
    best,
    cli_result,
    dialogs_of,
    fill,
    stored,
    summary_of,
    wait_ready,
    wait_result,
    worst,
)
from site_support import ROOT, SUB_PATH

if TYPE_CHECKING:
    from playwright.sync_api import BrowserContext, Page
    from site_support import SiteServer

    import scoring

pytestmark = pytest.mark.browser

XSS = "<img src=x onerror=alert(1)>"
V1_FIXTURE = ROOT / "tests" / "fixtures" / "archive-v1.json"
# Questionnaire → its page and who it evaluates.
PAGES = {"apport": "apport/", "groupe": "groupe/", "donne": "donner/"}
QUESTIONNAIRES = {"apport": APPORT, "groupe": GROUPE, "donne": DONNE}


def mixed(questionnaire: scoring.Questionnaire) -> dict[str, str]:
    """Yes, no and "don't know" in turn; the last criterion left unanswered."""
    cycle = ["yes", "no", "unknown"]
    return {item.id: cycle[i % 3] for i, item in enumerate(questionnaire.items[:-1])}


def profiles(
    questionnaire: scoring.Questionnaire,
) -> dict[str, tuple[dict[str, str], str | None]]:
    return {
        "all-best": (best(questionnaire), "gt1y"),
        "all-worst": (worst(questionnaire), "gt1y"),
        "mixed-with-unknowns": (mixed(questionnaire), "3to12m"),
        "recent": (best(questionnaire), "lt1m"),
        "no-duration": (worst(questionnaire), None),
    }


CONTEXT_OPTIONS = {"viewport": {"width": 1000, "height": 900}}  # see conftest.context


def archive_of(page: Page) -> dict[str, Any]:
    archive: dict[str, Any] = json.loads(stored(page) or "null")
    return archive


def open_questionnaire(page: Page, site: SiteServer, qid: str, query: str = "") -> None:
    page.goto(site.url + PAGES.get(qid, "crible/") + query)
    wait_ready(page)
    # The re-evaluation (if any) is prefilled once the engine has read the archive.
    page.wait_for_selector("[data-save]:not([hidden])")


def save(page: Page) -> str:
    """Click "Enregistrer sur cet appareil" and return what the page then says."""
    page.evaluate("document.querySelector('[data-save-status]').textContent = ''")
    page.click("[data-save-button]")
    page.wait_for_function("document.querySelector('[data-save-status]').textContent !== ''")
    return page.inner_text("[data-save-status]").replace("\u202f", " ")


def open_network(page: Page, site: SiteServer) -> None:
    page.goto(site.url + "mon-reseau/")
    page.wait_for_selector(".reseau[data-engine=ready]", timeout=ENGINE_TIMEOUT_MS)


def cells(page: Page, selector: str) -> list[list[str]]:
    rows: list[list[str]] = page.eval_on_selector_all(
        selector,
        "rows => rows.map(r => [...r.cells].map(c => c.textContent.replace(/\\u202f/g, ' ')))",
    )
    return rows


# --- CLI and browser agree ------------------------------------------------------------------------


@pytest.mark.parametrize("qid", list(PAGES))
def test_the_verdict_shown_equals_the_cli_for_every_profile(
    site: SiteServer, context: BrowserContext, recorder: Recorder, qid: str
) -> None:
    page = recorder.watch(context.new_page())
    open_questionnaire(page, site, qid)
    questionnaire = QUESTIONNAIRES[qid]
    has_name = questionnaire.subject != "soi"
    assert page.locator("#crible-label").count() == (1 if has_name else 0)
    assert page.get_attribute(".crible", "data-subject") == questionnaire.subject
    for name, (answers, duration) in profiles(questionnaire).items():
        page.click(".crible button[type=reset]")
        if has_name:
            page.fill("#crible-label", f"Profil {name}")
        fill(page, answers, duration)
        # Only the latest change clears aria-busy: the result is that of these very answers.
        shown = wait_result(page)
        expected = cli_result(answers, duration, qid)
        assert (name, shown["verdict"], shown["score"]) == (
            name,
            expected["verdict"],
            str(expected["score"]),
        )
        text = shown["text"].replace("\u202f", " ")
        assert expected["verdict_label"] in shown["text"]
        assert expected["advice"] in shown["text"]
        if has_name:
            assert f"« Profil {name} »" in text
        assert ("Verdict provisoire" in text) == expected["provisional"], name
        for contradiction in expected["contradictions"]:
            assert contradiction["message"] in shown["text"]
        headings = page.locator("[data-result] h3").all_inner_texts()
        if expected["positives"]:
            assert {
                "contact": "Ce qui compte pour ce contact",
                "groupe": "Ce qui compte pour ce groupe",
                "soi": "Ce qui compte en votre faveur",
            }[questionnaire.subject] in headings
    assert [r for r in recorder.requests if not r.startswith(f"{site.origin}/{SUB_PATH}/")] == []
    assert recorder.console_errors == []
    assert page.evaluate("window.__csp") == []


# --- Saving: the right kind of entry, with the time -----------------------------------------------


def test_a_group_is_saved_as_a_group_with_its_hours_and_a_bad_time_saves_nothing(
    site: SiteServer, context: BrowserContext
) -> None:
    page = context.new_page()
    open_questionnaire(page, site, "groupe")
    assert "Quel groupe évaluez-vous" in page.inner_text("label[for=crible-label]")
    page.fill("#crible-label", "Forum des chercheurs")
    fill(page, best(GROUPE), "gt1y")
    wait_result(page)
    for bad in ("beaucoup", "-2", "745", "1,234", "2 h"):
        page.fill("#crible-hours", bad)
        status = save(page)
        assert status == (
            "L’évaluation n’a pas été enregistrée\u00a0: le temps indiqué doit être un nombre "
            "d’heures par mois, par exemple 2 ou 1,5 (744 au plus, un mois entier)."
        ), bad
        assert page.get_attribute("#crible-hours", "aria-invalid") == "true"
        assert page.evaluate("document.activeElement.id") == "crible-hours"
        assert stored(page) is None

    page.fill("#crible-hours", "2,5")
    assert save(page).startswith("Évaluation de « Forum des chercheurs » enregistrée")
    archive = archive_of(page)
    assert archive["version"] == 2
    [group] = archive["contacts"]
    assert (group["kind"], group["label"]) == ("groupe", "Forum des chercheurs")
    [evaluation] = group["evaluations"]
    assert (evaluation["questionnaire"], evaluation["minutes"]) == ("groupe", 150)
    assert evaluation["answers"] == best(GROUPE)

    # The maximum, a month of 31 days, is accepted; a second save re-evaluates the same group.
    page.fill("#crible-hours", "744")
    save(page)
    [group] = archive_of(page)["contacts"]
    assert [e["minutes"] for e in group["evaluations"]] == [150, 44640]

    # Without a time: no minutes at all.
    page.fill("#crible-hours", "")
    save(page)
    [group] = archive_of(page)["contacts"]
    assert "minutes" not in group["evaluations"][-1]


def test_what_you_give_joins_the_contact_and_is_prefilled_on_reevaluation(
    site: SiteServer, context: BrowserContext
) -> None:
    page = context.new_page()
    open_questionnaire(page, site, "contact")
    page.fill("#crible-label", "Alice")
    fill(page, BEST, "gt1y")
    page.fill("#crible-hours", "3")
    wait_result(page)
    save(page)
    [alice] = archive_of(page)["contacts"]
    assert alice["kind"] == "contact"
    assert alice["evaluations"][0]["minutes"] == 180

    # What I give to Alice, from her id: the name is hers, nothing is prefilled yet.
    open_questionnaire(page, site, "donne", f"?contact={alice['id']}")
    assert page.input_value("#crible-label") == "Alice"
    note = page.inner_text("[data-reevaluation]").replace("\u202f", " ")
    assert note == "Première évaluation de « Alice » avec ce questionnaire."
    assert page.locator("fieldset[data-item] input:checked").count() == 0
    answers = {**best(DONNE), "introduces": "no"}
    fill(page, answers, "3to12m")
    page.fill("#crible-hours", "1.5")
    shown = wait_result(page)
    assert shown["verdict"] == cli_result(answers, "3to12m", "donne")["verdict"]
    assert save(page).startswith("Évaluation de « Alice » enregistrée")
    [alice] = archive_of(page)["contacts"]
    assert [(e["questionnaire"], e.get("minutes")) for e in alice["evaluations"]] == [
        ("contact", 180),
        ("donne", 90),
    ]

    # Again: prefilled from the latest "donne" evaluation, its time included.
    open_questionnaire(page, site, "donne", f"?contact={alice['id']}")
    assert page.inner_text("[data-reevaluation]").startswith("Réévaluation de «\u202fAlice\u202f»")
    for item, value in answers.items():
        assert page.is_checked(f'fieldset[data-item="{item}"] input[value="{value}"]'), item
    assert page.is_checked('input[name=duration][value="3to12m"]')
    assert page.input_value("#crible-hours") == "1,5"
    # And the crible page, from the latest "contact" evaluation, not the latest of all.
    open_questionnaire(page, site, "contact", f"?contact={alice['id']}")
    for item, value in BEST.items():
        assert page.is_checked(f'fieldset[data-item="{item}"] input[value="{value}"]'), item
    assert page.input_value("#crible-hours") == "3"


def test_an_entry_of_another_kind_is_refused(site: SiteServer, context: BrowserContext) -> None:
    page = context.new_page()
    open_questionnaire(page, site, "groupe")
    page.fill("#crible-label", "Club du jeudi")
    fill(page, worst(GROUPE), "gt1y")
    wait_result(page)
    save(page)
    [club] = archive_of(page)["contacts"]
    before = stored(page)

    open_questionnaire(page, site, "donne", f"?contact={club['id']}")
    note = page.locator("[data-reevaluation]")
    assert note.inner_text().replace("\u202f", " ") == (
        "« Club du jeudi » est enregistré comme un groupe\u00a0: ce questionnaire porte sur un "
        "contact, il ne lui sera pas ajouté. Ouvrir la bonne page"
    )
    assert note.locator("a").get_attribute("href") == f"../groupe/?contact={club['id']}"
    assert page.input_value("#crible-label") == ""
    fill(page, best(DONNE), "gt1y")
    wait_result(page)
    assert save(page) == "Donnez d’abord un nom à ce contact (un prénom ou un surnom suffit)."
    assert stored(page) == before


def test_the_self_assessment_has_one_entry_found_without_asking(
    site: SiteServer, context: BrowserContext
) -> None:
    page = context.new_page()
    open_questionnaire(page, site, "apport")
    assert page.locator("#crible-label, #crible-hours").count() == 0
    assert page.is_hidden("[data-reevaluation]")
    fill(page, worst(APPORT), "gt1y")
    wait_result(page)
    status = save(page)
    assert status.startswith("Votre évaluation enregistrée sur cet appareil le ")
    [me] = archive_of(page)["contacts"]
    assert (me["kind"], me["label"]) == ("soi", "Vous")
    first_id = me["id"]

    # A new visit finds it by itself: prefilled, and saved to the same entry.
    open_questionnaire(page, site, "apport")
    page.wait_for_selector("[data-reevaluation]:not([hidden])")
    assert page.inner_text("[data-reevaluation]").startswith("Réévaluation. Vos réponses du ")
    for item, value in worst(APPORT).items():
        assert page.is_checked(f'fieldset[data-item="{item}"] input[value="{value}"]'), item
    fill(page, best(APPORT), "gt1y")
    wait_result(page)
    save(page)
    [me] = archive_of(page)["contacts"]
    assert me["id"] == first_id
    assert [e["questionnaire"] for e in me["evaluations"]] == ["apport", "apport"]

    # Even after a contact was saved in between, and from a fresh page: still one self entry.
    open_questionnaire(page, site, "contact")
    page.fill("#crible-label", "Bruno")
    fill(page, WORST, "gt1y")
    wait_result(page)
    save(page)
    open_questionnaire(page, site, "apport")
    save(page)
    archive = archive_of(page)
    assert [(c["kind"], len(c["evaluations"])) for c in archive["contacts"]] == [
        ("soi", 3),
        ("contact", 1),
    ]

    open_network(page, site)
    self_text = page.inner_text("[data-self]").replace("\u202f", " ")
    assert "Votre dernier bilan, le " in self_text
    assert APPORT.bands[0].label in self_text
    assert page.get_attribute(".reseau__self", "data-verdict") == APPORT.bands[0].id


# --- The win-win map ------------------------------------------------------------------------------

# Label → (what you receive, what you give) → the quadrant it must land in.
MAP_PROFILES: dict[str, tuple[dict[str, str], dict[str, str], str]] = {
    "Alice": (BEST, best(DONNE), "gagnant-gagnant"),
    "Bruno": (BEST, worst(DONNE), "gagnant-perdant"),
    "Chloé": (WORST, best(DONNE), "perdant-gagnant"),
    XSS: (WORST, worst(DONNE), "perdant-perdant"),
    # On the thresholds exactly: +3 received (min_score) and +2 given (min_score) both win.
    "Seuils": (
        {"available": "yes", "responsive": "yes", "competent": "yes"},
        {"answers": "yes", "argues": "yes"},
        "gagnant-gagnant",
    ),
    # Just below them: +2 received, +1 given.
    "Sous les seuils": (
        {"available": "yes", "responsive": "yes"},
        {"answers": "yes"},
        "perdant-perdant",
    ),
}


def save_map_profiles(page: Page, site: SiteServer) -> dict[str, str]:
    """Save MAP_PROFILES through the pages, as a visitor would; label → contact id."""
    # What you receive, on one crible page: one contact after another.
    open_questionnaire(page, site, "contact")
    for label, (receive, _, _) in MAP_PROFILES.items():
        page.click(".crible button[type=reset]")
        page.fill("#crible-label", label)
        fill(page, receive, "gt1y")
        assert wait_result(page)["score"] == str(cli_result(receive, "gt1y")["score"])
        assert save(page).startswith(f"Évaluation de « {label} » enregistrée")
    ids = {c["label"]: c["id"] for c in archive_of(page)["contacts"]}
    assert list(ids) == list(MAP_PROFILES)

    # What you give, from each contact's own link.
    for label, (_, give, _) in MAP_PROFILES.items():
        open_questionnaire(page, site, "donne", f"?contact={ids[label]}")
        assert page.input_value("#crible-label") == label
        fill(page, give, "gt1y")
        assert wait_result(page)["score"] == str(cli_result(give, "gt1y", "donne")["score"])
        save(page)

    return ids


def test_known_profiles_land_in_the_right_quadrant_and_labels_stay_text(
    site: SiteServer, context: BrowserContext, recorder: Recorder
) -> None:
    page = recorder.watch(context.new_page())
    alerts = dialogs_of(page)
    ids = save_map_profiles(page, site)

    expected_quadrants = {ids[label]: q for label, (_, _, q) in MAP_PROFILES.items()}
    # scoring says the same as this table of expectations…
    summary = summary_of(stored(page) or "")
    assert {c["id"]: c["quadrant"] for c in summary["contacts"]} == expected_quadrants
    # …and so does the page: every quadrant is covered, on the chart and in the table.
    open_network(page, site)
    points: dict[str, str] = page.eval_on_selector_all(
        "svg.reseau__map [data-contact]",
        "nodes => Object.fromEntries(nodes.map(n => [n.dataset.contact, n.dataset.quadrant]))",
    )
    assert points == expected_quadrants
    assert set(points.values()) == {
        "gagnant-gagnant",
        "gagnant-perdant",
        "perdant-gagnant",
        "perdant-perdant",
    }
    rows: dict[str, str] = page.eval_on_selector_all(
        "[data-map-table] tbody tr",
        "rows => Object.fromEntries(rows.map(r => [r.dataset.contact, r.dataset.quadrant]))",
    )
    assert rows == expected_quadrants
    quadrant_labels = {q["id"]: q["label"] for q in summary["map"]["quadrants"]}
    for row in cells(page, "[data-map-table] tbody tr"):
        label = row[0]
        assert row[3] == quadrant_labels[MAP_PROFILES[label][2]], label
    for quadrant in summary["map"]["quadrants"]:
        names = page.locator(
            f'[data-quadrant-list="{quadrant["id"]}"] .reseau__names li'
        ).all_inner_texts()
        members = [label for label, (_, _, q) in MAP_PROFILES.items() if q == quadrant["id"]]
        assert sorted(names) == sorted(members)
        listed = page.inner_text(f'[data-quadrant-list="{quadrant["id"]}"]')
        assert quadrant["advice"] in listed
        for n in quadrant["rules"]:
            assert f"Relire la règle {n}" in listed
    # The table of contacts shows both sides, and the links to each page.
    by_label = {row[0]: row for row in cells(page, "[data-table] tbody tr")}
    bruno = next(c for c in summary["contacts"] if c["label"] == "Bruno")
    assert by_label["Bruno"][3] == f"{bruno['give']['verdict_label']} (−1)"
    alice = page.locator(f'[data-table] tr[data-contact="{ids["Alice"]}"]')
    assert alice.locator("a[data-give-link]").get_attribute("href") == (
        f"../donner/?contact={ids['Alice']}"
    )

    # The hostile label: text in the chart, the tables and the lists; nothing created, no alert.
    xss_point = page.locator(f'svg.reseau__map [data-contact="{ids[XSS]}"]')
    # Shortened on the chart, and isolated (FSI…PDI: an SVG text has no <bdi>).
    assert xss_point.locator("text").text_content() == f"\u2068{XSS[:17]}…\u2069"
    assert XSS in (xss_point.locator("title").text_content() or "")
    assert XSS in page.inner_text("[data-map]")
    page.emulate_media(media="print")
    assert XSS in page.inner_text("[data-overview]")
    assert page.locator('img[src="x"]').count() == 0
    assert page.locator(".reseau svg image, .reseau svg foreignObject, .reseau img").count() == 0
    assert alerts == []
    assert [r for r in recorder.requests if not r.startswith(f"{site.origin}/{SUB_PATH}/")] == []
    assert page.evaluate("window.__csp") == []


# --- Archives of the previous version ------------------------------------------------------------


def shown_contacts(page: Page) -> dict[str, tuple[str, str]]:
    """Contact id → (label, verdict) as the table of Mon réseau shows them."""
    found: dict[str, list[str]] = page.eval_on_selector_all(
        "[data-table] tbody tr",
        "rows => Object.fromEntries(rows.map(r => [r.dataset.contact,"
        " [r.cells[0].textContent, r.cells[1].textContent]]))",
    )
    return {key: (value[0], value[1]) for key, value in found.items()}


def expected_contacts(archive: str) -> dict[str, tuple[str, str]]:
    summary = summary_of(archive)
    return {
        c["id"]: (c["label"], c["latest"]["verdict_label"] if c["latest"] else "Pas encore évalué")
        for c in summary["contacts"]
    }


def without_kinds(archive: dict[str, Any]) -> list[dict[str, Any]]:
    """The contacts of an archive as version 1 wrote them: no kind, nothing else changed."""
    return [{k: v for k, v in c.items() if k != "kind"} for c in archive["contacts"]]


def test_a_version_1_export_imports_unchanged(
    site: SiteServer, context: BrowserContext, recorder: Recorder
) -> None:
    page = recorder.watch(context.new_page())
    alerts = dialogs_of(page)
    original = V1_FIXTURE.read_text(encoding="utf-8")
    v1 = json.loads(original)
    assert v1["version"] == 1
    open_network(page, site)
    assert page.is_visible("[data-empty]")
    page.set_input_files("[data-import]", V1_FIXTURE)
    page.wait_for_selector("[data-import-dialog][open]")
    preview = page.inner_text("[data-import-preview]").replace("\u202f", " ")
    assert "Nouveau contact « Ada <img src=x onerror=alert(1)> » (2 évaluations)" in preview
    page.click("[data-import-merge]")
    page.wait_for_selector("[data-overview]:not([hidden])")
    assert shown_contacts(page) == expected_contacts(original)
    assert len(shown_contacts(page)) == len(v1["contacts"])
    archive = archive_of(page)
    assert archive["version"] == 2
    assert {c["kind"] for c in archive["contacts"]} == {"contact"}
    assert without_kinds(archive) == v1["contacts"]
    assert page.locator('img[src="x"]').count() == 0
    assert alerts == []
    assert recorder.console_errors == []


def test_a_version_1_archive_in_storage_is_read_and_kept_whole_on_the_first_change(
    site: SiteServer, context: BrowserContext
) -> None:
    page = context.new_page()
    original = V1_FIXTURE.read_text(encoding="utf-8")
    v1 = json.loads(original)
    page.goto(site.url)
    page.evaluate("([key, text]) => localStorage.setItem(key, text)", [ARCHIVE_KEY, original])
    open_network(page, site)
    assert shown_contacts(page) == expected_contacts(original)
    assert stored(page) == original  # reading changes nothing

    # One change: a rename, through the page.
    card = page.locator('details[data-contact="c-dan"]')
    card.locator("summary").click()
    card.locator("input[type=text]").fill("Dan")
    card.locator('button:has-text("Renommer")').click()
    page.wait_for_function(
        "[...document.querySelectorAll('[data-table] tbody th')]"
        ".some(th => th.textContent === 'Dan')"
    )
    archive = archive_of(page)
    assert archive["version"] == 2
    assert {c["kind"] for c in archive["contacts"]} == {"contact"}
    renamed = [{**c, "label": "Dan"} if c["id"] == "c-dan" else c for c in v1["contacts"]]
    assert without_kinds(archive) == renamed

    # And a give-side evaluation of a version 1 contact, then the crible of it, prefilled.
    open_questionnaire(page, site, "donne", "?contact=c-ada")
    assert page.input_value("#crible-label") == "Ada <img src=x onerror=alert(1)>"
    fill(page, best(DONNE), "gt1y")
    wait_result(page)
    save(page)
    ada = next(c for c in archive_of(page)["contacts"] if c["id"] == "c-ada")
    assert [e["id"] for e in ada["evaluations"][:2]] == ["e-ada-1", "e-ada-2"]
    assert ada["evaluations"][:2] == v1["contacts"][0]["evaluations"]
    open_network(page, site)
    point = page.locator('svg.reseau__map [data-contact="c-ada"]')
    assert point.get_attribute("data-quadrant") == "gagnant-gagnant"


def test_the_new_pages_ask_nothing_of_another_host(
    site: SiteServer, context: BrowserContext, recorder: Recorder
) -> None:
    page = recorder.watch(context.new_page())
    for qid in PAGES:
        open_questionnaire(page, site, qid)
        fill(page, best(QUESTIONNAIRES[qid]), "gt1y")
        wait_result(page)
    open_network(page, site)
    assert page.evaluate("window.__csp") == []
    assert [r for r in recorder.requests if not r.startswith(f"{site.origin}/{SUB_PATH}/")] == []
    assert any(r.endswith("/donner/") for r in recorder.requests)
