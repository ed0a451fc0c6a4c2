"""Figures that break the period down: by body region, kind of pain and activity."""

from __future__ import annotations

import plotly.graph_objects as go

from core.text import format_short_day
from diary import vocabulary as vocab
from reports.figures.style import (
    ACTIVITY_LABEL,
    COLOURS,
    GROUP_COLOURS,
    HEIGHT,
    SIDE_COLOURS,
    TITLES,
    axis,
    base_layout,
    count_axis,
    empty_figure,
    few_ticks,
    rounded_height,
    unchecked,
    wrap_label,
)
from reports.series import ReportSeries


def figure_region_frequency(series: ReportSeries) -> go.Figure:
    """Entries per body region, spine at the top, stacked by side."""
    title = TITLES["regions"]
    if not series.regions:
        return empty_figure(title, series, "No places recorded in this period")
    region_codes = list(dict.fromkeys(r.region for r in series.regions))
    labels = [vocab.REGION_BY_CODE[code].label for code in region_codes]
    traces = []
    for side in vocab.SIDES:
        counts = [r for r in series.regions if r.side == side.code]
        if not counts:
            continue
        traces.append(
            unchecked(
                go.Bar,
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
    height = max(HEIGHT, rounded_height(120 + 34 * len(labels)))
    most = max(sum(r.count for r in series.regions if r.region == code) for code in region_codes)
    return unchecked(
        go.Figure,
        data=traces,
        layout=base_layout(
            title,
            height=height,
            barmode="stack",
            bargap=0.25,
            xaxis=count_axis(most, title={"text": "Entries"}),
            yaxis=axis(
                type="category",
                categoryorder="array",
                categoryarray=labels,
                tickmode="array",
                tickvals=labels,
                ticktext=[wrap_label(label) for label in labels],
                autorange="reversed",
                showgrid=False,
            ),
        ),
    )


def figure_pain_type_composition(series: ReportSeries) -> go.Figure:
    """Pain-type words chosen each week: nerve-like, muscle-like and other, stacked."""
    title = TITLES["pain-types"]
    if not any(week.total for week in series.composition):
        return empty_figure(title, series, "No kinds of pain recorded in this period")
    weeks = [format_short_day(w.week_start) for w in series.composition]
    traces = [
        unchecked(
            go.Bar,
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
    return unchecked(
        go.Figure,
        data=traces,
        layout=base_layout(
            title,
            barmode="stack",
            bargap=0.3,
            xaxis=axis(
                type="category",
                title={"text": "Week starting"},
                showgrid=False,
                **few_ticks(weeks),
            ),
            yaxis=count_axis(
                max(w.total for w in series.composition), title={"text": "Times chosen"}
            ),
        ),
    )


def figure_intensity_by_activity(series: ReportSeries) -> go.Figure:
    """Spread of intensity per activity, every entry shown as a point beside its box."""
    title = TITLES["activity"]
    if not series.activities:
        return empty_figure(title, series, "No activities recorded in this period")
    traces = []
    legend_shown: set[str] = set()
    for item in series.activities:
        # Colour by rest vs movement: the contrast DOMAIN's nerve vs muscle passage is about.
        kind = "rest" if item.activity in vocab.REST_ACTIVITIES else "active"
        traces.append(
            unchecked(
                go.Box,
                name=ACTIVITY_LABEL[item.activity],
                x=[ACTIVITY_LABEL[item.activity]] * len(item.values),
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
                unchecked(
                    go.Scatter,
                    name=label,
                    x=[None],
                    y=[None],
                    mode="markers",
                    marker={"color": COLOURS[kind], "size": 10, "symbol": "square"},
                    legendgroup=kind,
                    hoverinfo="skip",
                )
            )
    return unchecked(
        go.Figure,
        data=traces,
        layout=base_layout(
            title,
            xaxis=axis(type="category", showgrid=False),
            yaxis=axis(range=[-0.5, 10.5], tickvals=[0, 2, 4, 6, 8, 10]),
        ),
    )
