"""The alert path after a flag is raised, in one place: queueing, claiming, sending, retrying.

`diary` raises a flag and, in the same transaction, stores one AlertDelivery per recipient; once
that commits it sends `flag_activated`, and reports' receiver calls `deliveries_queue`. From then
on everything happens here: each delivery is claimed for one attempt (so a duplicate task is a
no-op), sent with the e-mail from `reports.emails`, and on failure retried with back-off until
ALERT_MAX_ATTEMPTS, then given up; the every-minute sweep re-queues whatever a broker outage left.
A per-recipient daily cap stops a flood of repeat alerts, never the first one about a pattern.
"""

from __future__ import annotations

import logging
from datetime import datetime, timedelta

from django.conf import settings
from django.db.models import F
from django.utils import timezone

from diary.models import AlertDelivery, Contact
from diary.selectors.accounts import contact_for_alert
from reports.clinician_emails import workspace_report_url
from reports.emails import SEND_ERRORS, alert_message

logger = logging.getLogger(__name__)

# Alert e-mail retries: 30 s, 1 min, 2 min … capped at 1 h; about 5 h in all before giving up.
RETRY_BASE_SECONDS = 30
RETRY_CAP_SECONDS = 3600
# A claimed delivery is not due again for this long, so a duplicate task cannot send it while
# the first is talking to the SMTP server; if that worker dies, the sweep retries after it.
# Several times EMAIL_TIMEOUT (10 s), and short, because a lost worker delays an urgent alert
# by the lease plus the sweep period.
CLAIM_LEASE_SECONDS = 60
# At most this many alert e-mails per recipient in 24 hours (issue 14); the first e-mail about a
# patient's pattern (code) in those 24 hours always goes, only repeats beyond the cap are held.
ALERT_DAILY_CAP = 10
CAP_WINDOW = timedelta(hours=24)


def _max_attempts() -> int:
    return int(getattr(settings, "ALERT_MAX_ATTEMPTS", 12))


def delivery_claim(*, delivery_id: int, now: datetime | None = None) -> AlertDelivery | None:
    """Take a due delivery for one send attempt; None when sent, given up, not due or taken."""
    now = now or timezone.now()
    claimed = AlertDelivery.objects.filter(
        pk=delivery_id,
        status__in=[AlertDelivery.Status.PENDING, AlertDelivery.Status.FAILED],
        next_attempt_at__lte=now,
    ).update(
        attempts=F("attempts") + 1, next_attempt_at=now + timedelta(seconds=CLAIM_LEASE_SECONDS)
    )
    if not claimed:
        return None
    return AlertDelivery.objects.select_related("flag", "flag__user").get(pk=delivery_id)


def delivery_mark_sent(*, delivery: AlertDelivery) -> None:
    """Record that the e-mail went out; no later attempt will send it again."""
    AlertDelivery.objects.filter(pk=delivery.pk).update(
        status=AlertDelivery.Status.SENT, sent_at=timezone.now(), last_error=""
    )


def delivery_retry_delay(*, attempts: int) -> int:
    """Seconds to wait after the given number of failed attempts (30 s doubling, capped)."""
    return min(RETRY_BASE_SECONDS * 2 ** max(attempts - 1, 0), RETRY_CAP_SECONDS)


def delivery_mark_failed(*, delivery: AlertDelivery, error: str) -> int | None:
    """Record a failed attempt; the seconds until the next one, or None once it gave up."""
    now = timezone.now()
    error = error[:500]
    if delivery.attempts >= _max_attempts():
        AlertDelivery.objects.filter(pk=delivery.pk).update(
            status=AlertDelivery.Status.GAVE_UP, last_error=error
        )
        logger.error("Gave up e-mailing alert %s to %s: %s", delivery.pk, delivery.recipient, error)
        return None
    delay = delivery_retry_delay(attempts=delivery.attempts)
    AlertDelivery.objects.filter(pk=delivery.pk).update(
        status=AlertDelivery.Status.FAILED,
        last_error=error,
        next_attempt_at=now + timedelta(seconds=delay),
    )
    return delay


def deliveries_due(*, now: datetime | None = None, limit: int = 1000) -> list[int]:
    """Ids of deliveries waiting to be sent or retried now (the sweep's work list)."""
    now = now or timezone.now()
    return list(
        AlertDelivery.objects.filter(
            status__in=[AlertDelivery.Status.PENDING, AlertDelivery.Status.FAILED],
            next_attempt_at__lte=now,
        )
        .order_by("next_attempt_at")
        .values_list("pk", flat=True)[:limit]
    )


def deliveries_queue(*, flag_id: int) -> int:
    """Queue one send task per pending delivery of a newly activated flag (after commit)."""
    from reports.tasks import send_alert_delivery  # tasks import this module

    pending = AlertDelivery.objects.filter(
        flag_id=flag_id, status=AlertDelivery.Status.PENDING
    ).values_list("pk", flat=True)
    queued = 0
    for delivery_id in pending:
        try:
            send_alert_delivery.delay(delivery_id)
            queued += 1
        except Exception:
            # Broker down: the row stays pending and the every-minute sweep sends it later.
            logger.exception("Could not queue alert delivery %s", delivery_id)
    return queued


def delivery_over_cap(*, delivery: AlertDelivery, now: datetime | None = None) -> bool:
    """Whether this e-mail is a repeat the recipient's daily cap holds back."""
    now = now or timezone.now()
    recent = AlertDelivery.objects.filter(
        recipient__iexact=delivery.recipient,
        status=AlertDelivery.Status.SENT,
        sent_at__gte=now - CAP_WINDOW,
    )
    if recent.count() < ALERT_DAILY_CAP:
        return False
    # The first e-mail about this patient's pattern in the window always goes.
    return recent.filter(
        flag__user_id=delivery.flag.user_id, flag__code=delivery.flag.code
    ).exists()


def delivery_mark_capped(*, delivery: AlertDelivery) -> None:
    """Record that the daily cap held this repeat back; the patient's flags page says so."""
    AlertDelivery.objects.filter(pk=delivery.pk).update(
        status=AlertDelivery.Status.CAPPED, last_error="daily alert limit reached"
    )
    logger.warning(
        "Alert e-mail %s to %s held back by the daily cap", delivery.pk, delivery.recipient
    )


def delivery_contact(*, delivery: AlertDelivery) -> Contact | None:
    """The contact a delivery goes to; None for the patient's own address (costs no query)."""
    patient = delivery.flag.user
    address = delivery.recipient.strip().lower()
    if address in {patient.email.lower(), patient.alert_address.lower()}:
        return None
    return contact_for_alert(patient_id=patient.pk, address=address)


def delivery_mark_stopped(*, delivery: AlertDelivery) -> None:
    """Record that the contact turned alerts off after this one was queued: it is not sent."""
    AlertDelivery.objects.filter(pk=delivery.pk).update(
        status=AlertDelivery.Status.GAVE_UP, last_error="the contact stopped receiving alerts"
    )


def alert_delivery_send(*, delivery_id: int) -> int | None:
    """Send one alert delivery if it is due; the seconds until a retry when the send failed."""
    delivery = delivery_claim(delivery_id=delivery_id)
    if delivery is None:
        return None  # sent, given up, not due yet, or another worker has it
    if delivery_over_cap(delivery=delivery):
        delivery_mark_capped(delivery=delivery)
        return None
    contact = delivery_contact(delivery=delivery)
    if contact is not None and not contact.receive_alerts:
        # Stopped (or switched off by the patient) between queueing and now: §4 "after
        # stopping they get no alerts".
        delivery_mark_stopped(delivery=delivery)
        return None
    # A clinician who follows the patient goes straight to the patient's workspace report.
    following = contact is not None and contact.is_following
    message = alert_message(
        flag=delivery.flag,
        to=delivery.recipient,
        contact=contact,
        report_url=workspace_report_url(delivery.flag.user_id) if following else "",
    )
    try:
        message.send()
    except SEND_ERRORS as exc:
        delay = delivery_mark_failed(delivery=delivery, error=f"{type(exc).__name__}: {exc}")
        logger.warning(
            "Alert e-mail %s to %s failed (attempt %d): %s",
            delivery.pk,
            delivery.recipient,
            delivery.attempts,
            exc,
        )
        return delay
    delivery_mark_sent(delivery=delivery)
    logger.info("Alert e-mail %s sent to %s", delivery.pk, delivery.recipient)
    return None
