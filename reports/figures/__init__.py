"""Pure Plotly figures for the one-page report, drawn from a prepared `ReportSeries`.

No ORM and no clock: selectors prepare the series in the patient's time zone. The page embeds
`figure_json` output in `<script type="application/json" class="js-figure">` and
`static/js/charts.js` draws it with the local partial bundle (bars, lines, box plots and heat
maps only).
"""

from __future__ import annotations

import plotly.graph_objects as go

from reports.figures.breakdown import (
    figure_intensity_by_activity,
    figure_pain_type_composition,
    figure_region_frequency,
)
from reports.figures.style import EMPTY_TEXT, TITLES
from reports.figures.trend import (
    figure_daily_intensity,
    figure_distal_level,
    figure_time_of_day_heatmap,
)
from reports.series import ReportSeries

__all__ = [
    "EMPTY_TEXT",
    "FIGURES",
    "TITLES",
    "figure_daily_intensity",
    "figure_distal_level",
    "figure_intensity_by_activity",
    "figure_json",
    "figure_pain_type_composition",
    "figure_region_frequency",
    "figure_time_of_day_heatmap",
    "figures_for_report",
]

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
