"""Reads for clinicians: whom they follow, the workspace list, and the patient's shared notes.

A clinician reaches a patient only through a live `Follow`; every read here starts from one,
so any other patient's id finds nothing.
"""

from __future__ import annotations

import zoneinfo
from collections import defaultdict
from dataclasses import dataclass
from datetime import date, datetime, timedelta

from django.db.models import CharField, Count, OuterRef, QuerySet, Subquery, Sum
from django.db.models.functions import Cast

from diary.models import Contact, Entry, Flag, Follow, Invitation, User
from diary.selectors.flags import SEVERITY_ORDER

SPARKLINE_DAYS = 28
LOGGED_WINDOW_DAYS = 14
WEEK = 7
# Ranks for the workspace order: emergency, urgent, warning, then everyone else.
_QUIET = 3


@dataclass(frozen=True, slots=True)
class FlagBrief:
    """An active flag as the workspace lists it."""

    code: str
    severity: str
    title: str
    first_detected_at: datetime


@dataclass(frozen=True, slots=True)
class PatientRow:
    """One followed patient in the clinician's workspace."""

    id: int
    name: str
    last_entry_at: datetime | None
    days_logged_14: int
    mean_intensity_7: float | None
    change_7: float | None  # last 7 days' mean minus the 7 days before; positive = worse
    active_flags: tuple[FlagBrief, ...]
    daily_means: tuple[float | None, ...]  # the last SPARKLINE_DAYS local days, oldest first

    @property
    def urgency(self) -> int:
        """0 emergency, 1 urgent, 2 warning, 3 nothing pressing."""
        ranks = [SEVERITY_ORDER.get(f.severity, _QUIET) for f in self.active_flags]
        return min([r for r in ranks if r < _QUIET], default=_QUIET)

    @property
    def pressing_flags(self) -> tuple[FlagBrief, ...]:
        """Active emergency and urgent flags, for the top of the row."""
        return tuple(f for f in self.active_flags if SEVERITY_ORDER.get(f.severity, _QUIET) < 2)


def contact_get(*, user: User, pk: int | str) -> Contact | None:
    """One of the patient's contacts, or None (also for another patient's id)."""
    try:
        return Contact.objects.filter(user=user).get(pk=pk)
    except (Contact.DoesNotExist, ValueError, TypeError):
        return None


def follow_for_contact(*, contact: Contact) -> Follow | None:
    """The live follow that started from this contact's invitation, if any."""
    return (
        Follow.objects.select_related("patient", "clinician", "contact")
        .filter(contact=contact, ended_at__isnull=True)
        .first()
    )


@dataclass(frozen=True, slots=True)
class ContactFollowing:
    """One of the patient's contacts on their account page, with its follow and invitation."""

    contact: Contact
    follow: Follow | None  # the live follow that started from this contact, if any
    invited_until: datetime | None  # when the contact's unused invitation expires, if any


def contacts_following(*, user: User, now: datetime) -> list[ContactFollowing]:
    """The patient's contacts by name, each with its live follow and live invitation (3 queries)."""
    contacts = list(Contact.objects.filter(user=user))
    follows = {
        f.contact_id: f
        for f in Follow.objects.filter(patient=user, ended_at__isnull=True).select_related(
            "clinician"
        )
    }
    invited = dict(
        Invitation.objects.filter(
            contact__user=user, used_at__isnull=True, expires_at__gt=now
        ).values_list("contact_id", "expires_at")
    )
    return [ContactFollowing(c, follows.get(c.pk), invited.get(c.pk)) for c in contacts]


def follows_live(*, clinician: User) -> QuerySet[Follow]:
    """The clinician's live follows with their patients."""
    return Follow.objects.filter(clinician=clinician, ended_at__isnull=True).select_related(
        "patient", "contact"
    )


def follow_get(*, clinician: User, patient_id: int | str) -> Follow | None:
    """The clinician's live follow of this patient, or None for anyone they do not follow."""
    try:
        return follows_live(clinician=clinician).get(patient_id=patient_id)
    except (Follow.DoesNotExist, ValueError, TypeError):
        return None


def _severity_key(flag: FlagBrief) -> int:
    return SEVERITY_ORDER.get(flag.severity, 9)


def _mean(total: int, count: int) -> float | None:
    return total / count if count else None


def workspace_rows(*, clinician: User, now: datetime) -> list[PatientRow]:
    """The clinician's patients, most urgent first, then by latest entry (3 queries)."""
    latest = Entry.objects.filter(user=OuterRef("patient")).order_by("-occurred_at")
    live = Follow.objects.filter(clinician=clinician, ended_at__isnull=True)
    # Plain tuples, not model instances: with hundreds of patients the instances cost more
    # than the query.
    patients = list(
        live.annotate(last_entry_at=Subquery(latest.values("occurred_at")[:1])).values_list(
            "patient_id",
            "patient__email",
            "patient__display_name",
            "patient__timezone",
            "last_entry_at",
        )
    )
    if not patients:
        return []
    patient_ids = live.values("patient_id")
    # Days counted back from each patient's own today: 0 = today, 27 = four weeks ago. Days
    # come back as ISO text, looked up here rather than parsed row by row.
    today = {pk: now.astimezone(zoneinfo.ZoneInfo(zone)).date() for pk, _, _, zone, _ in patients}
    back_of = {
        end: {(end - timedelta(days=back)).isoformat(): back for back in range(SPARKLINE_DAYS)}
        for end in set(today.values())
    }
    since = min(today.values()) - timedelta(days=SPARKLINE_DAYS)

    counts: dict[int, list[int]] = {pk: [0] * SPARKLINE_DAYS for pk in today}
    totals: dict[int, list[int]] = {pk: [0] * SPARKLINE_DAYS for pk in today}
    rows = (
        Entry.objects.filter(user_id__in=patient_ids, local_date__gte=since)
        .order_by()
        .annotate(day=Cast("local_date", CharField()))
        .values_list("user_id", "day")
        .annotate(count=Count("*"), total=Sum("intensity"))
    )
    for user_id, day, count, total in rows:
        back = back_of[today[user_id]].get(str(day)[:10])
        if back is not None:
            counts[user_id][back] = count
            totals[user_id][back] = total

    flags: dict[int, list[FlagBrief]] = defaultdict(list)
    for flag in (
        Flag.objects.filter(user_id__in=patient_ids, status=Flag.Status.ACTIVE)
        .order_by("-first_detected_at", "-id")
        .values_list("user_id", "code", "severity", "title", "first_detected_at")
    ):
        flags[flag[0]].append(FlagBrief(*flag[1:]))

    result = []
    for patient_id, email, display_name, _, last_entry_at in patients:
        n, t = counts[patient_id], totals[patient_id]
        this_week = _mean(sum(t[:WEEK]), sum(n[:WEEK]))
        last_week = _mean(sum(t[WEEK : 2 * WEEK]), sum(n[WEEK : 2 * WEEK]))
        result.append(
            PatientRow(
                id=patient_id,
                name=display_name or email,
                last_entry_at=last_entry_at,
                days_logged_14=sum(1 for c in n[:LOGGED_WINDOW_DAYS] if c),
                mean_intensity_7=this_week,
                change_7=this_week - last_week
                if this_week is not None and last_week is not None
                else None,
                active_flags=tuple(sorted(flags.get(patient_id, ()), key=_severity_key)),
                # Oldest first, for drawing left to right.
                daily_means=tuple(
                    t[back] / n[back] if n[back] else None
                    for back in range(SPARKLINE_DAYS - 1, -1, -1)
                ),
            )
        )
    result.sort(
        key=lambda r: (
            r.urgency,
            -(r.last_entry_at.timestamp() if r.last_entry_at else float("-inf")),
            r.name.lower(),
        )
    )
    return result


def notes_shared(*, follow: Follow, start: date, end: date, limit: int = 50) -> list[Entry]:
    """The patient's notes in the period, newest first — only when shared with this clinician."""
    if not follow.share_notes:
        return []
    return list(
        Entry.objects.filter(user_id=follow.patient_id, local_date__range=(start, end))
        .exclude(notes="")
        .order_by("-occurred_at")
        .only("id", "occurred_at", "timezone", "notes")[:limit]
    )
