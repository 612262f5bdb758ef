"""``python -m scoring``: show a questionnaire, evaluate an answers file, check a file.

Other tools rely on this contract: JSON on stdout (sorted keys, UTF-8 characters kept,
two-space indent); on bad input, exit status 2 and one ``FILE: message`` line per problem on
stderr, never a traceback. Messages about definitions are in English (their authors read
them), messages about answers in French (the same ones the visitor sees in the browser).
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path
from typing import TYPE_CHECKING, Any, TextIO

from scoring._errors import InvalidDataError
from scoring._json import LimitError, Limits, decode_utf8, loads, read_bytes
from scoring._request import evaluate_json, limit_problem
from scoring._request_reader import REQUEST_LIMITS
from scoring._text import describe_questionnaire, describe_result
from scoring.model import (
    MAP_FILE,
    RULES_FILE,
    SUBJECTS_FILE,
    check_subject_questionnaires,
    load_map_file,
    load_questionnaire,
    load_questionnaire_file,
    load_rules,
    load_rules_file,
    load_subjects_file,
)

if TYPE_CHECKING:
    from collections.abc import Sequence

    from scoring.model import Questionnaire, Rule

__all__ = ["main"]

OK, BAD_INPUT = 0, 2
STDIN = "-"
# Enough to tell an archive from an answers file; each is then read within its own limits.
_SNIFF_LIMITS = Limits(max_bytes=2_000_000, max_depth=20)


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="python -m scoring", description="Le crible : questionnaires et verdicts."
    )
    commands = parser.add_subparsers(dest="command", required=True)
    show = commands.add_parser("show", help="print a questionnaire definition")
    show.add_argument("questionnaire", help="questionnaire id, e.g. contact")
    show.add_argument("--format", choices=("json", "text"), default="text")
    evaluate = commands.add_parser("evaluate", help="score an answers file (JSON; - for stdin)")
    evaluate.add_argument("file")
    evaluate.add_argument("--format", choices=("json", "text"), default="text")
    check = commands.add_parser("check", help="validate a definition (TOML) or an archive (JSON)")
    check.add_argument("file")
    return parser


def _dump(data: Any) -> str:  # noqa: ANN401 - any JSON-ready data
    return json.dumps(data, ensure_ascii=False, indent=2, sort_keys=True)


class _BadInputError(Exception):
    """A problem already worded for stderr: its lines are printed, nothing else."""

    def __init__(self, lines: Sequence[str]) -> None:
        super().__init__("\n".join(lines))
        self.lines = list(lines)


def _read(file: str, limit: int) -> str:
    """The text of ``file`` (``-``: standard input), read through the bounded reader: at most
    ``limit`` bytes (``/dev/zero`` ends there), UTF-8, a byte-order mark dropped. Raises
    ``LimitError`` for the caller to word."""
    try:
        if file == STDIN:
            data = read_bytes(sys.stdin.buffer, limit)
        else:
            with Path(file).open("rb") as stream:
                data = read_bytes(stream, limit)
        return decode_utf8(data)
    except FileNotFoundError:
        raise _BadInputError([f"{file}: File not found"]) from None
    except UnicodeDecodeError as error:
        where = f" (invalid byte at position {error.start + 1})"
        raise _BadInputError([f"{file}: File is not UTF-8 text{where}"]) from None
    except OSError as error:
        raise _BadInputError([f"{file}: Cannot read the file ({error.strerror})"]) from None


def _show(qid: str, fmt: str) -> str:
    questionnaire = load_questionnaire(qid)
    return (
        _dump(questionnaire.to_dict()) if fmt == "json" else describe_questionnaire(questionnaire)
    )


def _evaluate(file: str, fmt: str) -> str:
    name = "<stdin>" if file == STDIN else file
    try:
        text = _read(file, REQUEST_LIMITS.max_bytes)
    except LimitError as error:
        raise limit_problem(error, source=name) from None
    result = evaluate_json(text, source=name)
    if fmt == "json":
        return _dump(result.to_dict())
    return describe_result(load_questionnaire(result.questionnaire), result)


def _check(file: str) -> str:
    path = Path(file)
    if path.suffix.lower() == ".json":  # FILE.JSON too: the kind is not case-sensitive
        # Only this command needs the archive module.
        from scoring.archive import MAX_ARCHIVE_BYTES, limit_problem  # noqa: PLC0415

        try:
            text = _read(file, MAX_ARCHIVE_BYTES)
        except LimitError as error:
            raise InvalidDataError(file, limit_problem(error).errors) from None
        _check_json(file, text)
    elif path.name == RULES_FILE:
        load_rules_file(path)
    elif path.name == MAP_FILE:
        _check_map(path)
    elif path.name == SUBJECTS_FILE:
        _check_subjects(path)
    else:
        load_questionnaire_file(path)
    return f"OK: {file}"


def _folder_questionnaires(path: Path) -> tuple[tuple[Rule, ...], dict[str, Questionnaire]]:
    """The rules and the questionnaires of the folder of ``path`` (a map, the subjects)."""
    rules_file = path.with_name(RULES_FILE)
    rules = load_rules_file(rules_file) if rules_file.is_file() else load_rules()
    questionnaires = {
        q.id: q
        for q in (
            load_questionnaire_file(sibling, rules=rules)
            for sibling in sorted(path.parent.glob("*.toml"))
            if sibling.name not in {RULES_FILE, MAP_FILE, SUBJECTS_FILE}
        )
    }
    return rules, questionnaires


def _check_map(path: Path) -> None:
    """The win-win map, against the rules and questionnaires of its own folder."""
    rules, questionnaires = _folder_questionnaires(path)
    load_map_file(path, rules=rules, questionnaires=questionnaires)


def _check_subjects(path: Path) -> None:
    """The subjects, then the questionnaires of their folder that they name."""
    subjects = load_subjects_file(path)
    _, questionnaires = _folder_questionnaires(path)
    check_subject_questionnaires(subjects, questionnaires, source=str(path))


def _check_json(file: str, text: str) -> None:
    """An archive (``"format": "crible-archive"``) or else an answers file."""
    from scoring.archive import ARCHIVE_FORMAT, parse_archive  # noqa: PLC0415 - only here

    try:
        data = loads(text, _SNIFF_LIMITS)
        archive = isinstance(data, dict) and data.get("format") == ARCHIVE_FORMAT
    except LimitError:  # too large or deep to tell: an archive if it says so
        archive = f'"{ARCHIVE_FORMAT}"' in text
    except ValueError:
        archive = False  # not JSON: let evaluate_json word the error
    if not archive:
        evaluate_json(text, source=file)
        return

    try:
        parse_archive(text)
    except InvalidDataError as error:  # named "archive" there; here, by the file checked
        raise InvalidDataError(file, error.errors) from None


def _say(stream: TextIO, *lines: str) -> None:
    # The CLI's output is its product, not a debugging print.
    stream.writelines(line + "\n" for line in lines)


def main(argv: Sequence[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    try:
        if args.command == "show":
            output = _show(args.questionnaire, args.format)
        elif args.command == "evaluate":
            output = _evaluate(args.file, args.format)
        else:
            output = _check(args.file)
    except _BadInputError as error:
        _say(sys.stderr, *error.lines)
        return BAD_INPUT
    except InvalidDataError as error:
        _say(sys.stderr, str(error))
        return BAD_INPUT
    _say(sys.stdout, output)
    return OK


if __name__ == "__main__":
    sys.exit(main())
