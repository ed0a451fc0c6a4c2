"""Shared look of every report figure: colours, titles and a phone-first layout."""

from __future__ import annotations

import math
import textwrap
from datetime import date, timedelta
from typing import Any, TypeVar

import plotly.graph_objects as go
import plotly.io as pio
from plotly.basedatatypes import BaseFigure, BaseTraceType

from core.colours import INTENSITY_STOPS, plotly_scale
from diary import vocabulary as vocab
from reports.series import ReportSeries

HEIGHT = 300
PlotlyObject = TypeVar("PlotlyObject", bound="BaseFigure | BaseTraceType")
FONT = "system-ui, -apple-system, 'Segoe UI', Roboto, sans-serif"
INK = "#1f2933"
GRID = "#e4e7eb"
EMPTY_TEXT = "No entries in this period"

# Okabe-Ito colours: distinguishable with the common colour-vision deficiencies.
COLOURS = {
    "max": "#E69F00",
    "mean": "#56B4E9",
    "rolling": "#0072B2",
    # Rises and falls share one dark colour: the triangle's direction carries the meaning,
    # and red/green would clash with the flag colours and fail colour-blind readers.
    "change": INK,
    "distal": "#D55E00",
    "rest": "#56B4E9",
    "active": "#E69F00",
}
SIDE_COLOURS = {"left": "#0072B2", "right": "#E69F00", "both": "#CC79A7", "center": "#009E73"}
GROUP_COLOURS = {"nerve": "#D55E00", "muscle": "#0072B2", "other": "#999999"}
SEVERITY_COLOURS = {
    "emergency": "#B2182B",
    "urgent": "#D55E00",
    "warning": "#CC79A7",
    "info": "#56B4E9",
}
SEVERITY_LABELS = {
    "emergency": "Emergency flag",
    "urgent": "Urgent flag",
    "warning": "Pattern flag",
    "info": "Note",
}
# The same 0-10 scale as the SVG body map and PDF charts.
INTENSITY_SCALE = plotly_scale(INTENSITY_STOPS)

TITLES = {
    "daily-intensity": "Pain intensity by day (0–10)",
    "time-of-day": "Pain by time of day",
    "regions": "Where it hurts, by side",
    "pain-types": "Kinds of pain by week",
    "activity": "Pain by activity",
    "distal-level": "How far down the leg it reached",
}

ACTIVITY_LABEL = vocab.labels(vocab.ACTIVITIES)


def iso(day: date) -> str:
    """A day as Plotly reads it on a date axis."""
    return day.isoformat()


def wrap_label(label: str, width: int = 18) -> str:
    """A tick label broken onto lines of about `width` characters."""
    # Long tick labels would take half of a phone screen; break them onto two lines.
    return "<br>".join(textwrap.wrap(label, width)) or label


def axis(**extra: Any) -> dict[str, Any]:
    """Axis settings shared by every figure, overridden by `extra`."""
    # fixedrange: a drag on the chart must scroll the page on a phone, not zoom the axis.
    return {
        "automargin": True,
        "fixedrange": True,
        "gridcolor": GRID,
        "linecolor": GRID,
        "zeroline": False,
        "tickfont": {"size": 12},
        **extra,
    }


def count_axis(most: int, **extra: Any) -> dict[str, Any]:
    """An axis of counts from zero: whole-number ticks only, about five of them."""
    # Plotly would tick 0.5 steps for small counts; half an entry means nothing.
    step = next(s for s in (1, 2, 5, 10, 20, 50, 100, 200, 500, 1000) if s * 5 >= most or s == 1000)
    return axis(rangemode="tozero", tickformat="d", dtick=step, tick0=0, **extra)


def few_ticks(labels: list[str], most: int = 5) -> dict[str, Any]:
    """Tick settings that show at most `most` of the category labels, flat, so they fit a phone."""
    step = max(1, math.ceil(len(labels) / most))
    return {"tickmode": "array", "tickvals": labels[::step], "tickangle": 0}


def rounded_height(height: float) -> int:
    """A figure height rounded up to 50 px: the page reserves its box from a fixed set of sizes."""
    return int(50 * math.ceil(height / 50))


def period_axis(series: ReportSeries, **extra: Any) -> dict[str, Any]:
    """A date axis covering every day of the report period."""
    # Show the whole period even when only a few days were logged: gaps are information.
    start = series.period_start - timedelta(days=1)
    return axis(
        type="date",
        range=[f"{iso(start)} 12:00", f"{iso(series.period_end)} 12:00"],
        **extra,
    )


def heat_columns(series: ReportSeries) -> list[tuple[date, date]]:
    """Columns of the time-of-day grid: days up to five weeks, whole weeks beyond."""
    # More than five weeks of day columns leave hairline cells on a phone; weeks stay readable.
    if series.days_in_period <= 35:
        return [(d, d) for d in series.days]
    columns = []
    start = series.period_start
    while start <= series.period_end:
        end = min(start + timedelta(days=6), series.period_end)
        columns.append((start, end))
        start = end + timedelta(days=1)
    return columns


def unchecked(kind: type[PlotlyObject], **properties: Any) -> PlotlyObject:
    """A Plotly figure or trace built without Plotly's check of every property.

    The checks and their copies made up most of the figure work on a year's report: the six
    figures took 55 ms to build with them and 17 ms without (measured, bench/README.md). The
    tests rebuild every figure with the checks on and require the very same JSON
    (tests/reports/test_figures_checked.py), so a misspelt property still fails a build.
    """
    return kind(_validate=False, **properties)


def base_layout(title: str, *, height: int = HEIGHT, **extra: Any) -> dict[str, Any]:
    """The phone-first layout every figure starts from, overridden by `extra`."""
    return {
        # "none" keeps the JSON small and the look ours, not the default template's. The
        # template itself, not its name: unchecked figures do not look names up.
        "template": pio.templates["none"],
        "title": {"text": title, "x": 0, "xanchor": "left", "font": {"size": 15}},
        "autosize": True,
        "height": height,
        "margin": {"l": 8, "r": 8, "t": 40, "b": 8, "pad": 2},
        "font": {"family": FONT, "size": 13, "color": INK},
        # Anchored to the figure's bottom edge (container), so Plotly reserves room for it below
        # the axis labels however many rows it wraps into on a narrow screen.
        "legend": {
            "orientation": "h",
            "traceorder": "normal",
            "x": 0,
            "xanchor": "left",
            "y": 0,
            "yanchor": "bottom",
            "yref": "container",
        },
        "paper_bgcolor": "white",
        "plot_bgcolor": "white",
        "dragmode": False,
        "hovermode": "closest",
        "hoverlabel": {"font": {"size": 13}},
        **extra,
    }


def empty_figure(title: str, series: ReportSeries, missing: str = "") -> go.Figure:
    """A titled note instead of empty axes: no entries at all, or which detail is missing."""
    text = missing if missing and not series.is_empty else EMPTY_TEXT
    hidden = {"visible": False, "fixedrange": True}
    return unchecked(
        go.Figure,
        layout=base_layout(
            title,
            height=160,
            xaxis=hidden,
            yaxis=hidden,
            annotations=[
                {
                    "text": text,
                    "showarrow": False,
                    "xref": "paper",
                    "yref": "paper",
                    "x": 0.5,
                    "y": 0.5,
                    "font": {"size": 14, "color": "#52606d"},
                }
            ],
        ),
    )
