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
from scoring._json import nesting_depth
from scoring.engine import score
from scoring.model import is_questionnaire, load_questionnaire, questionnaire_ids

if TYPE_CHECKING:
    from scoring.engine import Result

__all__ = ["evaluate_data", "evaluate_json"]

KEYS = ("questionnaire", "answers", "context")
# A request names each criterion once: a few kilobytes. Anything far larger or deeper is not a
# request, and deep nesting would kill Pyodide inside json.loads (see _json.nesting_depth).
MAX_REQUEST_CHARS = 65536
MAX_REQUEST_DEPTH = 4
SHAPE = '{"questionnaire": "contact", "answers": {"available": "yes"}}'


def evaluate_json(text: str, *, source: str) -> Result:
    """Parse the JSON text of a request, then evaluate it."""
    if len(text) > MAX_REQUEST_CHARS or nesting_depth(text) > MAX_REQUEST_DEPTH:
        message = "Requête trop volumineuse ou trop imbriquée pour être une évaluation"
        raise InvalidDataError(source, [AnswerError(message, fix=f"Écrivez par exemple {SHAPE}.")])
    try:
        data = json.loads(text)
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
