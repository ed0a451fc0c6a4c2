"""The entry service's part of the alert path: when each sign was saved, and the instant check."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime, timedelta

import pytest
import time_machine
from django.core import mail
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from diary import tasks as diary_tasks
from diary.models import AlertDelivery, Flag
from diary.services.entries import EntryIdTaken, EntryInput, entry_create, entry_update
from diary.services.flags import flag_acknowledge
from tests.factories import ContactFactory, UserFactory
from tests.support import broker_unreachable

T0 = datetime(2026, 11, 20, 12, 0, tzinfo=UTC)
SADDLE = "red_flag_saddle_numbness"
PLAIN = EntryInput(intensity=3, locations=(("calf", "left"),), pain_types=("aching",))
MAPPED_SADDLE = EntryInput(intensity=0, locations=(("saddle", "center"),), pain_types=("tingling",))


@pytest.fixture
def patient(db):
    user = UserFactory(email="pat@example.com", timezone="UTC")
    ContactFactory(user=user, email="gp@clinic.example")
    return user


@pytest.fixture
def queued(monkeypatch):
    calls: list[str] = []
    monkeypatch.setattr(diary_tasks.raise_red_flags, "delay", calls.append)
    return calls


def edit(entry, **fields):
    return entry_update(
        entry=entry,
        data=EntryInput(intensity=entry.intensity, fields_given=frozenset(fields), **fields),
    )


# --- when each sign was saved ---------------------------------------------------------------


def test_a_new_entry_records_when_each_sign_was_saved(patient):
    with time_machine.travel(T0, tick=False):
        entry, _ = entry_create(
            user=patient,
            data=EntryInput(
                intensity=0,
                occurred_at=T0 - timedelta(days=3),
                locations=(("saddle", "center"), ("heel", "left")),
                pain_types=("numbness", "weakness"),
            ),
        )
    entry.refresh_from_db()
    assert entry.alert_signs_at == {SADDLE: T0.isoformat(), "motor_weakness": T0.isoformat()}


def test_an_ordinary_entry_records_no_sign(patient):
    entry, _ = entry_create(user=patient, data=PLAIN)
    entry.refresh_from_db()
    assert entry.alert_signs_at == {}


def test_editing_keeps_the_time_of_a_kept_sign_adds_new_ones_and_drops_removed_ones(patient):
    with time_machine.travel(T0, tick=False):
        entry, _ = entry_create(user=patient, data=MAPPED_SADDLE)
    with time_machine.travel(T0 + timedelta(hours=1), tick=False):
        edit(entry, notes="changed the words only")
    assert entry.alert_signs_at == {SADDLE: T0.isoformat()}
    later = T0 + timedelta(hours=2)
    with time_machine.travel(later, tick=False):
        edit(entry, red_flags=("foot_drop",))
    assert entry.alert_signs_at == {SADDLE: T0.isoformat(), "motor_weakness": later.isoformat()}
    with time_machine.travel(T0 + timedelta(hours=3), tick=False):
        edit(entry, locations=(("calf", "left"),))
    assert entry.alert_signs_at == {"motor_weakness": later.isoformat()}
    entry.refresh_from_db()
    assert entry.alert_signs_at == {"motor_weakness": later.isoformat()}


# --- the instant check: only for an entry carrying a sign ------------------------------------


def test_an_ordinary_save_costs_no_extra_query_and_publishes_nothing(
    patient, queued, django_assert_num_queries, django_capture_on_commit_callbacks
):
    # insert entry, insert locations, mark the diary changed (+ the savepoint pair).
    with django_assert_num_queries(5), django_capture_on_commit_callbacks() as callbacks:
        entry, _ = entry_create(user=patient, data=PLAIN)
    assert callbacks == []
    with django_capture_on_commit_callbacks() as callbacks:
        edit(entry, notes="nothing alerting")
    assert callbacks == []
    assert queued == []


def test_a_phone_made_id_costs_no_look_up_first(patient, queued, django_assert_num_queries):
    # The same five queries: a new id is not looked up before the insert.
    with django_assert_num_queries(5):
        entry, created = entry_create(user=patient, data=PLAIN, entry_id=uuid.uuid4())
    assert created


def test_a_retried_id_returns_the_stored_entry_and_stores_nothing(patient, queued):
    entry_id = uuid.uuid4()
    first, _ = entry_create(user=patient, data=PLAIN, entry_id=entry_id)
    other = EntryInput(intensity=9, locations=(("heel", "right"),))
    again, created = entry_create(user=patient, data=other, entry_id=entry_id)
    assert not created
    assert again.pk == first.pk
    assert again.intensity == 3
    assert [(loc.region, loc.side) for loc in again.locations.all()] == [("calf", "left")]
    assert patient.entries.count() == 1


def test_another_patients_id_is_refused_and_stores_nothing(patient, queued):
    theirs, _ = entry_create(user=UserFactory(), data=PLAIN, entry_id=uuid.uuid4())
    with pytest.raises(EntryIdTaken):
        entry_create(user=patient, data=PLAIN, entry_id=theirs.pk)
    assert not patient.entries.exists()


@pytest.mark.parametrize(
    "data",
    [
        EntryInput(intensity=5, locations=(("calf", "left"),), red_flags=("bladder_bowel",)),
        MAPPED_SADDLE,
        EntryInput(intensity=0, locations=(("calf", "left"),), red_flags=("foot_drop",)),
        EntryInput(intensity=2, locations=(("foot_top", "right"),), pain_types=("heaviness",)),
    ],
    ids=["red-flag", "saddle-by-body-map", "motor-red-flag", "foot-heaviness"],
)
def test_an_entry_with_a_sign_queues_one_check_after_commit(
    patient, queued, data, django_assert_num_queries, django_capture_on_commit_callbacks
):
    # The same queries as an ordinary save: the signs are computed from the data, not read.
    with django_assert_num_queries(5), django_capture_on_commit_callbacks() as callbacks:
        entry, _ = entry_create(user=patient, data=data)
    assert queued == []  # nothing before the commit
    (callback,) = callbacks
    callback()
    assert queued == [str(entry.pk)]


def test_an_edit_adding_a_sign_queues_the_check(
    patient, queued, django_capture_on_commit_callbacks
):
    entry, _ = entry_create(user=patient, data=PLAIN)
    with django_capture_on_commit_callbacks(execute=True):
        edit(entry, red_flags=("sudden_weakness",))
    assert queued == [str(entry.pk)]


def test_with_the_broker_down_the_save_succeeds_and_the_flag_is_raised_in_process(
    patient, caplog, django_capture_on_commit_callbacks
):
    with broker_unreachable(), django_capture_on_commit_callbacks(execute=True):
        entry, created = entry_create(user=patient, data=MAPPED_SADDLE)

    assert created
    assert "Could not queue the red-flag check" in caplog.text
    flag = Flag.objects.get(user=patient)
    assert (flag.code, flag.evidence) == (SADDLE, [str(entry.pk)])
    # Its e-mails wait for the sweep.
    assert set(flag.deliveries.values_list("status", flat=True)) == {"pending"}


# --- the whole instant path in this process -------------------------------------------------


def save(patient, data):
    return entry_create(user=patient, data=data)[0]


@pytest.mark.parametrize("days_back", [0, 16, 119, 120, 400])
def test_a_back_dated_emergency_alerts_at_once_however_far_back(
    patient, eager, days_back, django_capture_on_commit_callbacks
):
    data = EntryInput(
        intensity=0,
        occurred_at=datetime.now(UTC) - timedelta(days=days_back),
        red_flags=("bladder_bowel",),
    )
    with django_capture_on_commit_callbacks(execute=True):
        save(patient, data)
    assert Flag.objects.get(user=patient).code == "red_flag_bladder_bowel"
    assert sorted(m.to[0] for m in mail.outbox) == ["gp@clinic.example", "pat@example.com"]


@pytest.mark.parametrize(("days_back", "alerts"), [(27, True), (28, False)])
def test_a_back_dated_motor_sign_alerts_at_once_within_28_days(
    patient, eager, days_back, alerts, django_capture_on_commit_callbacks
):
    data = EntryInput(
        intensity=3,
        occurred_at=datetime.now(UTC) - timedelta(days=days_back),
        locations=(("heel", "left"),),
        pain_types=("weakness",),
    )
    with django_capture_on_commit_callbacks(execute=True):
        save(patient, data)
    assert Flag.objects.filter(user=patient, code="motor_weakness").exists() is alerts
    assert len(mail.outbox) == (2 if alerts else 0)


@settings(
    max_examples=15, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    code=st.sampled_from(
        [("saddle_numbness",), ("bladder_bowel",), ("sudden_weakness",), ("foot_drop",)]
    ),
    occurred_minutes_ago=st.integers(0, 60 * 24 * 27),
    body_map=st.booleans(),
)
def test_a_sign_saved_after_acknowledging_always_alerts_once_more_whatever_its_occurred_at(
    db, eager, django_capture_on_commit_callbacks, code, occurred_minutes_ago, body_map
):
    mail.outbox.clear()
    user = UserFactory(timezone="Europe/London")
    ContactFactory(user=user)
    red = () if body_map and code == ("saddle_numbness",) else code
    data = EntryInput(
        intensity=0,
        locations=(("saddle", "center"),) if not red else (),
        pain_types=("numbness",) if not red else (),
        red_flags=red,
    )
    with django_capture_on_commit_callbacks(execute=True):
        save(user, data)
    (first,) = Flag.objects.filter(user=user)
    flag_acknowledge(user=user, flag_id=first.pk)
    sent = len(mail.outbox)

    again = EntryInput(
        intensity=data.intensity,
        occurred_at=datetime.now(UTC) - timedelta(minutes=occurred_minutes_ago),
        locations=data.locations,
        pain_types=data.pain_types,
        red_flags=data.red_flags,
    )
    with django_capture_on_commit_callbacks(execute=True):
        save(user, again)

    active = Flag.objects.get(user=user, status="active")
    assert active.code == first.code and active.pk != first.pk
    assert Flag.objects.get(pk=first.pk).status == "acknowledged"
    assert len(mail.outbox) == sent + 2
    assert AlertDelivery.objects.filter(flag=active).count() == 2


# --- free text a clinician may read ---------------------------------------------------------


def test_direction_controls_are_stripped_from_notes_on_create_and_edit(patient):
    entry, _ = entry_create(
        user=patient,
        data=EntryInput(intensity=4, notes="took \u202egnp.exe\u202c two pills\u200f"),
    )
    assert entry.notes == "took gnp.exe two pills"

    edited = edit(entry, notes="better \u2066today\u2069, \u05e9\u05dc\u05d5\u05dd")
    edited.refresh_from_db()
    # Right-to-left letters stay: only the invisible controls go.
    assert edited.notes == "better today, \u05e9\u05dc\u05d5\u05dd"
