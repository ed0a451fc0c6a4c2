"""The scan: command output, incremental selection, chunking, query counts, odd diaries."""

from __future__ import annotations

import threading
from datetime import UTC, date, datetime, timedelta
from io import StringIO

import pytest
import time_machine
from django.core.management import CommandError, call_command
from django.db import connection

from diary.models import AlertDelivery, Entry, EntryLocation, Flag, User
from diary.selectors.snapshots import snapshots_for_user
from diary.services.entries import EntryInput, entry_create
from diary.services.flags import patterns_refresh_many
from diary.services.scan import scan_chunks, scan_patterns
from tests.factories import ContactFactory, EntryFactory, UserFactory
from tests.support.entries import TODAY, log, night_pattern

NOW = datetime(2026, 11, 20, 12, 0, tzinfo=UTC)


def run_command(*args: str) -> list[str]:
    out = StringIO()
    call_command("scan_patterns", *args, stdout=out)
    return out.getvalue().splitlines()


@pytest.fixture
def alice(db):
    return UserFactory(email="alice@example.com", timezone="UTC")


@pytest.fixture
def bob(db):
    return UserFactory(email="bob@example.com", timezone="America/New_York")


# --- the command ---------------------------------------------------------------------------


def test_the_command_prints_one_line_per_flag_raised_and_resolved(alice, bob):
    night_pattern(alice, end=TODAY - timedelta(days=20))
    log(bob, TODAY - timedelta(days=20), red_flags=["saddle_numbness"])

    lines = run_command("--as-of", (TODAY - timedelta(days=20)).isoformat())
    assert sorted(lines) == [
        "raised night_worse_nerve_pain for alice@example.com",
        "raised red_flag_saddle_numbness for bob@example.com",
    ]

    assert run_command("--as-of", (TODAY - timedelta(days=20)).isoformat()) == []
    # A fortnight on the night pattern is gone; the red flag stays until acknowledged.
    assert run_command("--as-of", TODAY.isoformat()) == [
        "resolved night_worse_nerve_pain for alice@example.com"
    ]


def test_the_command_scans_only_the_given_user(alice, bob):
    night_pattern(alice)
    night_pattern(bob)

    lines = run_command("--user", "ALICE@example.com", "--as-of", TODAY.isoformat())

    assert lines == ["raised night_worse_nerve_pain for alice@example.com"]
    assert not Flag.objects.filter(user=bob).exists()


def test_the_command_rejects_an_unknown_user_and_a_bad_date(db):
    with pytest.raises(CommandError, match="No patient"):
        run_command("--user", "nobody@example.com")
    with pytest.raises(CommandError):
        run_command("--as-of", "20-11-2026")


@time_machine.travel(NOW, tick=False)
def test_without_as_of_each_patient_is_scanned_on_their_own_today(db):
    # 12:00 UTC on 20 Nov is already 21 Nov in Auckland.
    kiwi = UserFactory(email="kiwi@example.com", timezone="Pacific/Auckland")
    log(kiwi, date(2026, 11, 21), red_flags=["foot_drop"])
    assert run_command() == ["raised motor_weakness for kiwi@example.com"]


# --- incremental ---------------------------------------------------------------------------


def test_the_incremental_scan_picks_only_patients_whose_diary_changed(alice, bob):
    carol = UserFactory(email="carol@example.com")  # never logged: nothing to scan
    data = EntryInput(intensity=4, locations=(("calf", "left"),))
    entry_create(user=alice, data=data)
    entry_create(user=bob, data=data)

    assert [sorted(c) for c in scan_chunks(changed_only=True)] == [sorted([alice.pk, bob.pk])]
    scan_patterns(changed_only=True)
    assert list(scan_chunks(changed_only=True)) == []

    entry_create(user=bob, data=data)
    assert list(scan_chunks(changed_only=True)) == [[bob.pk]]
    assert carol.pk in next(scan_chunks(changed_only=False))


def test_scanned_at_records_the_diary_version_the_scan_saw(alice):
    entry_create(user=alice, data=EntryInput(intensity=4, locations=(("calf", "left"),)))
    scan_patterns(changed_only=True)
    alice.refresh_from_db()
    assert alice.scanned_at == alice.entries_changed_at


def test_chunks_hold_at_most_the_chunk_size(db):
    users = [UserFactory() for _ in range(5)]
    chunks = list(scan_chunks(size=2))
    assert [len(c) for c in chunks] == [2, 2, 1]
    assert sorted(pk for c in chunks for pk in c) == sorted(u.pk for u in users)


# --- cost ------------------------------------------------------------------------------------


def _patients_with_data(count: int) -> list[int]:
    ids = []
    for _ in range(count):
        user = UserFactory(timezone="UTC")
        ContactFactory(user=user)
        night_pattern(user)
        log(user, TODAY, red_flags=["saddle_numbness"], locations=[("saddle", "center")])
        ids.append(user.pk)
    return ids


def _queries(ids: list[int], django_assert_max_num_queries) -> tuple[int, int]:
    counts = []
    for _ in range(2):  # the first scan raises flags and alerts, the second refreshes them
        with django_assert_max_num_queries(50) as captured:
            patterns_refresh_many(user_ids=ids, as_of=TODAY)
        counts.append(len(captured))
    return counts[0], counts[1]


def test_a_chunk_costs_the_same_queries_for_one_patient_as_for_many(
    db, django_assert_max_num_queries
):
    one = _queries(_patients_with_data(1), django_assert_max_num_queries)
    many = _queries(_patients_with_data(12), django_assert_max_num_queries)
    assert one == many
    assert Flag.objects.filter(code="red_flag_saddle_numbness").count() == 13
    assert AlertDelivery.objects.count() == 26


def test_loading_snapshots_takes_two_queries(alice, django_assert_num_queries):
    night_pattern(alice)
    with django_assert_num_queries(2):
        snapshots = snapshots_for_user(user_id=alice.pk, as_of=TODAY)
    assert len(snapshots) == 6
    assert all(s.locations for s in snapshots)


# --- odd diaries -----------------------------------------------------------------------------


def test_the_scan_survives_odd_diaries(db):
    UserFactory(email="empty@example.com")
    single = UserFactory(email="single@example.com")
    log(single, TODAY, intensity=7)
    zeros = UserFactory(email="zeros@example.com")
    for offset in range(30):
        log(zeros, TODAY - timedelta(days=offset), intensity=0, locations=[], pain_types=[])
    mover = UserFactory(email="mover@example.com", timezone="Asia/Tokyo")
    for offset in range(10):
        log(mover, TODAY - timedelta(days=offset + 10), intensity=6)
    mover.timezone = "America/Los_Angeles"  # moved across the world mid-diary
    mover.save()
    for offset in range(10):
        log(mover, TODAY - timedelta(days=offset), intensity=6)
    odd = UserFactory(email="odd@example.com", timezone="Not/AZone")
    EntryFactory(
        user=odd,
        occurred_at=NOW - timedelta(hours=2),
        local_date=TODAY,
        timezone="Not/AZone",
        timing="night",
        pain_types={"burning": True},  # not a list
        red_flags="saddle_numbness",  # not a list
        context=[1, 2],
        locations=[],
    )
    odd_entry = Entry.objects.get(user=odd)
    EntryLocation.objects.create(
        entry=odd_entry, user=odd, local_date=TODAY, region="no_such_region", side="up", level=9
    )

    result = scan_patterns(as_of=TODAY)

    assert result.failed == []
    assert result.patients == 5


# --- concurrency -----------------------------------------------------------------------------


@pytest.mark.django_db(transaction=True)
def test_concurrent_scans_of_the_same_patients_raise_each_flag_and_alert_once():
    ids = []
    for n in range(4):
        user = UserFactory(email=f"c{n}@example.com", timezone="UTC")
        ContactFactory(user=user)
        log(user, TODAY, red_flags=["saddle_numbness", "foot_drop"])
        night_pattern(user)
        ids.append(user.pk)
    errors: list[BaseException] = []
    start = threading.Barrier(3)

    def scan() -> None:
        try:
            start.wait()
            patterns_refresh_many(user_ids=ids, as_of=TODAY)
        except BaseException as error:  # noqa: BLE001 - reported below
            errors.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=scan) for _ in range(3)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)

    assert errors == []
    for user in User.objects.filter(pk__in=ids):
        codes = sorted(Flag.objects.filter(user=user).values_list("code", flat=True))
        assert codes == ["motor_weakness", "night_worse_nerve_pain", "red_flag_saddle_numbness"]
    assert AlertDelivery.objects.count() == 4 * 2 * 2
    assert Entry.objects.count() == 4 * 7
