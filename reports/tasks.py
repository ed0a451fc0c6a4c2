"""Celery tasks that send e-mail: red-flag alerts (with retries) and daily reminders."""

from __future__ import annotations

import logging
from datetime import date

from celery import shared_task

from reports.alerts import alert_delivery_send, deliveries_due
from reports.emails import SEND_ERRORS, reminder_send, reminders_claim_due, reminders_schedule

logger = logging.getLogger(__name__)


@shared_task(
    bind=True,
    name="reports.send_alert_delivery",
    acks_late=True,
    ignore_result=True,
    max_retries=None,  # the delivery row counts attempts and gives up, not Celery
)
def send_alert_delivery(self, delivery_id: int) -> None:
    """Send one alert e-mail; a duplicate or late copy of this task is a no-op."""
    retry_in = alert_delivery_send(delivery_id=int(delivery_id))
    if retry_in is not None and not self.request.is_eager:
        # One second late, so the delivery is due again when the retry runs.
        raise self.retry(countdown=retry_in + 1)


@shared_task(name="reports.sweep_alert_deliveries", acks_late=True, ignore_result=True)
def sweep_alert_deliveries() -> int:
    """Every minute: queue every delivery still due, so a broker or SMTP outage loses nothing."""
    due = deliveries_due()
    for delivery_id in due:
        send_alert_delivery.delay(delivery_id)
    return len(due)


@shared_task(name="reports.send_due_reminders", acks_late=True, ignore_result=True)
def send_due_reminders() -> int:
    """Every 5 minutes: schedule new reminders and queue the ones that fell due."""
    reminders_schedule()
    due = reminders_claim_due()
    for reminder in due:
        send_reminder.delay(reminder.user_id, reminder.day.isoformat())
    return len(due)


@shared_task(
    bind=True, name="reports.send_reminder", acks_late=True, ignore_result=True, max_retries=3
)
def send_reminder(self, user_id: int, day: str) -> bool:
    """E-mail one patient's reminder for a local day, unless they logged that day."""
    try:
        return reminder_send(user_id=int(user_id), day=date.fromisoformat(day))
    except SEND_ERRORS as exc:
        raise self.retry(exc=exc, countdown=60 * 2**self.request.retries) from exc
