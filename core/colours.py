"""Colour scales shared by the SVG drawings (body map, PDF charts) and the Plotly figures."""

from __future__ import annotations

from collections.abc import Sequence

Stops = Sequence[tuple[float, str]]

# Sequential, light to dark, fixed to 0-10 so colours mean the same on every report and chart,
# and readable in black-and-white print.
INTENSITY_STOPS: Stops = ((0.0, "#fff7ec"), (0.3, "#fdd49e"), (0.6, "#fc8d59"), (1.0, "#7f0000"))
# Entry counts use blues so they are not read as intensity (which is orange-red).
COUNT_STOPS: Stops = ((0.0, "#deebf7"), (1.0, "#08519c"))


def _rgb(colour: str) -> tuple[int, int, int]:
    return int(colour[1:3], 16), int(colour[3:5], 16), int(colour[5:7], 16)


def scale_colour(stops: Stops, t: float) -> str:
    """The hex colour at `t` (0-1, clamped) between the stops, mixed in RGB."""
    t = min(max(t, 0.0), 1.0)
    for (t0, c0), (t1, c1) in zip(stops, stops[1:], strict=False):
        if t <= t1:
            f = (t - t0) / (t1 - t0) if t1 > t0 else 0.0
            rgb = (round(a + (b - a) * f) for a, b in zip(_rgb(c0), _rgb(c1), strict=True))
            return "#{:02x}{:02x}{:02x}".format(*rgb)
    return stops[-1][1]


def intensity_colour(value: float) -> str:
    """Hex colour for a 0-10 intensity on the shared sequential scale."""
    return scale_colour(INTENSITY_STOPS, value / 10)


def plotly_scale(stops: Stops) -> list[list[float | str]]:
    """The stops as a Plotly `colorscale`."""
    return [[t, colour] for t, colour in stops]
