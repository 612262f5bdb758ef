"""Finding and reading the definitions: the shipped ones, or a site owner's files.

Shipped definitions are read through the package's loader (pkgutil.get_data) rather than a
path on disk, so they are found inside a wheel or a zip too. importlib.resources would do the
same but imports ~50 modules (pathlib, tempfile, shutil, lzma…) that Pyodide compiles at every
page load; it is used only to list the definitions, which the browser never needs.
"""

from __future__ import annotations

import pkgutil
import tomllib
from functools import cache
from typing import TYPE_CHECKING, Any, Final

from scoring._errors import InvalidDataError, ValidationError
from scoring._json import BOM, LimitError, decode_utf8, read_bytes
from scoring._parse import (
    ID_PATTERN,
    MAP_FILE,
    RULES_FILE,
    SUBJECTS_FILE,
    parse_map,
    parse_questionnaire,
    parse_rules,
    parse_subjects,
)

if TYPE_CHECKING:
    from collections.abc import Mapping, Sequence
    from pathlib import Path

    from scoring._records import Questionnaire, Rule, Subject, WinWinMap

__all__ = [
    "MAX_DEFINITION_BYTES",
    "is_questionnaire",
    "load_map",
    "load_map_file",
    "load_questionnaire",
    "load_questionnaire_file",
    "load_rules",
    "load_rules_file",
    "load_subjects",
    "load_subjects_file",
    "questionnaire_ids",
    "subject_ids",
]

# A definition takes some 10 kB; the largest shipped one is far below this.
MAX_DEFINITION_BYTES: Final = 1_000_000


def _parse_toml(text: str, *, source: str) -> dict[str, Any]:
    try:
        return tomllib.loads(text.removeprefix(BOM))
    except RecursionError:
        problem = ValidationError(
            "Invalid TOML: arrays or tables nested too deeply",
            fix="A definition nests a few levels: remove the extra brackets.",
        )
        raise InvalidDataError(source, [problem]) from None
    except tomllib.TOMLDecodeError as error:
        # tomllib's message already says "(at line 3, column 9)".
        raise InvalidDataError(
            source,
            [
                ValidationError(
                    f"Invalid TOML: {error}", fix="Correct the TOML syntax at that line."
                )
            ],
        ) from None
    except ValueError:  # an integer of more than 4 300 digits, which int() refuses
        problem = ValidationError(
            "Invalid TOML: an integer has more than 4300 digits",
            fix="Write numbers of a few digits.",
        )
        raise InvalidDataError(source, [problem]) from None


def _read_definition(name: str) -> str:
    data = pkgutil.get_data(__package__ or "scoring", f"definitions/{name}")
    if data is None:  # a loader that cannot read resources: not one of ours
        raise FileNotFoundError(name)
    return data.decode("utf-8")


@cache
def load_rules() -> tuple[Rule, ...]:
    """The rule book shipped with the package."""
    source = f"scoring/definitions/{RULES_FILE}"
    return parse_rules(_parse_toml(_read_definition(RULES_FILE), source=source), source=source)


def load_rules_file(path: str | Path) -> tuple[Rule, ...]:
    """A site owner's rule book (a ``rules.toml`` outside the package)."""
    source = str(path)
    return parse_rules(_parse_toml(_read_file(path), source=source), source=source)


@cache
def load_subjects() -> tuple[Subject, ...]:
    """What the shipped questionnaires can be about (``subjects.toml``)."""
    source = f"scoring/definitions/{SUBJECTS_FILE}"
    text = _read_definition(SUBJECTS_FILE)
    return parse_subjects(_parse_toml(text, source=source), source=source)


def load_subjects_file(path: str | Path) -> tuple[Subject, ...]:
    """A site owner's ``subjects.toml`` (its questionnaires are checked by the build)."""
    source = str(path)
    return parse_subjects(_parse_toml(_read_file(path), source=source), source=source)


def subject_ids() -> tuple[str, ...]:
    """The kinds an archived entry may have: the ids of the shipped subjects, in their order."""
    return tuple(subject.id for subject in load_subjects())


_NOT_QUESTIONNAIRES = frozenset({RULES_FILE, MAP_FILE, SUBJECTS_FILE})


def _shipped_text(qid: str) -> str | None:
    # Checking the id first keeps "../x" or "rules" from reaching the loader as a file name.
    if not ID_PATTERN.fullmatch(qid) or f"{qid}.toml" in _NOT_QUESTIONNAIRES:
        return None
    try:
        return _read_definition(f"{qid}.toml")
    except FileNotFoundError:
        return None


def is_questionnaire(qid: str) -> bool:
    """Whether ``qid`` names a shipped questionnaire (without listing the package's files)."""
    return _shipped_text(qid) is not None


@cache
def load_questionnaire(qid: str) -> Questionnaire:
    """The shipped definition ``scoring/definitions/<qid>.toml`` (cached: it is immutable)."""
    source = f"scoring/definitions/{qid}.toml"
    text = _shipped_text(qid)
    if text is None:
        known = ", ".join(repr(known) for known in questionnaire_ids())
        raise InvalidDataError(
            source,
            [ValidationError(f"Unknown questionnaire {qid!r}", fix=f"Use one of: {known}.")],
        )
    data = _parse_toml(text, source=source)
    return parse_questionnaire(
        data, source=source, rules=load_rules(), subjects=subject_ids(), expected_id=qid
    )


def questionnaire_ids() -> tuple[str, ...]:
    """Every shipped questionnaire: each ``*.toml`` in ``scoring/definitions`` but the rules."""
    from importlib import resources  # noqa: PLC0415 - heavy, see the module docstring

    folder = resources.files(__package__ or "scoring") / "definitions"
    names = (entry.name for entry in folder.iterdir() if entry.name.endswith(".toml"))
    return tuple(
        sorted(name.removesuffix(".toml") for name in names if name not in _NOT_QUESTIONNAIRES)
    )


@cache
def load_map() -> WinWinMap:
    """The win-win map shipped with the package, checked against the shipped questionnaires."""
    source = f"scoring/definitions/{MAP_FILE}"
    data = _parse_toml(_read_definition(MAP_FILE), source=source)
    # Only the questionnaires the map names: listing them all would import importlib.resources
    # in the browser (see the module docstring).
    named = (
        side.get("questionnaire")
        for side in (data.get("receive"), data.get("give"))
        if isinstance(side, dict)
    )
    questionnaires = {
        qid: load_questionnaire(qid)
        for qid in named
        if isinstance(qid, str) and is_questionnaire(qid)
    }
    return parse_map(data, source=source, rules=load_rules(), questionnaires=questionnaires)


def load_map_file(
    path: str | Path,
    *,
    rules: Sequence[Rule],
    questionnaires: Mapping[str, Questionnaire],
) -> WinWinMap:
    """A site owner's ``carte.toml``, checked against their rules and questionnaires."""
    source = str(path)
    data = _parse_toml(_read_file(path), source=source)
    return parse_map(data, source=source, rules=rules, questionnaires=questionnaires)


def load_questionnaire_file(
    path: str | Path,
    *,
    rules: Sequence[Rule] | None = None,
    subjects: Sequence[str] | None = None,
) -> Questionnaire:
    """A site owner's definition file, checked against ``rules`` and the ``subjects`` ids.

    By default the rules (the subjects) are those of the ``rules.toml`` (``subjects.toml``) next
    to the file, when there is one (a site owner edits them together), else the shipped ones.
    """
    from pathlib import Path  # noqa: PLC0415 - files are for the CLI and the build, not the browser

    path = Path(path)
    source = str(path)
    text = _read_file(path)
    data = _parse_toml(text, source=source)
    if rules is None:
        sibling = path.with_name(RULES_FILE)
        rules = load_rules_file(sibling) if sibling.is_file() else load_rules()
    if subjects is None:
        sibling = path.with_name(SUBJECTS_FILE)
        found = load_subjects_file(sibling) if sibling.is_file() else load_subjects()
        subjects = [subject.id for subject in found]
    return parse_questionnaire(
        data, source=source, rules=rules, subjects=subjects, expected_id=path.stem
    )


def _read_file(path: str | Path) -> str:
    """A definition file, through the bounded reader: a definition takes a few kilobytes, so
    more than :data:`MAX_DEFINITION_BYTES` is not one (and ``/dev/zero`` ends there)."""
    try:
        with open(path, "rb") as file:  # noqa: PTH123 - spares the browser pathlib
            return decode_utf8(read_bytes(file, MAX_DEFINITION_BYTES))
    except LimitError as error:
        size = (
            f"more than {MAX_DEFINITION_BYTES:,} bytes"
            if error.found is None
            else f"{error.found:,} bytes, at most {MAX_DEFINITION_BYTES:,}"
        )
        problem = ValidationError(
            f"File too large ({size})",
            fix="Check that this is a questionnaire definition.",
        )
        raise InvalidDataError(str(path), [problem]) from None
    except (OSError, UnicodeDecodeError) as error:
        raise InvalidDataError(str(path), [_unreadable(error)]) from None


def _unreadable(error: OSError | UnicodeDecodeError) -> ValidationError:
    if isinstance(error, UnicodeDecodeError):
        return ValidationError("File is not UTF-8 text", fix="Save the file as UTF-8.")
    if isinstance(error, FileNotFoundError):
        return ValidationError("File not found", fix="Check the file name and the folder.")
    return ValidationError(
        f"Cannot read the file ({error.strerror})", fix="Check the file name and its permissions."
    )
