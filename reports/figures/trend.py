"""Figures over the days of the period: intensity, time of day and how far down it reached."""

from __future__ import annotations

from datetime import timedelta

import plotly.graph_objects as go

from core.text import format_short_day
from diary import vocabulary as vocab
from reports.figures.outcomes import with_treatment_markers
from reports.figures.style import (
    COLOURS,
    INTENSITY_SCALE,
    SEVERITY_COLOURS,
    SEVERITY_LABELS,
    TITLES,
    axis,
    base_layout,
    empty_figure,
    heat_columns,
    iso,
    period_axis,
    unchecked,
    wrap_label,
)
from reports.series import ReportSeries


def figure_daily_intensity(series: ReportSeries) -> go.Figure:
    """Daily max and mean, the 7-day rolling mean, meaningful changes and raised flags."""
    title = TITLES["daily-intensity"]
    if series.is_empty:
        return empty_figure(title, series)
    days = [iso(p.day) for p in series.daily]
    rolling = {p.day: p.mean for p in series.rolling}
    traces: list[go.BaseTraceType] = [
        unchecked(
            go.Scatter,
            name="Worst of the day",
            x=days,
            y=[p.max for p in series.daily],
            mode="markers",
            marker={"color": COLOURS["max"], "size": 7, "symbol": "circle-open"},
            cliponaxis=False,
            hovertemplate="%{x|%d %b}: worst %{y}<extra></extra>",
        ),
        unchecked(
            go.Scatter,
            name="Daily average",
            x=days,
            y=[round(p.mean, 1) for p in series.daily],
            mode="markers",
            marker={"color": COLOURS["mean"], "size": 6},
            customdata=[p.count for p in series.daily],
            hovertemplate="%{x|%d %b}: average %{y} (%{customdata} entries)<extra></extra>",
        ),
        unchecked(
            go.Scatter,
            name="7-day average",
            # Every period day is listed so days without a rolling value break the line.
            x=[iso(d) for d in series.days],
            y=[round(rolling[d], 2) if d in rolling else None for d in series.days],
            mode="lines",
            connectgaps=False,
            line={"color": COLOURS["rolling"], "width": 3},
            hovertemplate="%{x|%d %b}: 7-day average %{y:.1f}<extra></extra>",
        ),
    ]
    for direction, symbol, label in (
        ("up", "triangle-up", "Clear rise"),
        ("down", "triangle-down", "Clear fall"),
    ):
        changes = [c for c in series.changes if c.direction == direction]
        if changes:
            traces.append(
                unchecked(
                    go.Scatter,
                    name=label,
                    x=[iso(c.day) for c in changes],
                    y=[round(c.mean, 2) for c in changes],
                    mode="markers",
                    cliponaxis=False,
                    marker={
                        "symbol": symbol,
                        "size": 13,
                        "color": COLOURS["change"],
                        "line": {"color": "white", "width": 1},
                    },
                    customdata=[round(c.baseline, 1) for c in changes],
                    hovertemplate=(
                        "%{x|%d %b}: 7-day average %{y:.1f}, was %{customdata}<extra></extra>"
                    ),
                )
            )
    for severity, colour in SEVERITY_COLOURS.items():
        flags = [f for f in series.flags if f.severity == severity]
        if flags:
            # Flags sit in a strip above the 0-10 scale so they never hide a data point.
            traces.append(
                unchecked(
                    go.Scatter,
                    name=SEVERITY_LABELS[severity],
                    x=[iso(f.day) for f in flags],
                    y=[10.8] * len(flags),
                    mode="markers",
                    marker={"symbol": "diamond", "size": 11, "color": colour},
                    # Today's flag sits half a day from the axis end: drawn whole, not cut.
                    cliponaxis=False,
                    text=[f.title for f in flags],
                    hovertemplate="%{x|%d %b}: %{text}<extra></extra>",
                )
            )
    fig = unchecked(
        go.Figure,
        data=traces,
        layout=base_layout(
            title,
            xaxis=period_axis(series),
            yaxis=axis(range=[-0.3, 11.4], tickvals=[0, 2, 4, 6, 8, 10], title={"text": ""}),
        ),
    )
    return with_treatment_markers(fig, series)


def figure_time_of_day_heatmap(series: ReportSeries) -> go.Figure:
    """Mean intensity per day and time of day on a fixed 0-10 colour scale."""
    title = TITLES["time-of-day"]
    if not series.heat:
        return empty_figure(title, series)
    columns = heat_columns(series)
    column = {}
    for index, (start, end) in enumerate(columns):
        for offset in range((end - start).days + 1):
            column[start + timedelta(days=offset)] = index
    row = vocab.order(vocab.TIMINGS)
    totals: list[list[float]] = [[0.0] * len(columns) for _ in vocab.TIMINGS]
    counts: list[list[int]] = [[0] * len(columns) for _ in vocab.TIMINGS]
    for cell in series.heat:
        if cell.day in column and cell.timing in row:
            totals[row[cell.timing]][column[cell.day]] += cell.mean * cell.count
            counts[row[cell.timing]][column[cell.day]] += cell.count
    z = [
        [round(total / n, 1) if n else None for total, n in zip(sums, ns, strict=True)]
        for sums, ns in zip(totals, counts, strict=True)
    ]
    names = [
        format_short_day(start) if start == end else f"Week of {format_short_day(start)}"
        for start, end in columns
    ]
    heat = unchecked(
        go.Heatmap,
        name="Average intensity",
        # A week's column is centred on its middle day, so the date axis draws it a week wide.
        x=[iso(start + (end - start) / 2) for start, end in columns],
        y=[t.label for t in vocab.TIMINGS],
        z=z,
        customdata=counts,
        text=[names] * len(vocab.TIMINGS),
        zmin=0,
        zmax=10,
        colorscale=INTENSITY_SCALE,
        hoverongaps=False,
        xgap=1,
        ygap=1,
        colorbar={"thickness": 10, "len": 1, "tickvals": [0, 5, 10], "outlinewidth": 0},
        hovertemplate="%{text}, %{y}: %{z} (%{customdata} entries)<extra></extra>",
    )
    fig = unchecked(
        go.Figure,
        data=[heat],
        layout=base_layout(
            title,
            # Flat date labels, few enough to fit a phone: no 90° labels.
            xaxis=period_axis(series, showgrid=False, tickangle=0, nticks=4, tickformat="%-d %b"),
            # Reversed so the day reads top to bottom, morning first and night last. The hours
            # go on a second line: a narrower label column leaves the cells room on a phone.
            yaxis=axis(
                autorange="reversed",
                showgrid=False,
                tickmode="array",
                tickvals=[t.label for t in vocab.TIMINGS],
                ticktext=[wrap_label(t.label, 10) for t in vocab.TIMINGS],
            ),
        ),
    )
    return with_treatment_markers(fig, series)


def figure_distal_level(series: ReportSeries) -> go.Figure:
    """The most distal level named each day; a line moving down means spreading down the leg."""
    title = TITLES["distal-level"]
    if not series.distal:
        return empty_figure(title, series, "No places recorded in this period")
    levels = sorted(vocab.LEVEL_LABELS)
    trace = unchecked(
        go.Scatter,
        name="Furthest point",
        x=[iso(p.day) for p in series.distal],
        y=[p.level for p in series.distal],
        mode="lines+markers",
        line={"color": COLOURS["distal"], "width": 2},
        marker={"color": COLOURS["distal"], "size": 7},
        text=[vocab.LEVEL_LABELS[p.level] for p in series.distal],
        hovertemplate="%{x|%d %b}: %{text}<extra></extra>",
    )
    fig = unchecked(
        go.Figure,
        data=[trace],
        layout=base_layout(
            title,
            showlegend=False,
            xaxis=period_axis(series),
            yaxis=axis(
                tickmode="array",
                tickvals=levels,
                ticktext=[vocab.LEVEL_LABELS[level] for level in levels],
                range=[max(levels) + 0.4, min(levels) - 0.4],  # spine on top, toes at the bottom
            ),
        ),
    )
    return with_treatment_markers(fig, series)
