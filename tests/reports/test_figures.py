"""Report figures: what each draws, read from `fig.to_dict()`, never from images; no database."""

from __future__ import annotations

import json
from collections.abc import Callable
from datetime import date, timedelta
from typing import Any

import plotly.graph_objects as go
import pytest

from diary import vocabulary as vocab
from reports.figures import (
    EMPTY_TEXT,
    FIGURES,
    figure_daily_intensity,
    figure_distal_level,
    figure_intensity_by_activity,
    figure_json,
    figure_pain_type_composition,
    figure_region_frequency,
    figure_time_of_day_heatmap,
    figures_for_report,
)
from reports.figures.style import count_axis
from reports.series import (
    ActivityIntensities,
    ChangeMarker,
    DailyPoint,
    DistalPoint,
    FlagMarker,
    HeatCell,
    RegionCount,
    ReportSeries,
    RollingPoint,
    WeeklyComposition,
)

START = date(2026, 3, 2)
END = date(2026, 3, 15)
TIMING_LABELS = [t.label for t in vocab.TIMINGS]


def day(n: int) -> date:
    return START + timedelta(days=n)


def iso(n: int) -> str:
    return day(n).isoformat()


def series(**parts: Any) -> ReportSeries:
    # A logged day by default, so figures judge their own part and not the whole report.
    parts.setdefault("daily", (DailyPoint(day(0), 5, 5.0, 1),))
    return ReportSeries(period_start=START, period_end=END, **parts)


def data(fig: go.Figure) -> list[dict[str, Any]]:
    return fig.to_dict()["data"]


def layout(fig: go.Figure) -> dict[str, Any]:
    return fig.to_dict()["layout"]


def trace(fig: go.Figure, name: str) -> dict[str, Any]:
    (found,) = [t for t in data(fig) if t.get("name") == name]
    return found


def annotation_texts(fig: go.Figure) -> list[str]:
    return [a["text"] for a in layout(fig).get("annotations", [])]


# Daily intensity


def test_daily_intensity_plots_each_days_worst_and_average() -> None:
    fig = figure_daily_intensity(
        series(daily=(DailyPoint(day(0), 7, 4.25, 4), DailyPoint(day(2), 3, 3.0, 1)))
    )
    worst = trace(fig, "Worst of the day")
    average = trace(fig, "Daily average")
    assert worst["x"] == [iso(0), iso(2)]
    assert worst["y"] == [7, 3]
    assert average["y"] == [4.2, 3.0]  # rounded for the hover label
    assert average["customdata"] == [4, 1]


def test_rolling_mean_line_spans_the_period_with_gaps_where_it_is_missing() -> None:
    rolling = (RollingPoint(day(2), 4.0, 3), RollingPoint(day(3), 4.333333, 4))
    line = trace(figure_daily_intensity(series(rolling=rolling)), "7-day average")
    assert line["x"][0] == iso(0)
    assert line["x"][-1] == END.isoformat()
    assert line["y"][:5] == [None, None, 4.0, 4.33, None]
    assert line["connectgaps"] is False


def test_flag_markers_sit_on_the_days_the_flags_were_raised() -> None:
    flags = (
        FlagMarker(day(3), "night_worse_nerve_pain", "Worse at night", "warning"),
        FlagMarker(day(9), "red_flag_foot_drop", "Foot drop", "urgent"),
        FlagMarker(day(11), "persistent_pain", "Pain for weeks", "warning"),
    )
    fig = figure_daily_intensity(series(flags=flags))
    pattern = trace(fig, "Pattern flag")
    urgent = trace(fig, "Urgent flag")
    assert pattern["x"] == [iso(3), iso(11)]
    assert pattern["text"] == ["Worse at night", "Pain for weeks"]
    assert urgent["x"] == [iso(9)]
    # Above the 0-10 scale so a flag never hides a rating.
    assert all(y > 10 for y in pattern["y"] + urgent["y"])


def test_markers_on_the_last_day_are_drawn_whole_past_the_axis_end() -> None:
    flags = (FlagMarker(END, "red_flag_foot_drop", "Foot drop", "urgent"),)
    changes = (ChangeMarker(END, mean=6.0, baseline=4.0),)
    fig = figure_daily_intensity(series(flags=flags, changes=changes))
    for name in ("Urgent flag", "Clear rise", "Worst of the day"):
        assert trace(fig, name)["cliponaxis"] is False, name


def test_meaningful_changes_are_marked_up_or_down_on_their_day() -> None:
    changes = (
        ChangeMarker(day(5), mean=6.0, baseline=4.0),
        ChangeMarker(day(10), mean=3.5, baseline=6.0),
    )
    fig = figure_daily_intensity(series(changes=changes))
    rise, fall = trace(fig, "Clear rise"), trace(fig, "Clear fall")
    assert (rise["x"], rise["y"], rise["marker"]["symbol"]) == ([iso(5)], [6.0], "triangle-up")
    assert (fall["x"], fall["y"], fall["marker"]["symbol"]) == ([iso(10)], [3.5], "triangle-down")
    assert fall["customdata"] == [6.0]


def test_daily_intensity_without_flags_or_changes_draws_only_the_three_lines() -> None:
    names = [t["name"] for t in data(figure_daily_intensity(series()))]
    assert names == ["Worst of the day", "Daily average", "7-day average"]


# Time-of-day heat map


def test_night_heavy_days_put_the_highest_values_in_the_night_row() -> None:
    heat = tuple(
        cell
        for n in range(7)
        for cell in (
            HeatCell(day(n), "morning", 2.0, 1),
            HeatCell(day(n), "afternoon", 3.0, 1),
            HeatCell(day(n), "night", 8.0, 2),
        )
    )
    (heatmap,) = data(figure_time_of_day_heatmap(series(heat=heat)))
    assert heatmap["type"] == "heatmap"
    assert heatmap["y"] == TIMING_LABELS
    rows = {label: row for label, row in zip(heatmap["y"], heatmap["z"], strict=True)}
    night = rows[vocab.TIMINGS[-1].label]
    assert night[:7] == [8.0] * 7
    assert max(v for row in heatmap["z"] for v in row if v is not None) == 8.0
    evening = rows["Evening (17–22)"]
    assert evening[:7] == [None] * 7  # no entry is not the same as no pain


def test_heat_map_has_a_column_for_every_day_and_a_fixed_0_to_10_scale() -> None:
    (heatmap,) = data(
        figure_time_of_day_heatmap(series(heat=(HeatCell(day(4), "evening", 6.0, 1),)))
    )
    assert heatmap["x"] == [iso(n) for n in range(14)]
    assert (heatmap["zmin"], heatmap["zmax"]) == (0, 10)
    assert heatmap["z"][2][4] == 6.0
    assert heatmap["customdata"][2][4] == 1


def test_heat_map_reads_morning_at_the_top_to_night_at_the_bottom() -> None:
    fig = figure_time_of_day_heatmap(series(heat=(HeatCell(day(0), "night", 6.0, 1),)))
    assert layout(fig)["yaxis"]["autorange"] == "reversed"


# Region frequency


REGIONS = (
    RegionCount("lower_back", "center", 4, 3.0),
    RegionCount("buttock", "left", 3, 5.0),
    RegionCount("calf", "left", 2, 6.0),
    RegionCount("calf", "right", 1, 4.0),
    RegionCount("foot_sole", "both", 5, 7.0),
)


def test_region_bars_are_one_stacked_trace_per_side() -> None:
    fig = figure_region_frequency(series(regions=REGIONS))
    assert [t["name"] for t in data(fig)] == ["Left", "Right", "Both sides", "Centre"]
    assert all(t["type"] == "bar" and t["orientation"] == "h" for t in data(fig))
    assert layout(fig)["barmode"] == "stack"
    left = trace(fig, "Left")
    assert list(zip(left["y"], left["x"], strict=True)) == [("Buttock", 3), ("Calf", 2)]
    assert trace(fig, "Right")["y"] == ["Calf"]
    assert trace(fig, "Both sides")["x"] == [5]


def test_regions_are_labelled_from_the_vocabulary_spine_first() -> None:
    yaxis = layout(figure_region_frequency(series(regions=REGIONS)))["yaxis"]
    assert yaxis["categoryarray"] == ["Lower back", "Buttock", "Calf", "Sole of foot"]
    assert yaxis["autorange"] == "reversed"


def test_long_region_labels_wrap_onto_two_lines() -> None:
    regions = (RegionCount("saddle", "center", 1, 5.0),)
    yaxis = layout(figure_region_frequency(series(regions=regions)))["yaxis"]
    assert yaxis["ticktext"] == ["Saddle area<br>(between the legs)"]


# Pain-type composition


def test_pain_type_composition_stacks_nerve_muscle_and_other_per_week() -> None:
    weeks = (
        WeeklyComposition(day(0), nerve=5, muscle=2, other=1),
        WeeklyComposition(day(7), nerve=1, muscle=4, other=0),
    )
    fig = figure_pain_type_composition(series(composition=weeks))
    assert layout(fig)["barmode"] == "stack"
    assert [t["name"] for t in data(fig)] == list(vocab.PAIN_TYPE_GROUP_LABELS.values())
    assert trace(fig, "Nerve-like")["y"] == [5, 1]
    assert trace(fig, "Muscle / joint-like")["y"] == [2, 4]
    assert trace(fig, "Other")["y"] == [1, 0]
    assert trace(fig, "Nerve-like")["x"] == ["2 Mar", "9 Mar"]


def test_weeks_without_pain_words_say_so_instead_of_drawing_zeros() -> None:
    fig = figure_pain_type_composition(series(composition=(WeeklyComposition(day(0), 0, 0, 0),)))
    assert data(fig) == []
    assert annotation_texts(fig) == ["No kinds of pain recorded in this period"]


# Intensity by activity


def test_activity_boxes_show_every_value_per_activity_label() -> None:
    activities = (
        ActivityIntensities("lying_down", (6, 7, 8)),
        ActivityIntensities("walking", (2, 3)),
    )
    fig = figure_intensity_by_activity(series(activities=activities))
    boxes = [t for t in data(fig) if t["type"] == "box"]
    assert [b["name"] for b in boxes] == ["Lying down", "Walking"]
    assert boxes[0]["y"] == [6, 7, 8]
    assert boxes[1]["x"] == ["Walking", "Walking"]
    assert all(b["boxpoints"] == "all" for b in boxes)


def test_rest_and_movement_activities_get_different_colours() -> None:
    activities = (
        ActivityIntensities("sitting", (5,)),
        ActivityIntensities("lying_down", (5,)),
        ActivityIntensities("walking", (5,)),
    )
    boxes = [t for t in data(figure_intensity_by_activity(series(activities=activities)))]
    colours = {b["name"]: b["marker"]["color"] for b in boxes if b["type"] == "box"}
    assert colours["Sitting"] == colours["Lying down"] != colours["Walking"]
    keys = [b["name"] for b in boxes if b.get("showlegend") is not False]
    assert keys == ["At rest", "Moving or upright"]


# Distal level


def test_distal_level_plots_the_deepest_level_of_each_day() -> None:
    distal = (DistalPoint(day(0), 1), DistalPoint(day(1), 3), DistalPoint(day(4), 5))
    fig = figure_distal_level(series(distal=distal))
    (line,) = data(fig)
    assert line["x"] == [iso(0), iso(1), iso(4)]
    assert line["y"] == [1, 3, 5]
    assert line["text"] == ["pelvis / hip", "knee / lower leg", "foot / toes"]


def test_distal_axis_is_labelled_with_levels_and_runs_down_the_leg() -> None:
    yaxis = layout(figure_distal_level(series(distal=(DistalPoint(day(0), 2),))))["yaxis"]
    assert yaxis["tickvals"] == list(range(6))
    assert yaxis["ticktext"] == [vocab.LEVEL_LABELS[level] for level in range(6)]
    low, high = yaxis["range"]
    assert low > high  # reversed: the spine on top, the toes at the bottom


# Every figure


@pytest.mark.parametrize(("slug", "build"), FIGURES)
def test_an_empty_period_gives_a_titled_note_instead_of_a_chart(
    slug: str, build: Callable[[ReportSeries], go.Figure]
) -> None:
    fig = build(ReportSeries(period_start=START, period_end=END))
    assert data(fig) == []
    assert annotation_texts(fig) == [EMPTY_TEXT]
    assert layout(fig)["title"]["text"]


@pytest.mark.parametrize(
    ("build", "text"),
    [
        (figure_region_frequency, "No places recorded in this period"),
        (figure_distal_level, "No places recorded in this period"),
        (figure_intensity_by_activity, "No activities recorded in this period"),
        (figure_time_of_day_heatmap, EMPTY_TEXT),
    ],
)
def test_a_logged_period_missing_one_detail_names_what_is_missing(
    build: Callable[[ReportSeries], go.Figure], text: str
) -> None:
    assert annotation_texts(build(series())) == [text]


def full_series() -> ReportSeries:
    return series(
        rolling=(RollingPoint(day(0), 5.0, 3),),
        flags=(FlagMarker(day(0), "x", "X", "info"),),
        heat=(HeatCell(day(0), "night", 5.0, 1),),
        regions=REGIONS,
        composition=(WeeklyComposition(day(0), 1, 1, 1),),
        activities=(ActivityIntensities("walking", (5,)),),
        distal=(DistalPoint(day(0), 4),),
    )


@pytest.mark.parametrize(("slug", "build"), FIGURES)
def test_every_figure_is_laid_out_for_a_phone(
    slug: str, build: Callable[[ReportSeries], go.Figure]
) -> None:
    fig_layout = layout(build(full_series()))
    assert fig_layout["autosize"] is True
    assert 260 <= fig_layout["height"] <= 320 or slug == "regions"
    assert fig_layout["font"]["size"] >= 12
    assert fig_layout["legend"]["orientation"] == "h"
    assert fig_layout["legend"]["yanchor"] == "bottom"
    assert max(fig_layout["margin"][side] for side in "lrb") <= 16
    # A swipe over a chart must scroll the page, not zoom the chart.
    assert fig_layout["dragmode"] is False
    assert fig_layout["xaxis"]["fixedrange"] is True


def test_region_chart_grows_with_the_number_of_regions() -> None:
    many = tuple(RegionCount(r.code, "left", 1, 5.0) for r in vocab.REGIONS if r.level >= 3)
    assert layout(figure_region_frequency(series(regions=many)))["height"] > 320


def test_figures_for_report_lists_every_figure_with_its_title() -> None:
    figures = figures_for_report(full_series())
    assert [slug for slug, _, _ in figures] == [
        "daily-intensity",
        "time-of-day",
        "regions",
        "pain-types",
        "activity",
        "distal-level",
    ]
    for _, title, fig in figures:
        assert layout(fig)["title"]["text"] == title


def test_figure_json_is_compact_and_parses_back() -> None:
    text = figure_json(figure_daily_intensity(full_series()))
    assert "\n" not in text
    parsed = json.loads(text)
    assert parsed["data"][0]["name"] == "Worst of the day"
    assert parsed["layout"]["height"] == 300


def test_figure_json_cannot_close_the_script_element_it_is_embedded_in() -> None:
    flag = FlagMarker(day(0), "x", "</script><b>&", "info")
    text = figure_json(figure_daily_intensity(series(flags=(flag,))))
    assert "<" not in text and ">" not in text and "&" not in text
    assert trace_from_json(text, "Note")["text"] == ["</script><b>&"]


def trace_from_json(text: str, name: str) -> dict[str, Any]:
    (found,) = [t for t in json.loads(text)["data"] if t.get("name") == name]
    return found


# Phone readability: whole-number counts, flat labels, readable cells


@pytest.mark.parametrize(
    ("most", "step"), [(0, 1), (5, 1), (6, 2), (10, 2), (11, 5), (25, 5), (26, 10), (5001, 1000)]
)
def test_count_axes_tick_whole_numbers_about_five_times(most: int, step: int) -> None:
    found = count_axis(most)

    assert (found["dtick"], found["tick0"], found["tickformat"]) == (step, 0, "d")


def test_region_and_pain_type_counts_tick_whole_numbers() -> None:
    regions = layout(figure_region_frequency(series(regions=REGIONS)))["xaxis"]
    weeks = layout(
        figure_pain_type_composition(series(composition=(WeeklyComposition(START, 3, 2, 1),)))
    )["yaxis"]

    assert regions["tickformat"] == weeks["tickformat"] == "d"
    assert isinstance(regions["dtick"], int) and isinstance(weeks["dtick"], int)


@pytest.mark.parametrize(("weeks", "shown"), [(5, 5), (6, 3), (13, 5), (53, 5)])
def test_week_labels_are_flat_and_few_enough_for_a_phone(weeks: int, shown: int) -> None:
    composition = tuple(
        WeeklyComposition(START + timedelta(weeks=n), 1, 0, 0) for n in range(weeks)
    )

    xaxis = layout(figure_pain_type_composition(series(composition=composition)))["xaxis"]

    assert xaxis["tickangle"] == 0
    assert len(xaxis["tickvals"]) == shown
    assert xaxis["tickvals"][0] == "2 Mar"


def long_series(days: int, heat: tuple[HeatCell, ...]) -> ReportSeries:
    return ReportSeries(
        period_start=START,
        period_end=START + timedelta(days=days - 1),
        daily=(DailyPoint(START, 5, 5.0, 1),),
        heat=heat,
    )


def test_the_time_of_day_map_keeps_day_columns_up_to_five_weeks() -> None:
    (heatmap,) = data(
        figure_time_of_day_heatmap(long_series(35, (HeatCell(START, "night", 4.0, 1),)))
    )

    assert len(heatmap["x"]) == 35


def test_the_time_of_day_map_turns_to_week_columns_beyond_five_weeks() -> None:
    cells = (
        HeatCell(START, "night", 4.0, 1),
        HeatCell(START + timedelta(days=6), "night", 7.0, 3),
        HeatCell(START + timedelta(days=7), "morning", 2.0, 1),
    )

    (heatmap,) = data(figure_time_of_day_heatmap(long_series(36, cells)))

    assert len(heatmap["x"]) == 6  # five whole weeks and the 36th day
    assert heatmap["x"][0] == (START + timedelta(days=3)).isoformat()  # the week's middle day
    night = TIMING_LABELS.index("Night (22–5)")
    # A week's cell is the mean of its entries, weighted by how many each day had.
    assert heatmap["z"][night][0] == round((4.0 + 3 * 7.0) / 4, 1)
    assert heatmap["customdata"][night][0] == 4
    assert heatmap["text"][night][0] == "Week of 2 Mar"
    assert heatmap["z"][0][1] == 2.0


def test_the_time_of_day_map_has_flat_date_labels_and_two_line_hour_bands() -> None:
    fig = figure_time_of_day_heatmap(series(heat=(HeatCell(day(0), "night", 6.0, 1),)))

    assert layout(fig)["xaxis"]["tickangle"] == 0
    assert layout(fig)["yaxis"]["ticktext"][0] == "Morning<br>(5–12)"
