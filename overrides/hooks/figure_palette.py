"""The infographics' colours, one palette per colour scheme of the site.

Layouts name colours (``"encre"``, ``"vert_plein"``…); the templates draw them with the
palette of the scheme: light (Material's default scheme, and print) or dark (Material's
``slate``, whose background is #1e2129). The primary colour is the site's teal as crible.css
sets it (#00796b: white text on it reaches 5.3:1). Every text is set on a background listed in
TEXT_PAIRS, each pair at 4.5:1 or more in both palettes (tests/test_infographics.py).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Final

if TYPE_CHECKING:
    from collections.abc import Mapping

# Each tone has four colours: its text on its tint, a solid fill under white text, the tint,
# and the tint's border.
LIGHT: Final[Mapping[str, str]] = {
    "fond": "#f8fafc",
    "bord": "#cbd5e1",
    "carte": "#ffffff",
    "trait": "#e2e8f0",
    "encre": "#0f172a",
    "texte": "#1e293b",
    "discret": "#475569",
    "blanc": "#ffffff",
    "primaire_plein": "#00796b",
    "primaire_bord": "#80cbc4",
    "vert": "#166534",
    "vert_plein": "#166534",
    "vert_clair": "#f0fdf4",
    "vert_bord": "#86efac",
    "rouge": "#991b1b",
    "rouge_plein": "#b91c1c",
    "rouge_clair": "#fef2f2",
    "rouge_bord": "#fca5a5",
    "ambre": "#92400e",
    "ambre_plein": "#92400e",
    "ambre_clair": "#fffbeb",
    "ambre_bord": "#fcd34d",
    "orange": "#9a3412",
    "orange_plein": "#9a3412",
    "orange_clair": "#fff7ed",
    "orange_bord": "#fdba74",
}

DARK: Final[Mapping[str, str]] = {
    "fond": "#1e2129",  # Material slate's page background: the figure sits in the page
    "bord": "#3d4354",
    "carte": "#262a35",
    "trait": "#363c4a",
    "encre": "#eceef3",
    "texte": "#d5d8e0",
    "discret": "#a6adbb",
    "blanc": "#ffffff",
    "primaire_plein": "#00796b",
    "primaire_bord": "#2b7a70",
    "vert": "#86efac",
    "vert_plein": "#15803d",
    "vert_clair": "#15281d",
    "vert_bord": "#2f6b45",
    "rouge": "#fca5a5",
    "rouge_plein": "#b91c1c",
    "rouge_clair": "#2e1a1d",
    "rouge_bord": "#7f2e2e",
    "ambre": "#fcd34d",
    "ambre_plein": "#92400e",
    "ambre_clair": "#2b2415",
    "ambre_bord": "#7a5a1a",
    "orange": "#fdba74",
    "orange_plein": "#9a3412",
    "orange_clair": "#2d1f15",
    "orange_bord": "#8a4a1f",
}

TONES: Final = ("vert", "ambre", "orange", "rouge")

# (text colour, background): every pairing the templates use.
TEXT_PAIRS: Final[tuple[tuple[str, str], ...]] = (
    ("encre", "fond"),
    ("discret", "fond"),
    ("encre", "carte"),
    ("texte", "carte"),
    ("discret", "carte"),
    ("blanc", "primaire_plein"),
    *((tone, f"{tone}_clair") for tone in TONES),
    *(("texte", f"{tone}_clair") for tone in TONES),
    *(("blanc", f"{tone}_plein") for tone in TONES),
)


@dataclass(frozen=True, slots=True, kw_only=True)
class Scheme:
    """A colour scheme of the site and the palette its figures are drawn in."""

    suffix: str  # in the file name: "" (light) or "-sombre"
    palette: Mapping[str, str]


LIGHT_SCHEME: Final = Scheme(suffix="", palette=LIGHT)
DARK_SCHEME: Final = Scheme(suffix="-sombre", palette=DARK)
SCHEMES: Final = (LIGHT_SCHEME, DARK_SCHEME)
