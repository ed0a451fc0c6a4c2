"""Recording treatment events and weekly check-ins (CONTRACT §8)."""

from __future__ import annotations

from datetime import date

from django.db import IntegrityError, transaction
from django.utils import timezone

from core.sanitize import strip_bidi_controls
from diary.models import CheckIn, TreatmentEvent, User

TREATMENT_FIELDS = ("kind", "name", "started_on", "notes")
FREE_TEXT = ("name", "notes")


def treatment_create(
    *, user: User, kind: str, name: str, started_on: date, notes: str = ""
) -> TreatmentEvent:
    """Record something the patient tried or changed, on the day it began."""
    return TreatmentEvent.objects.create(
        user=user,
        kind=kind,
        name=strip_bidi_controls(name),
        started_on=started_on,
        notes=strip_bidi_controls(notes),
    )


def treatment_update(*, treatment: TreatmentEvent, **fields: object) -> TreatmentEvent:
    """Change the given fields of a treatment event."""
    unknown = set(fields) - set(TREATMENT_FIELDS)
    if unknown:
        raise TypeError(f"not treatment fields: {sorted(unknown)}")
    for name, value in fields.items():
        # What a clinician reads must not be reordered by invisible direction controls.
        setattr(treatment, name, strip_bidi_controls(value) if name in FREE_TEXT else value)
    treatment.save()
    return treatment


def treatment_delete(*, treatment: TreatmentEvent) -> None:
    """Remove a treatment event."""
    treatment.delete()


def checkin_save(
    *,
    user: User,
    week_of: date,
    leg_pain: int,
    numbness_tingling: int,
    weakness: int,
    sitting_pain: int,
    global_change: str,
) -> tuple[CheckIn, bool]:
    """Store the week's answers; a second answer for the same week replaces the first.

    Returns (check-in, created). Safe when two requests answer the same week at once: the
    unique (user, week_of) constraint lets one insert win and the other becomes an update.
    """
    if week_of.weekday() != 0:
        raise ValueError("week_of must be a Monday")
    answers = {
        "leg_pain": leg_pain,
        "numbness_tingling": numbness_tingling,
        "weakness": weakness,
        "sitting_pain": sitting_pain,
        "global_change": global_change,
    }
    with transaction.atomic():
        try:
            # A savepoint, so a lost insert race leaves the outer transaction usable.
            with transaction.atomic():
                return CheckIn.objects.create(user=user, week_of=week_of, **answers), True
        except IntegrityError:
            pass
        CheckIn.objects.filter(user=user, week_of=week_of).update(
            **answers, updated_at=timezone.now()
        )
        return CheckIn.objects.get(user=user, week_of=week_of), False
