"""The clinician workspace: the patient list, one patient's report and its downloads, leaving,
and the page behind an invitation link (CONTRACT §7).

Every page needs a clinician account (a patient account gets 403) and reaches a patient only
through a live follow (anyone else's id is a 404); every view of a patient goes to that
patient's security log.
"""

from __future__ import annotations

import zoneinfo
from collections.abc import Callable
from datetime import date, datetime
from functools import wraps

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe
from django.views.decorators.http import require_http_methods

from core.web import client_ip, user_agent
from diary.models import Follow
from diary.selectors import clinicians as clinician_selectors
from diary.selectors.clinicians import PatientRow
from diary.services import clinicians as clinician_services
from reports import selectors
from reports.clinician import CLINICIAN_DAYS_DEFAULT
from reports.selectors import ReportData
from reports.sparkline import svg_sparkline
from reports.views import (
    _pdf_response,
    clinician_report_page,
    period_csv_response,
    period_fhir_response,
)

View = Callable[..., HttpResponse]


def clinician_only(view: View) -> View:
    """Log-in first; then a patient account gets a 403 page, a clinician the view."""

    @login_required
    @wraps(view)
    def wrapped(request: HttpRequest, *args: object, **kwargs: object) -> HttpResponse:
        if not request.user.is_clinician:
            return render(request, "reports/clinician_forbidden.html", status=403)
        response = view(request, *args, **kwargs)
        response["Cache-Control"] = "no-store"
        return response

    return wrapped


def _follow(request: HttpRequest, pk: int, *, what: str) -> Follow:
    """The clinician's live follow of patient `pk`, its view logged; 404 for anyone else."""
    follow = clinician_selectors.follow_get(clinician=request.user, patient_id=pk)
    if follow is None:
        raise Http404
    clinician_services.follow_record_view(
        follow=follow, what=what, ip=client_ip(request), user_agent=user_agent(request)
    )
    return follow


def _dates(follow: Follow) -> tuple[date, date]:
    """The last 90 days: the page and its downloads (relative links) cover the same period."""
    return selectors.period_ending_today(
        user=follow.patient, days=CLINICIAN_DAYS_DEFAULT, now=timezone.now()
    )


def _period(follow: Follow) -> ReportData:
    start, end = _dates(follow)
    return selectors.report_data(user=follow.patient, start=start, end=end)


_MONTHS = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")


def _when(moment: datetime, zone: zoneinfo.ZoneInfo) -> tuple[str, str]:
    """(ISO for <time datetime>, "20 Nov, 14:05" in the reader's zone)."""
    local = moment.astimezone(zone)
    return local.isoformat(), f"{local.day} {_MONTHS[local.month - 1]}, {local:%H:%M}"


def _time(moment: datetime, zone: zoneinfo.ZoneInfo) -> str:
    iso, text = _when(moment, zone)
    return f'<time datetime="{iso}">{text}</time>'


def _card(row: PatientRow, zone: zoneinfo.ZoneInfo) -> SafeString:
    """One patient card of the list as HTML.

    Built here rather than in a template loop: with 200 patients, template tags per card cost
    more than the database work. Every text from the database goes through `escape`.
    """
    parts = [
        f'<li class="patient-card urgency-{row.urgency}">'
        f'<a class="patient-link" href="/clinician/patients/{row.id}/">'
        f'<span class="patient-name">{escape(row.name)}</span>'
    ]
    for flag in row.pressing_flags:
        parts.append(
            f'<span class="patient-flag"><span class="tag tag-{escape(flag.severity)}">'
            f"{escape(flag.severity.capitalize())}</span> {escape(flag.title)} "
            f'<span class="muted">raised {_time(flag.first_detected_at, zone)}</span></span>'
        )
    for flag in row.active_flags:
        if flag.severity == "warning":
            parts.append(
                '<span class="patient-flag"><span class="tag tag-warning">Warning</span> '
                f"{escape(flag.title)}</span>"
            )
    mean = "–" if row.mean_intensity_7 is None else f"{row.mean_intensity_7:.1f}"
    change = (
        "no week before to compare"
        if row.change_7 is None
        else f"{row.change_7:+.1f} vs the week before"
    )
    last = _time(row.last_entry_at, zone) if row.last_entry_at else "never"
    sparkline = svg_sparkline(
        row.daily_means, label=f"Daily average intensity, last 28 days, {row.name}"
    )
    parts.append(
        f'<span class="patient-facts"><span>Logged {row.days_logged_14} of 14 days</span>'
        f"<span>7-day mean {mean}</span><span>{change}</span></span>"
        f'<span class="patient-trend">{sparkline}<span class="muted">Last entry {last}'
        "</span></span></a></li>"
    )
    return mark_safe("".join(parts))  # noqa: S308 - every database text is escaped  # nosec B308 B703


@clinician_only
@require_http_methods(["GET"])
def workspace(request: HttpRequest) -> HttpResponse:
    """The clinician's patients on a phone: most urgent first, then by latest entry."""
    rows = clinician_selectors.workspace_rows(clinician=request.user, now=timezone.now())
    clinician_services.follow_record_views(
        clinician=request.user,
        what="patient list",
        ip=client_ip(request),
        user_agent=user_agent(request),
    )
    zone = request.user.zone
    # Ready-made strings: with hundreds of patients, template filters per card add up.
    items = [_card(row, zone) for row in rows]
    return render(request, "reports/clinician_list.html", {"items": items})


@clinician_only
@require_http_methods(["GET"])
def patient_report(request: HttpRequest, pk: int) -> HttpResponse:
    """One patient's report: the very page a share link shows, plus notes if shared."""
    follow = _follow(request, pk, what="report")
    data = _period(follow)
    notes = None
    if follow.share_notes:
        notes = clinician_selectors.notes_shared(
            follow=follow, start=data.series.period_start, end=data.series.period_end
        )
    return clinician_report_page(
        request,
        data,
        label=f"Symptom summary: {follow.patient.shown_name}",
        notes=notes,
        back={"url": "/clinician/", "text": "All patients"},
        footer="You see this patient because they invited you; they can end it at any time.",
        leave_url=f"/clinician/patients/{follow.patient_id}/leave/",
    )


@clinician_only
@require_http_methods(["GET"])
def patient_pdf(request: HttpRequest, pk: int) -> HttpResponse:
    follow = _follow(request, pk, what="report PDF")
    data = _period(follow)
    return _pdf_response(request, data, label=f"Symptom summary: {follow.patient.shown_name}")


@clinician_only
@require_http_methods(["GET"])
def patient_csv(request: HttpRequest, pk: int) -> HttpResponse:
    follow = _follow(request, pk, what="CSV download")
    start, end = _dates(follow)
    return period_csv_response(
        user=follow.patient, start=start, end=end, include_notes=follow.share_notes
    )


@clinician_only
@require_http_methods(["GET"])
def patient_fhir(request: HttpRequest, pk: int) -> HttpResponse:
    follow = _follow(request, pk, what="FHIR download")
    start, end = _dates(follow)
    return period_fhir_response(
        user=follow.patient, start=start, end=end, include_notes=follow.share_notes
    )


@clinician_only
@require_http_methods(["GET", "POST"])
def patient_leave(request: HttpRequest, pk: int) -> HttpResponse:
    """Confirm, then stop following the patient."""
    follow = clinician_selectors.follow_get(clinician=request.user, patient_id=pk)
    if follow is None:
        raise Http404
    if request.method == "POST":
        clinician_services.follow_leave(
            follow=follow, ip=client_ip(request), user_agent=user_agent(request)
        )
        messages.success(request, f"You no longer follow {follow.patient.shown_name}.")
        return redirect("reports:clinician-home")
    return render(request, "reports/clinician_leave.html", {"follow": follow})


@clinician_only
@require_http_methods(["GET", "POST"])
def accept(request: HttpRequest, token: str) -> HttpResponse:
    """The page behind the e-mailed link: a button, so link scanners never use the token."""
    if request.method == "POST":
        try:
            follow = clinician_services.invitation_accept(
                token=token,
                clinician=request.user,
                ip=client_ip(request),
                user_agent=user_agent(request),
            )
        except clinician_services.InvitationNotFound:
            return render(request, "reports/clinician_accept_gone.html", status=404)
        messages.success(request, f"You now follow {follow.patient.shown_name}.")
        return redirect("reports:clinician-home")
    response = render(request, "reports/clinician_accept.html")
    response["Referrer-Policy"] = "no-referrer"  # the token is in this page's address
    return response
