"""The body-map geometry and its SVG rendering (no database)."""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET

import pytest

from diary import bodymap
from diary import vocabulary as vocab

SVG = "{http://www.w3.org/2000/svg}"


def _parse(svg: str) -> ET.Element:
    return ET.fromstring(svg)  # noqa: S314 - our own output, not untrusted input


def test_every_region_is_drawn_in_its_vocabulary_view_on_each_side():
    for region in vocab.REGIONS:
        offered = bodymap.view_locations(region.view)
        sides = {"center"} if region.code in vocab.CENTER_REGIONS else {"left", "right"}
        assert sides <= {side for code, side in offered if code == region.code}, region.code
        others = [code for code in bodymap.VIEWS if code != region.view]
        assert all(region.code not in dict(bodymap.view_locations(c)) for c in others)


def test_centre_is_offered_only_where_the_vocabulary_allows_it():
    centres = {region for region, side in bodymap.all_locations() if side == "center"}
    assert centres == set(vocab.CENTER_REGIONS)


def test_front_and_feet_are_aliases():
    assert bodymap.get_view("front") is bodymap.VIEWS["leg"]
    assert bodymap.get_view("feet") is bodymap.VIEWS["foot"]


def test_lists_go_left_to_right_with_the_centre_between():
    back = bodymap.view_locations("back")
    assert back[:3] == [("lower_back", "left"), ("lower_back", "center"), ("lower_back", "right")]


@pytest.mark.parametrize("view", ["back", "leg", "foot"])
def test_each_view_renders_as_well_formed_svg_hidden_from_screen_readers(view):
    root = _parse(str(bodymap.bodymap_svg(view)))
    assert root.tag == f"{SVG}svg"
    assert root.get("aria-hidden") == "true"
    assert root.get("viewBox") == f"0 0 {bodymap.WIDTH} {bodymap.get_view(view).height}"


def test_heat_map_fills_titles_and_label_are_applied():
    svg = str(
        bodymap.bodymap_svg(
            "foot",
            fills={("foot_sole", "left"): "#b3261e"},
            titles={("foot_sole", "left"): "Sole of foot, left: 12 entries"},
            label="Where the pain was, feet",
        )
    )
    root = _parse(svg)
    assert root.get("role") == "img"
    assert root.get("aria-label") == "Where the pain was, feet"
    filled = [el for el in root if el.get("fill") == "#b3261e"]
    assert filled and all("bm-filled" in el.get("class", "") for el in filled)
    assert "<title>Sole of foot, left: 12 entries</title>" in svg
    assert svg.count(f'fill="{bodymap.EMPTY_FILL}"') > 10


def test_the_interactive_map_marks_shapes_and_selection():
    svg = str(bodymap.bodymap_svg("back", selected=["calf:left"], interactive=True))
    assert re.search(
        r'<path[^>]*class="bm-region bm-empty is-selected"[^>]*data-loc="calf:left"', svg
    )
    assert 'data-loc="calf:right"' in svg
    assert "data-loc" not in str(bodymap.bodymap_svg("back"))


def test_labels_are_in_plain_words():
    assert bodymap.location_label("foot_sole", "left") == "Sole of foot, left"
    assert bodymap.location_label("lower_back", "center") == "Lower back, centre"


def test_text_is_escaped():
    svg = str(bodymap.bodymap_svg("leg", titles={("knee", "left"): "<b>&"}, label='a "b"'))
    assert "<b>" not in svg and "&lt;b&gt;&amp;" in svg
    assert 'aria-label="a &quot;b&quot;"' in svg
