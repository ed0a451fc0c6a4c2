"""Celery tasks of the pattern engine: the scheduled scans and the instant alert path.

Every task takes ids, calls one service, and is safe to run twice or at the same time as
another: the services lock the patients' rows and the database allows one active flag per
(patient, code).
"""

from __future__ import annotations

import logging
from datetime import date

from celery import shared_task
from django.db import DatabaseError

from diary.services.flags import red_flags_raise
from diary.services.scan import scan_chunk, scan_chunks

logger = logging.getLogger(__name__)

# A locked SQLite database or a dropped PostgreSQL connection is worth another try soon.
RETRY_ON = (DatabaseError,)


def _backoff(retries: int) -> int:
    return min(5 * 2**retries, 300)


def _fan_out(*, changed_only: bool, as_of: str | None) -> int:
    count = 0
    for chunk in scan_chunks(changed_only=changed_only):
        scan_patients_chunk.delay(chunk, as_of)
        count += 1
    return count


@shared_task(name="diary.scan_changed_patients", acks_late=True, ignore_result=True)
def scan_changed_patients() -> int:
    """Every 15 minutes: one chunk task per group of patients whose diary changed."""
    return _fan_out(changed_only=True, as_of=None)


@shared_task(name="diary.scan_all_patients", acks_late=True, ignore_result=True)
def scan_all_patients(as_of: str | None = None) -> int:
    """Daily: one chunk task per group of patients, so time-based windows move on for all."""
    return _fan_out(changed_only=False, as_of=as_of)


@shared_task(
    bind=True, name="diary.scan_patients_chunk", acks_late=True, ignore_result=True, max_retries=5
)
def scan_patients_chunk(self, user_ids: list[int], as_of: str | None = None) -> int:
    """Refresh the flags of one chunk of patients; returns how many flags changed state."""
    try:
        result = scan_chunk(
            user_ids=[int(pk) for pk in user_ids],
            as_of=date.fromisoformat(as_of) if as_of else None,
        )
    except RETRY_ON as exc:
        raise self.retry(exc=exc, countdown=_backoff(self.request.retries)) from exc
    return len(result.events)


@shared_task(
    bind=True, name="diary.raise_red_flags", acks_late=True, ignore_result=True, max_retries=8
)
def raise_red_flags(self, entry_id: str) -> int:
    """Within seconds of a save carrying a sign: raise its emergency/urgent flags and alerts."""
    try:
        result = red_flags_raise(entry_id=str(entry_id))
    except RETRY_ON as exc:
        # The incremental scan is the safety net should every retry fail.
        raise self.retry(exc=exc, countdown=_backoff(self.request.retries)) from exc
    for event in result.events:
        logger.info("Instant path: %s", event)
    return len(result.events)
