"""MkDocs build hooks: the only place where the site meets the `scoring` package.

Events, in the order MkDocs fires them:
- on_config: validate every definition (questionnaires, rules, the win-win map; a broken one
  stops the build with the file, the key path and the fix, all mistakes at once), find the
  pinned Pyodide runtime, and add the French typography extension;
- on_files: check that every page's counts of criteria (and the criteria and verdict tables
  of valeur-du-reseau.md) are the definitions' (see counts.py), all mistakes at once; find
  the page of each questionnaire (its `questionnaire:` front matter) and the
  pages that use the engine (their `template:`: the others start it on intent), then add
  the generated files: the `scoring` wheel (built in-process), the Pyodide core
  files with a trimmed lock file, the standard library compiled for the engine (cached in
  .cache/crible/, see engine_assets.engine_stdlib), and the three SVG infographics rendered
  from the definitions (wide and narrow, light and dark: see infographics.py);
- on_page_markdown: check that the rules page's headings are the rules of rules.toml;
- on_page_content (after the lightbox plugin): each infographic as light and dark
  <picture>s, with the narrow format for phones (see figure_embed.py);
- on_env: give templates the questionnaires, the rules and the engine's URLs;
- on_post_page, on_post_template: French typography of the whole page, titles, nav, footer
  and alt included (see typographie.py and FRENCH.md); on the pages that start the engine at
  once, Material's search worker waits for it (see search_later.py);
- on_post_build: write the Content-Security-Policy, hashes included, and the offline copy's
  size into every page, then the service worker at the site's root with the manifest of every
  file (see offline.py);
- on_serve: watch scoring/ so that `mkdocs serve` rebuilds when a definition changes.
Logic worth testing lives in sibling modules (engine_assets, csp, infographics and figure_*,
typographie, offline, search_later).
"""

from __future__ import annotations

import hashlib
import json
import re
import tempfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

import counts
import csp
import engine_assets
import figure_embed
import front_matter
import offline
import search_later
from infographics import render_infographics
from mkdocs.exceptions import PluginError
from mkdocs.plugins import event_priority
from mkdocs.structure.files import File, Files
from mkdocs.utils.meta import get_data
from typographie import TypographyExtension, typeset_page

import scoring
import scoring.archive
import scoring.engine
import scoring.model
import scoring.overview

if TYPE_CHECKING:
    from jinja2 import Environment
    from mkdocs.config.defaults import MkDocsConfig
    from mkdocs.livereload import LiveReloadServer
    from mkdocs.structure.pages import Page

ROOT = Path(__file__).resolve().parents[2]
DEFINITIONS = ROOT / "scoring" / "definitions"
RULES_FILE = scoring.model.RULES_FILE
MAP_FILE = scoring.model.MAP_FILE
SUBJECTS_FILE = scoring.model.SUBJECTS_FILE
# The query parameter that names the entry a questionnaire page re-evaluates (?contact=<id>):
# the links of Mon réseau and the page read it from the domain island (domain.js).
ENTRY_QUERY = "contact"
RULES_PAGE = "regles.md"
ENGINE_DIR = "assets/engine"
WORKER = "assets/javascripts/crible/worker.js"
# The service worker's source: rendered into the site's root by on_post_build, not shipped here.
SW_TEMPLATE = "assets/javascripts/crible/sw-template.js"
# Inlined into every page's <head> by overrides/main.html (`crible.start_script`), not shipped.
START_SCRIPT = "assets/javascripts/crible/start.js"
# The pages built from these templates start the engine while their <head> is parsed
# (main.html) and let Material's search wait for it (on_post_page).
ENGINE_TEMPLATES = ("crible.html", "reseau.html")
BUILD_ONLY = (ROOT / "overrides" / "hooks", ROOT / "overrides" / "infographics")


@dataclass(slots=True)
class _Build:
    """What one build learns in on_config and hands to the later events."""

    rules: tuple[scoring.Rule, ...] = ()
    subjects: tuple[scoring.model.Subject, ...] = ()
    questionnaires: dict[str, scoring.Questionnaire] = field(default_factory=dict)
    map: scoring.model.WinWinMap | None = None
    # Questionnaire id → the page that asks it (from the pages' `questionnaire:` front matter).
    pages: dict[str, str] = field(default_factory=dict)
    # The pages built from ENGINE_TEMPLATES: a link to one of them is an intent (intent.js).
    engine_pages: list[str] = field(default_factory=list)
    runtime: engine_assets.Runtime | None = None
    engine_urls: dict[str, str] = field(default_factory=dict)
    # Infographic file name → (width, height): the pages' <picture>s (figure_embed).
    infographic_sizes: dict[str, tuple[int, int]] = field(default_factory=dict)


_build = _Build()


def _definition_files() -> list[Path]:
    others = {RULES_FILE, MAP_FILE, SUBJECTS_FILE}
    return sorted(p for p in DEFINITIONS.glob("*.toml") if p.name not in others)


def _load_definitions() -> None:
    """Validate every definition file; report every problem of every file in one error."""
    problems: list[str] = []
    try:
        # From the file, not the package's cache: `mkdocs serve` picks up an edited rule.
        _build.rules = scoring.load_rules_file(DEFINITIONS / RULES_FILE)
    except scoring.InvalidDataError as error:
        problems.extend(f"{DEFINITIONS / RULES_FILE}: {line}" for line in error.lines())
    try:
        _build.subjects = scoring.model.load_subjects_file(DEFINITIONS / SUBJECTS_FILE)
    except scoring.InvalidDataError as error:
        problems.extend(f"{DEFINITIONS / SUBJECTS_FILE}: {line}" for line in error.lines())
    if problems:  # every questionnaire names a subject: judged once the subjects read well
        raise PluginError("Invalid questionnaire definition:\n  " + "\n  ".join(problems))
    subject_ids = [subject.id for subject in _build.subjects]
    _build.questionnaires = {}
    for path in _definition_files():
        try:
            questionnaire = scoring.load_questionnaire_file(path, subjects=subject_ids)
        except scoring.InvalidDataError as error:
            problems.extend(f"{path}: {line}" for line in error.lines())
        else:
            _build.questionnaires[questionnaire.id] = questionnaire
    if not problems:  # the map and the subjects name questionnaires: once they all read well
        problems.extend(_cross_checks())
    if problems:
        raise PluginError("Invalid questionnaire definition:\n  " + "\n  ".join(problems))
    if "contact" not in _build.questionnaires:
        msg = f'{DEFINITIONS}: the crible needs a definition with id = "contact".'
        raise PluginError(msg)


def _cross_checks() -> list[str]:
    """The questionnaires that the subjects and the win-win map name: every problem."""
    problems: list[str] = []
    try:
        scoring.model.check_subject_questionnaires(
            _build.subjects, _build.questionnaires, source=str(DEFINITIONS / SUBJECTS_FILE)
        )
    except scoring.InvalidDataError as error:
        problems.extend(f"{DEFINITIONS / SUBJECTS_FILE}: {line}" for line in error.lines())
    try:
        _build.map = scoring.model.load_map_file(
            DEFINITIONS / MAP_FILE, rules=_build.rules, questionnaires=_build.questionnaires
        )
    except scoring.InvalidDataError as error:
        problems.extend(f"{DEFINITIONS / MAP_FILE}: {line}" for line in error.lines())
    return problems


def on_config(config: MkDocsConfig) -> MkDocsConfig:
    _load_definitions()
    try:
        _build.runtime = engine_assets.find_runtime(ROOT)
    except engine_assets.EngineAssetError as error:
        raise PluginError(str(error)) from error
    # Python-Markdown takes extension instances as well as names; MkDocs passes the list on.
    config.markdown_extensions.append(TypographyExtension())  # type: ignore[arg-type]
    return config


def _questionnaire_pages(files: Files) -> dict[str, str]:
    """Questionnaire id → URL of the page whose front matter names it; PluginError if unknown."""
    pages: dict[str, str] = {}
    for file in files.documentation_pages():
        _, meta = get_data(file.content_string)
        qid = meta.get("questionnaire")
        if qid is None:
            continue
        if qid not in _build.questionnaires:
            known = ", ".join(sorted(_build.questionnaires))
            msg = (
                f"{file.src_uri}: unknown questionnaire {qid!r} in the front matter "
                f"(questionnaire: {qid}). Use one of: {known}."
            )
            raise PluginError(msg)
        if qid in pages:
            msg = (
                f"{file.src_uri}: questionnaire {qid!r} is already asked by {pages[qid]}. "
                "Give each questionnaire one page, so that saved evaluations have one home."
            )
            raise PluginError(msg)
        pages[qid] = file.url
    return pages


def _engine_pages(files: Files) -> list[str]:
    """Site-relative URLs of the pages whose template starts the engine."""
    return [
        file.url
        for file in files.documentation_pages()
        if get_data(file.content_string)[1].get("template") in ENGINE_TEMPLATES
    ]


def _check_counts(files: Files) -> None:
    """Every page's counts of criteria agree with its questionnaire (its `questionnaire:`
    front matter, else the crible), and valeur-du-reseau.md's tables with the crible's:
    every disagreement of every page at once (counts.py)."""
    problems: list[str] = []
    for file in files.documentation_pages():
        markdown, meta = get_data(file.content_string)
        about = _build.questionnaires.get(str(meta.get("questionnaire", "contact")))
        if about is not None:
            problems += counts.check_counts(f"docs/{file.src_uri}", markdown, about)
    if problems:
        raise PluginError("The guide disagrees with the definitions:\n  " + "\n  ".join(problems))


def on_files(files: Files, config: MkDocsConfig) -> Files:
    if problems := front_matter.check_front_matter(files):
        raise PluginError("A page would lose its front matter:\n  " + "\n  ".join(problems))
    _build.pages = _questionnaire_pages(files)
    _check_counts(files)
    _build.engine_pages = _engine_pages(files)
    runtime = _build.runtime
    assert runtime is not None  # noqa: S101 (on_config ran)
    # The theme folder also holds build tooling (these hooks, the SVG templates, the service
    # worker's template): MkDocs would publish it as theme files. The site gets none of it.
    for file in list(files):
        source = Path(file.abs_src_path or "")
        if any(source.is_relative_to(folder) for folder in BUILD_ONLY):
            files.remove(file)
    for name in (SW_TEMPLATE, START_SCRIPT):
        if (unshipped := files.get_file_from_path(name)) is not None:
            files.remove(unshipped)
    # Not Pyodide's stdlib zip (sources only, compiled again on every visit) but ours: the
    # bytecode of the modules the engine needs, built once per key and cached (.cache/crible/),
    # with `scoring`'s own bytecode, which goes into the wheel.
    try:
        stdlib = engine_assets.engine_stdlib(runtime, ROOT)
    except engine_assets.EngineAssetError as error:
        raise PluginError(str(error)) from error
    with tempfile.TemporaryDirectory() as scratch:
        wheel = engine_assets.build_wheel(ROOT, Path(scratch), bytecode=stdlib.bytecode)
        wheel_bytes = wheel.path.read_bytes()
    wheel_uri = f"{ENGINE_DIR}/{wheel.name}"
    files.append(File.generated(config, wheel_uri, content=wheel_bytes))

    # A directory per runtime version: two deployments never mix runtime files in a cache.
    index = f"assets/pyodide/{runtime.version}/"
    for name, path in runtime.files().items():
        files.append(File.generated(config, index + name, abs_src_path=str(path)))
    lock = engine_assets.trimmed_lock(runtime)
    files.append(File.generated(config, index + engine_assets.LOCK_FILE, content=lock))
    files.append(File.generated(config, index + stdlib.name, abs_src_path=str(stdlib.path)))
    # The worker asks for it with this digest in the query (as for the wheel): a new zip is a
    # new URL for the HTTP cache, while the wasm next to it keeps its cached URL.
    stdlib_digest = stdlib.sha256[:16]

    assert _build.map is not None  # noqa: S101 (on_config loaded it)
    svgs = render_infographics(
        _build.rules,
        _build.questionnaires["contact"],
        _build.map,
        ROOT / "overrides" / "infographics",
    )
    for name, svg in svgs.items():
        files.append(File.generated(config, f"assets/infographics/{name}", content=svg))
    _build.infographic_sizes = {name: figure_embed.svg_size(svg) for name, svg in svgs.items()}

    _build.engine_urls = {
        "index": index,
        # The digest in the query makes every new wheel a new URL for the HTTP cache.
        "wheel": f"{wheel_uri}?v={wheel.sha256[:16]}",
        "wheel_name": wheel.name,
        # Versioned too: the offline copy then takes it from the HTTP cache, where the engine
        # put it, instead of downloading it again (the page's settings travel in the fragment
        # of the worker's URL, start.js, which neither the cache nor the server sees).
        "worker": f"{WORKER}?v={_digest(files, WORKER)}",
        "stdlib": f"{index}{stdlib.name}?v={stdlib_digest}",
        "runtime_version": runtime.version,
    }
    return files


def _digest(files: Files, uri: str) -> str:
    """The start of the sha256 of a theme file as the site ships it (MkDocs copies it as is)."""
    file = files.get_file_from_path(uri)
    if file is None or file.abs_src_path is None:
        msg = f"{uri} is missing from the theme (overrides/{uri}): the engine cannot start."
        raise PluginError(msg)
    return hashlib.sha256(Path(file.abs_src_path).read_bytes()).hexdigest()[:16]


_RULE_HEADING = re.compile(
    r"^## Règle (?P<number>\d+)\. (?P<title>.+?) \{ #regle-(?P<anchor>\d+) \}$"
)


def on_page_markdown(markdown: str, page: Page, **_: object) -> str:
    """The rules page must state the rules of rules.toml, in order, with their anchors."""
    if page.file.src_uri != RULES_PAGE:
        return markdown
    found = [
        (int(m["number"]), scoring.typeset(m["title"]), int(m["anchor"]))
        for m in map(_RULE_HEADING.match, markdown.splitlines())
        if m
    ]
    expected = [(rule.number, rule.title, rule.number) for rule in _build.rules]
    if found != expected:
        lines = "\n  ".join(f"## Règle {n}. {title} {{ #regle-{n} }}" for n, title, _ in expected)
        msg = (
            f"docs/{RULES_PAGE}: the rule headings do not match {DEFINITIONS / RULES_FILE}. "
            f"Write exactly these headings, in this order:\n  {lines}"
        )
        raise PluginError(msg)
    return markdown


@event_priority(-50)  # after mkdocs-glightbox (0) has put each image in its zoom link
def on_page_content(html: str, **_: object) -> str:
    """Each infographic in its light and dark variants, narrow on phones (figure_embed)."""
    return figure_embed.embed_infographics(html, _build.infographic_sizes)


def on_env(env: Environment, config: MkDocsConfig, files: Files) -> Environment:  # noqa: ARG001
    env.globals["crible"] = {
        "questionnaires": _build.questionnaires,
        "rules": {rule.number: rule for rule in _build.rules},
        "engine": _build.engine_urls,
        # The same JSON that `python -m scoring show` prints: the page needs labels and rule
        # titles to render results, and reads them from here rather than a second copy.
        "definitions_json": {
            qid: json.dumps(q.to_dict(), ensure_ascii=False)
            for qid, q in _build.questionnaires.items()
        },
        "rules_json": json.dumps(
            {rule.number: rule.title for rule in _build.rules}, ensure_ascii=False
        ),
        # Site-relative URLs ("crible/"); templates pass them through the `url` filter.
        "pages": _build.pages,
        "map_json": json.dumps(
            _build.map.to_dict() if _build.map is not None else None, ensure_ascii=False
        ),
        "subjects": {subject.id: subject for subject in _build.subjects},
        # The definition of each subject's questionnaire, for Mon réseau (advice of verdicts).
        "main_definitions_json": json.dumps(
            {
                s.questionnaire: _build.questionnaires[s.questionnaire].to_dict()
                for s in _build.subjects
            },
            ensure_ascii=False,
        ),
        "domain": domain(),
        "engine_templates": ENGINE_TEMPLATES,
        "engine_pages": _build.engine_pages,
        "offline_size_marker": offline.SIZE_MARKER,
        "start_script": inline_script((ROOT / "overrides" / START_SCRIPT).read_text("utf-8")),
    }
    return env


def domain() -> dict[str, Any]:
    """What the pages know of the domain, all from the definitions (domain.js reads it from the
    `crible-domain` JSON island, main.html; the template adds each questionnaire's page, as a
    URL relative to the page): no questionnaire id, subject or limit is written in the JS."""
    questionnaires = _build.questionnaires
    assert _build.map is not None  # noqa: S101 (on_config loaded it)

    def subject_of(qid: str) -> str:
        return questionnaires[qid].subject if qid in questionnaires else ""

    return {
        "subjects": [subject.to_dict() for subject in _build.subjects],
        "questionnaires": {
            qid: {"subject": q.subject, "min_coverage": q.min_coverage}
            for qid, q in questionnaires.items()
        },
        # The parts of Mon réseau: the people of the win-win map, the groups whose cost in time
        # scoring weighs (overview.GROUP_QUESTIONNAIRE), the visitor themself.
        "roles": {
            "people": subject_of(_build.map.receive.questionnaire),
            "groups": subject_of(scoring.overview.GROUP_QUESTIONNAIRE),
            "self": next((s.id for s in _build.subjects if s.single), ""),
        },
        "map": {
            "receive": _build.map.receive.questionnaire,
            "give": _build.map.give.questionnaire,
        },
        "recent_rules": list(scoring.engine.RECENT_RULES),
        "max_minutes": scoring.archive.MAX_MINUTES,
        "entry_query": ENTRY_QUERY,
    }


def inline_script(source: str) -> str:
    """A script to inline in every page: its code without its comment lines (they are most of
    its bytes, and every page would carry them)."""
    lines = (line for line in source.splitlines() if line.strip())
    return "\n".join(line for line in lines if not line.lstrip().startswith("//"))


def on_post_page(output: str, page: Page, config: MkDocsConfig) -> str:  # noqa: ARG001
    # The text around the body (titles, nav, footer, templates, alt): see typographie.py.
    output = typeset_page(output)
    if page.meta.get("template") not in ENGINE_TEMPLATES:
        return output
    try:
        return search_later.defer_search(output)
    except search_later.SearchLaterError as error:
        msg = f"{page.file.src_uri}: {error} (has Material changed its base.html?)"
        raise PluginError(msg) from error


def on_post_template(output_content: str, template_name: str, config: MkDocsConfig) -> str:  # noqa: ARG001
    """The static pages of the theme (404.html) are read too; sitemap.xml is not typeset."""
    return typeset_page(output_content) if template_name.endswith(".html") else output_content


@event_priority(-100)  # last: after every plugin has written its inline scripts and styles
def on_post_build(config: MkDocsConfig) -> None:
    pages = sorted(Path(config.site_dir).rglob("*.html"))
    hashes = csp.InlineHashes()
    texts = {}
    for path in pages:
        texts[path] = path.read_text(encoding="utf-8")
        hashes.add_page(texts[path])
    value = csp.policy(hashes.scripts, hashes.styles)
    site_dir = Path(config.site_dir)
    try:
        # What the offline copy weighs, said on the privacy page: the files as they are now
        # (the few bytes of the number itself do not show in megabytes).
        size = str(offline.build_manifest(site_dir, _build.engine_urls).size())
    except offline.OfflineError as error:
        raise PluginError(f"{offline.SERVICE_WORKER}: {error}") from error
    for path, text in texts.items():
        if csp.PLACEHOLDER in text or offline.SIZE_MARKER in text:
            served = text.replace(csp.PLACEHOLDER, value).replace(offline.SIZE_MARKER, size)
            path.write_text(served, encoding="utf-8")
    # Last: the manifest's digests are those of the pages as served, their CSP written.
    template = (ROOT / "overrides" / SW_TEMPLATE).read_text(encoding="utf-8")
    try:
        offline.write_service_worker(site_dir, template, _build.engine_urls)
    except offline.OfflineError as error:
        raise PluginError(f"{offline.SERVICE_WORKER}: {error}") from error


def on_serve(server: LiveReloadServer, config: MkDocsConfig, builder: Any) -> LiveReloadServer:  # noqa: ARG001, ANN401
    server.watch(str(ROOT / "scoring"))
    return server
