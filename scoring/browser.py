"""The only functions JavaScript calls (from the Pyodide worker): JSON text in, JSON text out.

No PyProxy crosses the boundary, and nothing is raised across it: every answer is either
``{"ok": true, "result": …}`` or ``{"ok": false, "errors": [{"path", "message", "fix"}, …]}``.
An unexpected exception becomes one error, "Erreur interne : <type>", without a traceback
(the visitor could do nothing with one, and it could carry their answers).

    evaluate('{"questionnaire": "contact", "answers": {…}, "context": {…}}')  → result of score()
    describe("contact")        → the definition, as ``python -m scoring show --format json``
    validate_archive(text)     → the archive, as ``scoring.archive`` reads it
"""

from __future__ import annotations

import json
from typing import TYPE_CHECKING, Any

from scoring._errors import InvalidDataError, ValidationError
from scoring._french import NBSP, NNBSP
from scoring._request import evaluate_json
from scoring.model import load_questionnaire

if TYPE_CHECKING:
    from collections.abc import Callable

__all__ = ["describe", "evaluate", "validate_archive"]


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


def _error(error: ValidationError) -> dict[str, str]:
    return {"path": error.path, "message": error.message, "fix": error.fix}


def _respond(compute: Callable[[], Any]) -> str:
    try:
        response = {"ok": True, "result": compute()}
    except InvalidDataError as group:
        response = {"ok": False, "errors": [_error(error) for error in group.errors]}
    except ValidationError as error:
        response = {"ok": False, "errors": [_error(error)]}
    except Exception as error:  # noqa: BLE001 - the boundary must answer, whatever happened
        internal = ValidationError(
            f"Erreur interne{NBSP}: {type(error).__name__}",
            fix=f"Rechargez la page{NNBSP}; si l’erreur revient, signalez-la.",
        )
        response = {"ok": False, "errors": [_error(internal)]}
    return json.dumps(response, ensure_ascii=False)
