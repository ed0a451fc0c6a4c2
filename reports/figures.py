"""Pure Plotly figures for the one-page report, drawn from a prepared `ReportSeries`.

No ORM and no clock: selectors prepare the series in the patient's time zone. The page embeds
`figure_json` output in `<script type="application/json">` and `static/js/charts.js` draws it
with the local partial bundle (bars, lines, box plots and heat maps only).
"""

from __future__ import annotations

import textwrap
from datetime import date, timedelta
from typing import Any

import plotly.graph_objects as go

from diary import vocabulary as vocab
from reports.series import ReportSeries

HEIGHT = 300
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
# Sequential, light to dark, fixed to 0-10 so colours mean the same on every report.
INTENSITY_SCALE = [[0.0, "#fff7ec"], [0.3, "#fdd49e"], [0.6, "#fc8d59"], [1.0, "#7f0000"]]

TITLES = {
    "daily-intensity": "Pain intensity by day (0–10)",
    "time-of-day": "Pain by time of day",
    "regions": "Where it hurts, by side",
    "pain-types": "Kinds of pain by week",
    "activity": "Pain by activity",
    "distal-level": "How far down the leg it reached",
}

_SIDE_LABEL = {s.code: s.label for s in vocab.SIDES}
_TIMING_LABEL = {t.code: t.label for t in vocab.TIMINGS}
_ACTIVITY_LABEL = {a.code: a.label for a in vocab.ACTIVITIES}


def _iso(day: date) -> str:
    return day.isoformat()


def _wrap(label: str, width: int = 18) -> str:
    # Long tick labels would take half of a phone screen; break them onto two lines.
    return "<br>".join(textwrap.wrap(label, width)) or label


def _axis(**extra: Any) -> dict[str, Any]:
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


def _period_axis(series: ReportSeries, **extra: Any) -> dict[str, Any]:
    # Show the whole period even when only a few days were logged: gaps are information.
    start = series.period_start - timedelta(days=1)
    return _axis(
        type="date",
        range=[f"{_iso(start)} 12:00", f"{_iso(series.period_end)} 12:00"],
        **extra,
    )


def _layout(title: str, *, height: int = HEIGHT, **extra: Any) -> dict[str, Any]:
    return {
        # "none" keeps the JSON small and the look ours, not the default template's.
        "template": "none",
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


def _empty(title: str, text: str = EMPTY_TEXT) -> go.Figure:
    """A titled figure that says there is nothing to draw instead of drawing empty axes."""
    hidden = {"visible": False, "fixedrange": True}
    return go.Figure(
        layout=_layout(
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
        )
    )


def figure_daily_intensity(series: ReportSeries) -> go.Figure:
    """Daily max and mean, the 7-day rolling mean, meaningful changes and raised flags."""
    title = TITLES["daily-intensity"]
    if series.is_empty:
        return _empty(title)
    days = [_iso(p.day) for p in series.daily]
    rolling = {p.day: p.mean for p in series.rolling}
    traces: list[go.BaseTraceType] = [
        go.Scatter(
            name="Worst of the day",
            x=days,
            y=[p.max for p in series.daily],
            mode="markers",
            marker={"color": COLOURS["max"], "size": 7, "symbol": "circle-open"},
            hovertemplate="%{x|%d %b}: worst %{y}<extra></extra>",
        ),
        go.Scatter(
            name="Daily average",
            x=days,
            y=[round(p.mean, 1) for p in series.daily],
            mode="markers",
            marker={"color": COLOURS["mean"], "size": 6},
            customdata=[p.count for p in series.daily],
            hovertemplate="%{x|%d %b}: average %{y} (%{customdata} entries)<extra></extra>",
        ),
        go.Scatter(
            name="7-day average",
            # Every period day is listed so days without a rolling value break the line.
            x=[_iso(d) for d in series.days],
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
                go.Scatter(
                    name=label,
                    x=[_iso(c.day) for c in changes],
                    y=[round(c.mean, 2) for c in changes],
                    mode="markers",
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
                go.Scatter(
                    name=SEVERITY_LABELS[severity],
                    x=[_iso(f.day) for f in flags],
                    y=[10.8] * len(flags),
                    mode="markers",
                    marker={"symbol": "diamond", "size": 11, "color": colour},
                    text=[f.title for f in flags],
                    hovertemplate="%{x|%d %b}: %{text}<extra></extra>",
                )
            )
    return go.Figure(
        data=traces,
        layout=_layout(
            title,
            xaxis=_period_axis(series),
            yaxis=_axis(range=[-0.3, 11.4], tickvals=[0, 2, 4, 6, 8, 10], title={"text": ""}),
        ),
    )


def figure_time_of_day_heatmap(series: ReportSeries) -> go.Figure:
    """Mean intensity per day and time of day on a fixed 0-10 colour scale."""
    title = TITLES["time-of-day"]
    if not series.heat:
        return _empty(title)
    days = series.days
    column = {day: i for i, day in enumerate(days)}
    row = {t.code: i for i, t in enumerate(vocab.TIMINGS)}
    z: list[list[float | None]] = [[None] * len(days) for _ in vocab.TIMINGS]
    counts: list[list[int]] = [[0] * len(days) for _ in vocab.TIMINGS]
    for cell in series.heat:
        if cell.day in column and cell.timing in row:
            z[row[cell.timing]][column[cell.day]] = round(cell.mean, 1)
            counts[row[cell.timing]][column[cell.day]] = cell.count
    heat = go.Heatmap(
        name="Average intensity",
        x=[_iso(d) for d in days],
        y=[t.label for t in vocab.TIMINGS],
        z=z,
        customdata=counts,
        zmin=0,
        zmax=10,
        colorscale=INTENSITY_SCALE,
        hoverongaps=False,
        xgap=1,
        ygap=1,
        colorbar={"thickness": 10, "len": 1, "tickvals": [0, 5, 10], "outlinewidth": 0},
        hovertemplate="%{x|%d %b}, %{y}: %{z} (%{customdata} entries)<extra></extra>",
    )
    return go.Figure(
        data=[heat],
        layout=_layout(
            title,
            xaxis=_period_axis(series, showgrid=False),
            # Reversed so the day reads top to bottom, morning first and night last.
            yaxis=_axis(autorange="reversed", showgrid=False),
        ),
    )


def figure_region_frequency(series: ReportSeries) -> go.Figure:
    """Entries per body region, spine at the top, stacked by side."""
    title = TITLES["regions"]
    if not series.regions:
        return _empty(title, EMPTY_TEXT if series.is_empty else "No places recorded in this period")
    region_codes = list(dict.fromkeys(r.region for r in series.regions))
    labels = [vocab.REGION_BY_CODE[code].label for code in region_codes]
    traces = []
    for side in vocab.SIDES:
        counts = [r for r in series.regions if r.side == side.code]
        if not counts:
            continue
        traces.append(
            go.Bar(
                name=side.label,
                orientation="h",
                y=[vocab.REGION_BY_CODE[r.region].label for r in counts],
                x=[r.count for r in counts],
                marker={"color": SIDE_COLOURS[side.code]},
                customdata=[round(r.mean_intensity, 1) for r in counts],
                hovertemplate=(
                    f"%{{y}}, {side.label.lower()}: %{{x}} entries, "
                    "average %{customdata}<extra></extra>"
                ),
            )
        )
    # Rows grow with the regions named so long lists stay readable on a phone.
    height = max(HEIGHT, 120 + 34 * len(labels))
    return go.Figure(
        data=traces,
        layout=_layout(
            title,
            height=height,
            barmode="stack",
            bargap=0.25,
            xaxis=_axis(title={"text": "Entries"}, rangemode="tozero"),
            yaxis=_axis(
                type="category",
                categoryorder="array",
                categoryarray=labels,
                tickmode="array",
                tickvals=labels,
                ticktext=[_wrap(label) for label in labels],
                autorange="reversed",
                showgrid=False,
            ),
        ),
    )


def figure_pain_type_composition(series: ReportSeries) -> go.Figure:
    """Pain-type words chosen each week: nerve-like, muscle-like and other, stacked."""
    title = TITLES["pain-types"]
    if not any(week.total for week in series.composition):
        text = EMPTY_TEXT if series.is_empty else "No kinds of pain recorded in this period"
        return _empty(title, text)
    weeks = [f"{w.week_start.day} {w.week_start:%b}" for w in series.composition]
    traces = [
        go.Bar(
            name=vocab.PAIN_TYPE_GROUP_LABELS[group],
            x=weeks,
            y=[getattr(w, group) for w in series.composition],
            marker={"color": GROUP_COLOURS[group]},
            hovertemplate=(
                f"Week of %{{x}}: %{{y}} {vocab.PAIN_TYPE_GROUP_LABELS[group].lower()}"
                "<extra></extra>"
            ),
        )
        for group in ("nerve", "muscle", "other")
    ]
    return go.Figure(
        data=traces,
        layout=_layout(
            title,
            barmode="stack",
            bargap=0.3,
            xaxis=_axis(type="category", title={"text": "Week starting"}, showgrid=False),
            yaxis=_axis(title={"text": "Times chosen"}, rangemode="tozero"),
        ),
    )


def figure_intensity_by_activity(series: ReportSeries) -> go.Figure:
    """Spread of intensity per activity, every entry shown as a point beside its box."""
    title = TITLES["activity"]
    if not series.activities:
        text = EMPTY_TEXT if series.is_empty else "No activities recorded in this period"
        return _empty(title, text)
    traces = []
    legend_shown: set[str] = set()
    for item in series.activities:
        # Colour by rest vs movement: the contrast DOMAIN's nerve vs muscle passage is about.
        kind = "rest" if item.activity in vocab.REST_ACTIVITIES else "active"
        traces.append(
            go.Box(
                name=_ACTIVITY_LABEL[item.activity],
                x=[_ACTIVITY_LABEL[item.activity]] * len(item.values),
                y=list(item.values),
                boxpoints="all",
                jitter=0.4,
                pointpos=0,
                marker={"color": COLOURS[kind], "size": 6, "opacity": 0.7},
                line={"color": COLOURS[kind]},
                legendgroup=kind,
                showlegend=False,
                hovertemplate="%{x}: %{y}<extra></extra>",
            )
        )
        legend_shown.add(kind)
    for kind, label in (("rest", "At rest"), ("active", "Moving or upright")):
        if kind in legend_shown:
            # Legend-only traces: one key per colour instead of one per activity.
            traces.append(
                go.Scatter(
                    name=label,
                    x=[None],
                    y=[None],
                    mode="markers",
                    marker={"color": COLOURS[kind], "size": 10, "symbol": "square"},
                    legendgroup=kind,
                    hoverinfo="skip",
                )
            )
    return go.Figure(
        data=traces,
        layout=_layout(
            title,
            xaxis=_axis(type="category", showgrid=False),
            yaxis=_axis(range=[-0.5, 10.5], tickvals=[0, 2, 4, 6, 8, 10]),
        ),
    )


def figure_distal_level(series: ReportSeries) -> go.Figure:
    """The most distal level named each day; a line moving down means spreading down the leg."""
    title = TITLES["distal-level"]
    if not series.distal:
        return _empty(title, EMPTY_TEXT if series.is_empty else "No places recorded in this period")
    levels = sorted(vocab.LEVEL_LABELS)
    trace = go.Scatter(
        name="Furthest point",
        x=[_iso(p.day) for p in series.distal],
        y=[p.level for p in series.distal],
        mode="lines+markers",
        line={"color": COLOURS["distal"], "width": 2},
        marker={"color": COLOURS["distal"], "size": 7},
        text=[vocab.LEVEL_LABELS[p.level] for p in series.distal],
        hovertemplate="%{x|%d %b}: %{text}<extra></extra>",
    )
    return go.Figure(
        data=[trace],
        layout=_layout(
            title,
            showlegend=False,
            xaxis=_period_axis(series),
            yaxis=_axis(
                tickmode="array",
                tickvals=levels,
                ticktext=[vocab.LEVEL_LABELS[level] for level in levels],
                range=[max(levels) + 0.4, min(levels) - 0.4],  # spine on top, toes at the bottom
            ),
        ),
    )


FIGURES = (
    ("daily-intensity", figure_daily_intensity),
    ("time-of-day", figure_time_of_day_heatmap),
    ("regions", figure_region_frequency),
    ("pain-types", figure_pain_type_composition),
    ("activity", figure_intensity_by_activity),
    ("distal-level", figure_distal_level),
)


def figures_for_report(series: ReportSeries) -> list[tuple[str, str, go.Figure]]:
    """(slug, human title, figure) for every report figure, in page order."""
    return [(slug, TITLES[slug], build(series)) for slug, build in FIGURES]


def figure_json(fig: go.Figure) -> str:
    """Compact figure JSON that is safe to place inside a <script type="application/json">."""
    # Escaped like Django's json_script so no text can close the script element early.
    return (
        fig.to_json(pretty=False)
        .replace("<", "\\u003c")
        .replace(">", "\\u003e")
        .replace("&", "\\u0026")
    )
