"""An evaluation request, as the CLI reads it from a file and the browser gets it from JS.

    {"questionnaire": "contact", "answers": {"available": "yes"}, "context": {"duration": "lt1m"}}

``context`` is optional (or null). The request is read by the one reader of requests
(:mod:`scoring._request_reader`); every mistake is reported at once, in French, under the
``source`` the caller names (a file name, or "request"); a broken shipped definition is a
different problem and keeps its own source and English messages.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from scoring._errors import InvalidDataError
from scoring._french import NBSP, AnswerError, quote
from scoring._request_reader import Fields
from scoring.engine import score
from scoring.model import is_questionnaire, load_questionnaire, questionnaire_ids

if TYPE_CHECKING:
    from scoring._json import LimitError
    from scoring.engine import Result

__all__ = ["SHAPE", "evaluate_json", "limit_problem"]

SHAPE = '{"questionnaire": "contact", "answers": {"available": "yes"}}'
_FIX = f"Écrivez par exemple {SHAPE}."


def limit_problem(error: LimitError, *, source: str) -> InvalidDataError:
    """A file over the limits of a request, read by the CLI: in the reader's words."""
    return InvalidDataError(source, [AnswerError(error.sentence("Requête"), fix=_FIX)])


def evaluate_json(text: str, *, source: str) -> Result:
    """Read the JSON text of a request (a byte-order mark first is dropped), then evaluate it."""
    request = Fields.read(text, example=SHAPE, source=source)
    request.keys(("questionnaire", "answers"), ("context",))
    qid = request.text("questionnaire")
    if isinstance(request.get("questionnaire"), str) and not is_questionnaire(qid):
        known = ", ".join(map(quote, questionnaire_ids()))
        request.add(
            f"Questionnaire inconnu {quote(qid)}",
            "questionnaire",
            fix=f"Indiquez l’un de ces questionnaires{NBSP}: {known}.",
        )
    answers = request.record("answers", fix=_FIX)
    context = request.optional_record(
        "context", fix='Écrivez par exemple "context": {"duration": "lt1m"}, ou retirez-le.'
    )
    for record in (answers, context):
        if record is not None:
            record.keys(tuple(record.data))  # only duplicates: the engine judges the rest
    request.finalize()
    try:
        return score(
            load_questionnaire(qid), answers.data, None if context is None else context.data
        )
    except InvalidDataError as error:
        raise InvalidDataError(source, error.errors) from None
