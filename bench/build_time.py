"""`mkdocs build` time: the real build against a plain Material build of the same Markdown.

The plain project is a copy of docs/ next to a copy of mkdocs.yml without what is ours: no
`hooks:` (so no definition checks, no wheel, no Pyodide copy, no infographics, no CSP), no
`custom_dir:` templates, no extra CSS/JS, and no `template:` front matter in the pages. Theme,
features, palette, plugins, nav and Markdown extensions stay the same. It builds non-strict: its
pages still link to the infographics that only our hooks generate.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
import time
from typing import TYPE_CHECKING

from site_support import ROOT

if TYPE_CHECKING:
    from pathlib import Path

BUILD_TIMEOUT_S = 180
DROPPED_KEYS = {"hooks", "extra_css", "extra_javascript"}
_TOP_LEVEL = re.compile(r"^([A-Za-z_][\w-]*):")
_CUSTOM_DIR = re.compile(r"^\s+custom_dir:")
_TEMPLATE = re.compile(r"^template:\s")


def plain_config(text: str) -> str:
    """mkdocs.yml without our hooks, templates and assets; every other key untouched."""
    kept: list[str] = []
    dropping = False
    for line in text.splitlines():
        top = _TOP_LEVEL.match(line)
        if top:
            dropping = top.group(1) in DROPPED_KEYS
        if dropping or _CUSTOM_DIR.match(line):
            continue
        kept.append(line)
    return "\n".join(kept) + "\n"


def _strip_template(markdown: str) -> str:
    """Remove a `template:` line from the front matter (the first `---` block) only."""
    lines = markdown.split("\n")
    if not lines or lines[0] != "---":
        return markdown
    end = lines.index("---", 1) if "---" in lines[1:] else 0
    return "\n".join(
        line for i, line in enumerate(lines) if not (0 < i < end and _TEMPLATE.match(line))
    )


def plain_project(directory: Path) -> Path:
    """Write the plain project into `directory`; return its mkdocs.yml."""
    docs = directory / "docs"
    shutil.copytree(ROOT / "docs", docs)
    for page in docs.rglob("*.md"):
        page.write_text(_strip_template(page.read_text(encoding="utf-8")), encoding="utf-8")
    config = directory / "mkdocs.yml"
    config.write_text(plain_config((ROOT / "mkdocs.yml").read_text(encoding="utf-8")), "utf-8")
    return config


def timed_build(config: Path, site_dir: Path, site_url: str, *, strict: bool) -> float:
    """Seconds for one `python -m mkdocs build` in a fresh process, as `make build` runs it."""
    command = [sys.executable, "-m", "mkdocs", "build", "-f", str(config)]
    command += ["--site-dir", str(site_dir)]
    if strict:
        command.append("--strict")
    env = dict(os.environ, SITE_URL=site_url)
    start = time.perf_counter()
    completed = subprocess.run(
        command,
        cwd=config.parent,
        env=env,
        capture_output=True,
        text=True,
        check=False,
        timeout=BUILD_TIMEOUT_S,
    )
    elapsed = time.perf_counter() - start
    if completed.returncode != 0:
        raise RuntimeError(f"mkdocs build -f {config} failed:\n{completed.stderr}")
    return elapsed
