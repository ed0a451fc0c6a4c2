"""reports' one signal receiver, connected in ReportsConfig.ready()."""

from __future__ import annotations

from django.dispatch import receiver

from diary.signals import flag_activated


@receiver(flag_activated, dispatch_uid="reports.enqueue_alert_deliveries")
def enqueue_alert_deliveries(sender: object, flag_id: int, **kwargs: object) -> None:
    """A new emergency or urgent flag (committed): its e-mails go out through reports.alerts."""
    from reports.alerts import (
        deliveries_queue,  # alerts imports the tasks' e-mails; keep ready() light
    )

    deliveries_queue(flag_id=flag_id)
