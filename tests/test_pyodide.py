"""The browser entry points answer in real Pyodide exactly what they answer in CPython.

One Node process loads the npm ``pyodide`` runtime (CPython 3.14, the one the site ships),
installs the wheel built from this tree the way the site does (unpacked into site-packages, no
micropip, no network), and runs every call below through ``tests/pyodide_driver.py``; the same
driver runs the same calls here, in-process. Each response must be the same text.

Twice: with the runtime's own ``python_stdlib.zip`` and the plain wheel, and with what the site
ships instead (``engine_assets.engine_stdlib``: the bytecode of only the modules the engine
needs, loaded through ``stdLibURL`` as ``worker.js`` loads it; and the wheel with `scoring`'s own
bytecode, ``engine_assets.build_wheel(bytecode=…)``). A module that the trimmed zip lacks and some
path imports would fail a call here, not in a visitor's browser.
"""

from __future__ import annotations

import base64
import json
import random
import runpy
import shutil
import subprocess
import sys
import time
from datetime import UTC, datetime
from importlib import metadata
from pathlib import Path
from typing import Any

import engine_assets
import pytest

from scoring import load_questionnaire, questionnaire_ids
from scoring.archive import Archive, Contact, Evaluation, dump_archive
from scoring.contract import ENTRY_POINTS

pytestmark = pytest.mark.pyodide

ROOT = Path(__file__).resolve().parent.parent
RUNNER = ROOT / "tests" / "pyodide_runner.mjs"
# The file the runner loads into Pyodide, run here too (by path: tests are not a package).
DRIVER = runpy.run_path(str(ROOT / "tests" / "pyodide_driver.py"))
PYODIDE = ROOT / "node_modules" / "pyodide"
NODE_TIMEOUT = 180  # seconds; a normal run takes 3 to 8


# --- The calls -------------------------------------------------------------------------------

CONTACT = load_questionnaire("contact")
ITEMS = {item.id: item.sign for item in CONTACT.items}
DURATIONS = [duration.id for duration in CONTACT.context.durations]


def request(answers: object, context: object = None, questionnaire: object = "contact") -> str:
    data: dict[str, Any] = {"questionnaire": questionnaire, "answers": answers}
    if context is not None:
        data["context"] = context
    return json.dumps(data, ensure_ascii=False)


def best() -> dict[str, str]:
    return {item: "yes" if sign == "+" else "no" for item, sign in ITEMS.items()}


def worst() -> dict[str, str]:
    return {item: "no" if sign == "+" else "yes" for item, sign in ITEMS.items()}


def other_best(qid: str, *, flip: bool = False) -> dict[str, str]:
    """The most (or, flipped, the least) favourable answers to questionnaire ``qid``."""
    good = ("yes", "no") if not flip else ("no", "yes")
    return {
        item.id: good[0] if item.sign == "+" else good[1] for item in load_questionnaire(qid).items
    }


def random_profiles(count: int) -> list[tuple[str, str]]:
    """Seeded, so both sides and every run see the same answers."""
    rng = random.Random(20261126)  # noqa: S311 - test data, not cryptography
    profiles = []
    for index in range(count):
        answers = {
            item: rng.choice(["yes", "no", "unknown"]) for item in ITEMS if rng.random() < 0.85
        }
        context = rng.choice([None, {}, {"duration": None}, *({"duration": d} for d in DURATIONS)])
        profiles.append((f"evaluate-random-{index}", request(answers, context)))
    return profiles


EVALUATE = [
    ("evaluate-best", request(best(), {"duration": "gt1y"})),
    ("evaluate-worst", request(worst(), {"duration": "gt1y"})),
    ("evaluate-mixed", request({item: ["yes", "no"][i % 2] for i, item in enumerate(ITEMS)})),
    ("evaluate-all-unknown", request(dict.fromkeys(ITEMS, "unknown"))),
    ("evaluate-nothing", request({})),
    (
        "evaluate-contradictory",
        request({**best(), "always-critical": "yes", "feel-empty": "yes", "motivated": "yes"}),
    ),
    ("evaluate-too-recent", request(best(), {"duration": "lt1m"})),
    ("evaluate-recent-and-worst", request(worst(), {"duration": "1to3m"})),
    ("evaluate-partial", request({"available": "yes", "evasive": "yes", "competent": "no"})),
    ("evaluate-context-null", request(best(), {"duration": None})),
    ("evaluate-invalid-value", request({"available": "maybe", "evasive": True})),
    ("evaluate-unknown-item", request({"availability": "yes", "__proto__": "no"})),
    ("evaluate-unknown-duration", request(best(), {"duration": "2y", "mood": 1})),
    ("evaluate-unknown-questionnaire", request(best(), questionnaire="reseau")),
    ("evaluate-no-questionnaire", json.dumps({"answers": {}})),
    ("evaluate-not-an-object", "[1, 2]"),
    ("evaluate-not-json", '{"questionnaire": "contact", "answers": {'),
    # Would overflow the JavaScript stack inside json.loads and kill Pyodide if it were parsed.
    ("evaluate-deeply-nested", "[" * 100_000 + "]" * 100_000),
    *random_profiles(30),
    *(
        # The other questionnaires: golden profiles, scored by the same engine.
        (f"evaluate-{qid}-{name}", request(answers, context, questionnaire=qid))
        for qid in ("apport", "donne", "groupe")
        for name, answers, context in (
            ("best", other_best(qid), {"duration": "gt1y"}),
            ("worst", other_best(qid, flip=True), {"duration": "3to12m"}),
            ("recent", other_best(qid), {"duration": "1to3m"}),
            ("partial", dict(list(other_best(qid).items())[:2]), None),
        )
    ),
]

DESCRIBE = [(f"describe-{qid}", qid) for qid in questionnaire_ids()] + [
    ("describe-unknown", "reseau"),
    ("describe-path", "../rules"),
]


def archive_text(*evaluations: dict[str, Any], label: str = "Lambda", **top: Any) -> str:
    data = {
        "format": "crible-archive",
        "version": 1,
        "exported_at": "2026-11-26T10:00:00.000Z",
        "contacts": [
            {
                "id": "c-1a2b3c",
                "label": label,
                "created": "2026-01-02T09:30:00Z",
                "evaluations": list(evaluations),
            }
        ],
        **top,
    }
    return json.dumps(data, ensure_ascii=False)


def evaluation(eid: str = "e-1", **changes: Any) -> dict[str, Any]:
    return {
        "id": eid,
        "date": "2026-03-04T10:00:00.250Z",
        "questionnaire": "contact",
        "answers": {"available": "yes", "feel-empty": "unknown"},
        "context": {"duration": "3to12m"},
        **changes,
    }


def large_archive() -> str:
    """Close to the size limit: 2 500 evaluations of every criterion (about 1.7 MB)."""
    date = datetime(2026, 1, 1, tzinfo=UTC)
    contacts = tuple(
        Contact(
            id=f"c-{c:05d}",
            label=f"Contact n° {c}",
            created=date,
            evaluations=tuple(
                Evaluation(
                    id=f"e-{c:05d}-{e:03d}",
                    date=date,
                    questionnaire="contact",
                    answers={
                        item: ["yes", "no", "unknown"][(c + e + i) % 3]
                        for i, item in enumerate(ITEMS)
                    },
                    context={"duration": DURATIONS[e % len(DURATIONS)]},
                )
                for e in range(25)
            ),
        )
        for c in range(100)
    )
    return dump_archive(Archive(contacts=contacts))


ARCHIVES = [
    ("archive-large", large_archive()),
    ("archive-valid", archive_text(evaluation(), evaluation("e-2", context=None))),
    ("archive-html-label", archive_text(label="<img src=x onerror=alert(1)>")),
    ("archive-no-contact", json.dumps({"format": "crible-archive", "version": 1, "contacts": []})),
    (
        "archive-many-problems",
        archive_text(
            evaluation(answers={"available": "maybe", "x": "yes"}, context={"duration": "2y"}),
            evaluation("e-1", date="2099-01-01T00:00:00Z", questionnaire="groupe"),
            label="a\tb",
            extra=1,
            __proto__={},
        ),
    ),
    ("archive-empty", ""),
    ("archive-not-json", "bonjour"),
    ("archive-truncated", archive_text(evaluation())[:-7]),
    ("archive-nan", '{"version": NaN}'),
    ("archive-too-deep-arrays", "[" * 100_000),
    ("archive-too-deep-objects", '{"a":' * 100_000),
    ("archive-huge-integer", '{"version": ' + "9" * 5000 + "}"),
    ("archive-duplicate-keys", '{"format": "crible-archive", "format": "x", "version": 1}'),
    ("archive-future-version", json.dumps({"format": "crible-archive", "version": 4})),
    ("archive-list", "[]"),
    (
        "archive-lone-surrogates",
        archive_text(evaluation(answers={"\udc00": "yes"}), label="\ud800"),
    ),
    ("archive-too-big", " " * 2_000_001 + "{}"),
]

# --- Mon réseau --------------------------------------------------------------------------------

HOSTILE_LABELS = [
    '=HYPERLINK("http://x";"y")',
    "+33 6",
    "-1",
    "@A1",
    "a;b",
    'Le "grand"',
    "<b>x</b>",
]
NETWORK_ARCHIVE = json.dumps(
    {
        "format": "crible-archive",
        "version": 1,
        "contacts": [
            {
                "id": "c-a",
                "label": "Lambda",
                "created": "2026-01-02T09:30:00Z",
                "evaluations": [
                    evaluation("e-2", date="2026-06-01T08:00:00Z", answers=worst()),
                    evaluation("e-1", answers=best()),
                ],
            },
            {
                "id": "c-b",
                "label": "<img src=x onerror=alert(1)>",
                "created": "2026-01-02T09:30:00Z",
                "evaluations": [],
            },
            *(
                {
                    "id": f"c-h{i}",
                    "label": label,
                    "created": "2026-01-02T09:30:00Z",
                    "evaluations": [evaluation(f"e-h{i}", answers={"available": "yes"})],
                }
                for i, label in enumerate(HOSTILE_LABELS)
            ),
        ],
    },
    ensure_ascii=False,
)
# Version 2: people with both sides and time, a group, the visitor.
EVERY_KIND = json.dumps(
    {
        "format": "crible-archive",
        "version": 2,
        "contacts": [
            {
                "id": "c-a",
                "kind": "contact",
                "label": "Lambda",
                "created": "2026-01-02T09:30:00Z",
                "evaluations": [
                    {**evaluation("e-1", answers=best()), "minutes": 90},
                    {
                        **evaluation("e-2", answers=other_best("donne", flip=True)),
                        "questionnaire": "donne",
                        "minutes": 30,
                    },
                ],
            },
            {
                "id": "g-a",
                "kind": "groupe",
                "label": "Forum « X »",
                "created": "2026-01-02T09:30:00Z",
                "evaluations": [
                    {
                        **evaluation("e-3", answers=other_best("groupe", flip=True)),
                        "questionnaire": "groupe",
                        "minutes": 600,
                    }
                ],
            },
            {
                "id": "c-me",
                "kind": "soi",
                "label": "Vous",
                "created": "2026-01-02T09:30:00Z",
                "evaluations": [
                    {
                        **evaluation("e-4", answers=other_best("apport")),
                        "questionnaire": "apport",
                    }
                ],
            },
        ],
    },
    ensure_ascii=False,
)
# The requests of the entry points that only read the stored archive: {"current": text}.
STORED = [
    *(
        (case, json.dumps({"current": text}))
        for case, text in [
            ("valid", NETWORK_ARCHIVE),
            ("every-kind", EVERY_KIND),
            ("large", ARCHIVES[0][1]),
            ("nothing", ""),
            ("null", None),
            ("many-problems", dict(ARCHIVES)["archive-many-problems"]),
            ("not-json", "bonjour"),
            ("too-deep", "[" * 100_000),
        ]
    ),
    ("bare-text", "bonjour"),
    ("too-deep-request", "[" * 100_000),
]


def update_request(op: str, current: object = NETWORK_ARCHIVE, **fields: Any) -> str:
    return json.dumps({"current": current, "op": op, **fields}, ensure_ascii=False)


def new_evaluation(eid: str = "e-new", **changes: Any) -> dict[str, Any]:
    return evaluation(eid, **{"date": "2026-11-20T10:00:00.123Z", **changes})


UPDATES = [
    (
        "record-new-contact",
        update_request(
            "record",
            contact={"id": "c-new", "label": "<script>alert(1)</script>"},
            evaluation=new_evaluation(),
            created="2026-11-20T10:00:00.123Z",
        ),
    ),
    (
        "record-first",
        update_request(
            "record",
            current="",
            contact={"id": "c-new", "label": "Nouveau"},
            evaluation={k: v for k, v in new_evaluation().items() if k != "context"},
            created="2026-11-20T10:00:00.123Z",
        ),
    ),
    (
        "record-existing-contact",
        update_request(
            "record", contact={"id": "c-a", "label": "ignored"}, evaluation=new_evaluation()
        ),
    ),
    (
        "record-large",
        update_request(
            "record",
            current=ARCHIVES[0][1],
            contact={"id": "c-00000", "label": "x"},
            evaluation=new_evaluation(),
        ),
    ),
    (
        "record-invalid",
        update_request(
            "record",
            contact={"id": "c new", "label": "a\tb", "x": 1},
            created="2026-11-20",
            evaluation=new_evaluation(answers={"available": "maybe", "foo": "yes"}),
        ),
    ),
    (
        "record-invalid-evaluation",
        update_request(
            "record",
            contact={"id": "c-new", "label": "ok"},
            evaluation=new_evaluation(date="2099-01-01T00:00:00Z", context={"duration": "2y"}),
        ),
    ),
    (
        "record-taken-evaluation-id",
        update_request("record", contact={"id": "c-b", "label": "b"}, evaluation=evaluation("e-1")),
    ),
    (
        "record-group-with-time",
        update_request(
            "record",
            current=EVERY_KIND,
            contact={"id": "g-b", "label": "Club", "kind": "groupe"},
            evaluation=new_evaluation("e-g2", questionnaire="groupe", answers={}, minutes=45),
        ),
    ),
    (
        "record-second-self",
        update_request(
            "record",
            current=EVERY_KIND,
            contact={"id": "c-me2", "label": "Vous", "kind": "soi"},
            evaluation=new_evaluation("e-s2", questionnaire="apport", answers={}),
        ),
    ),
    ("rename", update_request("rename", contact_id="c-a", label="Alpha « β »")),
    ("rename-invalid", update_request("rename", contact_id="c-a", label="x" * 81)),
    ("rename-unknown", update_request("rename", contact_id="c-zzz", label="x")),
    (
        "delete-evaluation",
        update_request("delete-evaluation", contact_id="c-a", evaluation_id="e-1"),
    ),
    (
        "delete-evaluation-unknown",
        update_request("delete-evaluation", contact_id="c-b", evaluation_id="e-1"),
    ),
    ("delete-contact", update_request("delete-contact", contact_id="c-b")),
    ("delete-contact-unknown", update_request("delete-contact", contact_id=7)),
    ("unknown-op", update_request("merge")),
    ("corrupt-current", update_request("delete-contact", current="{}", contact_id="c-a")),
    ("no-current", json.dumps({"op": "delete-contact", "contact_id": "c-a"})),
    ("not-json", "{"),
    ("too-deep", "[" * 100_000),
]

INCOMING = json.dumps(
    {
        "format": "crible-archive",
        "version": 1,
        "contacts": [
            {
                "id": "c-a",
                "label": "Alpha",
                "created": "2026-01-02T09:30:00Z",
                "evaluations": [
                    evaluation("e-1", answers=worst()),
                    evaluation("e-3", date="2026-07-01T00:00:00Z"),
                ],
            },
            {
                "id": "c-z",
                "label": "Zoé",
                "created": "2026-02-02T09:30:00Z",
                "evaluations": [evaluation("e-4")],
            },
        ],
    },
    ensure_ascii=False,
)
IMPORTS: list[tuple[str, dict[str, Any]]] = [
    ("changes", {"current": NETWORK_ARCHIVE, "incoming": INCOMING}),
    ("into-nothing", {"current": None, "incoming": INCOMING}),
    ("same", {"current": NETWORK_ARCHIVE, "incoming": NETWORK_ARCHIVE}),
    ("large", {"current": ARCHIVES[0][1], "incoming": ARCHIVES[0][1]}),
    (
        "invalid-incoming",
        {"current": NETWORK_ARCHIVE, "incoming": dict(ARCHIVES)["archive-many-problems"]},
    ),
    ("empty-incoming", {"current": NETWORK_ARCHIVE, "incoming": ""}),
    ("corrupt-current", {"current": "bonjour", "incoming": INCOMING}),
]
IMPORT_PREVIEWS = [(f"import-preview-{case}", json.dumps(req)) for case, req in IMPORTS] + [
    ("import-preview-unknown-key", json.dumps({"current": "", "incoming": "", "mode": "merge"})),
]
IMPORT_APPLIES = [
    (f"import-apply-{mode}-{case}", json.dumps({**req, "mode": mode}))
    for case, req in IMPORTS
    for mode in ("merge", "replace")
] + [("import-apply-unknown-mode", json.dumps({"current": "", "incoming": INCOMING, "mode": "x"}))]

# Import of contacts, history and reviews (scoring.network_requests).
_IMPORTS_DIR = Path(__file__).parent / "fixtures" / "imports"


def _file(name: str) -> str:
    return base64.b64encode((_IMPORTS_DIR / name).read_bytes()).decode()


_DAY = "2026-12-03"
_IMPORTED = Archive(
    contacts=(
        Contact(
            id="c-elodie",
            label="Élodie",
            created=datetime(2026, 12, 1, tzinfo=UTC),
            url="https://www.linkedin.com/in/elodie-durand",
            connected_on=datetime(2024, 11, 2, tzinfo=UTC).date(),
        ),
    )
)
HISTORY_ARCHIVES = [("imported", dump_archive(_IMPORTED))]
HISTORY_CALLS = [
    (
        "contacts-preview-linkedin",
        "preview_contacts_import",
        json.dumps({"current": NETWORK_ARCHIVE, "file": _file("Connections.csv"), "today": _DAY}),
    ),
    (
        "contacts-preview-french",
        "preview_contacts_import",
        json.dumps({"current": "", "file": _file("connexions-fr.csv"), "today": _DAY}),
    ),
    *(
        (
            f"contacts-preview-bad-{name}",
            "preview_contacts_import",
            json.dumps({"current": "", "file": _file(name), "today": _DAY}),
        )
        for name in ("latin1.csv", "utf16.csv", "formule.csv", "html.csv", "pipe.csv")
    ),
    (
        "contacts-apply",
        "apply_contacts_import",
        json.dumps(
            {
                "current": NETWORK_ARCHIVE,
                "file": _file("Connections.csv"),
                "today": _DAY,
                "picks": [{"line": 6, "id": "c-elodie"}, {"line": 9, "id": "c-zoe"}],
                "created": "2026-12-03T09:00:00.000Z",
                "keep_url": True,
                "keep_company": True,
            }
        ),
    ),
    ("contacts-apply-nothing", "apply_contacts_import", json.dumps({"current": ""})),
    ("history-network", "history", json.dumps({"current": NETWORK_ARCHIVE})),
    ("history-corrupt", "history", json.dumps({"current": "{"})),
    ("reviews", "reviews", json.dumps({"current": NETWORK_ARCHIVE, "today": _DAY})),
    ("reviews-bad-day", "reviews", json.dumps({"current": "", "today": "demain"})),
    (
        "reviews-ics",
        "reviews_ics",
        json.dumps(
            {"current": NETWORK_ARCHIVE, "today": _DAY, "stamp": "2026-12-03T09:00:00.000Z"}
        ),
    ),
    ("reviews-ics-no-stamp", "reviews_ics", json.dumps({"current": "", "today": _DAY})),
    (
        "prefill-duration",
        "prefill_duration",
        json.dumps(
            {
                "current": dict(HISTORY_ARCHIVES)["imported"],
                "contact_id": "c-elodie",
                "questionnaire": "contact",
                "today": _DAY,
            }
        ),
    ),
    (
        "prefill-duration-unknown",
        "prefill_duration",
        json.dumps({"current": "", "contact_id": "c-x", "questionnaire": "x", "today": _DAY}),
    ),
]

CALLS = (
    [(case, "evaluate", arg) for case, arg in EVALUATE]
    + [(case, "describe", arg) for case, arg in DESCRIBE]
    + [(case, "validate_archive", arg) for case, arg in ARCHIVES]
    + [(f"network-{case}", "network", arg) for case, arg in STORED]
    + [(f"update-{case}", "update", arg) for case, arg in UPDATES]
    + [(case, "import_preview", arg) for case, arg in IMPORT_PREVIEWS]
    + [(case, "import_apply", arg) for case, arg in IMPORT_APPLIES]
    + [(f"export-csv-{case}", "export_csv", arg) for case, arg in STORED]
    + HISTORY_CALLS
)
# The entry points, from the contract; and the Python API that is none (the build's stdlib
# probe and the tests use it), compared here too.
PYTHON_ONLY = ("describe", "validate_archive")
FUNCTIONS = (*(point.name for point in ENTRY_POINTS), *PYTHON_ONLY)


# --- One Node process for the whole module ----------------------------------------------------


@pytest.fixture(scope="session")
def wheel(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The wheel of this tree, built offline by the build backend itself (in well under 1 s)."""
    out = tmp_path_factory.mktemp("wheel")
    subprocess.run(
        [sys.executable, "-m", "hatchling", "build", "-t", "wheel", "-d", str(out)],
        cwd=ROOT,
        check=True,
        capture_output=True,
    )
    (built,) = out.glob("crible_scoring-*.whl")
    return built


@pytest.fixture(scope="session", params=["stock", "shipped"])
def stdlib(request: pytest.FixtureRequest) -> engine_assets.Stdlib | None:
    """None: the runtime's own stdlib; else the zip the site ships (from the build's cache)."""
    if request.param == "stock":
        return None
    try:
        return engine_assets.engine_stdlib(engine_assets.find_runtime(ROOT), ROOT)
    except engine_assets.EngineAssetError as error:
        pytest.fail(str(error))


# After the calls, in the same process: import every module of the package (the CLI included),
# and say where `json` comes from and whether a module left out of the trimmed zip is found.
AFTER = {
    "import_all": {"fn": "pyodide_driver:import_all", "arg": "scoring"},
    "json_origin": {"fn": "pyodide_driver:origin", "arg": "json"},
    "left_out_origin": {"fn": "pyodide_driver:origin", "arg": "antigravity"},
    # The worker's way in (browser.call): a name the contract does not list, and one it does.
    "unknown_call": {"fn": "pyodide_driver:dispatch", "arg": json.dumps(["describe", "contact"])},
    "known_call": {"fn": "pyodide_driver:dispatch", "arg": json.dumps(["network", ""])},
}


@pytest.fixture(scope="session")
def pyodide_run(
    wheel: Path, stdlib: engine_assets.Stdlib | None, tmp_path_factory: pytest.TempPathFactory
) -> dict[str, Any]:
    node = shutil.which("node")
    if node is None or not (PYODIDE / "pyodide.mjs").is_file():
        pytest.fail("Pyodide tests need Node 20+ and the npm runtime: run `npm ci` first.")
    folder = tmp_path_factory.mktemp("pyodide")
    if stdlib is not None:
        # The wheel the site ships: with scoring's bytecode, compiled by Pyodide's Python.
        wheel = engine_assets.build_wheel(ROOT, folder, bytecode=stdlib.bytecode).path
    calls, out = folder / "calls.json", folder / "results.json"
    specs = [{"fn": fn, "arg": arg} for _, fn, arg in CALLS]
    calls.write_text(json.dumps([*specs, *AFTER.values()]))
    command = [node, str(RUNNER), "--wheel", str(wheel), "--calls", str(calls), "--out", str(out)]
    if stdlib is not None:
        command += ["--stdlib", str(stdlib.path)]
    started = time.perf_counter()
    done = subprocess.run(
        command,
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=NODE_TIMEOUT,
        check=False,
    )
    if done.returncode != 0:
        pytest.fail(f"pyodide_runner.mjs failed ({done.returncode}):\n{done.stderr[-4000:]}")
    result: dict[str, Any] = json.loads(out.read_text(encoding="utf-8"))
    result["wall_s"] = round(time.perf_counter() - started, 2)
    result.update(zip(AFTER, result["results"][len(CALLS) :], strict=True))
    del result["results"][len(CALLS) :]
    result["stdlib"] = None if stdlib is None else stdlib.path
    slowest = max(zip(result["results"], CALLS, strict=True), key=lambda pair: pair[0]["ms"])
    print(
        f"Pyodide {result['pyodide']} ({stdlib or 'stock stdlib'}): {result['timings_ms']}, "
        f"{result['wall_s']} s in all; "
        f"slowest call {slowest[1][0]}: {slowest[0]['ms']} ms"
    )
    return result


@pytest.fixture(scope="session")
def cpython_results() -> list[dict[str, object]]:
    return [DRIVER["call"]({"fn": fn, "arg": arg}) for _, fn, arg in CALLS]


def test_the_runtime_is_the_one_the_site_ships(pyodide_run: dict[str, Any]) -> None:
    assert pyodide_run["python"].startswith("3.14")
    package = json.loads((ROOT / "package.json").read_text(encoding="utf-8"))
    assert pyodide_run["pyodide"] == package["dependencies"]["pyodide"]


def test_the_wheel_is_installed_with_its_metadata(pyodide_run: dict[str, Any]) -> None:
    assert pyodide_run["distribution_version"] == metadata.version("crible-scoring")


def test_every_module_of_scoring_imports(pyodide_run: dict[str, Any]) -> None:
    """Every module, not only those the calls reach: under the shipped stdlib too."""
    answer = pyodide_run["import_all"]
    assert answer["ok"], answer
    here = json.loads(DRIVER["import_all"]("scoring"))
    assert "scoring.__main__" in here
    assert "scoring.archive" in here
    assert json.loads(answer["value"]) == here


def test_the_run_loads_the_stdlib_it_says(pyodide_run: dict[str, Any]) -> None:
    """The shipped run really uses the site's zip: bytecode only, and no unneeded module."""
    json_origin = json.loads(pyodide_run["json_origin"]["value"])
    left_out = json.loads(pyodide_run["left_out_origin"]["value"])
    assert json_origin.startswith("/lib/python314.zip/json/")
    if pyodide_run["stdlib"] is None:
        assert json_origin.endswith("__init__.py")
        assert left_out is not None
    else:
        assert json_origin.endswith("__init__.pyc")
        assert left_out is None


def test_an_unknown_entry_point_is_refused_in_french(pyodide_run: dict[str, Any]) -> None:
    """Through the worker's way in, in Pyodide: ``describe`` is Python API, no entry point."""
    answer = pyodide_run["unknown_call"]
    assert answer["ok"], answer
    assert json.loads(answer["value"]) == {
        "ok": False,
        "errors": [
            {
                "path": "",
                "message": "Le moteur de calcul ne connaît pas l’appel «\u202fdescribe\u202f»",
                "fix": "Rechargez la page\u202f; si le problème revient, signalez-le.",
            }
        ],
    }
    known = pyodide_run["known_call"]
    assert known["ok"], known
    assert known["value"] == DRIVER["call"]({"fn": "network", "arg": ""})["value"]


def test_the_driver_answers_alike_here() -> None:
    answer = json.loads(DRIVER["run"](json.dumps([{"fn": "describe", "arg": "contact"}])))
    assert answer["python"] == sys.version
    assert answer["distribution_version"] == metadata.version("crible-scoring")


@pytest.mark.parametrize("index", range(len(CALLS)), ids=[case for case, _, _ in CALLS])
def test_same_answer_as_cpython(
    index: int, pyodide_run: dict[str, Any], cpython_results: list[dict[str, Any]]
) -> None:
    in_pyodide, in_cpython = pyodide_run["results"][index], cpython_results[index]
    assert in_cpython["ok"], in_cpython  # the browser functions never raise
    assert in_pyodide["ok"], in_pyodide
    # Compared as data first, for a readable diff; then as text, byte for byte.
    assert json.loads(in_pyodide["value"]) == json.loads(in_cpython["value"])
    assert in_pyodide["value"] == in_cpython["value"]


def test_the_cases_cover_both_outcomes(cpython_results: list[dict[str, Any]]) -> None:
    outcomes = {
        (fn, json.loads(result["value"])["ok"])
        for (_, fn, _), result in zip(CALLS, cpython_results, strict=True)
    }
    assert outcomes == {(fn, ok) for fn in FUNCTIONS for ok in (True, False)}
