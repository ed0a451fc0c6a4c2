"""The flag lifecycle: raise, refresh, resolve, acknowledge, recur; alert deliveries."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
import time_machine
from django.db import IntegrityError, transaction
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from diary.models import AlertDelivery, Flag
from diary.services.flags import (
    flag_acknowledge,
    patterns_refresh,
    patterns_refresh_many,
    red_flags_raise,
)
from diary.services.flags import refresh as flag_services
from diary.signals import flag_activated
from tests.factories import ContactFactory, EntryFactory, UserFactory
from tests.support.entries import HOURS, TODAY, log, night_pattern

NOON = datetime(2026, 11, 20, 12, 0, tzinfo=UTC)


def flags_of(user, code: str) -> list[Flag]:
    return list(Flag.objects.filter(user=user, code=code).order_by("id"))


def events(result) -> list[str]:
    return sorted(str(e) for e in result.events)


@pytest.fixture
def patient(db):
    return UserFactory(email="pat@example.com", timezone="Europe/London")


# --- patterns (non-red) -------------------------------------------------------------------


@time_machine.travel(NOON, tick=False)
def test_a_pattern_raises_one_active_flag(patient):
    night_pattern(patient)

    result = patterns_refresh(user=patient, as_of=TODAY)

    assert "raised night_worse_nerve_pain for pat@example.com" in events(result)
    (flag,) = flags_of(patient, "night_worse_nerve_pain")
    assert flag.status == Flag.Status.ACTIVE
    assert flag.severity == "warning"
    assert len(flag.evidence) == 3
    assert "not a diagnosis" in flag.explanation
    assert flag.first_detected_at == NOON


def test_a_rescan_updates_last_seen_and_never_duplicates(patient):
    night_pattern(patient)
    with time_machine.travel(NOON, tick=False):
        patterns_refresh(user=patient, as_of=TODAY)
    later = NOON + timedelta(hours=3)
    with time_machine.travel(later, tick=False):
        log(patient, TODAY, timing="evening", minute=30, intensity=9, pain_types=["tingling"])
        result = patterns_refresh(user=patient, as_of=TODAY)

    assert result.events == []
    (flag,) = flags_of(patient, "night_worse_nerve_pain")
    assert flag.first_detected_at == NOON
    assert flag.last_seen_at == later
    assert len(flag.evidence) == 4  # the new evening entry joined the evidence


def test_a_pattern_that_stops_holding_is_resolved(patient):
    night_pattern(patient, end=TODAY - timedelta(days=5))
    patterns_refresh(user=patient, as_of=TODAY)

    with time_machine.travel(NOON + timedelta(days=10), tick=False):
        result = patterns_refresh(user=patient, as_of=TODAY + timedelta(days=10))

    assert "resolved night_worse_nerve_pain for pat@example.com" in events(result)
    (flag,) = flags_of(patient, "night_worse_nerve_pain")
    assert flag.status == Flag.Status.RESOLVED
    assert flag.resolved_at == NOON + timedelta(days=10)


def test_an_acknowledged_pattern_stays_acknowledged_while_it_holds_then_resolves(patient):
    night_pattern(patient)
    patterns_refresh(user=patient, as_of=TODAY)
    (flag,) = flags_of(patient, "night_worse_nerve_pain")
    flag_acknowledge(user=patient, flag_id=flag.pk)

    result = patterns_refresh(user=patient, as_of=TODAY + timedelta(days=1))
    assert result.events == []
    (flag,) = flags_of(patient, "night_worse_nerve_pain")
    assert flag.status == Flag.Status.ACKNOWLEDGED

    result = patterns_refresh(user=patient, as_of=TODAY + timedelta(days=20))
    assert [e.action for e in result.events] == ["resolved"]
    (flag,) = flags_of(patient, "night_worse_nerve_pain")
    assert flag.status == Flag.Status.RESOLVED


def test_a_recurrence_after_resolution_is_a_new_activation(patient):
    night_pattern(patient, end=TODAY - timedelta(days=30))
    patterns_refresh(user=patient, as_of=TODAY - timedelta(days=30))
    patterns_refresh(user=patient, as_of=TODAY - timedelta(days=5))  # resolves
    night_pattern(patient)

    result = patterns_refresh(user=patient, as_of=TODAY)

    assert [e.action for e in result.events] == ["raised"]
    first, second = flags_of(patient, "night_worse_nerve_pain")
    assert (first.status, second.status) == (Flag.Status.RESOLVED, Flag.Status.ACTIVE)


def test_warning_and_info_flags_send_no_alert(patient):
    night_pattern(patient)
    patterns_refresh(user=patient, as_of=TODAY)
    assert Flag.objects.filter(user=patient).exists()
    assert not AlertDelivery.objects.exists()


def test_the_database_allows_one_active_flag_per_code(patient):
    Flag.objects.create(user=patient, code="worsening_trend", severity="warning", title="t")
    Flag.objects.create(
        user=patient, code="worsening_trend", severity="warning", title="t", status="resolved"
    )
    with pytest.raises(IntegrityError), transaction.atomic():
        Flag.objects.create(user=patient, code="worsening_trend", severity="warning", title="t")


# --- red flags --------------------------------------------------------------------------


def test_an_emergency_flag_alerts_the_patient_and_each_alert_contact_once(patient):
    patient.alert_email = "Alerts@Example.com"
    patient.save()
    ContactFactory(user=patient, email="gp@clinic.example")
    ContactFactory(user=patient, email="alerts@example.com")  # same address as the patient's
    ContactFactory(user=patient, email="physio@clinic.example", receive_alerts=False)
    log(patient, TODAY, red_flags=["saddle_numbness"])

    patterns_refresh(user=patient, as_of=TODAY)

    (flag,) = flags_of(patient, "red_flag_saddle_numbness")
    assert flag.severity == "emergency"
    recipients = sorted(d.recipient.lower() for d in flag.deliveries.all())
    assert recipients == ["alerts@example.com", "gp@clinic.example"]
    assert {d.status for d in flag.deliveries.all()} == {AlertDelivery.Status.PENDING}


def test_flag_activated_is_sent_once_the_transaction_commits(
    patient, django_capture_on_commit_callbacks, monkeypatch
):
    monkeypatch.setattr("reports.tasks.send_alert_delivery.delay", lambda *a: None)
    received: list[int] = []

    def listener(sender, flag_id, **kwargs):
        received.append(flag_id)

    flag_activated.connect(listener, dispatch_uid="test-listener")
    try:
        log(patient, TODAY, red_flags=["bladder_bowel"])
        with django_capture_on_commit_callbacks(execute=False) as callbacks:
            patterns_refresh(user=patient, as_of=TODAY)
        assert received == []  # nothing before commit
        for callback in callbacks:
            callback()
    finally:
        flag_activated.disconnect(dispatch_uid="test-listener")
    (flag,) = flags_of(patient, "red_flag_bladder_bowel")
    assert received == [flag.pk]


def test_a_red_flag_never_resolves_on_its_own(patient):
    log(patient, TODAY - timedelta(days=200), red_flags=["sudden_weakness"])
    patterns_refresh(user=patient, as_of=TODAY - timedelta(days=200))

    result = patterns_refresh(user=patient, as_of=TODAY)

    assert result.events == []
    (flag,) = flags_of(patient, "red_flag_sudden_weakness")
    assert flag.status == Flag.Status.ACTIVE


def test_repeated_red_flag_entries_while_active_join_the_flag_without_new_alerts(patient):
    first = log(patient, TODAY - timedelta(days=1), red_flags=["saddle_numbness"])
    patterns_refresh(user=patient, as_of=TODAY)
    second = log(patient, TODAY, red_flags=["saddle_numbness"])

    result = patterns_refresh(user=patient, as_of=TODAY)

    assert result.events == []
    (flag,) = flags_of(patient, "red_flag_saddle_numbness")
    assert flag.evidence == [str(first.pk), str(second.pk)]
    assert AlertDelivery.objects.count() == 1


def test_a_red_flag_after_acknowledgement_is_a_new_activation_that_alerts_again(patient):
    with time_machine.travel(NOON - timedelta(days=2), tick=False):
        log(patient, TODAY - timedelta(days=2), red_flags=["saddle_numbness"])
        patterns_refresh(user=patient, as_of=TODAY - timedelta(days=2))
        (first,) = flags_of(patient, "red_flag_saddle_numbness")
        flag_acknowledge(user=patient, flag_id=first.pk)
    with time_machine.travel(NOON, tick=False):
        again = log(patient, TODAY, red_flags=["saddle_numbness"])
        result = patterns_refresh(user=patient, as_of=TODAY)

    assert [str(e) for e in result.events] == [
        "raised red_flag_saddle_numbness for pat@example.com"
    ]
    old, new = flags_of(patient, "red_flag_saddle_numbness")
    assert old.status == Flag.Status.ACKNOWLEDGED
    assert new.status == Flag.Status.ACTIVE
    assert new.evidence == [str(again.pk)]
    assert "1 entry" in new.explanation  # names the new report only
    assert new.deliveries.count() == 1
    assert AlertDelivery.objects.count() == 2


def test_rescanning_acknowledged_red_flag_entries_raises_nothing(patient):
    log(patient, TODAY - timedelta(days=3), red_flags=["saddle_numbness", "bladder_bowel"])
    patterns_refresh(user=patient, as_of=TODAY - timedelta(days=3))
    for flag in Flag.objects.filter(user=patient):
        flag_acknowledge(user=patient, flag_id=flag.pk)

    for day in range(5):
        result = patterns_refresh(user=patient, as_of=TODAY + timedelta(days=day))
        assert result.events == []
    assert Flag.objects.filter(user=patient).count() == 2
    assert AlertDelivery.objects.count() == 2


def test_a_back_dated_red_flag_entry_saved_after_acknowledging_is_a_new_activation(patient):
    # Revised §5 (issue 9): judged by when the entry was saved, never by its occurred_at. The
    # old rule let this entry join the acknowledged flag silently.
    with time_machine.travel(NOON, tick=False):
        log(patient, TODAY, red_flags=["saddle_numbness"])
        patterns_refresh(user=patient, as_of=TODAY)
        (flag,) = flags_of(patient, "red_flag_saddle_numbness")
        flag_acknowledge(user=patient, flag_id=flag.pk)
    with time_machine.travel(NOON + timedelta(hours=2), tick=False):
        # Logged after acknowledging, about the morning before it.
        earlier = log(patient, TODAY, timing="morning", red_flags=["saddle_numbness"])
        result = patterns_refresh(user=patient, as_of=TODAY)

    assert events(result) == ["raised red_flag_saddle_numbness for pat@example.com"]
    old, new = flags_of(patient, "red_flag_saddle_numbness")
    assert old.status == Flag.Status.ACKNOWLEDGED
    assert str(earlier.pk) not in old.evidence
    assert (new.status, new.evidence) == (Flag.Status.ACTIVE, [str(earlier.pk)])
    assert new.deliveries.count() == 1


def test_motor_weakness_alerts_and_then_resolves_like_a_pattern(patient):
    log(patient, TODAY, red_flags=["foot_drop"])
    result = patterns_refresh(user=patient, as_of=TODAY)
    assert events(result) == ["raised motor_weakness for pat@example.com"]
    (flag,) = flags_of(patient, "motor_weakness")
    assert flag.severity == "urgent"
    assert flag.deliveries.count() == 1

    # Revised §5: the motor window is 28 days (was 14).
    assert patterns_refresh(user=patient, as_of=TODAY + timedelta(days=27)).events == []
    result = patterns_refresh(user=patient, as_of=TODAY + timedelta(days=28))
    assert events(result) == ["resolved motor_weakness for pat@example.com"]


def test_the_instant_path_raises_only_alerting_flags_and_does_not_count_as_a_scan(patient):
    night_pattern(patient)
    entry = log(patient, TODAY, red_flags=["saddle_numbness", "toe_walk_difficulty"])

    with time_machine.travel(NOON, tick=False):
        result = red_flags_raise(entry_id=str(entry.pk))

    assert events(result) == [
        "raised motor_weakness for pat@example.com",
        "raised red_flag_saddle_numbness for pat@example.com",
    ]
    assert not Flag.objects.filter(code="night_worse_nerve_pain").exists()
    patient.refresh_from_db()
    assert patient.scanned_at is None


def test_the_instant_path_sees_an_entry_stamped_past_the_patients_midnight(patient):
    # 23:55 in London; the entry is stamped 00:04 tomorrow (allowed: up to 10 minutes ahead).
    now = datetime(2026, 11, 20, 23, 55, tzinfo=UTC)
    ahead = EntryFactory(
        user=patient, occurred_at=now + timedelta(minutes=9), red_flags=["bladder_bowel"]
    )
    with time_machine.travel(now, tick=False):
        red_flags_raise(entry_id=str(ahead.pk))
    assert flags_of(patient, "red_flag_bladder_bowel")


def test_the_instant_path_ignores_a_deleted_entry(db):
    assert red_flags_raise(entry_id="5d0c4a8e-4a52-4a5e-9d43-63d5b7a6f0b1").events == []


# --- acknowledging ----------------------------------------------------------------------


def test_flag_acknowledge_sets_status_and_time(patient):
    log(patient, TODAY, red_flags=["saddle_numbness"])
    patterns_refresh(user=patient, as_of=TODAY)
    (flag,) = flags_of(patient, "red_flag_saddle_numbness")

    with time_machine.travel(NOON, tick=False):
        acknowledged = flag_acknowledge(user=patient, flag_id=flag.pk)

    assert acknowledged.status == Flag.Status.ACKNOWLEDGED
    assert acknowledged.acknowledged_at == NOON


def test_flag_acknowledge_leaves_another_patients_flag_alone(patient, other_user):
    log(patient, TODAY, red_flags=["saddle_numbness"])
    patterns_refresh(user=patient, as_of=TODAY)
    (flag,) = flags_of(patient, "red_flag_saddle_numbness")

    assert flag_acknowledge(user=other_user, flag_id=flag.pk) is None
    flag.refresh_from_db()
    assert flag.status == Flag.Status.ACTIVE


# --- robustness ---------------------------------------------------------------------------


def test_a_failing_patient_does_not_stop_the_others(db, monkeypatch, caplog):
    good, bad = UserFactory(), UserFactory()
    log(good, TODAY, red_flags=["saddle_numbness"])
    log(bad, TODAY, red_flags=["saddle_numbness"])
    real = flag_services._plan_patient

    def explode_for_bad(plan, *, patient, **kwargs):
        if patient.id == bad.pk:
            raise ValueError("odd data")
        return real(plan, patient=patient, **kwargs)

    monkeypatch.setattr(flag_services, "_plan_patient", explode_for_bad)

    result = patterns_refresh_many(user_ids=[good.pk, bad.pk], as_of=TODAY)

    assert result.failed == [bad.pk]
    assert flags_of(good, "red_flag_saddle_numbness")
    assert not flags_of(bad, "red_flag_saddle_numbness")
    assert "Pattern refresh failed" in caplog.text
    bad.refresh_from_db()
    assert bad.scanned_at is None or bad.scanned_at < bad.entries_changed_at  # still due


def test_a_chunk_conflict_falls_back_to_one_patient_at_a_time(db, monkeypatch):
    user = UserFactory()
    log(user, TODAY, red_flags=["saddle_numbness"])
    real = flag_services._refresh_locked
    calls = {"n": 0}

    def conflict_once(**kwargs):
        calls["n"] += 1
        if calls["n"] == 1:
            raise IntegrityError("flag_one_active_per_code")
        return real(**kwargs)

    monkeypatch.setattr(flag_services, "_refresh_locked", conflict_once)
    result = patterns_refresh_many(user_ids=[user.pk], as_of=TODAY)
    assert [e.action for e in result.events] == ["raised"]
    assert len(flags_of(user, "red_flag_saddle_numbness")) == 1


# --- property: rescans never duplicate --------------------------------------------------

RED = st.sampled_from(
    [[], [], ["saddle_numbness"], ["foot_drop"], ["bladder_bowel", "heel_walk_difficulty"]]
)
STEP = st.one_of(
    st.tuples(
        st.just("log"),
        st.integers(0, 20),
        st.integers(0, 10),
        st.sampled_from(list(HOURS)),
        RED,
    ),
    st.tuples(st.just("scan"), st.integers(0, 3)),
    st.tuples(st.just("ack"), st.integers(0, 5)),
)


@settings(
    max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(steps=st.lists(STEP, min_size=1, max_size=12))
def test_rescans_never_duplicate_flags_or_alerts(db, steps):
    user = UserFactory()
    ContactFactory(user=user)
    day = TODAY
    for step in steps:
        if step[0] == "log":
            _, ago, intensity, timing, red = step
            log(user, day - timedelta(days=ago), timing=timing, intensity=intensity, red_flags=red)
        elif step[0] == "scan":
            day += timedelta(days=step[1])
            patterns_refresh(user=user, as_of=day)
        else:
            open_flags = list(Flag.objects.filter(user=user, status="active").order_by("id"))
            if open_flags:
                flag_acknowledge(user=user, flag_id=open_flags[step[1] % len(open_flags)].pk)

    patterns_refresh(user=user, as_of=day)
    flags_before = list(Flag.objects.filter(user=user).values_list("id", "status", "evidence"))
    deliveries_before = AlertDelivery.objects.filter(flag__user=user).count()
    for _ in range(2):
        assert patterns_refresh(user=user, as_of=day).events == []
    assert (
        list(Flag.objects.filter(user=user).values_list("id", "status", "evidence")) == flags_before
    )
    assert AlertDelivery.objects.filter(flag__user=user).count() == deliveries_before

    # One open activation per code, and every alerting activation has exactly its two e-mails.
    for code in set(Flag.objects.filter(user=user).values_list("code", flat=True)):
        assert Flag.objects.filter(user=user, code=code, status="active").count() <= 1
    for flag in Flag.objects.filter(user=user, severity__in=["emergency", "urgent"]):
        assert flag.deliveries.count() == 2
