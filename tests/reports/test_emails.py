"""Alert and reminder e-mails: content, delivery through a real SMTP server, scheduling."""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta

import pytest
import time_machine
from aiosmtpd.controller import Controller
from django.core import mail
from django.test import override_settings

from diary.models import AlertDelivery, Flag, User
from diary.rules.red_flags import EMERGENCY_ADVICE, URGENT_ADVICE
from diary.services.flags import patterns_refresh
from reports import tasks as report_tasks
from reports.alerts import alert_delivery_send
from reports.emails import (
    alert_message,
    reminder_next_at,
    reminder_send,
    reminders_claim_due,
    reminders_schedule,
)
from tests.factories import ContactFactory, EntryFactory, UserFactory
from tests.support import Inbox, free_port
from tests.support.entries import TODAY, log

SECRET_NOTE = "my neighbour's name is Zebedee"


@pytest.fixture
def patient(db):
    user = UserFactory(email="pat@example.com", timezone="UTC")
    ContactFactory(user=user, email="gp@clinic.example", name="Dr Who")
    return user


def raise_flag(patient, red_flag: str) -> Flag:
    log(patient, TODAY, red_flags=[red_flag], notes=SECRET_NOTE, intensity=9)
    patterns_refresh(user=patient, as_of=TODAY)
    return Flag.objects.get(user=patient, severity__in=["emergency", "urgent"])


# --- content -------------------------------------------------------------------------------


@override_settings(SITE_URL="https://diary.example.org")
def test_the_alert_carries_title_advice_and_link_but_no_diary_details(patient):
    flag = raise_flag(patient, "saddle_numbness")

    message = alert_message(flag=flag, to="pat@example.com")
    html = message.alternatives[0][0]

    assert flag.title in message.subject
    assert message.subject.startswith("Emergency")
    for body in (message.body, html):
        assert flag.title in body
        assert "Seek emergency medical care now" in body
        assert "https://diary.example.org/flags/" in body
        assert "not a diagnosis" in body
        assert SECRET_NOTE not in body
        assert "Zebedee" not in body
        assert flag.explanation not in body  # dates and counts stay in the app
    assert message.body.count(EMERGENCY_ADVICE) == 1
    assert message.alternatives[0][1] == "text/html"
    assert "&#x27;" not in message.body  # plain text is not HTML-escaped


def test_a_clinician_alert_says_whose_diary_it_is(patient):
    flag = raise_flag(patient, "foot_drop")
    message = alert_message(flag=flag, to="gp@clinic.example")
    assert "pat@example.com" in message.body
    assert URGENT_ADVICE in message.body
    assert message.subject.startswith("Urgent")


@override_settings(EMERGENCY_PHONE="999")
def test_the_patients_alert_carries_a_call_button_to_the_emergency_number(patient):
    message = alert_message(flag=raise_flag(patient, "bladder_bowel"), to="pat@example.com")
    assert 'href="tel:999"' in message.alternatives[0][0]
    assert "Emergency number: 999" in message.body
    assert "In an emergency call 999." in message.body


def test_a_contacts_alert_speaks_about_the_patient_in_the_third_person(patient):
    message = alert_message(flag=raise_flag(patient, "saddle_numbness"), to="gp@clinic.example")
    for body in (message.body, message.alternatives[0][0]):
        assert "your diary" not in body
        assert "Your symptom diary" not in body
        assert "The advice shown to the patient:" in body
        assert "it does not diagnose" in body


def test_alerts_go_to_the_patient_and_each_alert_contact_once(patient, eager):
    ContactFactory(user=patient, email="nurse@clinic.example", receive_alerts=False)
    raise_flag(patient, "bladder_bowel")
    for delivery in AlertDelivery.objects.all():
        report_tasks.send_alert_delivery.delay(delivery.pk)
        report_tasks.send_alert_delivery.delay(delivery.pk)
    assert sorted(m.to[0] for m in mail.outbox) == ["gp@clinic.example", "pat@example.com"]


# --- delivery through a real SMTP server that is down at first ----------------------------------


def test_an_alert_waits_out_an_smtp_outage_and_is_delivered_exactly_once(patient, eager):
    port = free_port()
    smtp = {
        "EMAIL_BACKEND": "django.core.mail.backends.smtp.EmailBackend",
        "EMAIL_HOST": "127.0.0.1",
        "EMAIL_PORT": port,
        "EMAIL_USE_TLS": False,
        "EMAIL_TIMEOUT": 5,
    }
    flag = raise_flag(patient, "saddle_numbness")
    start = datetime.now(UTC)
    with override_settings(**smtp):
        # Nothing listens on the port yet: every send fails and waits its back-off.
        with time_machine.travel(start, tick=False):
            assert report_tasks.sweep_alert_deliveries() == 2
            assert report_tasks.sweep_alert_deliveries() == 0  # not due again yet
        failed = list(flag.deliveries.all())
        assert {d.status for d in failed} == {"failed"}
        assert all(d.next_attempt_at == start + timedelta(seconds=30) for d in failed)
        assert all(d.attempts == 1 and d.last_error for d in failed)

        inbox = Inbox()
        server = Controller(inbox, hostname="127.0.0.1", port=port)
        server.start()
        try:
            with time_machine.travel(start + timedelta(seconds=31), tick=False):
                assert report_tasks.sweep_alert_deliveries() == 2
                assert report_tasks.sweep_alert_deliveries() == 0
                for delivery in failed:  # late duplicates of the task change nothing
                    report_tasks.send_alert_delivery.delay(delivery.pk)
            with time_machine.travel(start + timedelta(days=1), tick=False):
                assert report_tasks.sweep_alert_deliveries() == 0
        finally:
            server.stop()

    assert sorted(rcpt for m in inbox.messages for rcpt in m.rcpt_tos) == [
        "gp@clinic.example",
        "pat@example.com",
    ]
    assert all(flag.title.encode() in m.original_content for m in inbox.messages)
    sent = list(flag.deliveries.all())
    assert {(d.status, d.attempts) for d in sent} == {("sent", 2)}


def test_a_delivery_that_keeps_failing_gives_up_and_the_patient_sees_it(patient, settings, client):
    settings.ALERT_MAX_ATTEMPTS = 2
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT, settings.EMAIL_TIMEOUT = "127.0.0.1", free_port(), 2
    flag = raise_flag(patient, "sudden_weakness")
    delivery = flag.deliveries.get(recipient="gp@clinic.example")
    start = datetime.now(UTC)
    with time_machine.travel(start, tick=False):
        assert alert_delivery_send(delivery_id=delivery.pk) == 30
    with time_machine.travel(start + timedelta(minutes=1), tick=False):
        assert alert_delivery_send(delivery_id=delivery.pk) is None
    delivery.refresh_from_db()
    assert delivery.status == "gave_up"
    client.force_login(patient)
    page = client.get("/flags/").content.decode()
    assert "We could not e-mail gp@clinic.example" in page


# --- reminders ------------------------------------------------------------------------------

LONDON = "Europe/London"
SPRING_FORWARD = date(2026, 3, 29)  # 01:00 GMT -> 02:00 BST
FALL_BACK = date(2026, 10, 25)  # 02:00 BST -> 01:00 GMT


def test_the_next_reminder_is_the_next_local_time_in_utc():
    after = datetime(2026, 7, 1, 12, 0, tzinfo=UTC)  # 13:00 BST
    assert reminder_next_at(zone=LONDON, reminder_time=time(20), after=after) == datetime(
        2026, 7, 1, 19, 0, tzinfo=UTC
    )
    assert reminder_next_at(zone=LONDON, reminder_time=time(9), after=after) == datetime(
        2026, 7, 2, 8, 0, tzinfo=UTC
    )


def test_the_reminder_keeps_its_local_time_across_a_dst_change():
    saturday = datetime(2026, 3, 28, 20, 0, tzinfo=UTC)  # 20:00 GMT, the reminder just went
    sunday = reminder_next_at(zone=LONDON, reminder_time=time(20), after=saturday)
    assert sunday == datetime(2026, 3, 29, 19, 0, tzinfo=UTC)  # 20:00 BST
    autumn = reminder_next_at(
        zone=LONDON, reminder_time=time(20), after=datetime(2026, 10, 24, 19, 0, tzinfo=UTC)
    )
    assert autumn == datetime(2026, 10, 25, 20, 0, tzinfo=UTC)  # 20:00 GMT


def test_a_reminder_time_the_clocks_skip_or_repeat_still_happens_once():
    gap = reminder_next_at(
        zone=LONDON, reminder_time=time(1, 30), after=datetime(2026, 3, 29, 0, 0, tzinfo=UTC)
    )
    assert gap == datetime(2026, 3, 29, 1, 30, tzinfo=UTC)  # shown as 02:30 BST that day
    repeated = reminder_next_at(
        zone=LONDON, reminder_time=time(1, 30), after=datetime(2026, 10, 24, 23, 0, tzinfo=UTC)
    )
    assert repeated == datetime(2026, 10, 25, 0, 30, tzinfo=UTC)  # the first 01:30 (BST)
    after_first = reminder_next_at(zone=LONDON, reminder_time=time(1, 30), after=repeated)
    assert after_first.date() == date(2026, 10, 26)  # not again an hour later


@pytest.fixture
def reminded(db):
    return UserFactory(email="remind@example.com", timezone=LONDON, reminder_time=time(20))


def run_reminders(at: datetime, queued: list) -> None:
    with time_machine.travel(at, tick=False):
        report_tasks.send_due_reminders()


@pytest.fixture
def queued(monkeypatch):
    calls: list[tuple] = []
    monkeypatch.setattr(report_tasks.send_reminder, "delay", lambda *args: calls.append(args))
    return calls


def test_reminders_go_out_once_a_day_at_local_time_through_a_dst_change(reminded, queued):
    # Saturday before the spring change, every 5 minutes from 18:00 UTC to Sunday 22:00 UTC.
    moment = datetime(2026, 3, 28, 18, 0, tzinfo=UTC)
    while moment <= datetime(2026, 3, 29, 22, 0, tzinfo=UTC):
        run_reminders(moment, queued)
        moment += timedelta(minutes=5)

    assert queued == [(reminded.pk, "2026-03-28"), (reminded.pk, "2026-03-29")]
    reminded.refresh_from_db()
    assert reminded.next_reminder_at == datetime(2026, 3, 30, 19, 0, tzinfo=UTC)


def test_a_concurrent_second_run_claims_nothing(reminded):
    at = datetime(2026, 6, 1, 19, 0, 30, tzinfo=UTC)
    with time_machine.travel(at - timedelta(minutes=10), tick=False):
        reminders_schedule()
    with time_machine.travel(at, tick=False):
        assert len(reminders_claim_due()) == 1
        assert reminders_claim_due() == []


def test_a_reminder_long_overdue_after_an_outage_is_skipped_but_rescheduled(reminded):
    User.objects.filter(pk=reminded.pk).update(
        next_reminder_at=datetime(2026, 6, 1, 19, 0, tzinfo=UTC)
    )
    with time_machine.travel(datetime(2026, 6, 3, 9, 0, tzinfo=UTC), tick=False):
        assert reminders_claim_due() == []
    reminded.refresh_from_db()
    assert reminded.next_reminder_at == datetime(2026, 6, 3, 19, 0, tzinfo=UTC)


def test_changing_settings_reschedules_the_reminder(reminded, queued):
    from diary.services.accounts import user_update

    run_reminders(datetime(2026, 6, 1, 12, 0, tzinfo=UTC), queued)
    user_update(user=reminded, reminder_time=time(8, 0))
    run_reminders(datetime(2026, 6, 1, 12, 5, tzinfo=UTC), queued)
    reminded.refresh_from_db()
    assert reminded.next_reminder_at == datetime(2026, 6, 2, 7, 0, tzinfo=UTC)


def test_no_reminder_when_the_patient_already_logged_that_day(reminded):
    day = date(2026, 6, 1)
    EntryFactory(user=reminded, occurred_at=datetime(2026, 6, 1, 8, 0, tzinfo=UTC))
    assert reminder_send(user_id=reminded.pk, day=day) is False
    assert mail.outbox == []


def test_the_reminder_links_to_the_log_page(reminded, settings):
    settings.SITE_URL = "https://diary.example.org"
    assert reminder_send(user_id=reminded.pk, day=date(2026, 6, 1)) is True
    (message,) = mail.outbox
    assert message.to == ["remind@example.com"]
    assert "https://diary.example.org/" in message.body
    assert "turn it off" in message.body
    assert message.alternatives[0][1] == "text/html"


def test_patients_without_a_reminder_time_get_none(db, queued):
    UserFactory(reminder_time=None)
    run_reminders(datetime(2026, 6, 1, 19, 0, tzinfo=UTC), queued)
    run_reminders(datetime(2026, 6, 2, 19, 0, tzinfo=UTC), queued)
    assert queued == []
