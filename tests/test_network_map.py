"""Mon réseau beyond the crible: the give side, groups, the self-assessment, the win-win map
and the time balance (rule 6), as scoring.network computes them for the page."""

from __future__ import annotations

from typing import Any

import pytest
from test_network import NOW, call, errors, fr, record, result, when

from scoring import browser, load_questionnaire
from scoring.archive import Archive, Contact, Evaluation, dump_archive, parse_archive

CONTACT = load_questionnaire("contact")
GIVE = load_questionnaire("donne")
GROUP = load_questionnaire("groupe")
SELF = load_questionnaire("apport")


def best(q: Any) -> dict[str, str]:
    return {item.id: "yes" if item.sign == "+" else "no" for item in q.items}


def worst(q: Any) -> dict[str, str]:
    return {item.id: "no" if item.sign == "+" else "yes" for item in q.items}


def yes_to(q: Any, count: int) -> dict[str, str]:
    """Yes to the first ``count`` positive criteria, no to everything else: score = count."""
    positives = [item.id for item in q.items if item.sign == "+"][:count]
    return {item.id: "yes" if item.id in positives else "no" for item in q.items}


_counter = iter(range(10_000))


def ev(
    questionnaire: str, answers: dict[str, str], date: str, minutes: int | None = None
) -> Evaluation:
    return Evaluation(
        id=f"e-{next(_counter)}",
        date=when(date),
        questionnaire=questionnaire,
        answers=answers,
        minutes=minutes,
    )


def entry(cid: str, *evaluations: Evaluation, kind: str = "contact", label: str = "") -> Contact:
    return Contact(
        id=cid,
        kind=kind,
        label=label or cid,
        created=when("2026-01-01T00:00:00Z"),
        evaluations=evaluations,
    )


def summary(*entries: Contact) -> dict[str, Any]:
    data: dict[str, Any] = result(
        browser.network, {"current": dump_archive(Archive(contacts=entries))}
    )
    return data


D1, D2, D3 = "2026-03-01T10:00:00Z", "2026-04-01T10:00:00Z", "2026-05-01T10:00:00Z"


# --- The win-win map --------------------------------------------------------------------------


def test_known_profiles_land_in_their_quadrants() -> None:
    data = summary(
        entry("c-gg", ev("contact", best(CONTACT), D1), ev("donne", best(GIVE), D1)),
        entry("c-gp", ev("contact", best(CONTACT), D1), ev("donne", worst(GIVE), D1)),
        entry("c-pg", ev("contact", worst(CONTACT), D1), ev("donne", best(GIVE), D1)),
        entry("c-pp", ev("contact", worst(CONTACT), D1), ev("donne", worst(GIVE), D1)),
        # Exactly at both thresholds (3 received, 2 given): both sides win.
        entry("c-edge", ev("contact", yes_to(CONTACT, 3), D1), ev("donne", yes_to(GIVE, 2), D1)),
        # One below each threshold: both lose.
        entry("c-below", ev("contact", yes_to(CONTACT, 2), D1), ev("donne", yes_to(GIVE, 1), D1)),
        # One side only: not on the map.
        entry("c-receive-only", ev("contact", best(CONTACT), D1)),
        entry("c-give-only", ev("donne", best(GIVE), D1)),
        entry("c-g", ev("groupe", best(GROUP), D1), kind="groupe"),
    )
    assert {q["id"]: q["contacts"] for q in data["map"]["quadrants"]} == {
        "gagnant-gagnant": ["c-gg", "c-edge"],
        "gagnant-perdant": ["c-gp"],
        "perdant-gagnant": ["c-pg"],
        "perdant-perdant": ["c-pp", "c-below"],
    }
    placed = {c["id"]: c["quadrant"] for c in data["contacts"]}
    assert placed == {
        "c-gg": "gagnant-gagnant",
        "c-gp": "gagnant-perdant",
        "c-pg": "perdant-gagnant",
        "c-pp": "perdant-perdant",
        "c-edge": "gagnant-gagnant",
        "c-below": "perdant-perdant",
        "c-receive-only": None,
        "c-give-only": None,
        "c-g": None,
    }
    scores = {c["id"]: (c["latest"] and c["latest"]["score"], c["give"] and c["give"]["score"])
              for c in data["contacts"]}  # fmt: skip
    assert scores["c-gg"] == (9, 5)
    assert scores["c-pp"] == (-4, -1)
    assert scores["c-edge"] == (3, 2)
    assert scores["c-below"] == (2, 1)
    assert scores["c-give-only"] == (None, 5)
    quadrant = data["map"]["quadrants"][2]
    assert quadrant["label"] == "Vous les aidez sans retour"
    assert quadrant["rules"] == [6, 10]
    assert quadrant["advice"] == fr(
        "Vous donnez à ces contacts sans rien recevoir en retour. Rien ne vous y oblige : "
        "limitez le temps que vous leur consacrez."
    )


def test_the_give_side_has_its_own_latest_and_trend() -> None:
    data = summary(
        entry(
            "c-1",
            ev("contact", best(CONTACT), D1),
            ev("donne", worst(GIVE), D2),
            ev("contact", yes_to(CONTACT, 4), D2),
            ev("donne", best(GIVE), D3),  # the latest evaluation of all: still the give side
        )
    )
    (person,) = data["contacts"]
    assert (person["latest"]["questionnaire"], person["latest"]["score"], person["trend"]) == (
        "contact",
        4,
        -5,
    )
    assert (person["give"]["questionnaire"], person["give"]["score"]) == ("donne", 5)
    assert person["give_trend"] == 6
    assert person["quadrant"] == "gagnant-gagnant"
    assert data["bands"][1] == {"id": "entretenir", "label": "À entretenir", "count": 1}


# --- Groups and the visitor -------------------------------------------------------------------


def test_groups_and_the_self_assessment_are_counted_apart() -> None:
    data = summary(
        entry("c-p", ev("contact", best(CONTACT), D1)),
        entry("g-good", ev("groupe", best(GROUP), D1, minutes=60), kind="groupe"),
        entry("g-meh", ev("groupe", {"on-topic": "yes"}, D1, minutes=120), kind="groupe"),
        entry("g-bad", ev("groupe", worst(GROUP), D1, minutes=600), kind="groupe"),
        entry("g-new", kind="groupe"),
        entry("c-me", ev("apport", best(SELF), D1), ev("apport", worst(SELF), D2), kind="soi"),
    )
    assert data["counts"] == {"contact": 1, "groupe": 4, "soi": 1}
    assert (data["total"], data["evaluated"]) == (6, 1)
    assert data["bands"][0]["count"] == 1
    assert data["group_bands"] == [
        {"id": "rester-actif", "label": "Restez actif", "count": 1},
        {"id": "reduire", "label": "Réduisez votre présence", "count": 1},
        {"id": "quitter", "label": "Quittez ce groupe", "count": 1},
    ]
    # The groups that cost more than they give: not "stay active", most time first.
    assert data["time"]["costly_groups"] == ["g-bad", "g-meh"]
    assert data["time"]["groups"] == 780
    me = data["contacts"][-1]
    assert (me["kind"], me["latest"]["verdict"], me["trend"]) == ("soi", "consommateur", -13)


# --- Time (rule 6) ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("own", "helping", "balance", "message"),
    [
        (
            300,
            60,
            "peu-d-aide",
            "Vous passez bien plus de temps sur vos propres questions qu'à aider vos contacts : "
            "pensez à rendre ce que vous recevez.",
        ),
        (
            120,
            60,  # a third exactly: still balanced
            "equilibre",
            "Votre temps est équilibré entre vos propres questions et l'aide que vous apportez.",
        ),
        (
            30,
            120,
            "trop-d-aide",
            "Vous passez bien plus de temps à aider vos contacts que sur vos propres questions : "
            "gardez-en pour vos recherches.",
        ),
    ],
)
def test_the_time_balance(own: int, helping: int, balance: str, message: str) -> None:
    data = summary(
        entry(
            "c-1",
            ev("contact", best(CONTACT), D1, minutes=9999),  # superseded: not counted
            ev("contact", best(CONTACT), D2, minutes=own),
            ev("donne", best(GIVE), D2, minutes=helping),
        ),
        entry("c-2", ev("contact", best(CONTACT), D2)),  # no time said
    )
    assert data["time"] == {
        "recorded": True,
        "own": own,
        "help": helping,
        "groups": 0,
        "help_share": helping / (own + helping),
        "balance": balance,
        "message": fr(message),
        "rules": [6],
        "costly_groups": [],
    }


def test_no_time_recorded_no_balance() -> None:
    data = summary(entry("c-1", ev("contact", best(CONTACT), D1)))
    assert (data["time"]["recorded"], data["time"]["balance"], data["time"]["message"]) == (
        False,
        None,
        None,
    )


# --- Recording each kind ----------------------------------------------------------------------


def _evaluation(questionnaire: str, **extra: Any) -> dict[str, Any]:
    return {"id": "e-new", "date": NOW, "questionnaire": questionnaire, "answers": {}, **extra}


def test_record_a_group_with_its_time() -> None:
    request = record(
        "",
        cid="g-1",
        label="Forum",
        contact={"id": "g-1", "label": "Forum", "kind": "groupe"},
        evaluation=_evaluation("groupe", minutes=90),
    )
    (group,) = parse_archive(result(browser.update, request)["archive"]).contacts
    assert (group.kind, group.label, group.evaluations[0].minutes) == ("groupe", "Forum", 90)


def test_record_refuses_a_questionnaire_of_another_kind() -> None:
    request = record("", evaluation=_evaluation("groupe"))
    assert errors(browser.update, request) == [
        (
            "evaluation.questionnaire",
            fr("Le questionnaire « groupe » porte sur un groupe, pas sur une personne"),
        )
    ]


def test_record_refuses_bad_minutes_where_the_request_has_them() -> None:
    request = record("", evaluation=_evaluation("contact", minutes=-5))
    assert errors(browser.update, request) == [
        ("evaluation.minutes", fr("Temps mensuel impossible : -5 minutes"))
    ]


def test_record_keeps_the_kind_of_a_saved_entry() -> None:
    stored = dump_archive(Archive(contacts=(entry("g-1", kind="groupe"),)))
    request = record(stored, contact={"id": "g-1", "label": "g-1", "kind": "contact"})
    assert errors(browser.update, request) == [
        ("contact.kind", fr("Ce contact est déjà enregistré avec un autre type : « groupe »"))
    ]


def test_one_self_entry_whatever_the_page_thinks() -> None:
    stored = dump_archive(Archive(contacts=(entry("c-me", kind="soi", label="Vous"),)))
    request = record(
        stored,
        contact={"id": "c-other", "label": "Vous", "kind": "soi"},
        evaluation=_evaluation("apport"),
    )
    assert errors(browser.update, request) == [
        (
            "contact.id",
            fr("Votre apport au réseau est déjà enregistré sous un autre identifiant : « c-me »"),
        )
    ]
    request["contact"]["id"] = "c-me"
    (me,) = parse_archive(result(browser.update, request)["archive"]).contacts
    assert [e.questionnaire for e in me.evaluations] == ["apport"]


def test_an_unknown_kind_is_refused_at_its_place() -> None:
    request = record("", contact={"id": "c-1", "label": "X", "kind": "famille"})
    assert errors(browser.update, request) == [
        ("contact.kind", fr("Type d'entrée inconnu « famille »"))
    ]


# --- The table export -------------------------------------------------------------------------


def test_export_csv_with_every_kind() -> None:
    stored = dump_archive(
        Archive(
            contacts=(
                entry(
                    "c-1",
                    ev("contact", best(CONTACT), D1, minutes=90),
                    ev("donne", worst(GIVE), D2, minutes=15),
                    label="Alice",
                ),
                entry(
                    "g-1", ev("groupe", worst(GROUP), D1, minutes=600), kind="groupe", label="Forum"
                ),
                entry("c-me", ev("apport", best(SELF), D3), kind="soi", label="Vous"),
            )
        )
    )
    assert call(browser.export_csv, {"current": stored})["result"]["csv"].split("\r\n")[1:] == [
        "Alice;Contact;2026-03-01;À cultiver;9;Vous lui donnez peu;"
        "Ils vous aident sans retour;1,5;2",
        "Forum;Groupe;2026-03-01;Quittez ce groupe;-5;;;10;1",
        "Vous;Vous;2026-05-01;Un moteur du réseau;9;;;;1",
        "",
    ]
