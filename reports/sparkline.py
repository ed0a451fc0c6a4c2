"""A tiny server-drawn SVG line of daily mean intensity, for the clinician's patient list."""

from __future__ import annotations

from collections.abc import Sequence

from django.utils.safestring import SafeString, mark_safe

WIDTH, HEIGHT, PAD = 112, 32, 3
LINE = "#0072B2"
BASE = "#d0d7de"


def svg_sparkline(values: Sequence[float | None], *, label: str) -> SafeString:
    """Daily means (0–10, None = not logged) as a line; gaps stay gaps, lone days are dots."""
    count = max(len(values), 2)

    def x(index: int) -> float:
        return PAD + (WIDTH - 2 * PAD) * index / (count - 1)

    def y(value: float) -> float:
        return PAD + (HEIGHT - 2 * PAD) * (1 - min(max(value, 0.0), 10.0) / 10)

    runs: list[list[tuple[float, float]]] = [[]]
    for index, value in enumerate(values):
        if value is None:
            if runs[-1]:
                runs.append([])
            continue
        runs[-1].append((x(index), y(value)))
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" class="sparkline" viewBox="0 0 {WIDTH} {HEIGHT}"'
        f' width="{WIDTH}" height="{HEIGHT}" role="img" aria-label="{_attr(label)}">',
        f'<line x1="{PAD}" x2="{WIDTH - PAD}" y1="{y(0):.1f}" y2="{y(0):.1f}" stroke="{BASE}"/>',
    ]
    for run in runs:
        if len(run) == 1:
            (cx, cy) = run[0]
            parts.append(f'<circle cx="{cx:.1f}" cy="{cy:.1f}" r="1.8" fill="{LINE}"/>')
        elif run:
            points = " ".join(f"{px:.1f},{py:.1f}" for px, py in run)
            parts.append(
                f'<polyline points="{points}" fill="none" stroke="{LINE}" stroke-width="1.8"'
                ' stroke-linejoin="round"/>'
            )
    parts.append("</svg>")
    return mark_safe("".join(parts))  # noqa: S308 - numbers and an escaped label  # nosec B308 B703


def _attr(text: str) -> str:
    return (
        text.replace("&", "&amp;").replace('"', "&quot;").replace("<", "&lt;").replace(">", "&gt;")
    )
