"""reports.alerts: claiming, retries with back-off, giving up, queueing and the daily cap."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
import time_machine
from django.conf import settings
from django.core import mail

from diary.models import AlertDelivery, Contact, Flag
from diary.services.accounts import contact_alerts_stop
from diary.services.flags import flag_acknowledge, patterns_refresh
from reports import alerts
from reports.alerts import (
    alert_delivery_send,
    delivery_claim,
    delivery_mark_failed,
    delivery_mark_sent,
    delivery_retry_delay,
)
from reports.clinician_emails import workspace_report_url
from tests.factories import ClinicianFactory, ContactFactory, FollowFactory, UserFactory
from tests.support.entries import TODAY, log
from tests.support.mail import stop_link_contacts


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


# --- who reads it: the stop link and the workspace link, found at send time -----------------


@pytest.fixture
def readers(patient):
    """A patient with a following clinician, a plain contact and one whose follow ended."""
    follower = FollowFactory(patient=patient, clinician=ClinicianFactory(email="dr@clinic.example"))
    ContactFactory(user=patient, email="Friend@Example.org", name="A friend")
    ended = FollowFactory(patient=patient, clinician=ClinicianFactory(email="old@clinic.example"))
    ended.ended_at = ended.created_at
    ended.save(update_fields=["ended_at"])
    log(patient, TODAY, red_flags=["bladder_bowel"])
    patterns_refresh(user=patient, as_of=TODAY)
    return follower


def _send(patient, address: str):
    delivery = AlertDelivery.objects.get(flag__user=patient, recipient__iexact=address)
    alert_delivery_send(delivery_id=delivery.pk)
    (message,) = [m for m in mail.outbox if m.to == [delivery.recipient]]
    return message, message.alternatives[0][0]


def test_a_following_clinicians_alert_links_to_the_patients_workspace_report(patient, readers):
    message, html = _send(patient, "dr@clinic.example")
    report = workspace_report_url(patient.pk)
    flag = Flag.objects.get(user=patient, severity="emergency")
    for body in (message.body, html):
        assert report in body
        # Title, advice and link only (§5): dates and counts stay behind the log-in.
        assert flag.title in body
        assert flag.clinician_explanation not in body
        assert flag.explanation not in body
        assert "/flags/" not in body  # the patient's own page is no use to the clinician
        assert "Your symptom diary" not in body
        assert "The advice shown to the patient:" in body
    assert "Open the patient's report" in html


def test_a_contact_who_does_not_follow_gets_the_plain_app_link(patient, readers):
    for address in ("friend@example.org", "old@clinic.example"):  # never followed; follow ended
        message, html = _send(patient, address)
        for body in (message.body, html):
            assert f"{settings.SITE_URL}/flags/" in body
            assert "/clinician/" not in body
            assert "The advice shown to the patient:" in body


def test_every_contacts_alert_carries_their_own_one_click_stop_link(patient, readers):
    for address in ("dr@clinic.example", "friend@example.org"):
        contact = Contact.objects.get(user=patient, email__iexact=address)
        message, html = _send(patient, address)
        header = message.extra_headers["List-Unsubscribe"]
        assert header.startswith("<") and header.endswith(">")
        assert stop_link_contacts(header) == [contact]
        assert message.extra_headers["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
        assert "List-Unsubscribe-Post: List-Unsubscribe=One-Click" in message.message().as_string()
        assert stop_link_contacts(message.body) == [contact]
        assert set(stop_link_contacts(html)) == {contact}  # the button and its text
        for body in (message.body, html):
            assert "ask the patient to remove you" not in body


def test_the_patients_own_alert_has_no_stop_link_and_says_you(patient, readers):
    message, html = _send(patient, "pat@example.com")
    assert "List-Unsubscribe" not in message.extra_headers
    assert "List-Unsubscribe" not in message.message().as_string()
    for body in (message.body, html):
        assert "/stop/" not in body
        assert "/clinician/" not in body
        assert "Your symptom diary raised an alert" in body
        assert f"{settings.SITE_URL}/flags/" in body


def test_sending_to_a_contact_costs_one_query_more_than_to_the_patient(
    patient, readers, django_assert_num_queries
):
    # claim (update + read), the daily cap's count, the contact with its follow, mark sent.
    contact = AlertDelivery.objects.get(recipient="dr@clinic.example")
    with django_assert_num_queries(5):
        alert_delivery_send(delivery_id=contact.pk)
    own = AlertDelivery.objects.get(recipient="pat@example.com")
    with django_assert_num_queries(4):
        alert_delivery_send(delivery_id=own.pk)
    assert len(mail.outbox) == 2


def test_a_contact_who_stopped_after_the_alert_was_queued_gets_nothing(patient, readers):
    contact = Contact.objects.get(user=patient, email="Friend@Example.org")
    contact_alerts_stop(contact=contact)
    delivery = AlertDelivery.objects.get(recipient="Friend@Example.org")

    assert alert_delivery_send(delivery_id=delivery.pk) is None

    delivery.refresh_from_db()
    assert delivery.status == "gave_up"
    assert mail.outbox == []
