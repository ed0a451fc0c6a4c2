"""The charts' server-drawn stand-ins: SVG from the PDF's drawing code, or a compact table."""

from __future__ import annotations

import re
from datetime import date, timedelta
from typing import Any

from diary.vocabulary import LEVEL_LABELS
from reports.figure_fallbacks import WIDTH, figure_fallback
from reports.series import (
    ActivityIntensities,
    DailyPoint,
    DistalPoint,
    HeatCell,
    RegionCount,
    ReportSeries,
    WeeklyComposition,
)

START = date(2026, 3, 2)
END = date(2026, 3, 15)


def day(n: int) -> date:
    return START + timedelta(days=n)


def series(**parts: Any) -> ReportSeries:
    parts.setdefault("daily", (DailyPoint(day(0), 5, 5.0, 1),))
    return ReportSeries(period_start=START, period_end=END, **parts)


def fallback(slug: str, found: ReportSeries, *, empty: str = "", height: int = 300) -> str:
    return str(
        figure_fallback(
            slug,
            found,
            dom_id=f"fig-{slug}",
            label="The text alternative",
            height=height,
            empty=empty,
        )
    )


def rows(html: str) -> list[list[str]]:
    body = html.split("<tbody>", 1)[1]
    return [
        re.findall(r"<t[hd][^>]*>(.*?)</t[hd]>", row) for row in re.findall(r"<tr>(.*?)</tr>", body)
    ]


def test_the_daily_chart_is_the_pdf_drawing_at_phone_width_and_the_charts_height() -> None:
    html = fallback("daily-intensity", series(), height=300)

    assert html.startswith("<svg")
    assert f'viewBox="0 0 {WIDTH} 300"' in html
    assert 'aria-labelledby="fig-daily-intensity-title"' in html
    assert '<title id="fig-daily-intensity-title">The text alternative</title>' in html


def test_the_time_of_day_chart_is_the_pdf_grid_named_by_the_text_alternative() -> None:
    html = fallback("time-of-day", series(heat=(HeatCell(day(3), "night", 6.0, 2),)))

    assert html.startswith("<svg")
    assert '<title id="fig-time-of-day-title">The text alternative</title>' in html
    grid, key = html.split('<g class="heat-key">')
    assert grid.count("<rect") == 4 * 14  # four times of day by fourteen days
    assert key.count("<rect") == 7  # the colour key: 0, 2 … 10 and "none logged"


def test_regions_stand_in_as_a_table_of_place_side_and_entries() -> None:
    html = fallback(
        "regions",
        series(
            regions=(RegionCount("buttock", "left", 12, 6.0), RegionCount("calf", "both", 3, 4.0))
        ),
    )

    assert "<caption>The text alternative</caption>" in html
    assert rows(html) == [["Buttock", "Left", "12"], ["Calf", "Both sides", "3"]]


def test_kinds_of_pain_stand_in_as_one_row_per_week() -> None:
    html = fallback(
        "pain-types",
        series(composition=(WeeklyComposition(START, 4, 1, 0), WeeklyComposition(day(7), 0, 2, 1))),
    )

    assert rows(html) == [["2 Mar", "4", "1", "0"], ["9 Mar", "0", "2", "1"]]


def test_activities_stand_in_with_count_median_and_range() -> None:
    html = fallback(
        "activity",
        series(activities=(ActivityIntensities("sitting", (2, 3, 8, 9)),)),
    )

    assert rows(html) == [["Sitting", "4", "5.5", "2–9"]]


def test_the_furthest_point_stands_in_as_days_per_level_spine_first() -> None:
    html = fallback(
        "distal-level",
        series(distal=(DistalPoint(day(0), 5), DistalPoint(day(1), 3), DistalPoint(day(2), 5))),
    )

    assert rows(html) == [[LEVEL_LABELS[3], "1"], [LEVEL_LABELS[5], "2"]]


def test_an_empty_chart_stands_in_as_its_note() -> None:
    html = fallback("regions", series(), empty="No places recorded in this period", height=160)

    assert html.strip() == '<p class="figure-note">No places recorded in this period</p>'
