"""Red flags and motor weakness: the signs that send an alert (definitions in `signs`).

Interpretations of CONTRACT §5:
- `red_flag_*`: any entry the rule is given carrying that sign counts, however far back its day
  (the window ends at as_of like every window, but has no start). The scan loads the longest
  window (RED_FLAG_WINDOW_DAYS) and the instant path adds the saved entry however far back it
  is dated, so a back-dated emergency always alerts. Which finding is a new activation (judged
  by save time; red flags never auto-resolve) is the lifecycle's decision.
- Saddle numbness counts by either route (`signs.saddle_numbness`); the text names the route.
- `motor_weakness`: any entry with `occurred_at` in the last 28 days (its local day from
  as_of-27 to as_of) carrying a motor sign (`signs.motor_sign`); the text names each sign and day.
Intensity plays no part: a sign counts even on a 0/10 entry.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date

from diary.vocabulary import MOTOR_RED_FLAGS, RED_FLAG_BY_CODE, RED_FLAGS, region_level

from .base import (
    EMERGENCY,
    URGENT,
    EntrySnapshot,
    Finding,
    Rule,
    Voice,
    format_day,
    in_window,
    plural,
)
from .signs import (
    MOTOR_MIN_LEVEL,
    MOTOR_PAIN_TYPES,
    RED_FLAG_CODES,
    SADDLE_NUMBNESS_TYPES,
    alert_codes,
)
from .signs import MOTOR_WEAKNESS as MOTOR_WEAKNESS_CODE

# As long as the longest scan window (persistent_pain), so LOOKBACK_DAYS never grows for them.
RED_FLAG_WINDOW_DAYS = 120
MOTOR_WINDOW_DAYS = 28

# One wording of the advice, everywhere it is shown (pages, e-mails, explanations).
EMERGENCY_ADVICE = (
    "Seek emergency medical care now: call your local emergency number or go to the emergency "
    "department (A&E)."
)
URGENT_ADVICE = (
    "Get an urgent same-day assessment: contact your doctor or an urgent care service today. "
    "If the weakness is sudden and severe, or affects both legs, seek emergency medical care now: "
    "call your local emergency number or go to the emergency department (A&E)."
)
RED_FLAG_SOURCE = "Patient guide: Emergency red flags"
MOTOR_SOURCE = "Patient guide: L5 and foot drop; S1 and the sole; Heel walk"


def _days(entries: Sequence[EntrySnapshot]) -> str:
    """'3 Nov 2026, 5 Nov 2026': the distinct days of the entries, oldest first."""
    return ", ".join(format_day(day) for day in sorted({e.local_date for e in entries}))


def _advice(voice: Voice, advice: str) -> str:
    return voice.pick(advice, f"The advice shown to the patient: {advice}")


def _emergency_flag(
    rule: Rule, flag: str, entries: Sequence[EntrySnapshot], as_of: date
) -> Finding | None:
    """The finding of one emergency red flag: any entry carrying it, by any route."""
    # The cheap test first: most entries have neither a red flag nor a saddle-numbness word.
    hits = [
        e
        for e in entries
        if (e.red_flags or not SADDLE_NUMBNESS_TYPES.isdisjoint(e.pain_types))
        and e.local_date <= as_of
        and rule.code in alert_codes(e)
    ]
    if not hits:
        return None
    term = RED_FLAG_BY_CODE[flag]
    ticked = [e for e in hits if flag in e.red_flags]
    mapped = [e for e in hits if flag not in e.red_flags]

    def text(v: Voice) -> str:
        parts = []
        if ticked:
            parts.append(
                f"{v.You} answered yes to “{term.question}” in "
                f"{plural(len(ticked), 'entry', 'entries')} (on {_days(ticked)})."
            )
        if mapped:
            parts.append(
                f"{v.You} marked the saddle area (groin, between the legs) with numbness, "
                f"tingling or pins and needles in {plural(len(mapped), 'entry', 'entries')} "
                f"(on {_days(mapped)})."
            )
        return (
            f"{' '.join(parts)} {_advice(v, EMERGENCY_ADVICE)} Patient guides say this symptom "
            "needs immediate medical care to prevent permanent nerve damage."
        )

    return rule.finding(
        title=f"Emergency warning sign: {term.label.lower()}",
        explanation=text,
        source=RED_FLAG_SOURCE,
        evidence=hits,
    )


def red_flag_saddle_numbness(entries: Sequence[EntrySnapshot], as_of: date) -> Finding | None:
    """Any entry reports loss of feeling in the saddle area, by tick box or body map."""
    return _emergency_flag(RED_FLAG_SADDLE_NUMBNESS, "saddle_numbness", entries, as_of)


def red_flag_bladder_bowel(entries: Sequence[EntrySnapshot], as_of: date) -> Finding | None:
    """Any entry reports loss of bladder or bowel control."""
    return _emergency_flag(RED_FLAG_BLADDER_BOWEL, "bladder_bowel", entries, as_of)


def red_flag_sudden_weakness(entries: Sequence[EntrySnapshot], as_of: date) -> Finding | None:
    """Any entry reports sudden, severe weakness in the leg or foot."""
    return _emergency_flag(RED_FLAG_SUDDEN_WEAKNESS, "sudden_weakness", entries, as_of)


def _foot_weakness(entry: EntrySnapshot) -> bool:
    return bool(entry.pain_types & MOTOR_PAIN_TYPES) and any(
        region_level(loc.region) >= MOTOR_MIN_LEVEL for loc in entry.locations
    )


def motor_weakness(entries: Sequence[EntrySnapshot], as_of: date) -> Finding | None:
    """Any entry in the last 28 days carries a motor sign."""
    hits = [
        e
        for e in in_window(entries, as_of, MOTOR_WINDOW_DAYS)
        if (e.red_flags or not MOTOR_PAIN_TYPES.isdisjoint(e.pain_types))
        and MOTOR_WEAKNESS_CODE in alert_codes(e)
    ]
    if not hits:
        return None
    # Vocabulary order, so the same diary always reads the same way.
    reported = [
        f"{flag.label.lower()} ({_days([e for e in hits if flag.code in e.red_flags])})"
        for flag in RED_FLAGS
        if flag.code in MOTOR_RED_FLAGS and any(flag.code in e.red_flags for e in hits)
    ]
    heavy = [e for e in hits if _foot_weakness(e)]
    if heavy:
        reported.append(f"weakness or heaviness in the ankle or foot ({_days(heavy)})")

    def text(v: Voice) -> str:
        return (
            f"In the last {MOTOR_WINDOW_DAYS} days {v.you} reported: {'; '.join(reported)}. "
            "Patient guides link trouble lifting the front of the foot, rising onto the toes or "
            "walking on the heels, and a foot that feels heavy or weak, to an irritated nerve "
            f"root in the lower back; weakness needs checking early. {_advice(v, URGENT_ADVICE)}"
        )

    return MOTOR_WEAKNESS.finding(
        title="Signs of weakness in the foot or ankle",
        explanation=text,
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
MOTOR_WEAKNESS = Rule(MOTOR_WEAKNESS_CODE, URGENT, MOTOR_WINDOW_DAYS, motor_weakness)

RED_FLAG_RULES: tuple[Rule, ...] = (
    RED_FLAG_SADDLE_NUMBNESS,
    RED_FLAG_BLADDER_BOWEL,
    RED_FLAG_SUDDEN_WEAKNESS,
)
ALERT_RULES: tuple[Rule, ...] = (*RED_FLAG_RULES, MOTOR_WEAKNESS)
