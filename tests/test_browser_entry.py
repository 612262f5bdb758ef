"""``scoring.browser``: JSON text in, JSON text out, never an exception across the boundary."""

from __future__ import annotations

import json
from typing import Any

import pytest

from scoring import browser, load_questionnaire, score

Q = load_questionnaire("contact")
NBSP, NNBSP = "\u00a0", "\u202f"


def call(function: Any, argument: Any) -> dict[str, Any]:
    text = function(argument)
    assert isinstance(text, str)
    data = json.loads(text)
    assert isinstance(data, dict)
    return data


def test_evaluate_round_trip() -> None:
    answers = {"available": "yes", "always-critical": "yes", "constructive": "yes"}
    request = {"questionnaire": "contact", "answers": answers, "context": {"duration": "lt1m"}}
    response = call(browser.evaluate, json.dumps(request))
    assert response == {"ok": True, "result": score(Q, answers, {"duration": "lt1m"}).to_dict()}
    assert response["result"]["provisional_reasons"] == ["recent", "low-coverage"]
    assert response["result"]["contradictions"][0]["items"] == ["always-critical", "constructive"]


def test_evaluate_null_context() -> None:
    request: dict[str, object] = {"questionnaire": "contact", "answers": {}, "context": None}
    assert call(browser.evaluate, json.dumps(request))["result"]["verdict"] == "surveiller"


def test_evaluate_errors_are_listed() -> None:
    request = {"questionnaire": "contact", "answers": {"foo": "yes"}, "context": {"duration": "x"}}
    assert call(browser.evaluate, json.dumps(request)) == {
        "ok": False,
        "errors": [
            {
                "path": "answers.foo",
                "message": f"Critère inconnu «{NNBSP}foo{NNBSP}»",
                "fix": f"Retirez cette réponse{NBSP}: le questionnaire «{NNBSP}contact{NNBSP}» "
                "n’a pas de critère de ce nom.",
            },
            {
                "path": "context.duration",
                "message": f"Durée inconnue «{NNBSP}x{NNBSP}»",
                "fix": f"Choisissez l’une de ces durées{NBSP}: «{NNBSP}lt1m{NNBSP}», "
                f"«{NNBSP}1to3m{NNBSP}», «{NNBSP}3to12m{NNBSP}», «{NNBSP}gt1y{NNBSP}».",
            },
        ],
    }


@pytest.mark.parametrize(
    ("request_json", "path", "message"),
    [
        pytest.param("{", "", "JSON invalide (ligne 1, colonne 2)", id="json"),
        pytest.param(
            "42",
            "",
            f"Type inattendu{NBSP}: nombre entier (attendu{NBSP}: objet)",
            id="not-object",
        ),
        pytest.param(
            '{"questionnaire": "reseau", "answers": {}}',
            "questionnaire",
            f"Questionnaire inconnu «{NNBSP}reseau{NNBSP}»",
            id="questionnaire",
        ),
        pytest.param(
            '{"questionnaire": "contact", "answers": {"available": ["yes"]}}',
            "answers.available",
            f'Réponse invalide ["yes"] pour le critère «{NNBSP}available{NNBSP}»',
            id="value",
        ),
    ],
)
def test_evaluate_error_shapes(request_json: str, path: str, message: str) -> None:
    response = call(browser.evaluate, request_json)
    assert response["ok"] is False
    [error] = response["errors"]
    assert set(error) == {"path", "message", "fix"}
    assert (error["path"], error["message"]) == (path, message)
    assert error["fix"]


def test_a_request_that_is_not_text_is_refused_in_french() -> None:
    # What a JS bug could pass: the reader's own answer, not an internal error.
    assert call(browser.evaluate, None)["errors"] == [
        {
            "path": "",
            "message": f"Type inattendu{NBSP}: null (attendu{NBSP}: texte)",
            "fix": 'Écrivez par exemple {"questionnaire": "contact", "answers": '
            '{"available": "yes"}}.',
        }
    ]


def test_internal_error_is_an_answer_not_an_exception() -> None:
    # A Python caller's mistake (describe() is no entry point: it reads no request). No
    # traceback, no exception: a French sentence, and the type (English) apart, for the page's
    # « Détails » disclosure only.
    response = call(browser.describe, None)
    assert response == {
        "ok": False,
        "errors": [
            {
                "path": "",
                "message": "Le moteur de calcul a rencontré une erreur interne",
                "fix": f"Rechargez la page{NNBSP}; si le problème revient, signalez-le.",
                "detail": "TypeError",
            }
        ],
    }


def test_describe() -> None:
    assert call(browser.describe, "contact") == {"ok": True, "result": Q.to_dict()}
    response = call(browser.describe, "nope")
    assert response == {
        "ok": False,
        "errors": [
            {
                "path": "",
                "message": "Unknown questionnaire 'nope'",
                "fix": "Use one of: 'apport', 'contact', 'donne', 'groupe'.",
            }
        ],
    }


def test_validate_archive() -> None:
    archive: dict[str, Any] = {
        "format": "crible-archive",
        "version": 1,
        "contacts": [
            {
                "id": "c-1a2b3c",
                "label": "Lambda",
                "created": "2026-01-02T09:30:00Z",
                "evaluations": [
                    {
                        "id": "e-4d5e6f",
                        "date": "2026-03-04T10:00:00Z",
                        "questionnaire": "contact",
                        "answers": {"available": "yes"},
                    }
                ],
            }
        ],
    }
    response = call(browser.validate_archive, json.dumps(archive))
    # Version 1 (before kinds) reads as version 2: every entry a person.
    archive["version"] = 2
    archive["contacts"][0] = {"id": "c-1a2b3c", "kind": "contact"} | archive["contacts"][0]
    assert response == {"ok": True, "result": archive}
    response = call(browser.validate_archive, "not json")
    assert response["ok"] is False
    assert [set(error) for error in response["errors"]] == [{"path", "message", "fix"}]


@pytest.mark.parametrize(
    ("text", "message"),
    [
        pytest.param(
            "[" * 60_000, f"Requête trop imbriquée (profondeur 60{NNBSP}000, au plus 8)", id="deep"
        ),
        pytest.param(
            "[" * 9_000_000,
            f"Requête trop volumineuse (9,0{NBSP}Mo, au plus 8,1{NBSP}Mo)",
            id="deep-and-large",
        ),
        pytest.param(
            '{"answers": {"a": {"b": {"c": {"d": {"e": {"f": {"g": {}}}}}}}}}',
            "Requête trop imbriquée (profondeur 9, au plus 8)",
            id="nine-levels",
        ),
        pytest.param(
            '{"questionnaire": "' + "x" * 8_100_000 + '"}',
            f"Requête trop volumineuse (8,1{NBSP}Mo, au plus 8,1{NBSP}Mo)",
            id="huge",
        ),
        pytest.param(
            '{"answers": {"a": ' + "1" * 5000 + "}}",
            f"Nombre trop long dans la requête (5{NNBSP}000 chiffres, au plus 20)",
            id="huge-integer",
        ),
    ],
)
def test_a_request_too_large_or_deep_is_refused_before_parsing(text: str, message: str) -> None:
    # In Pyodide, json.loads of 100 000 nested brackets kills the interpreter: never parse it.
    assert json.loads(browser.evaluate(text)) == {
        "ok": False,
        "errors": [
            {
                "path": "",
                "message": message,
                "fix": 'Écrivez par exemple {"questionnaire": "contact", "answers": '
                '{"available": "yes"}}.',
            }
        ],
    }
