"""Entry snapshots for the pattern rules, loaded in bulk: two queries per chunk of patients.

The scan reads millions of rows, so this module avoids model instances: `values_list` rows
become frozen `EntrySnapshot`s, and the few distinct code lists and locations are interned
(a diary repeats the same handful of pain-type sets and regions over and over).
"""

from __future__ import annotations

import uuid
from collections import defaultdict
from collections.abc import Iterable, Mapping
from datetime import date, timedelta

from diary.models import Entry, EntryLocation
from diary.rules import LOOKBACK_DAYS, EntrySnapshot, Location

# A (first day, last day) local-date window per patient id.
Windows = Mapping[int, tuple[date, date]]


def snapshot_window(*, as_of: date, days: int = LOOKBACK_DAYS) -> tuple[date, date]:
    """The local dates every rule may read for a scan on `as_of` (inclusive both ends)."""
    return as_of - timedelta(days=days - 1), as_of


def _codes(value: object, interned: dict[tuple, frozenset[str]]) -> frozenset[str]:
    # JSON lists from the database; anything odd (null, a string) counts as no codes.
    if not isinstance(value, list):
        return frozenset()
    key = tuple(value)
    found = interned.get(key)
    if found is None:
        found = interned[key] = frozenset(v for v in value if isinstance(v, str))
    return found


def snapshots_for_users(*, windows: Windows) -> dict[int, list[EntrySnapshot]]:
    """Each patient's entries within their own window, as snapshots (two queries in all)."""
    result: dict[int, list[EntrySnapshot]] = {user_id: [] for user_id in windows}
    if not windows:
        return result
    user_ids = list(windows)
    start = min(first for first, _ in windows.values())
    end = max(last for _, last in windows.values())

    locations: dict[uuid.UUID, list[Location]] = defaultdict(list)
    interned_locations: dict[tuple[str, str], Location] = {}
    location_rows = EntryLocation.objects.filter(
        user_id__in=user_ids, local_date__gte=start, local_date__lte=end
    ).values_list("entry_id", "region", "side")
    for entry_id, region, side in location_rows.iterator(chunk_size=5000):
        key = (region, side)
        location = interned_locations.get(key)
        if location is None:
            location = interned_locations[key] = Location(region=region, side=side)
        locations[entry_id].append(location)

    interned_codes: dict[tuple, frozenset[str]] = {}
    no_locations: tuple[Location, ...] = ()
    entry_rows = (
        Entry.objects.filter(user_id__in=user_ids, local_date__gte=start, local_date__lte=end)
        .order_by()
        .values_list(
            "user_id",
            "id",
            "occurred_at",
            "local_date",
            "timing",
            "intensity",
            "pain_types",
            "activity",
            "red_flags",
            "context",
        )
    )
    for (
        user_id,
        entry_id,
        occurred_at,
        local_date,
        timing,
        intensity,
        pain_types,
        activity,
        red_flags,
        context,
    ) in entry_rows.iterator(chunk_size=5000):
        first, last = windows[user_id]
        if not first <= local_date <= last:
            continue
        found = locations.get(entry_id)
        result[user_id].append(
            EntrySnapshot(
                id=str(entry_id),
                occurred_at=occurred_at,
                local_date=local_date,
                timing=timing,
                intensity=intensity,
                locations=tuple(found) if found else no_locations,
                pain_types=_codes(pain_types, interned_codes),
                activity=activity or "",
                red_flags=_codes(red_flags, interned_codes),
                context=_codes(context, interned_codes),
            )
        )
    return result


def snapshots_for_user(*, user_id: int, as_of: date) -> list[EntrySnapshot]:
    """One patient's snapshots for a scan on `as_of` (two queries)."""
    return snapshots_for_users(windows={user_id: snapshot_window(as_of=as_of)})[user_id]


def snapshot_windows(*, as_of_by_user: Mapping[int, date]) -> dict[int, tuple[date, date]]:
    """The rules' read window for each patient's own `as_of`."""
    return {user_id: snapshot_window(as_of=as_of) for user_id, as_of in as_of_by_user.items()}


def snapshots_count(snapshots: Iterable[list[EntrySnapshot]]) -> int:
    """How many entries a scan read (for logs and the benchmark)."""
    return sum(len(entries) for entries in snapshots)
