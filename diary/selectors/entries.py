"""Reading a patient's own entries."""

from __future__ import annotations

import uuid
from datetime import date

from django.core.exceptions import ValidationError
from django.db.models import QuerySet

from diary.models import Entry, User


def entry_list(
    *, user: User, date_from: date | None = None, date_to: date | None = None
) -> QuerySet[Entry]:
    """The patient's entries, newest first, optionally within local dates [from, to]."""
    entries = Entry.objects.filter(user=user).prefetch_related("locations")
    if date_from is not None:
        entries = entries.filter(local_date__gte=date_from)
    if date_to is not None:
        entries = entries.filter(local_date__lte=date_to)
    return entries.order_by("-occurred_at", "-created_at")


def entry_get(*, user: User, entry_id: uuid.UUID | str) -> Entry | None:
    """One of the patient's entries, or None (also for another patient's id)."""
    try:
        return entry_list(user=user).get(pk=entry_id)
    except (Entry.DoesNotExist, ValueError, ValidationError):
        return None


def entry_latest(*, user: User) -> Entry | None:
    """The patient's most recent entry, for "same as last time"."""
    return entry_list(user=user).first()
