"""diary's own signal receivers, connected in DiaryConfig.ready()."""

from __future__ import annotations

import logging

from django.dispatch import receiver

from diary.selectors.flags import ALERTING_RED_FLAGS
from diary.signals import entry_saved

logger = logging.getLogger(__name__)


@receiver(entry_saved, dispatch_uid="diary.enqueue_red_flag_check")
def enqueue_red_flag_check(
    sender: object, entry_id: object, red_flags: tuple[str, ...] = (), **kwargs: object
) -> None:
    """An entry with a red flag queues the instant check (sent after commit)."""
    # The signal carries the codes, so an ordinary save costs no extra query here.
    if not ALERTING_RED_FLAGS.intersection(red_flags):
        return
    from diary.tasks import raise_red_flags  # the task module imports services; keep ready() light

    try:
        raise_red_flags.delay(str(entry_id))
    except Exception:
        # A broker outage must not fail a save that already happened; the incremental
        # scan (every 15 minutes) raises the flag instead.
        logger.exception("Could not queue the red-flag check for entry %s", entry_id)
