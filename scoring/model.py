"""The questionnaire model: records, their parsing from TOML, and the loading of definitions.

One definition (``scoring/definitions/<id>.toml``) is the single source of the HTML form, the
infographic, the scoring and the archive validation. The work is split in three private
modules, each small: ``_records`` (the frozen dataclasses), ``_parse`` (validation that names
the key path and the fix of every mistake, all at once) and ``_load`` (shipped files, read
from inside a wheel too, and a site owner's files). This module is their one public face.
"""

from __future__ import annotations

from scoring._load import (
    is_questionnaire,
    load_map,
    load_map_file,
    load_questionnaire,
    load_questionnaire_file,
    load_rules,
    load_rules_file,
    load_subjects,
    load_subjects_file,
    questionnaire_ids,
    subject_ids,
)
from scoring._parse import (
    FORMAT,
    ID_PATTERN,
    MAP_FILE,
    RULES_FILE,
    SUBJECTS_FILE,
    TONES,
    check_subject_questionnaires,
    parse_map,
    parse_questionnaire,
    parse_rules,
    parse_subjects,
)
from scoring._records import (
    AnswerLabels,
    Band,
    Context,
    Contradiction,
    Dimension,
    Duration,
    Item,
    MapSide,
    Quadrant,
    Questionnaire,
    Rule,
    Sign,
    Subject,
    SubjectForm,
    WinWinMap,
)

__all__ = [
    "FORMAT",
    "ID_PATTERN",
    "MAP_FILE",
    "RULES_FILE",
    "SUBJECTS_FILE",
    "TONES",
    "AnswerLabels",
    "Band",
    "Context",
    "Contradiction",
    "Dimension",
    "Duration",
    "Item",
    "MapSide",
    "Quadrant",
    "Questionnaire",
    "Rule",
    "Sign",
    "Subject",
    "SubjectForm",
    "WinWinMap",
    "check_subject_questionnaires",
    "is_questionnaire",
    "load_map",
    "load_map_file",
    "load_questionnaire",
    "load_questionnaire_file",
    "load_rules",
    "load_rules_file",
    "load_subjects",
    "load_subjects_file",
    "parse_map",
    "parse_questionnaire",
    "parse_rules",
    "parse_subjects",
    "questionnaire_ids",
    "subject_ids",
]
