"""The import of contacts (scoring.contacts_import): LinkedIn's export, plain lists, dedupe,
and every bad file refused with its message, the archive unchanged."""

from __future__ import annotations

import base64
import json
from datetime import UTC, date, datetime
from pathlib import Path

import pytest

from scoring import InvalidDataError, browser
from scoring._french import NBSP, NNBSP
from scoring.archive import Archive, Contact, dump_archive, parse_archive
from scoring.contacts_import import (
    MAX_IMPORT_ROWS,
    apply_import,
    normalized_name,
    normalized_url,
    preview_import,
    read_contacts,
)

FIXTURES = Path(__file__).parent / "fixtures" / "imports"
TODAY = date(2026, 12, 3)
CREATED = datetime(2026, 12, 3, 9, 0, tzinfo=UTC)


def q(text: str) -> str:
    return f"«{NNBSP}{text}{NNBSP}»"


def data(name: str) -> bytes:
    return (FIXTURES / name).read_bytes()


def rows(name: str) -> list[tuple[int, str, str | None, str | None, str | None]]:
    preview = read_contacts(data(name), today=TODAY)
    return [
        (c.line, c.label, c.url, c.company, c.connected_on.isoformat() if c.connected_on else None)
        for c in preview.candidates
    ]


def problems(raw: bytes) -> list[tuple[str, str, str]]:
    with pytest.raises(InvalidDataError) as caught:
        read_contacts(raw, today=TODAY)
    assert caught.value.source == "import"
    return [(e.path, e.message, e.fix) for e in caught.value.errors]


# --- Good files -------------------------------------------------------------------------------


def test_linkedin_export_in_its_real_shape() -> None:
    preview = read_contacts(data("Connections.csv"), today=TODAY)
    assert (preview.format, preview.delimiter, preview.skipped) == ("linkedin", ",", ())
    assert rows("Connections.csv") == [
        (
            5,
            "Ada Lovelace",
            "https://www.linkedin.com/in/ada-lovelace-1815",
            "Analytical Engines, Ltd",
            "2021-03-15",
        ),
        (
            6,
            "Élodie Durand-Lefèvre",
            "https://www.linkedin.com/in/elodie-durand",
            "Société Générale",
            "2024-11-02",
        ),
        (7, "Grace Hopper", "https://www.linkedin.com/in/gracehopper", None, "2019-01-03"),
        (
            8,
            "Jean-Édouard N’Diaye",
            "https://www.linkedin.com/in/jendiaye",
            'Café "Le Zinc"',
            "2026-11-28",
        ),
        (9, "Zoé Martin", None, None, None),
    ]


def test_no_email_address_and_no_position_ever_reach_a_candidate() -> None:
    text = json.dumps(read_contacts(data("Connections.csv"), today=TODAY).to_dict())
    assert "example.org" not in text
    assert "@" not in text
    assert "Mathématicienne" not in text


def test_french_columns_semicolons_bom_and_other_date_forms() -> None:
    preview = read_contacts(data("connexions-fr.csv"), today=TODAY)
    assert (preview.format, preview.delimiter) == ("linkedin", ";")
    assert rows("connexions-fr.csv") == [
        (
            2,
            "Marie Curie",
            "https://www.linkedin.com/in/mcurie",
            "Institut du radium",
            "2021-03-15",
        ),
        (3, "Paul Langevin", None, None, "2020-07-07"),
        (4, "Irène Joliot-Curie", "http://linkedin.com/in/ijc/", None, "2022-02-01"),
    ]


def test_a_plain_list_one_name_per_line() -> None:
    preview = read_contacts(data("liste.txt"), today=TODAY)
    assert (preview.format, preview.delimiter) == ("liste", "")
    assert [(line, label) for line, label, *_ in rows("liste.txt")] == [
        (1, "Ada Lovelace"),
        (2, "Bob"),
        (4, "Dupont, Jean"),
        (5, "Émile Zola"),
    ]


def test_a_plain_list_with_columns_separated_by_tabs() -> None:
    assert rows("liste-colonnes.csv") == [
        (2, "Camille Claudel", "https://example.org/camille", "Atelier Rodin", None),
        (3, "Auguste", None, None, None),
    ]


def test_rows_without_a_name_are_skipped_and_said() -> None:
    raw = b"First Name,Last Name,URL,Company\n,,https://example.org/x,ACME\nAda,,,\n"
    preview = read_contacts(raw, today=TODAY)
    assert preview.skipped == (2,)
    assert [c.label for c in preview.candidates] == ["Ada"]


# --- Bad files: each message, exactly ---------------------------------------------------------

SAVE = (
    f"Enregistrez-le au format {q('CSV UTF-8')} depuis votre tableur, puis importez-le de nouveau."
)
FORMULA_FIX = "Retirez ce caractère en début de cellule, puis importez le fichier de nouveau."
HTML_FIX = "Retirez les balises (du type <b> ou <img>) du fichier, puis importez-le de nouveau."


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        pytest.param(
            "latin1.csv",
            [
                (
                    "",
                    "Le fichier n’est pas encodé en UTF-8 "
                    "(premier caractère illisible à la ligne 2)",
                    SAVE,
                )
            ],
            id="latin-1",
        ),
        pytest.param(
            "utf16.csv", [("", "Le fichier est encodé en UTF-16, pas en UTF-8", SAVE)], id="utf-16"
        ),
        pytest.param(
            "formule.csv",
            [
                (
                    "ligne 2",
                    f"La colonne {q('Company')} commence par {q('=')}, comme une formule de "
                    f"tableur{NBSP}: " + q("=cmd|' /C calc'!A0"),
                    FORMULA_FIX,
                ),
                (
                    "ligne 3",
                    f"La colonne {q('Last Name')} commence par {q('+')}, comme une formule de "
                    f"tableur{NBSP}: {q('+33 6 12')}",
                    FORMULA_FIX,
                ),
                (
                    "ligne 4",
                    f"La colonne {q('Company')} commence par {q('@')}, comme une formule de "
                    f"tableur{NBSP}: {q('@SUM(A1)')}",
                    FORMULA_FIX,
                ),
            ],
            id="formulas",
        ),
        pytest.param(
            "html.csv",
            [
                (
                    "ligne 2",
                    f"La colonne {q('First Name')} contient du code HTML{NBSP}: "
                    f"{q('<img src=x onerror=alert(1)>')}",
                    HTML_FIX,
                ),
                (
                    "ligne 3",
                    f"La colonne {q('Company')} contient du code HTML{NBSP}: {q('<b>ACME</b>')}",
                    HTML_FIX,
                ),
            ],
            id="html",
        ),
        pytest.param(
            "pipe.csv",
            [
                (
                    "ligne 1",
                    "Séparateur de colonnes non reconnu dans l’en-tête (ligne 1)",
                    "Séparez les colonnes par des virgules, des points-virgules ou des "
                    "tabulations.",
                )
            ],
            id="other-delimiter",
        ),
        pytest.param(
            "nom-trop-long.csv",
            [
                (
                    "ligne 2",
                    f"Le nom du contact est trop long{NBSP}: 81 caractères (maximum{NBSP}: 80)",
                    "",
                ),
                (
                    "ligne 3",
                    f"Le nom du contact contient un caractère de contrôle{NBSP}: "
                    + q("Tab\\there"),
                    "Retirez les tabulations, retours à la ligne et caractères invisibles.",
                ),
            ],
            id="label-rules",
        ),
        pytest.param(
            "date-illisible.csv",
            [
                (
                    "ligne 2",
                    f"Date de connexion illisible{NBSP}: {q('32 Foo 2021')}",
                    f"Écrivez-la comme {q('15 Mar 2021')} ou {q('2021-03-15')}.",
                ),
                (
                    "ligne 3",
                    f"Date de connexion située dans le futur{NBSP}: {q('2031-01-01')}",
                    "Vérifiez cette date dans le fichier.",
                ),
            ],
            id="dates",
        ),
        pytest.param(
            "guillemets.csv",
            [
                (
                    "ligne 2",
                    "Guillemets mal fermés dans le fichier",
                    "Vérifiez les guillemets de cette ligne, ou exportez le fichier de nouveau.",
                )
            ],
            id="quotes",
        ),
    ],
)
def test_bad_file(name: str, expected: list[tuple[str, str, str]]) -> None:
    assert problems(data(name)) == expected


def test_more_rows_than_the_cap() -> None:
    raw = ("Nom\n" + "".join(f"Personne {i}\n" for i in range(MAX_IMPORT_ROWS + 1))).encode()
    assert problems(raw) == [
        (
            "",
            f"Le fichier compte plus de 50{NNBSP}000 lignes (maximum{NBSP}: 50{NNBSP}000)",
            "Découpez-le en plusieurs fichiers, ou gardez seulement les personnes à importer.",
        )
    ]
    # Exactly the cap is fine.
    raw = ("Nom\n" + "".join(f"Personne {i}\n" for i in range(MAX_IMPORT_ROWS))).encode()
    assert len(read_contacts(raw, today=TODAY).candidates) == MAX_IMPORT_ROWS


def test_empty_and_binary_files() -> None:
    assert problems(b"\xef\xbb\xbf \n") == [
        ("", "Le fichier est vide", "Choisissez le fichier CSV de vos contacts.")
    ]
    assert problems(b"Ada\x00") == [
        (
            "",
            "Ce fichier n’est pas un fichier texte (il contient des octets nuls)",
            "Choisissez le fichier CSV de vos contacts.",
        )
    ]


def test_many_problems_are_listed_up_to_twenty_then_counted() -> None:
    raw = ("Nom\n" + "=x\n" * 25).encode()
    listed = problems(raw)
    assert len(listed) == 21
    assert listed[-1][1] == "… et 5 autres problèmes"


# --- Against the archive: dedupe, apply -------------------------------------------------------

STORED = Archive(
    contacts=(
        Contact(id="c-ada", label="ada  LOVELACE", created=CREATED),
        Contact(
            id="c-gh",
            label="Amiral Hopper",
            created=CREATED,
            url="http://linkedin.com/in/GraceHopper/?trk=x",
        ),
        Contact(id="g-zoe", kind="groupe", label="Zoé Martin", created=CREATED),
    )
)


def test_normalisation() -> None:
    assert normalized_name(" Élodie  DURAND-lefèvre ") == "elodie durand lefevre"
    assert normalized_url("https://www.LinkedIn.com/in/X/?a=1#b") == "linkedin.com/in/x"


def test_preview_marks_present_by_name_or_url_and_repeated_rows() -> None:
    raw = (
        data("Connections.csv")
        + b"Ada,Lovelace,,,,,\r\nE,F,https://linkedin.com/in/elodie-durand,,,,\r\n"
    )
    preview = preview_import(STORED, raw, today=TODAY).to_dict()
    assert [(c["line"], c["label"]) for c in preview["new"]] == [
        (6, "Élodie Durand-Lefèvre"),
        (8, "Jean-Édouard N’Diaye"),
        (9, "Zoé Martin"),  # a group of that name is not this person
    ]
    assert [(c["line"], c["status"], c["existing"], c["same_as"]) for c in preview["present"]] == [
        (5, "present", "c-ada", None),
        (7, "present", "c-gh", None),
        (11, "present", "c-ada", None),
        (12, "repeated", None, 6),
    ]


def test_apply_adds_the_picked_people_only_with_what_the_visitor_keeps() -> None:
    after = apply_import(
        STORED,
        data("Connections.csv"),
        picks={6: "c-elodie", 8: "c-jean"},
        created=CREATED,
        keep_url=True,
        keep_company=False,
        today=TODAY,
    )
    assert after.contacts[:3] == STORED.contacts
    added = after.contacts[3:]
    assert [(c.id, c.label, c.url, c.company, c.connected_on) for c in added] == [
        (
            "c-elodie",
            "Élodie Durand-Lefèvre",
            "https://www.linkedin.com/in/elodie-durand",
            None,
            date(2024, 11, 2),
        ),
        (
            "c-jean",
            "Jean-Édouard N’Diaye",
            "https://www.linkedin.com/in/jendiaye",
            None,
            date(2026, 11, 28),
        ),
    ]
    text = dump_archive(after)
    assert json.loads(text)["version"] == 3
    assert parse_archive(text, now=CREATED) == after
    assert "example.org" not in text


def test_apply_refuses_a_present_line_and_changes_nothing() -> None:
    with pytest.raises(InvalidDataError) as caught:
        apply_import(
            STORED,
            data("Connections.csv"),
            picks={5: "c-x", 99: "c-y"},
            created=CREATED,
            keep_url=True,
            keep_company=True,
            today=TODAY,
        )
    assert [(e.path, e.message) for e in caught.value.errors] == [
        ("picks.5", "La ligne 5 du fichier n’est pas une personne à ajouter"),
        ("picks.99", "La ligne 99 du fichier n’est pas une personne à ajouter"),
    ]


# --- Through the browser's entry points --------------------------------------------------------


def call(function: object, request: dict[str, object]) -> dict[str, object]:
    answer: dict[str, object] = json.loads(function(json.dumps(request)))  # type: ignore[operator]
    return answer


def b64(raw: bytes) -> str:
    return base64.b64encode(raw).decode()


def test_entry_points_preview_then_apply() -> None:
    stored = dump_archive(Archive(contacts=STORED.contacts[:1]))
    preview = call(
        browser.preview_contacts_import,
        {"current": stored, "file": b64(data("Connections.csv")), "today": "2026-12-03"},
    )
    assert preview["ok"] is True
    applied = call(
        browser.apply_contacts_import,
        {
            "current": stored,
            "file": b64(data("Connections.csv")),
            "today": "2026-12-03",
            "picks": [{"line": 9, "id": "c-zoe"}],
            "created": "2026-12-03T09:00:00.000Z",
            "keep_url": False,
            "keep_company": False,
        },
    )
    assert applied["ok"] is True
    archive = json.loads(applied["result"]["archive"])  # type: ignore[index]
    assert archive["contacts"][-1] == {
        "id": "c-zoe",
        "kind": "contact",
        "label": "Zoé Martin",
        "created": "2026-12-03T09:00:00Z",
        "evaluations": [],
    }
    assert archive["version"] == 2  # nothing of version 3 kept: the previous release reads it


def test_entry_point_refuses_a_bad_file_with_its_message() -> None:
    answer = call(
        browser.preview_contacts_import,
        {"current": "", "file": b64(data("utf16.csv")), "today": "2026-12-03"},
    )
    assert answer == {
        "ok": False,
        "errors": [
            {"path": "", "message": "Le fichier est encodé en UTF-16, pas en UTF-8", "fix": SAVE}
        ],
    }


def test_prefill_duration_from_the_connection_day() -> None:
    def duration(
        since: date | None, contact_id: str = "c-x", questionnaire: str = "contact"
    ) -> object:
        person = Contact(id="c-x", label="X", created=CREATED, connected_on=since)
        stored = dump_archive(Archive(contacts=(person,)))
        request: dict[str, object] = {
            "current": stored,
            "contact_id": contact_id,
            "questionnaire": questionnaire,
            "today": "2026-12-03",
        }
        answer = call(browser.prefill_duration, request)
        return answer["result"]["duration"]  # type: ignore[index]

    assert duration(date(2026, 11, 28)) == "lt1m"
    assert duration(date(2026, 11, 3)) == "lt1m"  # 30 days
    assert duration(date(2026, 11, 2)) == "1to3m"
    assert duration(date(2026, 3, 1)) == "3to12m"
    assert duration(date(2021, 3, 15)) == "gt1y"
    assert duration(date(2021, 3, 15), questionnaire="donne") == "gt1y"
    assert duration(date(2021, 3, 15), questionnaire="groupe") is None  # no up_to_days there
    assert duration(None) is None  # not imported, or no date kept
    assert duration(date(2021, 3, 15), contact_id="c-other") is None  # a new contact
