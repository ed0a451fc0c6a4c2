"""Red flags and motor weakness: symptoms the patient reports directly on an entry.

Interpretations of CONTRACT §5:
- `red_flag_*`: any entry in the window carrying that emergency red flag. The window is as long
  as the longest scan window, so the scan never loads more days for red flags; which finding is a
  new activation (red flags never auto-resolve) is the service's decision, not the rule's.
- `motor_weakness`: any entry in the last 14 days carrying `foot_drop`, `toe_walk_difficulty` or
  `heel_walk_difficulty`; the explanation names which ones and on which days.
Intensity plays no part: a red flag counts even on a 0/10 entry.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date

from diary.vocabulary import EMERGENCY_RED_FLAGS, MOTOR_RED_FLAGS, RED_FLAG_BY_CODE, RED_FLAGS

from .base import (
    EMERGENCY,
    URGENT,
    EntrySnapshot,
    Finding,
    Rule,
    format_day,
    in_window,
    plural,
)

# As long as the longest scan window (persistent_pain), so LOOKBACK_DAYS never grows for them.
RED_FLAG_WINDOW_DAYS = 120
MOTOR_WINDOW_DAYS = 14

EMERGENCY_ADVICE = (
    "Seek emergency medical care now (call your local emergency number or go to A&E / the "
    "emergency department)."
)
URGENT_ADVICE = (
    "Get an urgent same-day assessment: contact your doctor or an urgent care service today. "
    "If the weakness is sudden and severe, or affects both legs, seek emergency medical care now "
    "(call your local emergency number or go to A&E / the emergency department)."
)
RED_FLAG_SOURCE = "Patient guide: Emergency red flags"
MOTOR_SOURCE = "Patient guide: L5 and foot drop; S1 and the sole; Heel walk"

# Red-flag vocabulary code -> flag code, for the instant path that runs on each saved entry.
RED_FLAG_CODES: dict[str, str] = {code: f"red_flag_{code}" for code in sorted(EMERGENCY_RED_FLAGS)}


def _days(entries: Sequence[EntrySnapshot]) -> str:
    """'3 Nov 2026, 5 Nov 2026': the distinct days of the entries, oldest first."""
    return ", ".join(format_day(day) for day in sorted({e.local_date for e in entries}))


def _emergency_flag(
    rule: Rule, flag: str, entries: Sequence[EntrySnapshot], as_of: date
) -> Finding | None:
    """The finding of one emergency red flag: any entry in the window carrying `flag`."""
    hits = [e for e in in_window(entries, as_of, rule.window_days) if flag in e.red_flags]
    if not hits:
        return None
    term = RED_FLAG_BY_CODE[flag]
    return rule.finding(
        title=f"Emergency warning sign: {term.label.lower()}",
        explanation=(
            f"You answered yes to “{term.question}” in {plural(len(hits), 'entry', 'entries')} "
            f"(on {_days(hits)}). {EMERGENCY_ADVICE} Patient guides say this symptom needs "
            "immediate medical care to prevent permanent nerve damage."
        ),
        source=RED_FLAG_SOURCE,
        evidence=hits,
    )


def red_flag_saddle_numbness(entries: Sequence[EntrySnapshot], as_of: date) -> Finding | None:
    """Any entry reports sudden loss of feeling in the saddle area."""
    return _emergency_flag(RED_FLAG_SADDLE_NUMBNESS, "saddle_numbness", entries, as_of)


def red_flag_bladder_bowel(entries: Sequence[EntrySnapshot], as_of: date) -> Finding | None:
    """Any entry reports loss of bladder or bowel control."""
    return _emergency_flag(RED_FLAG_BLADDER_BOWEL, "bladder_bowel", entries, as_of)


def red_flag_sudden_weakness(entries: Sequence[EntrySnapshot], as_of: date) -> Finding | None:
    """Any entry reports sudden, severe weakness in the leg or foot."""
    return _emergency_flag(RED_FLAG_SUDDEN_WEAKNESS, "sudden_weakness", entries, as_of)


def motor_weakness(entries: Sequence[EntrySnapshot], as_of: date) -> Finding | None:
    """Any entry in the last 14 days reports foot drop or trouble walking on toes or heels."""
    hits = [
        e for e in in_window(entries, as_of, MOTOR_WINDOW_DAYS) if e.red_flags & MOTOR_RED_FLAGS
    ]
    if not hits:
        return None
    # Vocabulary order, so the same diary always reads the same way.
    reported = [
        f"{flag.label.lower()} ({_days([e for e in hits if flag.code in e.red_flags])})"
        for flag in RED_FLAGS
        if flag.code in MOTOR_RED_FLAGS and any(flag.code in e.red_flags for e in hits)
    ]
    return MOTOR_WEAKNESS.finding(
        title="Signs of weakness in the foot or ankle",
        explanation=(
            f"In the last {MOTOR_WINDOW_DAYS} days you reported: {'; '.join(reported)}. "
            "Patient guides link trouble lifting the front of the foot, rising onto the toes or "
            "walking on the heels to an irritated nerve root in the lower back; weakness needs "
            f"checking early. {URGENT_ADVICE}"
        ),
        source=MOTOR_SOURCE,
        evidence=hits,
    )


RED_FLAG_SADDLE_NUMBNESS = Rule(
    RED_FLAG_CODES["saddle_numbness"], EMERGENCY, RED_FLAG_WINDOW_DAYS, red_flag_saddle_numbness
)
RED_FLAG_BLADDER_BOWEL = Rule(
    RED_FLAG_CODES["bladder_bowel"], EMERGENCY, RED_FLAG_WINDOW_DAYS, red_flag_bladder_bowel
)
RED_FLAG_SUDDEN_WEAKNESS = Rule(
    RED_FLAG_CODES["sudden_weakness"], EMERGENCY, RED_FLAG_WINDOW_DAYS, red_flag_sudden_weakness
)
MOTOR_WEAKNESS = Rule("motor_weakness", URGENT, MOTOR_WINDOW_DAYS, motor_weakness)

RED_FLAG_RULES: tuple[Rule, ...] = (
    RED_FLAG_SADDLE_NUMBNESS,
    RED_FLAG_BLADDER_BOWEL,
    RED_FLAG_SUDDEN_WEAKNESS,
)
