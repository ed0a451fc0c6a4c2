"""Report selectors: period parsing, snapshot loading, flags in a period, scoping."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import pytest

from diary.models import Flag
from reports.selectors import (
    DEFAULT_REPORT_DAYS,
    entries_for_export,
    flags_overlapping,
    period_ending_today,
    report_data,
    report_days_parse,
    share_link_get,
    share_link_list,
    snapshots_between,
)
from reports.services import share_link_create
from tests.factories import CheckInFactory, EntryFactory, TreatmentEventFactory


def make_flag(user, code: str, status: str, first: datetime, last: datetime) -> Flag:
    return Flag.objects.create(
        user=user,
        code=code,
        severity="warning",
        title=code.replace("_", " ").capitalize(),
        explanation="Because. This is a pattern in your diary, not a diagnosis.",
        source="Patient guide",
        status=status,
        first_detected_at=first,
        last_seen_at=last,
    )


@pytest.mark.parametrize(
    ("value", "days"),
    [
        ("7", 7),
        ("30", 30),
        ("90", 90),
        ("365", 365),
        (None, 30),
        ("", 30),
        ("12", 30),
        ("x", 30),
        ("-7", 30),
    ],
)
def test_the_period_picker_falls_back_to_30_days(value: str | None, days: int) -> None:
    assert report_days_parse(value) == days
    assert DEFAULT_REPORT_DAYS == 30


def test_the_period_ends_today_in_the_patients_zone(user) -> None:
    user.timezone = "Pacific/Auckland"

    start, end = period_ending_today(
        user=user, days=7, now=datetime(2026, 11, 20, 23, 30, tzinfo=UTC)
    )

    assert (start, end) == (date(2026, 11, 15), date(2026, 11, 21))


@pytest.mark.django_db
def test_snapshots_are_oldest_first_with_their_locations(user, other_user) -> None:
    late = EntryFactory(
        user=user,
        occurred_at=datetime(2026, 7, 2, 22, 0, tzinfo=UTC),
        locations=[("foot_sole", "left"), ("calf", "left")],
    )
    early = EntryFactory(
        user=user, occurred_at=datetime(2026, 7, 1, 8, 0, tzinfo=UTC), locations=[]
    )
    EntryFactory(user=other_user, occurred_at=datetime(2026, 7, 1, 9, 0, tzinfo=UTC))

    snapshots = snapshots_between(user=user, start=date(2026, 7, 1), end=date(2026, 7, 2))

    assert [s.id for s in snapshots] == [str(early.id), str(late.id)]
    assert {(loc.region, loc.side) for loc in snapshots[1].locations} == {
        ("foot_sole", "left"),
        ("calf", "left"),
    }


@pytest.mark.django_db
def test_local_days_and_red_flag_times_hold_across_a_dst_change(user) -> None:
    # London springs forward at 01:00 UTC on 29 March 2026.
    before = EntryFactory(
        user=user, occurred_at=datetime(2026, 3, 29, 0, 30, tzinfo=UTC), red_flags=["foot_drop"]
    )
    after = EntryFactory(
        user=user, occurred_at=datetime(2026, 3, 29, 23, 30, tzinfo=UTC), red_flags=["foot_drop"]
    )

    snapshots = snapshots_between(user=user, start=date(2026, 3, 29), end=date(2026, 3, 30))
    red_flags = report_data(
        user=user, start=date(2026, 3, 29), end=date(2026, 3, 30)
    ).summary.red_flags

    assert [(s.id, s.local_date) for s in snapshots] == [
        (str(before.id), date(2026, 3, 29)),
        (str(after.id), date(2026, 3, 30)),
    ]
    # Both were logged at half past midnight on the patient's clock, in GMT then in BST.
    assert [r.occurred_at.utcoffset() for r in red_flags] == [timedelta(0), timedelta(hours=1)]
    assert [(r.occurred_at.hour, r.occurred_at.minute) for r in red_flags] == [(0, 30), (0, 30)]


@pytest.mark.django_db
def test_snapshots_stay_within_the_local_days(user) -> None:
    EntryFactory(user=user, occurred_at=datetime(2026, 7, 3, 12, tzinfo=UTC))

    assert snapshots_between(user=user, start=date(2026, 7, 1), end=date(2026, 7, 2)) == []


@pytest.mark.django_db
def test_flags_in_the_period_and_every_active_flag(user, other_user) -> None:
    old = datetime(2025, 1, 1, tzinfo=UTC)
    inside = datetime(2026, 7, 10, tzinfo=UTC)
    make_flag(user, "active_old", "active", old, old)
    make_flag(user, "resolved_inside", "resolved", inside, inside)
    make_flag(user, "resolved_before", "resolved", old, old)
    make_flag(other_user, "theirs", "active", inside, inside)

    codes = {
        f.code for f in flags_overlapping(user=user, start=date(2026, 7, 1), end=date(2026, 7, 31))
    }

    assert codes == {"active_old", "resolved_inside"}


@pytest.mark.django_db
def test_report_data_uses_the_lead_in_only_for_the_rolling_mean(user) -> None:
    start, end = date(2026, 7, 8), date(2026, 7, 14)
    for day in range(1, 15):
        EntryFactory(user=user, occurred_at=datetime(2026, 7, day, 12, tzinfo=UTC), intensity=4)
    make_flag(
        user,
        "worsening_trend",
        "active",
        datetime(2026, 7, 10, 12, tzinfo=UTC),
        datetime(2026, 7, 12, tzinfo=UTC),
    )

    data = report_data(user=user, start=start, end=end)

    assert data.summary.entry_count == 7
    assert data.series.days_logged == 7
    assert data.series.rolling[0].day == start
    assert data.series.rolling[0].days == 7  # the six days before the period count too
    assert [f.code for f in data.series.flags] == ["worsening_trend"]
    assert [f.code for f in data.summary.active_flags] == ["worsening_trend"]


@pytest.mark.django_db
def test_report_data_takes_five_queries(user, django_assert_num_queries) -> None:
    EntryFactory(user=user)
    TreatmentEventFactory(user=user, started_on=date(2026, 3, 1))
    CheckInFactory(user=user, week_of=date(2026, 3, 2))

    # Entries, their locations, flags; one more each for treatments and check-ins (§8).
    with django_assert_num_queries(5):
        report_data(user=user, start=date(2026, 1, 1), end=date(2026, 12, 31))


@pytest.mark.django_db
def test_share_links_are_scoped_to_their_owner(user, other_user) -> None:
    mine = share_link_create(user=user).link
    theirs = share_link_create(user=other_user).link

    assert list(share_link_list(user=user)) == [mine]
    assert share_link_get(user=user, pk=mine.pk) == mine
    assert share_link_get(user=user, pk=theirs.pk) is None
    assert share_link_get(user=user, pk="nonsense") is None


@pytest.mark.django_db
def test_export_reads_only_the_callers_entries_in_two_queries(
    user, other_user, django_assert_num_queries
) -> None:
    EntryFactory(user=user)
    EntryFactory(user=user)
    EntryFactory(user=other_user)

    with django_assert_num_queries(2):
        entries = list(entries_for_export(user=user))
        locations = [loc.region for e in entries for loc in e.locations.all()]

    assert len(entries) == 2
    assert locations == ["calf", "calf"]
