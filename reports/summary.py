"""The clinician summary's numbers: a pure function over one period's entry snapshots.

No ORM and no clock. The selector passes the period's snapshots (times already in the
patient's zone) and the patient's flags as plain `FlagNote`s.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from statistics import fmean

from diary import vocabulary as vocab
from diary.rules.base import MEANINGFUL_DIFFERENCE, EntrySnapshot, is_painful
from reports.logged_days import split_logged_days
from reports.series import is_meaningful_change

# A contrast between two groups of entries says little below a handful of entries each.
MIN_GROUP_ENTRIES = 3
ROOT_AREA_NOTE = (
    "Typical textbook areas only, not a finding: where pain is felt predicts the affected "
    "nerve root poorly, so this is not a diagnosis."
)
_ACTIVITY_LABEL = {a.code: a.label for a in vocab.ACTIVITIES}
_CONTEXT_LABEL = {c.code: c.label for c in vocab.CONTEXT_TAGS}
_SIDE_LABEL = {s.code: s.label for s in vocab.SIDES}
_PAIN_ORDER = {p.code: i for i, p in enumerate(vocab.PAIN_TYPES)}


@dataclass(frozen=True, slots=True)
class FlagNote:
    """A pattern flag as the summary lists it, dates in the patient's zone."""

    code: str
    severity: str
    title: str
    explanation: str
    source: str
    status: str  # active / acknowledged / resolved
    first_detected_on: date
    last_seen_on: date

    @property
    def is_active(self) -> bool:
        return self.status == "active"


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


def _group(label: str, entries: Sequence[EntrySnapshot]) -> GroupMean:
    values = [e.intensity for e in entries]
    return GroupMean(label=label, count=len(values), mean=fmean(values) if values else None)


def _counts(
    counter: Counter[str], labels: dict[str, str], order: dict[str, int]
) -> tuple[Count, ...]:
    known = [code for code in counter if code in labels]
    known.sort(key=lambda code: (-counter[code], order.get(code, 99), code))
    return tuple(Count(code=code, label=labels[code], count=counter[code]) for code in known)


def period_change(
    entries: Sequence[EntrySnapshot], period_start: date, period_end: date
) -> Change | None:
    """The first 14 logged days of the period against the last 14 (halves when fewer)."""
    split = split_logged_days([e for e in entries if period_start <= e.local_date <= period_end])
    if split is None:
        return None
    first, last, stretch = split
    return Change(days=stretch, first=_group("first", first), last=_group("last", last))


def location_counts(entries: Iterable[EntrySnapshot]) -> tuple[LocationCount, ...]:
    """Per (region, side): painful entries naming it, from the spine down to the toes."""
    found: dict[tuple[str, str], list[int]] = {}
    for entry in entries:
        for loc in {(loc.region, loc.side) for loc in entry.locations}:
            if loc[0] in vocab.REGION_BY_CODE:
                found.setdefault(loc, []).append(entry.intensity)
    region_order = {r.code: i for i, r in enumerate(vocab.REGIONS)}
    side_order = {s.code: i for i, s in enumerate(vocab.SIDES)}
    rows = []
    for (region, side), values in sorted(
        found.items(), key=lambda item: (region_order[item[0][0]], side_order.get(item[0][1], 9))
    ):
        info = vocab.REGION_BY_CODE[region]
        rows.append(
            LocationCount(
                region=region,
                region_label=info.label,
                side=side,
                side_label=_SIDE_LABEL.get(side, side),
                level=info.level,
                count=len(values),
                mean_intensity=fmean(values),
                typical_area_of="/".join(info.roots),
            )
        )
    return tuple(rows)


def root_areas(entries: Iterable[EntrySnapshot]) -> tuple[RootArea, ...]:
    """For L4, L5 and S1: painful entries touching the typical area, and which regions."""
    areas = []
    for root, regions in vocab.ROOT_AREAS.items():
        touching = 0
        by_region: Counter[str] = Counter()
        for entry in entries:
            found = {loc.region for loc in entry.locations if loc.region in regions}
            if found:
                touching += 1
                by_region.update(found)
        region_order = {code: i for i, code in enumerate(regions)}
        labels = {code: vocab.REGION_BY_CODE[code].label for code in regions}
        areas.append(
            RootArea(
                root=root,
                label=f"Typical area of {root}",
                entries=touching,
                regions=_counts(by_region, labels, region_order),
            )
        )
    return tuple(areas)


def summary_from_entries(
    entries: Iterable[EntrySnapshot],
    period_start: date,
    period_end: date,
    flags: Iterable[FlagNote] = (),
) -> ClinicianSummary:
    """Every summary number for the entries on local days period_start..period_end."""
    in_period = sorted(
        (e for e in entries if period_start <= e.local_date <= period_end),
        key=lambda e: (e.occurred_at, e.id),
    )
    painful = [e for e in in_period if is_painful(e)]
    worst = max(in_period, key=lambda e: (e.intensity, e.occurred_at), default=None)

    levels = {
        loc.region: vocab.REGION_BY_CODE[loc.region].level
        for e in painful
        for loc in e.locations
        if loc.region in vocab.REGION_BY_CODE
    }
    distal = max(levels.values(), default=None)
    distal_regions = tuple(
        r.label for r in vocab.REGIONS if distal is not None and levels.get(r.code) == distal
    )

    sides: Counter[str] = Counter()
    pain_types: Counter[str] = Counter()
    activities: Counter[str] = Counter()
    context: Counter[str] = Counter()
    for entry in in_period:
        sides.update({loc.side for loc in entry.locations} if is_painful(entry) else ())
        pain_types.update(entry.pain_types)
        if entry.activity:
            activities[entry.activity] += 1
        context.update(entry.context)

    night = [e for e in in_period if e.timing in vocab.NIGHT_TIMINGS]
    day = [e for e in in_period if e.timing not in vocab.NIGHT_TIMINGS]
    rest = [e for e in in_period if e.activity in vocab.REST_ACTIVITIES]
    active = [e for e in in_period if e.activity and e.activity not in vocab.REST_ACTIVITIES]

    red_flags = tuple(
        RedFlagOccurrence(
            occurred_at=e.occurred_at,
            code=code,
            label=vocab.RED_FLAG_BY_CODE[code].label,
            severity=vocab.RED_FLAG_BY_CODE[code].severity,
        )
        for e in in_period
        for code in sorted(e.red_flags)
        if code in vocab.RED_FLAG_BY_CODE
    )
    flag_notes = list(flags)
    return ClinicianSummary(
        period_start=period_start,
        period_end=period_end,
        entry_count=len(in_period),
        days_logged=len({e.local_date for e in in_period}),
        mean_intensity=fmean(e.intensity for e in in_period) if in_period else None,
        worst_intensity=worst.intensity if worst else None,
        worst_on=worst.local_date if worst else None,
        change=period_change(in_period, period_start, period_end),
        night_vs_day=Contrast(
            _group("Evening and night", night), _group("Morning and afternoon", day)
        ),
        rest_vs_activity=Contrast(_group("At rest", rest), _group("Active", active)),
        most_distal_level=distal,
        most_distal_regions=distal_regions,
        sides=_counts(sides, _SIDE_LABEL, {s.code: i for i, s in enumerate(vocab.SIDES)}),
        locations=location_counts(painful),
        root_areas=root_areas(painful),
        pain_types=_counts(pain_types, {p.code: p.label for p in vocab.PAIN_TYPES}, _PAIN_ORDER),
        nerve_like_entries=sum(1 for e in in_period if e.pain_types & vocab.NERVE_PAIN_TYPES),
        muscle_like_entries=sum(1 for e in in_period if e.pain_types & vocab.MUSCLE_PAIN_TYPES),
        activities=_counts(
            activities, _ACTIVITY_LABEL, {a.code: i for i, a in enumerate(vocab.ACTIVITIES)}
        ),
        context=_counts(
            context, _CONTEXT_LABEL, {c.code: i for i, c in enumerate(vocab.CONTEXT_TAGS)}
        ),
        red_flags=red_flags,
        active_flags=tuple(f for f in flag_notes if f.is_active),
        past_flags=tuple(f for f in flag_notes if not f.is_active),
    )


def figure_labels(summary: ClinicianSummary) -> dict[str, str]:
    """One-sentence text alternatives for the figures, keyed by figure slug."""
    if summary.is_empty:
        return {}
    mean = f"{summary.mean_intensity:.1f}" if summary.mean_intensity is not None else "–"
    night = summary.night_vs_day
    top_region = ", ".join(summary.most_distal_regions[:3]) or "no location given"
    top_pain = ", ".join(c.label for c in summary.pain_types[:3]) or "none chosen"
    top_activity = ", ".join(c.label for c in summary.activities[:3]) or "none given"
    return {
        "daily-intensity": (
            f"Daily pain intensity over {summary.days_in_period} days: average {mean}/10, "
            f"worst {summary.worst_intensity}/10, logged on {summary.days_logged} days."
        ),
        "time-of-day": (
            f"Pain by time of day: {night.first.count} evening or night entries, "
            f"{night.second.count} morning or afternoon entries."
        ),
        "regions": f"Where it hurts, by side. Furthest down the leg: {top_region}.",
        "pain-types": f"Kinds of pain by week. Most often: {top_pain}.",
        "activity": f"Pain by activity. Most often logged: {top_activity}.",
        "distal-level": (
            f"How far down the leg symptoms reached each day; furthest: "
            f"{summary.most_distal_label or 'not recorded'}."
        ),
    }
