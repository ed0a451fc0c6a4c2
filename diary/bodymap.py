"""The body map as data: stylised SVG shapes for every region and side, in three drawings.

Views follow `vocabulary.Region.view`: "back" (seen from behind), "leg" (the front, labelled
"Front"; "front" is accepted as an alias) and "foot" (a larger drawing: the top of both feet
and both soles as footprints). Every drawing puts the patient's left on the left: the back
is seen from behind and the front as you look down at yourself, so no view is mirrored.

Reuse (e.g. as a heat map in reports)::

    from diary.bodymap import bodymap_svg
    svg = bodymap_svg("foot", fills={("foot_sole", "left"): "#b3261e"},
                      titles={("foot_sole", "left"): "Sole of foot, left: 12 entries"},
                      label="Where the pain was, feet")
    # -> SafeString "<svg ...>...</svg>"; put it straight into a template.

`fills` maps (region, side) to any SVG paint; regions without a fill get the neutral
`EMPTY_FILL`. Side "both" is not drawn: callers add its count to left and right themselves.
`selected` (codes like "foot_sole:left") and `interactive=True` are for the logging form.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from django.utils.html import format_html, format_html_join
from django.utils.safestring import SafeString

from diary import vocabulary as vocab

WIDTH = 340
CENTER_X = WIDTH / 2
SIDE_LABELS = vocab.labels(vocab.SIDES)
# Presentation attributes so a map renders on its own (e-mail, PDF); diary.css overrides them.
EMPTY_FILL = "#e3e8ee"
BODY_FILL = "#c9d1d9"
GAP_STROKE = "#ffffff"
DETAIL_STROKE = "#8c959f"
TEXT_FILL = "#1b1f24"

# The side drawn on the left half of every view; the right side is its mirror image.
MIRROR = f"matrix(-1 0 0 1 {WIDTH} 0)"

Attrs = tuple[tuple[str, str], ...]
# Left to right as drawn, so the centre of the lower back sits between its sides in lists too.
SIDE_ORDER: dict[str, int] = {"left": 0, "center": 1, "right": 2, "both": 3}


@dataclass(frozen=True)
class Shape:
    """One drawn element: an SVG `path`, `ellipse` or `rect` with its geometry attributes."""

    element: str
    attrs: Attrs


@dataclass(frozen=True)
class RegionShape:
    """A tappable shape of one region and side; a region may have several (toes on top and sole)."""

    region: str
    side: str
    shape: Shape


@dataclass(frozen=True)
class Caption:
    x: float
    y: float
    text: str
    size: int = 14
    weight: str = "600"


@dataclass(frozen=True)
class View:
    """One drawing: non-tappable body parts, tappable region shapes, details and captions."""

    code: str
    label: str
    hint: str
    height: int
    body: tuple[Shape, ...]
    regions: tuple[RegionShape, ...]
    details: tuple[Shape, ...] = ()
    captions: tuple[Caption, ...] = ()


def _path(d: str) -> Shape:
    return Shape("path", (("d", d),))


def _ellipse(cx: float, cy: float, rx: float, ry: float) -> Shape:
    return Shape("ellipse", (("cx", str(cx)), ("cy", str(cy)), ("rx", str(rx)), ("ry", str(ry))))


def _mirrored(shape: Shape) -> Shape:
    return Shape(shape.element, (*shape.attrs, ("transform", MIRROR)))


def _pair(region: str, shape: Shape) -> tuple[RegionShape, RegionShape]:
    """The shape drawn for the left side and its mirror image for the right."""
    return (
        RegionShape(region, "left", shape),
        RegionShape(region, "right", _mirrored(shape)),
    )


def _both_halves(*shapes: Shape) -> tuple[Shape, ...]:
    return tuple(shapes) + tuple(_mirrored(s) for s in shapes)


def _side_captions(y: float, left_x: float) -> tuple[Caption, Caption]:
    return (Caption(left_x, y, "Left"), Caption(WIDTH - left_x, y, "Right"))


# Back, seen from behind: waist to heels. Drawing order is paint order (later on top).
BACK = View(
    code="back",
    label="Back",
    hint="Seen from behind",
    height=520,
    body=_both_halves(
        # Hollow of the knee and the ankle with heel: not regions of their own here.
        _path("M84,326 H160 L158,364 H88 Z"),
        _path("M104,440 H150 L152,470 Q152,482 138,482 H108 Q98,482 100,470 Z"),
    ),
    regions=(
        *_pair("thigh_back", _path("M58,176 H166 L160,336 H84 Q76,252 58,176 Z")),
        *_pair("calf", _path("M86,356 H160 Q166,404 150,448 H104 Q78,404 86,356 Z")),
        *_pair("lower_back", _path("M144,12 H86 Q72,12 70,28 L58,106 H144 Z")),
        RegionShape(
            "lower_back",
            "center",
            Shape(
                "rect",
                (
                    ("x", "144"),
                    ("y", "12"),
                    ("width", "52"),
                    ("height", "94"),
                ),
            ),
        ),
        *_pair(
            "buttock",
            _path(
                "M58,106 H168 V150 Q156,158 150,172 Q140,208 106,208 Q60,208 56,166"
                " Q54,130 58,106 Z"
            ),
        ),
        RegionShape(
            "saddle",
            "center",
            _path("M144,168 Q170,150 196,168 V200 Q196,230 170,230 Q144,230 144,200 Z"),
        ),
    ),
    details=(
        # The spine, so the centre of the lower back reads as the spine.
        _path("M170,20 V98"),
    ),
    captions=_side_captions(512, 128),
)

# Front, as you look down at yourself: hips to feet, left on the left.
LEG = View(
    code="leg",
    label="Front",
    hint="Front of hips and legs",
    height=520,
    body=(
        _path("M90,12 H250 Q264,12 266,28 L282,150 H58 L74,28 Q76,12 90,12 Z"),
        *_both_halves(
            _path("M98,456 H148 Q156,476 152,490 Q150,498 140,498 H100 Q86,498 88,484 Z")
        ),
    ),
    regions=(
        *_pair("thigh_outer", _path("M58,162 L106,150 L120,318 H84 Q62,240 58,162 Z")),
        *_pair("thigh_front", _path("M106,130 L168,174 L162,318 H120 Z")),
        *_pair("calf_outer", _path("M80,352 H120 V460 H98 Q74,408 80,352 Z")),
        *_pair("shin", _path("M120,352 H162 Q168,408 148,460 H120 Z")),
        *_pair("knee", _ellipse(122, 336, 42, 28)),
        *_pair("hip", _path("M62,52 Q70,34 90,32 L106,36 V150 L58,162 Q50,104 62,52 Z")),
        *_pair("groin", _path("M106,92 L168,136 V174 L106,130 Z")),
    ),
    captions=_side_captions(512, 124),
)

# Feet: the tops as you look down at them, the soles as footprints; big toes inside.
_SOLE_DY = 300


def _dorsal() -> tuple[tuple[str, Shape], ...]:
    return (
        ("foot_outer_edge", _path("M14,104 H50 L54,208 H30 Q12,160 14,104 Z")),
        ("foot_inner_edge", _path("M114,104 H154 Q160,156 140,208 H116 Z")),
        ("foot_top", _path("M50,104 H114 L116,208 H54 Z")),
        (
            "small_toes",
            _path(
                "M14,106 L16,86 Q18,70 28,70 Q36,70 38,78 V66 Q40,54 48,54 Q56,54 58,62 V54"
                " Q60,42 69,42 Q78,42 80,50 V44 Q82,34 92,34 Q103,34 104,46 V106 Z"
            ),
        ),
        ("big_toe", _ellipse(130, 70, 25, 34)),
        ("ankle_outer", _ellipse(44, 240, 24, 26)),
        ("ankle_inner", _ellipse(126, 232, 24, 26)),
    )


def _plantar() -> tuple[tuple[str, Shape], ...]:
    dy = _SOLE_DY
    return (
        (
            "foot_sole",
            _path(
                f"M22,{dy + 112} Q30,{dy + 96} 80,{dy + 96} Q140,{dy + 96} 152,{dy + 120}"
                f" Q160,{dy + 140} 142,{dy + 162} Q124,{dy + 188} 114,{dy + 212} H46"
                f" Q36,{dy + 176} 24,{dy + 148} Q16,{dy + 128} 22,{dy + 112} Z"
            ),
        ),
        ("heel", _ellipse(80, dy + 242, 37, 34)),
        ("big_toe", _ellipse(130, dy + 66, 23, 30)),
        ("small_toes", _ellipse(89, dy + 58, 12, 19)),
        ("small_toes", _ellipse(64, dy + 66, 11, 17)),
        ("small_toes", _ellipse(42, dy + 76, 10, 15)),
        ("small_toes", _ellipse(24, dy + 90, 9, 13)),
    )


FOOT = View(
    code="foot",
    label="Feet",
    hint="Tops of your feet, and your soles as footprints",
    height=600,
    body=_both_halves(
        # The leg above the ankle, between the ankle bones.
        _path("M56,208 H116 L112,282 H60 Z"),
    ),
    regions=tuple(rs for region, shape in (*_dorsal(), *_plantar()) for rs in _pair(region, shape)),
    captions=(
        Caption(CENTER_X, 18, "Tops", 13, "400"),
        *_side_captions(298, 84),
        Caption(CENTER_X, _SOLE_DY + 24, "Soles", 13, "400"),
        *_side_captions(_SOLE_DY + 290, 84),
    ),
)

VIEWS: dict[str, View] = {view.code: view for view in (BACK, LEG, FOOT)}
VIEW_ALIASES: dict[str, str] = {"front": "leg", "feet": "foot"}


def get_view(code: str) -> View:
    """The drawing for a view code ("back", "leg"/"front", "foot")."""
    return VIEWS[VIEW_ALIASES.get(code, code)]


def location_code(region: str, side: str) -> str:
    """The form value of a location, e.g. "foot_sole:left"."""
    return f"{region}:{side}"


def location_label(region: str, side: str) -> str:
    """A location in words, e.g. "Sole of foot, left"."""
    side_label = SIDE_LABELS[side].lower()
    return f"{vocab.REGION_BY_CODE[region].label}, {side_label}"


def view_locations(code: str) -> list[tuple[str, str]]:
    """The (region, side) pairs a view offers, in vocabulary order, then left to right."""
    view = get_view(code)
    drawn = {(rs.region, rs.side) for rs in view.regions}
    region_order = [r.code for r in vocab.REGIONS]
    return sorted(drawn, key=lambda pair: (region_order.index(pair[0]), SIDE_ORDER[pair[1]]))


def _attrs(attrs: Iterable[tuple[str, str]]) -> SafeString:
    return format_html_join("", ' {}="{}"', attrs)


def _element(shape: Shape, extra: Iterable[tuple[str, str]], title: str = "") -> SafeString:
    inner = format_html("<title>{}</title>", title) if title else ""
    return format_html(
        "<{}{}{}>{}</{}>",
        shape.element,
        _attrs(shape.attrs),
        _attrs(extra),
        inner,
        shape.element,
    )


def bodymap_svg(
    view: str,
    fills: Mapping[tuple[str, str], str] | None = None,
    *,
    selected: Iterable[str] = (),
    interactive: bool = False,
    titles: Mapping[tuple[str, str], str] | None = None,
    label: str | None = None,
) -> SafeString:
    """Render one view as an inline SVG string.

    fills: (region, side) -> SVG paint for a heat map; others get EMPTY_FILL.
    selected: location codes ("foot_sole:left") drawn as chosen (class `is-selected`).
    interactive: adds `data-loc` to each region shape so static/js/log.js can toggle it.
    titles: (region, side) -> tooltip text. label: an accessible name; without one the
    drawing is hidden from assistive technology (the form offers labelled checkboxes).
    """
    spec = get_view(view)
    fills = fills or {}
    titles = titles or {}
    chosen = set(selected)
    parts: list[SafeString] = []
    for shape in spec.body:
        parts.append(_element(shape, (("class", "bm-body"), ("fill", BODY_FILL))))
    for rs in spec.regions:
        key = (rs.region, rs.side)
        code = location_code(*key)
        classes = ["bm-region", "bm-filled" if key in fills else "bm-empty"]
        if code in chosen:
            classes.append("is-selected")
        extra = [
            ("class", " ".join(classes)),
            ("fill", fills.get(key, EMPTY_FILL)),
            ("stroke", GAP_STROKE),
            ("stroke-width", "3"),
            ("stroke-linejoin", "round"),
        ]
        if interactive:
            extra.append(("data-loc", code))
        parts.append(_element(rs.shape, extra, titles.get(key, "")))
    for shape in spec.details:
        parts.append(
            _element(
                shape,
                (
                    ("class", "bm-detail"),
                    ("fill", "none"),
                    ("stroke", DETAIL_STROKE),
                    ("stroke-width", "1.5"),
                    ("stroke-linecap", "round"),
                    # Drawn over the regions, so taps must fall through to them.
                    ("pointer-events", "none"),
                ),
            )
        )
    for caption in spec.captions:
        parts.append(
            format_html(
                '<text class="bm-caption" x="{}" y="{}" font-size="{}" font-weight="{}"'
                ' text-anchor="middle" font-family="system-ui, sans-serif" fill="{}"'
                ' pointer-events="none">{}</text>',
                caption.x,
                caption.y,
                caption.size,
                caption.weight,
                TEXT_FILL,
                caption.text,
            )
        )
    if label:
        a11y = format_html(' role="img" aria-label="{}"', label)
    else:
        a11y = format_html(' aria-hidden="{}" focusable="{}"', "true", "false")
    return format_html(
        '<svg xmlns="http://www.w3.org/2000/svg" class="bodymap bodymap-{}" viewBox="0 0 {} {}"'
        ' width="{}" height="{}"{}>{}</svg>',
        spec.code,
        WIDTH,
        spec.height,
        WIDTH,
        spec.height,
        a11y,
        format_html_join("", "{}", ((part,) for part in parts)),
    )


def all_locations() -> list[tuple[str, str]]:
    """Every drawn (region, side) pair across the views."""
    return [pair for code in VIEWS for pair in view_locations(code)]


__all__ = [
    "EMPTY_FILL",
    "VIEWS",
    "View",
    "all_locations",
    "bodymap_svg",
    "get_view",
    "location_code",
    "location_label",
    "view_locations",
]
