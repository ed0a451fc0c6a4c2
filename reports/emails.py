"""E-mails: red-flag alerts and the opt-in daily reminder.

One small function per message over `make_message`; templates live in
templates/emails/<name>-subject.txt, -body.txt and -body.html. Alerts carry the flag title,
the urgent-care advice and a link to the app — never diary details or notes.
"""

from __future__ import annotations

import logging
import smtplib
import zoneinfo
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.template.loader import render_to_string
from django.utils import timezone

from config.context_processors import emergency_phone_href
from diary.models import Contact, Entry, Flag, User
from diary.rules import NOT_A_DIAGNOSIS
from diary.selectors.flags import flag_advice
from reports.contact_links import contact_stop_url, list_unsubscribe_headers

logger = logging.getLogger(__name__)

# What counts as the mail server being unreachable or refusing: retried with back-off.
SEND_ERRORS = (smtplib.SMTPException, OSError)


def make_message(name: str, to: list[str], ctx: dict) -> EmailMultiAlternatives:
    """A text + HTML message from the three templates of `name`."""
    ctx = {
        "site_url": settings.SITE_URL,
        "not_a_diagnosis": NOT_A_DIAGNOSIS,
        "emergency_phone": settings.EMERGENCY_PHONE,
        "emergency_phone_href": emergency_phone_href(settings.EMERGENCY_PHONE),
        **ctx,
    }
    # A subject is one line whatever the template's line breaks.
    subject = " ".join(render_to_string(f"emails/{name}-subject.txt", ctx).split())
    text = render_to_string(f"emails/{name}-body.txt", ctx)
    html = render_to_string(f"emails/{name}-body.html", ctx)
    message = EmailMultiAlternatives(subject, text, settings.DEFAULT_FROM_EMAIL, to)
    message.attach_alternative(html, "text/html")
    return message


def alert_message(
    *, flag: Flag, to: str, contact: Contact | None = None, report_url: str = ""
) -> EmailMultiAlternatives:
    """The alert for a new emergency or urgent flag, to the patient or one of their contacts.

    `contact` is the contact behind `to` (None for the patient): their alert carries their
    stop link, in the text and as RFC 8058 `List-Unsubscribe`. `report_url` is set for a
    clinician who follows the patient: the link goes to that patient's workspace report.
    """
    patient: User = flag.user
    to_patient = to.lower() in {patient.email.lower(), patient.alert_address.lower()}
    message = make_message(
        "alert",
        [to],
        {
            "title": flag.title,
            "severity": flag.severity,
            "emergency": flag.severity == Flag.Severity.EMERGENCY,
            "advice": flag_advice(flag.severity),
            "flags_url": f"{settings.SITE_URL}/flags/",
            # A clinician needs to know whose alert it is; the patient does not.
            "to_patient": to_patient,
            "patient_email": patient.email,
            "report_url": "" if to_patient else report_url,
            "stop_url": contact_stop_url(contact) if contact and not to_patient else "",
        },
    )
    if contact is not None and not to_patient:
        message.extra_headers.update(list_unsubscribe_headers(contact))
    return message


def reminder_message(*, user: User) -> EmailMultiAlternatives:
    """The daily nudge to log symptoms, sent only on days with no entry."""
    return make_message(
        "reminder",
        [user.email],
        {"log_url": f"{settings.SITE_URL}/", "account_url": f"{settings.SITE_URL}/account/"},
    )


# --- daily reminders -----------------------------------------------------------------------
# Each patient's next reminder is stored in UTC (computed in their zone); a beat task every
# few minutes claims the due rows with a conditional UPDATE, so there is no cron per patient.

REMINDER_GRACE = timedelta(minutes=5)  # a time set just now, within one beat period, still counts
REMINDER_STALE = timedelta(hours=6)  # after a long outage, do not remind about a day long gone


@dataclass(frozen=True)
class DueReminder:
    user_id: int
    day: date  # the patient's local day the reminder is about


def reminder_next_at(*, zone: str, reminder_time: time, after: datetime) -> datetime:
    """The first instant strictly after `after` when the local clock in `zone` shows the time.

    A time the clocks skip (spring forward) falls an hour later that day; a time they repeat
    (fall back) is its first occurrence — zoneinfo's fold=0 rules.
    """
    tz = zoneinfo.ZoneInfo(zone)
    day = after.astimezone(tz).date()
    for offset in range(3):
        local = datetime.combine(day + timedelta(days=offset), reminder_time, tzinfo=tz)
        candidate = local.astimezone(UTC)
        if candidate > after:
            return candidate
    raise AssertionError("unreachable: a wall-clock time occurs at least once in three days")


def reminders_schedule(*, now: datetime | None = None) -> int:
    """Give every patient who opted in but has no next reminder (new or changed) one."""
    now = now or timezone.now()
    pending = User.objects.filter(
        is_active=True, reminder_time__isnull=False, next_reminder_at__isnull=True
    ).values_list("pk", "timezone", "reminder_time")
    count = 0
    for pk, zone, at in pending:
        next_at = reminder_next_at(zone=zone, reminder_time=at, after=now - REMINDER_GRACE)
        # Conditional: a settings change meanwhile cleared it again and wins.
        count += User.objects.filter(pk=pk, next_reminder_at__isnull=True, reminder_time=at).update(
            next_reminder_at=next_at
        )
    return count


def reminders_claim_due(*, now: datetime | None = None) -> list[DueReminder]:
    """Move every due reminder to its next time; the ones this call claimed, still worth sending."""
    now = now or timezone.now()
    due = User.objects.filter(
        is_active=True, reminder_time__isnull=False, next_reminder_at__lte=now
    ).values_list("pk", "timezone", "reminder_time", "next_reminder_at")
    claimed: list[DueReminder] = []
    for pk, zone, at, due_at in due:
        next_at = reminder_next_at(zone=zone, reminder_time=at, after=now)
        # Only one of two concurrent runs sees the old value and moves it: that one sends.
        if not User.objects.filter(pk=pk, next_reminder_at=due_at).update(next_reminder_at=next_at):
            continue
        if now - due_at > REMINDER_STALE:
            continue
        claimed.append(DueReminder(pk, due_at.astimezone(zoneinfo.ZoneInfo(zone)).date()))
    return claimed


def reminder_send(*, user_id: int, day: date) -> bool:
    """E-mail the reminder unless the patient already logged something that local day."""
    user = User.objects.filter(pk=user_id, is_active=True, reminder_time__isnull=False).first()
    if user is None or Entry.objects.filter(user=user, local_date=day).exists():
        return False
    reminder_message(user=user).send()
    return True
