"""A tiny server-drawn SVG line of daily mean intensity, for the clinician's patient list."""

from __future__ import annotations

from collections.abc import Sequence

from django.utils.safestring import SafeString, mark_safe

WIDTH, HEIGHT, PAD = 112, 32, 3
LINE = "#0072B2"
BASE = "#d0d7de"


def svg_sparkline(values: Sequence[float | None], *, label: str) -> SafeString:
    """Daily means (0–10, None = not logged) as a line; gaps stay gaps, lone days are dots."""
    step = (WIDTH - 2 * PAD) / max(len(values) - 1, 1)
    scale = (HEIGHT - 2 * PAD) / 10
    floor = HEIGHT - PAD
    runs: list[list[str]] = [[]]
    for index, value in enumerate(values):
        if value is None:
            if runs[-1]:
                runs.append([])
            continue
        runs[-1].append(f"{PAD + step * index:.1f},{floor - scale * min(max(value, 0), 10):.1f}")
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" class="sparkline" viewBox="0 0 {WIDTH} {HEIGHT}"'
        f' width="{WIDTH}" height="{HEIGHT}" role="img" aria-label="{_attr(label)}">',
        f'<line x1="{PAD}" x2="{WIDTH - PAD}" y1="{floor}" y2="{floor}" stroke="{BASE}"/>',
    ]
    for run in runs:
        if len(run) == 1:
            cx, cy = run[0].split(",")
            parts.append(f'<circle cx="{cx}" cy="{cy}" r="1.8" fill="{LINE}"/>')
        elif run:
            parts.append(
                f'<polyline points="{" ".join(run)}" fill="none" stroke="{LINE}"'
                ' stroke-width="1.8" stroke-linejoin="round"/>'
            )
    parts.append("</svg>")
    return mark_safe("".join(parts))  # noqa: S308 - numbers and an escaped label  # nosec B308 B703


def _attr(text: str) -> str:
    return (
        text.replace("&", "&amp;").replace('"', "&quot;").replace("<", "&lt;").replace(">", "&gt;")
    )
