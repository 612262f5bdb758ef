"""Archive version 2 (kinds of entries, time per month) and the migration from version 1.

``tests/fixtures/archive-v1.json`` was written by the version-1 code (``dump_archive`` before
this version existed) and is never edited: it is what visitors exported then.
"""

from __future__ import annotations

import json
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest
from test_archive import NOW, archive, contact, errors_of, evaluation, fr, unknown_key

from scoring import InvalidDataError
from scoring.archive import (
    MAX_MINUTES,
    Archive,
    Contact,
    Evaluation,
    dump_archive,
    merge,
    merge_preview,
    parse_archive,
)

V1_TEXT = (Path(__file__).parent / "fixtures" / "archive-v1.json").read_text(encoding="utf-8")
V1 = json.loads(V1_TEXT)


def _v2(entry: dict[str, Any]) -> dict[str, Any]:
    """A version-1 contact as version 2 writes it: the same, with kind "contact"."""
    return {"id": entry["id"], "kind": "contact", **{k: v for k, v in entry.items() if k != "id"}}


# --- Version 1 reads as version 2, losing nothing ---------------------------------------------


def test_the_fixture_is_a_version_1_export() -> None:
    assert V1["version"] == 1
    assert all("kind" not in entry for entry in V1["contacts"])
    assert len(V1["contacts"]) == 4
    assert sum(len(entry["evaluations"]) for entry in V1["contacts"]) == 4


def test_a_version_1_export_reads_without_loss() -> None:
    parsed = parse_archive(V1_TEXT, now=NOW)
    assert all(entry.kind == "contact" for entry in parsed.contacts)
    assert parsed.to_dict() == {**V1, "version": 2, "contacts": [_v2(c) for c in V1["contacts"]]}


def test_a_version_1_export_is_written_back_as_version_2_and_stays_so() -> None:
    written = dump_archive(parse_archive(V1_TEXT, now=NOW))
    assert written.startswith('{\n  "format": "crible-archive",\n  "version": 2,\n')
    assert dump_archive(parse_archive(written, now=NOW)) == written
    # Labels come back exactly, markup and spaces included.
    assert [c["label"] for c in json.loads(written)["contacts"]] == [
        "Ada <img src=x onerror=alert(1)>",
        "Bruno « le critique »",
        "  Chloé ",
        "=SUM(A1)",
    ]


def test_version_1_knew_neither_kinds_nor_minutes() -> None:
    data = archive(version=1, contacts=[contact(evaluations=[evaluation(minutes=30)])])
    assert errors_of(data) == [
        ("contacts[0].kind", unknown_key("kind")),
        ("contacts[0].evaluations[0].minutes", unknown_key("minutes")),
    ]


# --- Kinds ----------------------------------------------------------------------------------

GROUP_EVALUATION = evaluation(
    id="e-g", questionnaire="groupe", answers={"on-topic": "yes", "habit": "yes"}
)
SELF_EVALUATION = evaluation(id="e-s", questionnaire="apport", answers={"expertise": "yes"})
GIVE_EVALUATION = evaluation(id="e-d", questionnaire="donne", answers={"helps": "yes"})


def test_people_groups_and_the_visitor_live_side_by_side() -> None:
    data = archive(
        contacts=[
            contact(evaluations=[evaluation(minutes=45), GIVE_EVALUATION]),
            contact(id="c-g", kind="groupe", label="Forum", evaluations=[GROUP_EVALUATION]),
            contact(id="c-s", kind="soi", label="Vous", evaluations=[SELF_EVALUATION]),
        ]
    )
    parsed = parse_archive(json.dumps(data), now=NOW)
    assert [(c.kind, [e.questionnaire for e in c.evaluations]) for c in parsed.contacts] == [
        ("contact", ["contact", "donne"]),
        ("groupe", ["groupe"]),
        ("soi", ["apport"]),
    ]
    assert parsed.contacts[0].evaluations[0].minutes == 45
    assert parsed.to_dict() == data


@pytest.mark.parametrize(
    ("kind", "questionnaire", "about", "entry"),
    [
        ("contact", "groupe", "un groupe", "une personne"),
        ("contact", "apport", "vous-même", "une personne"),
        ("groupe", "contact", "une personne", "un groupe"),
        ("groupe", "donne", "une personne", "un groupe"),
        ("soi", "contact", "une personne", "vous-même"),
    ],
)
def test_an_evaluation_must_be_about_its_entry(
    kind: str, questionnaire: str, about: str, entry: str
) -> None:
    # Answers are left out: the questionnaire is the point (and an empty set scores anywhere).
    data = archive(
        contacts=[
            contact(kind=kind, evaluations=[evaluation(questionnaire=questionnaire, answers={})])
        ]
    )
    assert errors_of(data) == [
        (
            "contacts[0].evaluations[0].questionnaire",
            fr(f"Le questionnaire « {questionnaire} » porte sur {about}, pas sur {entry}"),
        )
    ]


def test_an_unknown_kind_judges_no_evaluation() -> None:
    data = archive(contacts=[contact(kind="famille"), contact(id="c-2", kind=3, evaluations=[])])
    assert errors_of(data) == [
        (
            "contacts[0].kind",
            fr("Type d'entrée inconnu « famille »"),
        ),
        ("contacts[1].kind", fr("Type inattendu : nombre entier (attendu : texte)")),
    ]


def test_one_self_assessment_entry_at_most() -> None:
    data = archive(
        contacts=[
            contact(id="c-s1", kind="soi", label="Vous", evaluations=[]),
            contact(id="c-s2", kind="soi", label="Moi", evaluations=[]),
        ]
    )
    assert errors_of(data) == [
        (
            "contacts[1].kind",
            fr(
                "Une archive ne contient qu'une seule entrée « votre apport au réseau », "
                "et celle-ci en est une seconde : « c-s2 »"
            ),
        )
    ]


# --- Minutes --------------------------------------------------------------------------------


@pytest.mark.parametrize("minutes", [0, 90, MAX_MINUTES])
def test_minutes_within_a_month(minutes: int) -> None:
    data = archive(contacts=[contact(evaluations=[evaluation(minutes=minutes)])])
    (entry,) = parse_archive(json.dumps(data), now=NOW).contacts
    assert entry.evaluations[0].minutes == minutes


@pytest.mark.parametrize(
    ("minutes", "message"),
    [
        (-1, "Temps mensuel impossible : -1 minutes"),
        (MAX_MINUTES + 1, f"Temps mensuel impossible : {MAX_MINUTES + 1} minutes"),
        (1.5, "Type inattendu : nombre décimal (attendu : nombre entier)"),
        ("60", "Type inattendu : texte (attendu : nombre entier)"),
        (True, "Type inattendu : booléen (attendu : nombre entier)"),
        (None, "Type inattendu : null (attendu : nombre entier)"),
    ],
)
def test_minutes_that_cannot_be(minutes: object, message: str) -> None:
    data = archive(contacts=[contact(evaluations=[evaluation(minutes=minutes)])])
    assert errors_of(data) == [("contacts[0].evaluations[0].minutes", fr(message))]


def test_minutes_are_written_only_when_said() -> None:
    base = Evaluation(
        id="e-1", date=NOW, questionnaire="contact", answers={}, context=None, minutes=None
    )
    assert "minutes" not in base.to_dict()
    assert Evaluation(
        id="e-1", date=NOW, questionnaire="contact", answers={}, minutes=0
    ).to_dict() == {
        "id": "e-1",
        "date": "2026-11-26T12:00:00Z",
        "questionnaire": "contact",
        "answers": {},
        "minutes": 0,
    }


# --- Merging across versions and devices ----------------------------------------------------

CREATED = datetime(2026, 1, 2, 9, 30, tzinfo=UTC)


def _self(entry_id: str, *evaluation_ids: str) -> Contact:
    return Contact(
        id=entry_id,
        kind="soi",
        label="Vous",
        created=CREATED,
        evaluations=tuple(
            Evaluation(id=e, date=NOW, questionnaire="apport", answers={}) for e in evaluation_ids
        ),
    )


def test_a_version_1_export_merges_into_a_version_2_archive() -> None:
    current = parse_archive(json.dumps(archive()), now=NOW)
    incoming = parse_archive(V1_TEXT, now=NOW)
    merged = merge(current, incoming)
    assert [c.id for c in merged.contacts] == ["c-1a2b3c", "c-ada", "c-bruno", "c-chloe", "c-dan"]
    assert merged.contacts[1:] == incoming.contacts


def test_self_assessments_of_two_devices_join_one_entry() -> None:
    current = Archive(contacts=(_self("c-laptop", "e-1"),))
    incoming = Archive(contacts=(_self("c-phone", "e-2"),))
    preview = merge_preview(current, incoming).to_dict()
    assert preview["new_contacts"] == []
    assert preview["conflicts"] == []
    assert [(e["contact_id"], e["id"]) for e in preview["new_evaluations"]] == [("c-laptop", "e-2")]
    merged = merge(current, incoming)
    assert merged.contacts == (_self("c-laptop", "e-1", "e-2"),)
    # Without a self entry on this device, the incoming one comes as it is, and says so.
    assert merge_preview(Archive(), incoming).to_dict()["new_contacts"] == [
        {
            "id": "c-phone",
            "kind": "soi",
            "label": "Vous",
            "created": "2026-01-02T09:30:00Z",
            "evaluations": 1,
        }
    ]
    assert merge(Archive(), incoming).contacts == incoming.contacts


def test_an_entry_whose_kind_differs_is_a_conflict_and_a_merge_keeps_it_whole() -> None:
    person = Contact(id="c-1", label="X", created=CREATED)
    group = Contact(
        id="c-1",
        kind="groupe",
        label="X",
        created=CREATED,
        evaluations=(Evaluation(id="e-g", date=NOW, questionnaire="groupe", answers={}),),
    )
    current, incoming = Archive(contacts=(person,)), Archive(contacts=(group,))
    (conflict,) = merge_preview(current, incoming).conflicts
    assert (conflict.kind, conflict.id) == ("contact", "c-1")
    with pytest.raises(InvalidDataError) as caught:
        merge(current, incoming)
    assert [(e.path, e.message) for e in caught.value.errors] == [
        (
            "contacts[0].evaluations[0]",
            fr("La fusion classerait une évaluation « groupe » sous une personne (« X »)"),
        )
    ]
    # The incoming side may win: then the entry is the group, whole.
    assert merge(current, incoming, replace=True).contacts == (group,)


# --- Version 3: what an import of contacts keeps ----------------------------------------------
# ``tests/fixtures/archive-v2.json`` was written by the version-2 code (the site before imports
# of contacts) and is never edited.

V2_TEXT = (Path(__file__).parent / "fixtures" / "archive-v2.json").read_text(encoding="utf-8")


def test_a_version_2_export_reads_unchanged_and_is_written_back_byte_for_byte() -> None:
    parsed = parse_archive(V2_TEXT, now=datetime(2026, 12, 3, tzinfo=UTC))
    assert json.loads(V2_TEXT)["version"] == 2
    assert [c.kind for c in parsed.contacts] == ["contact", "groupe", "soi", "contact"]
    assert all(not c.imported for c in parsed.contacts)
    # Nothing of version 3 in it: it stays version 2, which the previous release still reads.
    assert dump_archive(parsed) == V2_TEXT


def imported(**changes: Any) -> dict[str, Any]:
    keys = {
        "url": "https://www.linkedin.com/in/lambda",
        "company": "ACME, Inc.",
        "connected_on": "2021-03-15",
        "evaluations": [],
    }
    return contact(**(keys | changes))


def test_version_3_keeps_url_company_and_connection_day() -> None:
    parsed = parse_archive(json.dumps(archive(version=3, contacts=[imported()])), now=NOW)
    (entry,) = parsed.contacts
    assert (entry.url, entry.company, entry.connected_on, entry.evaluations) == (
        "https://www.linkedin.com/in/lambda",
        "ACME, Inc.",
        datetime(2021, 3, 15, tzinfo=UTC).date(),
        (),
    )
    written = dump_archive(parsed)
    assert json.loads(written)["version"] == 3
    assert json.loads(written)["contacts"][0] == {
        "id": "c-1a2b3c",
        "kind": "contact",
        "label": "Lambda",
        "created": "2026-01-02T09:30:00Z",
        "url": "https://www.linkedin.com/in/lambda",
        "company": "ACME, Inc.",
        "connected_on": "2021-03-15",
        "evaluations": [],
    }
    assert dump_archive(parse_archive(written, now=NOW)) == written


def test_version_2_did_not_know_the_keys_of_an_import() -> None:
    assert errors_of(archive(version=2, contacts=[imported()])) == [
        ("contacts[0].url", unknown_key("url")),
        ("contacts[0].company", unknown_key("company")),
        ("contacts[0].connected_on", unknown_key("connected_on")),
    ]


@pytest.mark.parametrize(
    ("changes", "expected"),
    [
        pytest.param(
            {"url": "javascript:alert(1)"},
            ("contacts[0].url", fr("Adresse de profil invalide « javascript:alert(1) »")),
            id="url-scheme",
        ),
        pytest.param(
            {"url": "https://a b"},
            ("contacts[0].url", fr("Adresse de profil invalide « https://a b »")),
            id="url-space",
        ),
        pytest.param(
            {"company": "x" * 121},
            (
                "contacts[0].company",
                fr("Le nom de l'entreprise est trop long : 121 caractères (maximum : 120)"),
            ),
            id="company-long",
        ),
        pytest.param(
            {"connected_on": "15 Mar 2021"},
            ("contacts[0].connected_on", fr("Date invalide « 15 Mar 2021 »")),
            id="day-format",
        ),
        pytest.param(
            {"connected_on": "2027-01-01"},
            ("contacts[0].connected_on", fr("Date située dans le futur : 2027-01-01")),
            id="day-future",
        ),
    ],
)
def test_bad_import_keys(changes: dict[str, Any], expected: tuple[str, str]) -> None:
    assert errors_of(archive(version=3, contacts=[imported(**changes)])) == [expected]
