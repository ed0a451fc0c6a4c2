"""Before/after a treatment and the check-in summary: pure functions, boundaries (CONTRACT §8)."""

from __future__ import annotations

from datetime import date, timedelta

import pytest

from diary.outcomes import CheckInSnapshot, TreatmentSnapshot
from reports.outcomes import (
    NATURAL_COURSE_NOTE,
    before_after,
    earliest_day_needed,
    outcome_report,
)
from reports.series import series_from_entries
from tests.support.snapshots import checkin_snapshot, snapshot

DAY0 = date(2026, 10, 15)
LATER = date(2026, 12, 31)
INJECTION = TreatmentSnapshot(id=1, kind="injection", name="Epidural", started_on=DAY0)


def on(offset: int, intensity: int):
    return snapshot(DAY0 + timedelta(days=offset), intensity)


def sides(before: list[int], after: list[int]) -> list:
    """Entries on days -1, -2, … before and days 3, 4, … after."""
    return [on(-1 - i, v) for i, v in enumerate(before)] + [
        on(3 + i, v) for i, v in enumerate(after)
    ]


def test_it_compares_the_14_days_before_with_days_3_to_16_after():
    result = before_after(INJECTION, sides([6, 6, 7, 7], [4, 4, 4, 4]), as_of=LATER)
    assert (result.before_count, result.after_count) == (4, 4)
    assert result.before_mean == 6.5
    assert result.after_mean == 4.0
    assert result.difference == pytest.approx(-2.5)
    assert result.percent == pytest.approx(-2.5 / 6.5 * 100)
    assert result.meaningful
    assert result.direction == "lower"


@pytest.mark.parametrize(
    ("offset", "side"),
    [
        (-15, None),
        (-14, "before"),
        (-1, "before"),
        (0, None),
        (1, None),
        (2, None),
        (3, "after"),
        (16, "after"),
        (17, None),
    ],
)
def test_window_edges(offset, side):
    result = before_after(INJECTION, [on(offset, 5)], as_of=LATER)
    assert (result.before_count, result.after_count) == (
        int(side == "before"),
        int(side == "after"),
    )


@pytest.mark.parametrize(
    ("before", "after", "enough"),
    [
        (3, 4, False),
        (4, 3, False),
        (3, 3, False),
        (4, 4, True),
    ],
)
def test_fewer_than_4_entries_on_either_side_is_not_enough(before, after, enough):
    result = before_after(INJECTION, sides([8] * before, [2] * after), as_of=LATER)
    assert result.enough_entries is enough
    if not enough:
        assert result.difference is None
        assert result.percent is None
        assert not result.meaningful
        assert result.result.startswith("not enough entries")
        assert f"{before} before, {after} after" in result.result


@pytest.mark.parametrize(
    ("before", "after", "meaningful"),
    [
        # 2 points is meaningful, just under 2 points is not (from a high baseline, < 30 %).
        ([8, 8, 8, 8], [6, 6, 6, 6], True),
        ([8, 8, 8, 8], [6, 6, 6, 7], False),  # 1.75 points, 21.9 %
        ([8, 8, 8, 8], [10, 10, 10, 10], True),  # rises count too
        # 30 % is meaningful, just under 30 % is not (from a low baseline, < 2 points).
        ([5, 5, 5, 5], [3, 4, 4, 3], True),  # 1.5 points = 30 % exactly
        ([5, 5, 5, 5], [4, 4, 4, 3], False),  # 1.25 points = 25 %
        ([2, 2, 2, 2], [1, 1, 2, 2], False),  # 0.5 points = 25 %
        ([2, 2, 2, 2], [1, 1, 1, 2], True),  # 0.75 points = 37.5 %
        ([4, 4, 4, 4], [4, 4, 4, 4], False),
    ],
)
def test_meaningful_at_2_points_or_30_percent(before, after, meaningful):
    result = before_after(INJECTION, sides(before, after), as_of=LATER)
    assert result.meaningful is meaningful
    expected = "a meaningful change" if meaningful else "not a meaningful change"
    assert result.result.endswith(expected)


def test_from_a_pain_free_fortnight_only_points_count():
    small = before_after(INJECTION, sides([0] * 4, [1, 1, 1, 1]), as_of=LATER)
    large = before_after(INJECTION, sides([0] * 4, [2, 2, 2, 2]), as_of=LATER)
    assert small.percent is None
    assert not small.meaningful
    assert large.meaningful
    assert "2.0 points higher" in large.result
    assert "%" not in large.result


def test_entries_after_as_of_are_not_used_and_the_line_says_so_far():
    entries = sides([7] * 4, [3] * 10)
    result = before_after(INJECTION, entries, as_of=DAY0 + timedelta(days=8))
    assert result.after_count == 6  # days 3..8
    assert not result.after_complete
    assert "days 3–16 after so far" in result.result
    complete = before_after(INJECTION, entries, as_of=DAY0 + timedelta(days=16))
    assert complete.after_complete
    assert "so far" not in complete.result


def test_the_line_gives_points_per_cent_and_direction_never_a_verdict_on_the_treatment():
    result = before_after(INJECTION, sides([6] * 4, [4] * 4), as_of=LATER)
    assert result.result == (
        "average pain 6.0 in the 14 days before, 4.0 on days 3–16 after: "
        "2.0 points (33 %) lower, a meaningful change"
    )
    assert result.title == "Injection: Epidural, 15 Oct 2026"
    for text in (result.result, NATURAL_COURSE_NOTE):
        assert "worked" not in text.lower()
    assert "on its own" in NATURAL_COURSE_NOTE


def test_the_report_compares_only_events_in_the_period_oldest_first():
    start, end = date(2026, 10, 1), date(2026, 10, 31)
    events = [
        TreatmentSnapshot(id=3, kind="physiotherapy", name="Physio", started_on=date(2026, 10, 20)),
        TreatmentSnapshot(id=2, kind="injection", name="Old", started_on=date(2026, 9, 30)),
        INJECTION,
        TreatmentSnapshot(id=4, kind="other", name="Next", started_on=date(2026, 11, 1)),
    ]
    report = outcome_report(treatments=events, checkins=[], entries=[], start=start, end=end)
    assert [c.treatment.id for c in report.comparisons] == [1, 3]
    # The fortnight before the earliest event is loaded, never less than the period.
    assert earliest_day_needed(events, start) == date(2026, 9, 16)
    assert earliest_day_needed([], start) == start


def checkin(week_of: date, value: int, change: str = "no_change") -> CheckInSnapshot:
    return checkin_snapshot(week_of, (value,) * 4, change)


def test_the_report_keeps_check_ins_of_weeks_touching_the_period_and_sums_them():
    start, end = date(2026, 10, 1), date(2026, 10, 31)  # a Thursday to a Saturday
    rows = [
        checkin(date(2026, 9, 21), 6),  # ends 27 Sep: outside
        checkin(date(2026, 9, 28), 5),  # the week holding 1 Oct
        checkin(date(2026, 10, 26), 2, "much_better"),
        checkin(date(2026, 11, 2), 1),  # after the period
    ]
    report = outcome_report(treatments=[], checkins=rows, entries=[], start=start, end=end)
    assert [c.week_of for c in report.checkins] == [date(2026, 9, 28), date(2026, 10, 26)]
    assert report.checkins[0].total == 20
    assert report.checkin_line == (
        "Latest weekly check-in (week of 26 Oct 2026): 8/24, “much better”; "
        "first in this period (week of 28 Sep 2026): 20/24. 2 check-ins."
    )


def test_an_empty_report_says_nothing():
    report = outcome_report(
        treatments=[], checkins=[], entries=[], start=date(2026, 10, 1), end=date(2026, 10, 2)
    )
    assert report.is_empty
    assert report.checkin_line == ""


def test_the_series_keeps_events_and_check_ins_of_the_period_for_the_charts():
    start, end = date(2026, 10, 1), date(2026, 10, 31)
    events = [
        TreatmentSnapshot(id=2, kind="injection", name="Before", started_on=date(2026, 9, 30)),
        TreatmentSnapshot(id=3, kind="injection", name="Last day", started_on=end),
        TreatmentSnapshot(id=1, kind="surgery", name="First day", started_on=start),
    ]
    rows = [checkin(date(2026, 9, 21), 1), checkin(date(2026, 9, 28), 2)]
    series = series_from_entries([], start, end, treatments=events, checkins=rows)
    assert [t.name for t in series.treatments] == ["First day", "Last day"]
    assert [c.week_of for c in series.checkins] == [date(2026, 9, 28)]


def test_the_pdf_keeps_the_latest_three_comparisons():
    start, end = date(2026, 1, 1), date(2026, 12, 31)
    events = [
        TreatmentSnapshot(id=n, kind="other", name=str(n), started_on=date(2026, n, 1))
        for n in range(1, 7)
    ]
    report = outcome_report(treatments=events, checkins=[], entries=[], start=start, end=end)
    assert [c.treatment.id for c in report.recent_comparisons] == [4, 5, 6]
    assert report.comparisons_left_out == 3


def test_the_short_forms_for_the_pdf():
    meaningful = before_after(INJECTION, sides([6] * 4, [4] * 4), as_of=LATER)
    assert meaningful.short_result == "6.0 → 4.0: 2.0 points (33 %) lower, meaningful"
    small = before_after(INJECTION, sides([6] * 4, [5] * 4), as_of=DAY0 + timedelta(days=10))
    assert small.short_result == "6.0 → 5.0 so far: 1.0 points (17 %) lower, not meaningful"
    same = before_after(INJECTION, sides([6] * 4, [6] * 4), as_of=LATER)
    assert same.short_result == "6.0 → 6.0: no change"
    few = before_after(INJECTION, sides([6] * 3, [6] * 4), as_of=LATER)
    assert few.short_result == "not enough entries (3 before, 4 after)"
    report = outcome_report(
        treatments=[],
        checkins=[checkin(date(2026, 10, 5), 4), checkin(date(2026, 10, 12), 1, "better")],
        entries=[],
        start=date(2026, 10, 1),
        end=date(2026, 10, 31),
    )
    assert report.checkin_short == (
        "Weekly check-in (0–24, higher is more bothersome): latest 4 (week of 12 Oct 2026, "
        "“a bit better”), first 16 (week of 5 Oct 2026)."
    )


def test_a_tiny_move_reads_as_no_change_unless_it_is_30_percent():
    after = [on(3 + n % 14, 6) for n in range(27)] + [on(16, 5)]  # mean 5.96
    tiny = before_after(INJECTION, sides([6] * 4, []) + after, as_of=LATER)
    assert tiny.direction == "same"
    assert tiny.result.endswith("no change, not a meaningful change")
    # From a mean of 0.1, 0.04 points is 43 %: meaningful, and said as a rise.
    before = sides([1] + [0] * 9, [])
    after = [on(3 + n % 14, 1 if n < 4 else 0) for n in range(28)]  # mean 0.14
    low = before_after(INJECTION, before + after, as_of=LATER)
    assert low.meaningful
    assert low.direction == "higher"
    assert "(43 %) higher, a meaningful change" in low.result
