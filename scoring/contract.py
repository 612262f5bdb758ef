"""The boundary between the pages and Python, written once: each entry point, request, answer.

The worker (``worker.js``) holds no list of its own: it passes every call to
``scoring.browser.call``, which answers only the names below and refuses any other one in
French. ``tests/test_contract.py`` checks that these names are exactly those the site's JS
asks for (``engine.request("…")``) and that the README's table says the same.

Every answer is the envelope of ``scoring.browser``: ``{"ok": true, "result": …}`` or
``{"ok": false, "errors": […]}``; ``answer`` below is what ``result`` holds. Every request is
the JSON text of one object (read by ``scoring._request_reader``); ``text`` is the stored
archive ("" or null when nothing is stored). The texts are the README's table, in French.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from scoring import browser

if TYPE_CHECKING:
    from collections.abc import Callable, Mapping


@dataclass(frozen=True, slots=True, kw_only=True)
class EntryPoint:
    """One function a page may call through the worker."""

    name: str
    call: Callable[[str], str]
    request: str  # the one string the page sends, in one line of French (README)
    answer: str  # what the envelope's ``result`` holds


ENTRY_POINTS: tuple[EntryPoint, ...] = (
    EntryPoint(
        name="evaluate",
        call=browser.evaluate,
        request='`{"questionnaire", "answers", "context"}`',
        answer="le score (ce que rend `score()`)",
    ),
    EntryPoint(
        name="network",
        call=browser.network,
        request='`{"current": text}`',
        answer="la vue d’ensemble : contacts, évaluations notées, tendance, bandes",
    ),
    EntryPoint(
        name="update",
        call=browser.update,
        request='`{"current": text, "op": "record" | "rename" | …, …}`',
        answer='`{"archive": nouveau texte}`',
    ),
    EntryPoint(
        name="import_preview",
        call=browser.import_preview,
        request='`{"current": text, "incoming": texte du fichier}`',
        answer="ce qu’un import changerait",
    ),
    EntryPoint(
        name="import_apply",
        call=browser.import_apply,
        request='`{"current", "incoming", "mode": "merge" | "replace"}`',
        answer='`{"archive": nouveau texte}`',
    ),
    EntryPoint(
        name="export_csv",
        call=browser.export_csv,
        request='`{"current": text}`',
        answer='`{"csv": le tableau}`',
    ),
    EntryPoint(
        name="preview_contacts_import",
        call=browser.preview_contacts_import,
        request='`{"current", "file": base64, "today": "AAAA-MM-JJ"}`',
        answer="les candidats du fichier, nouveaux ou déjà là",
    ),
    EntryPoint(
        name="apply_contacts_import",
        call=browser.apply_contacts_import,
        request='`{"current", "file", "today", "picks", "created", "keep_url", "keep_company"}`',
        answer='`{"archive": nouveau texte}`',
    ),
    EntryPoint(
        name="history",
        call=browser.history,
        request='`{"current": text}`',
        answer="la série de chaque contact (date, bilan, bande), le mélange par trimestre",
    ),
    EntryPoint(
        name="reviews",
        call=browser.reviews,
        request='`{"current", "today"}`',
        answer='`{"reviews": […]}` par échéance',
    ),
    EntryPoint(
        name="reviews_ics",
        call=browser.reviews_ics,
        request='`{"current", "today", "stamp"}`',
        answer='`{"ics": texte RFC 5545, "events": n}`',
    ),
    EntryPoint(
        name="prefill_duration",
        call=browser.prefill_duration,
        request='`{"current", "contact_id", "questionnaire", "today"}`',
        answer='`{"duration": …}`',
    ),
)

BY_NAME: Mapping[str, EntryPoint] = {point.name: point for point in ENTRY_POINTS}
