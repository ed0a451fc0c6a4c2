"""The pattern scan: which patients to look at, cut into chunks, each refreshed in bulk.

Celery beat fans the chunks out as separate tasks; the `scan_patterns` command and the
benchmark run them one after another in this process.
"""

from __future__ import annotations

import logging
from collections.abc import Iterator
from datetime import date

from django.db.models import F, Q, QuerySet

from diary.models import User
from diary.services.flags import RefreshResult, patterns_refresh_many

logger = logging.getLogger(__name__)

SCAN_CHUNK_SIZE = 200


def _patients(*, changed_only: bool) -> QuerySet[User]:
    users = User.objects.filter(is_active=True)
    if changed_only:
        # A patient who never logged has nothing to scan; the daily full run covers the rest.
        users = users.filter(entries_changed_at__isnull=False).filter(
            Q(scanned_at__isnull=True) | Q(entries_changed_at__gt=F("scanned_at"))
        )
    return users


def scan_chunks(*, changed_only: bool = False, size: int | None = None) -> Iterator[list[int]]:
    """Patient ids to scan, in id order, cut into lists of at most `size` (default 200)."""
    size = size or SCAN_CHUNK_SIZE
    # Read the ids up front: the scan writes scanned_at on these very rows as it goes.
    ids = list(_patients(changed_only=changed_only).order_by("pk").values_list("pk", flat=True))
    for start in range(0, len(ids), size):
        yield ids[start : start + size]


def scan_chunk(*, user_ids: list[int], as_of: date | None = None) -> RefreshResult:
    """Refresh one chunk of patients; what a Celery chunk task runs."""
    result = patterns_refresh_many(user_ids=user_ids, as_of=as_of)
    logger.info(
        "Scanned %d patients, %d entries: %d flags raised or resolved, %d failed",
        result.patients,
        result.entries,
        len(result.events),
        len(result.failed),
    )
    return result


def scan_patterns(
    *,
    user: User | None = None,
    changed_only: bool = False,
    as_of: date | None = None,
    chunk_size: int | None = None,
) -> RefreshResult:
    """Scan one patient, every patient, or those whose diary changed, here and now."""
    if user is not None:
        return patterns_refresh_many(user_ids=[user.pk], as_of=as_of)
    result = RefreshResult()
    for chunk in scan_chunks(changed_only=changed_only, size=chunk_size):
        result.merge(patterns_refresh_many(user_ids=chunk, as_of=as_of))
    return result
