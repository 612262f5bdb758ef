"""The one reader of requests (scoring._request_reader): each way a request is refused, with
its exact French message and key path, all problems at once."""

from __future__ import annotations

import json
from datetime import UTC, date, datetime
from typing import Any

import pytest

from scoring._errors import InvalidDataError
from scoring._request_reader import Fields, type_name, wrong_type

NBSP, NNBSP = "\u00a0", "\u202f"


def q(text: str) -> str:
    return f"«{NNBSP}{text}{NNBSP}»"


def refusal(text: object, example: str = "") -> list[tuple[str, str, str]]:
    with pytest.raises(InvalidDataError) as caught:
        Fields.read(text, example=example)
    assert caught.value.source == "request"
    return [(e.path, e.message, e.fix) for e in caught.value.errors]


def problems(fields: Fields) -> list[tuple[str, str]]:
    return [(path, message) for path, message, _ in detailed(fields)]


def detailed(fields: Fields) -> list[tuple[str, str, str]]:
    """Every problem recorded, with its fix, as finalize() raises them."""
    with pytest.raises(InvalidDataError) as caught:
        fields.finalize()
    return [(e.path, e.message, e.fix) for e in caught.value.errors]


TWICE = "Une clé ne peut apparaître qu’une fois dans un même objet."


def typed(expected: str, found: str) -> str:
    return f"Type inattendu{NBSP}: {found} (attendu{NBSP}: {expected})"


EXAMPLE = '{"current": ""}'
EXAMPLE_FIX = f"Écrivez par exemple {EXAMPLE}."


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        pytest.param(
            '{"a": "' + "x" * 8_100_000 + '"}',
            [("", f"Requête trop volumineuse (8,1{NBSP}Mo, au plus 8,1{NBSP}Mo)", EXAMPLE_FIX)],
            id="too-large",
        ),
        pytest.param(
            "[" * 9 + "]" * 9,
            [("", "Requête trop imbriquée (profondeur 9, au plus 8)", EXAMPLE_FIX)],
            id="too-deep",
        ),
        pytest.param(
            "[" * 100_000,
            [("", f"Requête trop imbriquée (profondeur 100{NNBSP}000, au plus 8)", EXAMPLE_FIX)],
            id="deep-enough-to-kill-pyodide",
        ),
        pytest.param(
            '{"a": ' + "1" * 21 + "}",
            [("", "Nombre trop long dans la requête (21 chiffres, au plus 20)", EXAMPLE_FIX)],
            id="too-many-digits",
        ),
        pytest.param(
            '{"a":\n ,}',
            [
                (
                    "",
                    "JSON invalide (ligne 2, colonne 2)",
                    "Vérifiez les guillemets doubles, les virgules et les accolades.",
                )
            ],
            id="not-json",
        ),
        pytest.param("[]", [("", typed("objet", "liste"), EXAMPLE_FIX)], id="not-an-object"),
        pytest.param("null", [("", typed("objet", "null"), EXAMPLE_FIX)], id="null"),
        pytest.param(42, [("", typed("texte", "nombre entier"), EXAMPLE_FIX)], id="not-text"),
    ],
)
def test_what_is_not_one_json_object_is_refused_alone(
    text: object, expected: list[tuple[str, str, str]]
) -> None:
    assert refusal(text, EXAMPLE) == expected


def test_the_size_limit_counts_bytes() -> None:
    fits = '{"a": "' + "x" * (8_100_000 - 9) + '"}'
    assert len(fits.encode()) == 8_100_000  # at the limit: read
    assert Fields.read(fits).text("a") == "x" * (8_100_000 - 9)
    accents = '{"a": "' + "é" * 4_050_000 + '"}'  # 4 050 000 characters, 8 100 009 bytes
    assert refusal(accents) == [
        ("", f"Requête trop volumineuse (8,1{NBSP}Mo, au plus 8,1{NBSP}Mo)", "")
    ]


def test_duplicate_forbidden_unknown_and_missing_keys_at_once() -> None:
    fields = Fields.read('{"op": 1, "op": 2, "__proto__": {}, "colour": "red", "a b": 0}')
    fields.keys(("op", "current"), ("label",))
    allowed = f"Clés permises{NBSP}: {q('op')}, {q('current')}, {q('label')}."
    assert detailed(fields) == [
        ("op", f"Clé en double {q('op')}", TWICE),
        ("__proto__", f"Clé interdite {q('__proto__')} (nom réservé en JavaScript)", allowed),
        ("colour", f"Clé inconnue {q('colour')}", allowed),
        ('["a b"]', f"Clé inconnue {q('a b')}", allowed),
        ("current", f"Clé obligatoire manquante {q('current')}", ""),
    ]


def test_the_first_of_two_duplicate_values_is_kept_and_the_rest_is_read() -> None:
    fields = Fields.read('{"op": "a", "op": "b"}')
    assert fields.text("op") == "a"
    fields.keys(("op",))
    assert problems(fields) == [("op", f"Clé en double {q('op')}")]


WRONG: dict[str, Any] = {
    "text": 1,
    "optional_text": [],
    "flag": "true",
    "integer": True,
    "day": 20261203,
    "moment": None,
    "sequence": {},
    "record": "x",
}


def test_each_getter_names_the_type_it_wants_and_all_are_reported() -> None:
    fields = Fields.read(json.dumps(WRONG))
    fields.keys(tuple(WRONG))
    assert fields.text("text") == ""
    assert fields.optional_text("optional_text") is None
    assert fields.flag("flag") is False
    assert fields.integer("integer") == 0
    assert fields.day("day") == date.min
    assert fields.moment("moment") == datetime.min.replace(tzinfo=UTC)
    assert fields.sequence("sequence") == []
    assert dict(fields.record("record").data) == {}
    assert problems(fields) == [
        ("text", typed("texte", "nombre entier")),
        ("optional_text", typed("texte ou null", "liste")),
        ("flag", typed("booléen", "texte")),
        ("integer", typed("nombre entier", "booléen")),
        ("day", typed("texte", "nombre entier")),
        ("moment", typed("texte", "null")),
        ("sequence", typed("liste", "objet")),
        ("record", typed("objet", "texte")),
    ]


def test_good_values() -> None:
    fields = Fields.read(
        '{"t": "é", "n": null, "b": true, "i": -3, "d": "2026-12-03",'
        ' "m": "2026-12-03T10:00:00.250Z", "l": [1], "o": {"x": "y"}}'
    )
    assert fields.text("t") == "é"
    assert fields.optional_text("n") is None
    assert fields.optional_text("absent") is None
    assert fields.flag("b") is True
    assert fields.integer("i") == -3
    assert fields.day("d") == date(2026, 12, 3)
    assert fields.moment("m") == datetime(2026, 12, 3, 10, 0, 0, 250_000, tzinfo=UTC)
    assert fields.sequence("l") == [1]
    assert fields.record("o").text("x") == "y"
    assert fields.optional_record("n") is None
    fields.finalize()  # nothing recorded


@pytest.mark.parametrize(
    ("getter", "value", "fix"),
    [
        pytest.param("day", "3 décembre", f"Format attendu{NBSP}: AAAA-MM-JJ.", id="day"),
        pytest.param("day", "2026-02-30", f"Format attendu{NBSP}: AAAA-MM-JJ.", id="no-such-day"),
        pytest.param(
            "moment",
            "2026-12-03 10:00",
            f"Format attendu{NBSP}: AAAA-MM-JJTHH:MM:SSZ, en temps universel (UTC).",
            id="moment",
        ),
    ],
)
def test_a_date_that_is_not_one(getter: str, value: str, fix: str) -> None:
    fields = Fields.read(json.dumps({"when": value}))
    getattr(fields, getter)("when")
    assert detailed(fields) == [("when", f"Date invalide {q(value)}", fix)]


def test_paths_inside_nested_objects() -> None:
    fields = Fields.read('{"contact": {"id": 7, "x y": 1, "kind": "soi", "kind": "x"}}')
    contact = fields.record("contact")
    contact.keys(("id", "label"), ("kind",))
    assert contact.text("id") == ""
    allowed = f"Clés permises{NBSP}: {q('id')}, {q('label')}, {q('kind')}."
    assert detailed(fields) == [
        ("contact.kind", f"Clé en double {q('kind')}", TWICE),
        ('contact["x y"]', f"Clé inconnue {q('x y')}", allowed),
        ("contact.label", f"Clé obligatoire manquante {q('label')}", ""),
        ("contact.id", typed("texte", "nombre entier"), ""),
    ]


def test_a_choice() -> None:
    fields = Fields.read('{"op": "merge", "mode": 3}')
    kwargs = {"unknown": "Opération inconnue", "missing": "Opération manquante", "fix": "F."}
    assert fields.choice("op", ("record",), **kwargs) == ""
    assert fields.choice("mode", ("merge",), **kwargs) == ""
    assert fields.choice("absent", ("record",), **kwargs) == ""
    assert problems(fields) == [
        ("op", f"Opération inconnue {q('merge')}"),
        ("mode", "Opération inconnue nombre entier"),
        ("absent", "Opération manquante"),
    ]
    assert Fields.read('{"op": "record"}').choice("op", ("record",), **kwargs) == "record"


def test_type_names_are_french_never_python() -> None:
    values: tuple[object, ...] = (None, True, 0, 1.5, "", [], {}, b"")
    names = [type_name(value) for value in values]
    assert names == [
        "null",
        "booléen",
        "nombre entier",
        "nombre décimal",
        "texte",
        "liste",
        "objet",
        "valeur non JSON",
    ]
    error = wrong_type(3, "texte", "a.b", fix="Corrigez.")
    assert (error.message, error.path, error.fix) == (
        typed("texte", "nombre entier"),
        "a.b",
        "Corrigez.",
    )
