"""The report series builders: plain functions over entry snapshots, no database."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import pytest

from diary.rules.base import EntrySnapshot
from reports.series import (
    ChangeMarker,
    FlagMarker,
    RollingPoint,
    change_markers,
    daily_points,
    is_meaningful_change,
    rolling_means,
    series_from_entries,
)
from tests.support.snapshots import snapshot

START = date(2026, 3, 2)  # a Monday
END = date(2026, 3, 29)  # a Sunday: four full weeks


def entry(day: date, intensity: int, timing: str = "morning", **fields) -> EntrySnapshot:
    return snapshot(day, intensity, timing=timing, **fields)


def day(n: int) -> date:
    """The n-th day of the test period, counting from 0."""
    return START + timedelta(days=n)


def steady(value: int, first: int, last: int) -> list[EntrySnapshot]:
    return [entry(day(n), value) for n in range(first, last + 1)]


def rolling(*values: float) -> list[RollingPoint]:
    return [RollingPoint(day=day(n), mean=v, days=7) for n, v in enumerate(values)]


# Daily points


def test_entries_are_grouped_by_local_date_not_by_utc_date() -> None:
    # 23:30 on 2 March in Auckland is still 1 March in UTC; the local day wins.
    late = EntrySnapshot(
        id="nz",
        occurred_at=datetime(2026, 3, 1, 10, 30, tzinfo=UTC),
        local_date=date(2026, 3, 2),
        timing="night",
        intensity=6,
    )
    points = daily_points([late, entry(date(2026, 3, 2), 2)])
    assert [(p.day, p.count) for p in points] == [(date(2026, 3, 2), 2)]


def test_daily_point_has_the_max_mean_and_count_of_the_day() -> None:
    (point,) = daily_points([entry(day(0), 2), entry(day(0), 7), entry(day(0), 3)])
    assert (point.max, point.mean, point.count) == (7, 4.0, 3)


def test_daily_points_come_in_day_order() -> None:
    points = daily_points([entry(day(3), 1), entry(day(1), 1), entry(day(2), 1)])
    assert [p.day for p in points] == [day(1), day(2), day(3)]


# Rolling mean


def test_rolling_mean_averages_the_daily_means_of_the_last_seven_days() -> None:
    entries = [entry(day(n), v) for n, v in enumerate([1, 2, 3, 4, 5, 6, 7, 8])]
    points = {p.day: p for p in rolling_means(daily_points(entries), START, END)}
    assert points[day(6)].mean == pytest.approx(4.0)  # days 0-6: 1..7
    assert points[day(7)].mean == pytest.approx(5.0)  # days 1-7: 2..8
    assert points[day(7)].days == 7


def test_rolling_mean_weighs_each_day_once_however_many_entries_it_has() -> None:
    entries = [entry(day(0), 0), entry(day(1), 0), *[entry(day(2), 9) for _ in range(5)]]
    points = {p.day: p.mean for p in rolling_means(daily_points(entries), START, END)}
    assert points[day(2)] == pytest.approx(3.0)  # (0 + 0 + 9) / 3, not 45 / 7


def test_rolling_mean_needs_three_logged_days_in_the_window() -> None:
    entries = [entry(day(0), 5), entry(day(1), 5), entry(day(9), 5)]
    points = {p.day for p in rolling_means(daily_points(entries), START, END)}
    assert points == set()  # no seven-day window ever holds three logged days
    entries.append(entry(day(2), 5))
    points = {p.day for p in rolling_means(daily_points(entries), START, END)}
    assert points == {day(n) for n in range(2, 7)}  # day 7's window (1..7) holds two


def test_entries_before_the_period_feed_only_the_rolling_mean() -> None:
    lead_in = [entry(START - timedelta(days=n), 8) for n in (1, 2, 3)]
    series = series_from_entries([*lead_in, entry(START, 2)], START, END)
    assert [p.day for p in series.daily] == [START]
    assert series.rolling[0].day == START
    assert series.rolling[0].mean == pytest.approx(6.5)  # (8 + 8 + 8 + 2) / 4


def test_entries_after_the_period_are_ignored() -> None:
    series = series_from_entries([entry(END + timedelta(days=1), 9)], START, END)
    assert series.is_empty


# Meaningful change


@pytest.mark.parametrize(
    ("baseline", "value", "meaningful"),
    [
        (3.0, 5.0, True),  # exactly 2 points
        (8.0, 6.0, True),  # 2 points, only 25 %
        (5.0, 3.5, True),  # 1.5 points is exactly 30 %
        (5.0, 3.6, False),  # 1.4 points, 28 %
        (4.0, 5.1, False),  # 1.1 points, 27.5 %
        (4.0, 5.2, True),  # 1.2 points, 30 %
        (2.0, 2.7, False),  # 35 % but under one point: noise on a 0-10 rating
        (0.0, 0.9, False),  # under the one-point floor
        (0.0, 1.0, True),  # any rise from no pain is over 30 %
    ],
)
def test_meaningful_change_is_two_points_or_thirty_percent(
    baseline: float, value: float, meaningful: bool
) -> None:
    assert is_meaningful_change(baseline, value) is meaningful


def test_change_marker_is_placed_on_the_day_the_rolling_mean_moved_two_points() -> None:
    markers = change_markers(rolling(6.0, 6.5, 7.2, 8.0, 8.1))
    assert markers == (ChangeMarker(day=day(3), mean=8.0, baseline=6.0),)
    assert markers[0].direction == "up"
    assert markers[0].delta == pytest.approx(2.0)


def test_a_thirty_percent_fall_is_marked_even_under_two_points() -> None:
    markers = change_markers(rolling(5.0, 4.5, 3.5))
    assert [(m.day, m.direction) for m in markers] == [(day(2), "down")]


def test_change_markers_compare_with_the_last_marker_not_the_first_value() -> None:
    markers = change_markers(rolling(2.0, 4.0, 5.0, 6.0, 6.5))
    # 2 -> 4 marks; 5 is only 1 point (25 %) above 4; 6 is 2 points above 4 and marks.
    assert [(m.day, m.baseline) for m in markers] == [(day(1), 2.0), (day(3), 4.0)]


def test_no_change_markers_along_a_flat_trend() -> None:
    assert change_markers(rolling(5.0, 5.4, 4.8, 5.2, 5.0)) == ()
    assert change_markers([]) == ()


def test_series_marks_a_meaningful_rise_in_the_weekly_average() -> None:
    entries = steady(3, 0, 13) + steady(8, 14, 27)
    series = series_from_entries(entries, START, END)
    assert {m.direction for m in series.changes} == {"up"}
    # The window (days 8-14) holds one 8 among six 3s: (6*3 + 8) / 7 = 3.71, not yet
    # meaningful; by day 15 it is (5*3 + 2*8) / 7 = 4.43, 1.43 points and 47 % above 3.
    assert series.changes[0].day == day(15)
    assert series.changes[0].baseline == pytest.approx(3.0)
    assert series.changes[-1].mean == pytest.approx(8.0)


# Other series


def test_heat_cells_hold_the_mean_per_day_and_time_of_day() -> None:
    entries = [
        entry(day(0), 2, "morning"),
        entry(day(0), 7, "night", hour=23),
        entry(day(0), 9, "night", hour=2),
        entry(day(1), 4, "evening"),
    ]
    cells = series_from_entries(entries, START, END).heat
    assert [(c.day, c.timing, c.mean, c.count) for c in cells] == [
        (day(0), "morning", 2.0, 1),
        (day(0), "night", 8.0, 2),
        (day(1), "evening", 4.0, 1),
    ]


def test_region_counts_split_by_side_and_run_from_the_spine_down() -> None:
    entries = [
        entry(day(0), 6, locations=(("foot_sole", "left"), ("lower_back", "center"))),
        entry(day(1), 4, locations=(("foot_sole", "left"),)),
        entry(day(2), 3, locations=(("foot_sole", "right"), ("calf", "both"))),
    ]
    regions = series_from_entries(entries, START, END).regions
    assert [(r.region, r.side, r.count, r.mean_intensity) for r in regions] == [
        ("lower_back", "center", 1, 6.0),
        ("calf", "both", 1, 3.0),
        ("foot_sole", "left", 2, 5.0),
        ("foot_sole", "right", 1, 3.0),
    ]


def test_a_place_listed_twice_on_one_entry_counts_once() -> None:
    twice = entry(day(0), 5, locations=(("heel", "left"), ("heel", "left")))
    (region,) = series_from_entries([twice], START, END).regions
    assert region.count == 1


def test_weekly_composition_counts_pain_words_by_group_for_every_week() -> None:
    entries = [
        entry(day(0), 5, pain_types=("burning", "tingling", "aching")),
        entry(day(6), 5, pain_types=("electric", "weakness")),
        entry(day(14), 5, pain_types=("cramping",)),
    ]
    weeks = series_from_entries(entries, START, END).composition
    assert [(w.week_start, w.nerve, w.muscle, w.other) for w in weeks] == [
        (day(0), 3, 1, 1),
        (day(7), 0, 0, 0),
        (day(14), 0, 1, 0),
        (day(21), 0, 0, 0),
    ]


def test_weeks_start_on_monday_even_when_the_period_does_not() -> None:
    series = series_from_entries([entry(day(3), 5)], day(3), day(10))
    assert [w.week_start for w in series.composition] == [day(0), day(7)]


def test_activity_intensities_follow_vocabulary_order_and_skip_entries_without_one() -> None:
    entries = [
        entry(day(0), 7, activity="walking"),
        entry(day(1), 2, activity="lying_down"),
        entry(day(2), 5, activity="walking"),
        entry(day(3), 9),
    ]
    activities = series_from_entries(entries, START, END).activities
    assert [(a.activity, a.values) for a in activities] == [
        ("lying_down", (2,)),
        ("walking", (7, 5)),
    ]


def test_distal_level_is_the_deepest_level_named_each_day() -> None:
    entries = [
        entry(day(0), 5, locations=(("lower_back", "center"), ("thigh_back", "left"))),
        entry(day(0), 5, locations=(("calf", "left"),)),
        entry(day(1), 5, locations=(("big_toe", "left"),)),
        entry(day(2), 5),  # no places: no point rather than a false "spine"
    ]
    distal = series_from_entries(entries, START, END).distal
    assert [(p.day, p.level) for p in distal] == [(day(0), 3), (day(1), 5)]


def test_red_flag_events_are_time_stamped_with_vocabulary_wording() -> None:
    entries = [
        entry(day(2), 8, red_flags=("foot_drop",), hour=15),
        entry(day(2), 8, red_flags=("saddle_numbness",), hour=8),
    ]
    events = series_from_entries(entries, START, END).red_flag_events
    assert [(e.occurred_at.hour, e.code, e.label, e.severity) for e in events] == [
        (8, "saddle_numbness", "Saddle numbness", "emergency"),
        (15, "foot_drop", "Foot drop", "urgent"),
    ]


def test_only_flags_raised_inside_the_period_are_kept_in_day_order() -> None:
    flags = [
        FlagMarker(day(10), "persistent_pain", "Pain lasting weeks", "warning"),
        FlagMarker(START - timedelta(days=1), "old", "Before", "info"),
        FlagMarker(day(3), "night_worse_nerve_pain", "Worse at night", "info"),
    ]
    series = series_from_entries([entry(day(0), 5)], START, END, flags=flags)
    assert [f.code for f in series.flags] == ["night_worse_nerve_pain", "persistent_pain"]


def test_logged_share_counts_days_with_at_least_one_entry() -> None:
    entries = [entry(day(0), 5), entry(day(0), 6), entry(day(6), 5)]
    series = series_from_entries(entries, START, END)
    assert (series.days_logged, series.days_in_period) == (2, 28)
    assert series.logged_share == pytest.approx(2 / 28)


def test_no_entries_give_an_empty_series() -> None:
    series = series_from_entries([], START, END)
    assert series.is_empty
    assert series.logged_share == 0.0
    assert (series.rolling, series.heat, series.composition, series.distal) == ((), (), (), ())


def test_a_period_ending_before_it_starts_is_refused() -> None:
    with pytest.raises(ValueError):
        series_from_entries([], END, START)
