"""The prepared data the report figures draw, and pure builders from entry snapshots.

Everything here is plain Python: no ORM, no clock, no time-zone maths. A selector loads
`EntrySnapshot`s (whose `local_date` and `timing` are already in the patient's zone) and the
patient's flags, then calls `series_from_entries`; the figures only read the result.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from statistics import fmean

from diary import vocabulary as vocab
from diary.outcomes import CheckInSnapshot, TreatmentSnapshot
from diary.rules.base import EntrySnapshot

ROLLING_DAYS = 7
# A trend needs a few days behind it: fewer logged days in the window leave a gap in the line.
ROLLING_MIN_DAYS = 3
# Meaningful change on the 0-10 scale (DOMAIN.md: Farrar 2001, IMMPACT).
CHANGE_POINTS = 2.0
CHANGE_FRACTION = 0.30
# 30 % of a low baseline is a fraction of a point, which is noise in a self-rating; the relative
# criterion only counts once the move is at least this many points.
CHANGE_FRACTION_MIN_POINTS = 1.0
_EPSILON = 1e-9  # so 5.0 -> 3.5 counts as exactly 30 % despite float rounding

_REGION_ORDER = vocab.order(vocab.REGIONS)
_SIDE_ORDER = vocab.order(vocab.SIDES)
_TIMING_ORDER = vocab.order(vocab.TIMINGS)
_ACTIVITY_ORDER = vocab.order(vocab.ACTIVITIES)
_RED_FLAG_ORDER = vocab.order(vocab.RED_FLAGS)


@dataclass(frozen=True, slots=True)
class DailyPoint:
    """Intensity summary of one logged day."""

    day: date
    max: int
    mean: float
    count: int  # entries that day


@dataclass(frozen=True, slots=True)
class RollingPoint:
    """The 7-day rolling mean ending on `day`: mean of the daily means of the logged days."""

    day: date
    mean: float
    days: int  # logged days in the window


@dataclass(frozen=True, slots=True)
class ChangeMarker:
    """The rolling mean moved meaningfully (≥ 2 points or ≥ 30 %) since the previous marker."""

    day: date
    mean: float  # rolling mean on `day`
    baseline: float  # rolling mean it is compared with

    @property
    def delta(self) -> float:
        return self.mean - self.baseline

    @property
    def direction(self) -> str:
        return "up" if self.delta > 0 else "down"


@dataclass(frozen=True, slots=True)
class FlagMarker:
    """A pattern flag, placed on the patient's local day it was first raised."""

    day: date
    code: str
    title: str
    severity: str  # emergency / urgent / warning / info


@dataclass(frozen=True, slots=True)
class RedFlagEvent:
    """One red-flag symptom reported on an entry: the time-stamped red-flag log."""

    occurred_at: datetime
    day: date
    code: str
    label: str
    severity: str


@dataclass(frozen=True, slots=True)
class HeatCell:
    """Mean intensity of one (day, time of day) cell; absent cells had no entries."""

    day: date
    timing: str
    mean: float
    count: int


@dataclass(frozen=True, slots=True)
class RegionCount:
    """How many entries named a region on a side, and their mean intensity."""

    region: str
    side: str
    count: int
    mean_intensity: float


@dataclass(frozen=True, slots=True)
class WeeklyComposition:
    """Pain-type words chosen in a Monday-to-Sunday week, counted by group."""

    week_start: date
    nerve: int
    muscle: int
    other: int

    @property
    def total(self) -> int:
        return self.nerve + self.muscle + self.other


@dataclass(frozen=True, slots=True)
class ActivityIntensities:
    """Every intensity logged with one activity, in time order."""

    activity: str
    values: tuple[int, ...]


@dataclass(frozen=True, slots=True)
class DistalPoint:
    """The most distal level (0 spine … 5 foot/toes) named on a day."""

    day: date
    level: int


@dataclass(frozen=True, slots=True)
class ReportSeries:
    """Everything one report draws, for the days period_start..period_end inclusive."""

    period_start: date
    period_end: date
    daily: tuple[DailyPoint, ...] = ()
    rolling: tuple[RollingPoint, ...] = ()
    changes: tuple[ChangeMarker, ...] = ()
    flags: tuple[FlagMarker, ...] = ()
    red_flag_events: tuple[RedFlagEvent, ...] = ()
    heat: tuple[HeatCell, ...] = ()
    regions: tuple[RegionCount, ...] = ()
    composition: tuple[WeeklyComposition, ...] = ()
    activities: tuple[ActivityIntensities, ...] = ()
    distal: tuple[DistalPoint, ...] = ()
    treatments: tuple[TreatmentSnapshot, ...] = ()  # begun in the period: chart markers
    checkins: tuple[CheckInSnapshot, ...] = ()  # weeks touching the period

    @property
    def days(self) -> tuple[date, ...]:
        return tuple(_days_between(self.period_start, self.period_end))

    @property
    def days_in_period(self) -> int:
        return (self.period_end - self.period_start).days + 1

    @property
    def days_logged(self) -> int:
        return len(self.daily)

    @property
    def logged_share(self) -> float:
        """Share of the period's days with at least one entry (completeness)."""
        return self.days_logged / self.days_in_period if self.days_in_period > 0 else 0.0

    @property
    def is_empty(self) -> bool:
        return not self.daily


def _days_between(start: date, end: date) -> Iterable[date]:
    for offset in range((end - start).days + 1):
        yield start + timedelta(days=offset)


def week_start(day: date) -> date:
    """The Monday of the ISO week holding `day`."""
    return day - timedelta(days=day.weekday())


def _in_period(entries: Iterable[EntrySnapshot], start: date, end: date) -> list[EntrySnapshot]:
    return [e for e in entries if start <= e.local_date <= end]


def daily_points(entries: Iterable[EntrySnapshot]) -> tuple[DailyPoint, ...]:
    """Max, mean and count of intensity per local day, in day order."""
    by_day: dict[date, list[int]] = defaultdict(list)
    for entry in entries:
        by_day[entry.local_date].append(entry.intensity)
    return tuple(
        DailyPoint(day=day, max=max(values), mean=fmean(values), count=len(values))
        for day, values in sorted(by_day.items())
    )


def rolling_means(
    daily: Sequence[DailyPoint], period_start: date, period_end: date
) -> tuple[RollingPoint, ...]:
    """7-day rolling mean of daily means for each period day with enough logged days behind it.

    Daily means (not entries) are averaged so a day with many entries does not outweigh the
    rest of the week. `daily` may reach up to six days before `period_start` so the first
    points of the period have a full window.
    """
    mean_by_day = {p.day: p.mean for p in daily}
    points = []
    for day in _days_between(period_start, period_end):
        window = [
            mean_by_day[d]
            for d in _days_between(day - timedelta(days=ROLLING_DAYS - 1), day)
            if d in mean_by_day
        ]
        if len(window) >= ROLLING_MIN_DAYS:
            points.append(RollingPoint(day=day, mean=fmean(window), days=len(window)))
    return tuple(points)


def is_meaningful_change(baseline: float, value: float) -> bool:
    """True when `value` differs from `baseline` by ≥ 2 points or ≥ 30 % of the baseline."""
    moved = abs(value - baseline)
    if moved >= CHANGE_POINTS - _EPSILON:
        return True
    return (
        moved >= CHANGE_FRACTION * baseline - _EPSILON
        and moved >= CHANGE_FRACTION_MIN_POINTS - _EPSILON
    )


def change_markers(rolling: Sequence[RollingPoint]) -> tuple[ChangeMarker, ...]:
    """Days where the rolling mean moved meaningfully from the last marked (or first) value.

    Comparing with the last marker, not with yesterday, gives one marker per real shift
    instead of a run of markers along a slope or none along a slow drift.
    """
    markers: list[ChangeMarker] = []
    if not rolling:
        return ()
    baseline = rolling[0].mean
    for point in rolling[1:]:
        if is_meaningful_change(baseline, point.mean):
            markers.append(ChangeMarker(day=point.day, mean=point.mean, baseline=baseline))
            baseline = point.mean
    return tuple(markers)


def heat_cells(entries: Iterable[EntrySnapshot]) -> tuple[HeatCell, ...]:
    """Mean intensity per (local day, timing), ordered by day then time of day."""
    cells: dict[tuple[date, str], list[int]] = defaultdict(list)
    for entry in entries:
        cells[(entry.local_date, entry.timing)].append(entry.intensity)
    return tuple(
        HeatCell(day=day, timing=timing, mean=fmean(values), count=len(values))
        for (day, timing), values in sorted(
            cells.items(), key=lambda item: (item[0][0], _TIMING_ORDER.get(item[0][1], 99))
        )
    )


def region_counts(entries: Iterable[EntrySnapshot]) -> tuple[RegionCount, ...]:
    """Entries per (region, side) with their mean intensity, ordered from the spine down."""
    found: dict[tuple[str, str], list[int]] = defaultdict(list)
    for entry in entries:
        # A location listed twice on one entry is still one entry for that place.
        for location in dict.fromkeys(entry.locations):
            found[(location.region, location.side)].append(entry.intensity)
    ordered = sorted(
        (key for key in found if key[0] in vocab.REGION_BY_CODE),
        key=lambda key: (
            vocab.region_level(key[0]),
            _REGION_ORDER[key[0]],
            _SIDE_ORDER.get(key[1], 99),
        ),
    )
    return tuple(
        RegionCount(
            region=region,
            side=side,
            count=len(found[(region, side)]),
            mean_intensity=fmean(found[(region, side)]),
        )
        for region, side in ordered
    )


def weekly_composition(
    entries: Iterable[EntrySnapshot], period_start: date, period_end: date
) -> tuple[WeeklyComposition, ...]:
    """Pain-type words per week and group, every week of the period listed (zero when none)."""
    counts: dict[date, dict[str, int]] = defaultdict(lambda: {"nerve": 0, "muscle": 0, "other": 0})
    for entry in entries:
        week = counts[week_start(entry.local_date)]
        for code in entry.pain_types:
            pain_type = vocab.PAIN_TYPE_BY_CODE.get(code)
            if pain_type is not None:
                week[pain_type.group] += 1
    weeks = []
    monday = week_start(period_start)
    while monday <= period_end:
        group = counts.get(monday, {"nerve": 0, "muscle": 0, "other": 0})
        weeks.append(WeeklyComposition(week_start=monday, **group))
        monday += timedelta(days=7)
    return tuple(weeks)


def activity_intensities(entries: Iterable[EntrySnapshot]) -> tuple[ActivityIntensities, ...]:
    """Intensities grouped by the activity logged, in vocabulary order; no activity is skipped."""
    values: dict[str, list[int]] = defaultdict(list)
    for entry in sorted(entries, key=lambda e: e.occurred_at):
        if entry.activity in _ACTIVITY_ORDER:
            values[entry.activity].append(entry.intensity)
    return tuple(
        ActivityIntensities(activity=code, values=tuple(values[code]))
        for code in sorted(values, key=_ACTIVITY_ORDER.__getitem__)
    )


def distal_points(entries: Iterable[EntrySnapshot]) -> tuple[DistalPoint, ...]:
    """The most distal level named each day; days without known locations are left out."""
    deepest: dict[date, int] = {}
    for entry in entries:
        for location in entry.locations:
            region = vocab.REGION_BY_CODE.get(location.region)
            if region is not None:
                deepest[entry.local_date] = max(deepest.get(entry.local_date, 0), region.level)
    return tuple(DistalPoint(day=day, level=level) for day, level in sorted(deepest.items()))


def red_flag_events(entries: Iterable[EntrySnapshot]) -> tuple[RedFlagEvent, ...]:
    """Every red-flag symptom on every entry, oldest first."""
    events = []
    for entry in entries:
        for code in sorted(entry.red_flags, key=lambda c: _RED_FLAG_ORDER.get(c, 99)):
            red_flag = vocab.RED_FLAG_BY_CODE.get(code)
            if red_flag is not None:
                events.append(
                    RedFlagEvent(
                        occurred_at=entry.occurred_at,
                        day=entry.local_date,
                        code=code,
                        label=red_flag.label,
                        severity=red_flag.severity,
                    )
                )
    return tuple(sorted(events, key=lambda ev: ev.occurred_at))


def series_from_entries(
    entries: Iterable[EntrySnapshot],
    period_start: date,
    period_end: date,
    flags: Iterable[FlagMarker] = (),
    treatments: Iterable[TreatmentSnapshot] = (),
    checkins: Iterable[CheckInSnapshot] = (),
) -> ReportSeries:
    """Build every report series from entry snapshots of one patient.

    Entries from up to six days before `period_start` only feed the rolling mean (so it is
    complete from the first day); everything else uses the period's entries alone.
    """
    if period_end < period_start:
        raise ValueError("period_end is before period_start")
    all_entries = list(entries)
    in_period = _in_period(all_entries, period_start, period_end)
    lead_in = _in_period(all_entries, period_start - timedelta(days=ROLLING_DAYS - 1), period_end)
    daily = daily_points(in_period)
    rolling = rolling_means(daily_points(lead_in), period_start, period_end)
    return ReportSeries(
        period_start=period_start,
        period_end=period_end,
        daily=daily,
        rolling=rolling,
        changes=change_markers(rolling),
        flags=tuple(
            sorted(
                (f for f in flags if period_start <= f.day <= period_end),
                key=lambda f: (f.day, f.code),
            )
        ),
        red_flag_events=red_flag_events(in_period),
        heat=heat_cells(in_period),
        regions=region_counts(in_period),
        composition=weekly_composition(in_period, period_start, period_end) if in_period else (),
        activities=activity_intensities(in_period),
        distal=distal_points(in_period),
        treatments=tuple(
            sorted(
                (t for t in treatments if period_start <= t.started_on <= period_end),
                key=lambda t: (t.started_on, t.id),
            )
        ),
        checkins=tuple(
            sorted(
                (c for c in checkins if week_start(period_start) <= c.week_of <= period_end),
                key=lambda c: c.week_of,
            )
        ),
    )
