"""The single source of every code, label, level and root area in CONTRACT §3.

Codes are stable API; labels are for people. Forms, validation, the API, rules and
reports all read these tables; nothing else spells a code list out.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime, time


@dataclass(frozen=True)
class Term:
    code: str
    label: str


@dataclass(frozen=True)
class Region(Term):
    level: int
    roots: tuple[str, ...] = ()
    view: str = "leg"  # which body-map drawing shows it: back, leg or foot


@dataclass(frozen=True)
class PainType(Term):
    group: str  # nerve, muscle or other


@dataclass(frozen=True)
class Timing(Term):
    starts: time
    ends: time


@dataclass(frozen=True)
class RedFlag(Term):
    question: str
    severity: str  # emergency or urgent


LEVEL_LABELS: dict[int, str] = {
    0: "spine",
    1: "pelvis / hip",
    2: "thigh",
    3: "knee / lower leg",
    4: "ankle / heel",
    5: "foot / toes",
}

ROOT_AREAS: dict[str, tuple[str, ...]] = {
    "L4": ("thigh_front", "knee", "shin", "ankle_inner", "foot_inner_edge"),
    "L5": ("thigh_outer", "calf_outer", "foot_top", "big_toe"),
    "S1": ("thigh_back", "calf", "heel", "foot_sole", "foot_outer_edge", "small_toes"),
}


def _roots_of(code: str) -> tuple[str, ...]:
    return tuple(root for root, regions in ROOT_AREAS.items() if code in regions)


def _region(code: str, label: str, level: int, view: str) -> Region:
    return Region(code=code, label=label, level=level, roots=_roots_of(code), view=view)


REGIONS: tuple[Region, ...] = (
    _region("lower_back", "Lower back", 0, "back"),
    _region("buttock", "Buttock", 1, "back"),
    _region("hip", "Hip", 1, "leg"),
    _region("groin", "Groin", 1, "leg"),
    _region("saddle", "Saddle area (between the legs)", 1, "back"),
    _region("thigh_front", "Front of thigh", 2, "leg"),
    _region("thigh_back", "Back of thigh", 2, "back"),
    _region("thigh_outer", "Outer thigh", 2, "leg"),
    _region("knee", "Knee", 3, "leg"),
    _region("shin", "Shin", 3, "leg"),
    _region("calf", "Calf", 3, "back"),
    _region("calf_outer", "Outer calf", 3, "leg"),
    _region("ankle_inner", "Inner ankle", 4, "foot"),
    _region("ankle_outer", "Outer ankle", 4, "foot"),
    _region("heel", "Heel", 4, "foot"),
    _region("foot_top", "Top of foot", 5, "foot"),
    _region("foot_sole", "Sole of foot", 5, "foot"),
    _region("foot_inner_edge", "Inner edge of foot", 5, "foot"),
    _region("foot_outer_edge", "Outer edge of foot", 5, "foot"),
    _region("big_toe", "Big toe", 5, "foot"),
    _region("small_toes", "Small toes", 5, "foot"),
)

SIDES: tuple[Term, ...] = (
    Term("left", "Left"),
    Term("right", "Right"),
    Term("both", "Both sides"),
    Term("center", "Centre"),
)
CENTER_REGIONS: frozenset[str] = frozenset({"lower_back", "saddle"})

PAIN_TYPES: tuple[PainType, ...] = (
    PainType("burning", "Burning", "nerve"),
    PainType("tingling", "Tingling", "nerve"),
    PainType("pins_needles", "Pins and needles", "nerve"),
    PainType("electric", "Electric / shooting", "nerve"),
    PainType("numbness", "Numbness", "nerve"),
    PainType("painful_cold", "Painful cold", "nerve"),
    PainType("itching", "Itching", "nerve"),
    PainType("touch_pain", "Pain from light touch", "nerve"),
    PainType("aching", "Aching", "muscle"),
    PainType("sharp", "Sharp", "muscle"),
    PainType("throbbing", "Throbbing", "muscle"),
    PainType("stiffness", "Stiffness", "muscle"),
    PainType("cramping", "Cramping", "muscle"),
    PainType("weakness", "Weakness", "other"),
    PainType("heaviness", "Heaviness", "other"),
)
PAIN_TYPE_GROUP_LABELS: dict[str, str] = {
    "nerve": "Nerve-like",
    "muscle": "Muscle / joint-like",
    "other": "Other",
}

TIMINGS: tuple[Timing, ...] = (
    Timing("morning", "Morning (5–12)", time(5), time(12)),
    Timing("afternoon", "Afternoon (12–17)", time(12), time(17)),
    Timing("evening", "Evening (17–22)", time(17), time(22)),
    Timing("night", "Night (22–5)", time(22), time(5)),
)

ACTIVITIES: tuple[Term, ...] = (
    Term("lying_down", "Lying down"),
    Term("sitting", "Sitting"),
    Term("standing", "Standing"),
    Term("walking", "Walking"),
    Term("exercise", "Exercise"),
    Term("bending_lifting", "Bending / lifting"),
    Term("driving", "Driving"),
)
REST_ACTIVITIES: frozenset[str] = frozenset({"lying_down", "sitting"})

RED_FLAGS: tuple[RedFlag, ...] = (
    RedFlag(
        "saddle_numbness",
        "Saddle numbness",
        "Sudden loss of feeling in the groin or between the legs (the saddle area)?",
        "emergency",
    ),
    RedFlag(
        "bladder_bowel",
        "Loss of bladder or bowel control",
        "Loss of control of your bladder or bowels, or not feeling when you pass urine or stool?",
        "emergency",
    ),
    RedFlag(
        "sudden_weakness",
        "Sudden severe weakness",
        "Sudden, severe weakness in your leg or foot?",
        "emergency",
    ),
    RedFlag(
        "foot_drop",
        "Foot drop",
        "Cannot lift the front of your foot, so your toes drag or you trip?",
        "urgent",
    ),
    RedFlag(
        "toe_walk_difficulty",
        "Cannot rise onto tiptoes",
        "Cannot rise onto your tiptoes or raise your heel?",
        "urgent",
    ),
    RedFlag(
        "heel_walk_difficulty",
        "Cannot walk on heels",
        "Cannot walk on your heels?",
        "urgent",
    ),
)

CONTEXT_TAGS: tuple[Term, ...] = (
    Term("new_shoes", "New or ill-fitting shoes"),
    Term("recent_injury", "Recent injury"),
    Term("hip_injection_or_surgery", "Hip injection or surgery"),
    Term("long_sitting", "Long sitting"),
    Term("poor_sleep", "Poor sleep"),
)

REGION_BY_CODE: dict[str, Region] = {r.code: r for r in REGIONS}
PAIN_TYPE_BY_CODE: dict[str, PainType] = {p.code: p for p in PAIN_TYPES}
RED_FLAG_BY_CODE: dict[str, RedFlag] = {f.code: f for f in RED_FLAGS}
NERVE_PAIN_TYPES: frozenset[str] = frozenset(p.code for p in PAIN_TYPES if p.group == "nerve")
MUSCLE_PAIN_TYPES: frozenset[str] = frozenset(p.code for p in PAIN_TYPES if p.group == "muscle")
EMERGENCY_RED_FLAGS: frozenset[str] = frozenset(
    f.code for f in RED_FLAGS if f.severity == "emergency"
)
MOTOR_RED_FLAGS: frozenset[str] = frozenset(f.code for f in RED_FLAGS if f.severity == "urgent")
NIGHT_TIMINGS: frozenset[str] = frozenset({"evening", "night"})


def choices(terms: tuple[Term, ...]) -> list[tuple[str, str]]:
    """(code, label) pairs for Django model and form fields."""
    return [(t.code, t.label) for t in terms]


def codes(terms: tuple[Term, ...]) -> frozenset[str]:
    return frozenset(t.code for t in terms)


def labels(*term_lists: tuple[Term, ...]) -> dict[str, str]:
    """code -> label over one or more code lists, to turn stored codes into words."""
    return {t.code: t.label for terms in term_lists for t in terms}


def order(items: Iterable[Term | str]) -> dict[str, int]:
    """code -> position in a list of terms or codes, to sort codes the way the list has them."""
    return {getattr(item, "code", item): i for i, item in enumerate(items)}


def region_level(code: str) -> int:
    return REGION_BY_CODE[code].level


def timing_for(local: datetime) -> str:
    """The timing code for a wall-clock time already in the patient's zone."""
    hour = local.hour
    if 5 <= hour < 12:
        return "morning"
    if 12 <= hour < 17:
        return "afternoon"
    if 17 <= hour < 22:
        return "evening"
    return "night"


def side_allowed(region: str, side: str) -> bool:
    """`center` is only meaningful on the midline regions."""
    return side != "center" or region in CENTER_REGIONS


def as_api() -> dict[str, list[dict]]:
    """The whole vocabulary as `GET /api/vocabulary/` returns it."""

    def plain(terms: tuple[Term, ...]) -> list[dict]:
        return [{"code": t.code, "label": t.label} for t in terms]

    return {
        "regions": [
            {
                "code": r.code,
                "label": r.label,
                "level": r.level,
                "level_label": LEVEL_LABELS[r.level],
                "roots": list(r.roots),
            }
            for r in REGIONS
        ],
        "sides": plain(SIDES),
        "pain_types": [{"code": p.code, "label": p.label, "group": p.group} for p in PAIN_TYPES],
        "timings": [
            {
                "code": t.code,
                "label": t.label,
                "starts": t.starts.strftime("%H:%M"),
                "ends": t.ends.strftime("%H:%M"),
            }
            for t in TIMINGS
        ],
        "activities": [
            {"code": a.code, "label": a.label, "rest": a.code in REST_ACTIVITIES}
            for a in ACTIVITIES
        ],
        "red_flags": [
            {"code": f.code, "label": f.label, "question": f.question, "severity": f.severity}
            for f in RED_FLAGS
        ],
        "context": plain(CONTEXT_TAGS),
        "root_areas": [
            {"root": root, "label": f"Typical area of {root}", "regions": list(regions)}
            for root, regions in ROOT_AREAS.items()
        ],
    }
