"""The site against the plain Material build of the same pages, both served like GitHub Pages.

    .venv/bin/python bench/plain.py [REV] [--runs 3] [--lighthouse-runs 5]
                                    [--out bench/results/plain.json]

REV is the git revision of the site to measure (`.`, the default: the working tree; `main`:
the site before a change), built as `make build` does (bench/ab.py's checkout). Beside it, the
plain Material build of this checkout's docs/ and mkdocs.yml (bench/build_time.plain_project:
no hooks, no custom_dir, no extra CSS or JS; same theme, features, plugins and nav), and the
bare Pyodide page of bench/run.py. One loopback server serves the three with GitHub Pages'
headers (bench/server.py: gzip, ETag, `Cache-Control: max-age=600`). Measured, run after run:

- the reader: a fresh persistent profile opens a page (the home page, then `regles/`) and
  stays READER_MS without touching anything, on the site and on the plain build side by side
  (two browsers at once: bytes do not depend on timing); then both reopen on the same profile
  for a repeat visit of REPEAT_MS. Bytes and requests as the server sent them, engine files
  apart;
- the arrival after a hover: a fresh profile reads `regles/` for READ_MS, rests the pointer on
  the link to the crible for HOVER_MS, clicks; click → first verdict, against the bare page's
  cold load (fresh profile) of the same run;
- Lighthouse 12 (package.json), performance only, mobile emulation (its default), a fresh
  profile per run: score, total blocking time, bytes, for the home page, `regles/` and the
  crible page of both sites; medians of `--lighthouse-runs`.

What the rows mean and the last figures: bench/README.md, « Le site contre Material seul ».
"""

from __future__ import annotations

import argparse
import shutil
import sys
import tempfile
from pathlib import Path
from typing import TYPE_CHECKING, Any

# bench.* (this directory is not a package), and the tests' site_support and conftest.
sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "tests"))
sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from playwright.sync_api import sync_playwright
from site_support import ROOT, build_site, free_port

from bench.ab import WORKING_TREE, checkout
from bench.browser import ENGINE_TIMEOUT_MS, TIMEOUT_MS, from_guide, launch, load
from bench.build_time import plain_project, timed_build
from bench.lighthouse import lighthouse
from bench.run import (
    BARE,
    CRIBLE_PAGE,
    GUIDE_LINK,
    GUIDE_PAGE,
    SITE,
    Metric,
    kilobytes,
    machine_info,
    prepare_bare,
    report,
)
from bench.server import BenchServer

if TYPE_CHECKING:
    from collections.abc import Sequence

    from playwright.sync_api import Playwright

    from bench.server import Hit

PLAIN = "plain"  # /plain/: the plain Material build
READER_MS = 30_000  # the reader of the issue: 30 s on a page, touching nothing
REPEAT_MS = 10_000  # the same reader, browser reopened: what a second visit costs
HOVER_MS = 300  # the pointer rests on the link this long before the click
READER_PAGES = {"accueil": "", "regles/": GUIDE_PAGE}
LIGHTHOUSE_PAGES = {"accueil": "", "regles/": GUIDE_PAGE, "crible/": CRIBLE_PAGE}
# The engine's files: the runtime's directory and the wheel's.
ENGINE_PATHS = ("/assets/pyodide/", "/assets/engine/")
HEADERS = ("Mesure", "Crible (méd.)", "Material seul (méd.)", "Ratio", "Ratio apparié", "n")
DEFAULT_OUT = ROOT / "bench" / "results" / "plain.json"


def engine_kilobytes(hits: Sequence[Hit]) -> float:
    return kilobytes([hit for hit in hits if any(p in hit.path for p in ENGINE_PATHS)])


def reader(
    playwright: Playwright, server: BenchServer, page: str, profiles: Path
) -> dict[str, dict[str, list[Hit]]]:
    """The site and the plain build read side by side: first visit, then repeat visit."""
    for prefix in (SITE, PLAIN):
        shutil.rmtree(profiles / prefix, ignore_errors=True)
    hits: dict[str, dict[str, list[Hit]]] = {SITE: {}, PLAIN: {}}
    for visit, stay_ms in (("first", READER_MS), ("repeat", REPEAT_MS)):
        contexts = {prefix: launch(playwright, profiles / prefix) for prefix in (SITE, PLAIN)}
        try:
            mark = server.mark()
            for prefix, context in contexts.items():
                context.pages[0].goto(server.url(prefix, page), timeout=TIMEOUT_MS)
            contexts[SITE].pages[0].wait_for_timeout(stay_ms)
            seen = server.since(mark)
        finally:
            for context in contexts.values():
                context.close()
        for prefix in (SITE, PLAIN):
            hits[prefix][visit] = [hit for hit in seen if hit.prefix == prefix]
    return hits


def bare_cold(playwright: Playwright, server: BenchServer, profile: Path) -> float:
    shutil.rmtree(profile, ignore_errors=True)
    context = launch(playwright, profile)
    try:
        return float(load(context, server.url(BARE))["done"])
    finally:
        context.close()


def browser_rows(server: BenchServer, runs: int, profiles: Path) -> dict[str, Any]:
    samples: dict[str, dict[str, list[float]]] = {}
    raw: list[dict[str, Any]] = []

    def add(key: str, prefix: str, value: float) -> None:
        samples.setdefault(key, {SITE: [], PLAIN: []})[prefix].append(value)

    with sync_playwright() as playwright:
        for run in range(runs):
            for name, page in READER_PAGES.items():
                hits = reader(playwright, server, page, profiles / f"reader-{run}-{name}")
                for prefix, visits in hits.items():
                    for visit, seen in visits.items():
                        add(f"{name} {visit} kB", prefix, kilobytes(seen))
                        add(f"{name} {visit} requests", prefix, float(len(seen)))
                        add(f"{name} {visit} engine kB", prefix, engine_kilobytes(seen))
                first = {p: kilobytes(v["first"]) for p, v in hits.items()}
                print(
                    f"  run {run + 1}/{runs} reader {name}: {first[SITE]:.1f} kB "
                    f"(plain {first[PLAIN]:.1f} kB)",
                    flush=True,
                )
            guide = from_guide(
                playwright,
                server,
                server.url(SITE, GUIDE_PAGE),
                GUIDE_LINK.format(absolute=server.url(SITE, CRIBLE_PAGE)),
                profiles / f"hover-{run}",
                hover_ms=HOVER_MS,
            )
            bare = bare_cold(playwright, server, profiles / f"bare-{run}")
            add("hover", SITE, guide.click_to_done_ms)
            add("hover", PLAIN, bare)
            raw.append({"hover": guide.crible.as_json(), "bare_cold_ms": bare})
            print(
                f"  run {run + 1}/{runs} hover {HOVER_MS} ms then click → verdict "
                f"{guide.click_to_done_ms:.0f} ms (bare cold load {bare:.0f} ms)",
                flush=True,
            )
    metrics: dict[str, Metric] = {}
    for name in READER_PAGES:
        for visit, stay_ms, label in (
            ("first", READER_MS, "1re visite"),
            ("repeat", REPEAT_MS, "visite répétée"),
        ):
            seconds = stay_ms // 1000
            for kind, unit, what in (
                ("kB", "kB", "octets (kB)"),
                ("engine kB", "kB", "dont moteur (kB)"),
                ("requests", "count", "requêtes"),
            ):
                values = samples[f"{name} {visit} {kind}"]
                metrics[f"{name} {visit} {kind}"] = Metric(
                    f"{name} {seconds} s, {label}, {what}",
                    unit,
                    "plain Material build",
                    values[SITE],
                    values[PLAIN],
                )
    metrics["hover"] = Metric(
        f"survol {HOVER_MS} ms puis clic → 1er verdict (ms) ; colonne 2 : page nue à froid",
        "ms",
        "bare Pyodide page, cold load",
        samples["hover"][SITE],
        samples["hover"][PLAIN],
    )
    return {"metrics": metrics, "raw": raw}


def lighthouse_rows(server: BenchServer, runs: int, work: Path) -> dict[str, Any]:
    """Performance, mobile: median score, total blocking time and bytes of each page."""
    metrics: dict[str, Metric] = {}
    raw: dict[str, dict[str, list[dict[str, float]]]] = {}
    for name, page in LIGHTHOUSE_PAGES.items():
        found: dict[str, list[dict[str, float]]] = {SITE: [], PLAIN: []}
        for run in range(runs):
            for prefix in (SITE, PLAIN) if run % 2 == 0 else (PLAIN, SITE):
                report = lighthouse(
                    server.url(prefix, page), work / "lighthouse.json", ("performance",)
                )
                audits = report["audits"]
                found[prefix].append(
                    {
                        "score": round(report["categories"]["performance"]["score"] * 100),
                        "tbt_ms": float(audits["total-blocking-time"]["numericValue"]),
                        "kB": float(audits["total-byte-weight"]["numericValue"]) / 1000,
                        "lcp_ms": float(audits["largest-contentful-paint"]["numericValue"]),
                    }
                )
                print(
                    f"  Lighthouse {prefix} {name} run {run + 1}: {found[prefix][-1]}", flush=True
                )
        raw[name] = found
        for key, unit, what in (
            ("score", "count", "score"),
            ("tbt_ms", "ms", "temps de blocage total (ms)"),
            ("lcp_ms", "ms", "LCP (ms)"),
            ("kB", "kB", "octets (kB)"),
        ):
            metrics[f"lighthouse {name} {key}"] = Metric(
                f"Lighthouse {name} : {what}",
                unit,
                "plain Material build",
                [sample[key] for sample in found[SITE]],
                [sample[key] for sample in found[PLAIN]],
            )
    return {"metrics": metrics, "raw": raw}


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0] if __doc__ else None)
    parser.add_argument("rev", nargs="?", default=WORKING_TREE, help="git revision, or . (default)")
    parser.add_argument("--runs", type=int, default=3, help="reader and hover runs (default 3)")
    parser.add_argument("--lighthouse-runs", type=int, default=5, help="per page (default 5)")
    parser.add_argument("--out", type=Path, default=DEFAULT_OUT, help="the JSON file to write")
    args = parser.parse_args(argv)
    info = machine_info()
    with tempfile.TemporaryDirectory(prefix="crible-plain-") as tmp:
        work = Path(tmp)
        port = free_port()
        with checkout(args.rev, work / "checkout") as project:
            site_url = f"http://127.0.0.1:{port}/{SITE}/"
            print(f"Building {args.rev} for {site_url}…", flush=True)
            build_site(work / "site", site_url, timeout_ms=ENGINE_TIMEOUT_MS, project=project)
        plain_url = f"http://127.0.0.1:{port}/{PLAIN}/"
        print(f"Building the plain Material site for {plain_url}…", flush=True)
        timed_build(plain_project(work / "plain"), work / "plain-site", plain_url, strict=False)
        roots = {SITE: work / "site", PLAIN: work / "plain-site", BARE: prepare_bare(work / "bare")}
        with BenchServer(roots, port) as server:
            browser = browser_rows(server, args.runs, work / "profiles")
            print(f"Lighthouse ({args.lighthouse_runs} runs of each page)…", flush=True)
            lh = lighthouse_rows(server, args.lighthouse_runs, work)
    print(f"\nrev {args.rev}")
    settings = {
        "runs": args.runs,
        "lighthouse_runs": args.lighthouse_runs,
        "reader_ms": READER_MS,
        "repeat_ms": REPEAT_MS,
        "hover_ms": HOVER_MS,
    }
    raw = {"browser": browser["raw"], "lighthouse": lh["raw"]}
    metrics = {**browser["metrics"], **lh["metrics"]}
    report(args.out, metrics, info, HEADERS, rev=args.rev, settings=settings, raw=raw)
    return 0


if __name__ == "__main__":
    sys.exit(main())
