"""Mon réseau: the overview, the edits, the import and the table export, through scoring.browser.

Every answer is checked whole: the page renders these shapes and shows these messages as is.
"""

from __future__ import annotations

import json
from dataclasses import replace
from datetime import UTC, datetime
from typing import Any

import pytest

from scoring import browser, load_questionnaire, score
from scoring.archive import Archive, Contact, Evaluation, dump_archive, parse_archive
from scoring.model import load_map
from scoring.network import read_stored

NBSP, NNBSP = "\u00a0", "\u202f"
Q = load_questionnaire("contact")
XSS = "<img src=x onerror=alert(1)>"
CREATED = "2026-01-02T09:30:00Z"


def fr(text: str) -> str:
    """French typography, as in the package's messages."""
    for plain, typeset in ((" :", f"{NBSP}:"), (" ;", f"{NNBSP};"), ("« ", f"«{NNBSP}")):
        text = text.replace(plain, typeset)
    return text.replace(" »", f"{NNBSP}»").replace("'", "’")


def call(function: Any, argument: Any) -> dict[str, Any]:
    text = function(argument if isinstance(argument, str) else json.dumps(argument))
    assert isinstance(text, str)
    data = json.loads(text)
    assert isinstance(data, dict)
    return data


def result(function: Any, argument: Any) -> Any:
    response = call(function, argument)
    assert response["ok"] is True, response
    return response["result"]


def errors(function: Any, argument: Any) -> list[tuple[str, str]]:
    response = call(function, argument)
    assert response["ok"] is False, response
    assert all(set(error) <= {"path", "message", "fix", "where"} for error in response["errors"])
    return [(error["path"], error["message"]) for error in response["errors"]]


def when(text: str) -> datetime:
    return datetime.fromisoformat(text)


def evaluation(eid: str, date: str, **answers: str) -> Evaluation:
    return Evaluation(id=eid, date=when(date), questionnaire="contact", answers=answers)


def contact(cid: str, *evaluations: Evaluation, label: str = "Lambda") -> Contact:
    return Contact(id=cid, label=label, created=when(CREATED), evaluations=evaluations)


def text_of(*contacts: Contact) -> str:
    return dump_archive(Archive(contacts=contacts))


# Scores: best() is 9 ("cultiver"), worst() is -4 ("distance"), {"available": "yes"} is 1.
BEST = {item.id: "yes" if item.sign == "+" else "no" for item in Q.items}
WORST = {item.id: "no" if item.sign == "+" else "yes" for item in Q.items}


def scored(eid: str, date: str, answers: dict[str, str]) -> dict[str, Any]:
    found = score(Q, answers)
    return {
        "id": eid,
        "date": date,
        "questionnaire": "contact",
        "verdict": found.verdict,
        "verdict_label": found.verdict_label,
        "score": found.score,
        "score_min": -4,
        "score_max": 9,
        "provisional": found.provisional,
        "coverage": found.coverage,
        "minutes": None,
    }


def bands(**counts: int) -> list[dict[str, object]]:
    return [
        {"id": band.id, "label": band.label, "count": counts.get(band.id, 0)} for band in Q.bands
    ]


# What the summary says of a network with no group, no give side and no time recorded.
GROUP_BANDS_NONE = [
    {"id": "rester-actif", "label": "Restez actif", "count": 0},
    {"id": "reduire", "label": "Réduisez votre présence", "count": 0},
    {"id": "quitter", "label": "Quittez ce groupe", "count": 0},
]
MAP_EMPTY = {
    "receive": {
        "questionnaire": "contact",
        "min_score": 3,
        "label": "Ce que vous recevez",
        "score_min": -4,
        "score_max": 9,
    },
    "give": {
        "questionnaire": "donne",
        "min_score": 2,
        "label": "Ce que vous donnez",
        "score_min": -1,
        "score_max": 5,
    },
    "quadrants": [{**quadrant.to_dict(), "contacts": []} for quadrant in load_map().quadrants],
}
NO_TIME = {
    "recorded": False,
    "own": 0,
    "help": 0,
    "groups": 0,
    "help_share": None,
    "balance": None,
    "message": None,
    "rules": [6],
    "costly_groups": [],
}
NO_GIVE: dict[str, Any] = {"give": None, "give_trend": None, "quadrant": None, "ignored": []}
NOTHING_ASIDE = {"ignored": 0, "set_aside": {"count": 0, "entries": [], "text": ""}}


# --- network() --------------------------------------------------------------------------------


@pytest.mark.parametrize("stored", ["", "null", "  \n"])
def test_nothing_stored_is_an_empty_network(stored: str) -> None:
    assert result(browser.network, stored) == {
        "contacts": [],
        "bands": [
            {"id": "cultiver", "label": "À cultiver", "count": 0},
            {"id": "entretenir", "label": "À entretenir", "count": 0},
            {"id": "surveiller", "label": "À surveiller", "count": 0},
            {"id": "distance", "label": "À laisser de côté", "count": 0},
        ],
        "evaluated": 0,
        "total": 0,
        "counts": {"contact": 0, "groupe": 0, "soi": 0},
        "group_bands": GROUP_BANDS_NONE,
        "map": MAP_EMPTY,
        "time": NO_TIME,
        **NOTHING_ASIDE,
    }
    assert [q["id"] for q in MAP_EMPTY["quadrants"]] == [  # type: ignore[index]
        "gagnant-gagnant",
        "gagnant-perdant",
        "perdant-gagnant",
        "perdant-perdant",
    ]


def test_the_network_summary() -> None:
    stored = text_of(
        contact(
            "c-a",
            # Out of order in the archive: sorted by date in the summary.
            Evaluation(
                id="e-2",
                date=when("2026-06-01T08:00:00.500Z"),
                questionnaire="contact",
                answers=WORST,
            ),
            Evaluation(
                id="e-1",
                date=when("2026-03-04T10:00:00Z"),
                questionnaire="contact",
                answers=BEST,
                context={"duration": "gt1y"},
            ),
        ),
        contact("c-b", label=XSS),
        contact("c-c", evaluation("e-3", "2026-05-05T05:05:05Z", available="yes"), label="Céline"),
    )
    first, second = (
        scored("e-1", "2026-03-04T10:00:00Z", BEST),
        scored("e-2", "2026-06-01T08:00:00.500Z", WORST),
    )
    assert (first["score"], first["verdict"], first["provisional"]) == (9, "cultiver", False)
    assert (second["score"], second["verdict"], second["coverage"]) == (-4, "distance", 1.0)
    only = scored("e-3", "2026-05-05T05:05:05Z", {"available": "yes"})
    assert (only["score"], only["verdict"], only["provisional"]) == (1, "surveiller", True)
    assert result(browser.network, stored) == {
        "contacts": [
            {
                "id": "c-a",
                "kind": "contact",
                "label": "Lambda",
                "created": CREATED,
                "evaluations": [first, second],
                "latest": second,
                "trend": -13,
                **NO_GIVE,
            },
            {
                "id": "c-b",
                "kind": "contact",
                "label": XSS,  # text, kept verbatim: the page escapes it
                "created": CREATED,
                "evaluations": [],
                "latest": None,
                "trend": None,
                **NO_GIVE,
            },
            {
                "id": "c-c",
                "kind": "contact",
                "label": "Céline",
                "created": CREATED,
                "evaluations": [only],
                "latest": only,
                "trend": None,
                **NO_GIVE,
            },
        ],
        "bands": bands(distance=1, surveiller=1),
        "evaluated": 2,
        "total": 3,
        "counts": {"contact": 3, "groupe": 0, "soi": 0},
        "group_bands": GROUP_BANDS_NONE,
        "map": MAP_EMPTY,
        "time": NO_TIME,
        **NOTHING_ASIDE,
    }


def test_evaluations_on_the_same_date_keep_the_archive_order() -> None:
    date = "2026-03-04T10:00:00Z"
    stored = text_of(contact("c-a", evaluation("e-z", date), evaluation("e-a", date)))
    (summary,) = result(browser.network, stored)["contacts"]
    assert [e["id"] for e in summary["evaluations"]] == ["e-z", "e-a"]
    assert summary["trend"] == 0


def test_a_corrupt_archive_gives_its_own_errors() -> None:
    assert errors(browser.network, "bonjour") == [
        ("", "Ce fichier n’est pas un fichier JSON valide")
    ]
    # Only the top level can make the whole archive unreadable.
    top = json.loads(text_of(contact("c-a"))) | {"contacts": {"c-a": {}}}
    assert errors(browser.network, json.dumps(top)) == [
        ("contacts", fr("Type inattendu : objet (attendu : liste)"))
    ]


# --- Local damage stays local -----------------------------------------------------------------

FUTURE = "2099-12-08T10:00:00Z"


def raw_evaluation(eid: str, date: str, questionnaire: str, **answers: str) -> dict[str, Any]:
    return {"id": eid, "date": date, "questionnaire": questionnaire, "answers": answers}


def odd_archive() -> str:
    """One person with a valid evaluation, and four that this site can no longer count."""
    data = json.loads(text_of(contact("c-a", evaluation("e-ok", "2026-03-04T10:00:00Z", **BEST))))
    data["contacts"][0]["evaluations"] += [
        raw_evaluation("e-future", FUTURE, "contact", available="yes"),
        raw_evaluation("e-removed", "2026-02-01T10:00:00Z", "contact", available="no", gone="yes"),
        raw_evaluation("e-unknown", "2026-02-02T10:00:00Z", "disparu", available="yes"),
        raw_evaluation("e-value", "2026-02-03T10:00:00Z", "contact", available="peut-être"),
    ]
    return json.dumps(data, ensure_ascii=False, indent=2) + "\n"


def entry_text(text: str, eid: str) -> str:
    """One evaluation in an archive's text, as it is stored (without the comma after it)."""
    lines = text.splitlines(keepends=True)
    start = next(i for i, line in enumerate(lines) if line.strip() == f'"id": "{eid}",') - 1
    indent = lines[start][: len(lines[start]) - len(lines[start].lstrip())]
    end = next(i for i in range(start, len(lines)) if lines[i].rstrip(",\n") == indent + "}")
    return "".join(lines[start:end]) + indent + "}"


ODD_IDS = ("e-future", "e-removed", "e-unknown", "e-value")


def test_odd_evaluations_are_kept_marked_and_counted_nowhere() -> None:
    summary = result(browser.network, odd_archive())
    (person,) = summary["contacts"]
    assert [e["id"] for e in person["evaluations"]] == ["e-ok"]
    assert person["latest"]["id"] == "e-ok"
    assert person["ignored"] == [
        {
            "id": "e-removed",
            "date": "2026-02-01T10:00:00Z",
            "questionnaire": "contact",
            "status": "ignorée",
            "reason": fr("répond au critère « gone » que le site n’a plus"),
        },
        {
            "id": "e-unknown",
            "date": "2026-02-02T10:00:00Z",
            "questionnaire": "disparu",
            "status": "ignorée",
            "reason": "questionnaire que le site n’a plus",
        },
        {
            "id": "e-value",
            "date": "2026-02-03T10:00:00Z",
            "questionnaire": "contact",
            "status": "ignorée",
            "reason": fr(
                "réponses que le site ne comprend plus : "
                "Réponse invalide « peut-être » pour le critère « available »"
            ),
        },
        {
            "id": "e-future",
            "date": FUTURE,
            "questionnaire": "contact",
            "status": "ignorée",
            "reason": fr(
                "datée du 8 décembre 2099, dans le futur : "
                "l’horloge de l’appareil avançait sans doute"
            ),
        },
    ]
    assert summary["bands"] == bands(cultiver=1)
    assert (summary["ignored"], summary["set_aside"]["count"]) == (4, 0)


def test_a_date_within_a_day_ahead_is_counted() -> None:
    # MAX_CLOCK_SKEW: clocks differ between devices by hours; beyond a day, it is marked.
    now = datetime(2026, 12, 3, 12, 0, tzinfo=UTC)
    ahead = json.loads(text_of(contact("c-a", evaluation("e-1", "2026-12-04T11:59:59Z"))))
    archive = read_stored(json.dumps(ahead), now=now)
    assert archive.contacts[0].evaluations[0].ignored == ""
    ahead["contacts"][0]["evaluations"][0]["date"] = "2026-12-04T12:00:01Z"
    archive = read_stored(json.dumps(ahead), now=now)
    assert archive.contacts[0].evaluations[0].ignored == fr(
        "datée du 4 décembre 2026, dans le futur : l’horloge de l’appareil avançait sans doute"
    )


def test_odd_evaluations_survive_every_change_unchanged() -> None:
    stored = odd_archive()
    texts = {eid: entry_text(stored, eid) for eid in ODD_IDS}
    saved = result(browser.update, record(stored, cid="c-a"))["archive"]
    renamed = result(
        browser.update, {"current": saved, "op": "rename", "contact_id": "c-a", "label": "Alpha"}
    )["archive"]
    deleted = result(
        browser.update,
        {
            "current": renamed,
            "op": "delete-evaluation",
            "contact_id": "c-a",
            "evaluation_id": "e-ok",
        },
    )["archive"]
    imported = result(
        browser.import_apply, {"current": deleted, "incoming": STORED, "mode": "merge"}
    )["archive"]
    for text in (saved, renamed, deleted, imported):
        assert all(texts[eid] in text for eid in ODD_IDS), text
    final = read_stored(imported)
    assert final.contacts[0].label == "Alpha"
    assert [e.id for e in final.contacts[0].evaluations] == [*ODD_IDS, "e-new", "e-1"]


def test_a_file_with_odd_evaluations_imports_them_marked() -> None:
    incoming = odd_archive()
    preview = result(browser.import_preview, {"current": "", "incoming": incoming})
    assert preview["incoming_evaluations"] == 5
    applied = result(browser.import_apply, {"current": "", "incoming": incoming, "mode": "merge"})
    assert all(entry_text(incoming, eid) in applied["archive"] for eid in ODD_IDS)


def broken_archive() -> str:
    """Two readable people, and three entries that cannot be read at all."""
    data = json.loads(
        text_of(
            contact("c-a", evaluation("e-1", "2026-03-04T10:00:00Z", available="yes")),
            contact("c-b", label="Bêta"),
        )
    )
    data["contacts"].insert(1, 42)
    data["contacts"].insert(2, json.loads(text_of(contact("c-empty", label="")))["contacts"][0])
    no_answers = {"id": "e-2", "date": "2026-03-05T10:00:00Z", "questionnaire": "contact"}
    data["contacts"][3]["evaluations"].append(no_answers)
    return json.dumps(data, ensure_ascii=False, indent=2) + "\n"


def test_broken_entries_are_set_aside_one_by_one() -> None:
    summary = result(browser.network, broken_archive())
    assert [c["id"] for c in summary["contacts"]] == ["c-a", "c-b"]
    assert summary["set_aside"]["entries"] == [
        {
            "kind": "contact",
            "label": None,
            "reason": fr("Type inattendu : nombre entier (attendu : objet)"),
            "where": "contacts[1]",
        },
        {
            "kind": "contact",
            "label": "",
            "reason": "Le nom du contact est vide",
            "where": "contacts[2].label",
        },
        {
            "kind": "evaluation",
            "label": "Bêta",
            "reason": fr("Clé obligatoire manquante « answers »"),
            "where": "contacts[3].evaluations[0].answers",
        },
    ]
    assert summary["set_aside"]["count"] == 3
    aside = json.loads(summary["set_aside"]["text"])
    assert aside[0] == 42
    assert aside[1]["id"] == "c-empty"
    assert aside[2] == {"id": "e-2", "date": "2026-03-05T10:00:00Z", "questionnaire": "contact"}


def test_a_save_keeps_what_was_set_aside() -> None:
    stored = broken_archive()
    saved = result(browser.update, record(stored, cid="c-b"))["archive"]
    data = json.loads(saved)
    # Readable contacts first, set-aside ones after them, each as it was.
    assert [c if c == 42 else c["id"] for c in data["contacts"]] == ["c-a", "c-b", 42, "c-empty"]
    assert [e["id"] for e in data["contacts"][1]["evaluations"]] == ["e-new", "e-2"]
    assert result(browser.network, saved)["set_aside"] == result(browser.network, stored)[
        "set_aside"
    ] | {
        "entries": [
            {**entry, "where": where}
            for entry, where in zip(
                result(browser.network, stored)["set_aside"]["entries"],
                ["contacts[2]", "contacts[3].label", "contacts[1].evaluations[1].answers"],
                strict=True,
            )
        ]
    }
    # And it stays put through the next changes.
    again = result(
        browser.update, {"current": saved, "op": "rename", "contact_id": "c-b", "label": "B"}
    )
    assert json.loads(again["archive"])["contacts"][2:] == data["contacts"][2:]


def test_a_file_with_a_broken_entry_is_refused_as_a_whole() -> None:
    assert errors(browser.import_preview, {"current": "", "incoming": broken_archive()}) == [
        ("contacts[1]", fr("Type inattendu : nombre entier (attendu : objet)")),
        ("contacts[2].label", "Le nom du contact est vide"),
        ("contacts[3].evaluations[0].answers", fr("Clé obligatoire manquante « answers »")),
    ]


def test_network_of_something_else_than_text() -> None:
    # What a JavaScript bug could pass: an answer all the same.
    assert json.loads(browser.network(42)) == {  # type: ignore[arg-type]
        "ok": False,
        "errors": [
            {"path": "", "message": fr("Type inattendu : int (attendu : texte)"), "fix": ""}
        ],
    }


# --- update() ---------------------------------------------------------------------------------

NOW = "2026-11-20T10:00:00.123Z"


def record(
    current: object, cid: str = "c-new", label: str = "Nouveau", **changes: Any
) -> dict[str, Any]:
    request: dict[str, Any] = {
        "current": current,
        "op": "record",
        "contact": {"id": cid, "label": label},
        "evaluation": {
            "id": "e-new",
            "date": NOW,
            "questionnaire": "contact",
            "answers": {"available": "yes"},
            "context": {"duration": "lt1m"},
        },
        "created": NOW,
    }
    request.update(changes)
    return request


def archive_after(request: dict[str, Any]) -> Archive:
    text = result(browser.update, request)["archive"]
    archive = parse_archive(text)
    assert dump_archive(archive) == text  # canonical
    return archive


NEW_EVALUATION = Evaluation(
    id="e-new",
    date=when(NOW),
    questionnaire="contact",
    answers={"available": "yes"},
    context={"duration": "lt1m"},
)
STORED = text_of(contact("c-a", evaluation("e-1", "2026-03-04T10:00:00Z")), contact("c-b"))


@pytest.mark.parametrize("current", ["", None, "null"])
def test_record_the_first_evaluation(current: str | None) -> None:
    assert archive_after(record(current)) == Archive(
        contacts=(
            Contact(id="c-new", label="Nouveau", created=when(NOW), evaluations=(NEW_EVALUATION,)),
        )
    )


def test_record_a_new_contact_after_the_others() -> None:
    current = parse_archive(STORED)
    new = Contact(id="c-new", label=XSS, created=when(NOW), evaluations=(NEW_EVALUATION,))
    assert archive_after(record(STORED, label=XSS)) == replace(
        current, contacts=(*current.contacts, new)
    )
    assert (
        result(browser.network, dump_archive(replace(current, contacts=(new,))))["contacts"][0][
            "label"
        ]
        == XSS
    )


def test_record_on_an_existing_contact_keeps_its_label() -> None:
    current = parse_archive(STORED)
    after = archive_after(
        record(STORED, cid="c-a", label="Autre nom", created="2026-11-01T00:00:00Z")
    )
    a, b = current.contacts
    assert after == replace(
        current, contacts=(replace(a, evaluations=(*a.evaluations, NEW_EVALUATION)), b)
    )
    summary = result(browser.network, dump_archive(after))["contacts"][0]
    assert [e["id"] for e in summary["evaluations"]] == ["e-1", "e-new"]
    assert summary["trend"] == 1


def test_record_without_context_nor_created_for_an_existing_contact() -> None:
    request = record(STORED, cid="c-b")
    del request["created"], request["evaluation"]["context"]
    after = archive_after(request)
    assert after.contacts[1].evaluations == (replace(NEW_EVALUATION, context=None),)


def test_record_errors_point_into_the_request() -> None:
    request = record(STORED, label="a\tb")
    request["evaluation"]["answers"] = {"available": "maybe", "foo": "yes"}
    request["evaluation"]["date"] = "2026-11-20"
    request["evaluation"]["extra"] = 1
    del request["created"]
    bad_label = fr("Le nom du contact contient un caractère de contrôle : « a\\tb »")
    assert errors(browser.update, request) == [
        ("created", fr("Clé obligatoire manquante « created »")),  # missing keys come first
        ("contact.label", bad_label),
        ("evaluation.extra", fr("Clé inconnue « extra »")),
        ("evaluation.date", fr("Date invalide « 2026-11-20 »")),
        (
            "evaluation.answers.available",
            fr("Réponse invalide « maybe » pour le critère « available »"),
        ),
        ("evaluation.answers.foo", fr("Critère inconnu « foo »")),
    ]


def test_record_errors_on_an_existing_contact() -> None:
    request = record(STORED, cid="c-b")
    request["evaluation"]["context"] = {"duration": "2y"}
    request["evaluation"]["date"] = "2099-01-01T00:00:00Z"
    assert errors(browser.update, request) == [
        ("evaluation.date", fr("Date située dans le futur : le 1er janvier 2099")),
        ("evaluation.context.duration", fr("Durée inconnue « 2y »")),
    ]


def test_record_a_contact_without_a_label() -> None:
    request = record(STORED, label="   ")
    request["contact"]["colour"] = "red"
    request["evaluation"] = "e-1"
    assert errors(browser.update, request) == [
        ("contact.colour", fr("Clé inconnue « colour »")),
        ("contact.label", "Le nom du contact est vide"),
        ("evaluation", fr("Type inattendu : texte (attendu : objet)")),
    ]
    del request["contact"]["colour"], request["contact"]["label"]
    assert errors(browser.update, request) == [
        ("contact.label", fr("Clé obligatoire manquante « label »")),
        ("evaluation", fr("Type inattendu : texte (attendu : objet)")),
    ]
    request["contact"] = ["c-a"]
    assert errors(browser.update, request) == [
        ("contact", fr("Type inattendu : liste (attendu : objet)"))
    ]


def test_record_beyond_the_number_of_contacts() -> None:
    stored = text_of(*(contact(f"c-{i}") for i in range(1_000)))
    response = call(browser.update, record(stored))
    assert response["errors"] == [
        {
            "path": "contact",
            "message": f"Trop de contacts{NBSP}: 1{NNBSP}001 (maximum{NBSP}: 1{NNBSP}000)",
            "fix": "Supprimez les contacts dont vous n’avez plus besoin.",
        }
    ]
    assert result(browser.update, record(stored, cid="c-999"))  # an existing one: fine


def test_record_an_evaluation_id_already_taken() -> None:
    request = record(STORED, cid="c-b")
    request["evaluation"]["id"] = "e-1"
    response = call(browser.update, request)
    assert response["errors"] == [
        {
            "path": "evaluation.id",
            "message": fr("Identifiant d'évaluation déjà utilisé : « e-1 »"),
            "fix": fr("Cette évaluation est peut-être déjà enregistrée : rechargez la page."),
        }
    ]


def test_rename() -> None:
    current = parse_archive(STORED)
    request: dict[str, object] = {
        "current": STORED,
        "op": "rename",
        "contact_id": "c-b",
        "label": XSS,
    }
    a, b = current.contacts
    assert archive_after(request) == replace(current, contacts=(a, replace(b, label=XSS)))
    request["label"] = "x" * 81
    assert errors(browser.update, request) == [
        ("label", fr("Le nom du contact est trop long : 81 caractères (maximum : 80)"))
    ]
    request["label"] = 7
    assert errors(browser.update, request) == [
        ("label", fr("Type inattendu : nombre entier (attendu : texte)"))
    ]


def test_unknown_ids() -> None:
    base = {"current": STORED, "contact_id": "c-zzz"}
    missing = ("contact_id", fr("Contact introuvable : « c-zzz »"))
    assert errors(browser.update, {**base, "op": "rename", "label": "x"}) == [missing]
    assert errors(browser.update, {**base, "op": "delete-contact"}) == [missing]
    request: dict[str, object] = {**base, "op": "delete-evaluation", "evaluation_id": "e-1"}
    assert errors(browser.update, request) == [missing]
    request["contact_id"] = "c-b"  # e-1 belongs to c-a
    response = call(browser.update, request)
    assert response["errors"] == [
        {
            "path": "evaluation_id",
            "message": fr("Évaluation introuvable : « e-1 »"),
            "fix": fr(
                "Rechargez la page : cette évaluation a peut-être été supprimée entre-temps."
            ),
        }
    ]
    request["contact_id"] = 12
    assert errors(browser.update, request) == [
        ("contact_id", fr("Type inattendu : nombre entier (attendu : texte)"))
    ]


def test_delete_an_evaluation_leaves_the_contact() -> None:
    current = parse_archive(STORED)
    request = {
        "current": STORED,
        "op": "delete-evaluation",
        "contact_id": "c-a",
        "evaluation_id": "e-1",
    }
    a, b = current.contacts
    assert archive_after(request) == replace(current, contacts=(replace(a, evaluations=()), b))


def test_delete_a_contact() -> None:
    current = parse_archive(STORED)
    request = {"current": STORED, "op": "delete-contact", "contact_id": "c-a"}
    assert archive_after(request) == replace(current, contacts=current.contacts[1:])
    request = {"current": archive_text_after(request), "op": "delete-contact", "contact_id": "c-b"}
    assert archive_after(request) == Archive()


def archive_text_after(request: dict[str, Any]) -> str:
    text: str = result(browser.update, request)["archive"]
    return text


def test_the_export_date_is_kept() -> None:
    stored = dump_archive(replace(parse_archive(STORED), exported_at=when(CREATED)))
    request = {"current": stored, "op": "delete-contact", "contact_id": "c-a"}
    assert archive_after(request).exported_at == when(CREATED)


@pytest.mark.parametrize(
    ("request_text", "expected"),
    [
        pytest.param("{", [("", "La requête n’est pas un JSON valide")], id="not-json"),
        pytest.param("[]", [("", fr("Type inattendu : liste (attendu : objet)"))], id="list"),
        pytest.param(
            '{"current": "", "op": "rename", "op": "x", "contact_id": "c", "label": "l"}',
            [("op", fr("Clé en double « op »"))],
            id="duplicate-key",
        ),
        pytest.param(
            "[" * 100_000,
            [("", f"Requête trop imbriquée (profondeur 100{NNBSP}000, au plus 8)")],
            id="deep",
        ),
    ],
)
def test_requests_that_cannot_be_read(request_text: str, expected: list[tuple[str, str]]) -> None:
    assert errors(browser.update, request_text) == expected


def test_ops_and_keys() -> None:
    known = ", ".join(
        f"«{NNBSP}{op}{NNBSP}»"
        for op in ("record", "rename", "delete-evaluation", "delete-contact")
    )
    response = call(browser.update, {"current": "", "op": "merge"})
    assert response["errors"] == [
        {
            "path": "op",
            "message": fr("Opération inconnue « merge »"),
            "fix": f"Opérations permises{NBSP}: {known}.",
        }
    ]
    assert errors(browser.update, {"current": ""}) == [("op", "Opération manquante")]
    assert errors(browser.update, {"current": "", "op": 3}) == [
        ("op", "Opération inconnue nombre entier")
    ]
    # "current" is required: a forgotten key must never mean "nothing stored".
    assert errors(browser.update, {"op": "delete-contact", "contact_id": "c-a", "x": 1}) == [
        ("x", fr("Clé inconnue « x »")),
        ("current", fr("Clé obligatoire manquante « current »")),
    ]
    assert errors(browser.update, {"current": 5, "op": "delete-contact", "contact_id": "c"}) == [
        ("current", fr("Type inattendu : nombre entier (attendu : texte ou null)"))
    ]


UNREADABLE = {
    "path": "current",
    "message": "Les données enregistrées sur cet appareil sont illisibles",
    "fix": "Rien n’a été modifié. Téléchargez ces données telles quelles pour les garder, "
    "puis effacez-les pour repartir de zéro.",
}


def test_a_corrupt_current_archive_is_never_overwritten() -> None:
    corrupt = STORED.replace('"contacts": [', '"contacts": "", "x": [', 1)
    response = call(browser.update, record(corrupt))
    assert response == {
        "ok": False,
        "errors": [
            UNREADABLE,
            {
                "path": "current.x",
                "message": fr("Clé inconnue « x »"),
                "fix": "Clés permises : format, version, exported_at, contacts.".replace(
                    " :", "\u00a0:"
                ),
            },
            {
                "path": "current.contacts",
                "message": fr("Type inattendu : texte (attendu : liste)"),
                "fix": "",
            },
        ],
    }
    assert errors(browser.update, record("bonjour")) == [
        ("current", UNREADABLE["message"]),
        ("current", "Ce fichier n’est pas un fichier JSON valide"),
    ]


def test_an_archive_that_would_grow_too_large() -> None:
    def big(count: int) -> Archive:
        """``count`` evaluations of every criterion, 500 per contact."""
        return Archive(
            contacts=tuple(
                contact(
                    f"c-{c}",
                    *(
                        evaluation(f"e-{n:05d}", CREATED, **BEST)
                        for n in range(c * 500, min(count, (c + 1) * 500))
                    ),
                )
                for c in range((count + 499) // 500)
            )
        )

    per_evaluation = len(dump_archive(big(2))) - len(dump_archive(big(1)))
    count = (2_000_000 - len(dump_archive(big(1)))) // per_evaluation  # about fits
    stored = dump_archive(big(count))
    while len(stored.encode()) > 2_000_000:  # each contact of 500 adds its own keys
        count -= 1
        stored = dump_archive(big(count))
    assert len(stored.encode()) <= 2_000_000
    request = record(stored, cid="c-0")
    request["evaluation"]["answers"] = BEST
    del request["evaluation"]["context"]
    assert errors(browser.update, request) == [  # c-0 has 500 already
        ("evaluation", fr("Trop d'évaluations pour ce contact : 501 (maximum : 500)"))
    ]
    archive = parse_archive(stored)
    *full, last = archive.contacts
    request["contact"]["id"] = last.id
    new = replace(NEW_EVALUATION, answers=BEST, context=None)
    grown = replace(archive, contacts=(*full, replace(last, evaluations=(*last.evaluations, new))))
    size = len(dump_archive(grown).encode())
    assert size > 2_000_000
    response = call(browser.update, request)
    assert response == {
        "ok": False,
        "errors": [
            {
                "path": "",
                "message": f"L’archive deviendrait trop volumineuse{NBSP}: "
                f"{size:,} octets (maximum{NBSP}: 2,000,000)".replace(",", NNBSP),
                "fix": "Exportez vos données, puis supprimez des évaluations anciennes.",
            }
        ],
    }


# --- import_preview() and import_apply() ----------------------------------------------------

INCOMING = text_of(
    contact(
        "c-a",
        evaluation("e-1", "2026-03-04T10:00:00Z", available="no"),  # changed: a conflict
        evaluation("e-2", "2026-04-04T10:00:00Z"),  # new on an existing contact
        label="Alpha",  # renamed: a conflict
    ),
    contact("c-new", evaluation("e-3", "2026-05-05T10:00:00Z"), label=XSS),
)


def test_import_preview() -> None:
    assert result(browser.import_preview, {"current": STORED, "incoming": INCOMING}) == {
        "new_contacts": [
            {"id": "c-new", "kind": "contact", "label": XSS, "created": CREATED, "evaluations": 1}
        ],
        "new_evaluations": [
            {
                "contact_id": "c-a",
                "contact_label": "Alpha",
                "id": "e-2",
                "date": "2026-04-04T10:00:00Z",
                "questionnaire": "contact",
            }
        ],
        "conflicts": [
            {
                "kind": "contact",
                "id": "c-a",
                "label": "Lambda",
                "current": {"id": "c-a", "label": "Lambda", "created": CREATED},
                "incoming": {"id": "c-a", "label": "Alpha", "created": CREATED},
            },
            {
                "kind": "evaluation",
                "id": "e-1",
                "label": "Lambda",
                "current": {
                    "contact_id": "c-a",
                    "contact_label": "Lambda",
                    "id": "e-1",
                    "date": "2026-03-04T10:00:00Z",
                    "questionnaire": "contact",
                },
                "incoming": {
                    "contact_id": "c-a",
                    "contact_label": "Alpha",
                    "id": "e-1",
                    "date": "2026-03-04T10:00:00Z",
                    "questionnaire": "contact",
                },
            },
        ],
        "unchanged_evaluations": 0,
        "incoming_contacts": 2,
        "incoming_evaluations": 3,
    }


def test_import_into_nothing() -> None:
    preview = result(browser.import_preview, {"current": "", "incoming": INCOMING})
    assert [c["id"] for c in preview["new_contacts"]] == ["c-a", "c-new"]
    assert (preview["new_evaluations"], preview["conflicts"]) == ([], [])
    applied = result(browser.import_apply, {"current": None, "incoming": INCOMING, "mode": "merge"})
    assert applied == {"archive": INCOMING}


def test_import_the_same_file_again() -> None:
    preview = result(browser.import_preview, {"current": STORED, "incoming": STORED})
    assert preview == {
        "new_contacts": [],
        "new_evaluations": [],
        "conflicts": [],
        "unchanged_evaluations": 1,
        "incoming_contacts": 2,
        "incoming_evaluations": 1,
    }


def test_import_merge_keeps_what_is_stored_on_conflicts() -> None:
    request = {"current": STORED, "incoming": INCOMING, "mode": "merge"}
    merged = parse_archive(result(browser.import_apply, request)["archive"])
    current, incoming = parse_archive(STORED), parse_archive(INCOMING)
    a, b = current.contacts
    assert merged == Archive(
        contacts=(
            replace(a, evaluations=(a.evaluations[0], incoming.contacts[0].evaluations[1])),
            b,
            incoming.contacts[1],
        )
    )


def test_import_replace_takes_the_file() -> None:
    request = {"current": STORED, "incoming": INCOMING, "mode": "replace"}
    assert result(browser.import_apply, request) == {"archive": INCOMING}


def test_import_of_an_invalid_file() -> None:
    broken = INCOMING.replace(f'"{XSS}"', '"a\\u0000b"')
    for function, extra in (
        (browser.import_preview, {}),
        (browser.import_apply, {"mode": "merge"}),
    ):
        assert errors(function, {"current": STORED, "incoming": broken, **extra}) == [
            (
                "contacts[1].label",
                fr("Le nom du contact contient un caractère de contrôle : « a\\u0000b »"),
            )
        ]
        assert errors(function, {"current": STORED, "incoming": "", **extra}) == [
            ("", "Le fichier est vide")
        ]
        assert errors(function, {"current": STORED, "incoming": None, **extra}) == [
            ("incoming", fr("Type inattendu : null (attendu : texte)"))
        ]


def test_import_over_a_corrupt_current_archive() -> None:
    for function, extra in (
        (browser.import_preview, {}),
        (browser.import_apply, {"mode": "replace"}),
    ):
        response = call(function, {"current": "{}", "incoming": INCOMING, **extra})
        assert response["errors"][0] == UNREADABLE
        assert [(e["path"], e["message"]) for e in response["errors"][1:]] == [
            (
                "current.format",
                fr("Ce fichier n'est pas une archive du crible (la clé « format » manque)"),
            ),
            ("current.version", fr("Clé obligatoire manquante « version »")),
        ]


def test_import_modes_and_keys() -> None:
    response = call(browser.import_apply, {"current": "", "incoming": INCOMING, "mode": "union"})
    assert response["errors"] == [
        {
            "path": "mode",
            "message": fr("Mode d'import inconnu « union »"),
            "fix": f"Choisissez «{NNBSP}merge{NNBSP}» ou «{NNBSP}replace{NNBSP}».",
        }
    ]
    assert errors(browser.import_apply, {"current": "", "incoming": INCOMING}) == [
        ("mode", fr("Clé obligatoire manquante « mode »"))
    ]
    assert errors(browser.import_preview, {"incoming": INCOMING, "mode": "merge"}) == [
        ("mode", fr("Clé inconnue « mode »")),
        ("current", fr("Clé obligatoire manquante « current »")),
    ]


# --- export_csv() -----------------------------------------------------------------------------

HEADER = (
    "\ufeffNom;Type;Dernière évaluation;Verdict;Bilan;Ce que vous donnez;"
    "Carte gagnant-gagnant;Heures par mois;Évaluations\r\n"
)


def test_export_csv_of_nothing() -> None:
    assert result(browser.export_csv, "") == {"csv": HEADER}


def test_export_csv() -> None:
    stored = text_of(
        contact(
            "c-1",
            evaluation("e-1", "2026-03-04T23:59:59.999Z", **BEST),
            evaluation("e-2", "2026-02-01T00:00:00Z", **WORST),
            label="Alice",
        ),
        contact("c-2", evaluation("e-3", "2026-06-30T12:00:00Z", **WORST), label="Bob"),
        contact("c-3", evaluation("e-4", "2026-07-01T12:00:00Z", available="yes"), label="Chloé"),
        contact("c-4", label="Jamais évalué"),
    )
    assert result(browser.export_csv, stored) == {
        "csv": HEADER
        + "Alice;Contact;2026-03-04;À cultiver;9;;;;2\r\n"
        + "Bob;Contact;2026-06-30;À laisser de côté;-4;;;;1\r\n"
        + "Chloé;Contact;2026-07-01;À surveiller (provisoire);1;;;;1\r\n"
        + "Jamais évalué;Contact;;;;;;;0\r\n"
    }


def test_export_csv_hostile_labels() -> None:
    labels = [
        '=HYPERLINK("http://x";"clic")',
        "+33 6 12 34 56 78",
        "-2+3",
        "@SUM(A1:A2)",
        "Dupont; Jean",
        'Le "grand" Jean',
        XSS,
        " =espace devant",
    ]
    stored = text_of(*(contact(f"c-{i}", label=label) for i, label in enumerate(labels)))
    assert result(browser.export_csv, stored) == {
        "csv": HEADER
        + '"\'=HYPERLINK(""http://x"";""clic"")";Contact;;;;;;;0\r\n'
        + "'+33 6 12 34 56 78;Contact;;;;;;;0\r\n"
        + "'-2+3;Contact;;;;;;;0\r\n"
        + "'@SUM(A1:A2);Contact;;;;;;;0\r\n"
        + '"Dupont; Jean";Contact;;;;;;;0\r\n'
        + '"Le ""grand"" Jean";Contact;;;;;;;0\r\n'
        + "<img src=x onerror=alert(1)>;Contact;;;;;;;0\r\n"
        + " =espace devant;Contact;;;;;;;0\r\n"
    }


def test_export_csv_of_a_corrupt_archive() -> None:
    assert errors(browser.export_csv, "bonjour") == [
        ("", "Ce fichier n’est pas un fichier JSON valide")
    ]


def test_the_browser_module_does_not_load_the_network_module_at_import() -> None:
    import subprocess  # noqa: PLC0415
    import sys  # noqa: PLC0415

    modules = ("scoring.network", "scoring.overview", "scoring.spreadsheet", "csv")
    code = f"import sys, scoring.browser; print(*(m in sys.modules for m in {modules!r}))"
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert done.stdout.split() == ["False"] * len(modules)


def test_export_csv_isolates_labels_that_could_reorder_the_line() -> None:
    labels = ["Lambda", "\u202eabc", "\u05d0\u05d1 x", "=\u202e"]
    stored = text_of(*(contact(f"c-{i}", label=label) for i, label in enumerate(labels)))
    assert result(browser.export_csv, stored)["csv"] == (
        HEADER
        + "Lambda;Contact;;;;;;;0\r\n"
        + "\u2068\u202eabc\u2069;Contact;;;;;;;0\r\n"
        + "\u2068\u05d0\u05d1 x\u2069;Contact;;;;;;;0\r\n"
        + "\u2068'=\u202e\u2069;Contact;;;;;;;0\r\n"
    )


def test_export_csv_counts_ignored_evaluations_too() -> None:
    rows = result(browser.export_csv, odd_archive())["csv"].split("\r\n")
    assert rows[1].endswith(";5")


def test_a_label_with_nothing_visible_is_refused() -> None:
    response = call(browser.update, record("", label="\u200b\u200b"))
    assert response["errors"] == [
        {
            "path": "contact.label",
            "message": "Le nom du contact ne contient aucun caractère visible (U+200B, U+200B)",
            "fix": "Donnez-lui un nom ou un surnom d’au moins une lettre, un chiffre ou un signe "
            "que l’on voit.",
        }
    ]


def test_import_errors_say_which_contact_and_evaluation_in_french() -> None:
    """The page shows `where` and the message; the key path only in « Détails »."""
    incoming = json.dumps(
        {
            "format": "crible-archive",
            "version": 2,
            "contacts": [
                {
                    "id": "c-a",
                    "kind": "contact",
                    "label": "Alice",
                    "created": "2026-01-05T09:00:00Z",
                    "evaluations": [
                        {
                            "id": "e-1",
                            "date": "2026-12-03T10:00:00Z",
                            "questionnaire": "contact",
                        }
                    ],
                }
            ],
        }
    )
    response = call(browser.import_preview, json.dumps({"current": None, "incoming": incoming}))
    assert response["ok"] is False
    [error] = response["errors"]
    assert error["path"] == "contacts[0].evaluations[0].answers"
    assert error["where"] == f"Contact «{NNBSP}Alice{NNBSP}», évaluation du 3 décembre 2026"
