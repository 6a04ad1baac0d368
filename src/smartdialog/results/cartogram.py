"""A tile-grid cartogram of Russia's 89 subjects, written as inline SVG.

Every subject is one equal square, placed on a grid that keeps the country's shape (west
left, north top; Kaliningrad apart in the west, Crimea and Sevastopol in the south-west,
the Far East on the right; `data/tile_grid.csv`). Equal tiles let Moscow and Chukotka be
compared by colour alone, which a geographic map hides, and an SVG drawn here needs no map
tiles from the network. The colour scale is geometric, because votes by region run from 1
to thousands; zero is grey, never the lightest shade of the scale.
"""

import csv
import math
from collections.abc import Callable
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from django.utils.formats import number_format
from django.utils.html import format_html, format_html_join
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _

from smartdialog.core.i18n import is_english
from smartdialog.reference.models import Region

GRID_FILE = Path(__file__).resolve().parent / "data" / "tile_grid.csv"
TILE = 40
GAP = 3
PITCH = TILE + GAP
# Sequential blues, light to dark; the last three take white text.
PALETTE = ("#d6e8f5", "#a9cfe8", "#74b0d9", "#4190c4", "#1f6fa8", "#0d4a80")
DARK_FROM = 3
ZERO_COLOUR = "#ffffff"
ZERO_EDGE = "#b0bac4"
INK, PAPER = "#1b2a38", "#ffffff"


@dataclass(frozen=True)
class Place:
    code: str
    column: int
    row: int
    label: str
    label_en: str


@dataclass(frozen=True)
class ColourClass:
    low: int
    high: int
    colour: str


@cache
def grid() -> dict[str, Place]:
    """Region code → its tile, read once from `data/tile_grid.csv`."""
    with open(GRID_FILE, encoding="utf-8", newline="") as f:
        return {
            row["code"]: Place(
                row["code"], int(row["column"]), int(row["row"]), row["label"], row["label_en"]
            )
            for row in csv.DictReader(f)
        }


def _round_down(value: float) -> int:
    """The largest 1, 2 or 5 × 10ⁿ not above `value`: bounds people can read in a legend."""
    power = 10 ** math.floor(math.log10(value))
    return max(f * power for f in (1, 2, 5) if f * power <= value)


def colour_classes(top: int) -> list[ColourClass]:
    """Classes covering 1…top, geometric steps with round bounds, darkest at the top."""
    if top < 1:
        return []
    steps = len(PALETTE)
    lows = sorted({1, *(_round_down(top ** (i / steps)) for i in range(1, steps))})
    highs = [low - 1 for low in lows[1:]] + [top]
    last = len(lows) - 1
    return [
        ColourClass(low, high, PALETTE[round(i * (steps - 1) / last) if last else -1])
        for i, (low, high) in enumerate(zip(lows, highs, strict=True))
    ]


def colour_of(value: int, classes: list[ColourClass]) -> str:
    if value <= 0:
        return ZERO_COLOUR
    return next(c.colour for c in classes if value <= c.high)


def _tile(place: Place, name: str, value: int, classes, link) -> SafeString:
    fill = colour_of(value, classes)
    dark = fill in PALETTE[DARK_FROM:]
    x, y = place.column * PITCH, place.row * PITCH
    tip = f"{name}: {number_format(value, force_grouping=True)}"
    body = format_html(
        '<title>{}</title><rect x="{}" y="{}" width="{}" height="{}" rx="4" fill="{}" '
        'stroke="{}"/>'
        '<text x="{}" y="{}" fill="{}">{}</text>',
        tip,
        x,
        y,
        TILE,
        TILE,
        fill,
        ZERO_EDGE if fill == ZERO_COLOUR else fill,
        x + TILE / 2,
        y + TILE / 2,
        PAPER if dark else INK,
        place.label_en if is_english() else place.label,
    )
    if link is None:
        return format_html('<g class="tile" data-region="{}">{}</g>', place.code, body)
    return format_html(
        '<a class="tile" data-region="{}" href="{}" aria-label="{}">{}</a>',
        place.code,
        link(place.code),
        tip,
        body,
    )


def _legend(classes: list[ColourClass]) -> SafeString:
    items = [(ZERO_COLOUR, "0")] + [
        (
            c.colour,
            number_format(c.low, force_grouping=True)
            if c.low == c.high
            else f"{number_format(c.low, force_grouping=True)}–"
            f"{number_format(c.high, force_grouping=True)}",
        )
        for c in classes
    ]
    return format_html(
        '<ul class="cartogram-legend">{}</ul>',
        format_html_join(
            "",
            '<li><span class="swatch" style="background:{}"></span>{}</li>',
            items,
        ),
    )


def render(
    values: dict[str, int], *, link: Callable[[str], str] | None = None, label: str = ""
) -> SafeString:
    """The map of `values` (region code → count; a missing code counts as 0).

    With `link`, each tile is a link to `link(code)`; the SVG is then a labelled group so
    that screen readers reach the links, and a plain `role="img"` picture otherwise. Either
    way the page shows the same numbers in a table beside it.
    """
    places = grid()
    names = {r.code: r.display_name for r in Region.objects.only("code", "name", "name_en")}
    classes = colour_classes(max(values.values(), default=0))
    label = label or _("Map of Russia's regions")
    width = max(p.column for p in places.values()) * PITCH + TILE
    height = max(p.row for p in places.values()) * PITCH + TILE
    tiles = mark_safe(
        "".join(
            _tile(place, names.get(code, code), values.get(code, 0), classes, link)
            for code, place in sorted(
                places.items(), key=lambda item: (item[1].row, item[1].column)
            )
        )
    )
    return format_html(
        '<figure class="cartogram"><div class="cartogram-scroll">'
        '<svg viewBox="0 0 {} {}" role="{}" aria-label="{}" '
        'font-family="PT Sans, sans-serif" font-size="13" font-weight="600" text-anchor="middle" '
        'dominant-baseline="central">{}</svg></div>'
        "<figcaption>{}{}</figcaption></figure>",
        width,
        height,
        "group" if link else "img",
        label,
        tiles,
        label,
        _legend(classes),
    )
