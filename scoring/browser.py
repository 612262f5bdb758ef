"""The only functions JavaScript calls (from the Pyodide worker): JSON text in, JSON text out.

No PyProxy crosses the boundary, and nothing is raised across it: every answer is either
``{"ok": true, "result": …}`` or
``{"ok": false, "errors": [{"path", "message", "fix"[, "where"][, "code"][, "detail"]}, …]}``
(``code``: see ``ValidationError.code``, e.g. ``"newer-version"``). ``message`` and ``fix``
are French sentences (typeset where they are written); ``where`` names the contact and the
evaluation in French (« Contact « Alice », évaluation du 3 décembre 2026 », see
``scoring._where``) when it can;
``path`` is for the page's « Détails » disclosure only.
An unexpected exception becomes one French error without a traceback (the visitor could do
nothing with one, and it could carry their answers); its Python type, English, is ``detail``.

The worker calls ``call(name, text)`` only: ``name`` one of the entry points listed, with
their request and answer, in ``scoring.contract`` (and the README); any other name is refused
with a French error in the same envelope. Mon réseau's functions import ``scoring.network`` or
``scoring.network_requests`` on first use (``text`` is the stored archive, "" or "null" when
nothing is stored; ``file`` a chosen file's bytes in base64, ``today`` the visitor's day
``AAAA-MM-JJ``).
"""

from __future__ import annotations

import json
from typing import TYPE_CHECKING, Any

from scoring._errors import InvalidDataError, ValidationError
from scoring._french import NBSP, NNBSP, AnswerError
from scoring._request import evaluate_json
from scoring._where import locator, parsed
from scoring.model import load_questionnaire

if TYPE_CHECKING:
    from collections.abc import Callable

# The worker calls ``call`` only; the entry points are listed once, in ``scoring.contract``
# (no ``__all__`` here: it would be that list again). ``describe`` and ``validate_archive`` are
# no entry point (no page asks for them): Python API for the build's stdlib probe
# (overrides/hooks/stdlib_probe.py) and the tests.

# How long a refused name may be in its message (it is whatever a page sent).
_NAME_SHOWN = 40


def call(name: str, argument: str) -> str:
    """The worker's one way in: the entry point ``name`` of the contract, or a French refusal."""
    from scoring.contract import BY_NAME  # noqa: PLC0415 - the contract imports this module

    point = BY_NAME.get(name)
    if point is None:
        return _respond(lambda: _unknown(name))
    return point.call(argument)


def _unknown(name: str) -> None:
    shown = name if len(name) <= _NAME_SHOWN else name[:_NAME_SHOWN] + "…"
    message = f"Le moteur de calcul ne connaît pas l’appel «{NNBSP}{shown}{NNBSP}»"
    fix = f"Rechargez la page{NNBSP}; si le problème revient, signalez-le."
    raise ValidationError(message, fix=fix)


def evaluate(request_json: str) -> str:
    return _respond(lambda: evaluate_json(request_json, source="request").to_dict())


def describe(questionnaire_id: str) -> str:
    return _respond(lambda: load_questionnaire(questionnaire_id).to_dict())


def validate_archive(text: str) -> str:
    def run() -> dict[str, object]:
        # Imported on first use (inside _respond, like everything that could fail): a page
        # that only scores never pays for the archive module.
        from scoring.archive import parse_archive  # noqa: PLC0415

        return parse_archive(text).to_dict()

    return _respond(run)


# Mon réseau. Each function imports scoring.network on first use, inside _respond: a page that
# only scores never pays for it.


def network(text: str) -> str:
    def run() -> object:
        from scoring.network import read_stored  # noqa: PLC0415
        from scoring.overview import summarize  # noqa: PLC0415

        return summarize(read_stored(_stored_text(text))).to_dict()

    return _respond(run, locator(text))


def update(request: str) -> str:
    def run() -> dict[str, str]:
        from scoring.network import update  # noqa: PLC0415

        return update(request)

    return _respond(run, _request_locator(request, incoming=False))


def import_preview(request: str) -> str:
    def run() -> dict[str, object]:
        from scoring.network import import_preview  # noqa: PLC0415

        return import_preview(request)

    return _respond(run, _request_locator(request, incoming=True))


def import_apply(request: str) -> str:
    def run() -> dict[str, str]:
        from scoring.network import import_apply  # noqa: PLC0415

        return import_apply(request)

    return _respond(run, _request_locator(request, incoming=True))


def export_csv(text: str) -> str:
    def run() -> dict[str, str]:
        from scoring.network import read_stored  # noqa: PLC0415
        from scoring.spreadsheet import export_csv  # noqa: PLC0415

        return {"csv": export_csv(read_stored(_stored_text(text)))}

    return _respond(run)


# Import of contacts, history and reviews: scoring.network_requests, imported on first use.


def _requested(name: str, argument: object) -> str:
    def run() -> object:
        import scoring.network_requests as requests  # noqa: PLC0415

        if name == "history":
            return requests.history(_stored_text(argument))
        function: Callable[[str], object] = getattr(requests, name)
        return function(argument)  # type: ignore[arg-type] # a JSON text; checked there

    return _respond(run)


def preview_contacts_import(request: str) -> str:
    return _requested("preview_contacts_import", request)


def apply_contacts_import(request: str) -> str:
    return _requested("apply_contacts_import", request)


def history(text: str) -> str:
    return _requested("history", text)


def reviews(request: str) -> str:
    return _requested("reviews", request)


def reviews_ics(request: str) -> str:
    return _requested("reviews_ics", request)


def prefill_duration(request: str) -> str:
    return _requested("prefill_duration", request)


def _stored_text(text: object) -> str | None:
    """The stored archive as JavaScript passed it: text, or null when nothing is stored."""
    if text is None or isinstance(text, str):
        return text
    message = f"Type inattendu{NBSP}: {type(text).__name__} (attendu{NBSP}: texte)"
    raise AnswerError(message)


def _request_locator(request: object, *, incoming: bool) -> Callable[[str], str]:
    """Where the errors of a JSON request are: in the stored archive ("current…", a text
    inside the request) or, for an import, in the file (its errors carry the file's paths).
    Decoded only if an error names a path, i.e. once the request passed its own checks, and
    then once."""
    places: dict[str, Callable[[str], str]] = {}

    def where(path: str) -> str:
        key = "current" if path.startswith("current") else "incoming"
        if key == "incoming" and not incoming:
            return ""
        if not places:
            data = parsed(request)
            fields = data if isinstance(data, dict) else {}
            places["current"] = locator(fields.get("current"), "current")
            places["incoming"] = locator(fields.get("incoming"))
        return places[key](path)

    return where


def _error(error: ValidationError, where: Callable[[str], str]) -> dict[str, str]:
    answer = {"path": error.path, "message": error.message, "fix": error.fix}
    place = where(error.path) if error.path else ""
    if place:  # only when the path is under a contact of a document at hand
        answer["where"] = place
    if error.code:  # only the conditions a page acts on (see ValidationError.code)
        answer["code"] = error.code
    return answer


def _nowhere(path: str) -> str:  # noqa: ARG001 - a locator that knows no document
    return ""


def _respond(compute: Callable[[], Any], where: Callable[[str], str] = _nowhere) -> str:
    try:
        response = {"ok": True, "result": compute()}
    except InvalidDataError as group:
        response = {"ok": False, "errors": [_error(error, where) for error in group.errors]}
    except ValidationError as error:
        response = {"ok": False, "errors": [_error(error, where)]}
    except Exception as error:  # noqa: BLE001 - the boundary must answer, whatever happened
        internal = ValidationError(
            "Le moteur de calcul a rencontré une erreur interne",
            fix=f"Rechargez la page{NNBSP}; si le problème revient, signalez-le.",
        )
        answer = _error(internal, where)
        answer["detail"] = type(error).__name__  # English: for the « Détails » disclosure
        response = {"ok": False, "errors": [answer]}
    return json.dumps(response, ensure_ascii=False)
