"""reports.alerts: claiming, retries with back-off, giving up, queueing and the daily cap."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
import time_machine
from django.core import mail

from diary.models import AlertDelivery, Flag
from diary.services.flags import flag_acknowledge, patterns_refresh
from reports import alerts
from reports.alerts import (
    alert_delivery_send,
    delivery_claim,
    delivery_mark_failed,
    delivery_mark_sent,
    delivery_retry_delay,
)
from tests.factories import ContactFactory, UserFactory
from tests.support.entries import TODAY, log


@pytest.fixture
def patient(db):
    return UserFactory(email="pat@example.com", timezone="Europe/London")


# --- deliveries -------------------------------------------------------------------------


@pytest.fixture
def delivery(patient):
    log(patient, TODAY, red_flags=["saddle_numbness"])
    patterns_refresh(user=patient, as_of=TODAY)
    return AlertDelivery.objects.get()


def test_a_claimed_delivery_cannot_be_claimed_again_while_it_is_being_sent(delivery):
    assert delivery_claim(delivery_id=delivery.pk) is not None
    assert delivery_claim(delivery_id=delivery.pk) is None


def test_a_sent_delivery_is_never_claimed_again(delivery):
    claimed = delivery_claim(delivery_id=delivery.pk)
    delivery_mark_sent(delivery=claimed)
    later = datetime.now(UTC) + timedelta(days=1)
    assert delivery_claim(delivery_id=delivery.pk, now=later) is None
    delivery.refresh_from_db()
    assert delivery.status == AlertDelivery.Status.SENT
    assert delivery.attempts == 1


def test_retry_delay_doubles_from_30_seconds_up_to_an_hour():
    delays = [delivery_retry_delay(attempts=n) for n in range(1, 10)]
    assert delays == [30, 60, 120, 240, 480, 960, 1920, 3600, 3600]


def test_a_failed_delivery_waits_its_back_off_then_gives_up(delivery, settings):
    settings.ALERT_MAX_ATTEMPTS = 3
    now = datetime.now(UTC)
    with time_machine.travel(now, tick=False):
        claimed = delivery_claim(delivery_id=delivery.pk)
        assert delivery_mark_failed(delivery=claimed, error="SMTPConnectError: down") == 30
    delivery.refresh_from_db()
    assert delivery.status == AlertDelivery.Status.FAILED
    assert delivery.next_attempt_at == now + timedelta(seconds=30)
    assert delivery_claim(delivery_id=delivery.pk, now=now + timedelta(seconds=29)) is None

    claimed = delivery_claim(delivery_id=delivery.pk, now=now + timedelta(seconds=30))
    assert delivery_mark_failed(delivery=claimed, error="down") == 60
    claimed = delivery_claim(delivery_id=delivery.pk, now=now + timedelta(hours=1))
    assert delivery_mark_failed(delivery=claimed, error="still down") is None

    delivery.refresh_from_db()
    assert (delivery.status, delivery.attempts) == (AlertDelivery.Status.GAVE_UP, 3)
    assert delivery.last_error == "still down"
    assert delivery_claim(delivery_id=delivery.pk, now=now + timedelta(days=1)) is None


# --- the daily cap ----------------------------------------------------------------------


def _activate(user, code="saddle_numbness") -> Flag:
    """A new activation of the red flag (acknowledging the previous one first)."""
    for flag in Flag.objects.filter(user=user, status="active"):
        flag_acknowledge(user=user, flag_id=flag.pk)
    log(user, TODAY, red_flags=[code])
    patterns_refresh(user=user, as_of=TODAY)
    return Flag.objects.filter(user=user, status="active").get()


def _send_all(flag: Flag) -> None:
    for delivery in flag.deliveries.all():
        alert_delivery_send(delivery_id=delivery.pk)


def test_the_cap_holds_back_repeats_beyond_ten_a_day_to_one_recipient(db, monkeypatch):
    monkeypatch.setattr(alerts, "ALERT_DAILY_CAP", 3)
    user = UserFactory(email="pat@example.com")
    for _ in range(3):
        _send_all(_activate(user))
    assert len(mail.outbox) == 3  # at the cap, not over it

    fourth = _activate(user)
    _send_all(fourth)

    assert len(mail.outbox) == 3
    (held,) = fourth.deliveries.all()
    assert held.status == AlertDelivery.Status.CAPPED


def test_the_cap_never_holds_back_the_first_alert_about_a_pattern(db, monkeypatch):
    monkeypatch.setattr(alerts, "ALERT_DAILY_CAP", 3)
    user = UserFactory(email="pat@example.com")
    for _ in range(3):
        _send_all(_activate(user))

    _send_all(_activate(user, code="bladder_bowel"))  # a pattern not alerted about today

    assert len(mail.outbox) == 4
    assert mail.outbox[-1].subject.startswith("Emergency")


def test_the_cap_counts_the_last_24_hours_only(db, monkeypatch):
    monkeypatch.setattr(alerts, "ALERT_DAILY_CAP", 2)
    user = UserFactory(email="pat@example.com")
    start = datetime.now(UTC)
    with time_machine.travel(start, tick=False):
        for _ in range(2):
            _send_all(_activate(user))
    with time_machine.travel(start + timedelta(hours=23, minutes=59), tick=False):
        flag = _activate(user)
        _send_all(flag)
        assert flag.deliveries.get().status == AlertDelivery.Status.CAPPED
    with time_machine.travel(start + timedelta(hours=24, seconds=1), tick=False):
        flag = _activate(user)
        _send_all(flag)
        assert flag.deliveries.get().status == AlertDelivery.Status.SENT


def test_the_default_cap_is_ten():
    assert alerts.ALERT_DAILY_CAP == 10


def test_queueing_sends_one_task_per_pending_delivery(patient, monkeypatch):
    ContactFactory(user=patient, email="gp@clinic.example")
    queued: list[int] = []
    monkeypatch.setattr("reports.tasks.send_alert_delivery.delay", queued.append)
    log(patient, TODAY, red_flags=["bladder_bowel"])
    patterns_refresh(user=patient, as_of=TODAY)
    flag = Flag.objects.get(user=patient)

    assert alerts.deliveries_queue(flag_id=flag.pk) == 2
    assert sorted(queued) == sorted(flag.deliveries.values_list("pk", flat=True))
