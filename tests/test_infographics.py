"""The three SVG infographics, in their four variants (wide and narrow, light and dark),
rendered from the real definitions through stand-in objects; and how pages embed them.

The renderer declares what it needs as Protocols; these tests feed it tiny dataclasses built
from the TOML files with tomllib (no ``scoring`` model), parse every output as XML and check
content, accessibility, self-containment, contrast, the smallest type of each format, escaping
and growth with the data. What the browser makes of them: tests/test_browser_infographics.py.
"""

from __future__ import annotations

import ast
import re
import tomllib
import xml.etree.ElementTree as ET
from dataclasses import dataclass, replace
from pathlib import Path

import figure_embed
import figure_palette
import figure_sieve
import figure_text
import figure_win_win
import infographics  # from overrides/hooks, on pytest's pythonpath (pyproject.toml)
import pytest
from figure_frame import NARROW, WIDE

from scoring import typeset

ROOT = Path(__file__).resolve().parents[1]
HOOKS = ROOT / "overrides" / "hooks"
TEMPLATES = ROOT / "overrides" / "infographics"
DEFINITIONS = ROOT / "scoring" / "definitions"

SVG_NS = "http://www.w3.org/2000/svg"
NS = f"{{{SVG_NS}}}"
FONT_STACK = "system-ui, -apple-system, 'Segoe UI', Roboto, sans-serif"
FIGURES = ("dix-regles", "gagnant-gagnant", "valeur-du-reseau")
NAMES = tuple(
    f"{figure}{page}{scheme}.svg"
    for figure in FIGURES
    for page in ("", "-etroit")
    for scheme in ("", "-sombre")
)
MINUS = "\N{MINUS SIGN}"
NBSP = "\N{NO-BREAK SPACE}"
NNBSP = "\N{NARROW NO-BREAK SPACE}"
HOSTILE_TAG = "<img src=x onerror=alert(1)>"
HOSTILE_QUOTES = 'A & B "C"'


# --- Stand-ins for the scoring model --------------------------------------------------------


@dataclass(frozen=True)
class Rule:
    number: int
    title: str
    principle: str


@dataclass(frozen=True)
class Item:
    id: str
    sign: str
    label: str
    dimension: str


@dataclass(frozen=True)
class Dimension:
    id: str
    label: str


@dataclass(frozen=True)
class Crible:
    title: str
    items: tuple[Item, ...]
    dimensions: tuple[Dimension, ...]


@dataclass(frozen=True)
class Side:
    label: str


@dataclass(frozen=True)
class Quadrant:
    id: str
    receive: bool
    give: bool
    label: str


@dataclass(frozen=True)
class WinWin:
    receive: Side
    give: Side
    quadrants: tuple[Quadrant, ...]


def load_rules() -> tuple[Rule, ...]:
    data = tomllib.loads((DEFINITIONS / "rules.toml").read_text(encoding="utf-8"))
    return tuple(Rule(r["number"], r["title"], r["principle"]) for r in data["rules"])


def load_crible() -> Crible:
    data = tomllib.loads((DEFINITIONS / "contact.toml").read_text(encoding="utf-8"))
    return Crible(
        title=data["title"],
        items=tuple(Item(i["id"], i["sign"], i["label"], i["dimension"]) for i in data["items"]),
        dimensions=tuple(Dimension(d["id"], d["label"]) for d in data["dimensions"]),
    )


def load_map() -> WinWin:
    data = tomllib.loads((DEFINITIONS / "carte.toml").read_text(encoding="utf-8"))
    return WinWin(
        receive=Side(data["receive"]["label"]),
        give=Side(data["give"]["label"]),
        quadrants=tuple(
            Quadrant(q["id"], q["receive"], q["give"], q["label"]) for q in data["quadrants"]
        ),
    )


def render(rules: tuple[Rule, ...], crible: Crible, win_win: WinWin) -> dict[str, str]:
    return infographics.render_infographics(rules, crible, win_win, TEMPLATES)


@pytest.fixture(scope="module")
def rules() -> tuple[Rule, ...]:
    return load_rules()


@pytest.fixture(scope="module")
def crible() -> Crible:
    return load_crible()


@pytest.fixture(scope="module")
def win_win() -> WinWin:
    return load_map()


@pytest.fixture(scope="module")
def svgs(rules: tuple[Rule, ...], crible: Crible, win_win: WinWin) -> dict[str, str]:
    return render(rules, crible, win_win)


# --- Helpers --------------------------------------------------------------------------------


def parse(svg: str) -> ET.Element:
    return ET.fromstring(svg)  # noqa: S314  # our own output, parsed to check that it is XML


def text_of(element: ET.Element) -> str:
    """A ``<text>``'s content, its wrapped lines (one ``<tspan>`` each) joined by a space."""
    return " ".join(part for part in element.itertext())


def texts(svg: str) -> list[str]:
    return [text_of(element) for element in parse(svg).iter(f"{NS}text")]


def view_box(svg: str) -> tuple[int, int, int, int]:
    x, y, width, height = (int(v) for v in parse(svg).attrib["viewBox"].split())
    return x, y, width, height


def palette_of(name: str) -> dict[str, str]:
    return dict(figure_palette.DARK if name.endswith("-sombre.svg") else figure_palette.LIGHT)


def is_narrow(name: str) -> bool:
    return "-etroit" in name


def luminance(colour: str) -> float:
    """WCAG 2 relative luminance of ``#rrggbb``."""
    channels = [int(colour[i : i + 2], 16) / 255 for i in (1, 3, 5)]
    linear = [c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4 for c in channels]
    return 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2]


def contrast(foreground: str, background: str) -> float:
    """WCAG 2 contrast ratio, from 1 to 21."""
    light, dark = sorted((luminance(foreground), luminance(background)), reverse=True)
    return (light + 0.05) / (dark + 0.05)


@dataclass(frozen=True)
class Shape:
    fill: str
    left: float
    top: float
    right: float
    bottom: float

    def contains(self, x: float, y: float) -> bool:
        return self.left <= x <= self.right and self.top <= y <= self.bottom


def shapes_and_texts(svg: str) -> list[tuple[ET.Element, Shape]]:
    """Each ``<text>`` with the last painted shape, in document order, under its first line's
    anchor point: the background it is read against."""
    painted: list[Shape] = []
    found: list[tuple[ET.Element, Shape]] = []
    for element in parse(svg).iter():
        a = element.attrib
        if element.tag == f"{NS}rect":
            x, y, w, h = (float(a[k]) for k in ("x", "y", "width", "height"))
            painted.append(Shape(a["fill"], x, y, x + w, y + h))
        elif element.tag == f"{NS}circle":
            cx, cy, r = (float(a[k]) for k in ("cx", "cy", "r"))
            painted.append(Shape(a["fill"], cx - r, cy - r, cx + r, cy + r))
        elif element.tag == f"{NS}text":
            first = element.find(f"{NS}tspan")
            assert first is not None
            x, y = float(first.attrib["x"]), float(first.attrib["y"])
            under = [shape for shape in painted if shape.contains(x, y)]
            assert under, f"nothing painted under {text_of(element)!r}"
            found.append((element, under[-1]))
    return found


def positions(svg: str, wanted: set[str]) -> dict[str, tuple[int, int]]:
    """The first line's anchor of each ``<text>`` whose text is in ``wanted``."""
    return {
        text_of(t): (int(first.attrib["x"]), int(first.attrib["y"]))
        for t in parse(svg).iter(f"{NS}text")
        if text_of(t) in wanted and (first := t.find(f"{NS}tspan")) is not None
    }


# --- The modules' contract ------------------------------------------------------------------

FIGURE_MODULES = [*sorted(HOOKS.glob("figure_*.py")), HOOKS / "infographics.py"]


def test_renders_the_twelve_files(svgs: dict[str, str]) -> None:
    assert tuple(svgs) == NAMES
    assert infographics.OUTPUTS == NAMES


@pytest.mark.parametrize("path", FIGURE_MODULES, ids=lambda path: path.name)
def test_imports_only_the_typography_of_scoring_and_not_mkdocs(path: Path) -> None:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    imported = {
        name.split(".")[0]
        for node in ast.walk(tree)
        for name in (
            [alias.name for alias in node.names]
            if isinstance(node, ast.Import)
            else [node.module or ""]
            if isinstance(node, ast.ImportFrom)
            else []
        )
    }
    siblings = {module.stem for module in FIGURE_MODULES}
    stdlib = {"__future__", "math", "dataclasses", "typing", "collections", "pathlib", "re", "html"}
    assert imported <= stdlib | siblings | {"jinja2", "scoring"}, path.name
    scoring_names = {
        alias.name
        for node in ast.walk(tree)
        if isinstance(node, ast.ImportFrom) and node.module == "scoring"
        for alias in node.names
    }
    assert scoring_names <= {"typeset"}


def test_records_are_frozen_slotted_and_keyword_only() -> None:
    for path in FIGURE_MODULES:
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            if isinstance(node, ast.ClassDef) and any(
                isinstance(d, ast.Call) and getattr(d.func, "id", "") == "dataclass"
                for d in node.decorator_list
            ):
                (decorator,) = node.decorator_list
                assert isinstance(decorator, ast.Call)
                flags = {k.arg: getattr(k.value, "value", None) for k in decorator.keywords}
                assert flags == {"frozen": True, "slots": True, "kw_only": True}, node.name


def test_templates_are_the_three_pages_and_two_shared_parts() -> None:
    assert sorted(path.name for path in TEMPLATES.glob("*.svg.j2")) == [
        "_cadre.svg.j2",
        "_macros.svg.j2",
        "dix-regles.svg.j2",
        "gagnant-gagnant.svg.j2",
        "valeur-du-reseau.svg.j2",
    ]


# --- What every SVG must be -----------------------------------------------------------------

TITLES = {
    "dix-regles": f"Quelle valeur apportez-vous au réseau{NNBSP}?",
    "gagnant-gagnant": f"Qu’est-ce qu’un jeu gagnant-gagnant{NNBSP}?",
    "valeur-du-reseau": f"Quelle est la valeur du réseau{NNBSP}?",
}
SIZES = {
    "dix-regles.svg": (960, 882),
    "dix-regles-etroit.svg": (360, 1353),
    "gagnant-gagnant.svg": (960, 714),
    "gagnant-gagnant-etroit.svg": (360, 707),
    "valeur-du-reseau.svg": (960, 981),
    "valeur-du-reseau-etroit.svg": (360, 1116),
}


def figure_of(name: str) -> str:
    return next(figure for figure in FIGURES if name.startswith(figure))


@pytest.mark.parametrize("name", NAMES)
def test_root_is_an_accessible_image(svgs: dict[str, str], name: str) -> None:
    root = parse(svgs[name])
    slug = figure_of(name)
    assert root.tag == f"{NS}svg"
    assert root.attrib["role"] == "img"
    assert root.attrib["aria-labelledby"] == f"{slug}-titre {slug}-desc"
    assert root.attrib["font-family"] == FONT_STACK
    title, desc = root[0], root[1]
    assert (title.tag, title.attrib["id"], title.text) == (
        f"{NS}title",
        f"{slug}-titre",
        TITLES[slug],
    )
    assert (desc.tag, desc.attrib["id"]) == (f"{NS}desc", f"{slug}-desc")
    assert desc.text is not None
    assert desc.text.startswith(("Les ", "Une grille"))
    assert desc.text.endswith(".")
    # The visible heading repeats the accessible title (its lines joined by a space).
    assert texts(svgs[name])[0] == TITLES[slug]


@pytest.mark.parametrize("figure", FIGURES)
def test_every_variant_says_the_same(svgs: dict[str, str], figure: str) -> None:
    """Same title, description and words in all four variants: one alt text serves them all."""
    variants = [name for name in NAMES if figure_of(name) == figure]
    descs = {parse(svgs[name]).findtext(f"{NS}desc") for name in variants}
    assert len(descs) == 1
    # The wide crible heads its first column "Dimension"; the narrow one names each band.
    shown = {tuple(sorted(set(texts(svgs[name])) - {"Dimension"})) for name in variants}
    assert len(shown) == 1


@pytest.mark.parametrize("name", NAMES)
def test_size_and_view_box(svgs: dict[str, str], name: str) -> None:
    svg = svgs[name]
    root = parse(svg)
    width, height = SIZES[name.replace("-sombre", "")]
    assert view_box(svg) == (0, 0, width, height)
    assert (root.attrib["width"], root.attrib["height"]) == (str(width), str(height))
    assert figure_embed.svg_size(svg) == (width, height)
    assert len(svg.encode()) < 9_000


@pytest.mark.parametrize("name", NAMES)
def test_dark_variant_differs_only_by_its_colours(svgs: dict[str, str], name: str) -> None:
    if not name.endswith("-sombre.svg"):
        return
    light = svgs[name.replace("-sombre", "")]
    colour = re.compile(r"#[0-9a-f]{6}")
    assert colour.sub("#", svgs[name]) == colour.sub("#", light)
    assert set(colour.findall(svgs[name])) <= set(figure_palette.DARK.values())
    assert set(colour.findall(light)) <= set(figure_palette.LIGHT.values())


@pytest.mark.parametrize("name", NAMES)
def test_paints_its_own_opaque_rounded_background(svgs: dict[str, str], name: str) -> None:
    root = parse(svgs[name])
    background = root[2]
    assert background.tag == f"{NS}rect"
    assert background.attrib["fill"] == palette_of(name)["fond"]
    assert background.attrib["rx"] == "24"
    _, _, width, height = view_box(svgs[name])
    assert int(background.attrib["width"]) == width - 2
    assert int(background.attrib["height"]) == height - 2
    assert "opacity" not in svgs[name]


def test_the_dark_background_is_the_slate_page() -> None:
    assert figure_palette.DARK["fond"] == "#1e2129"  # Material slate's --md-default-bg-color
    assert figure_palette.LIGHT["primaire_plein"] == figure_palette.DARK["primaire_plein"]
    css = (ROOT / "overrides/assets/stylesheets/crible.css").read_text(encoding="utf-8")
    assert f"--md-primary-fg-color: {figure_palette.LIGHT['primaire_plein']};" in css


@pytest.mark.parametrize("name", NAMES)
def test_is_self_contained(svgs: dict[str, str], name: str) -> None:
    svg = svgs[name]
    assert re.findall(r"https?:[^\"' ]*", svg) == [SVG_NS]
    for forbidden in ("href", "@import", "url(", "<style", "<image", "<foreignObject", "<path"):
        assert forbidden not in svg
    allowed = {"svg", "title", "desc", "rect", "circle", "text", "tspan", "g", "line", "polygon"}
    assert {element.tag.removeprefix(NS) for element in parse(svg).iter()} <= allowed


@pytest.mark.parametrize("name", NAMES)
def test_smallest_text_is_the_formats(svgs: dict[str, str], name: str) -> None:
    """The smallest type of each format, and what it gives in the narrowest column where the
    page shows that format: 686 CSS px for the wide one (960 px and 1220 px screens), 328 px
    for the narrow one on a 360 px phone."""
    sizes = {int(e.attrib["font-size"]) for e in parse(svgs[name]).iter(f"{NS}text")}
    page, column = (NARROW, 328) if is_narrow(name) else (WIDE, 686)
    assert min(sizes) >= page.smallest == (14 if is_narrow(name) else 16)
    assert max(sizes) == page.heading
    assert min(sizes) * column / view_box(svgs[name])[2] >= 11


# --- Contrast -------------------------------------------------------------------------------


def test_contrast_function_matches_wcag_reference_values() -> None:
    assert contrast("#000000", "#ffffff") == pytest.approx(21.0)
    assert contrast("#ffffff", "#ffffff") == pytest.approx(1.0)
    assert contrast("#ffffff", "#1d4ed8") == pytest.approx(6.70, abs=0.01)
    assert contrast("#767676", "#ffffff") == pytest.approx(4.54, abs=0.01)


@pytest.mark.parametrize(
    "palette", [figure_palette.LIGHT, figure_palette.DARK], ids=["clair", "sombre"]
)
def test_declared_text_colours_reach_aa(palette: dict[str, str]) -> None:
    assert set(palette) == set(figure_palette.LIGHT)
    ratios = {(fg, bg): contrast(palette[fg], palette[bg]) for fg, bg in figure_palette.TEXT_PAIRS}
    assert min(ratios.values()) >= 4.5, ratios


@pytest.mark.parametrize("name", NAMES)
def test_every_text_reaches_aa_on_what_is_painted_under_it(svgs: dict[str, str], name: str) -> None:
    found = shapes_and_texts(svgs[name])
    assert found
    palette = palette_of(name)
    declared = {(palette[fg], palette[bg]) for fg, bg in figure_palette.TEXT_PAIRS}
    for element, shape in found:
        fill = element.attrib["fill"]
        assert contrast(fill, shape.fill) >= 4.5, text_of(element)
        assert (fill, shape.fill) in declared, text_of(element)


CHECKED_LINES = {
    "dix-regles.svg": 20,
    "dix-regles-etroit.svg": 20,
    "gagnant-gagnant.svg": 12,
    "gagnant-gagnant-etroit.svg": 12,
    "valeur-du-reseau.svg": 18,
    "valeur-du-reseau-etroit.svg": 18,
}


@pytest.mark.parametrize("name", NAMES)
def test_start_anchored_lines_fit_their_box(svgs: dict[str, str], name: str) -> None:
    checked = 0
    background = palette_of(name)["fond"]
    for element, shape in shapes_and_texts(svgs[name]):
        if element.attrib.get("text-anchor", "start") != "start" or shape.fill == background:
            continue
        checked += 1
        size = int(element.attrib["font-size"])
        em = figure_text.CHAR_EM_BOLD if element.get("font-weight") else figure_text.CHAR_EM
        for line in element.iter(f"{NS}tspan"):
            assert line.text is not None
            assert float(line.attrib["x"]) + len(line.text) * size * em <= shape.right, line.text
            assert shape.top < float(line.attrib["y"]) < shape.bottom
    assert checked == CHECKED_LINES[name.replace("-sombre", "")]


@pytest.mark.parametrize("name", NAMES)
def test_every_text_is_inside_the_picture(svgs: dict[str, str], name: str) -> None:
    _, _, width, height = view_box(svgs[name])
    for element in parse(svgs[name]).iter(f"{NS}text"):
        if element.get("transform"):
            continue  # the vertical axis: its box is checked by the browser's screenshots
        size = int(element.attrib["font-size"])
        em = figure_text.CHAR_EM_BOLD if element.get("font-weight") else figure_text.CHAR_EM
        anchor = element.get("text-anchor", "start")
        for line in element.iter(f"{NS}tspan"):
            assert line.text is not None
            x, y, extent = (
                float(line.attrib["x"]),
                float(line.attrib["y"]),
                len(line.text) * size * em,
            )
            left = x - extent / 2 if anchor == "middle" else x
            assert left > 0, line.text
            assert left + extent < width, line.text
            assert size < y < height, line.text


# --- 1. The ten rules -----------------------------------------------------------------------


@pytest.mark.parametrize("name", [n for n in NAMES if n.startswith("dix-regles")])
def test_rules_show_every_number_title_and_principle(
    svgs: dict[str, str], rules: tuple[Rule, ...], name: str
) -> None:
    svg = svgs[name]
    shown = texts(svg)
    for rule in rules:
        assert typeset(rule.title) in shown
        assert typeset(rule.principle) in shown
        assert str(rule.number) in shown
    assert "Une méthode en dix règles simples" in shown
    assert len(shown) == 2 + 3 * 10
    assert len(list(parse(svg).iter(f"{NS}circle"))) == 10


def _badges(root: ET.Element) -> dict[str, tuple[int, int]]:
    return {
        text_of(t): (int(c.attrib["cx"]), int(c.attrib["cy"]))
        for c, t in zip(root.iter(f"{NS}circle"), _badge_texts(root), strict=True)
    }


def _badge_texts(root: ET.Element) -> list[ET.Element]:
    """The texts drawn right after a circle: its label."""
    elements = list(root.iter())
    return [
        elements[i + 1]
        for i, element in enumerate(elements)
        if element.tag == f"{NS}circle" and elements[i + 1].tag == f"{NS}text"
    ]


def test_rules_read_down_two_columns_wide(svgs: dict[str, str]) -> None:
    circles = _badges(parse(svgs["dix-regles.svg"]))
    assert {circles[str(n)][0] for n in range(1, 6)} == {74}
    assert {circles[str(n)][0] for n in range(6, 11)} == {534}
    for first, second in ((1, 2), (2, 3), (3, 4), (4, 5), (6, 7), (9, 10)):
        assert circles[str(first)][1] < circles[str(second)][1]
    for row in range(1, 6):
        assert circles[str(row)][1] == circles[str(row + 5)][1]


def test_rules_read_down_one_column_narrow(svgs: dict[str, str]) -> None:
    circles = _badges(parse(svgs["dix-regles-etroit.svg"]))
    assert {x for x, _ in circles.values()} == {38}
    ordinates = [circles[str(n)][1] for n in range(1, 11)]
    assert ordinates == sorted(ordinates)


def test_long_rule_title_wraps_onto_two_balanced_lines(svgs: dict[str, str]) -> None:
    lines = [
        [line.text for line in t.iter(f"{NS}tspan")]
        for t in parse(svgs["dix-regles.svg"]).iter(f"{NS}text")
        if text_of(t).startswith("Ne cherchez")
    ]
    assert lines == [["Ne cherchez pas l’utilité", "dès le premier échange"]]


@pytest.mark.parametrize("name", ["dix-regles.svg", "dix-regles-etroit.svg"])
def test_rules_desc_lists_every_rule(
    svgs: dict[str, str], rules: tuple[Rule, ...], name: str
) -> None:
    desc = parse(svgs[name]).findtext(f"{NS}desc")
    assert desc is not None
    for rule in rules:
        assert f"{rule.number}. {typeset(rule.title)}" in desc


# --- 2. Win-win -----------------------------------------------------------------------------


def test_the_figure_says_something_of_every_cell() -> None:
    assert set(figure_win_win.OUTCOMES) == {
        (True, True),
        (True, False),
        (False, True),
        (False, False),
    }


@pytest.mark.parametrize("name", [n for n in NAMES if n.startswith("gagnant-gagnant")])
def test_win_win_names_and_axes_are_the_maps(
    svgs: dict[str, str], win_win: WinWin, name: str
) -> None:
    """One source: the quadrants' names and the axes' titles of carte.toml, the ones that
    « Mon réseau » shows on its map."""
    shown = texts(svgs[name])
    assert [q.label for q in win_win.quadrants] == [
        "Gagnant-gagnant",
        "Ils vous aident sans retour",
        "Vous les aidez sans retour",
        "Perdant-perdant",
    ]
    for quadrant in win_win.quadrants:
        assert typeset(quadrant.label) in shown
        outcome = figure_win_win.OUTCOMES[quadrant.receive, quadrant.give]
        assert typeset(outcome.caption) in shown
        assert typeset(outcome.verdict) in shown
    assert (win_win.receive.label, win_win.give.label) == (
        "Ce que vous recevez",
        "Ce que vous donnez",
    )
    assert win_win.receive.label in shown
    assert win_win.give.label in shown
    for legacy in ("Gagnant-perdant", "Perdant-gagnant"):
        assert legacy not in svgs[name]


@pytest.mark.parametrize("name", ["gagnant-gagnant.svg", "gagnant-gagnant-etroit.svg"])
def test_receiving_goes_right_and_giving_goes_up(
    svgs: dict[str, str], win_win: WinWin, name: str
) -> None:
    """The same way round as the map of « Mon réseau » (reseau-map.js): what you receive
    across, what you give up."""
    cells = {
        text_of(element): (shape.left, shape.top)
        for element, shape in shapes_and_texts(svgs[name])
        if text_of(element) in {q.label for q in win_win.quadrants}
    }
    by_place = {(q.receive, q.give): cells[q.label] for q in win_win.quadrants}
    left, right = by_place[False, True][0], by_place[True, True][0]
    top, bottom = by_place[True, True][1], by_place[True, False][1]
    assert left < right
    assert top < bottom
    assert by_place == {
        (False, True): (left, top),
        (True, True): (right, top),
        (False, False): (left, bottom),
        (True, False): (right, bottom),
    }
    assert (left, right, top) == {
        "gagnant-gagnant.svg": (144, 544, 135),
        "gagnant-gagnant-etroit.svg": (56, 207, 151),
    }[name]
    root = parse(svgs[name])
    lines = {
        (line.attrib["x1"] == line.attrib["x2"], line.attrib["y1"] == line.attrib["y2"])
        for line in root.iter(f"{NS}line")
    }
    assert lines == {(False, True), (True, False)}  # one arrow across, one up
    axis_label = positions(svgs[name], {win_win.receive.label})[win_win.receive.label]
    assert axis_label[1] > bottom  # under the grid


@pytest.mark.parametrize("name", ["gagnant-gagnant.svg", "gagnant-gagnant-etroit.svg"])
def test_vertical_axis_is_giving_and_rotated(svgs: dict[str, str], name: str) -> None:
    rotated = [
        text_of(t)
        for t in parse(svgs[name]).iter(f"{NS}text")
        if t.attrib.get("transform", "").startswith("rotate(-90 ")
    ]
    assert rotated == ["Vous donnez", "Vous ne donnez rien", "Ce que vous donnez"]


def test_win_win_desc_says_which_way(svgs: dict[str, str]) -> None:
    desc = parse(svgs["gagnant-gagnant.svg"]).findtext(f"{NS}desc")
    assert desc is not None
    assert desc.startswith(
        "Une grille de deux sur deux croise ce que vous recevez (axe horizontal, vers la "
        "droite) et ce que vous donnez (axe vertical, vers le haut). Gagnant-gagnant, en haut "
        "à droite."
    )
    assert "Ils vous aident sans retour, en bas à droite." in desc
    assert "Vous les aidez sans retour, en haut à gauche." in desc


def test_a_renamed_quadrant_is_drawn_with_its_new_name(
    rules: tuple[Rule, ...], crible: Crible, win_win: WinWin
) -> None:
    renamed = replace(
        win_win,
        quadrants=(replace(win_win.quadrants[0], label="Le bon échange"), *win_win.quadrants[1:]),
    )
    out = render(rules, crible, renamed)
    for name in ("gagnant-gagnant.svg", "gagnant-gagnant-etroit-sombre.svg"):
        assert "Le bon échange" in texts(out[name])


def test_a_long_quadrant_name_wraps_in_its_cell_never_cut(
    rules: tuple[Rule, ...], crible: Crible, win_win: WinWin
) -> None:
    long_name = "Ils vous aident beaucoup sans jamais rien recevoir de vous en retour"
    renamed = replace(
        win_win,
        quadrants=(*win_win.quadrants[:1], replace(win_win.quadrants[1], label=long_name)),
    )
    renamed = replace(renamed, quadrants=(*renamed.quadrants, *win_win.quadrants[2:]))
    out = render(rules, crible, renamed)
    for name in ("gagnant-gagnant.svg", "gagnant-gagnant-etroit.svg"):
        (element, cell) = next(
            (element, shape)
            for element, shape in shapes_and_texts(out[name])
            if text_of(element) == long_name
        )
        lines = [line.text or "" for line in element.iter(f"{NS}tspan")]
        assert " ".join(lines) == long_name
        assert len(lines) == (4 if name == "gagnant-gagnant.svg" else 6)
        size = int(element.attrib["font-size"])
        for line in element.iter(f"{NS}tspan"):
            right = float(line.attrib["x"]) + len(line.text or "") * size * figure_text.CHAR_EM_BOLD
            assert right <= cell.right
            assert float(line.attrib["y"]) < cell.bottom


def test_layout_matrix_rejects_an_incomplete_grid(win_win: WinWin) -> None:
    three = replace(win_win, quadrants=win_win.quadrants[:3])
    twice = replace(win_win, quadrants=(*win_win.quadrants[:3], win_win.quadrants[0]))
    for bad in (three, twice):
        with pytest.raises(ValueError, match="exactement une case par combinaison"):
            figure_win_win.layout_matrix(bad, WIDE)


# --- 3. The crible --------------------------------------------------------------------------


@pytest.mark.parametrize("name", [n for n in NAMES if n.startswith("valeur-du-reseau")])
def test_sieve_shows_every_criterion_once(svgs: dict[str, str], crible: Crible, name: str) -> None:
    shown = texts(svgs[name])
    for item in crible.items:
        assert shown.count(typeset(item.label)) == 1
    for dimension in crible.dimensions:
        assert typeset(dimension.label) in shown


@pytest.mark.parametrize("name", ["valeur-du-reseau.svg", "valeur-du-reseau-etroit.svg"])
def test_sieve_signs_are_glyphs_and_words(svgs: dict[str, str], crible: Crible, name: str) -> None:
    shown = texts(svgs[name])
    assert sum(item.sign == "+" for item in crible.items) == 9
    assert sum(item.sign == "-" for item in crible.items) == 4
    assert shown.count("+") == 9
    assert shown.count(MINUS) == 4
    assert "-" not in shown
    assert "+ Ce qui compte pour (9)" in shown
    assert f"{MINUS} Ce qui compte contre (4)" in shown
    subtitle = (
        f"Le crible «{NNBSP}Que m’apporte ce contact{NNBSP}?{NNBSP}»{NBSP}: "
        f"13{NBSP}critères, 9{NBSP}comptent pour, 4{NBSP}comptent contre"
    )
    assert subtitle in shown


@pytest.mark.parametrize("name", ["valeur-du-reseau.svg", "valeur-du-reseau-etroit-sombre.svg"])
def test_sieve_colours_follow_the_sign(svgs: dict[str, str], name: str) -> None:
    root = parse(svgs[name])
    badges = {
        text_of(t): c.attrib["fill"]
        for c, t in zip(root.iter(f"{NS}circle"), _badge_texts(root), strict=True)
    }
    palette = palette_of(name)
    assert badges == {"+": palette["vert_plein"], MINUS: palette["rouge_plein"]}


def test_sieve_narrow_lists_each_dimension_with_its_criteria_under_it(
    svgs: dict[str, str], crible: Crible
) -> None:
    svg = svgs["valeur-du-reseau-etroit.svg"]
    found = positions(
        svg, {typeset(i.label) for i in crible.items} | {d.label for d in crible.dimensions}
    )
    order = sorted(found, key=lambda text: found[text][1])
    assert order == [
        "Disponibilité",
        "Disponible",
        "Répond vite",
        "Ouverture du réseau",
        "Ouvre son réseau",
        "Qualité des échanges",
        "Compétent sur vos thèmes",
        "N’argumente pas",
        "Évasif, lieux communs",
        "Attitude",
        "Constructif",
        "Ouvert à la critique",
        "Systématiquement critique",
        "Ressenti",
        "Vous laisse d’humeur positive",
        "Vous motive",
        "Vous considère",
        "Vous laisse vide",
    ]
    assert "Dimension" not in texts(svg)
    assert "Dimension" in texts(svgs["valeur-du-reseau.svg"])


def test_sieve_groups_by_dimension_in_data_order(crible: Crible) -> None:
    groups = figure_sieve.group_by_dimension(crible)
    assert [(d.id, [i.id for i in plus], [i.id for i in minus]) for d, plus, minus in groups] == [
        ("disponibilite", ["available", "responsive"], []),
        ("reseau", ["introduces"], []),
        ("qualite", ["competent"], ["unargued", "evasive"]),
        ("attitude", ["constructive", "open-to-criticism"], ["always-critical"]),
        ("ressenti", ["positive-mood", "motivated", "considered"], ["feel-empty"]),
    ]


def test_sieve_desc_lists_every_criterion(svgs: dict[str, str], crible: Crible) -> None:
    desc = parse(svgs["valeur-du-reseau.svg"]).findtext(f"{NS}desc")
    assert desc is not None
    assert desc.startswith("Les 13 critères du crible, regroupés par dimension.")
    for item in crible.items:
        assert typeset(item.label) in desc


def grown(svgs_of: dict[str, str], name: str, before: dict[str, str]) -> int:
    return view_box(svgs_of[name])[3] - view_box(before[name])[3]


def test_adding_a_criterion_grows_the_picture(
    rules: tuple[Rule, ...], crible: Crible, win_win: WinWin, svgs: dict[str, str]
) -> None:
    extra = Item("patient", "+", "Patient", "ressenti")
    after = render(rules, replace(crible, items=(*crible.items, extra)), win_win)
    assert grown(after, "valeur-du-reseau.svg", svgs) == 56  # a 48-unit row and an 8-unit gap
    assert grown(after, "valeur-du-reseau-etroit.svg", svgs) == 44  # a 38-unit row, a 6 gap
    for name in ("valeur-du-reseau.svg", "valeur-du-reseau-etroit-sombre.svg"):
        assert texts(after[name]).count("+") == 10
        assert "Patient" in texts(after[name])
        assert "+ Ce qui compte pour (10)" in texts(after[name])


def test_a_new_dimension_adds_a_row(
    rules: tuple[Rule, ...], crible: Crible, win_win: WinWin, svgs: dict[str, str]
) -> None:
    more = replace(
        crible,
        dimensions=(*crible.dimensions, Dimension("temps", "Temps")),
        items=(*crible.items, Item("late", "-", "Toujours en retard", "temps")),
    )
    after = render(rules, more, win_win)
    assert grown(after, "valeur-du-reseau.svg", svgs) == 82  # a 72-unit row and a 10-unit gap
    assert grown(after, "valeur-du-reseau-etroit.svg", svgs) == 85  # a band of one and 8
    assert texts(after["valeur-du-reseau-etroit.svg"]).count(MINUS) == 5


def test_a_long_label_wraps_never_cut(
    rules: tuple[Rule, ...], crible: Crible, win_win: WinWin, svgs: dict[str, str]
) -> None:
    long_label = "Vous présente spontanément des personnes que vous n'auriez jamais rencontrées"
    items = tuple(
        replace(item, label=long_label) if item.id == "introduces" else item
        for item in crible.items
    )
    after = render(rules, replace(crible, items=items), win_win)
    for name, count in (("valeur-du-reseau.svg", 3), ("valeur-du-reseau-etroit.svg", 3)):
        assert typeset(long_label) in texts(after[name])
        lines = [
            len(list(t.iter(f"{NS}tspan")))
            for t in parse(after[name]).iter(f"{NS}text")
            if text_of(t) == typeset(long_label)
        ]
        assert lines == [count], name
    # The row was as tall as its two-line dimension label (56); the three-line pill is 86.
    assert grown(after, "valeur-du-reseau.svg", svgs) == 30
    assert grown(after, "valeur-du-reseau-etroit.svg", svgs) == 36  # two lines more, of 18


def test_unknown_sign_or_dimension_is_an_error(
    rules: tuple[Rule, ...], crible: Crible, win_win: WinWin
) -> None:
    bad_sign = replace(crible, items=(*crible.items, Item("x", "±", "X", "ressenti")))
    with pytest.raises(ValueError, match=r"Critère 'x' : signe '±' inconnu"):
        render(rules, bad_sign, win_win)
    bad_dimension = replace(crible, items=(*crible.items, Item("y", "+", "Y", "nulle-part")))
    with pytest.raises(ValueError, match=r"Critère 'y' : dimension 'nulle-part' inconnue"):
        render(rules, bad_dimension, win_win)


# --- Escaping -------------------------------------------------------------------------------


def test_hostile_text_is_escaped_everywhere(
    rules: tuple[Rule, ...], crible: Crible, win_win: WinWin
) -> None:
    hostile_rules = (replace(rules[0], title=HOSTILE_TAG, principle=HOSTILE_QUOTES), *rules[1:])
    hostile = replace(
        crible,
        title=HOSTILE_QUOTES,
        dimensions=(replace(crible.dimensions[0], label=HOSTILE_QUOTES), *crible.dimensions[1:]),
        items=(
            replace(crible.items[0], label=HOSTILE_TAG),
            replace(crible.items[4], label=HOSTILE_QUOTES),
            *crible.items[1:4],
            *crible.items[5:],
        ),
    )
    hostile_map = replace(
        win_win,
        quadrants=(replace(win_win.quadrants[0], label=HOSTILE_TAG), *win_win.quadrants[1:]),
    )
    out = render(hostile_rules, hostile, hostile_map)
    for svg in out.values():
        tags = {element.tag for element in parse(svg).iter()}
        assert all(tag.startswith(NS) for tag in tags)
        assert "<img" not in svg
    for suffix in ("", "-etroit-sombre"):
        rules_svg = out[f"dix-regles{suffix}.svg"]
        sieve_svg = out[f"valeur-du-reseau{suffix}.svg"]
        assert HOSTILE_TAG in " ".join(texts(rules_svg))
        assert HOSTILE_QUOTES in " ".join(texts(rules_svg))
        assert "&lt;img" in rules_svg
        assert "A &amp; B &#34;C&#34;" in rules_svg
        assert HOSTILE_TAG in " ".join(texts(out[f"gagnant-gagnant{suffix}.svg"]))
        shown = texts(sieve_svg)
        assert HOSTILE_TAG in shown
        assert shown.count(HOSTILE_QUOTES) == 2  # a criterion and a dimension
        desc = parse(sieve_svg).findtext(f"{NS}desc")
        assert desc is not None
        assert HOSTILE_TAG in desc
        assert "A & B" in desc


# --- Text fitting ---------------------------------------------------------------------------


def test_wrap_breaks_at_ordinary_spaces_only() -> None:
    assert figure_text.wrap("un deux trois", 7) == ["un deux", "trois"]
    assert figure_text.wrap("anticonstitutionnellement court", 5) == [
        "anticonstitutionnellement",
        "court",
    ]
    assert figure_text.wrap(f"13{NBSP}critères pour", 8) == [f"13{NBSP}critères", "pour"]
    assert figure_text.wrap("", 10) == [""]


def test_wrap_balanced_keeps_the_line_count_and_evens_lines() -> None:
    text = "Ne cherchez pas l’utilité dès le premier échange"
    assert figure_text.wrap(text, 30) == ["Ne cherchez pas l’utilité dès", "le premier échange"]
    assert figure_text.wrap_balanced(text, 30) == [
        "Ne cherchez pas l’utilité",
        "dès le premier échange",
    ]


def test_max_chars_uses_the_font_metrics() -> None:
    assert figure_text.max_chars(336, 19, bold=True) == 29
    assert figure_text.max_chars(336, 15) == 42
    assert figure_text.max_chars(5, 40) == 1


def test_a_word_too_long_for_its_box_shrinks_the_text_not_the_word() -> None:
    block = figure_text.text_block(
        "Gagnant-gagnant", x=0, top=0, width=127, size=15, fill="encre", bold=True, shrink_to=14
    )
    assert (block.size, [line.text for line in block.lines]) == (14, ["Gagnant-gagnant"])
    floor = figure_text.text_block(
        "Gagnant-gagnant", x=0, top=0, width=60, size=15, fill="encre", bold=True, shrink_to=14
    )
    assert (floor.size, [line.text for line in floor.lines]) == (14, ["Gagnant-gagnant"])
    roomy = figure_text.text_block(
        "Gagnant-gagnant", x=0, top=0, width=400, size=15, fill="encre", bold=True, shrink_to=14
    )
    assert roomy.size == 15


# --- Embedding in the pages -----------------------------------------------------------------

GLIGHTBOX_LINK = (
    '<p><a class="glightbox" data-type="image" data-width="auto" data-height="auto" '
    'href="../assets/infographics/gagnant-gagnant.svg" data-desc-position="bottom">'
    '<img alt="Infographie « X » : une grille" '
    'src="../assets/infographics/gagnant-gagnant.svg"></a></p>'
)


def test_embed_gives_each_scheme_its_picture_and_zoom_link(svgs: dict[str, str]) -> None:
    sizes = {name: figure_embed.svg_size(svg) for name, svg in svgs.items()}
    out = figure_embed.embed_infographics(GLIGHTBOX_LINK, sizes)
    base = "../assets/infographics/gagnant-gagnant"
    common = 'data-type="image" data-width="auto" data-height="auto"'
    assert out == (
        '<p><span class="crible-infographic">'
        f'<a class="glightbox crible-infographic__clair" {common} href="{base}.svg" '
        'data-desc-position="bottom" data-gallery="crible-gagnant-gagnant-clair"><picture>'
        f'<source media="(max-width: 699px)" srcset="{base}-etroit.svg" width="360" height="707">'
        f'<img alt="Infographie « X » : une grille" src="{base}.svg" width="960" height="714">'
        "</picture></a>"
        f'<a class="glightbox crible-infographic__sombre" {common} href="{base}-sombre.svg" '
        'data-desc-position="bottom" data-gallery="crible-gagnant-gagnant-sombre"><picture>'
        f'<source media="(max-width: 699px)" srcset="{base}-etroit-sombre.svg" width="360" '
        'height="707">'
        f'<img alt="Infographie « X » : une grille" src="{base}-sombre.svg" width="960" '
        'height="714"></picture></a>'
        "</span></p>"
    )


def test_embed_without_a_zoom_link_toggles_the_pictures(svgs: dict[str, str]) -> None:
    """A page with ``glightbox: false``: the same variants, with no link."""
    sizes = {name: figure_embed.svg_size(svg) for name, svg in svgs.items()}
    bare = '<p><img alt="Les règles" src="assets/infographics/dix-regles.svg" /></p>'
    base = "assets/infographics/dix-regles"
    assert figure_embed.embed_infographics(bare, sizes) == (
        '<p><span class="crible-infographic"><picture class="crible-infographic__clair">'
        f'<source media="(max-width: 699px)" srcset="{base}-etroit.svg" width="360" '
        'height="1353">'
        f'<img alt="Les règles" src="{base}.svg" width="960" height="882"></picture>'
        '<picture class="crible-infographic__sombre">'
        f'<source media="(max-width: 699px)" srcset="{base}-etroit-sombre.svg" width="360" '
        'height="1353">'
        f'<img alt="Les règles" src="{base}-sombre.svg" width="960" height="882"></picture>'
        "</span></p>"
    )


def test_embed_leaves_other_images_alone(svgs: dict[str, str]) -> None:
    sizes = {name: figure_embed.svg_size(svg) for name, svg in svgs.items()}
    others = [
        '<a class="glightbox" href="img/photo.png"><img alt="Une photo" src="img/photo.png"></a>',
        '<p><img alt="Un schéma" src="img/schema.svg"></p>',
        '<a class="glightbox" href="assets/infographics/dix-regles-etroit.svg"><img alt="Le '
        'format étroit, montré exprès" src="assets/infographics/dix-regles-etroit.svg"></a>',
        '<a class="glightbox" href="assets/infographics/autre.svg">'
        '<img alt="Une image d’un propriétaire" src="assets/infographics/autre.svg"></a>',
    ]
    for html in others:
        assert figure_embed.embed_infographics(html, sizes) == html


def test_embed_escapes_what_it_writes_back(svgs: dict[str, str]) -> None:
    sizes = {name: figure_embed.svg_size(svg) for name, svg in svgs.items()}
    html = GLIGHTBOX_LINK.replace(
        "Infographie « X » : une grille", "A &amp; &quot;B&quot; &lt;i&gt;"
    )
    out = figure_embed.embed_infographics(html, sizes)
    assert out.count('alt="A &amp; &quot;B&quot; &lt;i&gt;"') == 2
