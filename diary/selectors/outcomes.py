"""Reading treatment events and check-ins, as model rows (pages, API) or plain snapshots.

The snapshots (`diary.outcomes`) are what reports, exports and FHIR build on.
"""

from __future__ import annotations

from datetime import date, timedelta

from django.db.models import QuerySet

from diary.models import CheckIn, TreatmentEvent, User
from diary.outcomes import CheckInSnapshot, TreatmentSnapshot


def treatment_list(*, user: User) -> QuerySet[TreatmentEvent]:
    """The patient's treatment events, latest start first."""
    return TreatmentEvent.objects.filter(user=user).order_by("-started_on", "-id")


def treatment_get(*, user: User, pk: int | str) -> TreatmentEvent | None:
    """One of the patient's treatment events, or None (also for another patient's id)."""
    try:
        return treatment_list(user=user).get(pk=pk)
    except (TreatmentEvent.DoesNotExist, ValueError, TypeError):
        return None


def checkin_list(*, user: User) -> QuerySet[CheckIn]:
    """The patient's check-ins, latest week first."""
    return CheckIn.objects.filter(user=user).order_by("-week_of")


def checkin_for_week(*, user: User, week_of: date) -> CheckIn | None:
    """The patient's check-in for the week starting on Monday `week_of`, if answered."""
    return checkin_list(user=user).filter(week_of=week_of).first()


def week_monday(day: date) -> date:
    """The Monday of the week holding `day`."""
    return day - timedelta(days=day.weekday())


def treatment_snapshot(event: TreatmentEvent) -> TreatmentSnapshot:
    """A loaded treatment event as a snapshot."""
    return TreatmentSnapshot(
        id=event.pk,
        kind=event.kind,
        name=event.name,
        started_on=event.started_on,
        notes=event.notes,
        created_at=event.created_at,
        updated_at=event.updated_at,
    )


def checkin_snapshot(checkin: CheckIn) -> CheckInSnapshot:
    """A loaded check-in as a snapshot."""
    return CheckInSnapshot(
        id=checkin.pk,
        week_of=checkin.week_of,
        leg_pain=checkin.leg_pain,
        numbness_tingling=checkin.numbness_tingling,
        weakness=checkin.weakness,
        sitting_pain=checkin.sitting_pain,
        global_change=checkin.global_change,
        created_at=checkin.created_at,
        updated_at=checkin.updated_at,
    )


def treatment_snapshots(
    *, user: User, start: date | None = None, end: date | None = None
) -> list[TreatmentSnapshot]:
    """The patient's treatment events begun on days start..end (all when open), oldest first.

    One query.
    """
    events = TreatmentEvent.objects.filter(user=user)
    if start is not None:
        events = events.filter(started_on__gte=start)
    if end is not None:
        events = events.filter(started_on__lte=end)
    return [treatment_snapshot(e) for e in events.order_by("started_on", "id")]


def checkin_snapshots(
    *, user: User, start: date | None = None, end: date | None = None
) -> list[CheckInSnapshot]:
    """The patient's check-ins for weeks overlapping days start..end (all when open), oldest first.

    One query.
    """
    checkins = CheckIn.objects.filter(user=user)
    if start is not None:
        checkins = checkins.filter(week_of__gte=week_monday(start))
    if end is not None:
        checkins = checkins.filter(week_of__lte=end)
    return [checkin_snapshot(c) for c in checkins.order_by("week_of")]
