"""Lighthouse on the built site: accessibility, best practices and SEO (a report, not a test).

    .venv/bin/python bench/lighthouse.py [--out bench/results/lighthouse.json]

Builds the site once (as `make build` does), serves it under /crible/ on 127.0.0.1 exactly as
the browser tests do (tests/site_support.py), and runs the Lighthouse pinned in package.json
(node_modules/.bin/lighthouse, via `npx --no-install`) with the Debian Chromium (CHROME_PATH)
on a few pages. Chromium gets the tests' flags (tests/conftest.py): every host but loopback is
unresolvable. Targets: accessibility 100, best practices 100, SEO at least 95. What each
audit means: bench/README.md, "Lighthouse".
"""

from __future__ import annotations

import argparse
import json
import os
import shlex
import subprocess
import sys
import tempfile
from pathlib import Path
from typing import Any

# The tests' site_support (build and serve as the browser tests do) and conftest (Chromium).
sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "tests"))

from conftest import CHROMIUM, CHROMIUM_ARGS
from site_support import SiteServer, build_site, free_port

ROOT = Path(__file__).resolve().parents[1]
PAGES = {"accueil": "", "règles": "regles/", "crible": "crible/"}
CATEGORIES = ("accessibility", "best-practices", "seo")
TARGETS = {"accessibility": 100, "best-practices": 100, "seo": 95}
LIGHTHOUSE_VERSION = "12.2.3"


def chrome_flags() -> str:
    # Lighthouse splits this string like a shell: the resolver rule keeps its spaces quoted.
    return " ".join(["--headless", *(shlex.quote(flag) for flag in CHROMIUM_ARGS)])


def lighthouse(url: str, report: Path, categories: tuple[str, ...] = CATEGORIES) -> dict[str, Any]:
    """One Lighthouse run (mobile emulation, its default; a fresh Chromium profile each time)."""
    command = [
        "npx",
        "--no-install",
        "lighthouse",
        url,
        "--output=json",
        f"--output-path={report}",
        f"--only-categories={','.join(categories)}",
        f"--chrome-flags={chrome_flags()}",
        "--max-wait-for-load=90000",
        "--quiet",
    ]
    env = dict(os.environ, CHROME_PATH=CHROMIUM)
    subprocess.run(command, cwd=ROOT, env=env, check=True, timeout=300)
    result: dict[str, Any] = json.loads(report.read_text(encoding="utf-8"))
    return result


def summary(result: dict[str, Any]) -> dict[str, Any]:
    """Scores (0 to 100) and, per category, the audits that did not pass."""
    scores: dict[str, int] = {}
    failing: dict[str, list[str]] = {}
    audits = result["audits"]
    for name in CATEGORIES:
        category = result["categories"][name]
        scores[name] = round(category["score"] * 100)
        failing[name] = [
            f"{ref['id']}: {audits[ref['id']]['title']}"
            for ref in category["auditRefs"]
            if ref["weight"] > 0 and audits[ref["id"]]["score"] not in (None, 1)
        ]
    return {
        "url": result["finalDisplayedUrl"],
        "lighthouse": result["lighthouseVersion"],
        "user_agent": result["environment"]["hostUserAgent"],
        "form_factor": result["configSettings"]["formFactor"],
        "scores": scores,
        "failing_audits": failing,
        "warnings": result.get("runWarnings", []),
    }


def table(pages: dict[str, dict[str, Any]]) -> str:
    header = f"{'page':<10}" + "".join(f"{name:>16}" for name in CATEGORIES)
    lines = [header, "-" * len(header)]
    for name, page in pages.items():
        cells = "".join(f"{page['scores'][c]:>16}" for c in CATEGORIES)
        lines.append(f"{name:<10}{cells}")
    targets = "".join(f"{('= ' if c != 'seo' else '≥ ') + str(TARGETS[c]):>16}" for c in CATEGORIES)
    lines.append(f"{'objectif':<10}{targets}")
    return "\n".join(lines)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=ROOT / "bench" / "results" / "lighthouse.json")
    args = parser.parse_args()
    port = free_port()
    results: dict[str, dict[str, Any]] = {}
    with tempfile.TemporaryDirectory(prefix="crible-lighthouse-") as tmp:
        site_dir = Path(tmp) / "site"
        build_site(site_dir, f"http://127.0.0.1:{port}/crible/")
        with SiteServer(site_dir, port) as server:
            for name, path in PAGES.items():
                print(f"Lighthouse {LIGHTHOUSE_VERSION} : {server.url + path}", flush=True)
                results[name] = summary(lighthouse(server.url + path, Path(tmp) / "report.json"))
    args.out.parent.mkdir(parents=True, exist_ok=True)
    report = {"targets": TARGETS, "pages": results}
    args.out.write_text(json.dumps(report, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
    print()
    print(table(results))
    for name, page in results.items():
        for category, audits in page["failing_audits"].items():
            for audit in audits:
                print(f"{name} / {category} : {audit}")
    print(f"\nRapport : {args.out}")
    for name, page in results.items():
        for c in CATEGORIES:
            if page["scores"][c] < TARGETS[c]:
                print(f"Objectif manqué : {name} / {c} ({page['scores'][c]} < {TARGETS[c]})")
    return 0  # a report: a missed target is read, not enforced


if __name__ == "__main__":
    sys.exit(main())
