"""One colour scale for the SVG drawings and the Plotly figures."""

from __future__ import annotations

from core.colours import (
    COUNT_STOPS,
    INTENSITY_STOPS,
    intensity_colour,
    plotly_scale,
    scale_colour,
)
from reports.figures.style import INTENSITY_SCALE


def test_intensity_colours_hit_the_stops_and_mix_between_them():
    assert intensity_colour(0) == "#fff7ec"
    assert intensity_colour(3) == "#fdd49e"
    assert intensity_colour(10) == "#7f0000"
    assert intensity_colour(1) == "#feebd2"  # a third of the way to the 0.3 stop


def test_values_outside_the_scale_take_its_ends():
    assert intensity_colour(-2) == "#fff7ec"
    assert intensity_colour(12) == "#7f0000"
    assert scale_colour(COUNT_STOPS, 1.5) == "#08519c"


def test_plotly_draws_with_the_same_stops_as_the_svg():
    assert plotly_scale(INTENSITY_STOPS) == INTENSITY_SCALE
    assert [colour for _, colour in INTENSITY_SCALE] == [
        intensity_colour(t * 10) for t, _ in INTENSITY_SCALE
    ]
