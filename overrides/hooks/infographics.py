"""Les trois infographies du guide, rendues en SVG à partir des données, à la construction.

Ce module ne connaît ni MkDocs ni le paquet ``scoring`` : il décrit ce dont il a besoin par des
``Protocol`` et reçoit les objets réels du hook. Toute l'arithmétique de mise en page (positions,
retours à la ligne, hauteurs qui suivent le nombre de critères) vit ici, dans de petites fonctions
typées ; les gabarits Jinja2 (``overrides/infographics/*.svg.j2``) restent déclaratifs et tout
le texte y passe par l'échappement automatique. Le texte des données reçoit la même typographie
française que les pages (``scoring.typeset``).
"""

from __future__ import annotations

import math
from dataclasses import dataclass, replace
from typing import TYPE_CHECKING, Final, Protocol

from jinja2 import Environment, FileSystemLoader, StrictUndefined

from scoring import typeset

if TYPE_CHECKING:
    from collections.abc import Mapping, Sequence
    from pathlib import Path


# --- Ce que le hook doit fournir ------------------------------------------------------------


class RuleLike(Protocol):
    """Une des dix règles (``rules.toml``)."""

    @property
    def number(self) -> int: ...
    @property
    def title(self) -> str: ...
    @property
    def principle(self) -> str: ...


class ItemLike(Protocol):
    """Un critère du crible : ``sign`` vaut ``"+"`` ou ``"-"``."""

    @property
    def id(self) -> str: ...
    @property
    def sign(self) -> str: ...
    @property
    def label(self) -> str: ...
    @property
    def dimension(self) -> str: ...


class DimensionLike(Protocol):
    """Une dimension du crible (disponibilité, attitude…)."""

    @property
    def id(self) -> str: ...
    @property
    def label(self) -> str: ...


class QuestionnaireLike(Protocol):
    """Le crible : ses critères et ses dimensions."""

    @property
    def title(self) -> str: ...
    @property
    def items(self) -> Sequence[ItemLike]: ...
    @property
    def dimensions(self) -> Sequence[DimensionLike]: ...


# --- Constantes de présentation -------------------------------------------------------------

WIDTH: Final = 960
MARGIN: Final = 32
GAP: Final = 16

# Largeur moyenne d'un caractère, en fraction de la taille de police. Réglée sur DejaVu Sans,
# la plus large des polices que la pile système peut donner : ailleurs, le texte tient à l'aise.
CHAR_EM: Final = 0.53
CHAR_EM_BOLD: Final = 0.6

# Couleurs nommées. Chaque texte est posé sur un fond listé dans TEXT_PAIRS (contraste ≥ 4,5:1,
# vérifié par les tests) ; chaque SVG peint son propre fond opaque, lisible en thème clair et
# sombre.
PALETTE: Final[Mapping[str, str]] = {
    "fond": "#f8fafc",
    "bord": "#cbd5e1",
    "carte": "#ffffff",
    "encre": "#0f172a",
    "texte": "#1e293b",
    "discret": "#475569",
    "blanc": "#ffffff",
    "bleu": "#1d4ed8",
    "bleu_clair": "#eff6ff",
    "bleu_bord": "#bfdbfe",
    "vert": "#166534",
    "vert_clair": "#f0fdf4",
    "vert_bord": "#86efac",
    "rouge": "#b91c1c",
    "rouge_fonce": "#991b1b",
    "rouge_clair": "#fef2f2",
    "rouge_bord": "#fca5a5",
    "ambre": "#92400e",
    "ambre_clair": "#fffbeb",
    "ambre_bord": "#fcd34d",
    "orange": "#9a3412",
    "orange_clair": "#fff7ed",
    "orange_bord": "#fdba74",
    "trait": "#e2e8f0",
}

# (couleur du texte, couleur du fond) : toutes les associations employées par les gabarits.
TEXT_PAIRS: Final[tuple[tuple[str, str], ...]] = (
    ("encre", "fond"),
    ("discret", "fond"),
    ("encre", "carte"),
    ("texte", "carte"),
    ("discret", "carte"),
    ("blanc", "bleu"),
    ("encre", "bleu_clair"),
    ("texte", "bleu_clair"),
    ("texte", "vert_clair"),
    ("texte", "rouge_clair"),
    ("texte", "ambre_clair"),
    ("texte", "orange_clair"),
    ("vert", "vert_clair"),
    ("rouge_fonce", "rouge_clair"),
    ("ambre", "ambre_clair"),
    ("orange", "orange_clair"),
    ("blanc", "vert"),
    ("blanc", "rouge"),
    ("blanc", "rouge_fonce"),
    ("blanc", "ambre"),
    ("blanc", "orange"),
)

MINUS: Final = "\N{MINUS SIGN}"
NBSP: Final = "\N{NO-BREAK SPACE}"

OUTPUTS: Final = ("dix-regles.svg", "gagnant-gagnant.svg", "valeur-du-reseau.svg")


# --- Texte ----------------------------------------------------------------------------------


def max_chars(width: int, size: int, *, bold: bool = False) -> int:
    """Nombre de caractères qui tiennent dans ``width`` unités à la taille ``size``."""
    return max(1, math.floor(width / (size * (CHAR_EM_BOLD if bold else CHAR_EM))))


def wrap(text: str, limit: int) -> list[str]:
    """Coupe ``text`` aux espaces ordinaires (les insécables tiennent) en lignes de ``limit``
    caractères au plus ; un mot plus long que ``limit`` occupe sa propre ligne."""
    lines: list[str] = []
    current = ""
    for word in text.split(" "):
        if not word:
            continue
        candidate = f"{current} {word}" if current else word
        if current and len(candidate) > limit:
            lines.append(current)
            current = word
        else:
            current = candidate
    if current:
        lines.append(current)
    return lines or [""]


def wrap_balanced(text: str, limit: int) -> list[str]:
    """Comme :func:`wrap`, avec le même nombre de lignes mais des lignes de longueurs proches
    (pas de dernier mot isolé)."""
    lines = wrap(text, limit)
    best = lines
    width = limit - 1
    while width > 0:
        candidate = wrap(text, width)
        if len(candidate) != len(lines):
            break
        best = candidate
        width -= 1
    return best


# --- Modèles de vue (ce que reçoivent les gabarits) -----------------------------------------


@dataclass(frozen=True)
class Line:
    x: int
    y: int
    text: str


@dataclass(frozen=True)
class TextBlock:
    """Un ``<text>`` de une ou plusieurs lignes (une ``<tspan>`` par ligne)."""

    lines: tuple[Line, ...]
    size: int
    fill: str
    weight: int = 400
    anchor: str = "start"
    transform: str = ""

    @property
    def height(self) -> int:
        return len(self.lines) * line_height(self.size)


@dataclass(frozen=True)
class Box:
    x: int
    y: int
    width: int
    height: int
    fill: str
    stroke: str
    radius: int = 12


@dataclass(frozen=True)
class Badge:
    """Un disque de couleur portant un court texte centré (numéro, signe)."""

    cx: int
    cy: int
    r: int
    fill: str
    label: TextBlock


@dataclass(frozen=True)
class Frame:
    """Le cadre commun : fond opaque, titre et description accessibles, en-tête."""

    slug: str
    width: int
    height: int
    title: str
    desc: str
    heading: TextBlock
    subheading: TextBlock
    background: Box


def line_height(size: int) -> int:
    return round(size * 1.3)


def text_block(  # noqa: PLR0913  # a layout call reads best with every dimension named
    text: str,
    *,
    x: int,
    top: int,
    width: int,
    size: int,
    fill: str,
    bold: bool = False,
    anchor: str = "start",
    balanced: bool = False,
) -> TextBlock:
    """Coupe ``text`` pour ``width`` et place chaque ligne ; ``top`` est le haut du bloc."""
    limit = max_chars(width, size, bold=bold)
    lines = wrap_balanced(text, limit) if balanced else wrap(text, limit)
    step = line_height(size)
    first = top + round(step / 2 + size * 0.36)
    return TextBlock(
        lines=tuple(Line(x, first + i * step, line) for i, line in enumerate(lines)),
        size=size,
        fill=PALETTE[fill],
        weight=700 if bold else 400,
        anchor=anchor,
    )


def rotated(block: TextBlock) -> TextBlock:
    """Le même texte (une ligne, centré) tourné d'un quart de tour autour de son centre."""
    first = block.lines[0]
    center_y = first.y - round(block.size * 0.36)
    return replace(block, transform=f"rotate(-90 {first.x} {center_y})")


def badge(text: str, *, cx: int, cy: int, r: int, fill: str) -> Badge:
    size = 20
    label = text_block(
        text,
        x=cx,
        top=cy - line_height(size) // 2,
        width=4 * r,
        size=size,
        fill="blanc",
        bold=True,
        anchor="middle",
    )
    return Badge(cx=cx, cy=cy, r=r, fill=PALETTE[fill], label=label)


HEADER_TOP: Final = 36


def frame(slug: str, *, title: str, subtitle: str, desc: str) -> tuple[Frame, int]:
    """Le cadre sans sa hauteur finale, et l'ordonnée où commence le contenu."""
    heading = text_block(
        title,
        x=WIDTH // 2,
        top=HEADER_TOP,
        width=WIDTH - 2 * MARGIN,
        size=32,
        fill="encre",
        bold=True,
        anchor="middle",
        balanced=True,
    )
    subheading = text_block(
        subtitle,
        x=WIDTH // 2,
        top=HEADER_TOP + heading.height + 6,
        width=WIDTH - 4 * MARGIN,
        size=17,
        fill="discret",
        anchor="middle",
        balanced=True,
    )
    content_top = HEADER_TOP + heading.height + 6 + subheading.height + 28
    background = Box(0, 0, WIDTH, 0, PALETTE["fond"], PALETTE["bord"], radius=24)
    return (
        Frame(slug, WIDTH, 0, title, desc, heading, subheading, background),
        content_top,
    )


def close(frame_: Frame, bottom: int) -> Frame:
    """Fixe la hauteur du cadre d'après le bas du contenu."""
    height = bottom + MARGIN
    background = Box(
        1,
        1,
        frame_.width - 2,
        height - 2,
        frame_.background.fill,
        frame_.background.stroke,
        frame_.background.radius,
    )
    return Frame(
        frame_.slug,
        frame_.width,
        height,
        frame_.title,
        frame_.desc,
        frame_.heading,
        frame_.subheading,
        background,
    )


# --- 1. Les dix règles ----------------------------------------------------------------------


@dataclass(frozen=True)
class RuleCard:
    box: Box
    number: Badge
    title: TextBlock
    principle: TextBlock


CARD_PAD: Final = 20
RULE_R: Final = 22


def _rule_texts(rule: RuleLike, x: int, y: int, width: int) -> tuple[TextBlock, TextBlock]:
    text_x = x + CARD_PAD + 2 * RULE_R + 16
    text_w = x + width - CARD_PAD - text_x
    title = text_block(
        typeset(rule.title),
        x=text_x,
        top=y + CARD_PAD - 2,
        width=text_w,
        size=19,
        fill="encre",
        bold=True,
        balanced=True,
    )
    principle = text_block(
        typeset(rule.principle),
        x=text_x,
        top=y + CARD_PAD + title.height + 4,
        width=text_w,
        size=15,
        fill="texte",
        balanced=True,
    )
    return title, principle


def _rule_height(rule: RuleLike, width: int) -> int:
    title, principle = _rule_texts(rule, 0, 0, width)
    return max(2 * CARD_PAD + 2 * RULE_R, 2 * CARD_PAD + title.height + 4 + principle.height)


def layout_rules(rules: Sequence[RuleLike]) -> tuple[Frame, tuple[RuleCard, ...]]:
    """Deux colonnes de cartes, lues de haut en bas : 1 à 5 à gauche, 6 à 10 à droite."""
    ordered = sorted(rules, key=lambda rule: rule.number)
    count = len(ordered)
    titles = " ; ".join(f"{rule.number}. {typeset(rule.title)}" for rule in ordered)
    base, top = frame(
        "dix-regles",
        title=typeset("Quelle valeur apportez-vous au réseau ?"),
        subtitle=f"La méthode en {_count_word(count)} règles de bon sens",
        desc=typeset(
            f"Les {_count_word(count)} règles de la méthode, chacune avec son principe : {titles}."
        ),
    )
    column_w = (WIDTH - 2 * MARGIN - 24) // 2
    per_column = math.ceil(count / 2)
    cards: list[RuleCard] = []
    y = top
    for row in range(per_column):
        pair = [ordered[i] for i in (row, row + per_column) if i < count]
        height = max(_rule_height(rule, column_w) for rule in pair)
        for column, rule in enumerate(pair):
            x = MARGIN + column * (column_w + 24)
            title, principle = _rule_texts(rule, x, y, column_w)
            number = badge(
                str(rule.number),
                cx=x + CARD_PAD + RULE_R,
                cy=y + CARD_PAD + RULE_R,
                r=RULE_R,
                fill="bleu",
            )
            box = Box(x, y, column_w, height, PALETTE["carte"], PALETTE["bleu_bord"])
            cards.append(RuleCard(box, number, title, principle))
        y += height + GAP
    return close(base, y - GAP), tuple(cards)


def _count_word(count: int) -> str:
    words = {10: "dix", 11: "onze", 12: "douze", 13: "treize"}
    return words.get(count, str(count))


# --- 2. Gagnant-gagnant ---------------------------------------------------------------------


@dataclass(frozen=True)
class Quadrant:
    """Une case de la grille : ce que vous donnez × ce que vous recevez."""

    gives: bool
    receives: bool
    title: str
    caption: str
    verdict: str
    tone: str  # préfixe de couleur : "vert", "ambre", "orange", "rouge"

    @property
    def place(self) -> str:
        """Sa case, en mots (recevoir vers le haut, donner vers la droite)."""
        row = "en haut" if self.receives else "en bas"
        return f"{row} {'à droite' if self.gives else 'à gauche'}"


QUADRANTS: Final[tuple[Quadrant, ...]] = (
    Quadrant(
        gives=True,
        receives=True,
        title="Gagnant-gagnant",
        caption="Vous donnez et vous recevez : chacun y trouve son compte, "
        "l'échange se nourrit de lui-même.",
        verdict="La relation à cultiver",
        tone="vert",
    ),
    Quadrant(
        gives=False,
        receives=True,
        title="Gagnant-perdant",
        caption="Vous recevez sans rien donner en retour : l'autre finira par s'en lasser.",
        verdict="Cela ne durera pas",
        tone="ambre",
    ),
    Quadrant(
        gives=True,
        receives=False,
        title="Perdant-gagnant",
        caption="Vous donnez sans jamais recevoir : votre temps et votre énergie s'y perdent.",
        verdict="Votre temps s'épuise",
        tone="orange",
    ),
    Quadrant(
        gives=False,
        receives=False,
        title="Perdant-perdant",
        caption="Personne ne donne, personne ne reçoit : l'échange tourne à vide.",
        verdict="Laissez-la de côté",
        tone="rouge",
    ),
)


@dataclass(frozen=True)
class QuadrantView:
    box: Box
    title: TextBlock
    caption: TextBlock
    pill: Box
    verdict: TextBlock


@dataclass(frozen=True)
class Axis:
    """Une flèche d'axe (x1, y1) → (x2, y2), sa pointe et ses libellés."""

    x1: int
    y1: int
    x2: int
    y2: int
    head: str  # points du triangle de la pointe
    label: TextBlock
    ticks: tuple[TextBlock, ...]


@dataclass(frozen=True)
class Matrix:
    quadrants: tuple[QuadrantView, ...]
    gives: Axis
    receives: Axis
    stroke: str


GRID_X: Final = 144
QUAD_PAD: Final = 24
PILL_H: Final = 34
PILL_EM: Final = 0.58  # largeur mesurée d'un verdict en gras (DejaVu Sans), pour la pastille


def _quadrant_texts(quadrant: Quadrant, x: int, y: int, width: int) -> tuple[TextBlock, TextBlock]:
    title = text_block(
        quadrant.title,
        x=x + QUAD_PAD,
        top=y + QUAD_PAD - 4,
        width=width - 2 * QUAD_PAD,
        size=24,
        fill="vert" if quadrant.tone == "vert" else _dark(quadrant.tone),
        bold=True,
    )
    caption = text_block(
        typeset(quadrant.caption),
        x=x + QUAD_PAD,
        top=y + QUAD_PAD + title.height + 8,
        width=width - 2 * QUAD_PAD,
        size=17,
        fill="texte",
        balanced=True,
    )
    return title, caption


def _dark(tone: str) -> str:
    return "rouge_fonce" if tone == "rouge" else tone


def _quadrant_height(quadrant: Quadrant, width: int) -> int:
    title, caption = _quadrant_texts(quadrant, 0, 0, width)
    return QUAD_PAD - 4 + title.height + 8 + caption.height + 18 + PILL_H + QUAD_PAD


def layout_matrix(quadrants: Sequence[Quadrant] = QUADRANTS) -> tuple[Frame, Matrix]:
    """La grille 2 × 2 : donner en abscisse (vers la droite), recevoir en ordonnée (vers le
    haut), « gagnant-gagnant » en haut à droite."""
    by_place = {(q.gives, q.receives): q for q in quadrants}
    if len(by_place) != len(quadrants) or len(by_place) != 4:  # noqa: PLR2004  # a 2 × 2 grid
        raise ValueError("Il faut exactement une case par combinaison donner × recevoir.")
    listing = " ".join(f"{q.title}, {q.place}. {q.caption} {q.verdict}." for q in quadrants)
    base, top = frame(
        "gagnant-gagnant",
        title=typeset("Qu'est-ce qu'un jeu gagnant-gagnant ?"),
        subtitle=typeset(
            "Ce que vous donnez, croisé avec ce que vous recevez. "
            "Le premier mot vous concerne, le second votre contact."
        ),
        desc=typeset(
            "Une grille de deux sur deux croise ce que vous donnez (axe horizontal) et ce que "
            f"vous recevez (axe vertical). {listing}"
        ),
    )
    cell_w = (WIDTH - MARGIN - GRID_X - GAP) // 2
    cell_h = max(_quadrant_height(q, cell_w) for q in quadrants)
    views: list[QuadrantView] = []
    for quadrant in quadrants:
        x = GRID_X + (cell_w + GAP if quadrant.gives else 0)
        y = top + (0 if quadrant.receives else cell_h + GAP)
        title, caption = _quadrant_texts(quadrant, x, y, cell_w)
        tone = quadrant.tone
        pill_y = y + cell_h - QUAD_PAD - PILL_H
        verdict = text_block(
            typeset(quadrant.verdict),
            x=x + QUAD_PAD + 16,
            top=pill_y + (PILL_H - line_height(16)) // 2,
            width=cell_w - 2 * QUAD_PAD - 32,
            size=16,
            fill="blanc",
            bold=True,
        )
        pill_w = min(
            cell_w - 2 * QUAD_PAD,
            32 + math.ceil(len(verdict.lines[0].text) * 16 * PILL_EM),
        )
        views.append(
            QuadrantView(
                box=Box(x, y, cell_w, cell_h, PALETTE[f"{tone}_clair"], PALETTE[f"{tone}_bord"]),
                title=title,
                caption=caption,
                pill=Box(
                    x + QUAD_PAD,
                    pill_y,
                    pill_w,
                    PILL_H,
                    PALETTE[_dark(tone)],
                    PALETTE[_dark(tone)],
                    radius=PILL_H // 2,
                ),
                verdict=verdict,
            )
        )
    grid_bottom = top + 2 * cell_h + GAP
    gives = _horizontal_axis(grid_bottom, cell_w)
    receives = _vertical_axis(top, cell_h)
    bottom = gives.label.lines[-1].y + 10
    return close(base, bottom), Matrix(tuple(views), gives, receives, PALETTE["discret"])


def _horizontal_axis(grid_bottom: int, cell_w: int) -> Axis:
    ticks = tuple(
        text_block(
            typeset(text),
            x=GRID_X + column * (cell_w + GAP) + cell_w // 2,
            top=grid_bottom + 8,
            width=cell_w,
            size=16,
            fill="discret",
            anchor="middle",
        )
        for column, text in enumerate(("Vous ne donnez rien", "Vous donnez"))
    )
    y = grid_bottom + 44
    x2 = WIDTH - MARGIN
    label = text_block(
        "Ce que vous donnez",
        x=(GRID_X + x2) // 2,
        top=y + 6,
        width=WIDTH,
        size=18,
        fill="encre",
        bold=True,
        anchor="middle",
    )
    head = f"{x2},{y} {x2 - 14},{y - 7} {x2 - 14},{y + 7}"
    return Axis(GRID_X, y, x2 - 12, y, head, label, ticks=ticks)


def _vertical_axis(top: int, cell_h: int) -> Axis:
    tick_x = GRID_X - 22
    ticks = tuple(
        text_block(
            typeset(text),
            x=tick_x,
            top=top + row * (cell_h + GAP) + cell_h // 2 - 10,
            width=cell_h,
            size=16,
            fill="discret",
            anchor="middle",
        )
        for row, text in enumerate(("Vous recevez", "Vous ne recevez rien"))
    )
    x = GRID_X - 58
    y_bottom = top + 2 * cell_h + GAP
    label = text_block(
        "Ce que vous recevez",
        x=x - 26,
        top=(top + y_bottom) // 2 - 12,
        width=2 * cell_h,
        size=18,
        fill="encre",
        bold=True,
        anchor="middle",
    )
    head = f"{x},{top} {x - 7},{top + 14} {x + 7},{top + 14}"
    return Axis(x, y_bottom, x, top + 12, head, rotated(label), ticks=tuple(map(rotated, ticks)))


# --- 3. La valeur du réseau (le crible) -----------------------------------------------------


@dataclass(frozen=True)
class Criterion:
    box: Box
    sign: Badge
    label: TextBlock


@dataclass(frozen=True)
class DimensionRow:
    label: TextBlock
    band: Box
    criteria: tuple[Criterion, ...]


@dataclass(frozen=True)
class ColumnHead:
    box: Box
    label: TextBlock


@dataclass(frozen=True)
class Sieve:
    heads: tuple[ColumnHead, ...]
    dimension_head: TextBlock
    rows: tuple[DimensionRow, ...]
    legend: TextBlock
    positives: int
    negatives: int


DIM_W: Final = 184
ITEM_SIGN_R: Final = 14
ITEM_PAD: Final = 10
ITEM_SIZE: Final = 17


def is_positive(item: ItemLike) -> bool:
    """``True`` pour un critère « + », ``False`` pour « − » ; toute autre valeur est une erreur."""
    if item.sign == "+":
        return True
    if item.sign in {"-", MINUS}:
        return False
    raise ValueError(f"Critère {item.id!r} : signe {item.sign!r} inconnu, attendu '+' ou '-'.")


def _columns() -> tuple[int, int, int]:
    """Abscisses des colonnes « pour » et « contre », et leur largeur."""
    left = MARGIN + DIM_W + GAP
    width = (WIDTH - MARGIN - left - GAP) // 2
    return left, left + width + GAP, width


def _criterion(item: ItemLike, x: int, y: int, width: int) -> Criterion:
    positive = is_positive(item)
    text_x = x + ITEM_PAD + 2 * ITEM_SIGN_R + 12
    text = typeset(item.label)
    text_w = x + width - ITEM_PAD - text_x
    lines = len(wrap(text, max_chars(text_w, ITEM_SIZE)))
    height = max(2 * ITEM_SIGN_R, lines * line_height(ITEM_SIZE)) + 2 * ITEM_PAD
    label = text_block(
        text,
        x=text_x,
        top=y + (height - lines * line_height(ITEM_SIZE)) // 2,
        width=text_w,
        size=ITEM_SIZE,
        fill="texte",
    )
    sign = badge(
        "+" if positive else MINUS,
        cx=x + ITEM_PAD + ITEM_SIGN_R,
        cy=y + height // 2,
        r=ITEM_SIGN_R,
        fill="vert" if positive else "rouge",
    )
    tone = "vert" if positive else "rouge"
    box = Box(x, y, width, height, PALETTE[f"{tone}_clair"], PALETTE[f"{tone}_bord"], radius=10)
    return Criterion(box, sign, label)


def _stack(items: Sequence[ItemLike], x: int, top: int, width: int) -> tuple[list[Criterion], int]:
    criteria: list[Criterion] = []
    y = top
    for item in items:
        criterion = _criterion(item, x, y, width)
        criteria.append(criterion)
        y += criterion.box.height + 8
    return criteria, (y - 8 - top if items else 0)


def group_by_dimension(
    crible: QuestionnaireLike,
) -> list[tuple[DimensionLike, list[ItemLike], list[ItemLike]]]:
    """Les critères, par dimension (dans l'ordre des données), séparés en « + » et « − ».
    Les dimensions sans critère sont omises ; un critère de dimension inconnue est une erreur."""
    known = {dimension.id for dimension in crible.dimensions}
    for item in crible.items:
        if item.dimension not in known:
            raise ValueError(f"Critère {item.id!r} : dimension {item.dimension!r} inconnue.")
    groups = []
    for dimension in crible.dimensions:
        items = [item for item in crible.items if item.dimension == dimension.id]
        if items:
            positives = [item for item in items if is_positive(item)]
            negatives = [item for item in items if not is_positive(item)]
            groups.append((dimension, positives, negatives))
    return groups


def layout_sieve(crible: QuestionnaireLike) -> tuple[Frame, Sieve]:
    """Une ligne par dimension, les critères « + » à gauche, « − » à droite : la hauteur suit
    le nombre de critères."""
    groups = group_by_dimension(crible)
    plus = [item for item in crible.items if is_positive(item)]
    minus = [item for item in crible.items if not is_positive(item)]
    total = len(crible.items)

    def labels(items: Sequence[ItemLike]) -> str:
        return " ; ".join(typeset(item.label) for item in items)

    base, top = frame(
        "valeur-du-reseau",
        title=typeset("Quelle est la valeur du réseau ?"),
        subtitle=typeset(
            f"Le crible « {crible.title} » : {total}{NBSP}critères, "
            f"{len(plus)}{NBSP}comptent pour, {len(minus)}{NBSP}comptent contre"
        ),
        desc=typeset(
            f"Les {total} critères du crible, regroupés par dimension. "
            f"Ce qui compte pour le contact (+) : {labels(plus)}. "
            f"Ce qui compte contre (−) : {labels(minus)}."
        ),
    )
    x_plus, x_minus, col_w = _columns()
    heads = (
        _column_head(f"+ Ce qui compte pour ({len(plus)})", x_plus, top, col_w, "vert"),
        _column_head(f"{MINUS} Ce qui compte contre ({len(minus)})", x_minus, top, col_w, "rouge"),
    )
    dimension_head = text_block(
        "Dimension",
        x=MARGIN + 12,
        top=top + 8,
        width=DIM_W,
        size=16,
        fill="discret",
        bold=True,
    )
    y = top + heads[0].box.height + 12
    rows: list[DimensionRow] = []
    for dimension, positives, negatives in groups:
        inner = y + 12
        left, left_h = _stack(positives, x_plus, inner, col_w)
        right, right_h = _stack(negatives, x_minus, inner, col_w)
        first = min((stack[0].box.height for stack in (left, right) if stack), default=48)
        label = text_block(
            typeset(dimension.label),
            x=MARGIN + 12,
            top=inner + (first - line_height(17)) // 2,
            width=DIM_W - 24,
            size=17,
            fill="encre",
            bold=True,
        )
        height = max(left_h, right_h, label.height + 12) + 24
        band = Box(MARGIN, y, WIDTH - 2 * MARGIN, height, PALETTE["carte"], PALETTE["trait"])
        rows.append(DimensionRow(label, band, tuple(left + right)))
        y += height + 10
    legend = text_block(
        typeset(
            "Répondez « oui » quand un critère s'applique : un + compte pour le contact, "
            "un − compte contre. « Je ne sais pas » ne compte ni pour ni contre."
        ),
        x=WIDTH // 2,
        top=y + 4,
        width=WIDTH - 4 * MARGIN,
        size=15,
        fill="discret",
        anchor="middle",
        balanced=True,
    )
    sieve = Sieve(heads, dimension_head, tuple(rows), legend, len(plus), len(minus))
    return close(base, y + 4 + legend.height), sieve


def _column_head(text: str, x: int, top: int, width: int, tone: str) -> ColumnHead:
    fill = PALETTE["rouge_fonce" if tone == "rouge" else tone]
    label = text_block(
        typeset(text),
        x=x + width // 2,
        top=top + 6,
        width=width - 24,
        size=18,
        fill="blanc",
        bold=True,
        anchor="middle",
    )
    return ColumnHead(Box(x, top, width, label.height + 12, fill, fill, radius=10), label)


# --- Rendu ----------------------------------------------------------------------------------


def environment(templates_dir: Path) -> Environment:
    """Jinja2 avec échappement automatique (le texte des données ne peut pas casser le XML)."""
    return Environment(
        loader=FileSystemLoader(templates_dir),
        autoescape=True,
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
    )


def render_infographics(
    rules: Sequence[RuleLike], crible: QuestionnaireLike, templates_dir: Path
) -> dict[str, str]:
    """Rend les trois infographies : ``{nom de fichier: texte SVG}``."""
    env = environment(templates_dir)
    palette = dict(PALETTE)

    rules_frame, cards = layout_rules(rules)
    matrix_frame, matrix = layout_matrix()
    sieve_frame, sieve = layout_sieve(crible)
    return {
        "dix-regles.svg": env.get_template("dix-regles.svg.j2").render(
            frame=rules_frame, cards=cards, p=palette
        ),
        "gagnant-gagnant.svg": env.get_template("gagnant-gagnant.svg.j2").render(
            frame=matrix_frame, matrix=matrix, p=palette
        ),
        "valeur-du-reseau.svg": env.get_template("valeur-du-reseau.svg.j2").render(
            frame=sieve_frame, sieve=sieve, p=palette
        ),
    }
