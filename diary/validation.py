"""The entry rules both front doors apply: the API's EntrySerializer and the web entry form.

Pure values and functions, no DRF, no forms, no ORM. Each check returns the message to show, or
None when the value passes; each front end parses its own input and files the message under
its own field.
"""

from __future__ import annotations

from collections.abc import Hashable, Sequence
from datetime import datetime, timedelta

from diary import vocabulary as vocab

INTENSITY_MIN, INTENSITY_MAX = 0, 10
FUTURE_TOLERANCE = timedelta(minutes=10)
PAST_LIMIT = timedelta(days=400)
NOTES_MAX = 2000
# Every region on both sides: the longest list of distinct locations there can be.
LOCATIONS_MAX = len(vocab.REGIONS) * 2

REPEATED_LOCATION = "The same region and side is listed twice."
REPEATED_CODE = "A code is listed twice."


def occurred_at_error(value: datetime, *, now: datetime) -> str | None:
    """Entries are for now or the past, at most PAST_LIMIT back (a little clock skew allowed)."""
    if value > now + FUTURE_TOLERANCE:
        return "This time is in the future; entries are for now or the past."
    if value < now - PAST_LIMIT:
        return f"Entries can go back at most {PAST_LIMIT.days} days."
    return None


def side_error(region: str, side: str) -> str | None:
    """`center` only on the midline regions."""
    if vocab.side_allowed(region, side):
        return None
    return "“center” is only for lower_back and saddle; choose left, right or both."


def repeats(items: Sequence[Hashable]) -> bool:
    """Whether any item is listed twice."""
    return len(set(items)) != len(items)


def locations_error(intensity: int | None, locations: Sequence[object]) -> str | None:
    """An entry with pain says where; only a pain-free entry may have no location."""
    if intensity and not locations:
        return "Choose at least one region when intensity is above 0."
    return None
