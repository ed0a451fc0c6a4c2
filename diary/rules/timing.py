"""When the pain is worst: at night and at rest (nerve-like) or with activity (musculoskeletal).

Interpretations of CONTRACT §5:
- A night/rest entry has timing `evening` or `night` (NIGHT_TIMINGS) or activity `lying_down`
  or `sitting` (REST_ACTIVITIES); every other entry in the window is "other", including 0/10 ones.
- `night_worse_nerve_pain`: last 14 days, >= 3 night/rest entries, >= 3 other entries, night/rest
  mean intensity >= other mean + 2, and at least half of the night/rest entries name at least one
  nerve-like pain type. Evidence: the night/rest entries.
- `activity_worse_pain`: the same split and counts, other mean >= night/rest mean + 2, and
  nerve-like types in fewer than half of the other entries; never raised when
  `walking_worse_nerve_pain` holds. Evidence: the other (daytime, active) entries.
- `walking_worse_nerve_pain`: last 14 days, >= 3 entries with activity `standing`/`walking` and
  >= 3 with `sitting`/`lying_down` (whatever their timing), standing/walking mean >= sitting/lying
  mean + 2, nerve-like types in at least half of the standing/walking entries. Evidence: the
  standing/walking entries.
Means are compared in exact integer arithmetic, so a difference of exactly 2.0 counts.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date

from diary.vocabulary import NERVE_PAIN_TYPES, NIGHT_TIMINGS, REST_ACTIVITIES

from .base import (
    INFO,
    MEANINGFUL_DIFFERENCE,
    WARNING,
    EntrySnapshot,
    Finding,
    Rule,
    Voice,
    format_score,
    in_window,
    mean,
    mean_at_least_higher,
    plural,
)

WINDOW_DAYS = 14
NIGHT_MIN_ENTRIES = 3
NIGHT_MIN_OTHER_ENTRIES = 3

WALKING_MIN_ENTRIES = 3
WALKING_ACTIVITIES: frozenset[str] = frozenset({"standing", "walking"})

SOURCE = "Patient guide: Nerve vs musculoskeletal pain"
WALKING_SOURCE = "Patient guide: Common spinal causes; Nerve vs musculoskeletal pain"
NIGHT_GROUP = "in the evening, at night or at rest"
OTHER_GROUP = "in the morning or afternoon, not at rest"


def is_night_or_rest(entry: EntrySnapshot) -> bool:
    return entry.timing in NIGHT_TIMINGS or entry.activity in REST_ACTIVITIES


def _share(part: int, whole: int) -> str:
    """'4 of the 5', or 'all 5'."""
    return f"all {whole}" if part == whole else f"{part} of the {whole}"


@dataclass(frozen=True, slots=True)
class _Contrast:
    """A group of entries whose mean is at least 2 points above another group's."""

    worse: list[EntrySnapshot]
    calmer: list[EntrySnapshot]
    worse_mean: float
    calmer_mean: float
    nerve: int  # entries of the worse group naming a nerve-like pain type


def _contrast(worse: list[EntrySnapshot], calmer: list[EntrySnapshot]) -> _Contrast | None:
    worse_scores = [e.intensity for e in worse]
    calmer_scores = [e.intensity for e in calmer]
    if not mean_at_least_higher(worse_scores, calmer_scores, MEANINGFUL_DIFFERENCE):
        return None
    nerve = sum(1 for e in worse if e.pain_types & NERVE_PAIN_TYPES)
    return _Contrast(worse, calmer, mean(worse_scores), mean(calmer_scores), nerve)


def _mostly_nerve(found: _Contrast) -> bool:
    # At least half, counted in integers: 2 of 4 qualifies, 1 of 3 does not.
    return 2 * found.nerve >= len(found.worse)


def _split(
    entries: Sequence[EntrySnapshot], as_of: date
) -> tuple[list[EntrySnapshot], list[EntrySnapshot]] | None:
    """Night/rest and other entries of the window, or None when either group is too small."""
    night: list[EntrySnapshot] = []
    other: list[EntrySnapshot] = []
    for entry in in_window(entries, as_of, WINDOW_DAYS):
        (night if is_night_or_rest(entry) else other).append(entry)
    if len(night) < NIGHT_MIN_ENTRIES or len(other) < NIGHT_MIN_OTHER_ENTRIES:
        return None
    return night, other


def night_worse_nerve_pain(entries: Sequence[EntrySnapshot], as_of: date) -> Finding | None:
    """Nerve-like pain at least 2 points worse in the evening, at night or at rest."""
    groups = _split(entries, as_of)
    if groups is None:
        return None
    night, other = groups
    found = _contrast(night, other)
    if found is None or not _mostly_nerve(found):
        return None

    def text(v: Voice) -> str:
        return (
            f"Over the last {WINDOW_DAYS} days, {plural(len(night), 'entry', 'entries')} "
            f"{NIGHT_GROUP} averaged {format_score(found.worse_mean)}, against "
            f"{format_score(found.calmer_mean)} for "
            f"{plural(len(other), 'other entry', 'other entries')}; "
            f"{_share(found.nerve, len(night))} mention nerve-like feelings such as burning or "
            "tingling. "
            "Patient guides describe nerve pain as standing out at night and at rest, after being "
            "off one's feet. " + v.pick("Mention this pattern to a health professional.", "")
        ).strip()

    return NIGHT_WORSE_NERVE_PAIN.finding(
        title="Nerve-type pain worse at night or at rest",
        explanation=text,
        source=SOURCE,
        evidence=night,
    )


def activity_worse_pain(entries: Sequence[EntrySnapshot], as_of: date) -> Finding | None:
    """Pain at least 2 points worse in the day, not at rest, than in the evening, night or rest."""
    groups = _split(entries, as_of)
    if groups is None:
        return None
    night, other = groups
    found = _contrast(other, night)
    # Fewer than half nerve-like: the musculoskeletal picture. Nerve pain worse on walking is
    # the stenosis pattern, which walking_worse_nerve_pain names instead.
    if found is None or _mostly_nerve(found):
        return None
    if walking_worse_nerve_pain(entries, as_of) is not None:
        return None

    def text(v: Voice) -> str:
        return (
            f"Over the last {WINDOW_DAYS} days, {plural(len(other), 'entry', 'entries')} "
            f"{OTHER_GROUP} averaged {format_score(found.worse_mean)}, against "
            f"{format_score(found.calmer_mean)} for {plural(len(night), 'entry', 'entries')} "
            f"{NIGHT_GROUP}. Patient guides describe pain from muscles, joints or tendons "
            "(such as plantar fasciitis, arthritis or tendonitis) as coming with daytime activity "
            "and easing with rest; nerve pain and this kind of pain can exist together."
        )

    return ACTIVITY_WORSE_PAIN.finding(
        title="Pain worse with activity than at rest",
        explanation=text,
        source=SOURCE,
        evidence=other,
    )


def walking_worse_nerve_pain(entries: Sequence[EntrySnapshot], as_of: date) -> Finding | None:
    """Nerve-like pain at least 2 points worse standing or walking than sitting or lying."""
    upright: list[EntrySnapshot] = []
    resting: list[EntrySnapshot] = []
    for entry in in_window(entries, as_of, WINDOW_DAYS):
        if entry.activity in WALKING_ACTIVITIES:
            upright.append(entry)
        elif entry.activity in REST_ACTIVITIES:
            resting.append(entry)
    if len(upright) < WALKING_MIN_ENTRIES or len(resting) < WALKING_MIN_ENTRIES:
        return None
    found = _contrast(upright, resting)
    if found is None or not _mostly_nerve(found):
        return None

    def text(v: Voice) -> str:
        return (
            f"Over the last {WINDOW_DAYS} days, {plural(len(upright), 'entry', 'entries')} "
            f"while standing or walking averaged {format_score(found.worse_mean)}, against "
            f"{format_score(found.calmer_mean)} for {plural(len(resting), 'entry', 'entries')} "
            f"while sitting or lying down; {_share(found.nerve, len(upright))} standing or walking "
            "entries mention nerve-like feelings such as burning or tingling. Patient guides "
            "describe nerve pain made worse by standing or walking, and eased by sitting, in "
            "narrowing of the spinal canal (spinal stenosis). "
            + v.pick("Mention this pattern to a health professional.", "")
        ).strip()

    return WALKING_WORSE_NERVE_PAIN.finding(
        title="Nerve-type pain worse standing or walking",
        explanation=text,
        source=WALKING_SOURCE,
        evidence=upright,
    )


NIGHT_WORSE_NERVE_PAIN = Rule(
    "night_worse_nerve_pain", WARNING, WINDOW_DAYS, night_worse_nerve_pain
)
ACTIVITY_WORSE_PAIN = Rule("activity_worse_pain", INFO, WINDOW_DAYS, activity_worse_pain)
WALKING_WORSE_NERVE_PAIN = Rule(
    "walking_worse_nerve_pain", WARNING, WINDOW_DAYS, walking_worse_nerve_pain
)
