"""An evaluation request, as the CLI reads it from a file and the browser gets it from JS.

    {"questionnaire": "contact", "answers": {"available": "yes"}, "context": {"duration": "lt1m"}}

``context`` is optional (or null). Every mistake is reported at once, in French, under the
``source`` the caller names (a file name, or "request"); a broken shipped definition is a
different problem and keeps its own source and English messages.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from typing import TYPE_CHECKING

from scoring._errors import InvalidDataError
from scoring._french import NBSP, AnswerError, quote, shown
from scoring._json import LimitError, Limits, loads
from scoring.engine import score
from scoring.model import is_questionnaire, load_questionnaire, questionnaire_ids

if TYPE_CHECKING:
    from scoring.engine import Result

__all__ = ["REQUEST_LIMITS", "evaluate_data", "evaluate_json", "limit_problem"]

KEYS = ("questionnaire", "answers", "context")
# A request names each criterion once: a few kilobytes. Anything far larger or deeper is not a
# request, and deep nesting would kill Pyodide inside json.loads (see scoring._json). The CLI
# reads an answers file within the same limits.
REQUEST_LIMITS = Limits(max_bytes=64_000, max_depth=4)
SHAPE = '{"questionnaire": "contact", "answers": {"available": "yes"}}'


def limit_problem(error: LimitError, *, source: str) -> InvalidDataError:
    """A request over its limits: « Requête trop volumineuse (70,0 ko, au plus 64 ko) »."""
    fix = f"Écrivez par exemple {SHAPE}."
    return InvalidDataError(source, [AnswerError(error.sentence("Requête"), fix=fix)])


def evaluate_json(text: str, *, source: str) -> Result:
    """Parse the JSON text of a request (a byte-order mark first is dropped), then evaluate it."""
    try:
        data = loads(text, REQUEST_LIMITS)
    except LimitError as error:
        raise limit_problem(error, source=source) from None
    except json.JSONDecodeError as error:
        # The position helps whoever wrote the file; json's English reason would not.
        raise InvalidDataError(
            source,
            [
                AnswerError(
                    f"JSON invalide (ligne {error.lineno}, colonne {error.colno})",
                    fix="Vérifiez les guillemets doubles, les virgules et les accolades.",
                )
            ],
        ) from None
    return evaluate_data(data, source=source)


def evaluate_data(data: object, *, source: str) -> Result:
    """Evaluate decoded JSON data of a request."""
    if not isinstance(data, Mapping):
        raise InvalidDataError(
            source,
            [
                AnswerError(
                    "La requête doit être un objet JSON", fix=f"Écrivez par exemple {SHAPE}."
                )
            ],
        )
    errors = [
        AnswerError(
            f"Clé inconnue {quote(str(key))}",
            str(key),
            fix=f"Retirez cette clé{NBSP}: seules {', '.join(map(quote, KEYS))} sont lues.",
        )
        for key in data
        if key not in KEYS
    ]
    qid = data.get("questionnaire")
    questionnaire = None
    if not isinstance(qid, str) or not is_questionnaire(qid):
        known = ", ".join(map(quote, questionnaire_ids()))
        message = "Questionnaire manquant" if qid is None else f"Questionnaire inconnu {shown(qid)}"
        errors.append(
            AnswerError(
                message, "questionnaire", fix=f"Indiquez l’un de ces questionnaires{NBSP}: {known}."
            )
        )
    else:
        questionnaire = load_questionnaire(qid)
    answers = data.get("answers")
    if not isinstance(answers, Mapping):
        message = (
            "Réponses manquantes" if answers is None else "Les réponses doivent être un objet JSON"
        )
        errors.append(AnswerError(message, "answers", fix=f"Écrivez par exemple {SHAPE}."))
    context = data.get("context")
    if context is not None and not isinstance(context, Mapping):
        errors.append(
            AnswerError(
                "Le contexte doit être un objet JSON",
                "context",
                fix='Écrivez par exemple "context": {"duration": "lt1m"}, ou retirez-le.',
            )
        )
    if errors or questionnaire is None or not isinstance(answers, Mapping):
        raise InvalidDataError(source, errors)
    try:
        return score(questionnaire, answers, context)
    except InvalidDataError as error:
        raise InvalidDataError(source, error.errors) from None
