"""Crible's benchmark: the built site against a bare Pyodide page, measured side by side.

    .venv/bin/python bench/run.py [--runs 5] [--out bench/results/latest.json]

Builds the site once (as `make build` does), serves it under /crible/ and the bare reference
page under /bare/ on 127.0.0.1, drives headless Chromium with persistent profiles, and prints
medians and the ratio site / bare of each scenario; raw samples go to the JSON file. What each
scenario measures, and how: bench/README.md.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import platform
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from importlib import metadata
from pathlib import Path
from typing import TYPE_CHECKING, Any

# bench.* (this directory is not a package), and the tests' site_support and conftest.
sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "tests"))
sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from conftest import CHROMIUM
from playwright.sync_api import sync_playwright
from site_support import build_site, free_port

from bench.browser import (
    DWELL_MS,
    ENGINE_TIMEOUT_MS,
    READ_MS,
    SETTLE_MS,
    first_and_repeat,
    from_guide,
)
from bench.build_time import plain_project, timed_build
from bench.server import BenchServer, gzip_size

if TYPE_CHECKING:
    from collections.abc import Sequence

    from bench.browser import Visit
    from bench.server import Hit

ROOT = Path(__file__).resolve().parents[1]
SITE, BARE = "crible", "bare"  # URL prefixes: /crible/ (as a GitHub Pages project) and /bare/
CRIBLE_PAGE = "crible/"  # "Évaluer un contact": /crible/crible/
PYODIDE = ROOT / "node_modules" / "pyodide"
STOCK_FILES = (
    "pyodide.mjs",
    "pyodide.asm.mjs",
    "pyodide.asm.wasm",
    "python_stdlib.zip",
    "pyodide-lock.json",
)
GUIDE_PAGE = "regles/"
# A link to the crible in the guide's text ("passez un contact au crible"). Material's instant
# navigation rewrites links to absolute URLs once the page has loaded.
GUIDE_LINK = '.md-content a[href="{absolute}"], .md-content a[href="../crible/"]'
DEFAULT_OUT = ROOT / "bench" / "results" / "latest.json"


@dataclass(slots=True)
class Metric:
    """One row of the table: samples of the site and of its reference, in the same run."""

    label: str
    unit: str
    reference: str  # what the bare column is, for this row
    site: list[float]
    bare: list[float]

    def medians(self) -> tuple[float | None, float | None, float | None]:
        site = statistics.median(self.site) if self.site else None
        bare = statistics.median(self.bare) if self.bare else None
        ratio = site / bare if site is not None and bare else None
        return site, bare, ratio

    def paired_ratios(self) -> list[float | None]:
        """site / bare of each run (the samples of one index were taken side by side)."""
        return [s / b if b else None for s, b in zip(self.site, self.bare, strict=False)]

    def paired_median(self) -> float | None:
        paired = [r for r in self.paired_ratios() if r is not None]
        return statistics.median(paired) if paired else None

    def as_json(self) -> dict[str, Any]:
        site, bare, ratio = self.medians()
        return {
            "label": self.label,
            "unit": self.unit,
            "reference": self.reference,
            "site": self.site,
            "bare": self.bare,
            "site_median": site,
            "bare_median": bare,
            "ratio": ratio,
            "site_min": min(self.site, default=None),
            "bare_min": min(self.bare, default=None),
            "paired_ratios": self.paired_ratios(),
            "paired_ratio_median": self.paired_median(),
            "n": min(len(self.site), len(self.bare)),
        }


def prepare_bare(directory: Path) -> Path:
    """The bare page and the stock runtime files, copied as they come from npm."""
    directory.mkdir()
    shutil.copy2(ROOT / "bench" / "reference" / "index.html", directory / "index.html")
    for name in STOCK_FILES:
        shutil.copy2(PYODIDE / name, directory / name)
    return directory


def kilobytes(hits: Sequence[Hit]) -> float:
    return sum(hit.sent for hit in hits) / 1000


def gzip_kilobytes(hits: Sequence[Hit]) -> float:
    """Every body compressed, the zip archives too, as a host compressing everything would
    send them (headers as sent here; the server already compresses what Pages compresses)."""
    total = 0
    for hit in hits:
        if hit.encoded or hit.file is None:
            total += hit.sent
            continue
        total += hit.sent - hit.file.stat().st_size + gzip_size(hit.file)
    return total / 1000


def machine_info() -> dict[str, Any]:
    chromium = subprocess.run(
        [CHROMIUM, "--version"], capture_output=True, text=True, check=False, timeout=30
    ).stdout.strip()
    git = subprocess.run(
        ["git", "describe", "--always", "--dirty"],
        capture_output=True,
        text=True,
        check=False,
        cwd=ROOT,
        timeout=30,
    ).stdout.strip()
    pyodide = json.loads((PYODIDE / "package.json").read_text(encoding="utf-8"))["version"]
    return {
        "date": dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
        "nproc": os.cpu_count(),
        "platform": platform.platform(),
        "python": platform.python_version(),
        "chromium": chromium,
        "playwright": metadata.version("playwright"),
        "pyodide": pyodide,
        "mkdocs": metadata.version("mkdocs"),
        "mkdocs-material": metadata.version("mkdocs-material"),
        "git": git,
        "loadavg_start": os.getloadavg(),
    }


def browser_scenarios(server: BenchServer, runs: int, profiles: Path) -> dict[str, Any]:
    """Scenarios 1 to 5, interleaved: each run visits site and bare (alternating which first)."""
    site_url, bare_url = server.url(SITE, CRIBLE_PAGE), server.url(BARE)
    first: dict[str, list[Visit]] = {SITE: [], BARE: []}
    repeat: dict[str, list[Visit]] = {SITE: [], BARE: []}
    guide: list[dict[str, Any]] = []
    guide_samples: list[float] = []
    guide_kb: list[float] = []
    guide_requests: list[float] = []
    with sync_playwright() as playwright:
        for run in range(runs):
            order = (SITE, BARE) if run % 2 == 0 else (BARE, SITE)
            for variant in order:
                url = site_url if variant == SITE else bare_url
                profile = profiles / f"{variant}-{run}"
                cold, again = first_and_repeat(playwright, server, url, profile)
                first[variant].append(cold)
                repeat[variant].append(again)
                starts = f" (engine: {cold.engine_start}, {again.engine_start})"
                print(
                    f"  run {run + 1}/{runs} {variant:6} first {cold.done_ms:7.0f} ms, "
                    f"repeat {again.done_ms:7.0f} ms{starts if variant == SITE else ''}"
                )
            visit = from_guide(
                playwright,
                server,
                server.url(SITE, GUIDE_PAGE),
                GUIDE_LINK.format(absolute=site_url),
                profiles / f"guide-{run}",
            )
            guide_samples.append(visit.click_to_done_ms)
            guide_kb.append(kilobytes(visit.guide.hits))
            guide_requests.append(len(visit.guide.hits))
            guide.append(
                {
                    "click_to_done_ms": visit.click_to_done_ms,
                    "instant_navigation": visit.instant,
                    "guide": visit.guide.as_json(),
                    "crible": visit.crible.as_json(),
                }
            )
            print(
                f"  run {run + 1}/{runs} guide  click → score {visit.click_to_done_ms:7.0f} ms"
                f" (instant navigation: {visit.instant})"
            )

    def samples(visits: dict[str, list[Visit]], measure: Any) -> dict[str, list[float]]:  # noqa: ANN401
        return {variant: [float(measure(v)) for v in visits[variant]] for variant in visits}

    def metric(label: str, unit: str, values: dict[str, list[float]], ref: str) -> Metric:
        return Metric(label, unit, ref, values[SITE], values[BARE])

    done = samples(first, lambda v: v.done_ms)
    cold_kb = samples(first, lambda v: kilobytes(v.hits))
    tasks = samples(first, lambda v: len(v.longtasks_until_done()))
    tasks_ms = samples(first, lambda v: sum(d for _, d in v.longtasks_until_done()))
    metrics = {
        "cold_ms": metric("1. Froid → 1er verdict (ms)", "ms", done, "bare: cold load → ready"),
        "repeat_ms": metric(
            "2. Visite répétée → 1er verdict (ms)",
            "ms",
            samples(repeat, lambda v: v.done_ms),
            "bare: repeat visit → ready",
        ),
        "guide_click_ms": Metric(
            "3. regles/ puis clic → 1er verdict (ms)",
            "ms",
            "bare: cold load → ready",
            guide_samples,
            done[BARE],
        ),
        "cold_kb": metric("4. Octets, froid (kB)", "kB", cold_kb, "bare: cold load"),
        "cold_kb_gzip": metric(
            "4. Octets, froid, gzip estimé (kB)",
            "kB",
            samples(first, lambda v: gzip_kilobytes(v.hits)),
            "bare: cold load",
        ),
        "cold_requests": metric(
            "4. Requêtes, froid", "count", samples(first, lambda v: len(v.hits)), "bare: cold load"
        ),
        "repeat_requests": metric(
            "4. Requêtes, visite répétée",
            "count",
            samples(repeat, lambda v: len(v.hits)),
            "bare: repeat visit",
        ),
        "guide_kb": Metric(
            f"4. Octets, regles/ seule ({READ_MS // 1000} s) (kB)",
            "kB",
            "bare: cold load",
            guide_kb,
            cold_kb[BARE],
        ),
        "guide_requests": Metric(
            f"4. Requêtes, regles/ seule ({READ_MS // 1000} s)",
            "count",
            "bare: cold load",
            guide_requests,
            [float(len(v.hits)) for v in first[BARE]],
        ),
        "longtask_count": metric(
            "5. Tâches longues avant 1er verdict", "count", tasks, "bare: until ready"
        ),
        "longtask_ms": metric(
            "5. Durée des tâches longues (ms)", "ms", tasks_ms, "bare: until ready"
        ),
    }
    raw = {
        "first": {k: [v.as_json() for v in vs] for k, vs in first.items()},
        "repeat": {k: [v.as_json() for v in vs] for k, vs in repeat.items()},
        "guide": guide,
    }
    return {"metrics": metrics, "raw": raw}


def build_scenario(runs: int, work: Path, site_url: str) -> Metric:
    """Scenario 6: the real strict build and the plain Material build, interleaved."""
    plain = plain_project(work / "plain")
    real = ROOT / "mkdocs.yml"
    timed_build(plain, work / "out-plain", site_url, strict=False)  # warm-up, not counted
    site: list[float] = []
    bare: list[float] = []
    for run in range(runs):
        site.append(timed_build(real, work / "out-real", site_url, strict=True))
        bare.append(timed_build(plain, work / "out-plain", site_url, strict=False))
        print(f"  run {run + 1}/{runs} build  real {site[-1]:.2f} s, plain {bare[-1]:.2f} s")
    return Metric("6. mkdocs build (s)", "s", "bare: plain Material build", site, bare)


def _format(value: float | None, unit: str) -> str:
    if value is None:
        return "—"
    if unit == "s":
        return f"{value:.2f}"
    if unit == "kB":
        return f"{value:,.1f}".replace(",", "\u202f")
    if unit == "count":
        return f"{value:g}"
    return f"{value:,.0f}".replace(",", "\u202f")


HEADERS = ("Scénario", "Site (méd.)", "Nu (méd.)", "Ratio", "Ratio apparié", "n")


def table(metrics: dict[str, Metric], headers: tuple[str, ...] = HEADERS) -> str:
    rows = [headers]
    for metric in metrics.values():
        site, bare, ratio = metric.medians()
        paired = metric.paired_median()
        rows.append(
            (
                metric.label,
                _format(site, metric.unit),
                _format(bare, metric.unit),
                "—" if ratio is None else f"{ratio:.2f}",
                "—" if paired is None else f"{paired:.2f}",
                str(min(len(metric.site), len(metric.bare))),
            )
        )
    widths = [max(len(row[i]) for row in rows) for i in range(len(rows[0]))]
    lines = []
    for index, row in enumerate(rows):
        cells = [row[0].ljust(widths[0])] + [
            c.rjust(w) for c, w in zip(row[1:], widths[1:], strict=True)
        ]
        lines.append("| " + " | ".join(cells) + " |")
        if index == 0:
            lines.append(
                "|" + "|".join("-" * (w + 1) + ":" for w in widths).replace("-:", "--", 1) + "|"
            )
    return "\n".join(lines)


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0] if __doc__ else None)
    parser.add_argument("--runs", type=int, default=5, help="runs of each scenario (default 5)")
    parser.add_argument("--out", type=Path, default=DEFAULT_OUT, help="the JSON file to write")
    args = parser.parse_args(argv)
    if args.runs < 1:
        parser.error("--runs must be at least 1")
    started = time.perf_counter()
    info = machine_info()
    print(f"Crible bench: {info['chromium']}, Pyodide {info['pyodide']}, nproc {info['nproc']}")
    with tempfile.TemporaryDirectory(prefix="crible-bench-") as tmp:
        work = Path(tmp)
        port = free_port()
        site_url = f"http://127.0.0.1:{port}/{SITE}/"
        print(f"Building the site for {site_url}…")
        build_site(work / "site", site_url, timeout_ms=ENGINE_TIMEOUT_MS)
        roots = {SITE: work / "site", BARE: prepare_bare(work / "bare")}
        with BenchServer(roots, port) as server:
            print(f"Browser scenarios ({args.runs} runs, interleaved)…")
            browser = browser_scenarios(server, args.runs, work / "profiles")
        print("Build time…")
        metrics: dict[str, Metric] = browser["metrics"]
        metrics["build_s"] = build_scenario(args.runs, work, site_url)
    elapsed = time.perf_counter() - started
    settings = {
        "runs": args.runs,
        "dwell_ms": DWELL_MS,
        "settle_ms": SETTLE_MS,
        "read_ms": READ_MS,
        "guide_page": GUIDE_PAGE,
        "elapsed_s": round(elapsed, 1),
    }
    report(args.out, metrics, info, settings=settings, raw=browser["raw"])
    print(f"Total {elapsed:.0f} s")
    return 0


def report(
    out: Path,
    metrics: dict[str, Metric],
    info: dict[str, Any],
    headers: tuple[str, ...] = HEADERS,
    **fields: Any,  # noqa: ANN401 (JSON values: what was run, the raw samples)
) -> None:
    """The end of every bench script: the table and the machine on the console, then the JSON
    of the run (the machine, `fields`, every metric with its samples, medians and ratios)."""
    info["loadavg_end"] = os.getloadavg()
    print()
    print(table(metrics, headers))
    load = " → ".join(f"{info[k][0]:.1f}" for k in ("loadavg_start", "loadavg_end"))
    print(f"\n{info['date']} · {info['chromium']} · nproc {info['nproc']} · load {load}")
    results = {
        "machine": info,
        **fields,
        "metrics": {key: metric.as_json() for key, metric in metrics.items()},
    }
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(json.dumps(results, indent=2, ensure_ascii=False) + "\n", "utf-8")
    print(f"Raw samples: {out}")


if __name__ == "__main__":
    sys.exit(main())
