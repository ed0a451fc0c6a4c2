"""The charts' server-drawn stand-ins: SVG at the chart's height, numbers in a hidden table.

The breakdown charts used to stand in as visible tables (issue 11): they are now drawn as SVG by
`reports.svg_charts`, and their tables stay, visually hidden, so screen readers keep every number.
"""

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


def drawing_then_hidden_table(html: str, slug: str, height: int = 300) -> None:
    """The stand-in is the named SVG of the chart's box, then its numbers' table, hidden."""
    svg, table = html.split("</svg>", 1)
    assert svg.startswith("<svg")
    assert f'viewBox="0 0 {WIDTH} {height}"' in svg
    assert f'<title id="fig-{slug}-title">The text alternative</title>' in svg
    assert table.startswith('<div class="visually-hidden"><table')
    assert "<caption>The text alternative</caption>" in table


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


def test_regions_stand_in_as_svg_bars_with_a_hidden_table_of_place_side_and_entries() -> None:
    html = fallback(
        "regions",
        series(
            regions=(RegionCount("buttock", "left", 12, 6.0), RegionCount("calf", "both", 3, 4.0))
        ),
    )

    drawing_then_hidden_table(html, "regions")
    assert html.count('<rect class="bar"') == 2
    assert rows(html) == [["Buttock", "Left", "12"], ["Calf", "Both sides", "3"]]


def test_kinds_of_pain_stand_in_as_stacked_weeks_with_a_hidden_row_per_week() -> None:
    html = fallback(
        "pain-types",
        series(composition=(WeeklyComposition(START, 4, 1, 0), WeeklyComposition(day(7), 0, 2, 1))),
    )

    drawing_then_hidden_table(html, "pain-types")
    assert html.count('<rect class="bar"') == 4  # groups with no words draw no segment
    assert rows(html) == [["2 Mar", "4", "1", "0"], ["9 Mar", "0", "2", "1"]]


def test_activities_stand_in_as_ranges_with_hidden_count_median_and_range() -> None:
    html = fallback(
        "activity",
        series(activities=(ActivityIntensities("sitting", (2, 3, 8, 9)),)),
    )

    drawing_then_hidden_table(html, "activity")
    assert html.count('class="median"') == 1
    assert rows(html) == [["Sitting", "4", "5.5", "2–9"]]


def test_the_furthest_point_stands_in_as_days_per_level_spine_first_drawn_and_tabled() -> None:
    html = fallback(
        "distal-level",
        series(distal=(DistalPoint(day(0), 5), DistalPoint(day(1), 3), DistalPoint(day(2), 5))),
        height=350,
    )

    drawing_then_hidden_table(html, "distal-level", height=350)
    assert html.count('<rect class="bar"') == len(LEVEL_LABELS)  # every level, spine first
    assert rows(html) == [[LEVEL_LABELS[3], "1"], [LEVEL_LABELS[5], "2"]]


def test_an_empty_chart_stands_in_as_its_note() -> None:
    html = fallback("regions", series(), empty="No places recorded in this period", height=160)

    assert html.strip() == '<p class="figure-note">No places recorded in this period</p>'
