"""Reads for reports and sharing, always scoped to one patient."""

from __future__ import annotations

import zoneinfo
from dataclasses import dataclass, field, replace
from datetime import date, datetime, timedelta

from django.db.models import Q, QuerySet

from diary.models import Entry, Flag, User
from diary.rules.base import EntrySnapshot, Location
from diary.selectors.outcomes import checkin_snapshots, treatment_snapshots
from diary.selectors.snapshots import snapshots_for_users
from diary.vocabulary import REGION_BY_CODE
from reports.fhir import EntryRecord, FhirExport, PatientRecord
from reports.models import ShareLink
from reports.outcomes import OutcomeReport, earliest_day_needed, outcome_report
from reports.series import ROLLING_DAYS, FlagMarker, ReportSeries, series_from_entries
from reports.summary import ClinicianSummary, FlagNote, summary_from_entries

REPORT_DAYS: tuple[int, ...] = (7, 30, 90, 365)
DEFAULT_REPORT_DAYS = 30


@dataclass(frozen=True, slots=True)
class ReportData:
    """Everything a report page or PDF shows for one patient and period."""

    series: ReportSeries
    summary: ClinicianSummary
    outcomes: OutcomeReport = field(default_factory=OutcomeReport)


def report_days_parse(value: str | None) -> int:
    """The period length a query string asks for, or the default for anything unexpected."""
    try:
        days = int(value or "")
    except ValueError:
        return DEFAULT_REPORT_DAYS
    return days if days in REPORT_DAYS else DEFAULT_REPORT_DAYS


def period_ending_today(*, user: User, days: int, now: datetime) -> tuple[date, date]:
    """The `days`-day period ending today in the patient's zone, inclusive."""
    today = now.astimezone(user.zone).date()
    return today - timedelta(days=days - 1), today


def snapshots_between(*, user: User, start: date, end: date) -> list[EntrySnapshot]:
    """The patient's entries on local days start..end as snapshots, oldest first (2 queries)."""
    loaded = snapshots_for_users(windows={user.pk: (start, end)})[user.pk]
    return sorted(loaded, key=lambda s: (s.occurred_at, s.id))


def flags_overlapping(*, user: User, start: date, end: date) -> list[Flag]:
    """Flags active now, or seen during the period (by the patient's calendar), newest first."""
    zone = user.zone
    period_start = datetime.combine(start, datetime.min.time(), tzinfo=zone)
    period_end = datetime.combine(end + timedelta(days=1), datetime.min.time(), tzinfo=zone)
    return list(
        Flag.objects.filter(user=user)
        .filter(
            Q(status=Flag.Status.ACTIVE)
            | Q(first_detected_at__lt=period_end, last_seen_at__gte=period_start)
        )
        .order_by("-last_seen_at", "-id")
    )


def _flag_notes(flags: list[Flag], zone: zoneinfo.ZoneInfo) -> list[FlagNote]:
    return [
        FlagNote(
            code=f.code,
            severity=f.severity,
            title=f.title,
            explanation=f.explanation,
            clinician_explanation=f.clinician_explanation,
            source=f.source,
            status=f.status,
            first_detected_on=f.first_detected_at.astimezone(zone).date(),
            last_seen_on=f.last_seen_at.astimezone(zone).date(),
        )
        for f in flags
    ]


def report_data(*, user: User, start: date, end: date) -> ReportData:
    """Series, summary numbers and treatment outcomes for days start..end (5 queries)."""
    treatments = treatment_snapshots(user=user, start=start, end=end)
    checkins = checkin_snapshots(user=user, start=start, end=end)
    # Six days before the period feed the first points of the 7-day rolling mean; the
    # fortnight before each treatment event feeds its before/after comparison.
    snapshots = snapshots_between(
        user=user,
        start=earliest_day_needed(treatments, start - timedelta(days=ROLLING_DAYS - 1)),
        end=end,
    )
    notes = _flag_notes(flags_overlapping(user=user, start=start, end=end), user.zone)
    markers = [
        FlagMarker(day=n.first_detected_on, code=n.code, title=n.title, severity=n.severity)
        for n in notes
    ]
    series = series_from_entries(
        snapshots, start, end, flags=markers, treatments=treatments, checkins=checkins
    )
    in_period = [s for s in snapshots if start <= s.local_date <= end]
    summary = summary_from_entries(in_period, start, end, flags=notes)
    # The red-flag log is read as wall-clock times: convert just those few to the patient's zone.
    zone = user.zone
    summary = replace(
        summary,
        red_flags=tuple(
            replace(r, occurred_at=r.occurred_at.astimezone(zone)) for r in summary.red_flags
        ),
    )
    outcomes = outcome_report(
        treatments=treatments, checkins=checkins, entries=snapshots, start=start, end=end
    )
    return ReportData(series=series, summary=summary, outcomes=outcomes)


def share_link_list(*, user: User) -> QuerySet[ShareLink]:
    """The patient's share links, newest first."""
    return ShareLink.objects.filter(user=user).order_by("-created_at", "-id")


def share_link_get(*, user: User, pk: int | str) -> ShareLink | None:
    """One of the patient's share links, or None (also for another patient's id)."""
    try:
        return share_link_list(user=user).get(pk=pk)
    except (ShareLink.DoesNotExist, ValueError, TypeError):
        return None


def entries_for_export(*, user: User) -> QuerySet[Entry]:
    """All of the patient's entries with their locations, oldest first (2 queries)."""
    return (
        Entry.objects.filter(user=user).order_by("occurred_at", "id").prefetch_related("locations")
    )


def _entry_record(entry: Entry) -> EntryRecord:
    # `.all()` reads the prefetch cache; spine first, most distal last, as the export lists them.
    locations = sorted(
        (Location(region=loc.region, side=loc.side) for loc in entry.locations.all()),
        key=lambda loc: (REGION_BY_CODE[loc.region].level, loc.region, loc.side),
    )
    return EntryRecord(
        id=str(entry.id),
        occurred_at=entry.occurred_at,
        timezone=entry.timezone,
        timing=entry.timing,
        intensity=entry.intensity,
        locations=tuple(locations),
        pain_types=tuple(entry.pain_types or ()),
        activity=entry.activity or "",
        red_flags=tuple(entry.red_flags or ()),
        context=tuple(entry.context or ()),
        notes=entry.notes,
    )


def fhir_export_data(
    *,
    user: User,
    start: date | None = None,
    end: date | None = None,
    include_notes: bool = True,
) -> FhirExport:
    """What the patient's FHIR export holds (all, or local days start..end), as plain snapshots.

    4 queries. A reader who may not see the patient's notes gets records without them.
    """
    entries = (
        entries_for_export(user=user)
        if start is None or end is None
        else entries_for_period(user=user, start=start, end=end)
    )
    records = (_entry_record(e) for e in entries)
    return FhirExport(
        patient=PatientRecord(public_id=user.public_id),
        entries=tuple(r if include_notes else replace(r, notes="") for r in records),
        treatments=tuple(treatment_snapshots(user=user, start=start, end=end)),
        checkins=tuple(checkin_snapshots(user=user, start=start, end=end)),
    )


def entries_for_period(*, user: User, start: date, end: date) -> QuerySet[Entry]:
    """The patient's entries on local days start..end with their locations, oldest first."""
    return (
        Entry.objects.filter(user=user, local_date__range=(start, end))
        .order_by("occurred_at", "id")
        .prefetch_related("locations")
    )
