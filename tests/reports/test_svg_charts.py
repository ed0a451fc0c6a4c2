"""The breakdown charts drawn as SVG: exact box, one mark per number, whole ticks, escaped text."""

from __future__ import annotations

import xml.etree.ElementTree as ET
from datetime import date, timedelta
from statistics import median

import pytest

from diary import vocabulary as vocab
from reports.figures import breakdown
from reports.figures.style import COLOURS, GROUP_COLOURS, SIDE_COLOURS, rounded_height
from reports.series import (
    ActivityIntensities,
    DistalPoint,
    RegionCount,
    ReportSeries,
    WeeklyComposition,
)
from reports.svg_charts import (
    WIDTH,
    count_ticks,
    svg_activity,
    svg_distal_level,
    svg_pain_types,
    svg_regions,
)

NS = "{http://www.w3.org/2000/svg}"
START = date(2026, 3, 2)
BOX = {"title_id": "fig-x-title", "title": "The text alternative"}


def parse(svg: str) -> ET.Element:
    return ET.fromstring(svg)  # noqa: S314 - our own drawing, parsed to check it is well formed


def texts(root: ET.Element) -> list[str]:
    return [t.text or "" for t in root.iter(f"{NS}text")]


def bars(root: ET.Element) -> list[ET.Element]:
    return [r for r in root.iter(f"{NS}rect") if r.get("class") == "bar"]


def floats(element: ET.Element, *names: str) -> tuple[float, ...]:
    return tuple(float(element.get(name, "nan")) for name in names)


def ticks_below_bars(root: ET.Element) -> list[str]:
    # Tick labels sit centred under their gridline.
    return [t.text or "" for t in root.iter(f"{NS}text") if t.get("text-anchor") == "middle"]


@pytest.mark.parametrize("height", [160, 300, 850])
@pytest.mark.parametrize(
    ("draw", "data"),
    [
        (svg_regions, (RegionCount("buttock", "left", 3, 5.0),)),
        (svg_pain_types, (WeeklyComposition(START, 1, 2, 0),)),
        (svg_activity, (ActivityIntensities("sitting", (2, 5)),)),
        (svg_distal_level, (DistalPoint(START, 2),)),
    ],
)
def test_each_drawing_is_exactly_the_box_it_is_given_and_named_by_its_title(
    draw, data, height
) -> None:
    root = parse(draw(data, height=height, **BOX))

    assert root.get("viewBox") == f"0 0 {WIDTH} {height}"
    assert (root.get("width"), root.get("height")) == (str(WIDTH), str(height))
    assert root.get("role") == "img"
    assert root.get("aria-labelledby") == "fig-x-title"
    assert root.find(f"{NS}title").text == "The text alternative"


@pytest.mark.parametrize(
    ("most", "expected"),
    [
        (0, [0, 1]),
        (1, [0, 1]),
        (5, [0, 1, 2, 3, 4, 5]),
        (6, [0, 2, 4, 6]),
        (10, [0, 2, 4, 6, 8, 10]),
        (11, [0, 5, 10, 15]),
        (52, [0, 20, 40, 60]),
    ],
)
def test_count_ticks_are_whole_numbers_from_zero_past_the_largest_count(most, expected) -> None:
    assert count_ticks(most) == expected


def test_regions_draw_one_bar_per_place_and_side_with_its_count_at_the_end() -> None:
    regions = (
        RegionCount("lower_back", "center", 4, 5.0),
        RegionCount("buttock", "left", 12, 6.0),
        RegionCount("calf", "both", 3, 4.0),
    )
    root = parse(svg_regions(regions, height=300, **BOX))

    drawn = bars(root)
    assert [bar.get("fill") for bar in drawn] == [
        SIDE_COLOURS["center"],
        SIDE_COLOURS["left"],
        SIDE_COLOURS["both"],
    ]
    words = texts(root)
    assert words[0] == "Where it hurts, by side"  # the visible title, where Plotly draws it
    assert [w for w in words[1:] if "," in w] == [
        "Lower back, centre",
        "Buttock, left",
        "Calf, both sides",
    ]
    # Widths in proportion to the counts, each count written just past its bar's end.
    widths = [floats(bar, "width")[0] for bar in drawn]
    assert widths[0] / widths[1] == pytest.approx(4 / 12, abs=0.01)
    assert widths[2] / widths[1] == pytest.approx(3 / 12, abs=0.01)
    counts = {t.text: float(t.get("x")) for t in root.iter(f"{NS}text") if t.text in "4 12 3"}
    for bar, count in zip(drawn, ("4", "12", "3"), strict=True):
        x, width = floats(bar, "x", "width")
        assert x + width < counts[count] <= x + width + 5


def test_region_count_ticks_are_whole_numbers() -> None:
    root = parse(svg_regions((RegionCount("buttock", "left", 3, 5.0),), height=300, **BOX))

    assert ticks_below_bars(root) == ["0", "1", "2", "3", "Entries"]


def test_twenty_places_on_both_sides_fit_the_height_plotly_grows_to() -> None:
    regions = tuple(
        RegionCount(region.code, side, 5 + n, 5.0)
        for n, region in enumerate(vocab.REGIONS[:20])
        for side in ("left", "right")
    )
    height = max(300, rounded_height(120 + 34 * 20))  # as figure_region_frequency sizes it
    assert (
        breakdown.figure_region_frequency(ReportSeries(START, START, regions=regions)).layout[
            "height"
        ]
        == height
    )
    root = parse(svg_regions(regions, height=height, **BOX))

    drawn = bars(root)
    assert len(drawn) == 40
    for upper, lower in zip(drawn, drawn[1:], strict=False):
        y, h = floats(upper, "y", "height")
        assert y + h < floats(lower, "y")[0]  # no two bars touch
    assert all(float(t.get("y")) <= height for t in root.iter(f"{NS}text"))
    assert all(float(t.get("font-size")) >= 7 for t in root.iter(f"{NS}text"))
    assert root.get("viewBox") == f"0 0 {WIDTH} {height}"


def test_a_label_too_long_for_its_column_is_fitted_to_it_not_drawn_over_the_bar() -> None:
    regions = tuple(RegionCount("saddle", "center", 2, 5.0) for _ in range(14))
    root = parse(svg_regions(regions, height=300, **BOX))

    bar_left = floats(bars(root)[0], "x")[0]
    label = next(t for t in root.iter(f"{NS}text") if (t.text or "").startswith("Saddle"))
    assert label.text == "Saddle area (between the legs), centre"
    assert float(label.get("x")) + float(label.get("textLength")) < bar_left


def test_a_long_label_wraps_onto_two_lines_when_its_row_has_room() -> None:
    root = parse(svg_regions((RegionCount("saddle", "center", 2, 5.0),), height=300, **BOX))

    lines = [t.text for t in root.iter(f"{NS}text") if t.get("text-anchor") == "start"]
    assert " ".join(lines[:2]) == "Saddle area (between the legs), centre"


def test_kinds_of_pain_stack_each_weeks_groups_to_its_total() -> None:
    weeks = (
        WeeklyComposition(START, 4, 1, 2),
        WeeklyComposition(START + timedelta(days=7), 0, 3, 0),
        WeeklyComposition(START + timedelta(days=14), 0, 0, 0),
    )
    root = parse(svg_pain_types(weeks, height=300, **BOX))

    drawn = bars(root)
    by_week: dict[str, list[ET.Element]] = {}
    for bar in drawn:
        by_week.setdefault(bar.get("data-week"), []).append(bar)
    assert list(by_week) == ["2026-03-02", "2026-03-09"]  # an empty week draws no segment
    assert [b.get("fill") for b in by_week["2026-03-02"]] == [
        GROUP_COLOURS["nerve"],
        GROUP_COLOURS["muscle"],
        GROUP_COLOURS["other"],
    ]
    unit = floats(by_week["2026-03-09"][0], "height")[0] / 3
    first = by_week["2026-03-02"]
    assert [floats(b, "height")[0] / unit for b in first] == pytest.approx([4, 1, 2], abs=0.01)
    assert sum(floats(b, "height")[0] for b in first) == pytest.approx(7 * unit, abs=0.05)
    for lower, upper in zip(first, first[1:], strict=False):
        assert floats(upper, "y")[0] + floats(upper, "height")[0] == pytest.approx(
            floats(lower, "y")[0], abs=0.02
        )
    assert {"Nerve-like", "Muscle / joint-like", "Other"} <= set(texts(root))
    assert [t for t in texts(root) if t.isdigit()] == ["0", "2", "4", "6", "8"]


def test_a_years_week_labels_are_thinned_to_fit_the_phone_width() -> None:
    weeks = tuple(WeeklyComposition(START + timedelta(days=7 * n), 1, 0, 0) for n in range(53))
    root = parse(svg_pain_types(weeks, height=300, **BOX))

    labels = [
        t for t in root.iter(f"{NS}text") if t.get("text-anchor") == "middle" and t.text != "0"
    ]
    assert 3 <= len(labels) <= 7
    xs = [float(t.get("x")) for t in labels]
    assert min(b - a for a, b in zip(xs, xs[1:], strict=False)) >= 48
    assert max(xs) < WIDTH


def test_activity_draws_the_range_and_median_on_a_zero_to_ten_axis() -> None:
    values = (2, 3, 8, 9)
    root = parse(
        svg_activity(
            (
                ActivityIntensities("sitting", values),
                ActivityIntensities("walking", (4,)),
            ),
            height=300,
            **BOX,
        )
    )

    assert ticks_below_bars(root) == ["0", "2", "4", "6", "8", "10"]
    ticks = {
        t.text: float(t.get("x"))
        for t in root.iter(f"{NS}text")
        if t.get("text-anchor") == "middle"
    }
    per_point = (ticks["10"] - ticks["0"]) / 10
    ranges = [line for line in root.iter(f"{NS}line") if line.get("class") == "range"]
    medians = [c for c in root.iter(f"{NS}circle") if c.get("class") == "median"]
    x1, x2 = floats(ranges[0], "x1", "x2")
    assert (x1 - ticks["0"], x2 - ticks["0"]) == pytest.approx(
        (2 * per_point, 9 * per_point), abs=0.1
    )
    assert floats(medians[0], "cx")[0] - ticks["0"] == pytest.approx(
        median(values) * per_point, abs=0.1
    )
    assert ranges[0].get("stroke") == COLOURS["rest"]  # sitting is rest, as on the Plotly chart
    assert ranges[1].get("stroke") == COLOURS["active"]
    # A single value has no range to see: its median dot carries the colour.
    assert [m.get("fill") for m in medians] == [COLOURS["rest"], COLOURS["active"]]
    assert floats(ranges[1], "x1") == floats(ranges[1], "x2") == floats(medians[1], "cx")
    assert {"Sitting", "Walking", "At rest", "Moving or upright", "Median"} <= set(texts(root))


def test_the_furthest_point_counts_days_per_level_for_every_level_spine_first() -> None:
    distal = (
        DistalPoint(START, 5),
        DistalPoint(START + timedelta(days=1), 3),
        DistalPoint(START + timedelta(days=2), 5),
    )
    root = parse(svg_distal_level(distal, height=300, **BOX))

    words = texts(root)
    labels = [w for w in words if w in vocab.LEVEL_LABELS.values()]
    assert labels == [vocab.LEVEL_LABELS[level] for level in range(6)]
    drawn = bars(root)
    assert len(drawn) == 6
    assert {b.get("fill") for b in drawn} == {COLOURS["distal"]}
    widths = [floats(b, "width")[0] for b in drawn]
    assert widths[:3] == [0, 0, 0]
    assert widths[5] / widths[3] == pytest.approx(2, abs=0.01)
    assert ticks_below_bars(root) == ["0", "1", "2", "Days"]


def test_titles_and_labels_are_escaped(monkeypatch) -> None:
    from reports.figures import style

    monkeypatch.setitem(style.ACTIVITY_LABEL, "sitting", "Sitting <& lying>")
    svg = str(
        svg_activity(
            (ActivityIntensities("sitting", (3,)),),
            height=300,
            title_id="t",
            title='Pain & "<b>bold</b>"',
        )
    )

    assert "<b>" not in svg
    assert "<& lying>" not in svg
    assert "Sitting &lt;&amp; lying&gt;" in svg
    root = parse(svg)
    assert root.find(f"{NS}title").text == 'Pain & "<b>bold</b>"'


@pytest.mark.parametrize(
    ("draw", "empty"),
    [
        (svg_regions, ()),
        (svg_pain_types, (WeeklyComposition(START, 0, 0, 0),)),
        (svg_activity, ()),
        (svg_distal_level, ()),
    ],
)
def test_an_empty_series_draws_only_the_named_box(draw, empty) -> None:
    root = parse(draw(empty, height=300, **BOX))

    assert root.get("viewBox") == f"0 0 {WIDTH} 300"
    assert bars(root) == []
    assert list(root.iter(f"{NS}circle")) == []
    assert len(texts(root)) == 1  # the chart's visible title, nothing else
