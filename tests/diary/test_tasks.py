"""Celery tasks: the instant red-flag path, the scan fan-out, alert sending and the sweep."""

from __future__ import annotations

import smtplib
from datetime import UTC, datetime, timedelta

import pytest
import time_machine
from django.core import mail
from django.core.mail import EmailMultiAlternatives
from django.db import OperationalError
from kombu.exceptions import OperationalError as BrokerDown

from diary import tasks as diary_tasks
from diary.models import AlertDelivery, Flag
from diary.services import scan as scan_services
from diary.services.entries import EntryInput, entry_create
from diary.services.flags import patterns_refresh
from reports import tasks as report_tasks
from tests.factories import ContactFactory, UserFactory
from tests.support.entries import TODAY, log

RED = EntryInput(intensity=6, locations=(("saddle", "center"),), red_flags=("saddle_numbness",))
PLAIN = EntryInput(intensity=3, locations=(("calf", "left"),))


@pytest.fixture
def patient(db):
    user = UserFactory(email="pat@example.com", timezone="UTC")
    ContactFactory(user=user, email="gp@clinic.example")
    return user


@pytest.fixture
def queued(monkeypatch):
    """Capture .delay() calls instead of publishing them."""
    calls: list[tuple[str, tuple]] = []

    def capture(name):
        return lambda *args: calls.append((name, args))

    monkeypatch.setattr(diary_tasks.raise_red_flags, "delay", capture("raise_red_flags"))
    monkeypatch.setattr(diary_tasks.scan_patients_chunk, "delay", capture("scan_patients_chunk"))
    monkeypatch.setattr(report_tasks.send_alert_delivery, "delay", capture("send_alert_delivery"))
    monkeypatch.setattr(report_tasks.send_reminder, "delay", capture("send_reminder"))
    return calls


# --- the instant red-flag path ---------------------------------------------------------------


def test_saving_a_red_flag_entry_raises_the_flag_and_emails_everyone_at_once(
    patient, eager, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        entry_create(user=patient, data=RED)

    flag = Flag.objects.get(user=patient)
    assert (flag.code, flag.status) == ("red_flag_saddle_numbness", "active")
    assert sorted(m.to[0] for m in mail.outbox) == ["gp@clinic.example", "pat@example.com"]
    assert set(flag.deliveries.values_list("status", flat=True)) == {"sent"}


def test_a_second_red_flag_entry_while_active_sends_nothing_more(
    patient, eager, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        entry_create(user=patient, data=RED)
    with django_capture_on_commit_callbacks(execute=True):
        entry_create(user=patient, data=RED)
    patterns_refresh(user=patient)

    assert Flag.objects.filter(user=patient).count() == 1
    assert len(mail.outbox) == 2


def test_an_entry_without_red_flags_queues_no_check(
    patient, queued, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        entry_create(user=patient, data=PLAIN)
    assert queued == []


def test_an_entry_with_a_red_flag_queues_the_check_after_commit(
    patient, queued, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        entry, _ = entry_create(user=patient, data=RED)
    assert queued == [("raise_red_flags", (str(entry.pk),))]


def test_a_broker_outage_does_not_fail_the_save(
    patient, monkeypatch, caplog, django_capture_on_commit_callbacks
):
    def down(*args):
        raise BrokerDown("connection refused")

    monkeypatch.setattr(diary_tasks.raise_red_flags, "delay", down)
    with django_capture_on_commit_callbacks(execute=True):
        entry, created = entry_create(user=patient, data=RED)

    assert created and entry.pk
    assert "Could not queue the red-flag check" in caplog.text
    # The incremental scan is the safety net: the patient is due for it.
    assert list(scan_services.scan_chunks(changed_only=True)) == [[patient.pk]]


def test_raise_red_flags_retries_with_back_off_when_the_database_is_busy(patient, monkeypatch):
    def busy(**kwargs):
        raise OperationalError("database is locked")

    retries: list[int] = []

    def fake_retry(*, exc, countdown):
        retries.append(countdown)
        return RuntimeError("retry")

    monkeypatch.setattr(diary_tasks, "red_flags_raise", busy)
    monkeypatch.setattr(diary_tasks.raise_red_flags, "retry", fake_retry)
    with pytest.raises(RuntimeError):
        diary_tasks.raise_red_flags.run("00000000-0000-0000-0000-000000000000")
    assert retries == [5]


# --- the scheduled scan ----------------------------------------------------------------------


def test_the_incremental_scan_queues_one_task_per_chunk_of_changed_patients(
    db, queued, monkeypatch
):
    monkeypatch.setattr(scan_services, "SCAN_CHUNK_SIZE", 2)
    users = [UserFactory() for _ in range(5)]
    for user in users[:3]:
        entry_create(user=user, data=PLAIN)

    assert diary_tasks.scan_changed_patients() == 2
    chunks = [args[0] for name, args in queued]
    assert sorted(pk for chunk in chunks for pk in chunk) == sorted(u.pk for u in users[:3])
    assert all(name == "scan_patients_chunk" and args[1] is None for name, args in queued)


def test_the_daily_scan_queues_every_patient(db, queued):
    users = [UserFactory() for _ in range(3)]
    assert diary_tasks.scan_all_patients("2026-11-20") == 1
    assert queued == [("scan_patients_chunk", (sorted(u.pk for u in users), "2026-11-20"))]


def test_a_chunk_task_run_twice_raises_each_flag_once(patient, eager):
    log(patient, TODAY, red_flags=["foot_drop"])
    for _ in range(2):
        diary_tasks.scan_patients_chunk.delay([patient.pk], TODAY.isoformat())
    assert Flag.objects.filter(user=patient, code="motor_weakness").count() == 1
    assert AlertDelivery.objects.count() == 2


# --- sending alerts ------------------------------------------------------------------------


@pytest.fixture
def deliveries(patient):
    log(patient, TODAY, red_flags=["bladder_bowel"])
    patterns_refresh(user=patient, as_of=TODAY)
    return list(AlertDelivery.objects.order_by("id"))


def test_a_duplicate_send_task_is_a_no_op(deliveries, eager):
    for _ in range(3):
        report_tasks.send_alert_delivery.delay(deliveries[0].pk)
    assert len(mail.outbox) == 1
    deliveries[0].refresh_from_db()
    assert (deliveries[0].status, deliveries[0].attempts) == ("sent", 1)


def test_a_failed_send_is_retried_by_the_task_after_its_back_off(deliveries, monkeypatch):
    def refuse(self, *args, **kwargs):
        raise smtplib.SMTPConnectError(421, "try later")

    countdowns: list[int] = []

    def fake_retry(*, countdown):
        countdowns.append(countdown)
        return RuntimeError("retry")

    monkeypatch.setattr(EmailMultiAlternatives, "send", refuse)
    monkeypatch.setattr(report_tasks.send_alert_delivery, "retry", fake_retry)
    with pytest.raises(RuntimeError):
        report_tasks.send_alert_delivery.run(deliveries[0].pk)

    assert countdowns == [31]
    deliveries[0].refresh_from_db()
    assert deliveries[0].status == "failed"
    assert "SMTPConnectError" in deliveries[0].last_error


def test_the_sweep_queues_only_deliveries_that_are_due(deliveries, queued):
    first, second = deliveries
    AlertDelivery.objects.filter(pk=second.pk).update(
        status="failed", next_attempt_at=datetime.now(UTC) + timedelta(minutes=5)
    )
    assert report_tasks.sweep_alert_deliveries() == 1
    assert queued == [("send_alert_delivery", (first.pk,))]

    with time_machine.travel(datetime.now(UTC) + timedelta(minutes=6)):
        queued.clear()
        report_tasks.sweep_alert_deliveries()
    assert sorted(args[0] for _, args in queued) == [first.pk, second.pk]


def test_sent_and_given_up_deliveries_are_never_swept(deliveries, queued):
    AlertDelivery.objects.filter(pk=deliveries[0].pk).update(status="sent")
    AlertDelivery.objects.filter(pk=deliveries[1].pk).update(status="gave_up")
    assert report_tasks.sweep_alert_deliveries() == 0
    assert queued == []


def test_a_flag_activation_queues_one_send_per_recipient(
    patient, queued, django_capture_on_commit_callbacks
):
    log(patient, TODAY, red_flags=["saddle_numbness"])
    with django_capture_on_commit_callbacks(execute=True):
        patterns_refresh(user=patient, as_of=TODAY)
    ids = sorted(AlertDelivery.objects.values_list("pk", flat=True))
    assert sorted(args[0] for name, args in queued if name == "send_alert_delivery") == ids
