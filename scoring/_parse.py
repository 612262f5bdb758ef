"""Parsing the TOML definitions into the model, with every mistake reported at once.

A mistake in a definition must stop the build with every problem listed in one pass, each
located by its key path (``Unknown dimension 'foo' in 'items[4].dimension'``) and followed by
its fix. The messages are in English: site owners and developers read them, not visitors.
"""

from __future__ import annotations

import itertools
import re
from typing import TYPE_CHECKING

from scoring._errors import ErrorCollector, ValidationError
from scoring._reader import Table
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

if TYPE_CHECKING:
    from collections.abc import Mapping, Sequence

    from scoring._reader import Check

__all__ = [
    "FORMAT",
    "ID_PATTERN",
    "MAP_FILE",
    "RULES_FILE",
    "SUBJECTS_FILE",
    "TONES",
    "check_subject_questionnaires",
    "parse_map",
    "parse_questionnaire",
    "parse_rules",
    "parse_subjects",
]

FORMAT = 1  # the only definition format this version reads
RULES_FILE = "rules.toml"
MAP_FILE = "carte.toml"  # the win-win map of "Mon réseau"
# What a questionnaire is about (a person, a group, the visitor): an archived evaluation must be
# about the same kind of entry, so that "Mon réseau" never mixes them up.
SUBJECTS_FILE = "subjects.toml"
ID_PATTERN = re.compile(r"[a-z0-9]+(-[a-z0-9]+)*")  # ids end up in URLs, HTML and archives


# --- Checks shared by several records -------------------------------------------------------


def _format_check(value: int) -> tuple[str, str] | None:
    if value == FORMAT:
        return None
    return (
        f"Unsupported format {value} (expected {FORMAT})",
        f"Write format = {FORMAT}, the only format this version of scoring reads.",
    )


def _id_check(example: str) -> Check[str]:
    def check(value: str) -> tuple[str, str] | None:
        if ID_PATTERN.fullmatch(value):
            return None
        return (
            f"Invalid id {value!r} (expected lowercase letters and digits, in words joined by "
            "single hyphens)",
            f"Write an id such as {example}: no capitals, accents, spaces or underscores.",
        )

    return check


def _known(kind: str, choices: Sequence[str], where: str) -> Check[str]:
    def check(value: str) -> tuple[str, str] | None:
        if value in choices:
            return None
        names = ", ".join(repr(choice) for choice in choices) or "none yet"
        return (f"Unknown {kind} {value!r}", f"Use one of the {kind} ids {where}: {names}.")

    return check


def _rule_check(rules: Sequence[Rule]) -> Check[int]:
    numbers = [rule.number for rule in rules]

    def check(value: int) -> tuple[str, str] | None:
        if value in numbers:
            return None
        known = ", ".join(map(str, numbers))
        return (f"Unknown rule {value}", f"Use a rule number defined in {RULES_FILE}: {known}.")

    return check


def _duplicates(tables: Sequence[Table], values: Sequence[object], *, key: str, what: str) -> None:
    """Report every repeat of a value (skipping placeholders), where the repeat is."""
    first: dict[object, Table] = {}
    for table, value in zip(tables, values, strict=True):
        if value in ("", None):
            continue
        if value in first:
            table.error(
                key,
                f"Duplicate {what} {key} {value!r}",
                f"Change this {key}: {first[value].path} already uses {value!r}.",
            )
        else:
            first[value] = table


# --- Rules ----------------------------------------------------------------------------------


def parse_rules(data: Mapping[str, object], *, source: str) -> tuple[Rule, ...]:
    """The rule book (``rules.toml``); raises InvalidDataError listing every mistake."""
    errors = ErrorCollector()
    root = Table(data, "", errors, what="file", keys=("format", "rules"))
    root.integer("format", f"format = {FORMAT}", check=_format_check)
    tables = root.tables(
        "rules", "[[rules]] with number = 1", what="rule", keys=("number", "title", "principle")
    )
    rules = [
        Rule(
            number=table.integer("number", "number = 1", check=_positive("number", "number = 1")),
            title=table.prose("title", 'title = "Faites savoir ce que vous maîtrisez"'),
            principle=table.prose("principle", 'principle = "Une phrase qui résume la règle."'),
        )
        for table in tables
    ]
    _duplicates(tables, [rule.number or None for rule in rules], key="number", what="rule")
    errors.finalize(source)
    return tuple(rules)


def _positive(key: str, example: str) -> Check[int]:
    def check(value: int) -> tuple[str, str] | None:
        if value >= 1:
            return None
        return (
            f"Invalid {key} {value} (expected 1 or more)",
            f"Write a whole number of at least 1, for example {example}.",
        )

    return check


# --- Questionnaire --------------------------------------------------------------------------

_ROOT_KEYS = (
    "format", "id", "title", "subject", "time_question", "intro", "min_coverage",
    "answers", "context", "dimensions", "items", "bands", "contradictions",
)  # fmt: skip
_ITEM_KEYS = ("id", "sign", "label", "question", "dimension", "rules", "weight")
_BAND_KEYS = ("id", "label", "min_score", "advice", "rules", "tone", "review_after_days")
# Ten years: a cadence beyond it is a typo (days written as hours, or a year as days).
MAX_REVIEW_DAYS = 3650
# How a verdict looks (colour and icon of its badge), from the most to the least favourable;
# the page never relies on the colour alone: the label and the icon say the same.
TONES = ("good", "fair", "warn", "bad")


def parse_questionnaire(
    data: Mapping[str, object],
    *,
    source: str,
    rules: Sequence[Rule],
    subjects: Sequence[str] | None = None,
    expected_id: str | None = None,
) -> Questionnaire:
    """Build a questionnaire from its TOML data; raise InvalidDataError listing every mistake.

    ``rules`` is the rule book that ``rules`` numbers must exist in; ``subjects`` the subject
    ids that ``subject`` must be one of (by default the shipped ``subjects.toml``'s);
    ``expected_id`` (the file's stem) keeps file names and ids in step, since pages and
    archives find a definition by id.
    """
    if subjects is None:
        from scoring._load import subject_ids  # noqa: PLC0415 - _load imports this module

        subjects = subject_ids()
    errors = ErrorCollector()
    root = Table(data, "", errors, what="file", keys=_ROOT_KEYS)

    def id_matches_file(value: str) -> tuple[str, str] | None:
        if expected_id is None or value == expected_id:
            return _id_check('id = "contact"')(value)
        return (
            f"Id {value!r} does not match the file name {expected_id + '.toml'!r}",
            f'Write id = "{expected_id}", or rename the file to {value}.toml.',
        )

    def coverage_range(value: float) -> tuple[str, str] | None:
        if 0 <= value <= 1:
            return None
        return (
            f"Invalid min_coverage {value} (expected a number from 0 to 1)",
            "Write the share of criteria that must be answered, for example min_coverage = 0.5.",
        )

    fmt = root.integer("format", f"format = {FORMAT}", check=_format_check)
    qid = root.text("id", 'id = "contact"', check=id_matches_file)
    title = root.prose("title", 'title = "Que m\'apporte ce contact ?"')
    subject = root.text(
        "subject", 'subject = "contact"', check=_known("subject", subjects, f"of {SUBJECTS_FILE}")
    )
    time_question = root.prose(
        "time_question",
        'time_question = "Combien d\'heures par mois consacrez-vous à ce groupe ?"',
        required=False,
    )
    intro = root.prose("intro", 'intro = "Pensez à une personne précise de votre réseau."')
    min_coverage = root.number("min_coverage", "min_coverage = 0.5", check=coverage_range)
    labels = root.table(
        "answers", "an [answers] table", what="table", keys=("yes", "no", "unknown")
    )
    answers = AnswerLabels(
        yes=labels.prose("yes", 'yes = "Oui"'),
        no=labels.prose("no", 'no = "Non"'),
        unknown=labels.prose("unknown", 'unknown = "Je ne sais pas"'),
    )
    context = _parse_context(root)
    dimensions, dimension_tables = _parse_dimensions(root)
    before_items = len(errors.errors)
    items = _parse_items(root, dimensions, rules)
    # Score bounds computed from placeholders would make the band checks report nonsense.
    items_ok = len(errors.errors) == before_items
    for table, dimension in zip(dimension_tables, dimensions, strict=True):
        if dimension.id and all(item.dimension != dimension.id for item in items):
            table.error(
                "",
                f"Dimension {dimension.id!r} has no item",
                f'Set dimension = "{dimension.id}" on at least one item, or remove this dimension.',
            )
    bands = _parse_bands(root, items if items_ok else None, rules)
    contradictions = _parse_contradictions(root, [item.id for item in items])
    errors.finalize(source)
    return Questionnaire(
        format=fmt,
        id=qid,
        title=title,
        subject=subject,
        time_question=time_question,
        intro=intro,
        min_coverage=min_coverage,
        answers=answers,
        context=context,
        dimensions=tuple(dimensions),
        items=tuple(items),
        bands=tuple(bands),
        contradictions=tuple(contradictions),
        rules=tuple(rules),
    )


def _parse_context(root: Table) -> Context:
    table = root.table("context", "a [context] table", what="table", keys=("question", "durations"))
    question = table.prose("question", 'question = "Depuis combien de temps échangez-vous ?"')
    tables = table.tables(
        "durations", "[[context.durations]] with an id and a label",
        what="duration", keys=("id", "label", "provisional", "up_to_days"),
    )  # fmt: skip
    durations = [
        Duration(
            id=t.text("id", 'id = "lt1m"', check=_id_check('id = "lt1m"')),
            label=t.prose("label", 'label = "Moins d\'un mois"'),
            provisional=t.boolean("provisional", "provisional = true", default=False),
            up_to_days=t.integer(
                "up_to_days", "up_to_days = 30", default=0, check=_days("up_to_days", 30)
            )
            or None,
        )
        for t in tables
    ]
    _duplicates(tables, [d.id for d in durations], key="id", what="duration")
    _check_durations_order(tables, durations)
    return Context(question=question, durations=tuple(durations))


def _days(key: str, example: int) -> Check[int]:
    """An optional number of days: from 1 to MAX_REVIEW_DAYS (absent: not said)."""

    def check(value: int) -> tuple[str, str] | None:
        if 1 <= value <= MAX_REVIEW_DAYS:
            return None
        return (
            f"Invalid {key} {value} (expected a number of days from 1 to {MAX_REVIEW_DAYS})",
            f"Write a whole number of days, for example {key} = {example}, or remove the key.",
        )

    return check


def _check_durations_order(tables: Sequence[Table], durations: Sequence[Duration]) -> None:
    """Durations with an ``up_to_days`` go from the shortest to the longest, the open one last."""
    bounded = [
        (table, duration.id, duration.up_to_days)
        for table, duration in zip(tables, durations, strict=True)
        if duration.up_to_days
    ]
    for (_, previous, shorter), (table, _, days) in itertools.pairwise(bounded):
        if days <= shorter:
            table.error(
                "up_to_days",
                f"Durations are not in increasing order of up_to_days: {days} is not above "
                f"{shorter} (duration {previous!r})",
                "List durations from the shortest to the longest, each up_to_days larger than "
                "the one before; leave it out on the last, open-ended one.",
            )


def _parse_dimensions(root: Table) -> tuple[list[Dimension], list[Table]]:
    tables = root.tables(
        "dimensions",
        "[[dimensions]] with an id and a label",
        what="dimension",
        keys=("id", "label"),
    )
    dimensions = [
        Dimension(
            id=t.text("id", 'id = "attitude"', check=_id_check('id = "attitude"')),
            label=t.prose("label", 'label = "Attitude"'),
        )
        for t in tables
    ]
    _duplicates(tables, [d.id for d in dimensions], key="id", what="dimension")
    return dimensions, tables


def _sign(table: Table) -> Sign:
    # Narrowed to the Literal here; a wrong or missing sign is reported and becomes "+".
    return "-" if table.text("sign", 'sign = "+" or sign = "-"', check=_sign_check) == "-" else "+"


def _sign_check(value: str) -> tuple[str, str] | None:
    if value in ("+", "-"):
        return None
    return (
        f"Invalid sign {value!r} (expected '+' or '-')",
        'Write sign = "+" if answering yes is good news, sign = "-" if it is bad news.',
    )


def _parse_items(root: Table, dimensions: Sequence[Dimension], rules: Sequence[Rule]) -> list[Item]:
    tables = root.tables(
        "items", "[[items]] with an id, a sign, a label…", what="item", keys=_ITEM_KEYS
    )
    known_dimensions = _known(
        "dimension", [d.id for d in dimensions if d.id], "declared under [[dimensions]]"
    )
    items = [
        Item(
            id=t.text(
                "id", 'id = "open-to-criticism"', check=_id_check('id = "open-to-criticism"')
            ),
            sign=_sign(t),
            label=t.prose("label", 'label = "Ouvert à la critique"'),
            question=t.prose("question", 'question = "Accepte-t-il la critique ?"'),
            dimension=t.text("dimension", 'dimension = "attitude"', check=known_dimensions),
            rules=t.integers("rules", "rules = [7, 8]", check=_rule_check(rules)),
            weight=t.integer(
                "weight", "weight = 1", default=1, check=_positive("weight", "weight = 2")
            ),
        )
        for t in tables
    ]
    _duplicates(tables, [item.id for item in items], key="id", what="item")
    return items


def _parse_bands(root: Table, items: Sequence[Item] | None, rules: Sequence[Rule]) -> list[Band]:
    """Bands, most favourable first; with valid items, check that they cover every score."""
    errors_before = len(root.errors.errors)
    tables = root.tables(
        "bands", "[[bands]] with an id, a label, a min_score…", what="band", keys=_BAND_KEYS
    )
    bands = [
        Band(
            id=t.text("id", 'id = "entretenir"', check=_id_check('id = "entretenir"')),
            label=t.prose("label", 'label = "À entretenir"'),
            min_score=t.integer("min_score", "min_score = 3"),
            advice=t.prose("advice", 'advice = "Gardez le contact et refaites le point."'),
            rules=t.integers("rules", "rules = [4, 5]", check=_rule_check(rules)),
            tone=t.text("tone", 'tone = "fair"', check=_tone_check),
            review_after_days=t.integer(
                "review_after_days",
                "review_after_days = 90",
                default=0,
                check=_days("review_after_days", 90),
            )
            or None,
        )
        for t in tables
    ]
    _duplicates(tables, [band.id for band in bands], key="id", what="band")
    if items is None or not items or not bands or len(root.errors.errors) != errors_before:
        return bands
    _check_band_scores(tables, bands, lowest=_bound(items, "-"), highest=_bound(items, "+"))
    return bands


def _tone_check(value: str) -> tuple[str, str] | None:
    if value in TONES:
        return None
    names = ", ".join(repr(tone) for tone in TONES)
    return (
        f"Unknown tone {value!r}",
        f"Use one of the tones {names}, from the most to the least favourable verdict.",
    )


def _bound(items: Sequence[Item], sign: Sign) -> int:
    total = sum(item.weight for item in items if item.sign == sign)
    return total if sign == "+" else -total


def _check_band_scores(
    tables: Sequence[Table], bands: Sequence[Band], *, lowest: int, highest: int
) -> None:
    """Every score from lowest to highest must fall in exactly one band, each band reachable."""
    first, last = bands[0], bands[-1]
    if first.min_score > highest:
        tables[0].error(
            "min_score",
            f"Band {first.id!r} can never be reached: min_score {first.min_score} is above the "
            f"highest possible score {highest}",
            f"Write min_score = {highest} or less.",
        )
    for index in range(1, len(bands)):
        previous, band = bands[index - 1], bands[index]
        if band.min_score >= previous.min_score:
            tables[index].error(
                "min_score",
                f"Bands are not in decreasing order of min_score: {band.min_score} is not below "
                f"{previous.min_score}",
                "List bands from the most to the least favourable, each min_score lower than the "
                "one before.",
            )
        elif previous.min_score <= lowest:
            tables[index].error(
                "",
                f"Band {band.id!r} can never be reached: the band before it already covers the "
                f"lowest possible score {lowest}",
                "Remove this band, or raise the min_score of the band before it.",
            )
    if last.min_score > lowest:
        tables[-1].error(
            "min_score",
            f"Bands do not cover the lowest possible score {lowest} (the last band starts at "
            f"{last.min_score})",
            f"Write min_score = {lowest} in the last band, the least favourable one.",
        )


def _parse_contradictions(root: Table, item_ids: Sequence[str]) -> list[Contradiction]:
    tables = root.tables(
        "contradictions", "[[contradictions]] with two items and a message",
        what="contradiction", keys=("items", "message"), required=False,
    )  # fmt: skip
    known_items = _known("item", [i for i in item_ids if i], "declared under [[items]]")
    found: list[Contradiction] = []
    for t in tables:
        pair = t.texts("items", 'items = ["always-critical", "constructive"]', check=known_items)
        message = t.prose("message", 'message = "Ces deux réponses se contredisent."')
        if len(pair) != 2:  # noqa: PLR2004 - a contradiction is a pair by definition
            t.error(
                "items",
                f"Expected 2 item ids, found {len(pair)}",
                "Write exactly two item ids, for example "
                'items = ["always-critical", "constructive"].',
            )
        elif pair[0] and pair[0] == pair[1]:
            t.error(
                "items[1]",
                f"Contradiction pairs item {pair[0]!r} with itself",
                "Write two different item ids.",
            )
        else:
            found.append(Contradiction(items=(pair[0], pair[1]), message=message))
    return found


# --- Subjects -------------------------------------------------------------------------------

_SUBJECT_KEYS = (
    "id", "questionnaire", "about", "saved_as", "this", "one", "many", "new", "evaluate",
    "reevaluate", "suffix", "single", "label", "title", "form",
)  # fmt: skip
_FORM_KEYS = ("ask", "ask_hint", "unnamed", "positives", "negatives", "dimensions", "recent")
# A single subject (the visitor themself) has a fixed name; the others have one typed in.
_NAMED_ONLY = {"many": 'many = "{n} groupes"', "form.ask": 'ask = "Quel groupe évaluez-vous ?"',
               "form.ask_hint": 'ask_hint = "Un nom court suffit."',
               "form.unnamed": 'unnamed = "Donnez d\'abord un nom à ce groupe."'}  # fmt: skip
_SINGLE_ONLY = {"label": 'label = "Vous"', "title": 'title = "Votre apport au réseau"'}


def parse_subjects(data: Mapping[str, object], *, source: str) -> tuple[Subject, ...]:
    """What questionnaires can be about (``subjects.toml``); InvalidDataError lists every mistake.

    Their questionnaires are checked by :func:`check_subject_questionnaires`, once those are read
    (a questionnaire's ``subject`` names one of these).
    """
    errors = ErrorCollector()
    root = Table(data, "", errors, what="file", keys=("format", "subjects"))
    root.integer("format", f"format = {FORMAT}", check=_format_check)
    tables = root.tables(
        "subjects", '[[subjects]] with id = "contact"', what="subject", keys=_SUBJECT_KEYS
    )
    subjects = [_parse_subject(table) for table in tables]
    _duplicates(tables, [s.id for s in subjects], key="id", what="subject")
    singles = [table for table, s in zip(tables, subjects, strict=True) if s.single]
    for table in singles[1:]:
        table.error(
            "single",
            "More than one subject has single = true",
            f"Keep single = true on one subject only ({singles[0].path}): the visitor is one.",
        )
    errors.finalize(source)
    return tuple(subjects)


def _parse_subject(table: Table) -> Subject:
    single = table.boolean("single", "single = true", default=False)
    form = table.table("form", "a [subjects.form] table", what="table", keys=_FORM_KEYS)
    # Keys that only a named subject has, or only a single one: required there, refused here.
    needed, refused = (_SINGLE_ONLY, _NAMED_ONLY) if single else (_NAMED_ONLY, _SINGLE_ONLY)
    values: dict[str, str] = {}
    for path, example in needed.items():
        owner, key = (
            (form, path.removeprefix("form.")) if path.startswith("form.") else (table, path)
        )
        values[path] = owner.prose(key, example)
    for path, example in refused.items():
        owner, key = (
            (form, path.removeprefix("form.")) if path.startswith("form.") else (table, path)
        )
        if key in owner.data:
            name = example.split(" = ")[0]
            state = "single = true" if single else "no single = true"
            owner.error(
                key,
                f"A subject with {state} has no {name}",
                f"Remove {name}, or {'remove' if single else 'write'} single = true.",
            )
    return Subject(
        id=table.text("id", 'id = "contact"', check=_id_check('id = "contact"')),
        questionnaire=table.text(
            "questionnaire",
            'questionnaire = "contact"',
            check=_id_check('questionnaire = "contact"'),
        ),
        about=table.prose("about", 'about = "une personne"'),
        saved_as=table.prose("saved_as", 'saved_as = "un contact"'),
        this=table.prose("this", 'this = "ce contact"'),
        one=table.prose("one", 'one = "{n} contact"'),
        many=values.get("many", ""),
        new=table.prose("new", 'new = "Nouveau contact"'),
        evaluate=table.prose("evaluate", 'evaluate = "Évaluer un premier contact"'),
        reevaluate=table.prose("reevaluate", 'reevaluate = "Réévaluer"'),
        suffix=table.prose("suffix", 'suffix = "(groupe)"', required=False),
        single=single,
        label=values.get("label", ""),
        title=values.get("title", ""),
        form=SubjectForm(
            positives=form.prose("positives", 'positives = "Ce qui compte pour ce contact"'),
            negatives=form.prose("negatives", 'negatives = "Ce qui compte contre"'),
            dimensions=form.prose(
                "dimensions", 'dimensions = "La relation, dimension par dimension"'
            ),
            recent=form.prose("recent", 'recent = "la relation est trop récente pour être jugée"'),
            ask=values.get("form.ask", ""),
            ask_hint=values.get("form.ask_hint", ""),
            unnamed=values.get("form.unnamed", ""),
        ),
    )


def check_subject_questionnaires(
    subjects: Sequence[Subject], questionnaires: Mapping[str, Questionnaire], *, source: str
) -> None:
    """Each subject's questionnaire exists and is about it; InvalidDataError lists every one."""
    errors = ErrorCollector()
    for index, subject in enumerate(subjects):
        path = f"subjects[{index}].questionnaire"
        found = questionnaires.get(subject.questionnaire)
        if found is not None and found.subject == subject.id:
            continue
        about = sorted(q.id for q in questionnaires.values() if q.subject == subject.id)
        names = ", ".join(map(repr, about)) or f'none yet: write subject = "{subject.id}" in one'
        problem = (
            f"Unknown questionnaire {subject.questionnaire!r}"
            if found is None
            else f"Questionnaire {subject.questionnaire!r} is about {found.subject!r}"
        )
        errors.add(
            ValidationError(
                problem,
                path,
                fix=f"Use one of the questionnaires with subject = {subject.id!r}: {names}.",
            )
        )
    errors.finalize(source)


# --- The win-win map ------------------------------------------------------------------------

_SIDES = {"receive": "what the visitor receives", "give": "what the visitor gives"}


def parse_map(
    data: Mapping[str, object],
    *,
    source: str,
    rules: Sequence[Rule],
    questionnaires: Mapping[str, Questionnaire],
) -> WinWinMap:
    """The win-win map (``carte.toml``), checked against the questionnaires it names."""
    errors = ErrorCollector()
    root = Table(data, "", errors, what="file", keys=("format", "receive", "give", "quadrants"))
    root.integer("format", f"format = {FORMAT}", check=_format_check)
    sides = {side: _parse_side(root, side, questionnaires) for side in _SIDES}
    tables = root.tables(
        "quadrants", "[[quadrants]] with an id, receive, give…", what="quadrant",
        keys=("id", "receive", "give", "label", "advice", "rules"),
    )  # fmt: skip
    quadrants = [
        Quadrant(
            id=t.text("id", 'id = "gagnant-gagnant"', check=_id_check('id = "gagnant-gagnant"')),
            receive=t.boolean("receive", "receive = true", default=False),
            give=t.boolean("give", "give = true", default=False),
            label=t.prose("label", 'label = "Gagnant-gagnant"'),
            advice=t.prose("advice", 'advice = "Cultivez ces relations dans la durée."'),
            rules=t.integers("rules", "rules = [5]", check=_rule_check(rules)),
        )
        for t in tables
    ]
    for t in tables:  # receive and give are required here: a default would hide a typo
        for key in ("receive", "give"):
            if key not in t.data:
                t.error(key, "Missing required value", f"Add {key} = true or {key} = false.")
    _duplicates(tables, [q.id for q in quadrants], key="id", what="quadrant")
    found: dict[tuple[bool, bool], Quadrant] = {}
    for t, q in zip(tables, quadrants, strict=True):
        pair = (q.receive, q.give)
        if "receive" not in t.data or "give" not in t.data:
            continue  # reported above; its defaults must not pass for a real pair
        if pair in found:
            t.error(
                "",
                f"Quadrant {q.id!r} has the same receive and give as {found[pair].id!r}",
                "Give each of the four quadrants its own pair of receive and give.",
            )
        found.setdefault(pair, q)
    for receive in (True, False):
        for give in (True, False):
            if tables and (receive, give) not in found:
                root.error(
                    "quadrants",
                    f"No quadrant for receive = {str(receive).lower()}, give = {str(give).lower()}",
                    "Write four quadrants, one for each pair of receive and give.",
                )
    errors.finalize(source)
    return WinWinMap(receive=sides["receive"], give=sides["give"], quadrants=tuple(quadrants))


def _parse_side(root: Table, side: str, questionnaires: Mapping[str, Questionnaire]) -> MapSide:
    table = root.table(
        side, f"a [{side}] table", what="table", keys=("questionnaire", "min_score", "label")
    )
    contacts = [q.id for q in questionnaires.values() if q.subject == "contact"]
    qid = table.text(
        "questionnaire",
        'questionnaire = "contact"',
        check=_known("questionnaire", contacts, 'with subject = "contact"'),
    )
    min_score = table.integer("min_score", "min_score = 3")
    questionnaire = questionnaires.get(qid)
    if questionnaire is not None and not (
        questionnaire.score_min < min_score <= questionnaire.score_max
    ):
        table.error(
            "min_score",
            f"min_score {min_score} leaves a side of the map empty (scores of {qid!r} go from "
            f"{questionnaire.score_min} to {questionnaire.score_max})",
            f"Write a min_score from {questionnaire.score_min + 1} to {questionnaire.score_max}.",
        )
    label = table.prose("label", f'label = "{_SIDES[side]}"')
    return MapSide(questionnaire=qid, min_score=min_score, label=label)
