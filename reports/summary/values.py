"""The clinician summary's values: means, contrasts, counts and the summary itself."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

from diary import vocabulary as vocab
from diary.rules.base import MEANINGFUL_DIFFERENCE
from reports.series import is_meaningful_change
from reports.summary.flags import FlagNote

# A contrast between two groups of entries says little below a handful of entries each.
MIN_GROUP_ENTRIES = 3


@dataclass(frozen=True, slots=True)
class GroupMean:
    """Mean intensity of one group of entries."""

    label: str
    count: int
    mean: float | None


@dataclass(frozen=True, slots=True)
class Contrast:
    """Two groups of entries compared (night vs day, rest vs activity)."""

    first: GroupMean
    second: GroupMean

    @property
    def difference(self) -> float | None:
        """first minus second, when both groups have entries."""
        if self.first.mean is None or self.second.mean is None:
            return None
        return self.first.mean - self.second.mean

    @property
    def abs_difference(self) -> float | None:
        diff = self.difference
        return abs(diff) if diff is not None else None

    @property
    def higher(self) -> GroupMean | None:
        """The group with the higher mean, or None when equal or not comparable."""
        diff = self.difference
        if not diff:
            return None
        return self.first if diff > 0 else self.second

    @property
    def enough_entries(self) -> bool:
        return min(self.first.count, self.second.count) >= MIN_GROUP_ENTRIES

    @property
    def meaningful(self) -> bool:
        """At least 2 points apart with a few entries on each side."""
        diff = self.difference
        return diff is not None and self.enough_entries and abs(diff) >= MEANINGFUL_DIFFERENCE


@dataclass(frozen=True, slots=True)
class Change:
    """Mean intensity of the first and the last stretch of the period."""

    days: int  # length of each stretch
    first: GroupMean
    last: GroupMean

    @property
    def delta(self) -> float | None:
        if self.first.mean is None or self.last.mean is None:
            return None
        return self.last.mean - self.first.mean

    @property
    def abs_delta(self) -> float | None:
        delta = self.delta
        return abs(delta) if delta is not None else None

    @property
    def meaningful(self) -> bool:
        """≥ 2 points or ≥ 30 % (DOMAIN.md), as the trend chart marks it."""
        if self.first.mean is None or self.last.mean is None:
            return False
        return is_meaningful_change(self.first.mean, self.last.mean)

    @property
    def direction(self) -> str:
        delta = self.delta
        if delta is None or not self.meaningful:
            return "steady"
        return "worse" if delta > 0 else "better"


@dataclass(frozen=True, slots=True)
class Count:
    """How many entries carried one code."""

    code: str
    label: str
    count: int


@dataclass(frozen=True, slots=True)
class LocationCount:
    """Painful entries naming one region on one side, with their mean intensity."""

    region: str
    region_label: str
    side: str
    side_label: str
    level: int
    count: int
    mean_intensity: float
    typical_area_of: str  # "L5", or "" outside the L4/L5/S1 areas


@dataclass(frozen=True, slots=True)
class RootArea:
    """Entries with pain in the typical area of one nerve root (informational only)."""

    root: str
    label: str  # "Typical area of L5"
    entries: int
    regions: tuple[Count, ...]


@dataclass(frozen=True, slots=True)
class RedFlagOccurrence:
    """One red-flag symptom on one entry, time-stamped in the zone it was logged in."""

    occurred_at: datetime
    code: str
    label: str
    severity: str


@dataclass(frozen=True, slots=True)
class ClinicianSummary:
    """The numbers at the top of the clinician summary and the patient's report."""

    period_start: date
    period_end: date
    entry_count: int
    days_logged: int
    mean_intensity: float | None
    worst_intensity: int | None
    worst_on: date | None
    change: Change | None
    night_vs_day: Contrast
    rest_vs_activity: Contrast
    most_distal_level: int | None
    most_distal_regions: tuple[str, ...]  # labels
    sides: tuple[Count, ...]
    locations: tuple[LocationCount, ...]
    root_areas: tuple[RootArea, ...]
    pain_types: tuple[Count, ...]
    nerve_like_entries: int
    muscle_like_entries: int
    activities: tuple[Count, ...]
    context: tuple[Count, ...]
    red_flags: tuple[RedFlagOccurrence, ...]
    active_flags: tuple[FlagNote, ...]
    past_flags: tuple[FlagNote, ...]

    @property
    def days_in_period(self) -> int:
        return (self.period_end - self.period_start).days + 1

    @property
    def logged_share(self) -> float:
        """Share of the period's days with at least one entry."""
        return self.days_logged / self.days_in_period if self.days_in_period > 0 else 0.0

    @property
    def logged_percent(self) -> int:
        return round(self.logged_share * 100)

    @property
    def is_empty(self) -> bool:
        return self.entry_count == 0

    @property
    def most_distal_label(self) -> str:
        if self.most_distal_level is None:
            return ""
        return vocab.LEVEL_LABELS[self.most_distal_level]
