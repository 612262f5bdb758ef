"""subjects.toml: what a questionnaire can be about, and the words the pages use for it. Read
like the other definitions (key paths, the fix, every mistake at once), checked against the
questionnaires, and the only source of the kinds of an archived entry."""

from __future__ import annotations

import copy
import tomllib
from importlib import resources
from typing import Any

import pytest

from scoring import InvalidDataError, load_questionnaire
from scoring.archive import validate_archive
from scoring.model import (
    check_subject_questionnaires,
    load_subjects,
    parse_subjects,
    questionnaire_ids,
    subject_ids,
)

SUBJECTS: dict[str, Any] = tomllib.loads(
    (resources.files("scoring") / "definitions" / "subjects.toml").read_text(encoding="utf-8")
)


def errors_of(data: dict[str, Any]) -> list[str]:
    with pytest.raises(InvalidDataError) as caught:
        parse_subjects(data, source="subjects.toml")
    return caught.value.lines()


def test_the_shipped_subjects() -> None:
    subjects = load_subjects()
    assert subject_ids() == ("contact", "groupe", "soi")
    assert [s.questionnaire for s in subjects] == ["contact", "groupe", "apport"]
    assert [s.single for s in subjects] == [False, False, True]
    me = subjects[2]
    assert (me.label, me.title, me.about) == ("Vous", "Votre apport au réseau", "vous-même")
    # Typography is the definitions' job: the page shows these as they are.
    assert subjects[0].form.ask == "Qui évaluez-vous\u202f?"
    assert subjects[0].form.unnamed == (
        "Donnez d’abord un nom à ce contact (un prénom ou un surnom suffit)."
    )
    assert "subjects" not in questionnaire_ids()
    assert "subjects.toml" not in [f"{q}.toml" for q in questionnaire_ids()]


def test_each_subjects_questionnaire_is_about_it() -> None:
    questionnaires = {qid: load_questionnaire(qid) for qid in questionnaire_ids()}
    check_subject_questionnaires(load_subjects(), questionnaires, source="subjects.toml")
    broken = copy.deepcopy(SUBJECTS)
    broken["subjects"][1]["questionnaire"] = "donne"
    broken["subjects"][2]["questionnaire"] = "bilan"
    with pytest.raises(InvalidDataError) as caught:
        check_subject_questionnaires(
            parse_subjects(broken, source="subjects.toml"), questionnaires, source="subjects.toml"
        )
    assert caught.value.lines() == [
        "Questionnaire 'donne' is about 'contact' in 'subjects[1].questionnaire'. Use one of the "
        "questionnaires with subject = 'groupe': 'groupe'.",
        "Unknown questionnaire 'bilan' in 'subjects[2].questionnaire'. Use one of the "
        "questionnaires with subject = 'soi': 'apport'.",
    ]


def test_every_mistake_at_once_with_its_key_path() -> None:
    data = copy.deepcopy(SUBJECTS)
    del data["subjects"][0]["form"]["ask"]
    data["subjects"][1]["id"] = "contact"
    data["subjects"][1]["label"] = "Nous"
    data["subjects"][1]["colour"] = "bleu"
    del data["subjects"][2]["title"]
    data["subjects"][2]["form"]["unnamed"] = "Donnez un nom."
    data["subjects"][2]["one"] = 1
    assert errors_of(data) == [
        "Missing required value in 'subjects[0].form.ask'. Add ask = \"Quel groupe évaluez-vous "
        '?" to this table.',
        "Unknown key 'colour' in 'subjects[1]'. Remove 'colour' or correct its spelling (keys "
        "of this subject: id, questionnaire, about, saved_as, this, one, many, new, evaluate, "
        "reevaluate, suffix, single, label, title, form).",
        "A subject with no single = true has no label in 'subjects[1].label'. Remove label, or "
        "write single = true.",
        "Missing required value in 'subjects[2].title'. Add title = \"Votre apport au réseau\" "
        "to this subject.",
        "A subject with single = true has no unnamed in 'subjects[2].form.unnamed'. Remove "
        "unnamed, or remove single = true.",
        "Unexpected type int (expected str) in 'subjects[2].one'. Write one as text in double "
        'quotes, for example one = "{n} contact".',
        "Duplicate subject id 'contact' in 'subjects[1].id'. Change this id: subjects[0] "
        "already uses 'contact'.",
    ]


def test_one_single_subject_at_most() -> None:
    data = copy.deepcopy(SUBJECTS)
    data["subjects"].append(copy.deepcopy(data["subjects"][2]) | {"id": "moi"})
    assert errors_of(data) == [
        "More than one subject has single = true in 'subjects[3].single'. Keep single = true on "
        "one subject only (subjects[2]): the visitor is one.",
    ]


def test_an_archived_kind_is_a_subject_id() -> None:
    entry = {"id": "c-1", "label": "X", "kind": "entreprise", "created": "2026-01-01T00:00:00Z"}
    data = {"format": "crible-archive", "version": 2, "contacts": [entry | {"evaluations": []}]}
    with pytest.raises(InvalidDataError) as caught:
        validate_archive(data)
    assert [(str(e), e.fix) for e in caught.value.errors] == [
        (
            "Type d’entrée inconnu «\u202fentreprise\u202f» (contacts[0].kind)",
            "Types permis\u00a0: «\u202fcontact\u202f», «\u202fgroupe\u202f», «\u202fsoi\u202f».",
        )
    ]
