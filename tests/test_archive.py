"""The archive format: what a visitor keeps on their device or exports, and imports back.

Bad archives are listed with the exact (path, message) of every problem they hold; messages are
written here in plain ASCII punctuation and typeset by ``fr`` (no-break spaces, ’), the way
FRENCH.md asks and the package does.
"""

from __future__ import annotations

import json
import unicodedata
from dataclasses import replace
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from scoring import InvalidDataError, load_questionnaire
from scoring._french import french_date
from scoring.archive import (
    CURRENT_VERSION,
    MAX_ARCHIVE_BYTES,
    MAX_CONTACTS,
    MAX_EVALUATIONS_PER_CONTACT,
    MAX_LABEL_LENGTH,
    Archive,
    Contact,
    Evaluation,
    NewEvaluation,
    dump_archive,
    format_date,
    merge,
    merge_preview,
    parse_archive,
    validate_archive,
)

NOW = datetime(2026, 11, 26, 12, 0, tzinfo=UTC)
NBSP, NNBSP = "\u00a0", "\u202f"
DROP: Any = object()  # a key to remove from the valid base record
Errors = list[tuple[str, str]]


def fr(text: str) -> str:
    """French typography, as in the package's messages."""
    for plain, typeset in ((" :", f"{NBSP}:"), (" ;", f"{NNBSP};"), ("« ", f"«{NNBSP}")):
        text = text.replace(plain, typeset)
    return text.replace(" »", f"{NNBSP}»").replace("'", "’")


def number(value: int) -> str:
    return f"{value:,}".replace(",", NNBSP)


# --- Valid pieces ------------------------------------------------------------------------------


def _with(base: dict[str, Any], changes: dict[str, Any]) -> dict[str, Any]:
    merged = {**base, **changes}
    return {key: value for key, value in merged.items() if value is not DROP}


def evaluation(**changes: Any) -> dict[str, Any]:
    base = {
        "id": "e-4d5e6f",
        "date": "2026-03-04T10:00:00Z",
        "questionnaire": "contact",
        "answers": {"available": "yes", "feel-empty": "unknown"},
        "context": {"duration": "3to12m"},
    }
    return _with(base, changes)


def contact(**changes: Any) -> dict[str, Any]:
    base = {
        "id": "c-1a2b3c",
        "kind": "contact",
        "label": "Lambda",
        "created": "2026-01-02T09:30:00Z",
        "evaluations": [evaluation()],
    }
    return _with(base, changes)


def archive(**changes: Any) -> dict[str, Any]:
    base = {
        "format": "crible-archive",
        "version": 2,
        "exported_at": "2026-11-26T10:00:00Z",
        "contacts": [contact()],
    }
    return _with(base, changes)


def in_contact(**changes: Any) -> dict[str, Any]:
    return archive(contacts=[contact(**changes)])


def in_evaluation(**changes: Any) -> dict[str, Any]:
    return in_contact(evaluations=[evaluation(**changes)])


def errors_of(source: str | object, **kwargs: Any) -> Errors:
    text = source if isinstance(source, str) else json.dumps(source, ensure_ascii=False)
    with pytest.raises(InvalidDataError) as caught:
        parse_archive(text, now=NOW, **kwargs)
    assert caught.value.source == "archive"
    return [(error.path, error.message) for error in caught.value.errors]


# --- Expected messages ---------------------------------------------------------------------

EMPTY = fr("Le fichier est vide")
NOT_JSON = fr("Ce fichier n'est pas un fichier JSON valide")
TRUNCATED = fr("Le fichier est incomplet : il semble tronqué")
NOT_ARCHIVE = "Ce fichier n'est pas une archive du crible"


def missing(key: str) -> str:
    return fr(f"Clé obligatoire manquante « {key} »")


def unknown_key(key: str) -> str:
    return fr(f"Clé inconnue « {key} »")


def forbidden(key: str) -> str:
    return fr(f"Clé interdite « {key} » (nom réservé en JavaScript)")


def duplicate(key: str) -> str:
    return fr(f"Clé en double « {key} »")


def wrong_type(found: str, expected: str) -> str:
    return fr(f"Type inattendu : {found} (attendu : {expected})")


def bad_id(value: str) -> str:
    return fr(f"Identifiant invalide « {value} »")


def bad_date(value: str) -> str:
    return fr(f"Date invalide « {value} »")


def future(value: str) -> str:
    """The message names the date in French: "2030-01-01T00:00:00Z" → "le 1er janvier 2030"."""
    return fr(f"Date située dans le futur : le {french_date(datetime.fromisoformat(value))}")


def bad_label(value: str) -> str:
    return fr(f"Le nom du contact contient un caractère de contrôle : « {value} »")


def unknown_item(key: str) -> str:
    return fr(f"Critère inconnu « {key} »")


def bad_answer(shown: str, key: str) -> str:
    return fr(f"Réponse invalide {shown} pour le critère « {key} »")


def not_archive(detail: str) -> str:
    return fr(f"{NOT_ARCHIVE} ({detail})")


TOO_BIG = fr(
    f"Le fichier est trop volumineux : {number(MAX_ARCHIVE_BYTES + 2)} octets "
    f"(maximum : {number(MAX_ARCHIVE_BYTES)})"
)
VALID_TEXT = json.dumps(archive())
E = "contacts[0].evaluations[0]"

BAD: list[Any] = [
    # Not an archive at all: one message, nothing else judged.
    pytest.param("", [("", EMPTY)], id="empty"),
    pytest.param(" \n\t ", [("", EMPTY)], id="blank"),
    pytest.param("\ufeff", [("", EMPTY)], id="only-a-bom"),
    pytest.param("bonjour", [("", NOT_JSON)], id="not-json"),
    pytest.param("{'format': 'crible-archive'}", [("", NOT_JSON)], id="single-quotes"),
    pytest.param(VALID_TEXT + " x", [("", NOT_JSON)], id="trailing-garbage"),
    pytest.param(VALID_TEXT[: len(VALID_TEXT) // 2], [("", TRUNCATED)], id="truncated-half"),
    pytest.param(VALID_TEXT[:-1], [("", TRUNCATED)], id="truncated-last-brace"),
    pytest.param('{"format": "crible-arch', [("", TRUNCATED)], id="truncated-in-a-string"),
    pytest.param(
        '{"format": "crible-archive", "version": NaN}',
        [("", fr("Valeur non permise en JSON : « NaN »"))],
        id="nan",
    ),
    pytest.param(
        '{"version": ' + "1" * 5000 + "}",
        [("", "Ce fichier contient un nombre trop long")],
        id="huge-integer",
    ),
    pytest.param(
        "[" * 100_000,
        [("", "Ce fichier contient des données trop profondément imbriquées")],
        id="too-deep",
    ),
    pytest.param(
        '{"a":' * 100_000,
        [("", "Ce fichier contient des données trop profondément imbriquées")],
        id="too-deep-objects",
    ),
    pytest.param(
        "[" * 21 + "]" * 21,
        [("", "Ce fichier contient des données trop profondément imbriquées")],
        id="deeper-than-any-archive",
    ),
    pytest.param(
        "[" * 20 + "]" * 20,
        [("", not_archive("type inattendu : liste ; attendu : objet"))],
        id="deep-but-not-too-deep",
    ),
    pytest.param(
        '["' + "[" * 30 + '\\"' + "[" * 30 + '"]',
        [("", not_archive("type inattendu : liste ; attendu : objet"))],
        id="brackets-in-strings-do-not-count",
    ),
    pytest.param(" " * MAX_ARCHIVE_BYTES + "{}", [("", TOO_BIG)], id="too-big"),
    pytest.param("é" * ((MAX_ARCHIVE_BYTES // 2) + 1), [("", TOO_BIG)], id="too-big-in-utf8"),
    pytest.param([], [("", not_archive("type inattendu : liste ; attendu : objet"))], id="list"),
    pytest.param("null", [("", not_archive("type inattendu : null ; attendu : objet"))], id="null"),
    pytest.param(
        archive(format=DROP),
        [("format", not_archive("la clé « format » manque"))],
        id="format-missing",
    ),
    pytest.param(
        archive(format="crible"),
        [("format", not_archive("format « crible » au lieu de « crible-archive »"))],
        id="format-wrong",
    ),
    pytest.param(
        archive(format=1),
        [("format", not_archive("format de type nombre entier au lieu de « crible-archive »"))],
        id="format-not-text",
    ),
    pytest.param(archive(version=DROP), [("version", missing("version"))], id="version-missing"),
    pytest.param(
        archive(version="1"),
        [("version", wrong_type("texte", "nombre entier"))],
        id="version-text",
    ),
    pytest.param(
        archive(version=True),
        [("version", wrong_type("booléen", "nombre entier"))],
        id="version-bool-is-not-int",
    ),
    pytest.param(
        archive(version=1.0),
        [("version", wrong_type("nombre décimal", "nombre entier"))],
        id="version-float",
    ),
    pytest.param(
        archive(version=0),
        [("version", fr("Version d'archive inconnue : 0 (attendu : 3)"))],
        id="version-zero",
    ),
    pytest.param(
        archive(version=4, contacts="ignored"),
        [
            (
                "version",
                fr(
                    "Ce fichier vient d'une version plus récente du site (version 4) ; "
                    "mettez la page à jour"
                ),
            )
        ],
        id="version-future-nothing-else-judged",
    ),
    # The archive object.
    pytest.param(archive(contacts=DROP), [("contacts", missing("contacts"))], id="no-contacts"),
    pytest.param(
        archive(contacts={}), [("contacts", wrong_type("objet", "liste"))], id="contacts-object"
    ),
    pytest.param(archive(notes="x"), [("notes", unknown_key("notes"))], id="unknown-top-level-key"),
    pytest.param(
        '{"format": "crible-archive", "version": 1, "contacts": [], "__proto__": {"x": 1}}',
        [("__proto__", forbidden("__proto__"))],
        id="proto",
    ),
    pytest.param(
        archive(**{"a b": 1}),
        [('["a b"]', unknown_key("a b"))],
        id="unknown-key-quoted-in-path",
    ),
    pytest.param(
        '{"format": "crible-archive", "version": 1, "contacts": [], "contacts": []}',
        [("contacts", duplicate("contacts"))],
        id="duplicate-key",
    ),
    pytest.param(
        archive(exported_at="2026-11-26 10:00:00"),
        [("exported_at", bad_date("2026-11-26 10:00:00"))],
        id="date-with-a-space",
    ),
    pytest.param(
        archive(exported_at="2026-11-26T10:00:00+01:00"),
        [("exported_at", bad_date("2026-11-26T10:00:00+01:00"))],
        id="date-not-utc",
    ),
    pytest.param(
        archive(exported_at="2026-11-26T10:00:00.5Z"),
        [("exported_at", bad_date("2026-11-26T10:00:00.5Z"))],
        id="date-tenths",
    ),
    pytest.param(
        archive(exported_at="2026-02-30T10:00:00Z"),
        [("exported_at", bad_date("2026-02-30T10:00:00Z"))],
        id="date-impossible",
    ),
    pytest.param(
        archive(exported_at="+275760-09-13T00:00:00.000Z"),
        [("exported_at", bad_date("+275760-09-13T00:00:00.000Z"))],
        id="date-extended-year",
    ),
    pytest.param(
        archive(exported_at=None),
        [("exported_at", wrong_type("null", "texte"))],
        id="date-null",
    ),
    pytest.param(
        archive(exported_at="2026-11-27T12:00:01Z"),
        [("exported_at", future("2026-11-27T12:00:01Z"))],
        id="date-future-beyond-24h",
    ),
    # Contacts.
    pytest.param(
        archive(contacts=["Lambda"]),
        [("contacts[0]", wrong_type("texte", "objet"))],
        id="contact-not-object",
    ),
    pytest.param(
        archive(contacts=[{}]),
        [
            (f"contacts[0].{key}", missing(key))
            for key in ("id", "kind", "label", "created", "evaluations")
        ],
        id="contact-empty",
    ),
    pytest.param(in_contact(id="c 1"), [("contacts[0].id", bad_id("c 1"))], id="id-space"),
    pytest.param(in_contact(id=""), [("contacts[0].id", bad_id(""))], id="id-empty"),
    pytest.param(
        in_contact(id="x" * 65),
        [("contacts[0].id", bad_id("x" * 40 + "…"))],
        id="id-too-long-shown-short",
    ),
    pytest.param(in_contact(id="c-é"), [("contacts[0].id", bad_id("c-é"))], id="id-accent"),
    pytest.param(
        in_contact(id="c-1\n"), [("contacts[0].id", bad_id("c-1\\n"))], id="id-final-newline"
    ),
    pytest.param(
        in_contact(id=12), [("contacts[0].id", wrong_type("nombre entier", "texte"))], id="id-int"
    ),
    pytest.param(
        archive(contacts=[contact(), contact(evaluations=[])]),
        [
            (
                "contacts[1].id",
                fr("Identifiant de contact déjà utilisé par un autre contact : « c-1a2b3c »"),
            )
        ],
        id="duplicate-contact-id",
    ),
    pytest.param(
        in_contact(label=""),
        [("contacts[0].label", "Le nom du contact est vide")],
        id="label-empty",
    ),
    pytest.param(
        in_contact(label="   "),
        [("contacts[0].label", "Le nom du contact est vide")],
        id="label-blank",
    ),
    pytest.param(
        in_contact(label="x" * (MAX_LABEL_LENGTH + 1)),
        [
            (
                "contacts[0].label",
                fr("Le nom du contact est trop long : 81 caractères (maximum : 80)"),
            )
        ],
        id="label-too-long",
    ),
    pytest.param(
        in_contact(label="a\tb"), [("contacts[0].label", bad_label("a\\tb"))], id="label-tab"
    ),
    pytest.param(
        in_contact(label="a\nb"), [("contacts[0].label", bad_label("a\\nb"))], id="label-newline"
    ),
    pytest.param(
        in_contact(label="a\x85b"), [("contacts[0].label", bad_label("a\x85b"))], id="label-c1"
    ),
    pytest.param(
        in_contact(label="a\u2028b"),
        [("contacts[0].label", bad_label("a\u2028b"))],
        id="label-line-separator",
    ),
    pytest.param(
        VALID_TEXT.replace('"Lambda"', '"a\\ud800b"'),
        [("contacts[0].label", bad_label("a\\ud800b"))],
        id="label-lone-surrogate",
    ),
    pytest.param(
        in_contact(label=["Lambda"]),
        [("contacts[0].label", wrong_type("liste", "texte"))],
        id="label-list",
    ),
    pytest.param(
        in_contact(constructor="x"),
        [("contacts[0].constructor", forbidden("constructor"))],
        id="contact-constructor",
    ),
    pytest.param(
        in_contact(created="2030-01-01T00:00:00Z"),
        [("contacts[0].created", future("2030-01-01T00:00:00Z"))],
        id="created-future",
    ),
    pytest.param(
        in_contact(evaluations=None),
        [("contacts[0].evaluations", wrong_type("null", "liste"))],
        id="evaluations-null",
    ),
    # Evaluations.
    pytest.param(
        in_contact(evaluations=[{}]),
        [(f"{E}.{key}", missing(key)) for key in ("id", "date", "questionnaire", "answers")],
        id="evaluation-empty",
    ),
    pytest.param(
        in_evaluation(prototype={}),
        [(f"{E}.prototype", forbidden("prototype"))],
        id="evaluation-prototype",
    ),
    pytest.param(
        archive(contacts=[contact(), contact(id="c-2")]),
        [
            (
                "contacts[1].evaluations[0].id",
                fr("Identifiant d'évaluation déjà utilisé par une autre évaluation : « e-4d5e6f »"),
            )
        ],
        id="duplicate-evaluation-id-across-contacts",
    ),
    pytest.param(
        in_evaluation(questionnaire="reseau"),
        [(f"{E}.questionnaire", fr("Questionnaire inconnu « reseau »"))],
        id="unknown-questionnaire",
    ),
    pytest.param(
        in_evaluation(questionnaire="../rules"),
        [(f"{E}.questionnaire", fr("Questionnaire inconnu « ../rules »"))],
        id="questionnaire-path",
    ),
    pytest.param(
        in_evaluation(questionnaire=None),
        [(f"{E}.questionnaire", wrong_type("null", "texte"))],
        id="questionnaire-null",
    ),
    pytest.param(
        in_evaluation(answers={"availability": "yes"}),
        [(f"{E}.answers.availability", unknown_item("availability"))],
        id="unknown-item",
    ),
    pytest.param(
        in_evaluation(answers={"__proto__": "yes"}),
        [(f"{E}.answers.__proto__", unknown_item("__proto__"))],
        id="answers-proto",
    ),
    pytest.param(
        in_evaluation(answers={"available": "maybe"}),
        [(f"{E}.answers.available", bad_answer("« maybe »", "available"))],
        id="answer-maybe",
    ),
    pytest.param(
        in_evaluation(answers={"available": "Oui"}),
        [(f"{E}.answers.available", bad_answer("« Oui »", "available"))],
        id="answer-french-label-not-id",
    ),
    pytest.param(
        in_evaluation(answers={"available": True}),
        [(f"{E}.answers.available", bad_answer("true", "available"))],
        id="answer-bool",
    ),
    pytest.param(
        in_evaluation(answers=["yes"]),
        [(f"{E}.answers", wrong_type("liste", "objet"))],
        id="answers-list",
    ),
    pytest.param(
        VALID_TEXT.replace('"available": "yes"', '"available": "yes", "available": "no"'),
        [(f"{E}.answers.available", duplicate("available"))],
        id="answers-duplicate-key",
    ),
    pytest.param(
        in_evaluation(context={"duration": "2y"}),
        [(f"{E}.context.duration", fr("Durée inconnue « 2y »"))],
        id="unknown-duration",
    ),
    pytest.param(
        in_evaluation(context={"duration": 3}),
        [(f"{E}.context.duration", "Durée inconnue 3")],
        id="duration-int",
    ),
    pytest.param(
        in_evaluation(context={"mood": "good"}),
        [(f"{E}.context.mood", fr("Information de contexte inconnue « mood »"))],
        id="context-unknown-key",
    ),
    pytest.param(
        in_evaluation(context="3to12m"),
        [(f"{E}.context", wrong_type("texte", "objet"))],
        id="context-text",
    ),
    pytest.param(
        in_evaluation(date="2026-03-04"),
        [(f"{E}.date", bad_date("2026-03-04"))],
        id="date-without-time",
    ),
    pytest.param(
        in_evaluation(date=1772618400000),
        [(f"{E}.date", wrong_type("nombre entier", "texte"))],
        id="date-as-epoch-ms",
    ),
    # Limits.
    pytest.param(
        archive(contacts=[{}] * (MAX_CONTACTS + 1)),
        [("contacts", fr(f"Trop de contacts : {number(1001)} (maximum : {number(1000)})"))],
        id="too-many-contacts",
    ),
    pytest.param(
        in_contact(evaluations=[{}] * (MAX_EVALUATIONS_PER_CONTACT + 1)),
        [
            (
                "contacts[0].evaluations",
                fr("Trop d'évaluations pour ce contact : 501 (maximum : 500)"),
            )
        ],
        id="too-many-evaluations",
    ),
]


@pytest.mark.parametrize(("source", "expected"), BAD)
def test_bad_archive(source: str | object, expected: Errors) -> None:
    assert errors_of(source) == [(path, fr(message)) for path, message in expected]


def test_every_problem_is_reported_at_once() -> None:
    text = json.dumps(
        {
            "format": "crible-archive",
            "version": 2,
            "exported_at": "hier",
            "extra": True,
            "contacts": [
                {
                    "id": "c 1",
                    "kind": "contact",
                    "label": "",
                    "created": "2026-01-02T09:30:00Z",
                    "evaluations": [
                        evaluation(answers={"available": "maybe", "x": "yes"}, context={"d": 1}),
                        evaluation(id="e-2", date="2099-01-01T00:00:00Z", questionnaire="autre"),
                    ],
                },
                contact(id="c-2", label="Ok", evaluations=[evaluation(id="e-2")]),
            ],
        }
    )
    assert errors_of(text) == [
        ("extra", unknown_key("extra")),
        ("exported_at", bad_date("hier")),
        ("contacts[0].id", bad_id("c 1")),
        ("contacts[0].label", "Le nom du contact est vide"),
        (f"{E}.answers.available", bad_answer("« maybe »", "available")),
        (f"{E}.answers.x", unknown_item("x")),
        (f"{E}.context.d", fr("Information de contexte inconnue « d »")),
        ("contacts[0].evaluations[1].date", future("2099-01-01T00:00:00Z")),
        ("contacts[0].evaluations[1].questionnaire", fr("Questionnaire inconnu « autre »")),
        (
            "contacts[1].evaluations[0].id",
            fr("Identifiant d'évaluation déjà utilisé par une autre évaluation : « e-2 »"),
        ),
    ]


def test_format_and_version_are_reported_together() -> None:
    assert errors_of(archive(format="x", version=7)) == [
        ("format", not_archive("format « x » au lieu de « crible-archive »")),
        (
            "version",
            fr(
                "Ce fichier vient d'une version plus récente du site (version 7) ; "
                "mettez la page à jour"
            ),
        ),
    ]


def test_errors_carry_a_fix_where_useful() -> None:
    with pytest.raises(InvalidDataError) as caught:
        parse_archive(json.dumps(archive(version=4)), now=NOW)
    (error,) = caught.value.errors
    assert error.fix == fr(
        "Rechargez la page en vidant le cache du navigateur, puis importez-le de nouveau."
    )
    with pytest.raises(InvalidDataError) as caught:
        parse_archive(json.dumps(in_evaluation(date="2026-03-04")), now=NOW)
    (error,) = caught.value.errors
    assert error.fix == fr("Format attendu : AAAA-MM-JJTHH:MM:SSZ, en temps universel (UTC).")
    # str() reads as French: the path in parentheses, then the fix.
    assert str(caught.value) == fr(
        f"archive: Date invalide « 2026-03-04 » ({E}.date). "
        "Format attendu : AAAA-MM-JJTHH:MM:SSZ, en temps universel (UTC)."
    )


# --- Valid archives ------------------------------------------------------------------------


def test_the_example_archive() -> None:
    parsed = parse_archive(VALID_TEXT, now=NOW)
    assert parsed == Archive(
        exported_at=datetime(2026, 11, 26, 10, 0, tzinfo=UTC),
        contacts=(
            Contact(
                id="c-1a2b3c",
                label="Lambda",
                created=datetime(2026, 1, 2, 9, 30, tzinfo=UTC),
                evaluations=(
                    Evaluation(
                        id="e-4d5e6f",
                        date=datetime(2026, 3, 4, 10, 0, tzinfo=UTC),
                        questionnaire="contact",
                        answers={"available": "yes", "feel-empty": "unknown"},
                        context={"duration": "3to12m"},
                    ),
                ),
            ),
        ),
    )
    assert parsed.to_dict() == archive()


def test_export_import_export_is_byte_identical() -> None:
    exported = dump_archive(parse_archive(VALID_TEXT, now=NOW))
    assert dump_archive(parse_archive(exported, now=NOW)) == exported
    assert exported.endswith("}\n")
    assert exported.startswith('{\n  "format": "crible-archive",\n  "version": 2,\n')


def test_dump_is_canonical_whatever_the_key_order() -> None:
    shuffled = {key: archive()[key] for key in reversed(archive())}
    shuffled["contacts"][0]["evaluations"][0]["answers"] = {
        "feel-empty": "unknown",
        "available": "yes",
    }
    assert dump_archive(parse_archive(json.dumps(shuffled), now=NOW)) == dump_archive(
        parse_archive(VALID_TEXT, now=NOW)
    )


def test_html_in_a_label_is_just_text() -> None:
    label = "<img src=x onerror=alert(1)>"
    parsed = parse_archive(json.dumps(in_contact(label=label)), now=NOW)
    assert parsed.contacts[0].label == label
    assert json.loads(dump_archive(parsed))["contacts"][0]["label"] == label


INVISIBLE_FIX = (
    "Donnez-lui un nom ou un surnom d’au moins une lettre, un chiffre ou un signe que l’on voit."
)


@pytest.mark.parametrize(
    ("label", "points"),
    [
        pytest.param("\u200b", "U+200B", id="zero-width-space"),
        pytest.param("\u200d\u200c\u2060", "U+200D, U+200C, U+2060", id="joiners"),
        pytest.param("\u202e", "U+202E", id="right-to-left-override"),
        pytest.param("\ufe0f\ufe0e", "U+FE0F, U+FE0E", id="variation-selectors"),
        pytest.param("\U000e0100", "U+E0100", id="variation-selector-supplement"),
        pytest.param("\u0301\u0308", "U+0301, U+0308", id="combining-marks-alone"),
        pytest.param("\u20dd", "U+20DD", id="enclosing-mark"),
        pytest.param("\u200b \u3000", "U+200B, U+0020, U+3000", id="with-spaces"),
        pytest.param("\u3164\u2800", "U+3164, U+2800", id="hangul-filler-braille-blank"),
        pytest.param("\u200b" * 7, "U+200B, U+200B, U+200B, U+200B, U+200B…", id="long"),
    ],
)
def test_labels_with_nothing_visible_are_refused(label: str, points: str) -> None:
    text = json.dumps(in_contact(label=label), ensure_ascii=False)
    with pytest.raises(InvalidDataError) as caught:
        parse_archive(text, now=NOW)
    (error,) = caught.value.errors
    assert (error.path, error.message, error.fix) == (
        "contacts[0].label",
        f"Le nom du contact ne contient aucun caractère visible ({points})",
        INVISIBLE_FIX,
    )


@pytest.mark.parametrize(
    "label",
    ["a\u200d", "❤\ufe0f", "e\u0301", "\u05d0\u05d1", "\u202eabc", "·", "_"],
)
def test_labels_with_something_visible_are_fine(label: str) -> None:
    parsed = parse_archive(json.dumps(in_contact(label=label)), now=NOW)
    assert parsed.contacts[0].label == label


@pytest.mark.parametrize(
    "label",
    ["é", "Jean-Édouard d’Arc", "x" * MAX_LABEL_LENGTH, "😀" * MAX_LABEL_LENGTH, " espace "],
)
def test_labels_that_are_fine(label: str) -> None:
    parsed = parse_archive(json.dumps(in_contact(label=label)), now=NOW)
    assert parsed.contacts[0].label == label


@pytest.mark.parametrize(
    ("written", "canonical"),
    [
        ("2026-03-04T10:00:00Z", "2026-03-04T10:00:00Z"),
        ("2026-03-04T10:00:00.000Z", "2026-03-04T10:00:00Z"),  # JavaScript's toISOString()
        ("2026-03-04T10:00:00.250Z", "2026-03-04T10:00:00.250Z"),
        ("2024-02-29T23:59:59.999Z", "2024-02-29T23:59:59.999Z"),
        ("0001-01-01T00:00:00Z", "0001-01-01T00:00:00Z"),
    ],
)
def test_dates(written: str, canonical: str) -> None:
    parsed = parse_archive(json.dumps(in_evaluation(date=written)), now=NOW)
    date = parsed.contacts[0].evaluations[0].date
    assert date.tzinfo is UTC
    assert format_date(date) == canonical


def test_a_date_up_to_24_hours_ahead_is_a_clock_difference() -> None:
    limit = format_date(NOW + timedelta(hours=24))
    parse_archive(json.dumps(archive(exported_at=limit)), now=NOW)
    assert errors_of(archive(exported_at="2026-11-27T12:00:00.001Z")) == [
        ("exported_at", future("2026-11-27T12:00:00.001Z"))
    ]


def test_now_defaults_to_the_current_time() -> None:
    parse_archive(VALID_TEXT)  # dates of 2026: in the past from now on
    tomorrow = datetime.now(UTC) + timedelta(days=2)
    with pytest.raises(InvalidDataError):
        parse_archive(json.dumps(archive(exported_at=format_date(tomorrow))))


def test_now_must_be_aware() -> None:
    with pytest.raises(ValueError, match="aware"):
        parse_archive(VALID_TEXT, now=datetime(2026, 11, 26))  # noqa: DTZ001 - the point


def test_optional_parts() -> None:
    data = archive(exported_at=DROP)
    data["contacts"] = [
        contact(evaluations=[evaluation(context=DROP, answers={})]),
        contact(id="c-2", evaluations=[]),
        contact(id="c-3", evaluations=[evaluation(id="e-3", context={"duration": None})]),
        contact(id="c-4", evaluations=[evaluation(id="e-4", context={})]),
    ]
    parsed = parse_archive(json.dumps(data), now=NOW)
    assert parsed.exported_at is None
    assert parsed.contacts[0].evaluations[0].context is None
    assert parsed.to_dict() == data
    assert parse_archive(json.dumps(archive(contacts=[])), now=NOW).contacts == ()


def test_a_byte_order_mark_is_ignored() -> None:
    assert parse_archive("\ufeff" + VALID_TEXT, now=NOW) == parse_archive(VALID_TEXT, now=NOW)


def test_file_order_is_kept() -> None:
    late, early = evaluation(id="e-late"), evaluation(id="e-early", date="2026-01-05T00:00:00Z")
    parsed = parse_archive(json.dumps(in_contact(evaluations=[late, early])), now=NOW)
    assert [e.id for e in parsed.contacts[0].evaluations] == ["e-late", "e-early"]


def test_validate_archive_takes_decoded_data() -> None:
    assert validate_archive(archive(), now=NOW) == parse_archive(VALID_TEXT, now=NOW)


def test_questionnaires_can_be_given() -> None:
    assert errors_of(VALID_TEXT, questionnaires={}) == [
        (f"{E}.questionnaire", fr("Questionnaire inconnu « contact »"))
    ]
    contact_questionnaire = load_questionnaire("contact")
    parse_archive(VALID_TEXT, now=NOW, questionnaires={"contact": contact_questionnaire})


def test_records_are_immutable() -> None:
    parsed = parse_archive(VALID_TEXT, now=NOW)
    evaluation_record = parsed.contacts[0].evaluations[0]
    with pytest.raises(TypeError):
        evaluation_record.answers["available"] = "no"  # type: ignore[index]
    with pytest.raises(AttributeError):
        parsed.contacts[0].label = "x"  # type: ignore[misc]


def test_the_limits_fit_a_large_network() -> None:
    """At the limits of contacts and evaluations, the size limit is what stops first."""
    answers = {item.id: "unknown" for item in load_questionnaire("contact").items}
    one = dump_archive(
        Archive(
            contacts=(
                Contact(
                    id="c-" + "0" * 10,
                    label="x" * 20,
                    created=NOW,
                    evaluations=(
                        Evaluation(
                            id="e-" + "0" * 10,
                            date=NOW,
                            questionnaire="contact",
                            answers=answers,
                            context={"duration": "3to12m"},
                        ),
                    ),
                ),
            )
        )
    )
    per_evaluation = len(one.encode()) - len(dump_archive(Archive()).encode())
    assert 200 < per_evaluation < 1000
    assert MAX_ARCHIVE_BYTES // per_evaluation > 1000  # evaluations that fit in a file
    assert CURRENT_VERSION == 3


# --- Hypothesis: any archive built from valid pieces ---------------------------------------

CONTACT = load_questionnaire("contact")
ITEM_IDS = [item.id for item in CONTACT.items]
DURATIONS = [duration.id for duration in CONTACT.context.durations]

ids = st.text(
    "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_-", min_size=1, max_size=64
)
labels = st.text(
    st.characters(exclude_categories=("Cc", "Cs", "Zl", "Zp")),
    min_size=1,
    max_size=MAX_LABEL_LENGTH,
).filter(lambda text: any(unicodedata.category(c) not in {"Cf", "Mn", "Me", "Zs"} for c in text))
dates = st.datetimes(
    min_value=datetime(1, 1, 1),  # noqa: DTZ001 - made aware below
    max_value=datetime(2026, 11, 27, 12, 0),  # noqa: DTZ001 - made aware below
).map(lambda d: d.replace(microsecond=d.microsecond // 1000 * 1000, tzinfo=UTC))
answer_sets = st.dictionaries(st.sampled_from(ITEM_IDS), st.sampled_from(["yes", "no", "unknown"]))
contexts = st.none() | st.fixed_dictionaries(
    {}, optional={"duration": st.sampled_from([*DURATIONS, None])}
)


@st.composite
def archives(draw: st.DrawFn, max_contacts: int = 5) -> Archive:
    contact_ids = draw(st.lists(ids, unique=True, max_size=max_contacts))
    counts = [draw(st.integers(0, 4)) for _ in contact_ids]
    evaluation_ids = iter(
        draw(st.lists(ids, unique=True, min_size=sum(counts), max_size=sum(counts)))
    )
    contacts = []
    for contact_id, count in zip(contact_ids, counts, strict=True):
        evaluations = tuple(
            Evaluation(
                id=next(evaluation_ids),
                date=draw(dates),
                questionnaire="contact",
                answers=draw(answer_sets),
                context=draw(contexts),
            )
            for _ in range(count)
        )
        contacts.append(
            Contact(id=contact_id, label=draw(labels), created=draw(dates), evaluations=evaluations)
        )
    return Archive(contacts=tuple(contacts), exported_at=draw(st.none() | dates))


@given(archives())
@settings(deadline=None, max_examples=150, suppress_health_check=[HealthCheck.too_slow])
def test_any_valid_archive_round_trips(built: Archive) -> None:
    exported = dump_archive(built)
    parsed = parse_archive(exported, now=NOW)
    assert parsed == built
    assert dump_archive(parsed) == exported
    # What JavaScript would write back (JSON.stringify of the parsed object) reads the same.
    assert parse_archive(json.dumps(json.loads(exported)), now=NOW) == built


@given(archives(), st.data())
@settings(deadline=None, max_examples=100)
def test_a_wrong_answer_anywhere_is_found_at_its_path(built: Archive, data: st.DataObject) -> None:
    places = [(c, e) for c, one in enumerate(built.contacts) for e in range(len(one.evaluations))]
    if not places:
        return
    c, e = data.draw(st.sampled_from(places))
    item = data.draw(st.sampled_from(ITEM_IDS))
    broken = built.to_dict()
    broken["contacts"][c]["evaluations"][e]["answers"][item] = "peut-être"
    assert errors_of(broken) == [
        (
            f"contacts[{c}].evaluations[{e}].answers.{item}",
            bad_answer("« peut-être »", item),
        )
    ]


# --- Merging an import into what the visitor has ----------------------------------------------


def make(*contacts: Contact) -> Archive:
    return Archive(contacts=contacts)


def person(cid: str, *evaluations: Evaluation, label: str = "Lambda") -> Contact:
    return Contact(id=cid, label=label, created=NOW - timedelta(days=300), evaluations=evaluations)


def run(eid: str, answer: str = "yes", days_ago: int = 10) -> Evaluation:
    return Evaluation(
        id=eid,
        date=NOW - timedelta(days=days_ago),
        questionnaire="contact",
        answers={"available": answer},
    )


def ids_of(merged: Archive) -> list[tuple[str, list[str]]]:
    return [(c.id, [e.id for e in c.evaluations]) for c in merged.contacts]


def test_merging_identical_archives_changes_nothing() -> None:
    current = make(person("a", run("e1"), run("e2")), person("b"))
    preview = merge_preview(current, current)
    assert preview.is_empty
    assert preview.conflicts == ()
    assert preview.unchanged_evaluations == 2
    assert merge(current, current) == current
    assert merge(current, current, replace=True) == current


def test_new_contacts_and_evaluations_are_appended() -> None:
    current = make(person("a", run("e1")), person("b"))
    incoming = make(person("c", run("e3")), person("a", run("e2"), run("e1")))
    preview = merge_preview(current, incoming)
    assert [c.id for c in preview.new_contacts] == ["c"]
    assert [(n.contact_id, n.evaluation.id) for n in preview.new_evaluations] == [("a", "e2")]
    assert preview.conflicts == ()
    assert preview.unchanged_evaluations == 1
    assert ids_of(merge(current, incoming)) == [("a", ["e1", "e2"]), ("b", []), ("c", ["e3"])]


def test_a_contact_renamed_elsewhere_is_a_conflict() -> None:
    current = make(person("a", run("e1")), person("b"))
    incoming = make(person("a", run("e2"), label="Alpha"))
    (conflict,) = merge_preview(current, incoming).conflicts
    assert (conflict.kind, conflict.id) == ("contact", "a")
    assert conflict.to_dict()["incoming"] == {
        "id": "a",
        "label": "Alpha",
        "created": format_date(NOW - timedelta(days=300)),
    }
    kept = merge(current, incoming)
    assert [c.label for c in kept.contacts] == ["Lambda", "Lambda"]
    assert ids_of(kept) == [("a", ["e1", "e2"]), ("b", [])]
    replaced = merge(current, incoming, replace=True)
    assert [c.label for c in replaced.contacts] == ["Alpha", "Lambda"]
    assert ids_of(replaced) == [("a", ["e1", "e2"]), ("b", [])]


def test_an_evaluation_changed_elsewhere_is_a_conflict() -> None:
    current = make(person("a", run("e1"), run("e2")))
    incoming = make(person("a", run("e1", "no")))
    preview = merge_preview(current, incoming)
    (conflict,) = preview.conflicts
    assert (conflict.kind, conflict.id) == ("evaluation", "e1")
    assert isinstance(conflict.current, NewEvaluation)
    assert conflict.current.evaluation.answers == {"available": "yes"}
    date = format_date(NOW - timedelta(days=10))
    assert conflict.to_dict() == {
        "kind": "evaluation",
        "id": "e1",
        "label": "Lambda",
        "current": {
            "contact_id": "a",
            "contact_label": "Lambda",
            "id": "e1",
            "date": date,
            "questionnaire": "contact",
        },
        "incoming": {
            "contact_id": "a",
            "contact_label": "Lambda",
            "id": "e1",
            "date": date,
            "questionnaire": "contact",
        },
    }
    assert preview.is_empty
    assert merge(current, incoming) == current
    replaced = merge(current, incoming, replace=True)
    assert ids_of(replaced) == [("a", ["e1", "e2"])]  # replaced in place
    assert replaced.contacts[0].evaluations[0].answers == {"available": "no"}


def test_an_evaluation_filed_under_another_contact_is_a_conflict() -> None:
    current = make(person("a", run("e1")), person("b"))
    incoming = make(person("b", run("e1")), person("c", run("e1x"), run("e2")))
    preview = merge_preview(current, incoming)
    assert [(c.kind, c.id) for c in preview.conflicts] == [("evaluation", "e1")]
    assert ids_of(merge(current, incoming)) == [("a", ["e1"]), ("b", []), ("c", ["e1x", "e2"])]
    assert ids_of(merge(current, incoming, replace=True)) == [
        ("a", []),
        ("b", ["e1"]),
        ("c", ["e1x", "e2"]),
    ]


def test_a_new_contact_whose_evaluation_id_is_taken() -> None:
    current = make(person("a", run("e1")))
    incoming = make(person("z", run("e1", "no")))
    preview = merge_preview(current, incoming)
    assert [c.id for c in preview.new_contacts] == ["z"]
    assert [(c.kind, c.id) for c in preview.conflicts] == [("evaluation", "e1")]
    assert ids_of(merge(current, incoming)) == [("a", ["e1"]), ("z", [])]
    assert ids_of(merge(current, incoming, replace=True)) == [("a", []), ("z", ["e1"])]


def test_merge_keeps_the_current_export_date() -> None:
    current = replace(make(person("a")), exported_at=NOW)
    incoming = replace(make(person("b")), exported_at=NOW - timedelta(days=1))
    assert merge(current, incoming).exported_at == NOW


def test_preview_is_json_ready() -> None:
    current = make(person("a", run("e1")))
    incoming = make(person("a", run("e1", "no"), run("e2")), person("b", run("e3")))
    data = merge_preview(current, incoming).to_dict()
    assert json.loads(json.dumps(data)) == data
    created, date = format_date(NOW - timedelta(days=300)), format_date(NOW - timedelta(days=10))
    assert data == {
        "new_contacts": [
            {"id": "b", "kind": "contact", "label": "Lambda", "created": created, "evaluations": 1}
        ],
        "new_evaluations": [
            {
                "contact_id": "a",
                "contact_label": "Lambda",
                "id": "e2",
                "date": date,
                "questionnaire": "contact",
            }
        ],
        "conflicts": [
            {
                "kind": "evaluation",
                "id": "e1",
                "label": "Lambda",
                "current": {
                    "contact_id": "a",
                    "contact_label": "Lambda",
                    "id": "e1",
                    "date": date,
                    "questionnaire": "contact",
                },
                "incoming": {
                    "contact_id": "a",
                    "contact_label": "Lambda",
                    "id": "e1",
                    "date": date,
                    "questionnaire": "contact",
                },
            }
        ],
        "unchanged_evaluations": 0,
    }


def test_a_renamed_contact_does_not_make_its_evaluations_conflict() -> None:
    current = make(person("a", run("e1")))
    incoming = make(person("a", run("e1"), label="Alpha"))
    preview = merge_preview(current, incoming)
    assert [(c.kind, c.id) for c in preview.conflicts] == [("contact", "a")]
    assert preview.unchanged_evaluations == 1
    assert preview.conflicts[0].to_dict()["label"] == "Lambda"


def test_a_merge_beyond_the_limits_is_refused() -> None:
    current = make(*(person(f"a{i}") for i in range(MAX_CONTACTS)))
    incoming = make(person("one-more"))
    with pytest.raises(InvalidDataError) as caught:
        merge(current, incoming)
    assert [(e.path, e.message) for e in caught.value.errors] == [
        (
            "contacts",
            fr(f"La fusion donnerait trop de contacts : {number(1001)} (maximum : {number(1000)})"),
        )
    ]


@pytest.mark.parametrize("replace_", [False, True])
@given(archives(max_contacts=4), archives(max_contacts=4))
@settings(deadline=None, max_examples=75, suppress_health_check=[HealthCheck.too_slow])
def test_any_merge_is_a_valid_archive(replace_: bool, current: Archive, incoming: Archive) -> None:  # noqa: FBT001 - a parameter
    merged = merge(current, incoming, replace=replace_)
    assert parse_archive(dump_archive(merged), now=NOW) == merged  # unique ids, valid
    merged_contacts = {c.id for c in merged.contacts}
    assert merged_contacts == {c.id for c in current.contacts} | {c.id for c in incoming.contacts}
    merged_evaluations = {e.id for c in merged.contacts for e in c.evaluations}
    everything = [current, incoming]
    assert merged_evaluations == {
        e.id for a in everything for c in a.contacts for e in c.evaluations
    }
    assert merge(merged, incoming, replace=replace_) == merged  # idempotent
    winner = incoming if replace_ else current
    loser = current if replace_ else incoming
    expected = {e.id: e for c in loser.contacts for e in c.evaluations}
    expected.update({e.id: e for c in winner.contacts for e in c.evaluations})
    assert {e.id: e for c in merged.contacts for e in c.evaluations} == expected
    if not merge_preview(current, incoming).conflicts:
        assert merge(current, incoming) == merge(current, incoming, replace=True)


# --- Local damage stays local (what a device keeps: keep_odd, set_aside) ------------------------


def test_odd_evaluations_are_refused_by_default_and_kept_with_keep_odd() -> None:
    odd = in_contact(
        evaluations=[
            evaluation(id="e-1", date="2026-11-28T12:00:00Z"),
            evaluation(id="e-2", answers={"gone": "yes", "lost": "no"}),
            evaluation(id="e-3", questionnaire="disparu"),
        ]
    )
    assert errors_of(odd) == [
        ("contacts[0].evaluations[0].date", future("2026-11-28T12:00:00Z")),
        ("contacts[0].evaluations[1].answers.gone", unknown_item("gone")),
        ("contacts[0].evaluations[1].answers.lost", unknown_item("lost")),
        ("contacts[0].evaluations[2].questionnaire", fr("Questionnaire inconnu « disparu »")),
    ]
    parsed = parse_archive(json.dumps(odd), now=NOW, keep_odd=True)
    assert [e.ignored for e in parsed.contacts[0].evaluations] == [
        fr(
            "datée du 28 novembre 2026, dans le futur : l’horloge de l’appareil avançait sans doute"
        ),
        fr("répond aux critères « gone », « lost » que le site n’a plus"),
        "questionnaire que le site n’a plus",
    ]
    # Written back as they were read, key order included.
    assert json.loads(dump_archive(parsed)) == odd
    assert [e.raw for e in parsed.contacts[0].evaluations] == odd["contacts"][0]["evaluations"]


def test_keep_odd_alone_still_refuses_broken_entries() -> None:
    broken = in_contact(evaluations=[evaluation(answers=DROP)])
    assert errors_of(broken, keep_odd=True) == [
        ("contacts[0].evaluations[0].answers", missing("answers"))
    ]


def test_set_aside_keeps_broken_entries_as_they_are() -> None:
    second = contact(id="c-2", evaluations=[evaluation(id="e-2"), evaluation(id="e-2")])
    data = archive(
        contacts=[
            contact(),
            "pas un contact",
            contact(id="c-3", label="a\tb", evaluations=[]),
            second,
            contact(id="c-1a2b3c"),
        ]
    )
    parsed = parse_archive(json.dumps(data), now=NOW, keep_odd=True, set_aside=True)
    assert [c.id for c in parsed.contacts] == ["c-1a2b3c", "c-2"]
    assert [(e.where, e.reason, e.data) for e in parsed.all_set_aside()] == [
        ("contacts[1]", fr("Type inattendu : texte (attendu : objet)"), "pas un contact"),
        ("contacts[2].label", bad_label("a\\tb"), contact(id="c-3", label="a\tb", evaluations=[])),
        (
            "contacts[4].id",
            fr("Identifiant de contact déjà utilisé par un autre contact : « c-1a2b3c »"),
            contact(id="c-1a2b3c"),
        ),
        (
            "contacts[3].evaluations[1].id",
            fr("Identifiant d’évaluation déjà utilisé par une autre évaluation : « e-2 »"),
            evaluation(id="e-2"),
        ),
    ]
    # Readable entries first, then the ones set aside, in their order: stable from then on.
    text = dump_archive(parsed)
    assert json.loads(text)["contacts"] == [
        contact(),
        contact(id="c-2", evaluations=[evaluation(id="e-2"), evaluation(id="e-2")]),
        "pas un contact",
        contact(id="c-3", label="a\tb", evaluations=[]),
        contact(id="c-1a2b3c"),
    ]
    again = parse_archive(text, now=NOW, keep_odd=True, set_aside=True)
    assert dump_archive(again) == text


def test_set_aside_accepts_creation_and_export_dates_ahead() -> None:
    ahead = archive(
        exported_at="2027-01-01T00:00:00Z", contacts=[contact(created="2027-01-01T00:00:00Z")]
    )
    parsed = parse_archive(json.dumps(ahead), now=NOW, set_aside=True)
    assert dump_archive(parsed) == json.dumps(ahead, ensure_ascii=False, indent=2) + "\n"


@pytest.mark.parametrize(
    ("data", "expected"),
    [
        pytest.param(
            archive(contacts={}), [("contacts", wrong_type("objet", "liste"))], id="contacts"
        ),
        pytest.param(archive(extra=1), [("extra", unknown_key("extra"))], id="top-key"),
        pytest.param(
            archive(version=3)["version"],
            [("", not_archive("type inattendu : nombre entier ; attendu : objet"))],
            id="not-object",
        ),
    ],
)
def test_set_aside_still_refuses_an_unreadable_top_level(data: object, expected: Errors) -> None:
    assert errors_of(data, keep_odd=True, set_aside=True) == expected


def test_merge_keeps_what_the_current_archive_set_aside() -> None:
    data = archive(contacts=[contact(evaluations=[evaluation(), 7]), 8])
    current = parse_archive(json.dumps(data), now=NOW, set_aside=True)
    incoming = parse_archive(json.dumps(in_contact(label="Autre")), now=NOW)
    for replace_ in (False, True):
        merged = merge(current, incoming, replace=replace_)
        assert [e.data for e in merged.all_set_aside()] == [8, 7]


@pytest.mark.parametrize(
    ("day", "written"),
    [
        pytest.param(datetime(2026, 12, 3, tzinfo=UTC), "3 décembre 2026", id="ordinary"),
        pytest.param(datetime(2030, 1, 1, tzinfo=UTC), "1er janvier 2030", id="first"),
        pytest.param(datetime(2027, 8, 15, tzinfo=UTC), "15 août 2027", id="accent"),
    ],
)
def test_french_date(day: datetime, written: str) -> None:
    assert french_date(day) == written
