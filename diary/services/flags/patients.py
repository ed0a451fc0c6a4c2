"""Reading the patients a refresh works on: their zone, today, snapshots and alert addresses."""

from __future__ import annotations

import functools
import zoneinfo
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date, datetime

from diary.models import Contact, User
from diary.rules import EntrySnapshot
from diary.selectors.snapshots import snapshot_window, snapshots_for_users


@dataclass(frozen=True)
class Patient:
    """A patient as a refresh reads them."""

    id: int
    email: str
    alert_address: str
    zone: str
    entries_changed_at: datetime | None


def patients_read(user_ids: Iterable[int], *, lock: bool) -> dict[int, Patient]:
    """The active patients among the ids, their rows locked in id order when `lock`."""
    users = User.objects.filter(pk__in=list(user_ids), is_active=True).order_by("pk")
    if lock:
        # Rows locked in id order, so two scans over overlapping chunks cannot deadlock.
        users = users.select_for_update()
    rows = users.values_list("id", "email", "alert_email", "timezone", "entries_changed_at")
    return {
        pk: Patient(pk, email, alert or email, zone or "UTC", changed)
        for pk, email, alert, zone, changed in rows
    }


@functools.cache
def zone_of(name: str) -> zoneinfo.ZoneInfo:
    """The zone of that name, or UTC for an unknown one."""
    try:
        return zoneinfo.ZoneInfo(name)
    except (zoneinfo.ZoneInfoNotFoundError, ValueError):
        # An unknown zone must not stop the scan; UTC is a fair guess.
        return zoneinfo.ZoneInfo("UTC")


def today_in(zone: str, now: datetime) -> date:
    """The local day `now` falls on in the zone."""
    return now.astimezone(zone_of(zone)).date()


def as_of_by_patient(
    patients: Mapping[int, Patient], as_of: date | None, now: datetime
) -> dict[int, date]:
    """The scan day of each patient: the given one, or their own today."""
    if as_of is not None:
        return dict.fromkeys(patients, as_of)
    return {pk: today_in(p.zone, now) for pk, p in patients.items()}


def snapshots_load(as_of_by_patient: Mapping[int, date]) -> dict[int, list[EntrySnapshot]]:
    """Each patient's snapshots for their scan day (two queries)."""
    return snapshots_for_users(
        windows={pk: snapshot_window(as_of=day) for pk, day in as_of_by_patient.items()}
    )


def alert_recipients(patients: Mapping[int, Patient], user_ids: set[int]) -> dict[int, list[str]]:
    """The patient's alert address and each alert-receiving contact, each address once."""
    found: dict[int, list[str]] = {pk: [patients[pk].alert_address] for pk in user_ids}
    contacts = Contact.objects.filter(user_id__in=user_ids, receive_alerts=True).order_by("pk")
    for user_id, email in contacts.values_list("user_id", "email"):
        found[user_id].append(email)
    deduped: dict[int, list[str]] = {}
    for pk, addresses in found.items():
        seen: dict[str, str] = {}
        for address in addresses:
            seen.setdefault(address.strip().lower(), address.strip())
        deduped[pk] = list(seen.values())
    return deduped
