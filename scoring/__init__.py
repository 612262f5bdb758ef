"""Le crible: questionnaire definitions, their validation, and the verdict, in pure Python.

The same code runs in CPython (the CLI, the build hooks, the tests) and in the visitor's
browser under Pyodide, where JavaScript calls only ``scoring.browser``.
"""

from __future__ import annotations

from scoring._errors import ErrorCollector, InvalidDataError, ValidationError
from scoring._french import AnswerError, typeset
from scoring.engine import ContradictionResult, DimensionResult, Result, RuleResult, score
from scoring.model import (
    AnswerLabels,
    Band,
    Context,
    Contradiction,
    Dimension,
    Duration,
    Item,
    Questionnaire,
    Rule,
    is_questionnaire,
    load_questionnaire,
    load_questionnaire_file,
    load_rules,
    load_rules_file,
    parse_questionnaire,
    parse_rules,
    questionnaire_ids,
)

__all__ = [
    "AnswerError",
    "AnswerLabels",
    "Band",
    "Context",
    "Contradiction",
    "ContradictionResult",
    "Dimension",
    "DimensionResult",
    "Duration",
    "ErrorCollector",
    "InvalidDataError",
    "Item",
    "Questionnaire",
    "Result",
    "Rule",
    "RuleResult",
    "ValidationError",
    "__version__",
    "is_questionnaire",
    "load_questionnaire",
    "load_questionnaire_file",
    "load_rules",
    "load_rules_file",
    "parse_questionnaire",
    "parse_rules",
    "questionnaire_ids",
    "score",
    "typeset",
]


def __getattr__(name: str) -> str:
    # Computed on first use: importlib.metadata pulls in email, zipfile, csv… which Pyodide
    # would compile at every page load, for a string the browser never reads.
    if name == "__version__":
        from importlib.metadata import PackageNotFoundError, version  # noqa: PLC0415

        try:
            return version("crible-scoring")
        except PackageNotFoundError:  # run from a source tree that was never installed
            return "0.0.0+unknown"
    raise AttributeError(f"module 'scoring' has no attribute {name!r}")
