"""The actions our workflows may use, each at its current major: run by `make lint`.

actionlint rejects an action whose runtime GitHub has retired or deprecated (checkout@v4 and
older, on Node 20 or less) but accepts any later major, current or not, and even one that does
not exist. This list is the other half: when an action publishes a new major, read its release
notes, bump the workflow, then the number here (majors checked against the actions' releases
in December 2026). Usage: `python tests/workflow_majors.py FILE...`; exit 1 with one line per
problem (`file:line: …`).
"""

from __future__ import annotations

import re
import sys
from dataclasses import dataclass
from pathlib import Path

__all__ = ["CURRENT", "Use", "problems", "uses"]

CURRENT = {
    "actions/checkout": 7,
    "actions/setup-python": 7,
    "actions/setup-node": 7,
    "actions/cache": 6,
    "actions/configure-pages": 6,
    "actions/upload-pages-artifact": 5,
    "actions/deploy-pages": 5,
}

# `uses: owner/name@ref` in a step, quoted or not; local (`./…`) and docker actions have no @.
_USES = re.compile(r"""^\s*(?:-\s+)?uses:\s*["']?([\w.-]+/[\w./-]+)@([^\s"'#]+)""")


@dataclass(frozen=True, kw_only=True, slots=True)
class Use:
    path: str
    line: int
    action: str
    ref: str


def uses(path: Path) -> list[Use]:
    """Every `uses: owner/name@ref` of a workflow file, with its line number."""
    found = []
    for number, text in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
        match = _USES.match(text)
        if match:
            found.append(Use(path=str(path), line=number, action=match[1], ref=match[2]))
    return found


def problems(use: Use) -> str | None:
    """What is wrong with one `uses:` (the fix included), or None."""
    where = f"{use.path}:{use.line}: {use.action}@{use.ref}"
    action = "/".join(use.action.split("/")[:2])  # owner/name of owner/name/sub/path
    current = CURRENT.get(action)
    if current is None:
        return (
            f"{where}: not in the reviewed list of tests/workflow_majors.py; check its "
            "releases and add it there with its current major."
        )
    major = re.fullmatch(r"v(\d+)(?:\.\d+){0,2}", use.ref)
    if major is None or int(major[1]) != current:
        return f"{where}: the current major is v{current}; use {use.action}@v{current}."
    return None


def main(argv: list[str]) -> int:
    if not argv:
        print("usage: python tests/workflow_majors.py FILE...", file=sys.stderr)
        return 2
    found = [problems(use) for file in argv for use in uses(Path(file))]
    errors = [error for error in found if error is not None]
    for error in errors:
        print(error, file=sys.stderr)
    return 1 if errors else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
