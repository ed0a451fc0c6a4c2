"""Draw the app icons (a foot sole with toes on the accent blue) into static/icons/.

Run once after changing the drawing: `.venv/bin/python scripts/make_icons.py`. The PNGs and
favicon.ico are committed, so the app itself never needs Pillow.
"""

from __future__ import annotations

from pathlib import Path

from PIL import Image, ImageDraw

OUT = Path(__file__).resolve().parent.parent / "static" / "icons"
ACCENT = (11, 87, 208, 255)  # --accent in static/css/app.css
WHITE = (255, 255, 255, 255)
SCALE = 4  # draw large, shrink smoothly


def _foot(draw: ImageDraw.ImageDraw, box: tuple[float, float, float, float]) -> None:
    """A left foot's sole and five toes inside box (x0, y0, x1, y1)."""
    x0, y0, x1, y1 = box
    w, h = x1 - x0, y1 - y0
    draw.ellipse((x0 + 0.22 * w, y0 + 0.28 * h, x0 + 0.78 * w, y0 + 0.98 * h), fill=WHITE)
    toes = [
        (0.30, 0.14, 0.085),
        (0.45, 0.08, 0.07),
        (0.58, 0.10, 0.06),
        (0.69, 0.15, 0.052),
        (0.78, 0.23, 0.045),
    ]
    for cx, cy, r in toes:
        draw.ellipse(
            (x0 + (cx - r) * w, y0 + (cy - r) * w, x0 + (cx + r) * w, y0 + (cy + r) * w),
            fill=WHITE,
        )


def icon(size: int, *, maskable: bool) -> Image.Image:
    big = size * SCALE
    image = Image.new("RGBA", (big, big), (0, 0, 0, 0))
    draw = ImageDraw.Draw(image)
    if maskable:
        # Full bleed; the drawing stays inside the central 80 % safe zone.
        draw.rectangle((0, 0, big, big), fill=ACCENT)
        margin = big * 0.26
    else:
        draw.rounded_rectangle((0, 0, big - 1, big - 1), radius=big * 0.22, fill=ACCENT)
        margin = big * 0.16
    _foot(draw, (margin, margin, big - margin, big - margin))
    return image.resize((size, size), Image.LANCZOS)


def main() -> None:
    OUT.mkdir(parents=True, exist_ok=True)
    for size in (192, 512):
        icon(size, maskable=False).save(OUT / f"icon-{size}.png", optimize=True)
    icon(512, maskable=True).save(OUT / "icon-maskable-512.png", optimize=True)
    icon(180, maskable=True).convert("RGB").save(OUT / "apple-touch-icon.png", optimize=True)
    icon(48, maskable=False).save(OUT / "favicon.ico", sizes=[(16, 16), (32, 32), (48, 48)])


if __name__ == "__main__":
    main()
