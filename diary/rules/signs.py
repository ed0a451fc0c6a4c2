"""The one definition of each alerting sign and of what alerts (CONTRACT §5).

The scan, the instant path after a save, the e-mails and the logging page's live advice all read
these functions or `sign_definition()`; nothing else spells out which codes alert.

- Saddle numbness: the red flag `saddle_numbness`, or the `saddle` region together with a
  numbness-type pain word (`numbness`, `tingling`, `pins_needles`): the body map says the same
  thing as the tick box.
- Motor sign: the red flag `foot_drop`, `toe_walk_difficulty` or `heel_walk_difficulty`, or the
  pain type `weakness` or `heaviness` with a location of level >= 4 (ankle, heel, foot). Pain
  types belong to the whole entry, so weakness logged with the calf and the heel counts.
Intensity plays no part: a 0/10 entry carrying a sign counts.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Protocol

from diary.vocabulary import EMERGENCY_RED_FLAGS, MOTOR_RED_FLAGS, REGION_BY_CODE

SADDLE_REGION = "saddle"
SADDLE_NUMBNESS_TYPES: frozenset[str] = frozenset({"numbness", "tingling", "pins_needles"})
MOTOR_PAIN_TYPES: frozenset[str] = frozenset({"weakness", "heaviness"})
MOTOR_MIN_LEVEL = 4  # ankle / heel and below

MOTOR_WEAKNESS = "motor_weakness"
# Emergency red-flag vocabulary code -> flag code.
RED_FLAG_CODES: dict[str, str] = {code: f"red_flag_{code}" for code in sorted(EMERGENCY_RED_FLAGS)}
EMERGENCY_CODES: frozenset[str] = frozenset(RED_FLAG_CODES.values())
URGENT_CODES: frozenset[str] = frozenset({MOTOR_WEAKNESS})
ALERT_CODES: frozenset[str] = EMERGENCY_CODES | URGENT_CODES
# Pain words that make a sign only with the right region; with none of them and no red flag an
# entry carries no sign, which the scan checks first for each of its many entries.
SIGN_WORDS: frozenset[str] = SADDLE_NUMBNESS_TYPES | MOTOR_PAIN_TYPES
NO_CODES: frozenset[str] = frozenset()


class _Located(Protocol):
    region: str


class SignSource(Protocol):
    """What a sign reads of an entry: an EntrySnapshot, or anything shaped like one."""

    @property
    def red_flags(self) -> Iterable[str]: ...
    @property
    def pain_types(self) -> Iterable[str]: ...
    @property
    def locations(self) -> Iterable[_Located]: ...


def _level(region: str) -> int:
    found = REGION_BY_CODE.get(region)
    return found.level if found is not None else -1


def codes_for(
    *, red_flags: Iterable[str], pain_types: Iterable[str], regions: Iterable[str]
) -> frozenset[str]:
    """The emergency and urgent flag codes an entry with these answers carries."""
    flags = frozenset(red_flags)
    types = frozenset(pain_types)
    places = frozenset(regions)
    found = {RED_FLAG_CODES[code] for code in flags & EMERGENCY_RED_FLAGS}
    if SADDLE_REGION in places and types & SADDLE_NUMBNESS_TYPES:
        found.add(RED_FLAG_CODES["saddle_numbness"])
    if flags & MOTOR_RED_FLAGS or (
        types & MOTOR_PAIN_TYPES and any(_level(r) >= MOTOR_MIN_LEVEL for r in places)
    ):
        found.add(MOTOR_WEAKNESS)
    return frozenset(found) if found else NO_CODES


def alert_codes(entry: SignSource) -> frozenset[str]:
    """The emergency and urgent flag codes the entry carries (intensity plays no part)."""
    if not entry.red_flags and SIGN_WORDS.isdisjoint(entry.pain_types):
        return NO_CODES
    return codes_for(
        red_flags=entry.red_flags,
        pain_types=entry.pain_types,
        regions=[loc.region for loc in entry.locations],
    )


def saddle_numbness(entry: SignSource) -> bool:
    """Saddle numbness by either route: the tick box, or the saddle region with numbness."""
    return RED_FLAG_CODES["saddle_numbness"] in alert_codes(entry)


def motor_sign(entry: SignSource) -> bool:
    """Foot drop, trouble on tiptoes or heels, or weakness/heaviness logged on the foot."""
    return MOTOR_WEAKNESS in alert_codes(entry)


def sign_definition() -> dict[str, object]:
    """The same definition as data, for the logging page's live advice (json_script)."""
    return {
        "emergency_red_flags": sorted(EMERGENCY_RED_FLAGS),
        "motor_red_flags": sorted(MOTOR_RED_FLAGS),
        "saddle_region": SADDLE_REGION,
        "saddle_numbness_types": sorted(SADDLE_NUMBNESS_TYPES),
        "motor_pain_types": sorted(MOTOR_PAIN_TYPES),
        "motor_regions": sorted(
            r.code for r in REGION_BY_CODE.values() if r.level >= MOTOR_MIN_LEVEL
        ),
    }
