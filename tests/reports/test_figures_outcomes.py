"""Treatment markers on the time charts and the weekly check-in chart (pure, fig.to_dict())."""

from __future__ import annotations

import re
from datetime import date, timedelta
from typing import Any

import plotly.graph_objects as go
import pytest

from diary.outcomes import TreatmentSnapshot
from reports.figures import (
    figure_daily_intensity,
    figure_distal_level,
    figure_time_of_day_heatmap,
)
from reports.figures.outcomes import (
    MARKER_COLOUR,
    figure_checkins,
    heat_column_x,
    marker_label,
    svg_treatment_marks,
)
from reports.pdf import heat_legend, svg_daily_intensity, svg_time_of_day
from reports.series import DailyPoint, DistalPoint, HeatCell, ReportSeries
from tests.support.snapshots import checkin_snapshot as checkin

START = date(2026, 3, 2)
END = date(2026, 3, 29)
INJECTION = TreatmentSnapshot(id=7, kind="injection", name="Epidural", started_on=date(2026, 3, 9))
PHYSIO = TreatmentSnapshot(
    id=8,
    kind="physiotherapy",
    name="Six weeks of physiotherapy with home exercises",
    started_on=date(2026, 3, 16),
)


def series(**parts: Any) -> ReportSeries:
    parts.setdefault("daily", (DailyPoint(START, 5, 5.0, 1),))
    parts.setdefault("heat", (HeatCell(START, "morning", 5.0, 1),))
    parts.setdefault("distal", (DistalPoint(START, 5),))
    return ReportSeries(period_start=START, period_end=END, **parts)


def markers(fig: go.Figure) -> list[tuple[str, str]]:
    """(day, label) of every treatment marker: a vertical line and its annotation."""
    layout = fig.to_dict()["layout"]
    lines = [s for s in layout.get("shapes", []) if s.get("name", "").startswith("treatment-")]
    notes = [a for a in layout.get("annotations", []) if a.get("name", "").startswith("treatment-")]
    for line in lines:
        assert line["type"] == "line"
        assert line["x0"] == line["x1"]
        assert (line["yref"], line["y0"], line["y1"]) == ("paper", 0, 1)
        assert line["line"]["color"] == MARKER_COLOUR
    assert [line["x0"] for line in lines] == [note["x"] for note in notes]
    return [(note["x"], note["text"]) for note in notes]


TIME_CHARTS = [figure_daily_intensity, figure_time_of_day_heatmap, figure_distal_level]


@pytest.mark.parametrize("build", TIME_CHARTS)
def test_every_time_chart_marks_each_treatment_on_its_day(build):
    fig = build(series(treatments=(INJECTION, PHYSIO)))
    assert markers(fig) == [
        ("2026-03-09", "Epidural"),
        ("2026-03-16", "Six weeks of physioth…"),
    ]


@pytest.mark.parametrize("build", TIME_CHARTS)
def test_charts_without_treatments_have_no_markers(build):
    assert markers(build(series())) == []


@pytest.mark.parametrize("build", TIME_CHARTS)
def test_an_empty_chart_gets_no_markers(build):
    empty = ReportSeries(period_start=START, period_end=END, treatments=(INJECTION,))
    assert markers(build(empty)) == []


def test_markers_add_no_trace_so_legends_and_data_are_unchanged():
    plain = figure_daily_intensity(series())
    marked = figure_daily_intensity(series(treatments=(INJECTION,)))
    assert marked.to_dict()["data"] == plain.to_dict()["data"]


def test_neighbouring_labels_alternate_heights():
    fig = figure_daily_intensity(series(treatments=(INJECTION, PHYSIO)))
    heights = [a["y"] for a in fig.to_dict()["layout"]["annotations"]]
    assert heights[0] != heights[1]


def test_a_label_is_cut_short_with_an_ellipsis():
    assert marker_label(INJECTION) == "Epidural"
    assert marker_label(PHYSIO) == "Six weeks of physioth…"
    assert len(marker_label(PHYSIO)) == 22


def test_check_in_chart_stacks_the_four_items_and_draws_the_total():
    weeks = (
        checkin(date(2026, 3, 2), (6, 4, 2, 5), "no_change"),
        checkin(date(2026, 3, 16), (2, 1, 0, 3), "much_better"),
    )
    fig = figure_checkins(series(checkins=weeks, treatments=(INJECTION,)))
    figure = fig.to_dict()
    assert figure["layout"]["barmode"] == "stack"
    bars = [t for t in figure["data"] if t["type"] == "bar"]
    assert [b["name"] for b in bars] == [
        "Leg pain",
        "Numbness/tingling",
        "Weakness",
        "Pain sitting",
    ]
    assert [list(b["y"]) for b in bars] == [[6, 2], [4, 1], [2, 0], [5, 3]]
    (total,) = [t for t in figure["data"] if t["name"] == "Total"]
    assert list(total["y"]) == [17, 6]
    # Bars sit in the middle of their week on the report's date axis.
    assert list(total["x"]) == ["2026-03-05T12:00:00", "2026-03-19T12:00:00"]
    assert figure["layout"]["yaxis"]["range"] == [0, 24.5]
    # The axis covers whole weeks, so a week running past the period's end still shows whole.
    assert figure["layout"]["xaxis"]["range"] == ["2026-03-02 00:00", "2026-03-30 00:00"]
    assert total["customdata"][1][0] == "Much better"
    assert markers(fig) == [("2026-03-09", "Epidural")]


def test_no_check_ins_say_so():
    fig = figure_checkins(series())
    texts = [a["text"] for a in fig.to_dict()["layout"]["annotations"]]
    assert texts == ["No weekly check-ins in this period"]


def test_the_pdf_daily_chart_draws_a_dashed_labelled_line_per_treatment():
    svg = str(svg_daily_intensity(series(treatments=(INJECTION, PHYSIO))))
    assert svg.count(f'stroke="{MARKER_COLOUR}"') == 2
    assert ">Epidural</text>" in svg
    assert "Six weeks of physioth…</text>" in svg
    assert f'stroke="{MARKER_COLOUR}"' not in str(svg_daily_intensity(series()))


def test_svg_marks_sit_on_the_event_day_and_escape_the_name():
    risky = TreatmentSnapshot(id=1, kind="other", name="<b>&", started_on=START)
    svg = svg_treatment_marks(
        series(treatments=(risky,)),
        x=lambda d: 10 + (d - START) / timedelta(days=1),
        top=5,
        bottom=50,
    )
    assert 'x1="10.0" x2="10.0" y1="5.0" y2="50.0"' in svg
    assert "&lt;b&gt;&amp;" in svg


def test_labels_late_in_the_period_open_to_the_left():
    late = TreatmentSnapshot(id=9, kind="surgery", name="Microdiscectomy", started_on=END)
    fig = figure_daily_intensity(series(treatments=(INJECTION, late)))
    anchors = [a["xanchor"] for a in fig.to_dict()["layout"]["annotations"]]
    assert anchors == ["left", "right"]
    svg = str(svg_daily_intensity(series(treatments=(INJECTION, late))))
    assert 'text-anchor="start" fill="#1f2933">Epidural' in svg
    assert 'text-anchor="end" fill="#1f2933">Microdiscectomy' in svg


def test_the_check_in_axis_stretches_to_the_end_of_the_current_week():
    weeks = (checkin(date(2026, 3, 30), (1, 1, 1, 1), "better"),)
    fig = figure_checkins(series(checkins=weeks))
    assert fig.to_dict()["layout"]["xaxis"]["range"] == ["2026-03-02 00:00", "2026-04-06 00:00"]


def test_the_pdf_time_of_day_grid_marks_treatments_too():
    svg = str(svg_time_of_day(series(treatments=(INJECTION,))))
    assert svg.count(f'stroke="{MARKER_COLOUR}"') == 1
    assert ">Epidural</text>" in svg


def test_a_day_lands_inside_its_day_or_week_column():
    days = [(START + timedelta(days=n), START + timedelta(days=n)) for n in range(3)]
    assert heat_column_x(days, 100, 10)(START + timedelta(days=1)) == 115
    weeks = [(START, START + timedelta(days=6)), (date(2026, 3, 9), date(2026, 3, 15))]
    assert heat_column_x(weeks, 0, 70)(date(2026, 3, 9)) == 75


# The same drawings at phone width, for the report page before Plotly takes over


def legend_keys(svg: str) -> dict[str, tuple[float, float]]:
    found = re.findall(
        r'<text x="([\d.]+)" y="([\d.]+)" font-size="11" fill="[^"]+">([^<]+)</text>', svg
    )
    return {text: (float(x), float(y)) for x, y, text in found}


def test_the_daily_legend_is_one_row_on_paper() -> None:
    keys = legend_keys(str(svg_daily_intensity(series(), width=680, height=180)))

    assert keys["Worst of the day"][1] == keys["Change of ≥ 2 points or 30 %"][1]


def test_the_daily_legend_wraps_onto_a_second_row_on_a_phone_wide_drawing() -> None:
    keys = legend_keys(str(svg_daily_intensity(series(), width=360, height=300)))

    worst, change = keys["Worst of the day"], keys["Change of ≥ 2 points or 30 %"]
    assert change[1] > worst[1]
    assert change[0] < 360 - 170  # the longest key starts far enough left to fit


def test_the_drawings_take_a_title_and_id_for_each_page_they_sit_on() -> None:
    svg = str(
        svg_time_of_day(series(), width=360, height=300, title_id="fig-x-title", title="A & B")
    )

    assert 'aria-labelledby="fig-x-title"' in svg
    assert '<title id="fig-x-title">A &amp; B</title>' in svg


def test_the_phone_time_of_day_grid_carries_its_colour_key_inside_the_drawing() -> None:
    svg = str(svg_time_of_day(series(), width=360, height=300))
    key = svg.split('<g class="heat-key">', 1)[1].split("</g>", 1)[0]

    swatches = re.findall(r'<rect x="([\d.]+)"[^>]* fill="([^"]+)"', key)
    labels = re.findall(r">([^<]+)</text>", key)
    assert labels == ["Average", "0", "2", "4", "6", "8", "10", "none logged"]
    assert [colour for _x, colour in swatches] == [
        *(colour for _v, colour in heat_legend()),
        "#ffffff",
    ]
    # The last label starts early enough to end inside a 360 px drawing (~65 px of text).
    assert float(swatches[-1][0]) + 17 + 65 <= 360


def test_the_key_sits_below_the_dates_and_the_grid_keeps_clear_of_both() -> None:
    with_key = str(svg_time_of_day(series(), width=360, height=300))
    without = str(svg_time_of_day(series(), width=360, height=300, key=False))

    assert '<g class="heat-key">' not in without
    cell_bottoms = [
        float(y) + float(h)
        for y, h in re.findall(
            r'<rect x="[\d.]+" y="([\d.]+)" width="[\d.]+" height="([\d.]+)"'
            r' fill="[^"]+" stroke="[^"]+" stroke-width="0.5"/>',
            with_key.split('<g class="heat-key">')[0],
        )
    ]
    date_y = float(re.search(r'y="([\d.]+)" font-size="11" text-anchor="middle"', with_key)[1])
    key_y = float(re.search(r'<g class="heat-key"><text x="4" y="([\d.]+)"', with_key)[1])
    assert max(cell_bottoms) < date_y - 11 < date_y < key_y - 11 < key_y <= 300
