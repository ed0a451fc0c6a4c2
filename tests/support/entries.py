"""Diaries in the database for the service, view and e-mail tests: entries on given days."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta

from django.utils import timezone

from diary import vocabulary as vocab
from diary.models import Entry, EntryLocation
from diary.services.entries import entry_location_rows
from tests.factories import EntryFactory

TODAY = date(2026, 11, 20)
HOURS = {"morning": 9, "afternoon": 14, "evening": 19, "night": 23}


def log(user, day: date, *, timing: str = "afternoon", minute: int = 0, **fields):
    """An entry on the patient's local day at the usual hour of its timing."""
    occurred_at = datetime.combine(day, time(HOURS[timing], minute), tzinfo=user.zone)
    return EntryFactory(user=user, occurred_at=occurred_at, timing=timing, **fields)


def night_pattern(user, end: date = TODAY) -> list:
    """Three burning night entries at 8/10 and three daytime walking entries at 3/10."""
    entries = []
    for offset in range(3):
        day = end - timedelta(days=offset)
        entries.append(
            log(
                user,
                day,
                timing="night",
                intensity=8,
                pain_types=["burning"],
                activity="lying_down",
            )
        )
        entries.append(
            log(user, day, timing="morning", intensity=3, pain_types=["aching"], activity="walking")
        )
    return entries


def seed(
    user, *, days: int, per_day: int = 1, region: str = "foot_sole", side: str = "left", **fields
) -> None:
    """`per_day` entries on each of the last `days` local days (bulk, so large diaries are fast)."""
    zone = user.zone
    today = timezone.now().astimezone(zone).date()
    entries, locations = [], []
    hours = (8, 14, 20, 23)
    for offset in range(days):
        day = today - timedelta(days=offset)
        for n in range(per_day):
            moment = datetime.combine(day, time(hours[n % len(hours)], n), tzinfo=zone)
            entry = Entry(
                user=user,
                occurred_at=moment,
                local_date=day,
                timezone=user.timezone,
                timing=vocab.timing_for(moment),
                intensity=fields.get("intensity", (offset + n) % 11),
                pain_types=fields.get("pain_types", ["burning", "aching"]),
                activity=fields.get("activity", ["sitting", "walking"][n % 2]),
                red_flags=fields.get("red_flags", []),
                context=fields.get("context", []),
                notes=fields.get("notes", ""),
            )
            entries.append(entry)
            locations += entry_location_rows(entry=entry, locations=[(region, side)])
    Entry.objects.bulk_create(entries)
    EntryLocation.objects.bulk_create(locations)
