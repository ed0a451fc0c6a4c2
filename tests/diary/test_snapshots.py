"""Snapshots carry when each sign was saved; the instant path's load always holds its entry."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import time_machine

from diary.selectors.snapshots import snapshots_for_user, snapshots_with_entry
from diary.services.entries import EntryInput, entry_create, entry_update
from tests.factories import EntryFactory, UserFactory

T0 = datetime(2026, 11, 20, 12, 0, tzinfo=UTC)


def test_a_snapshot_knows_when_each_sign_was_saved(db):
    user = UserFactory(timezone="UTC")
    with time_machine.travel(T0, tick=False):
        entry, _ = entry_create(
            user=user,
            data=EntryInput(
                intensity=2,
                occurred_at=T0 - timedelta(days=2),
                locations=(("saddle", "center"),),
                pain_types=("pins_needles",),
            ),
        )
    later = T0 + timedelta(hours=5)
    with time_machine.travel(later, tick=False):
        entry_update(
            entry=entry,
            data=EntryInput(
                intensity=2, red_flags=("foot_drop",), fields_given=frozenset({"red_flags"})
            ),
        )

    (snap,) = snapshots_for_user(user_id=user.pk, as_of=T0.date())

    assert snap.sign_saved_at("red_flag_saddle_numbness") == T0
    assert snap.sign_saved_at("motor_weakness") == later


def test_an_entry_stored_without_save_times_falls_back_to_when_it_was_created(db):
    user = UserFactory(timezone="UTC")
    with time_machine.travel(T0, tick=False):
        EntryFactory(user=user, occurred_at=T0, red_flags=["bladder_bowel"])

    (snap,) = snapshots_for_user(user_id=user.pk, as_of=T0.date())

    assert snap.signs_at == ()
    assert snap.sign_saved_at("red_flag_bladder_bowel") == T0


def test_the_instant_load_adds_an_entry_dated_before_the_window(db, django_assert_num_queries):
    user = UserFactory(timezone="UTC")
    old = EntryFactory(user=user, occurred_at=T0 - timedelta(days=400), red_flags=["bladder_bowel"])
    recent = EntryFactory(user=user, occurred_at=T0)

    assert [s.id for s in snapshots_for_user(user_id=user.pk, as_of=date(2026, 11, 20))] == [
        str(recent.pk)
    ]
    with django_assert_num_queries(4):
        found = snapshots_with_entry(
            user_id=user.pk, as_of=date(2026, 11, 20), entry_id=str(old.pk)
        )
    assert sorted(s.id for s in found) == sorted([str(old.pk), str(recent.pk)])
    with django_assert_num_queries(2):
        snapshots_with_entry(user_id=user.pk, as_of=date(2026, 11, 20), entry_id=str(recent.pk))
