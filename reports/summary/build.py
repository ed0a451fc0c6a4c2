"""The clinician summary's numbers: a pure function over one period's entry snapshots."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Sequence
from datetime import date
from statistics import fmean

from diary import vocabulary as vocab
from diary.rules.base import EntrySnapshot, is_painful
from reports.logged_days import split_logged_days
from reports.summary.flags import FlagNote, flags_by_status
from reports.summary.values import (
    Change,
    ClinicianSummary,
    Contrast,
    Count,
    GroupMean,
    LocationCount,
    RedFlagOccurrence,
    RootArea,
)


def _group(label: str, entries: Sequence[EntrySnapshot]) -> GroupMean:
    values = [e.intensity for e in entries]
    return GroupMean(label=label, count=len(values), mean=fmean(values) if values else None)


def _counts(
    counter: Counter[str], labels: dict[str, str], order: dict[str, int]
) -> tuple[Count, ...]:
    known = [code for code in counter if code in labels]
    known.sort(key=lambda code: (-counter[code], order.get(code, 99), code))
    return tuple(Count(code=code, label=labels[code], count=counter[code]) for code in known)


def _vocabulary_counts(counter: Counter[str], terms: tuple[vocab.Term, ...]) -> tuple[Count, ...]:
    return _counts(counter, vocab.labels(terms), vocab.order(terms))


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
    region_order, side_order = vocab.order(vocab.REGIONS), vocab.order(vocab.SIDES)
    side_labels = vocab.labels(vocab.SIDES)
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
                side_label=side_labels.get(side, side),
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
        labels = {code: vocab.REGION_BY_CODE[code].label for code in regions}
        areas.append(
            RootArea(
                root=root,
                label=f"Typical area of {root}",
                entries=touching,
                regions=_counts(by_region, labels, vocab.order(regions)),
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
    active_flags, past_flags = flags_by_status(flags)
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
        sides=_vocabulary_counts(sides, vocab.SIDES),
        locations=location_counts(painful),
        root_areas=root_areas(painful),
        pain_types=_vocabulary_counts(pain_types, vocab.PAIN_TYPES),
        nerve_like_entries=sum(1 for e in in_period if e.pain_types & vocab.NERVE_PAIN_TYPES),
        muscle_like_entries=sum(1 for e in in_period if e.pain_types & vocab.MUSCLE_PAIN_TYPES),
        activities=_vocabulary_counts(activities, vocab.ACTIVITIES),
        context=_vocabulary_counts(context, vocab.CONTEXT_TAGS),
        red_flags=red_flags,
        active_flags=active_flags,
        past_flags=past_flags,
    )
