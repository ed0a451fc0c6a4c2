"""Entry snapshots for the pattern rules, loaded in bulk: two queries per chunk of patients.

The scan reads millions of rows, so this module avoids model instances and Django's per-value
converters: `values_list` rows become frozen `EntrySnapshot`s, and the few distinct code lists,
days and locations are parsed once and shared (a diary repeats the same handful over and over).
"""

from __future__ import annotations

import gc
import json
import uuid
from collections import defaultdict
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from datetime import UTC, date, datetime, timedelta

from django.db import connections
from django.db.models import CharField, F, QuerySet
from django.db.models.functions import Cast

from diary.models import Entry, EntryLocation
from diary.rules import LOOKBACK_DAYS, EntrySnapshot, Location
from diary.rules.signs import MOTOR_MIN_LEVEL, SADDLE_REGION, SIGN_WORDS
from diary.vocabulary import REGIONS

NO_SIGNS: tuple[tuple[str, datetime], ...] = ()
# Where a pain word can make a sign: the saddle, or the ankle and foot.
_SIGN_REGIONS = frozenset({SADDLE_REGION, *(r.code for r in REGIONS if r.level >= MOTOR_MIN_LEVEL)})

# A (first day, last day) local-date window per patient id.
Windows = Mapping[int, tuple[date, date]]
FETCH_SIZE = 5000


def snapshot_window(*, as_of: date, days: int = LOOKBACK_DAYS) -> tuple[date, date]:
    """The local dates every rule may read for a scan on `as_of` (inclusive both ends)."""
    return as_of - timedelta(days=days - 1), as_of


def _rows(queryset: QuerySet) -> Iterator[tuple]:
    """The rows of a values_list query, straight from the driver, without Django's converters.

    Django would parse every JSON list, UUID and timestamp once per row; a diary repeats the
    same few values, so the converters below parse each distinct value once instead.
    """
    sql, params = queryset.query.get_compiler(using=queryset.db).as_sql()
    with connections[queryset.db].cursor() as cursor:
        cursor.execute(sql, params)
        while batch := cursor.fetchmany(FETCH_SIZE):
            yield from batch


def _json(value: object) -> object:
    """A JSON column as Python: SQLite hands over text, PostgreSQL already-parsed values."""
    if not isinstance(value, str):
        return value
    try:
        return json.loads(value)
    except ValueError:
        return None


class _Converters:
    """Per-call caches turning raw column values (SQLite text or PostgreSQL types) into Python."""

    def __init__(self) -> None:
        self.codes: dict[object, frozenset[str]] = {}
        self.dates: dict[object, date] = {}
        self.signs: dict[object, tuple[tuple[str, datetime], ...]] = {}

    def signs_at(self, value: object) -> tuple[tuple[str, datetime], ...]:
        """{code: iso time} (text or parsed) as sorted (code, aware datetime) pairs."""
        key = value if isinstance(value, str) else repr(value)
        found = self.signs.get(key)
        if found is None:
            parsed = _json(value)
            pairs = []
            if isinstance(parsed, dict):
                for code, moment in parsed.items():
                    try:
                        pairs.append((str(code), _moment(moment)))
                    except (TypeError, ValueError):
                        continue  # an unreadable time falls back to created_at
            found = self.signs[key] = tuple(sorted(pairs))
        return found

    def code_set(self, value: object) -> frozenset[str]:
        key = value if isinstance(value, str) else repr(value)
        found = self.codes.get(key)
        if found is None:
            parsed = _json(value)
            # Anything odd (null, a string, an object) counts as no codes.
            found = (
                frozenset(v for v in parsed if isinstance(v, str))
                if isinstance(parsed, list)
                else frozenset()
            )
            self.codes[key] = found
        return found

    def day(self, value: object) -> date:
        found = self.dates.get(value)
        if found is None:
            found = self.dates[value] = (
                value if isinstance(value, date) else date.fromisoformat(str(value))
            )
        return found


def _moment(value: object) -> datetime:
    if isinstance(value, datetime):
        return value if value.tzinfo is not None else value.replace(tzinfo=UTC)
    # SQLite keeps aware datetimes as naive UTC text; JSON keeps ISO text with its offset.
    parsed = datetime.fromisoformat(str(value))
    return parsed if parsed.tzinfo is not None else parsed.replace(tzinfo=UTC)


def _entry_id(value: object) -> str:
    if isinstance(value, str) and len(value) == 32:  # SQLite keeps UUIDs as 32 hex digits
        return f"{value[:8]}-{value[8:12]}-{value[12:16]}-{value[16:20]}-{value[20:]}"
    return str(uuid.UUID(str(value)))


@contextmanager
def without_gc() -> Iterator[None]:
    # Tens of thousands of small acyclic objects per chunk would trigger the cyclic garbage
    # collector over and over (about half the load time); none of them can form a cycle.
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


def snapshots_for_users(*, windows: Windows) -> dict[int, list[EntrySnapshot]]:
    """Each patient's entries within their own window, as snapshots (two queries in all)."""
    if not windows:
        return {}
    with without_gc():
        return _snapshots_for_users(windows)


def _snapshots_for_users(
    windows: Windows, only_entry: str | None = None
) -> dict[int, list[EntrySnapshot]]:
    result: dict[int, list[EntrySnapshot]] = {user_id: [] for user_id in windows}
    user_ids = list(windows)
    start = min(first for first, _ in windows.values())
    end = max(last for _, last in windows.values())
    if only_entry is not None:
        # One entry, whatever its day: the window is widened to hold it below.
        start, end = date.min, date.max

    # Keyed by the raw entry id: both queries return it in the same form.
    locations: dict[object, list[Location]] = defaultdict(list)
    interned_locations: dict[tuple[str, str], Location] = {}
    location_rows = (
        EntryLocation.objects.filter(
            user_id__in=user_ids,
            **({"entry_id": only_entry} if only_entry else {}),
            local_date__gte=start,
            local_date__lte=end,
        )
        .order_by()
        .values_list("entry_id", "region", "side")
    )
    for entry_id, region, side in _rows(location_rows):
        key = (region, side)
        location = interned_locations.get(key)
        if location is None:
            location = interned_locations[key] = Location(region=region, side=side)
        locations[entry_id].append(location)

    convert = _Converters()
    codes_cache, days_cache = convert.codes, convert.dates
    no_locations: tuple[Location, ...] = ()
    # SQLite's driver would parse these columns with slow Python converters; as text they
    # come back raw and are parsed once per distinct value below.
    as_text = connections[Entry.objects.db].vendor == "sqlite"
    entry_rows = (
        Entry.objects.filter(
            user_id__in=user_ids,
            **({"pk": only_entry} if only_entry else {}),
            local_date__gte=start,
            local_date__lte=end,
        )
        .order_by()
        .annotate(
            at=Cast("occurred_at", CharField()) if as_text else F("occurred_at"),
            day=Cast("local_date", CharField()) if as_text else F("local_date"),
            saved=Cast("created_at", CharField()) if as_text else F("created_at"),
        )
        .values_list(
            "user_id",
            "id",
            "at",
            "day",
            "timing",
            "intensity",
            "pain_types",
            "activity",
            "red_flags",
            "context",
            "alert_signs_at",
            "saved",
        )
    )
    single_window = only_entry is not None or len(set(windows.values())) == 1
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
        signs_at,
        saved,
    ) in _rows(entry_rows):
        day = days_cache.get(local_date) or convert.day(local_date)
        if not single_window:
            first, last = windows[user_id]
            if not first <= day <= last:
                continue
        try:
            pain = codes_cache[pain_types]
            flags = codes_cache[red_flags]
            tags = codes_cache[context]
        except (KeyError, TypeError):  # first sight of a value, or an unhashable one
            pain = convert.code_set(pain_types)
            flags = convert.code_set(red_flags)
            tags = convert.code_set(context)
        found = locations.get(entry_id)
        # Save times matter only to an entry that may carry a sign; the rest skip the parsing.
        if flags or (
            found
            and not SIGN_WORDS.isdisjoint(pain)
            and any(loc.region in _SIGN_REGIONS for loc in found)
        ):
            signs = convert.signs_at(signs_at)
            saved_at = _moment(saved)
        else:
            signs, saved_at = NO_SIGNS, None
        result[user_id].append(
            EntrySnapshot(
                _entry_id(entry_id),
                _moment(occurred_at),
                day,
                timing,
                intensity,
                tuple(found) if found else no_locations,
                pain,
                activity or "",
                flags,
                tags,
                signs,
                saved_at,
            )
        )
    return result


def snapshots_for_user(*, user_id: int, as_of: date) -> list[EntrySnapshot]:
    """One patient's snapshots for a scan on `as_of` (two queries)."""
    return snapshots_for_users(windows={user_id: snapshot_window(as_of=as_of)})[user_id]


def snapshots_with_entry(*, user_id: int, as_of: date, entry_id: str) -> list[EntrySnapshot]:
    """The patient's snapshots for `as_of`, plus the given entry however far back it is dated."""
    # Two queries; two more only when the entry lies outside the window.
    found = snapshots_for_user(user_id=user_id, as_of=as_of)
    if any(s.id == entry_id for s in found):
        return found
    with without_gc():
        extra = _snapshots_for_users({user_id: (date.min, date.max)}, only_entry=entry_id)
    return [*extra[user_id], *found]
