"""What each report chart shows before (or without) JavaScript: server-drawn SVG.

Every drawing is made at the phone width and at the interactive chart's height, so the box
never changes size when Plotly takes over. The daily and time-of-day charts reuse the PDF's
drawing code (`reports.pdf`); the breakdown charts are drawn by `reports.svg_charts`. A drawing
is one image to a screen reader, so those four carry their numbers in a compact table beside
them, visually hidden: the same numbers, read cell by cell.
"""

from __future__ import annotations

from collections import Counter
from statistics import median

from django.template.loader import render_to_string
from django.utils.safestring import SafeString

from core.text import format_short_day
from diary import vocabulary as vocab
from reports import pdf, svg_charts
from reports.figures.style import ACTIVITY_LABEL
from reports.series import ReportSeries

WIDTH = svg_charts.WIDTH  # a phone's content width, so text is drawn at about 1:1
SIDE_LABEL = vocab.labels(vocab.SIDES)


def figure_fallback(
    slug: str, series: ReportSeries, *, dom_id: str, label: str, height: int, empty: str
) -> SafeString:
    """The server-drawn stand-in for one chart: SVG (with its numbers' table) or the empty note."""
    if empty:
        return render_to_string("reports/_figure_fallback.html", {"note": empty})
    if slug == "daily-intensity":
        return pdf.svg_daily_intensity(
            series, width=WIDTH, height=height, title_id=f"{dom_id}-title", title=label
        )
    if slug == "time-of-day":
        return pdf.svg_time_of_day(
            series, width=WIDTH, height=height, title_id=f"{dom_id}-title", title=label
        )
    drawing = _drawing(slug, series, height=height, title_id=f"{dom_id}-title", label=label)
    # The drawing is one image to a screen reader; its numbers follow, read cell by cell.
    table = render_to_string(
        "reports/_figure_fallback.html", {**_table(slug, series, label), "hidden": True}
    )
    return drawing + table


def _drawing(
    slug: str, series: ReportSeries, *, height: int, title_id: str, label: str
) -> SafeString:
    box = {"width": WIDTH, "height": height, "title_id": title_id, "title": label}
    if slug == "regions":
        return svg_charts.svg_regions(series.regions, **box)
    if slug == "pain-types":
        return svg_charts.svg_pain_types(series.composition, **box)
    if slug == "activity":
        return svg_charts.svg_activity(series.activities, **box)
    return svg_charts.svg_distal_level(series.distal, **box)


def _table(slug: str, series: ReportSeries, label: str) -> dict[str, object]:
    if slug == "regions":
        head = ("Place", "Side", "Entries")
        rows = [
            (vocab.REGION_BY_CODE[r.region].label, SIDE_LABEL[r.side], r.count)
            for r in series.regions
        ]
    elif slug == "pain-types":
        head = ("Week of", "Nerve-like", "Muscle-like", "Other")
        rows = [
            (format_short_day(w.week_start), w.nerve, w.muscle, w.other) for w in series.composition
        ]
    elif slug == "activity":
        head = ("Activity", "Entries", "Median", "Range")
        rows = [
            (
                ACTIVITY_LABEL[a.activity],
                len(a.values),
                f"{median(a.values):g}",
                f"{min(a.values)}–{max(a.values)}",
            )
            for a in series.activities
        ]
    else:  # distal-level: days per furthest level, spine first
        head = ("Furthest point", "Days")
        days = Counter(p.level for p in series.distal)
        rows = [(vocab.LEVEL_LABELS[level], days[level]) for level in sorted(days)]
    return {"caption": label, "head": head, "rows": rows}
