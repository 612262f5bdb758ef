"""A/B: two versions of the site, measured side by side in the same run.

    .venv/bin/python bench/ab.py REV_A [REV_B] [--runs 7] [--out bench/results/ab.json]

REV_A and REV_B are git revisions (a commit, a branch, `HEAD~1`); `.` (REV_B's default) is the
working tree as it is, uncommitted changes included. Each is built as `make build` does (a
revision from a temporary `git worktree` sharing this checkout's node_modules and build cache),
and both are served under their own prefix of one local server. Then, run after run, in
alternating order: a first visit of "Évaluer un contact" on a fresh profile and a repeat visit
on the same profile, exactly as `bench/run.py` does against the bare page (bench/browser.py).

It answers the question `run.py` cannot: does this change pay? The noise of this machine (two
cores, other processes) moves a whole run by more than many changes are worth; two builds
measured in the same run, paired, separate the change from the noise. The table gives medians
of B and A, their ratio and the median of the paired ratios; with it, the steps of the engine's
start (its "ready" answer, on the page's clock) show where the difference comes from.
"""

from __future__ import annotations

import argparse
import contextlib
import subprocess
import sys
import tempfile
from pathlib import Path
from typing import TYPE_CHECKING, Any

# bench.* (this directory is not a package), and the tests' site_support and conftest.
sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "tests"))
sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from playwright.sync_api import sync_playwright
from site_support import ROOT, build_site, free_port

from bench.browser import ENGINE_TIMEOUT_MS, first_and_repeat
from bench.run import CRIBLE_PAGE, Metric, machine_info, report
from bench.server import BenchServer

if TYPE_CHECKING:
    from collections.abc import Iterator, Sequence

    from bench.browser import Visit

WORKING_TREE = "."
DEFAULT_OUT = ROOT / "bench" / "results" / "ab.json"
# What a checkout needs besides its tracked files: the pinned runtime, the compiled stdlib.
SHARED = ("node_modules", ".cache")
# The engine's steps, from its "ready" answer (worker.js: `timings`), placed on the page's clock.
STEPS = ("started", "runtime", "snapshotRead", "pyodide", "unpacked", "imported", "scoring")
HEADERS = ("Mesure", "B (méd.)", "A (méd.)", "B / A", "B / A apparié", "n")


@contextlib.contextmanager
def checkout(revision: str, directory: Path) -> Iterator[Path]:
    """The project at `revision`: this checkout itself, or a temporary worktree of it."""
    if revision == WORKING_TREE:
        yield ROOT
        return
    git = ["git", "-C", str(ROOT)]
    subprocess.run([*git, "worktree", "add", "--detach", str(directory), revision], check=True)
    try:
        for name in SHARED:
            if (ROOT / name).exists():
                (directory / name).symlink_to(ROOT / name, target_is_directory=True)
        yield directory
    finally:
        subprocess.run([*git, "worktree", "remove", "--force", str(directory)], check=True)


def engine_steps(visit: Visit) -> dict[str, float]:
    """The engine's start-up steps of one visit, in ms since the page's navigation."""
    engine = visit.state.get("engine") or {}
    timings = engine.get("timings") or {}
    if "origin" not in timings:
        return {}
    offset = float(timings["origin"]) - float(engine["pageOrigin"])
    steps = {name: float(timings[name]) + offset for name in STEPS if name in timings}
    steps["ready"] = float(visit.state["engineReady"])
    return steps


def measure(server: BenchServer, runs: int, profiles: Path) -> dict[str, Any]:
    samples: dict[str, dict[str, list[Visit]]] = {
        label: {"first": [], "repeat": []} for label in ("a", "b")
    }
    with sync_playwright() as playwright:
        for run in range(runs):
            order = ("a", "b") if run % 2 == 0 else ("b", "a")
            for label in order:
                url = server.url(label, CRIBLE_PAGE)
                first, repeat = first_and_repeat(playwright, server, url, profiles / label)
                samples[label]["first"].append(first)
                samples[label]["repeat"].append(repeat)
                print(
                    f"  run {run + 1}/{runs} {label.upper()}  first {first.done_ms:7.0f} ms, "
                    f"repeat {repeat.done_ms:7.0f} ms ({first.engine_start}, "
                    f"{repeat.engine_start})",
                    flush=True,
                )
    metrics: dict[str, Metric] = {}
    for visit, name in (("first", "Froid"), ("repeat", "Visite répétée")):
        b, a = samples["b"][visit], samples["a"][visit]
        metrics[f"{visit}_ms"] = Metric(
            f"{name} → 1er verdict (ms)",
            "ms",
            "A",
            [v.done_ms for v in b],
            [v.done_ms for v in a],
        )
        for step in (*STEPS[1:], "ready"):
            b_steps = [engine_steps(v).get(step) for v in b]
            a_steps = [engine_steps(v).get(step) for v in a]
            if None in b_steps or None in a_steps:
                continue  # a step one of the versions does not report
            metrics[f"{visit}_{step}"] = Metric(
                f"  {name} : {step} (ms)",
                "ms",
                "A",
                [float(x) for x in b_steps if x is not None],
                [float(x) for x in a_steps if x is not None],
            )
    raw = {
        label: {visit: [v.as_json() for v in visits] for visit, visits in by_visit.items()}
        for label, by_visit in samples.items()
    }
    return {"metrics": metrics, "raw": raw}


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0] if __doc__ else None)
    parser.add_argument("rev_a", help="git revision of A, or . for the working tree")
    parser.add_argument("rev_b", nargs="?", default=WORKING_TREE, help="of B (default .)")
    parser.add_argument("--runs", type=int, default=7, help="runs of each version (default 7)")
    parser.add_argument("--out", type=Path, default=DEFAULT_OUT, help="the JSON file to write")
    args = parser.parse_args(argv)
    if args.runs < 1:
        parser.error("--runs must be at least 1")
    info = machine_info()
    with tempfile.TemporaryDirectory(prefix="crible-ab-") as tmp:
        work = Path(tmp)
        port = free_port()
        roots = {}
        for label, revision in (("a", args.rev_a), ("b", args.rev_b)):
            with checkout(revision, work / f"checkout-{label}") as project:
                site_url = f"http://127.0.0.1:{port}/{label}/"
                print(f"Building {label.upper()} ({revision}) for {site_url}…", flush=True)
                roots[label] = work / f"site-{label}"
                build_site(roots[label], site_url, timeout_ms=ENGINE_TIMEOUT_MS, project=project)
        with BenchServer(roots, port) as server:
            print(f"Browser visits ({args.runs} runs of each, alternating)…", flush=True)
            result = measure(server, args.runs, work / "profiles")
    print(f"\nA = {args.rev_a}, B = {args.rev_b}")
    fields = {"a": args.rev_a, "b": args.rev_b, "runs": args.runs, "raw": result["raw"]}
    report(args.out, result["metrics"], info, HEADERS, **fields)
    return 0


if __name__ == "__main__":
    sys.exit(main())
