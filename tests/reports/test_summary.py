"""The clinician summary numbers: a pure function over snapshots, no database."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import pytest

from diary.rules.base import EntrySnapshot
from reports.summary import (
    ROOT_AREA_NOTE,
    FlagNote,
    figure_labels,
    period_change,
    summary_from_entries,
)
from tests.support.snapshots import snapshot

START = date(2026, 3, 2)
END = date(2026, 3, 29)  # 28 days


def entry(day: date, intensity: int, **fields) -> EntrySnapshot:
    """A snapshot that hurts in the left calf unless told otherwise."""
    fields.setdefault("locations", (("calf", "left"),))
    return snapshot(day, intensity, **fields)


def test_it_counts_entries_days_and_the_share_of_days_logged() -> None:
    entries = [entry(START, 4), entry(START, 6), entry(START + timedelta(days=6), 2)]

    summary = summary_from_entries(entries, START, END)

    assert summary.entry_count == 3
    assert summary.days_logged == 2
    assert summary.days_in_period == 28
    assert summary.logged_share == pytest.approx(2 / 28)
    assert summary.logged_percent == 7


def test_it_reports_mean_and_the_worst_day() -> None:
    entries = [entry(START, 2), entry(START + timedelta(days=3), 9), entry(END, 4)]

    summary = summary_from_entries(entries, START, END)

    assert summary.mean_intensity == pytest.approx(5.0)
    assert summary.worst_intensity == 9
    assert summary.worst_on == START + timedelta(days=3)


def test_entries_outside_the_period_are_left_out() -> None:
    entries = [
        entry(START - timedelta(days=1), 10),
        entry(END + timedelta(days=1), 10),
        entry(END, 3),
    ]

    summary = summary_from_entries(entries, START, END)

    assert summary.entry_count == 1
    assert summary.worst_intensity == 3


def test_it_compares_the_first_and_last_fourteen_logged_days() -> None:
    start, end = date(2026, 1, 1), date(2026, 3, 31)
    first = [entry(start + timedelta(days=d), 7) for d in range(14)]
    middle = [entry(start + timedelta(days=30 + d), 10) for d in range(5)]
    last = [entry(end - timedelta(days=d), 3) for d in range(14)]

    change = summary_from_entries(first + middle + last, start, end).change

    assert change is not None
    assert change.days == 14
    assert change.first.mean == pytest.approx(7)
    assert change.first.count == 14
    assert change.last.mean == pytest.approx(3)
    assert change.delta == pytest.approx(-4)
    assert change.meaningful
    assert change.direction == "better"


def test_a_period_that_starts_before_logging_began_still_compares() -> None:
    # The case: a 90-day share, logging began 20 days before its end, pain rising.
    start, end = date(2026, 1, 1), date(2026, 3, 31)
    entries = [entry(end - timedelta(days=d), 8 if d < 10 else 3) for d in range(20)]

    change = summary_from_entries(entries, start, end).change

    assert change is not None
    assert change.days == 10
    assert change.first.mean == pytest.approx(3)
    assert change.last.mean == pytest.approx(8)
    assert change.direction == "worse"


def test_gaps_do_not_count_as_days() -> None:
    # Logged on every third calendar day: the first 14 logged days span 40 calendar days.
    start, end = date(2026, 1, 1), date(2026, 12, 31)
    entries = [entry(start + timedelta(days=3 * n), 2 if n < 14 else 6) for n in range(28)]

    change = period_change(entries, start, end)

    assert change is not None and change.days == 14
    assert change.first.mean == pytest.approx(2)
    assert change.last.mean == pytest.approx(6)


def test_fewer_than_28_logged_days_compare_halves_without_sharing_a_day() -> None:
    start, end = date(2026, 3, 1), date(2026, 3, 7)
    entries = [entry(start + timedelta(days=d), (2, 2, 2, 9, 8, 8, 8)[d]) for d in range(7)]

    change = period_change(entries, start, end)

    assert change is not None and change.days == 3  # the middle day (9) is on neither side
    assert change.first.mean == pytest.approx(2)
    assert change.last.mean == pytest.approx(8)
    assert change.direction == "worse"


def test_a_small_change_is_steady() -> None:
    entries = [entry(START + timedelta(days=d), 5 if d < 2 else 6) for d in range(4)]

    change = summary_from_entries(entries, START, END).change

    assert change is not None and change.direction == "steady"


@pytest.mark.parametrize(("logged_days", "compared"), [(1, False), (3, False), (4, True)])
def test_it_needs_two_logged_days_a_side(logged_days: int, compared: bool) -> None:
    entries = [entry(START + timedelta(days=d), 5) for d in range(logged_days)]
    assert (summary_from_entries(entries, START, END).change is not None) is compared


def test_several_entries_on_one_day_are_one_logged_day() -> None:
    entries = [entry(START, 5) for _ in range(6)] + [entry(END, 5)]
    assert summary_from_entries(entries, START, END).change is None


def test_entries_outside_the_period_are_not_compared() -> None:
    outside = [entry(START - timedelta(days=d), 9) for d in range(1, 10)]
    inside = [entry(START + timedelta(days=d), 4) for d in range(4)]
    change = period_change(outside + inside, START, END)
    assert change is not None and change.first.mean == pytest.approx(4)


def test_it_contrasts_night_with_day_and_rest_with_activity() -> None:
    night = [entry(START, 8, timing="night", activity="lying_down") for _ in range(3)]
    day = [entry(START, 3, timing="afternoon", activity="walking") for _ in range(3)]

    summary = summary_from_entries(night + day, START, END)

    assert summary.night_vs_day.first.mean == pytest.approx(8)
    assert summary.night_vs_day.second.mean == pytest.approx(3)
    assert summary.night_vs_day.meaningful
    assert summary.night_vs_day.higher is summary.night_vs_day.first
    assert summary.rest_vs_activity.first.label == "At rest"
    assert summary.rest_vs_activity.abs_difference == pytest.approx(5)


def test_a_contrast_needs_three_entries_a_side() -> None:
    entries = [entry(START, 9, timing="night"), entry(START, 1, timing="morning")]

    contrast = summary_from_entries(entries, START, END).night_vs_day

    assert not contrast.enough_entries
    assert not contrast.meaningful


def test_it_finds_the_most_distal_level_and_the_sides() -> None:
    entries = [
        entry(START, 5, locations=(("buttock", "left"), ("foot_sole", "left"))),
        entry(START, 5, locations=(("big_toe", "right"),)),
        # Painless entries do not count as symptoms.
        entry(START, 0, locations=(("small_toes", "both"),)),
    ]

    summary = summary_from_entries(entries, START, END)

    assert summary.most_distal_level == 5
    assert summary.most_distal_label == "foot / toes"
    assert summary.most_distal_regions == ("Sole of foot", "Big toe")
    assert [(s.code, s.count) for s in summary.sides] == [("left", 1), ("right", 1)]


def test_root_areas_count_entries_touching_each_typical_area() -> None:
    entries = [
        entry(START, 5, locations=(("calf_outer", "left"), ("foot_top", "left"))),
        entry(START, 5, locations=(("foot_sole", "left"),)),
        entry(START, 5, locations=(("lower_back", "center"),)),
    ]

    areas = {a.root: a for a in summary_from_entries(entries, START, END).root_areas}

    assert areas["L5"].label == "Typical area of L5"
    assert areas["L5"].entries == 1
    assert [(r.code, r.count) for r in areas["L5"].regions] == [("calf_outer", 1), ("foot_top", 1)]
    assert areas["S1"].entries == 1
    assert areas["L4"].entries == 0
    assert "not a diagnosis" in ROOT_AREA_NOTE


def test_location_rows_run_from_the_spine_down_with_typical_areas() -> None:
    entries = [
        entry(START, 4, locations=(("foot_sole", "left"), ("lower_back", "center"))),
        entry(START, 8, locations=(("foot_sole", "left"),)),
    ]

    rows = summary_from_entries(entries, START, END).locations

    assert [(r.region, r.side, r.count) for r in rows] == [
        ("lower_back", "center", 1),
        ("foot_sole", "left", 2),
    ]
    assert rows[1].mean_intensity == pytest.approx(6)
    assert rows[1].typical_area_of == "S1"


def test_it_counts_pain_words_activities_and_context() -> None:
    entries = [
        entry(
            START, 5, pain_types=("burning", "tingling"), activity="sitting", context=("new_shoes",)
        ),
        entry(START, 5, pain_types=("burning", "aching"), activity="sitting"),
    ]

    summary = summary_from_entries(entries, START, END)

    assert [(c.code, c.count) for c in summary.pain_types] == [
        ("burning", 2),
        ("tingling", 1),
        ("aching", 1),
    ]
    assert summary.nerve_like_entries == 2
    assert summary.muscle_like_entries == 1
    assert [(c.code, c.count) for c in summary.activities] == [("sitting", 2)]
    assert [(c.code, c.count) for c in summary.context] == [("new_shoes", 1)]


def test_red_flags_are_listed_in_time_order_with_severity() -> None:
    entries = [
        entry(START + timedelta(days=2), 5, red_flags=("foot_drop",)),
        entry(START, 5, red_flags=("saddle_numbness",)),
    ]

    flags = summary_from_entries(entries, START, END).red_flags

    assert [(f.code, f.severity) for f in flags] == [
        ("saddle_numbness", "emergency"),
        ("foot_drop", "urgent"),
    ]
    assert flags[0].occurred_at == datetime(2026, 3, 2, 9, tzinfo=UTC)


def test_flags_split_into_active_and_past() -> None:
    note = {
        "severity": "warning",
        "title": "t",
        "explanation": "e",
        "source": "s",
        "first_detected_on": START,
        "last_seen_on": END,
    }
    flags = [
        FlagNote(code="a", status="active", **note),
        FlagNote(code="b", status="resolved", **note),
    ]

    summary = summary_from_entries([], START, END, flags=flags)

    assert [f.code for f in summary.active_flags] == ["a"]
    assert [f.code for f in summary.past_flags] == ["b"]


def test_an_empty_period_has_no_numbers() -> None:
    summary = summary_from_entries([], START, END)

    assert summary.is_empty
    assert summary.mean_intensity is None
    assert summary.worst_intensity is None
    assert summary.change is None
    assert summary.most_distal_level is None
    assert figure_labels(summary) == {}


def test_every_figure_gets_a_text_alternative() -> None:
    labels = figure_labels(summary_from_entries([entry(START, 5)], START, END))

    assert set(labels) == {
        "daily-intensity",
        "time-of-day",
        "regions",
        "pain-types",
        "activity",
        "distal-level",
    }
    assert "5.0/10" in labels["daily-intensity"]


def test_flags_are_listed_by_severity_emergency_urgent_warning_info() -> None:
    # Revised §5 "Who reads it": an info flag used to come before a warning.
    common = {"title": "t", "explanation": "e", "source": "s"}
    days = {"first_detected_on": START, "last_seen_on": END}
    flags = [
        FlagNote(code=sev, severity=sev, status=status, **common, **days)
        for status in ("active", "acknowledged")
        for sev in ("info", "warning", "emergency", "urgent")
    ]

    summary = summary_from_entries([], START, END, flags=flags)

    order = ["emergency", "urgent", "warning", "info"]
    assert [f.severity for f in summary.active_flags] == order
    assert [f.severity for f in summary.past_flags] == order
