"""A page's front matter that YAML cannot read stops the build, instead of vanishing.

MkDocs reads the block between the two ``---`` lines at the top of a page and, when YAML
refuses it, silently takes the page as if it had none: its title, its description, its
``questionnaire:`` and its ``template:`` are lost, and the page is published as plain prose
(a questionnaire page without its form). The usual cause is a ``: `` inside a value, as in
``description: Le crible : treize critères``. This check reads each page's block as MkDocs
does and, for every page that fails, says where and how to write it.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import yaml
from mkdocs.utils.meta import YAML_RE

if TYPE_CHECKING:
    from mkdocs.structure.files import Files

FIX = (
    'Put the value in double quotes (description: "Le crible : treize critères"), '
    "or write it on the next lines after 'key: >-'."
)


def problem(src_uri: str, text: str) -> str | None:
    """What is wrong with the front matter of ``docs/<src_uri>``, or None if it reads."""
    found = YAML_RE.match(text)
    if found is None:
        return None  # no front matter at all: nothing to lose
    # The block starts on the file's second line (the first is "---").
    try:
        data = yaml.load(found.group(1), yaml.SafeLoader)
    except yaml.YAMLError as error:
        mark = getattr(error, "problem_mark", None)
        line = f":{mark.line + 2}" if mark is not None else ""
        reason = getattr(error, "problem", None) or str(error).splitlines()[0]
        return f"docs/{src_uri}{line}: the front matter is not valid YAML ({reason}). {FIX}"
    if not isinstance(data, dict):
        return (
            f"docs/{src_uri}: the front matter is not a list of 'key: value' lines "
            "(MkDocs would ignore it). Write one 'key: value' per line between the two '---'."
        )
    return None


def check_front_matter(files: Files) -> list[str]:
    """Every page whose front matter MkDocs would drop, one line each."""
    return [
        found
        for file in files.documentation_pages()
        if (found := problem(file.src_uri, file.content_string)) is not None
    ]
