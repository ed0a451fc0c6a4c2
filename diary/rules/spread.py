"""Where the symptoms are: spreading down the leg, on both sides, or in the foot alone.

Only entries with intensity >= 1 count here: a 0/10 entry records the absence of pain, so its
locations are not symptoms. Regions are compared by code, whatever the side.

Interpretations of CONTRACT §5:
- `spreading_symptoms`: window 28 days. The "first 7 days" are the first 7 days of the window
  (as_of-27 .. as_of-21), the "latest 7 days" are as_of-6 .. as_of; both weeks need at least one
  entry with a location. Raised when the most distal level of the latest week is >= that of the
  first week + 2, or when >= 3 regions of the latest week never appear in the first week.
  Evidence: the latest-week entries that reach that far down or name a new region.
- `bilateral_symptoms`: leg/foot means level >= 2. Over the last 14 days, raised when leg/foot
  locations are on the left on >= 2 distinct days and on the right on >= 2 distinct days; side
  `both` counts for each, so the same day or alternating days qualify alike, and both legs from
  the first entry count. Evidence: the entries with leg/foot locations on either side.
- `local_foot_pattern`: window 14 days, >= 5 entries with a location of level >= 4, no entry
  with any location of level <= 3 (back, hip and leg pain all count against it) and no entry of
  the window (whatever its intensity) carrying a motor sign. When at least half of the foot
  entries name a nerve-like pain type, the text names nerve trapping at the foot or ankle.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, timedelta

from diary.vocabulary import LEVEL_LABELS, NERVE_PAIN_TYPES, REGIONS, region_level

from .base import (
    INFO,
    WARNING,
    EntrySnapshot,
    Finding,
    Rule,
    Voice,
    format_period,
    in_window,
    is_painful,
    plural,
    window_start,
)
from .signs import motor_sign

SPREAD_WINDOW_DAYS = 28
SPREAD_WEEK_DAYS = 7
SPREAD_MIN_LEVEL_INCREASE = 2
SPREAD_MIN_NEW_REGIONS = 3

LEG_FOOT_MIN_LEVEL = 2
BILATERAL_WINDOW_DAYS = 14
BILATERAL_MIN_DAYS_PER_SIDE = 2

LOCAL_FOOT_WINDOW_DAYS = 14
FOOT_ANKLE_MIN_LEVEL = 4
LOCAL_FOOT_MIN_ENTRIES = 5

CHANGING_SOURCE = "Patient guide: Bilateral and changing symptoms"
LOCAL_FOOT_SOURCE = "Patient guide: Foot pain without leg pain"
LOCAL_FOOT_NERVE_SOURCE = (
    "Patient guide: Foot pain without leg pain; Nerve entrapment outside the spine"
)

LEFT_AND_RIGHT = frozenset({"left", "right"})


def _max_level(entry: EntrySnapshot) -> int:
    return max(region_level(loc.region) for loc in entry.locations)


def _region_labels(codes: set[str]) -> str:
    """Region labels in vocabulary order, so the same diary always reads the same way."""
    return ", ".join(r.label.lower() for r in REGIONS if r.code in codes)


def spreading_symptoms(entries: Sequence[EntrySnapshot], as_of: date) -> Finding | None:
    """Symptoms reach 2 levels further down the leg, or 3 new regions, than 3 weeks earlier."""
    first_end = window_start(as_of, SPREAD_WINDOW_DAYS) + timedelta(days=SPREAD_WEEK_DAYS - 1)
    latest_start = window_start(as_of, SPREAD_WEEK_DAYS)
    first: list[EntrySnapshot] = []
    latest: list[EntrySnapshot] = []
    for entry in in_window(entries, as_of, SPREAD_WINDOW_DAYS):
        if not (is_painful(entry) and entry.locations):
            continue
        if entry.local_date <= first_end:
            first.append(entry)
        elif entry.local_date >= latest_start:
            latest.append(entry)
    if not first or not latest:
        return None
    first_regions = {loc.region for e in first for loc in e.locations}
    latest_regions = {loc.region for e in latest for loc in e.locations}
    first_level = max(region_level(code) for code in first_regions)
    latest_level = max(region_level(code) for code in latest_regions)
    new_regions = latest_regions - first_regions
    moved_down = latest_level >= first_level + SPREAD_MIN_LEVEL_INCREASE
    widened = len(new_regions) >= SPREAD_MIN_NEW_REGIONS
    if not (moved_down or widened):
        return None

    first_period = format_period(window_start(as_of, SPREAD_WINDOW_DAYS), first_end)
    latest_period = format_period(latest_start, as_of)

    def text(v: Voice) -> str:
        sentences = []
        if moved_down:
            sentences.append(
                f"In the first week of the last {SPREAD_WINDOW_DAYS} days ({first_period}) the "
                f"furthest down {v.your} symptoms reached was the {LEVEL_LABELS[first_level]}; "
                f"in the latest week ({latest_period}) they reached the "
                f"{LEVEL_LABELS[latest_level]}."
            )
        if widened and moved_down:
            sentences.append(
                f"The latest week also has {len(new_regions)} areas that the first week did not "
                f"have: {_region_labels(new_regions)}."
            )
        elif widened:
            sentences.append(
                f"The latest week ({latest_period}) has {len(new_regions)} areas that the first "
                f"week of the last {SPREAD_WINDOW_DAYS} days ({first_period}) did not have: "
                f"{_region_labels(new_regions)}."
            )
        sentences.append(
            "Symptoms that spread further down the leg or into new areas are worth having "
            "evaluated by a health professional."
        )
        return " ".join(sentences)

    evidence = [
        e
        for e in latest
        if (moved_down and _max_level(e) >= first_level + SPREAD_MIN_LEVEL_INCREASE)
        or (widened and any(loc.region in new_regions for loc in e.locations))
    ]
    return SPREADING_SYMPTOMS.finding(
        title="Symptoms spreading further down the leg or to new areas",
        explanation=text,
        source=CHANGING_SOURCE,
        evidence=evidence,
    )


def _leg_foot_sides(entry: EntrySnapshot) -> set[str]:
    """Left and/or right, for the entry's locations on the thigh, lower leg or foot."""
    sides: set[str] = set()
    for loc in entry.locations:
        if region_level(loc.region) < LEG_FOOT_MIN_LEVEL:
            continue
        if loc.side == "both":
            sides |= LEFT_AND_RIGHT
        elif loc.side in LEFT_AND_RIGHT:
            sides.add(loc.side)
    return sides


def bilateral_symptoms(entries: Sequence[EntrySnapshot], as_of: date) -> Finding | None:
    """Leg or foot symptoms on the left on >= 2 days and on the right on >= 2 days lately."""
    days_by_side: dict[str, set[date]] = {"left": set(), "right": set()}
    evidence: list[EntrySnapshot] = []
    for entry in in_window(entries, as_of, BILATERAL_WINDOW_DAYS):
        sides = _leg_foot_sides(entry) if is_painful(entry) else set()
        for side in sides:
            days_by_side[side].add(entry.local_date)
        if sides:
            evidence.append(entry)
    left, right = days_by_side["left"], days_by_side["right"]
    if len(left) < BILATERAL_MIN_DAYS_PER_SIDE or len(right) < BILATERAL_MIN_DAYS_PER_SIDE:
        return None
    same_days = left & right

    def text(v: Voice) -> str:
        together = (
            f", {plural(len(same_days), 'day', 'days')} of them with both sides"
            if same_days
            else ""
        )
        return (
            f"Over the last {BILATERAL_WINDOW_DAYS} days {v.you} logged leg or foot symptoms on "
            f"the left on {plural(len(left), 'day', 'days')} and on the right on "
            f"{plural(len(right), 'day', 'days')}{together}. Patient guides say symptoms in both "
            "legs, or that shift from side to side, are less typical of a single pinched nerve "
            "(narrowing of the spinal canal is the exception) and deserve an evaluation by a "
            "health professional. "
            + v.pick(
                "If you also have numbness between the legs, problems controlling your bladder "
                "or bowels, or weakness in both legs, seek emergency medical care now.",
                "Numbness between the legs, loss of bladder or bowel control, or weakness in "
                "both legs with this would need emergency care.",
            )
        )

    return BILATERAL_SYMPTOMS.finding(
        title="Leg or foot symptoms on both sides",
        explanation=text,
        source=CHANGING_SOURCE,
        evidence=evidence,
    )


def local_foot_pattern(entries: Sequence[EntrySnapshot], as_of: date) -> Finding | None:
    """At least 5 entries of ankle or foot pain in 14 days, no back or leg pain, no motor sign."""
    window = in_window(entries, as_of, LOCAL_FOOT_WINDOW_DAYS)
    if any(motor_sign(entry) for entry in window):
        return None  # weakness is not "a local foot problem": motor_weakness speaks instead
    foot: list[EntrySnapshot] = []
    for entry in window:
        if not (is_painful(entry) and entry.locations):
            continue
        levels = [region_level(loc.region) for loc in entry.locations]
        if min(levels) < FOOT_ANKLE_MIN_LEVEL:
            return None  # any back, hip or leg pain rules the pattern out
        foot.append(entry)
    if len(foot) < LOCAL_FOOT_MIN_ENTRIES:
        return None
    regions = {loc.region for e in foot for loc in e.locations}
    nerve = sum(1 for e in foot if e.pain_types & NERVE_PAIN_TYPES)
    nerve_like = 2 * nerve >= len(foot)

    def text(v: Voice) -> str:
        opening = (
            f"Over the last {LOCAL_FOOT_WINDOW_DAYS} days, {len(foot)} entries logged pain in "
            f"the ankle or foot ({_region_labels(regions)}) and none logged pain in the back, "
            "hip or leg. Patient guides say foot pain from a pinched nerve in the back almost "
            "always comes with leg pain."
        )
        if nerve_like:
            return (
                f"{opening} {nerve} of the {len(foot)} mention nerve-like feelings such as "
                "burning, tingling or numbness: patient guides describe nerves trapped at the "
                "foot or ankle, such as the tibial nerve in the tarsal tunnel (inner ankle and "
                "sole) or Morton's neuroma (between the toes), as well as local problems such as "
                "plantar fasciitis. A doctor, physiotherapist or podiatrist can assess this."
            )
        return (
            f"{opening} Foot pain on its own is more often a local foot problem (such as plantar "
            "fasciitis), which a doctor, physiotherapist or podiatrist can assess."
        )

    return LOCAL_FOOT_PATTERN.finding(
        title="Foot or ankle pain without leg or back pain",
        explanation=text,
        source=LOCAL_FOOT_NERVE_SOURCE if nerve_like else LOCAL_FOOT_SOURCE,
        evidence=foot,
    )


SPREADING_SYMPTOMS = Rule("spreading_symptoms", WARNING, SPREAD_WINDOW_DAYS, spreading_symptoms)
BILATERAL_SYMPTOMS = Rule("bilateral_symptoms", WARNING, BILATERAL_WINDOW_DAYS, bilateral_symptoms)
LOCAL_FOOT_PATTERN = Rule("local_foot_pattern", INFO, LOCAL_FOOT_WINDOW_DAYS, local_foot_pattern)
