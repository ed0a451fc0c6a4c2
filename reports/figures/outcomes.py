"""Treatment markers on every time chart, and the weekly check-in chart (CONTRACT §8).

Markers are Plotly layout shapes (a dashed vertical line on the event's day) with a short
label, so they never add a trace to a legend or hide a data point. `svg_treatment_marks`
draws the same markers into the server-side SVG charts of the PDF and the printed page.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import date, datetime, time, timedelta
from typing import Any
from xml.sax.saxutils import escape

import plotly.graph_objects as go

from diary.outcomes import (
    BOTHER_SCALE,
    CHECKIN_ITEMS,
    TOTAL_MAX,
    TREATMENT_KIND_LABEL,
    TreatmentSnapshot,
)
from reports.figures.style import INK, axis, base_layout, empty_figure, iso, unchecked
from reports.series import ReportSeries

MARKER_COLOUR = "#009E73"  # Okabe-Ito bluish green: apart from the intensity and flag colours
LABEL_CHARS = 22
CHECKIN_TITLE = "Weekly check-in (0–24)"
# Okabe-Ito, in item order: leg pain, numbness or tingling, weakness, pain when sitting.
ITEM_COLOURS = ("#D55E00", "#CC79A7", "#0072B2", "#E69F00")


def _late(series: ReportSeries, day: date) -> bool:
    """In the last quarter of the period, where a label opening rightwards would run off."""
    return (day - series.period_start).days > 0.75 * (series.days_in_period - 1)


def marker_label(treatment: TreatmentSnapshot) -> str:
    """A label short enough to sit beside a line on a phone chart."""
    name = treatment.name.strip() or TREATMENT_KIND_LABEL.get(treatment.kind, treatment.kind)
    return name if len(name) <= LABEL_CHARS else name[: LABEL_CHARS - 1].rstrip() + "…"


def treatment_shapes(series: ReportSeries) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    """(shapes, annotations): a labelled vertical line per treatment event in the period."""
    shapes: list[dict[str, Any]] = []
    annotations: list[dict[str, Any]] = []
    for index, treatment in enumerate(series.treatments):
        day = iso(treatment.started_on)
        shapes.append(
            {
                "type": "line",
                "xref": "x",
                "yref": "paper",
                "x0": day,
                "x1": day,
                "y0": 0,
                "y1": 1,
                "line": {"color": MARKER_COLOUR, "width": 2, "dash": "dash"},
                "layer": "above",
                "name": f"treatment-{treatment.id}",
            }
        )
        annotations.append(
            {
                "text": marker_label(treatment),
                "hovertext": f"{treatment.kind_label}: {treatment.name}, {day}",
                "xref": "x",
                "yref": "paper",
                "x": day,
                # Neighbouring labels alternate between two heights so they do not overlap.
                "y": 1 - 0.1 * (index % 2),
                # Labels late in the period open to the left so they stay on the chart.
                "xanchor": "right" if _late(series, treatment.started_on) else "left",
                "yanchor": "top",
                "showarrow": False,
                "font": {"size": 11, "color": INK},
                "bgcolor": "rgba(255,255,255,0.85)",
                "bordercolor": MARKER_COLOUR,
                "borderwidth": 1,
                "borderpad": 2,
                "name": f"treatment-{treatment.id}",
            }
        )
    return shapes, annotations


def with_treatment_markers(fig: go.Figure, series: ReportSeries) -> go.Figure:
    """The figure with every treatment event of the period marked; empty figures unchanged."""
    if not series.treatments or fig.layout.xaxis.visible is False:
        return fig
    shapes, annotations = treatment_shapes(series)
    fig.update_layout(
        shapes=[*fig.layout.shapes, *shapes],
        annotations=[*fig.layout.annotations, *annotations],
    )
    return fig


def figure_checkins(series: ReportSeries) -> go.Figure:
    """Each week's check-in total as a bar stacked from its four items, treatments marked."""
    if not series.checkins:
        return empty_figure(CHECKIN_TITLE, series, "No weekly check-ins in this period")
    # A bar spans its week: centred on Thursday noon, six days wide.
    centres = [
        datetime.combine(c.week_of + timedelta(days=3), time(12)).isoformat()
        for c in series.checkins
    ]
    width = timedelta(days=6).total_seconds() * 1000
    traces: list[go.BaseTraceType] = [
        unchecked(
            go.Bar,
            name=item.short,
            x=centres,
            y=[getattr(c, item.code) for c in series.checkins],
            width=[width] * len(centres),
            marker={"color": colour},
            customdata=[
                [BOTHER_SCALE[getattr(c, item.code)], iso(c.week_of)] for c in series.checkins
            ],
            hovertemplate=(
                f"Week of %{{customdata[1]}}: {item.short} %{{y}}/6 (%{{customdata[0]}})"
                "<extra></extra>"
            ),
        )
        for item, colour in zip(CHECKIN_ITEMS, ITEM_COLOURS, strict=True)
    ]
    traces.append(
        unchecked(
            go.Scatter,
            name="Total",
            x=centres,
            y=[c.total for c in series.checkins],
            mode="lines+markers",
            line={"color": INK, "width": 2},
            marker={"color": INK, "size": 7},
            customdata=[[c.global_change_label, iso(c.week_of)] for c in series.checkins],
            hovertemplate=(
                "Week of %{customdata[1]}: total %{y}/24, “%{customdata[0]}”<extra></extra>"
            ),
        )
    )
    fig = unchecked(
        go.Figure,
        data=traces,
        layout=base_layout(
            CHECKIN_TITLE,
            barmode="stack",
            xaxis=axis(type="date", range=_weeks_range(series)),
            yaxis=axis(range=[0, TOTAL_MAX + 0.5], tickvals=[0, 6, 12, 18, 24]),
        ),
    )
    return with_treatment_markers(fig, series)


def _weeks_range(series: ReportSeries) -> list[str]:
    """The period widened to whole weeks, so the first and the current week's bars show whole."""
    first = min(series.period_start, series.checkins[0].week_of)
    last = max(series.period_end, series.checkins[-1].week_of + timedelta(days=6))
    return [f"{iso(first)} 00:00", f"{iso(last + timedelta(days=1))} 00:00"]


def heat_column_x(
    columns: Sequence[tuple[date, date]], left: float, cell_w: float
) -> Callable[[date], float]:
    """Where a day falls on the PDF's time-of-day grid, whose columns are days or weeks."""

    def x(day: date) -> float:
        for index, (start, end) in enumerate(columns):
            if start <= day <= end:
                share = ((day - start).days + 0.5) / ((end - start).days + 1)
                return left + (index + share) * cell_w
        return left

    return x


def svg_treatment_marks(
    series: ReportSeries, *, x: Callable[[date], float], top: float, bottom: float
) -> str:
    """SVG dashed lines with short labels for the server-drawn daily chart (PDF, print)."""
    parts = []
    for index, treatment in enumerate(series.treatments):
        cx = x(treatment.started_on)
        label_y = top + 10 + 12 * (index % 2)
        late = _late(series, treatment.started_on)
        parts.append(
            f'<line x1="{cx:.1f}" x2="{cx:.1f}" y1="{top:.1f}" y2="{bottom:.1f}" '
            f'stroke="{MARKER_COLOUR}" stroke-width="1.5" stroke-dasharray="4 3"/>'
            f'<text x="{cx - 3 if late else cx + 3:.1f}" y="{label_y:.1f}" font-size="10" '
            f'text-anchor="{"end" if late else "start"}" fill="{INK}">'
            f"{escape(marker_label(treatment))}</text>"
        )
    return "".join(parts)


def checkin_figure_context(series: ReportSeries) -> dict[str, str] | None:
    """The check-in chart ready for the page (id, title, text alternative, JSON), if any."""
    if not series.checkins:
        return None
    from reports.figures import figure_json  # the package imports this module

    latest = series.checkins[-1]
    return {
        "id": "fig-checkins",
        "title": CHECKIN_TITLE,
        "label": (
            f"Weekly check-in totals for {len(series.checkins)} week(s), each a stack of four "
            f"0–6 answers; the latest, week of {iso(latest.week_of)}, is "
            f"{latest.total} of {TOTAL_MAX}."
        ),
        "json": figure_json(figure_checkins(series)),
    }
