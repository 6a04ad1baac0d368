import itertools
import xml.etree.ElementTree as ET

import pytest
from django.template import Context, Template
from django.utils import translation

from smartdialog.reference.models import Region
from smartdialog.results.cartogram import (
    PALETTE,
    TILE,
    ZERO_COLOUR,
    colour_classes,
    grid,
    render,
)

pytestmark = pytest.mark.django_db
SVG = "{http://www.w3.org/2000/svg}"


def _parse(html) -> ET.Element:
    return ET.fromstring(str(html).replace("<svg ", f'<svg xmlns="{SVG[1:-1]}" ', 1))


def _tiles(figure) -> dict[str, ET.Element]:
    tiles = {}
    for node in figure.iter():
        if node.get("data-region"):
            assert node.get("data-region") not in tiles
            tiles[node.get("data-region")] = node
    return tiles


def _fill(tile) -> str:
    return tile.find(f"{SVG}rect").get("fill")


def test_every_subject_has_exactly_one_tile_and_no_two_tiles_overlap():
    places = grid()
    assert set(places) == set(Region.objects.values_list("code", flat=True))
    assert len({(p.column, p.row) for p in places.values()}) == 89
    tiles = _tiles(_parse(render({})))
    assert set(tiles) == set(places)
    corners = {(float(t[1].get("x")), float(t[1].get("y"))) for t in tiles.values()}
    assert len(corners) == 89
    for x, y in corners:  # tiles on a grid wider than a tile cannot overlap
        assert x % (TILE + 3) == 0 and y % (TILE + 3) == 0


def test_layout_keeps_the_country_shape():
    places = grid()
    moscow, kaliningrad, chukotka = places["77"], places["39"], places["87"]
    taken = {(p.column, p.row) for p in places.values()}
    around = {
        (kaliningrad.column + dx, kaliningrad.row + dy) for dx in (-1, 0, 1) for dy in (-1, 0, 1)
    }
    assert around & taken == {(kaliningrad.column, kaliningrad.row)}  # detached
    assert kaliningrad.column == 0 and places["92"].column == 0  # west; Sevastopol south-west
    assert chukotka.column > moscow.column + 8 and chukotka.row < moscow.row
    assert places["91"].row == max(p.row for p in places.values())  # Crimea in the south
    assert places["51"].row < places["78"].row < places["61"].row  # Murmansk, Petersburg, Rostov


def test_labels_are_short():
    assert all(2 <= len(p.label) <= 4 and 2 <= len(p.label_en) <= 4 for p in grid().values())


def test_colours_follow_the_values_and_zero_is_distinct():
    values = {"77": 600, "78": 1100, "50": 90, "23": 7, "87": 1}
    tiles = _tiles(_parse(render(values)))
    order = [PALETTE.index(_fill(tiles[code])) for code in ("87", "23", "50", "77", "78")]
    assert order == sorted(order)
    assert order[0] == 0 and order[-1] == len(PALETTE) - 1
    assert _fill(tiles["14"]) == ZERO_COLOUR and ZERO_COLOUR not in PALETTE


def test_classes_cover_every_value_without_gaps():
    for top in (1, 2, 5, 37, 1100, 250_000):
        classes = colour_classes(top)
        assert classes[0].low == 1 and classes[-1].high == top
        assert all(a.high + 1 == b.low for a, b in itertools.pairwise(classes))
        assert classes[-1].colour == PALETTE[-1]


def test_tooltips_name_the_region_and_value():
    tiles = _tiles(_parse(render({"78": 1100})))
    assert tiles["78"].find(f"{SVG}title").text == "Санкт-Петербург: 1\xa0100"
    assert tiles["87"].find(f"{SVG}title").text == "Чукотский автономный округ: 0"


def test_links_when_a_pattern_is_given_and_a_labelled_picture_without():
    figure = _parse(render({"77": 3}, link=lambda code: f"/r/?region={code}", label="Голоса"))
    svg = figure.find(f".//{SVG}svg")
    assert (svg.get("role"), svg.get("aria-label")) == ("group", "Голоса")
    tile = _tiles(figure)["77"]
    assert (tile.tag, tile.get("href")) == (f"{SVG}a", "/r/?region=77")
    assert tile.get("aria-label") == "Москва: 3"
    plain = _parse(render({"77": 3}, label="Голоса")).find(f".//{SVG}svg")
    assert plain.get("role") == "img" and plain.find(f".//{SVG}a") is None


def test_legend_lists_zero_and_every_class():
    legend = _parse(render({"78": 1100})).find(".//ul")
    texts = ["".join(li.itertext()) for li in legend]
    assert texts[0] == "0"
    assert texts[1].startswith("1") and texts[-1].endswith("1\xa0100")
    assert len(texts) == len(colour_classes(1100)) + 1


def test_template_tag_builds_links_from_a_pattern():
    html = Template(
        '{% load cartogram %}{% cartogram values label="Votes" link="/x/?region={code}" %}'
    ).render(Context({"values": {"16": 4}}))
    assert 'href="/x/?region=16"' in html and 'aria-label="Votes"' in html


def test_english_labels_under_english():
    with translation.override("en"):
        tiles = _tiles(_parse(render({})))
    assert tiles["77"].find(f"{SVG}text").text == "MOW"
    assert tiles["93"].find(f"{SVG}text").text == "DPR"
