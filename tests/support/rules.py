"""Builders for entry snapshots, so each rule test states only what matters to it."""

from __future__ import annotations

import itertools
from collections.abc import Iterable
from dataclasses import replace
from datetime import UTC, date, datetime, time, timedelta

from hypothesis import strategies as st

from diary.rules.base import EntrySnapshot, Location
from diary.vocabulary import (
    ACTIVITIES,
    CONTEXT_TAGS,
    PAIN_TYPES,
    RED_FLAGS,
    REGIONS,
    SIDES,
    codes,
    side_allowed,
    timing_for,
)

AS_OF = date(2026, 11, 28)
HOUR_OF_TIMING = {"morning": 9, "afternoon": 14, "evening": 19, "night": 23}

_ids = itertools.count(1)

LocationSpec = str | tuple[str, str]


def day(days_ago: int, as_of: date = AS_OF) -> date:
    return as_of - timedelta(days=days_ago)


def _location(spec: LocationSpec) -> Location:
    """'calf' means the left calf; ('calf', 'right') names the side."""
    region, side = (spec, "left") if isinstance(spec, str) else spec
    return Location(region=region, side=side)


def entry(
    days_ago: int = 0,
    *,
    intensity: int = 5,
    locations: Iterable[LocationSpec] = ("calf",),
    timing: str = "afternoon",
    activity: str = "",
    pain_types: Iterable[str] = (),
    red_flags: Iterable[str] = (),
    context: Iterable[str] = (),
    minute: int = 0,
    as_of: date = AS_OF,
) -> EntrySnapshot:
    """One snapshot `days_ago` days before `as_of`, at the usual hour of its timing (UTC)."""
    local_date = day(days_ago, as_of)
    occurred_at = datetime.combine(local_date, time(HOUR_OF_TIMING[timing], minute), tzinfo=UTC)
    return EntrySnapshot(
        id=f"e{next(_ids):06d}",
        occurred_at=occurred_at,
        local_date=local_date,
        timing=timing,
        intensity=intensity,
        locations=tuple(_location(spec) for spec in locations),
        pain_types=frozenset(pain_types),
        activity=activity,
        red_flags=frozenset(red_flags),
        context=frozenset(context),
    )


def pain_free(days_ago: int = 0, **kwargs) -> EntrySnapshot:
    """A 0/10 entry with no locations."""
    return entry(days_ago, intensity=0, locations=(), **kwargs)


def ids(entries: Iterable[EntrySnapshot]) -> tuple[str, ...]:
    return tuple(e.id for e in entries)


# Hypothesis: any list of snapshots the API could have stored.
VALID_LOCATIONS = [(r.code, s.code) for r in REGIONS for s in SIDES if side_allowed(r.code, s.code)]
# A few places, so dense diaries repeat them the way real ones do and raise the patterns.
LEG_PLACES = [("lower_back", "center"), ("thigh_back", "left"), ("calf", "left"), ("heel", "left")]
BOTH_SIDES_PLACES = [("calf", "right"), ("foot_sole", "both"), ("calf", "left")]
FOOT_PLACES = [("heel", "left"), ("foot_sole", "right"), ("big_toe", "both")]
# Mostly in the last weeks, sometimes long ago or after as_of.
ANY_DAY = st.one_of(st.integers(-2, 30), st.integers(-2, 130))


@st.composite
def snapshots(
    draw: st.DrawFn,
    days_ago: st.SearchStrategy[int] = ANY_DAY,
    places: list[tuple[str, str]] = VALID_LOCATIONS,
) -> EntrySnapshot:
    """A valid snapshot `days_ago` before AS_OF, located among `places`."""
    local_date = AS_OF - timedelta(days=draw(days_ago))
    local_time = time(draw(st.integers(0, 23)), draw(st.integers(0, 59)))
    occurred_at = datetime.combine(local_date, local_time, tzinfo=UTC)
    intensity = draw(st.integers(0, 10))
    # The API allows no locations only at 0/10.
    min_places = 1 if intensity else 0
    locations = draw(
        st.lists(st.sampled_from(places), min_size=min_places, max_size=3, unique=True)
    )
    return EntrySnapshot(
        id="",  # numbered once the diary is drawn
        occurred_at=occurred_at,
        local_date=local_date,
        timing=timing_for(occurred_at),
        intensity=intensity,
        locations=tuple(Location(region, side) for region, side in locations),
        pain_types=draw(st.frozensets(st.sampled_from(sorted(codes(PAIN_TYPES))), max_size=3)),
        activity=draw(st.sampled_from(["", *sorted(codes(ACTIVITIES))])),
        red_flags=draw(
            st.frozensets(st.sampled_from(sorted(codes(RED_FLAGS))), max_size=2)
            if draw(st.integers(0, 9)) == 0  # red flags are rare in real diaries
            else st.just(frozenset())
        ),
        context=draw(st.frozensets(st.sampled_from(sorted(codes(CONTEXT_TAGS))), max_size=2)),
    )


def _diary(*parts: st.SearchStrategy[list[EntrySnapshot]]) -> st.SearchStrategy:
    return st.tuples(*parts).map(lambda lists: [e for part in lists for e in part])


def _entries(days_ago: st.SearchStrategy[int], places: list, min_size: int, max_size: int):
    return st.lists(snapshots(days_ago, places), min_size=min_size, max_size=max_size)


# Sparse: anything, anywhere in time. Dense: six weeks of a few leg places. Phased: one side,
# then both sides. Foot: only the foot. Together they raise every pattern some of the time.
diaries = st.one_of(
    _entries(ANY_DAY, VALID_LOCATIONS, 0, 60),
    _entries(st.integers(-1, 42), LEG_PLACES, 20, 60),
    _diary(
        _entries(st.integers(14, 41), LEG_PLACES, 7, 30),
        _entries(st.integers(0, 13), BOTH_SIDES_PLACES, 1, 20),
    ),
    _entries(st.integers(-1, 20), FOOT_PLACES, 3, 20),
).map(lambda entries: [replace(e, id=f"h{i:03d}") for i, e in enumerate(entries)])
