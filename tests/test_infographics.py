"""The three SVG infographics, rendered from the real definitions through stand-in objects.

The renderer declares what it needs as Protocols; these tests feed it tiny dataclasses built
from the TOML files with tomllib (no ``scoring`` import), parse every output as XML and check
content, accessibility, self-containment, contrast, escaping and growth with the data.
"""

from __future__ import annotations

import ast
import re
import tomllib
import xml.etree.ElementTree as ET
from dataclasses import dataclass, replace
from pathlib import Path

import infographics  # from overrides/hooks, on pytest's pythonpath (pyproject.toml)
import pytest

from scoring import typeset

ROOT = Path(__file__).resolve().parents[1]
HOOKS = ROOT / "overrides" / "hooks"
TEMPLATES = ROOT / "overrides" / "infographics"
DEFINITIONS = ROOT / "scoring" / "definitions"

SVG_NS = "http://www.w3.org/2000/svg"
NS = f"{{{SVG_NS}}}"
FONT_STACK = "system-ui, -apple-system, 'Segoe UI', Roboto, sans-serif"
NAMES = ("dix-regles.svg", "gagnant-gagnant.svg", "valeur-du-reseau.svg")
MINUS = "\N{MINUS SIGN}"
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


def render(rules: tuple[Rule, ...], crible: Crible) -> dict[str, str]:
    return infographics.render_infographics(rules, crible, TEMPLATES)


@pytest.fixture(scope="module")
def rules() -> tuple[Rule, ...]:
    return load_rules()


@pytest.fixture(scope="module")
def crible() -> Crible:
    return load_crible()


@pytest.fixture(scope="module")
def svgs(rules: tuple[Rule, ...], crible: Crible) -> dict[str, str]:
    return render(rules, crible)


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


# --- The module's contract ------------------------------------------------------------------


def test_renders_the_three_files(svgs: dict[str, str]) -> None:
    assert tuple(svgs) == NAMES
    assert infographics.OUTPUTS == NAMES


def test_imports_only_the_typography_of_scoring_and_not_mkdocs() -> None:
    tree = ast.parse((HOOKS / "infographics.py").read_text(encoding="utf-8"))
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
    assert imported == {
        "__future__",
        "math",
        "dataclasses",
        "typing",
        "jinja2",
        "scoring",
        "collections",
        "pathlib",
    }


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
    "dix-regles.svg": f"Quelle valeur apportez-vous au réseau{NNBSP}?",
    "gagnant-gagnant.svg": f"Qu’est-ce qu’un jeu gagnant-gagnant{NNBSP}?",
    "valeur-du-reseau.svg": f"Quelle est la valeur du réseau{NNBSP}?",
}
HEIGHTS = {"dix-regles.svg": 850, "gagnant-gagnant.svg": 684, "valeur-du-reseau.svg": 955}


@pytest.mark.parametrize("name", NAMES)
def test_root_is_an_accessible_image(svgs: dict[str, str], name: str) -> None:
    root = parse(svgs[name])
    slug = name.removesuffix(".svg")
    assert root.tag == f"{NS}svg"
    assert root.attrib["role"] == "img"
    assert root.attrib["aria-labelledby"] == f"{slug}-titre {slug}-desc"
    assert root.attrib["font-family"] == FONT_STACK
    title, desc = root[0], root[1]
    assert (title.tag, title.attrib["id"], title.text) == (
        f"{NS}title",
        f"{slug}-titre",
        TITLES[name],
    )
    assert (desc.tag, desc.attrib["id"]) == (f"{NS}desc", f"{slug}-desc")
    assert desc.text is not None
    assert desc.text.startswith(("Les ", "Une grille"))
    assert desc.text.endswith(".")
    # The visible heading repeats the accessible title.
    assert texts(svgs[name])[0] == TITLES[name]


@pytest.mark.parametrize("name", NAMES)
def test_size_and_view_box(svgs: dict[str, str], name: str) -> None:
    svg = svgs[name]
    root = parse(svg)
    assert view_box(svg) == (0, 0, 960, HEIGHTS[name])
    assert (root.attrib["width"], root.attrib["height"]) == ("960", str(HEIGHTS[name]))
    assert len(svg.encode()) < 9_000


@pytest.mark.parametrize("name", NAMES)
def test_paints_its_own_opaque_rounded_background(svgs: dict[str, str], name: str) -> None:
    root = parse(svgs[name])
    background = root[2]
    assert background.tag == f"{NS}rect"
    assert background.attrib["fill"] == infographics.PALETTE["fond"]
    assert background.attrib["rx"] == "24"
    _, _, width, height = view_box(svgs[name])
    assert int(background.attrib["width"]) == width - 2
    assert int(background.attrib["height"]) == height - 2
    assert "opacity" not in svgs[name]


@pytest.mark.parametrize("name", NAMES)
def test_is_self_contained(svgs: dict[str, str], name: str) -> None:
    svg = svgs[name]
    assert re.findall(r"https?:[^\"' ]*", svg) == [SVG_NS]
    for forbidden in ("href", "@import", "url(", "<style", "<image", "<foreignObject", "<path"):
        assert forbidden not in svg
    allowed = {"svg", "title", "desc", "rect", "circle", "text", "tspan", "g", "line", "polygon"}
    assert {element.tag.removeprefix(NS) for element in parse(svg).iter()} <= allowed


@pytest.mark.parametrize("name", NAMES)
def test_body_text_is_large_enough(svgs: dict[str, str], name: str) -> None:
    sizes = {int(e.attrib["font-size"]) for e in parse(svgs[name]).iter(f"{NS}text")}
    assert min(sizes) >= 15
    assert max(sizes) == 32


# --- Contrast -------------------------------------------------------------------------------


def test_contrast_function_matches_wcag_reference_values() -> None:
    assert contrast("#000000", "#ffffff") == pytest.approx(21.0)
    assert contrast("#ffffff", "#ffffff") == pytest.approx(1.0)
    assert contrast("#ffffff", "#1d4ed8") == pytest.approx(6.70, abs=0.01)
    assert contrast("#767676", "#ffffff") == pytest.approx(4.54, abs=0.01)


def test_declared_text_colours_reach_aa() -> None:
    palette = infographics.PALETTE
    ratios = {(fg, bg): contrast(palette[fg], palette[bg]) for fg, bg in infographics.TEXT_PAIRS}
    assert min(ratios.values()) >= 4.5, ratios


@pytest.mark.parametrize("name", NAMES)
def test_every_text_reaches_aa_on_what_is_painted_under_it(svgs: dict[str, str], name: str) -> None:
    found = shapes_and_texts(svgs[name])
    assert found
    declared = {
        (infographics.PALETTE[fg], infographics.PALETTE[bg]) for fg, bg in infographics.TEXT_PAIRS
    }
    for element, shape in found:
        fill = element.attrib["fill"]
        assert contrast(fill, shape.fill) >= 4.5, text_of(element)
        assert (fill, shape.fill) in declared, text_of(element)


@pytest.mark.parametrize("name", NAMES)
def test_start_anchored_lines_fit_their_box(svgs: dict[str, str], name: str) -> None:
    checked = 0
    for element, shape in shapes_and_texts(svgs[name]):
        on_card = shape.fill != infographics.PALETTE["fond"]
        if element.attrib.get("text-anchor", "start") != "start" or not on_card:
            continue
        checked += 1
        size = int(element.attrib["font-size"])
        em = infographics.CHAR_EM_BOLD if element.get("font-weight") else infographics.CHAR_EM
        for line in element.iter(f"{NS}tspan"):
            assert line.text is not None
            assert float(line.attrib["x"]) + len(line.text) * size * em <= shape.right
            assert shape.top < float(line.attrib["y"]) < shape.bottom
    assert (
        checked
        == {"dix-regles.svg": 20, "gagnant-gagnant.svg": 12, "valeur-du-reseau.svg": 18}[name]
    )


# --- 1. The ten rules -----------------------------------------------------------------------


def test_rules_show_every_number_title_and_principle(
    svgs: dict[str, str], rules: tuple[Rule, ...]
) -> None:
    svg = svgs["dix-regles.svg"]
    shown = texts(svg)
    for rule in rules:
        assert typeset(rule.title) in shown
        assert typeset(rule.principle) in shown
        assert str(rule.number) in shown
    assert shown[1] == "La méthode en dix règles de bon sens"
    assert len(shown) == 2 + 3 * 10
    assert len(list(parse(svg).iter(f"{NS}circle"))) == 10


def test_rules_read_down_two_columns(svgs: dict[str, str]) -> None:
    root = parse(svgs["dix-regles.svg"])
    circles = {
        text_of(t): (int(c.attrib["cx"]), int(c.attrib["cy"]))
        for c, t in zip(root.iter(f"{NS}circle"), _badge_texts(root), strict=True)
    }
    assert {circles[str(n)][0] for n in range(1, 6)} == {74}
    assert {circles[str(n)][0] for n in range(6, 11)} == {534}
    for first, second in ((1, 2), (2, 3), (3, 4), (4, 5), (6, 7), (9, 10)):
        assert circles[str(first)][1] < circles[str(second)][1]
    for row in range(1, 6):
        assert circles[str(row)][1] == circles[str(row + 5)][1]


def _badge_texts(root: ET.Element) -> list[ET.Element]:
    return [t for t in root.iter(f"{NS}text") if t.attrib.get("font-size") == "20"]


def test_long_rule_title_wraps_onto_two_balanced_lines(svgs: dict[str, str]) -> None:
    lines = [
        [line.text for line in t.iter(f"{NS}tspan")]
        for t in parse(svgs["dix-regles.svg"]).iter(f"{NS}text")
        if text_of(t).startswith("Ne cherchez")
    ]
    assert lines == [["Ne cherchez pas l’utilité", "dès le premier échange"]]


def test_rules_desc_lists_every_rule(svgs: dict[str, str], rules: tuple[Rule, ...]) -> None:
    desc = parse(svgs["dix-regles.svg"]).find(f"{NS}desc")
    assert desc is not None
    assert desc.text is not None
    for rule in rules:
        assert f"{rule.number}. {typeset(rule.title)}" in desc.text


# --- 2. Win-win -----------------------------------------------------------------------------


def test_quadrants_cover_the_grid_once() -> None:
    places = {(q.gives, q.receives) for q in infographics.QUADRANTS}
    assert places == {(True, True), (True, False), (False, True), (False, False)}
    assert [q.title for q in infographics.QUADRANTS] == [
        "Gagnant-gagnant",
        "Gagnant-perdant",
        "Perdant-gagnant",
        "Perdant-perdant",
    ]


def test_win_win_grid_places_each_outcome(svgs: dict[str, str]) -> None:
    shown = texts(svgs["gagnant-gagnant.svg"])
    for quadrant in infographics.QUADRANTS:
        assert quadrant.title in shown
        assert typeset(quadrant.caption) in shown
        assert typeset(quadrant.verdict) in shown
    for axis in ("Ce que vous donnez", "Ce que vous recevez"):
        assert axis in shown
    positions = {
        text_of(t): (int(line.attrib["x"]), int(line.attrib["y"]))
        for t in parse(svgs["gagnant-gagnant.svg"]).iter(f"{NS}text")
        for line in t.iter(f"{NS}tspan")
        if text_of(t) in {q.title for q in infographics.QUADRANTS}
    }
    assert positions == {
        "Gagnant-perdant": (168, 200),
        "Gagnant-gagnant": (568, 200),
        "Perdant-perdant": (168, 417),
        "Perdant-gagnant": (568, 417),
    }


def test_vertical_axis_text_is_rotated(svgs: dict[str, str]) -> None:
    rotated = [
        text_of(t)
        for t in parse(svgs["gagnant-gagnant.svg"]).iter(f"{NS}text")
        if t.attrib.get("transform", "").startswith("rotate(-90 ")
    ]
    assert rotated == ["Vous recevez", "Vous ne recevez rien", "Ce que vous recevez"]


def test_layout_matrix_rejects_an_incomplete_grid() -> None:
    with pytest.raises(ValueError, match="exactement une case"):
        infographics.layout_matrix(infographics.QUADRANTS[:3])
    with pytest.raises(ValueError, match="exactement une case"):
        infographics.layout_matrix((*infographics.QUADRANTS[:3], infographics.QUADRANTS[0]))


# --- 3. The crible --------------------------------------------------------------------------


def test_sieve_shows_every_criterion_once(svgs: dict[str, str], crible: Crible) -> None:
    shown = texts(svgs["valeur-du-reseau.svg"])
    for item in crible.items:
        assert shown.count(typeset(item.label)) == 1
    for dimension in crible.dimensions:
        assert typeset(dimension.label) in shown


def test_sieve_signs_are_glyphs_and_words(svgs: dict[str, str], crible: Crible) -> None:
    shown = texts(svgs["valeur-du-reseau.svg"])
    assert sum(item.sign == "+" for item in crible.items) == 9
    assert sum(item.sign == "-" for item in crible.items) == 4
    assert shown.count("+") == 9
    assert shown.count(MINUS) == 4
    assert "-" not in shown
    assert "+ Ce qui compte pour (9)" in shown
    assert f"{MINUS} Ce qui compte contre (4)" in shown
    assert (
        f"Le crible «{NNBSP}Que m’apporte ce contact{NNBSP}?{NNBSP}»\N{NO-BREAK SPACE}: "
        "13\N{NO-BREAK SPACE}critères, 9\N{NO-BREAK SPACE}comptent pour, "
        "4\N{NO-BREAK SPACE}comptent contre"
    ) in shown


def test_sieve_colours_follow_the_sign(svgs: dict[str, str]) -> None:
    root = parse(svgs["valeur-du-reseau.svg"])
    badges = {
        text_of(t): c.attrib["fill"]
        for c, t in zip(root.iter(f"{NS}circle"), _badge_texts(root), strict=True)
    }
    assert badges == {"+": infographics.PALETTE["vert"], MINUS: infographics.PALETTE["rouge"]}


def test_sieve_groups_by_dimension_in_data_order(crible: Crible) -> None:
    groups = infographics.group_by_dimension(crible)
    assert [(d.id, [i.id for i in plus], [i.id for i in minus]) for d, plus, minus in groups] == [
        ("disponibilite", ["available", "responsive"], []),
        ("reseau", ["introduces"], []),
        ("qualite", ["competent"], ["unargued", "evasive"]),
        ("attitude", ["constructive", "open-to-criticism"], ["always-critical"]),
        ("ressenti", ["positive-mood", "motivated", "considered"], ["feel-empty"]),
    ]


def test_sieve_desc_lists_every_criterion(svgs: dict[str, str], crible: Crible) -> None:
    desc = parse(svgs["valeur-du-reseau.svg"]).find(f"{NS}desc")
    assert desc is not None
    assert desc.text is not None
    assert desc.text.startswith("Les 13 critères du crible, regroupés par dimension.")
    for item in crible.items:
        assert typeset(item.label) in desc.text


def test_adding_a_criterion_grows_the_picture(rules: tuple[Rule, ...], crible: Crible) -> None:
    before = render(rules, crible)["valeur-du-reseau.svg"]
    extra = Item("patient", "+", "Patient", "ressenti")
    after = render(rules, replace(crible, items=(*crible.items, extra)))["valeur-du-reseau.svg"]
    assert view_box(after)[3] - view_box(before)[3] == 56  # one 48-unit row and an 8-unit gap
    assert texts(after).count("+") == 10
    assert "Patient" in texts(after)
    assert "+ Ce qui compte pour (10)" in texts(after)


def test_a_new_dimension_adds_a_row(rules: tuple[Rule, ...], crible: Crible) -> None:
    before = render(rules, crible)["valeur-du-reseau.svg"]
    grown = replace(
        crible,
        dimensions=(*crible.dimensions, Dimension("temps", "Temps")),
        items=(*crible.items, Item("late", "-", "Toujours en retard", "temps")),
    )
    after = render(rules, grown)["valeur-du-reseau.svg"]
    assert view_box(after)[3] - view_box(before)[3] == 82  # a 72-unit row and a 10-unit gap
    assert texts(after).count(MINUS) == 5


def test_a_long_label_wraps_and_grows_its_pill(rules: tuple[Rule, ...], crible: Crible) -> None:
    long_label = "Vous présente spontanément des personnes que vous n'auriez jamais rencontrées"
    items = tuple(
        replace(item, label=long_label) if item.id == "introduces" else item
        for item in crible.items
    )
    before = render(rules, crible)["valeur-du-reseau.svg"]
    after = render(rules, replace(crible, items=items))["valeur-du-reseau.svg"]
    assert typeset(long_label) in texts(after)
    lines = [
        len(list(t.iter(f"{NS}tspan")))
        for t in parse(after).iter(f"{NS}text")
        if text_of(t) == typeset(long_label)
    ]
    assert lines == [3]
    # The row was as tall as its two-line dimension label (56); the three-line pill is 86.
    assert view_box(after)[3] - view_box(before)[3] == 30


def test_unknown_sign_or_dimension_is_an_error(rules: tuple[Rule, ...], crible: Crible) -> None:
    bad_sign = replace(crible, items=(*crible.items, Item("x", "±", "X", "ressenti")))
    with pytest.raises(ValueError, match=r"Critère 'x' : signe '±' inconnu"):
        render(rules, bad_sign)
    bad_dimension = replace(crible, items=(*crible.items, Item("y", "+", "Y", "nulle-part")))
    with pytest.raises(ValueError, match=r"Critère 'y' : dimension 'nulle-part' inconnue"):
        render(rules, bad_dimension)


# --- Escaping -------------------------------------------------------------------------------


def test_hostile_text_is_escaped_everywhere(rules: tuple[Rule, ...], crible: Crible) -> None:
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
    out = render(hostile_rules, hostile)
    for svg in out.values():
        tags = {element.tag for element in parse(svg).iter()}
        assert all(tag.startswith(NS) for tag in tags)
        assert "<img" not in svg
    rules_svg, sieve_svg = out["dix-regles.svg"], out["valeur-du-reseau.svg"]
    assert HOSTILE_TAG in texts(rules_svg)
    assert HOSTILE_QUOTES in texts(rules_svg)
    assert "&lt;img src=x onerror=alert(1)&gt;" in rules_svg
    assert "A &amp; B &#34;C&#34;" in rules_svg
    shown = texts(sieve_svg)
    assert HOSTILE_TAG in shown
    assert shown.count(HOSTILE_QUOTES) == 2  # a criterion and a dimension
    desc = parse(sieve_svg).find(f"{NS}desc")
    assert desc is not None
    assert desc.text is not None
    assert HOSTILE_TAG in desc.text
    assert "A & B" in desc.text


# --- Layout helpers -------------------------------------------------------------------------


def test_wrap_breaks_at_ordinary_spaces_only() -> None:
    assert infographics.wrap("un deux trois", 7) == ["un deux", "trois"]
    assert infographics.wrap("anticonstitutionnellement court", 5) == [
        "anticonstitutionnellement",
        "court",
    ]
    assert infographics.wrap("13\N{NO-BREAK SPACE}critères pour", 8) == [
        "13\N{NO-BREAK SPACE}critères",
        "pour",
    ]
    assert infographics.wrap("", 10) == [""]


def test_wrap_balanced_keeps_the_line_count_and_evens_lines() -> None:
    text = "Ne cherchez pas l’utilité dès le premier échange"
    assert infographics.wrap(text, 30) == ["Ne cherchez pas l’utilité dès", "le premier échange"]
    assert infographics.wrap_balanced(text, 30) == [
        "Ne cherchez pas l’utilité",
        "dès le premier échange",
    ]


def test_max_chars_uses_the_font_metrics() -> None:
    assert infographics.max_chars(336, 19, bold=True) == 29
    assert infographics.max_chars(336, 15) == 42
    assert infographics.max_chars(5, 40) == 1
