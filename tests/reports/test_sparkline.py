"""The list's sparkline: server-drawn SVG, gaps kept, values clamped to 0–10."""

from __future__ import annotations

import re

from reports.sparkline import HEIGHT, PAD, svg_sparkline


def test_a_full_run_is_one_line_from_left_to_right() -> None:
    svg = str(svg_sparkline([0.0, 5.0, 10.0], label="Trend"))

    (points,) = re.findall(r'points="([^"]+)"', svg)
    xs = [float(p.split(",")[0]) for p in points.split()]
    ys = [float(p.split(",")[1]) for p in points.split()]
    assert xs == sorted(xs) and len(xs) == 3
    assert ys[0] == HEIGHT - PAD and ys[2] == PAD  # 0 at the bottom, 10 at the top
    assert 'role="img"' in svg and 'aria-label="Trend"' in svg


def test_gaps_split_the_line_and_lone_days_are_dots() -> None:
    svg = str(svg_sparkline([3.0, 4.0, None, 6.0, None, None, 2.0, 2.5], label="x"))

    assert svg.count("<polyline") == 2
    assert svg.count("<circle") == 1


def test_an_empty_fortnight_draws_only_the_baseline() -> None:
    svg = str(svg_sparkline([None] * 28, label="x"))
    assert "<polyline" not in svg and "<circle" not in svg and "<line" in svg


def test_the_label_is_escaped() -> None:
    svg = str(svg_sparkline([1.0], label='<b>"Ann" & co</b>'))
    assert "<b>" not in svg and "&quot;Ann&quot; &amp; co" in svg


def test_values_outside_the_scale_are_clamped() -> None:
    svg = str(svg_sparkline([-3.0, 14.0], label="x"))
    ys = [float(p.split(",")[1]) for p in re.findall(r'points="([^"]+)"', svg)[0].split()]
    assert ys == [HEIGHT - PAD, PAD]
