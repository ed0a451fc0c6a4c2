"""The breakdown charts (regions, kinds of pain, activity, furthest point) drawn as plain SVG.

They stand in for the Plotly charts of `reports.figures.breakdown` and `figure_distal_level`
until (or without) JavaScript: drawn at the phone width and at exactly the Plotly chart's
height, so the box keeps its size when Plotly takes over, and in the Plotly charts' colours.
Each drawing is one `role="img"` named by its `<title>`; the numbers themselves reach screen
readers through the visually hidden table that `reports.figure_fallbacks` puts beside it.
"""

from __future__ import annotations

import math
import textwrap
from collections import Counter
from collections.abc import Sequence
from statistics import median
from xml.sax.saxutils import escape

from django.utils.safestring import SafeString, mark_safe

from core.text import format_short_day
from diary import vocabulary as vocab
from reports.figures.style import (
    ACTIVITY_LABEL,
    COLOURS,
    GRID,
    GROUP_COLOURS,
    INK,
    SIDE_COLOURS,
    TITLES,
)
from reports.pdf import svg_open
from reports.series import (
    ActivityIntensities,
    DistalPoint,
    RegionCount,
    WeeklyComposition,
)

WIDTH = 360
PAD = 8  # Plotly's side margins
TOP = 40  # room for the title, as Plotly's top margin
FONT = 11
CHAR = 0.58  # an average character's width in em, a little generous for system fonts
GROUPS = ("nerve", "muscle", "other")  # bottom to top, as Plotly stacks the traces
SIDE_LABEL = vocab.labels(vocab.SIDES)


def count_ticks(most: int) -> list[int]:
    """Whole-number ticks from zero past `most`: about five, never a fraction of an entry."""
    step = next(s for s in (1, 2, 5, 10, 20, 50, 100, 200, 500, 1000) if s * 5 >= most or s == 1000)
    top = max(step, step * math.ceil(most / step))
    return list(range(0, top + 1, step))


def text_width(text: str, size: float = FONT) -> float:
    """About how wide `text` is drawn at `size` px: enough to keep labels clear of the bars."""
    return len(text) * size * CHAR


def _text(x: float, y: float, text: str, *, size: float = FONT, anchor: str = "start") -> str:
    return (
        f'<text x="{x:.1f}" y="{y:.1f}" font-size="{size:g}" text-anchor="{anchor}" '
        f'fill="{INK}">{escape(text)}</text>'
    )


def _title(slug: str) -> str:
    # Drawn where Plotly draws its title, so the chart reads the same before and after.
    return f'<text x="{PAD}" y="25" font-size="15" fill="{INK}">{escape(TITLES[slug])}</text>'


def _close(parts: list[str]) -> SafeString:
    parts.append("</svg>")
    return mark_safe("".join(parts))  # noqa: S308 - numbers, fixed and escaped text  # nosec B308 B703


def _key(items: Sequence[tuple[str, str]], *, x: float, y: float) -> tuple[list[str], float]:
    """A one-row colour key (a swatch and its label per item, left to right) and where it ends."""
    parts = []
    for label, colour in items:
        parts.append(
            f'<rect x="{x:.1f}" y="{y - 9:.1f}" width="10" height="10" fill="{colour}"/>'
            + _text(x + 14, y, label)
        )
        x += 14 + text_width(label) + 12
    return parts, x


def _label_lines(label: str, room: float, size: float, rows_fit: int) -> list[str]:
    if text_width(label, size) <= room or rows_fit < 2:
        return [label]
    lines = textwrap.wrap(label, max(8, int(room / (size * CHAR))))
    # More than two lines would crowd the row: one squeezed line instead, never a cut label.
    return lines if len(lines) <= 2 else [label]


def _bars(
    parts: list[str],
    rows: Sequence[tuple[str, int, str]],
    *,
    width: int,
    height: int,
    axis_title: str,
) -> None:
    """Horizontal bars, one per row (label, count, colour), top to bottom, count at bar end."""
    bottom = height - 34  # tick labels and the axis title below the bars
    row_h = (bottom - TOP) / len(rows)
    # Many rows share the height Plotly grows with them: the text shrinks rather than overlap.
    size = max(7.0, min(FONT, row_h - 3))
    bar_h = min(18.0, row_h * 0.7)
    room = min(max(text_width(label, size) for label, _, _ in rows), 180.0)
    left = PAD + room + 6
    ticks = count_ticks(max(count for _, count, _ in rows))
    right = width - PAD - text_width(str(ticks[-1]), size) - 4

    def x(value: float) -> float:
        return left + (right - left) * value / ticks[-1]

    for tick in ticks:
        parts.append(
            f'<line x1="{x(tick):.1f}" x2="{x(tick):.1f}" y1="{TOP}" y2="{bottom}" '
            f'stroke="{GRID}" stroke-width="1"/>'
            + _text(x(tick), bottom + 14, str(tick), anchor="middle")
        )
    parts.append(_text((left + right) / 2, height - 6, axis_title, anchor="middle"))
    for index, (label, count, colour) in enumerate(rows):
        middle = TOP + row_h * (index + 0.5)
        lines = _label_lines(label, room, size, int(row_h // (size + 1)))
        if len(lines) == 1 and text_width(label, size) > room:
            # Too long for its column and no room for a second line: squeeze, never overlap.
            parts.append(
                f'<text x="{PAD}" y="{middle + size / 3:.1f}" font-size="{size:g}" '
                f'textLength="{room:.1f}" lengthAdjust="spacingAndGlyphs" '
                f'fill="{INK}">{escape(label)}</text>'
            )
        else:
            first = middle + size / 3 - (len(lines) - 1) * (size + 1) / 2
            for line_no, line in enumerate(lines):
                parts.append(_text(PAD, first + line_no * (size + 1), line, size=size))
        parts.append(
            f'<rect class="bar" x="{left:.1f}" y="{middle - bar_h / 2:.1f}" '
            f'width="{x(count) - left:.1f}" height="{bar_h:.1f}" fill="{colour}"/>'
            + _text(x(count) + 3, middle + size / 3, str(count), size=size)
        )


def svg_regions(
    regions: Sequence[RegionCount], *, height: int, title_id: str, title: str, width: int = WIDTH
) -> SafeString:
    """Entries per place and side as horizontal bars, spine first, count at each bar's end."""
    parts = svg_open(width, height, title_id, title)
    parts.append(_title("regions"))
    rows = [
        (
            f"{vocab.REGION_BY_CODE[r.region].label}, {SIDE_LABEL[r.side].lower()}",
            r.count,
            SIDE_COLOURS[r.side],
        )
        for r in regions
    ]
    if rows:
        _bars(parts, rows, width=width, height=height, axis_title="Entries")
    return _close(parts)


def svg_distal_level(
    distal: Sequence[DistalPoint], *, height: int, title_id: str, title: str, width: int = WIDTH
) -> SafeString:
    """Days per furthest level reached, every level from the spine down to the toes."""
    parts = svg_open(width, height, title_id, title)
    parts.append(_title("distal-level"))
    if distal:
        days = Counter(p.level for p in distal)
        rows = [
            (label, days[level], COLOURS["distal"])
            for level, label in sorted(vocab.LEVEL_LABELS.items())
        ]
        _bars(parts, rows, width=width, height=height, axis_title="Days")
    return _close(parts)


def svg_pain_types(
    weeks: Sequence[WeeklyComposition],
    *,
    height: int,
    title_id: str,
    title: str,
    width: int = WIDTH,
) -> SafeString:
    """Pain-type words chosen each week, stacked nerve-like, muscle-like, other, with a key."""
    parts = svg_open(width, height, title_id, title)
    parts.append(_title("pain-types"))
    most = max((w.total for w in weeks), default=0)
    if most:
        ticks = count_ticks(most)
        left, right, bottom = PAD + text_width(str(ticks[-1])) + 6, width - PAD, height - 44
        col_w = (right - left) / len(weeks)

        def y(value: float) -> float:
            return bottom - (bottom - TOP) * value / ticks[-1]

        for tick in ticks:
            parts.append(
                f'<line x1="{left:.1f}" x2="{right}" y1="{y(tick):.1f}" y2="{y(tick):.1f}" '
                f'stroke="{GRID}" stroke-width="1"/>'
                + _text(left - 4, y(tick) + 4, str(tick), anchor="end")
            )
        bar_w = col_w * 0.7
        for index, week in enumerate(weeks):
            x = left + col_w * index + (col_w - bar_w) / 2
            base = 0
            for group in GROUPS:
                value = getattr(week, group)
                if value:
                    parts.append(
                        f'<rect class="bar" data-week="{week.week_start.isoformat()}" '
                        f'x="{x:.2f}" y="{y(base + value):.2f}" width="{bar_w:.2f}" '
                        f'height="{y(base) - y(base + value):.2f}" fill="{GROUP_COLOURS[group]}"/>'
                    )
                    base += value
        # At most six week labels, never closer than a label's width (~48 px at this size).
        step = max(1, round(len(weeks) / 6), math.ceil(48 / col_w))
        for index in range(0, len(weeks), step):
            parts.append(
                _text(
                    left + col_w * (index + 0.5),
                    bottom + 14,
                    format_short_day(weeks[index].week_start),
                    anchor="middle",
                )
            )
        key, _ = _key(
            [(vocab.PAIN_TYPE_GROUP_LABELS[g], GROUP_COLOURS[g]) for g in GROUPS],
            x=PAD,
            y=height - 8,
        )
        parts.extend(key)
    return _close(parts)


def svg_activity(
    activities: Sequence[ActivityIntensities],
    *,
    height: int,
    title_id: str,
    title: str,
    width: int = WIDTH,
) -> SafeString:
    """Per activity the range of intensities (a line, lowest to highest) and its median (a dot)."""
    parts = svg_open(width, height, title_id, title)
    parts.append(_title("activity"))
    found = [a for a in activities if a.values]
    if found:
        labels = [ACTIVITY_LABEL[a.activity] for a in found]
        left = PAD + max(text_width(label) for label in labels) + 8
        right, bottom = width - PAD - 6, height - 48
        row_h = (bottom - TOP) / len(found)

        def x(value: float) -> float:
            return left + (right - left) * value / 10

        for value in range(0, 11, 2):
            parts.append(
                f'<line x1="{x(value):.1f}" x2="{x(value):.1f}" y1="{TOP}" y2="{bottom}" '
                f'stroke="{GRID}" stroke-width="1"/>'
                + _text(x(value), bottom + 14, str(value), anchor="middle")
            )
        for index, (item, label) in enumerate(zip(found, labels, strict=True)):
            # Rest vs movement colours, as the Plotly chart: the contrast DOMAIN's passage is about.
            colour = COLOURS["rest" if item.activity in vocab.REST_ACTIVITIES else "active"]
            middle = TOP + row_h * (index + 0.5)
            low, high, mid = min(item.values), max(item.values), median(item.values)
            parts.append(
                _text(PAD, middle + 4, label)
                + f'<line class="range" x1="{x(low):.1f}" x2="{x(high):.1f}" y1="{middle:.1f}" '
                f'y2="{middle:.1f}" stroke="{colour}" stroke-width="5" stroke-linecap="round"/>'
                # Filled in the activity's colour: a range of one value is only this dot.
                f'<circle class="median" cx="{x(mid):.1f}" cy="{middle:.1f}" r="6" '
                f'fill="{colour}" stroke="{INK}" stroke-width="1.5"/>'
            )
        key, end = _key(
            [("At rest", COLOURS["rest"]), ("Moving or upright", COLOURS["active"])],
            x=PAD,
            y=height - 8,
        )
        parts.extend(key)
        parts.append(
            f'<circle cx="{end + 5:.1f}" cy="{height - 12}" r="5" fill="white" stroke="{INK}" '
            'stroke-width="1.5"/>' + _text(end + 14, height - 8, "Median")
        )
    return _close(parts)
