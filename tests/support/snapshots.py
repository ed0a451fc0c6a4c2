"""Building plain entry snapshots for the pure report tests (no database)."""

from __future__ import annotations

from datetime import UTC, date, datetime
from itertools import count

from diary.rules.base import EntrySnapshot, Location

_ids = count()


def snapshot(
    day: date,
    intensity: int,
    *,
    timing: str = "morning",
    hour: int = 9,
    locations: tuple[tuple[str, str], ...] = (),
    pain_types: tuple[str, ...] = (),
    activity: str = "",
    red_flags: tuple[str, ...] = (),
    context: tuple[str, ...] = (),
) -> EntrySnapshot:
    """One snapshot on `day` at `hour` UTC, with a fresh id."""
    return EntrySnapshot(
        id=str(next(_ids)),
        occurred_at=datetime(day.year, day.month, day.day, hour, tzinfo=UTC),
        local_date=day,
        timing=timing,
        intensity=intensity,
        locations=tuple(Location(region, side) for region, side in locations),
        pain_types=frozenset(pain_types),
        activity=activity,
        red_flags=frozenset(red_flags),
        context=frozenset(context),
    )
