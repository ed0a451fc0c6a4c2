"""Server-side SVG (daily line, time-of-day grid, body-map heat) and the summary as a PDF.

Plotly needs a browser to draw, which a plain server does not have; these charts are drawn
here as plain SVG so WeasyPrint can make the PDF with PyPI packages only, and printing the
share page gets charts that scale to the paper.
"""

from __future__ import annotations

import logging
import math
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from statistics import fmean
from xml.sax.saxutils import escape

from django.template.loader import render_to_string
from django.utils.safestring import SafeString, mark_safe

from core.colours import COUNT_STOPS, intensity_colour, scale_colour
from core.text import format_period, format_short_day, plural
from diary import vocabulary as vocab
from diary.bodymap import VIEWS, bodymap_svg, location_label
from reports.figures.outcomes import heat_column_x, svg_treatment_marks
from reports.figures.style import heat_columns
from reports.series import ReportSeries
from reports.summary import ClinicianSummary

# WeasyPrint logs every rendering step at INFO: noise in a server log, once per download.
logging.getLogger("weasyprint.progress").setLevel(logging.WARNING)
logger = logging.getLogger(__name__)

PAPER_SIZES = {"a4": "A4", "letter": "letter"}
INK = "#1f2933"
GRID = "#d5d9de"
MEAN = "#0072B2"
WORST = "#E69F00"


def paper_size(value: str | None) -> str:
    """The CSS page size for a ?paper= value: A4 unless Letter is asked for."""
    return PAPER_SIZES.get((value or "").lower(), "A4")


def _ticks(start: date, end: date, count: int = 6) -> list[date]:
    span = (end - start).days
    if span <= 0:
        return [start]
    step = max(1, round(span / (count - 1)))
    ticks = [start + timedelta(days=i) for i in range(0, span + 1, step)]
    if (end - ticks[-1]).days > step // 2:
        ticks.append(end)
    else:
        ticks[-1] = end
    return ticks


def svg_open(width: int, height: int, title_id: str, title: str) -> list[str]:
    """The opening of a chart: its size, and a title screen readers announce as its name."""
    return [
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {width} {height}" '
        f'width="{width}" height="{height}" role="img" aria-labelledby="{title_id}">',
        f'<title id="{title_id}">{escape(title)}</title>',
    ]


def svg_daily_intensity(
    series: ReportSeries,
    *,
    width: int = 680,
    height: int = 180,
    title_id: str = "svg-daily-title",
    title: str = "Pain intensity by day, 0 to 10",
) -> SafeString:
    """Daily worst (dots) and 7-day average (line) on a 0-10 axis over the whole period."""
    # The legend takes one row on paper; on a phone-wide drawing it wraps onto two.
    narrow = width < 480
    left, right, top, bottom = 34, 24, 10, 60 if narrow else 44
    plot_w, plot_h = width - left - right, height - top - bottom
    days = max(series.days_in_period - 1, 1)

    def x(day: date) -> float:
        return left + plot_w * (day - series.period_start).days / days

    def y(value: float) -> float:
        return top + plot_h * (1 - value / 10)

    parts = svg_open(width, height, title_id, title)
    for value in (0, 2, 4, 6, 8, 10):
        parts.append(
            f'<line x1="{left}" x2="{width - right}" y1="{y(value):.1f}" y2="{y(value):.1f}" '
            f'stroke="{GRID}" stroke-width="1"/>'
            f'<text x="{left - 6}" y="{y(value) + 4:.1f}" font-size="11" text-anchor="end" '
            f'fill="{INK}">{value}</text>'
        )
    for tick in _ticks(series.period_start, series.period_end):
        parts.append(
            f'<text x="{x(tick):.1f}" y="{height - bottom + 16}" font-size="11" '
            f'text-anchor="middle" fill="{INK}">{format_short_day(tick)}</text>'
        )
    # Gaps in the average stay gaps: a missing day is information, not a straight line.
    segment: list[str] = []
    segments: list[list[str]] = []
    rolling = {p.day: p.mean for p in series.rolling}
    for day in series.days:
        if day in rolling:
            segment.append(f"{x(day):.1f},{y(rolling[day]):.1f}")
        elif segment:
            segments.append(segment)
            segment = []
    if segment:
        segments.append(segment)
    for points in segments:
        if len(points) == 1:
            cx, cy = points[0].split(",")
            parts.append(f'<circle cx="{cx}" cy="{cy}" r="2" fill="{MEAN}"/>')
        else:
            parts.append(
                f'<polyline points="{" ".join(points)}" fill="none" stroke="{MEAN}" '
                'stroke-width="2.5" stroke-linejoin="round"/>'
            )
    radius = 2.5 if series.days_in_period > 120 else 3.5
    for point in series.daily:
        parts.append(
            f'<circle cx="{x(point.day):.1f}" cy="{y(point.max):.1f}" r="{radius}" fill="none" '
            f'stroke="{WORST}" stroke-width="1.5"/>'
        )
    for change in series.changes:
        cx, cy = x(change.day), y(change.mean)
        tip = cy - 7 if change.direction == "up" else cy + 7
        base = cy + 5 if change.direction == "up" else cy - 5
        parts.append(
            f'<polygon points="{cx - 6:.1f},{base:.1f} {cx + 6:.1f},{base:.1f} {cx:.1f},{tip:.1f}" '
            f'fill="{INK}"/>'
        )
    parts.append(svg_treatment_marks(series, x=x, top=top, bottom=top + plot_h))
    legend_y = height - (26 if narrow else 10)
    # The third key goes under the first on a narrow drawing, beside the others on paper.
    change_x, change_y = (left, height - 8) if narrow else (left + 262, legend_y)
    parts.append(
        f'<circle cx="{left + 6}" cy="{legend_y - 4}" r="4" fill="none" stroke="{WORST}" '
        f'stroke-width="1.5"/><text x="{left + 14}" y="{legend_y}" font-size="11" '
        f'fill="{INK}">Worst of the day</text>'
        f'<line x1="{left + 130}" x2="{left + 150}" y1="{legend_y - 4}" y2="{legend_y - 4}" '
        f'stroke="{MEAN}" stroke-width="2.5"/><text x="{left + 156}" y="{legend_y}" '
        f'font-size="11" fill="{INK}">7-day average</text>'
        f'<polygon points="{change_x},{change_y} {change_x + 10},{change_y} {change_x + 5},'
        f'{change_y - 9}" fill="{INK}"/><text x="{change_x + 16}" y="{change_y}" '
        f'font-size="11" fill="{INK}">Change of ≥ 2 points or 30 %</text>'
    )
    parts.append("</svg>")
    return mark_safe("".join(parts))  # noqa: S308 - numbers and fixed text only  # nosec B308 B703


def svg_time_of_day(
    series: ReportSeries,
    *,
    width: int = 680,
    height: int = 120,
    title_id: str = "svg-heat-title",
    title: str = "Mean pain intensity by time of day",
    key: bool = True,
) -> SafeString:
    """Mean intensity per time of day (rows) and day or week (columns); blank = not logged.

    With `key` a row of swatches under the dates says what the colours mean; pages that print
    their own key beside the drawing (the PDF) leave it out.
    """
    left, right, top, bottom = 112, 10, 6, 24 + (KEY_ROW if key else 0)
    columns = heat_columns(series)
    rows = vocab.TIMINGS
    cell_w = (width - left - right) / len(columns)
    cell_h = (height - top - bottom) / len(rows)
    values: dict[tuple[int, str], list[float]] = defaultdict(list)
    column_of = {}
    for index, (start, end) in enumerate(columns):
        for offset in range((end - start).days + 1):
            column_of[start + timedelta(days=offset)] = index
    for cell in series.heat:
        if cell.day in column_of:
            values[(column_of[cell.day], cell.timing)].extend([cell.mean] * cell.count)
    parts = svg_open(width, height, title_id, title)
    for r, timing in enumerate(rows):
        ry = top + r * cell_h
        parts.append(
            f'<text x="{left - 6}" y="{ry + cell_h / 2 + 4:.1f}" font-size="11" '
            f'text-anchor="end" fill="{INK}">{escape(timing.label)}</text>'
        )
        for c in range(len(columns)):
            found = values.get((c, timing.code))
            fill = intensity_colour(fmean(found)) if found else "#ffffff"
            parts.append(
                f'<rect x="{left + c * cell_w:.2f}" y="{ry:.2f}" width="{cell_w:.2f}" '
                f'height="{cell_h:.2f}" fill="{fill}" stroke="{GRID}" stroke-width="0.5"/>'
            )
    parts.append(
        svg_treatment_marks(
            series, x=heat_column_x(columns, left, cell_w), top=top, bottom=height - bottom
        )
    )
    # About six labels, and never closer than a label's width (~48 px at this font size).
    step = max(1, round(len(columns) / 6), math.ceil(48 / cell_w))
    for c in range(0, len(columns), step):
        parts.append(
            f'<text x="{left + c * cell_w + cell_w / 2:.1f}" y="{height - bottom + 16}" '
            f'font-size="11" text-anchor="middle" fill="{INK}">'
            f"{format_short_day(columns[c][0])}</text>"
        )
    if key:
        parts.append(_heat_key(y=height - 6))
    parts.append("</svg>")
    return mark_safe("".join(parts))  # noqa: S308 - numbers, escaped labels  # nosec B308 B703


KEY_ROW = 20  # the height the colour key adds under the time-of-day grid


def _heat_key(*, y: float) -> str:
    """One row, 340 px wide at most: 'Average' then a swatch per even score, then white."""
    parts = [f'<g class="heat-key"><text x="4" y="{y}" font-size="11" fill="{INK}">Average</text>']
    x = 56
    for value, colour in [*heat_legend(), (None, "#ffffff")]:
        parts.append(
            f'<rect x="{x}" y="{y - 10}" width="14" height="11" fill="{colour}" '
            f'stroke="{GRID}" stroke-width="0.5"/>'
            f'<text x="{x + 17}" y="{y}" font-size="11" fill="{INK}">'
            f"{'none logged' if value is None else value}</text>"
        )
        x += 36
    parts.append("</g>")
    return "".join(parts)


def count_colour(count: int, most: int) -> str:
    """Light to dark blue by share of the most-named location's count."""
    # The lightest quarter is left out: a location named once must still show on white.
    t = count / most if most else 0.0
    return scale_colour(COUNT_STOPS, 0.25 + 0.75 * t)


def bodymap_heat(summary: ClinicianSummary) -> list[dict[str, object]]:
    """Body-map drawings shaded by how many painful entries named each place (views with data)."""
    counts: dict[tuple[str, str], int] = defaultdict(int)
    for row in summary.locations:
        # The map draws left and right; "both sides" counts for each of them.
        sides = ("left", "right") if row.side == "both" else (row.side,)
        for side in sides:
            counts[(row.region, side)] += row.count
    if not counts:
        return []
    most = max(counts.values())
    drawings = []
    for code, view in VIEWS.items():
        drawn = {(rs.region, rs.side) for rs in view.regions}
        shown = {key: n for key, n in counts.items() if key in drawn}
        if not shown:
            continue
        drawings.append(
            {
                "code": code,
                "label": view.label,
                "svg": bodymap_svg(
                    code,
                    fills={key: count_colour(n, most) for key, n in shown.items()},
                    titles={
                        key: f"{location_label(*key)}: {plural(n, 'entry', 'entries')}"
                        for key, n in shown.items()
                    },
                    label=f"Body map, {view.label.lower()}: darker means named on more entries",
                ),
            }
        )
    return drawings


def heat_legend() -> list[tuple[int, str]]:
    """(intensity, colour) swatches for the legend under the time-of-day grid."""
    return [(v, intensity_colour(v)) for v in (0, 2, 4, 6, 8, 10)]


@dataclass(frozen=True, slots=True)
class PdfLimits:
    """How much of each list the one-page PDF prints; the rest is counted ("and N more")."""

    flags: int
    red_flags: int
    locations: int
    words: int  # pain words, activities, context tags, furthest regions
    explanation_chars: int  # 0 leaves flag explanations out


# Tried in order until the summary fits on one page: the first fits every diary we know of.
PDF_LIMITS = (
    PdfLimits(flags=4, red_flags=5, locations=8, words=8, explanation_chars=220),
    PdfLimits(flags=3, red_flags=3, locations=6, words=5, explanation_chars=120),
    PdfLimits(flags=2, red_flags=2, locations=4, words=3, explanation_chars=0),
)
_SEVERITY_RANK = {"emergency": 0, "urgent": 1, "warning": 2, "info": 3}


def _capped(name: str, items: Sequence[object], limit: int) -> dict[str, object]:
    return {f"pdf_{name}": list(items[:limit]), f"more_{name}": max(0, len(items) - limit)}


def pdf_sections(summary: ClinicianSummary, limits: PdfLimits) -> dict[str, object]:
    """The capped lists the PDF prints: most severe flags, latest red flags, busiest places."""
    flags = sorted(
        (*summary.active_flags, *summary.past_flags),
        key=lambda f: (
            _SEVERITY_RANK.get(f.severity, 9),
            not f.is_active,
            -f.last_seen_on.toordinal(),
        ),
    )
    # The places named most often, then printed from the spine down to the toes.
    busiest = sorted(summary.locations, key=lambda row: -row.count)[: limits.locations]
    order = {id(row): i for i, row in enumerate(summary.locations)}
    distal = summary.most_distal_regions
    return {
        **_capped("flags", flags, limits.flags),
        **_capped("red_flags", summary.red_flags[::-1], limits.red_flags),
        "pdf_locations": sorted(busiest, key=lambda row: order[id(row)]),
        "more_locations": len(summary.locations) - len(busiest),
        **_capped("pain_types", summary.pain_types, limits.words),
        **_capped("activities", summary.activities, limits.words),
        **_capped("context", summary.context, limits.words),
        "distal_regions": distal[: limits.words],
        "more_distal_regions": max(0, len(distal) - limits.words),
        "explanation_chars": limits.explanation_chars,
        "contrasts": [
            (summary.night_vs_day, "Evening and night vs daytime"),
            (summary.rest_vs_activity, "At rest vs active"),
        ],
    }


def summary_pdf(context: dict, *, paper: str = "A4") -> bytes:
    """Render the clinician summary to a one-page PDF, capping lists until it fits."""
    # Imported here: WeasyPrint loads Pango and fonts, which only this path needs.
    from weasyprint import HTML
    from weasyprint.urls import URLFetcher

    series: ReportSeries = context["series"]
    summary: ClinicianSummary = context["summary"]
    base = {
        **context,
        "paper": paper,
        # Fixed shapes: the same height on paper whatever the period's length.
        "svg_daily": svg_daily_intensity(series, width=680, height=150),
        "svg_heat": svg_time_of_day(series, width=680, height=88, key=False),
        "heat_legend": heat_legend(),
        "period_text": format_period(series.period_start, series.period_end),
    }
    # Everything is inline; data: URIs only, so rendering never reaches the network or disk.
    fetcher = URLFetcher(allowed_protocols=("data",))
    for limits in PDF_LIMITS:
        html = render_to_string(
            "reports/summary_pdf.html", {**base, **pdf_sections(summary, limits)}
        )
        document = HTML(string=html, url_fetcher=fetcher).render()
        if len(document.pages) == 1:
            return document.write_pdf()
    # Not reached by any diary the tests know; the contract is one page, so say so and cut.
    logger.warning("summary PDF still ran to %d pages at the tightest limits", len(document.pages))
    return document.copy(document.pages[:1]).write_pdf()
