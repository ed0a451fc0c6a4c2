"""Reading a patient's flags, their alert deliveries, and the advice that goes with them."""

from __future__ import annotations

import uuid
from collections.abc import Iterable
from dataclasses import dataclass, replace
from datetime import date

from django.db.models import Prefetch, QuerySet

from diary.models import AlertDelivery, Entry, Flag, User
from diary.rules.red_flags import EMERGENCY_ADVICE, URGENT_ADVICE

SEVERITY_ORDER = {
    Flag.Severity.EMERGENCY: 0,
    Flag.Severity.URGENT: 1,
    Flag.Severity.WARNING: 2,
    Flag.Severity.INFO: 3,
}
RESOLVED_SHOWN = 20  # the flags page lists this many recently resolved flags


@dataclass(frozen=True)
class UrgentFlag:
    """What the page banner shows for an active emergency or urgent flag."""

    id: int
    title: str
    severity: str
    advice: str


@dataclass(frozen=True)
class FlagItem:
    """One flag as the page shows it: advice, the days of its entries, e-mails that failed."""

    flag: Flag
    advice: str
    days: list[date]
    problems: list[AlertDelivery]


@dataclass(frozen=True)
class FlagSections:
    """The flags page: open flags by status, and the recently resolved ones."""

    active: list[FlagItem]
    acknowledged: list[FlagItem]
    resolved: list[FlagItem]


def flag_advice(severity: str) -> str:
    """The urgent-care advice for a severity; empty for warning and info flags."""
    if severity == Flag.Severity.EMERGENCY:
        return EMERGENCY_ADVICE
    if severity == Flag.Severity.URGENT:
        return URGENT_ADVICE
    return ""


def flag_list(*, user: User, status: str | None = None) -> QuerySet[Flag]:
    """The patient's flags, most serious and most recent first, optionally of one status."""
    flags = Flag.objects.filter(user=user)
    if status:
        flags = flags.filter(status=status)
    return flags.order_by("-last_seen_at", "-id")


def flag_get(*, user: User, flag_id: int | str) -> Flag | None:
    """One of the patient's flags, or None (also for another patient's id)."""
    try:
        return Flag.objects.filter(user=user, pk=int(flag_id)).first()
    except (TypeError, ValueError):
        return None


def _by_severity(flags: Iterable[Flag]) -> list[Flag]:
    return sorted(
        flags, key=lambda f: (SEVERITY_ORDER.get(f.severity, 9), -f.last_seen_at.timestamp())
    )


def flag_sections(*, user: User) -> FlagSections:
    """Everything the flags page shows, in three queries."""
    deliveries = Prefetch("deliveries", queryset=AlertDelivery.objects.order_by("id"))
    open_flags = list(
        flag_list(user=user)
        .filter(status__in=[Flag.Status.ACTIVE, Flag.Status.ACKNOWLEDGED])
        .prefetch_related(deliveries)
    )
    resolved = list(
        flag_list(user=user, status=Flag.Status.RESOLVED).prefetch_related(deliveries)[
            :RESOLVED_SHOWN
        ]
    )
    ids: set[uuid.UUID] = set()
    for flag in [*open_flags, *resolved]:
        for entry_id in flag.evidence or ():
            try:
                ids.add(uuid.UUID(str(entry_id)))
            except ValueError:
                continue
    days = {
        str(pk): day
        for pk, day in Entry.objects.filter(user=user, pk__in=ids).values_list("pk", "local_date")
    }
    problem_statuses = {
        AlertDelivery.Status.FAILED,
        AlertDelivery.Status.GAVE_UP,
        AlertDelivery.Status.CAPPED,
    }

    def item(flag: Flag) -> FlagItem:
        return FlagItem(
            flag=flag,
            advice=flag_advice(flag.severity) if flag.status != Flag.Status.RESOLVED else "",
            days=sorted({days[str(i)] for i in flag.evidence or () if str(i) in days}),
            problems=[d for d in flag.deliveries.all() if d.status in problem_statuses],
        )

    active = [
        item(f) for f in _by_severity(f for f in open_flags if f.status == Flag.Status.ACTIVE)
    ]
    acknowledged = [
        item(f) for f in _by_severity(f for f in open_flags if f.status == Flag.Status.ACKNOWLEDGED)
    ]
    # The advice box once per page, on the most serious open flag (emergency before urgent).
    advised = [i for i in (*active, *acknowledged) if i.advice]
    advised.sort(key=lambda i: SEVERITY_ORDER.get(i.flag.severity, 9))
    keep = advised[0].flag.pk if advised else None
    active = [i if i.flag.pk == keep else replace(i, advice="") for i in active]
    acknowledged = [i if i.flag.pk == keep else replace(i, advice="") for i in acknowledged]
    return FlagSections(
        active=active, acknowledged=acknowledged, resolved=[item(f) for f in resolved]
    )


def flags_urgent(*, user: User) -> list[UrgentFlag]:
    """Active emergency and urgent flags, with their advice, for the banner on every page."""
    rows = (
        Flag.objects.filter(
            user=user,
            status=Flag.Status.ACTIVE,
            severity__in=[Flag.Severity.EMERGENCY, Flag.Severity.URGENT],
        )
        .order_by("severity", "-last_seen_at")
        .values_list("pk", "title", "severity")
    )
    # The advice once, for the most serious flag (rows come emergency first): one wording per
    # page, not one box per flag.
    return [
        UrgentFlag(pk, title, severity, flag_advice(severity) if index == 0 else "")
        for index, (pk, title, severity) in enumerate(rows)
    ]
