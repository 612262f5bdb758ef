"""The guide's numbers and tables checked against the definitions (FRENCH.md, « Nos propres
mots »): a criterion added to contact.toml stops the build until the prose says so.

Checked in every page's Markdown (crible_hooks.on_page_markdown), against the page's own
questionnaire (its `questionnaire:` front matter) or the crible (`contact`) elsewhere:
- "treize critères", "Onze questions": the number of criteria;
- "neuf positifs", "quatre critères négatifs": the number of each sign;
and in docs/valeur-du-reseau.md, the criteria table (label and sign of each, in order), the
range of the balance ("de −4 à +9") and the table of verdicts (thresholds and labels).
Each disagreement is one line naming the file, what it says, what the definition says and
the fix; all of them at once.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

from scoring import typeset

if TYPE_CHECKING:
    from scoring import Questionnaire

__all__ = ["CRITERIA_PAGE", "check_counts", "criteria_table", "number_word"]

CRITERIA_PAGE = "valeur-du-reseau.md"
MINUS = "\u2212"

_WORDS = (
    "zéro", "un", "deux", "trois", "quatre", "cinq", "six", "sept", "huit", "neuf", "dix",
    "onze", "douze", "treize", "quatorze", "quinze", "seize", "dix-sept", "dix-huit",
    "dix-neuf", "vingt",
)  # fmt: skip
_NUMBER = "|".join(sorted((re.escape(w) for w in _WORDS), key=len, reverse=True))
_COUNTED = re.compile(
    rf"\b(?P<number>{_NUMBER}|\d+)\s+(?:(?P<total>critères|questions)(?:\s+(?P<sign1>positifs|"
    rf"négatifs))?|(?P<sign2>positifs|négatifs))\b",
    re.IGNORECASE,
)
_TABLE_ROW = re.compile(r"^\|(?P<cells>.*)\|\s*$")
_RULER = re.compile(r"^:?-+:?$")  # a table's second line: "---", ":---:"
_RANGE = re.compile(rf"de\s+[{MINUS}-](?P<low>\d+)\s+à\s+\+(?P<high>\d+)")


def number_word(count: int) -> str:
    """13 → "treize": how the guide writes the counts of criteria."""
    return _WORDS[count] if count < len(_WORDS) else str(count)


def _value(word: str) -> int:
    lowered = word.lower()
    return _WORDS.index(lowered) if lowered in _WORDS else int(lowered)


def _sign(item_sign: str) -> str:
    return "+" if item_sign == "+" else MINUS


def criteria_table(questionnaire: Questionnaire) -> list[str]:
    """The criteria table of docs/valeur-du-reseau.md, as its Markdown lines."""
    rows = [f"| {item.label} | {_sign(item.sign)} |" for item in questionnaire.items]
    return ["| Critère | Signe |", "| --- | :---: |", *rows]


def _bands_table(questionnaire: Questionnaire, low: int) -> list[str]:
    rows = []
    bands = questionnaire.bands
    for index, band in enumerate(bands):
        if index == 0:
            when = f"{band.min_score} et plus"
        elif index == len(bands) - 1 and band.min_score <= -low:
            when = f"moins de {bands[index - 1].min_score}"
        else:
            when = f"de {band.min_score} à {bands[index - 1].min_score - 1}"
        rows.append(f"| {when} | {band.label} |")
    return ["| Bilan | Verdict |", "| --- | --- |", *rows]


def _tables(markdown: str) -> list[list[str]]:
    """Each Markdown table of the page, as its lines with spaces normalised and typeset (the
    definitions' labels are typeset when they are read: "N’argumente pas")."""
    tables: list[list[str]] = []
    current: list[str] = []
    for line in [*markdown.splitlines(), ""]:
        match = _TABLE_ROW.match(line.strip())
        if match:
            cells = [" ".join(cell.split()) for cell in match["cells"].split("|")]
            cells = [cell if _RULER.match(cell) else typeset(cell) for cell in cells]
            current.append("| " + " | ".join(cells) + " |")
        elif current:
            tables.append(current)
            current = []
    return tables


def _expect_table(where: str, markdown: str, header: str, expected: list[str]) -> list[str]:
    found = [table for table in _tables(markdown) if table[0] == header]
    if found == [expected]:
        return []
    shown = "\n    ".join(expected)
    said = "no such table" if not found else "\n    ".join(found[0])
    return [
        f"{where}: the table « {header} » does not match the definition. "
        f"It says:\n    {said}\n  Write exactly:\n    {shown}"
    ]


def check_counts(where: str, markdown: str, questionnaire: Questionnaire) -> list[str]:
    """Every disagreement between the page `where` and `questionnaire`, with its fix."""
    items = questionnaire.items
    counts = {
        "total": len(items),
        "positifs": sum(item.sign == "+" for item in items),
        "négatifs": sum(item.sign == "-" for item in items),
    }
    problems: list[str] = []
    for match in _COUNTED.finditer(markdown):
        kind = (match["sign1"] or match["sign2"] or "total").lower()
        expected = counts[kind]
        if _value(match["number"]) != expected:
            what = "criteria" if kind == "total" else f"{kind} criteria"
            problems.append(
                f"{where}: « {match[0]} », but {questionnaire.id} has {expected} {what}. "
                f"Write « {number_word(expected)} » instead of « {match['number']} »."
            )
    if where.endswith(CRITERIA_PAGE):
        table = criteria_table(questionnaire)
        problems += _expect_table(where, markdown, table[0], table)
        low, high = counts["négatifs"], counts["positifs"]
        for match in _RANGE.finditer(markdown):
            if (int(match["low"]), int(match["high"])) != (low, high):
                problems.append(
                    f"{where}: « {match[0]} », but the balance of {questionnaire.id} goes from "
                    f"{MINUS}{low} to +{high}. Write « de {MINUS}{low} à +{high} »."
                )
        problems += _expect_table(
            where, markdown, "| Bilan | Verdict |", _bands_table(questionnaire, low)
        )
    return problems
