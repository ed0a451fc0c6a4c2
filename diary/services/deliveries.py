"""Alert e-mail deliveries: claiming one for a send attempt, recording the outcome, retries.

A delivery row exists per (flag activation, recipient); these functions make each one go out
once, waiting out SMTP or broker outages with back-off.
"""

from __future__ import annotations

import logging
from datetime import datetime, timedelta

from django.conf import settings
from django.db.models import F
from django.utils import timezone

from diary.models import AlertDelivery

logger = logging.getLogger(__name__)

# Alert e-mail retries: 30 s, 1 min, 2 min … capped at 1 h; about 5 h in all before giving up.
RETRY_BASE_SECONDS = 30
RETRY_CAP_SECONDS = 3600
# A claimed delivery is not due again for this long, so a duplicate task cannot send it while
# the first is talking to the SMTP server; if that worker dies, the sweep retries after it.
# Several times EMAIL_TIMEOUT (10 s), and short, because a lost worker delays an urgent alert
# by the lease plus the sweep period.
CLAIM_LEASE_SECONDS = 60


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
