"""The iCalendar export of the next reviews (scoring.ical), read back by the icalendar library
(a test dependency only: the site never ships it)."""

from __future__ import annotations

import json
from datetime import UTC, date, datetime

import icalendar
from test_history import ARCHIVE

from scoring import browser
from scoring.archive import Archive, Contact, dump_archive
from scoring.ical import PRODID, calendar, escape_text, fold
from scoring.reviews import Review, due_reviews

STAMP = datetime(2026, 12, 3, 9, 30, 15, tzinfo=UTC)


def events(text: str) -> list[icalendar.Event]:
    parsed = icalendar.Calendar.from_ical(text)
    assert parsed["VERSION"] == "2.0"
    assert parsed["PRODID"] == PRODID
    return [e for e in parsed.walk("VEVENT") if isinstance(e, icalendar.Event)]


def test_one_event_per_due_review_and_nothing_else_of_the_visitor() -> None:
    text = calendar(due_reviews(ARCHIVE), stamp=STAMP)
    found = events(text)
    assert [(str(e["SUMMARY"]), e.start, e.uid) for e in found] == [
        ("Revoir Bob", date(2026, 5, 11), "c-bob-20260511@crible"),
        ("Revoir le groupe Club", date(2026, 8, 30), "g-club-20260830@crible"),
        ("Revoir Zoé", date(2026, 11, 30), "c-new-20261130@crible"),
        ("Revoir Ada", date(2027, 3, 19), "c-ada-20270319@crible"),
    ]
    assert all(e.DTSTAMP == STAMP for e in found)
    assert all(set(e.keys()) == {"UID", "DTSTAMP", "DTSTART", "SUMMARY", "TRANSP"} for e in found)
    # No verdict, no answer, no date of connection in the file.
    for secret in ("cultiver", "entretenir", "À cultiver", "2021", "available"):
        assert secret not in text


def test_the_text_is_rfc_5545_crlf_folded_and_escaped() -> None:
    label = "Dupont, Jean; dit \\« Jeannot »\\ — " + "é" * 40
    review = Review(contact_id="c-x", kind="contact", label=label, due=date(2027, 1, 2), last=None)
    text = calendar([review], stamp=STAMP)
    assert text.endswith("END:VCALENDAR\r\n")
    assert "\n" not in text.replace("\r\n", "")
    for line in text.split("\r\n"):
        assert len(line.encode("utf-8")) <= 75
    (event,) = events(text)
    assert str(event["SUMMARY"]) == f"Revoir {label}"
    assert "DTSTART;VALUE=DATE:20270102\r\n" in text


def test_escape_and_fold() -> None:
    assert escape_text("a,b;c\\d\ne") == "a\\,b\\;c\\\\d\\ne"
    assert fold("x" * 75) == "x" * 75
    assert fold("x" * 76) == "x" * 75 + "\r\n x"
    folded = fold("SUMMARY:" + "é" * 40)
    assert [len(part.encode()) for part in folded.split("\r\n")] == [74, 15]
    # A continuation never splits a two-octet character.
    assert folded.split("\r\n")[1] == " " + "é" * 7


def test_an_empty_network_is_a_valid_empty_calendar() -> None:
    assert events(calendar(due_reviews(Archive()), stamp=STAMP)) == []


def test_the_entry_point() -> None:
    request = {
        "current": dump_archive(ARCHIVE),
        "today": "2026-12-03",
        "stamp": "2026-12-03T09:30:15.000Z",
    }
    answer = json.loads(browser.reviews_ics(json.dumps(request)))
    assert answer["ok"] is True
    assert answer["result"]["events"] == 4
    assert len(events(answer["result"]["ics"])) == 4
    # The self-assessment has its own words.
    self_entry = Contact(id="s-moi", kind="soi", label="Moi", created=STAMP)
    review = Review(
        contact_id=self_entry.id, kind="soi", label="Moi", due=date(2027, 1, 1), last=None
    )
    (event,) = events(calendar([review], stamp=STAMP))
    assert str(event["SUMMARY"]) == "Refaire le point sur votre apport au réseau"
