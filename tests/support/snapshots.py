"""Building plain entry and check-in snapshots for the pure report tests (no database)."""

from __future__ import annotations

from datetime import UTC, date, datetime
from itertools import count

from diary.outcomes import CheckInSnapshot
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


def checkin_snapshot(
    week_of: date = date(2026, 1, 12),
    items: tuple[int, int, int, int] = (4, 3, 1, 5),
    global_change: str = "better",
) -> CheckInSnapshot:
    """One week's check-in: items are leg pain, numbness/tingling, weakness, sitting pain."""
    leg_pain, numbness_tingling, weakness, sitting_pain = items
    return CheckInSnapshot(
        id=week_of.toordinal(),  # one check-in per week, so the week makes a unique id
        week_of=week_of,
        leg_pain=leg_pain,
        numbness_tingling=numbness_tingling,
        weakness=weakness,
        sitting_pain=sitting_pain,
        global_change=global_change,
    )
