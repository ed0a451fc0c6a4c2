"""reports' signal receivers, connected in ReportsConfig.ready()."""

from __future__ import annotations

import logging

from django.dispatch import receiver

from diary.models import AlertDelivery
from diary.signals import flag_activated

logger = logging.getLogger(__name__)


@receiver(flag_activated, dispatch_uid="reports.enqueue_alert_deliveries")
def enqueue_alert_deliveries(sender: object, flag_id: int, **kwargs: object) -> None:
    """A new emergency or urgent flag (committed): queue one send task per recipient."""
    from reports.tasks import send_alert_delivery

    pending = AlertDelivery.objects.filter(
        flag_id=flag_id, status=AlertDelivery.Status.PENDING
    ).values_list("pk", flat=True)
    for delivery_id in pending:
        try:
            send_alert_delivery.delay(delivery_id)
        except Exception:
            # Broker down: the row stays pending and the every-minute sweep sends it later.
            logger.exception("Could not queue alert delivery %s", delivery_id)
