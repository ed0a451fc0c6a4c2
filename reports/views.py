"""Web pages: the patient's reports, sharing, and the clinician summary behind a share link."""

from __future__ import annotations

import uuid
from collections.abc import Callable
from datetime import date
from functools import wraps

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_http_methods

from core.text import format_day
from core.web import client_ip, user_agent
from diary.models import User
from reports import exports, fhir, pdf, selectors, services
from reports.figure_fallbacks import figure_fallback
from reports.figures import figure_json, figures_for_report
from reports.figures.outcomes import checkin_figure_context
from reports.models import ShareLink
from reports.selectors import ReportData
from reports.summary import ROOT_AREA_NOTE, figure_labels

View = Callable[..., HttpResponse]


class ShareCreateForm(forms.Form):
    label = forms.CharField(
        max_length=120,
        required=False,
        help_text="Shown at the top of the report, e.g. “For Dr Rahman, spine clinic”. "
        "Add your name if your clinician needs it.",
    )
    days = forms.IntegerField(
        label="Days of diary to include",
        min_value=1,
        max_value=services.SHARE_DAYS_MAX,
        required=False,
        initial=services.SHARE_DAYS_DEFAULT,
        help_text="The report covers this many days, ending today.",
    )
    expires_in_days = forms.IntegerField(
        label="Link works for (days)",
        min_value=1,
        max_value=services.EXPIRES_IN_DAYS_MAX,
        required=False,
        initial=services.EXPIRES_IN_DAYS_DEFAULT,
        help_text="After this the link stops working. You can also revoke it at any time.",
    )

    def clean_days(self) -> int:
        return self.cleaned_data.get("days") or services.SHARE_DAYS_DEFAULT

    def clean_expires_in_days(self) -> int:
        return self.cleaned_data.get("expires_in_days") or services.EXPIRES_IN_DAYS_DEFAULT


def _figures(data: ReportData) -> list[dict[str, object]]:
    """Template-ready figures: id, title, text alternative, box height, stand-in and JSON."""
    if data.summary.is_empty:
        return []
    labels = figure_labels(data.summary)
    figures = []
    for slug, title, fig in figures_for_report(data.series):
        # The box is as tall as the Plotly chart, so the stand-in and the chart share it.
        height = int(fig.layout.height)
        empty = fig.layout.annotations[0].text if fig.layout.xaxis.visible is False else ""
        label = labels.get(slug, title)
        figures.append(
            {
                "id": f"fig-{slug}",
                "title": title,
                "label": label,
                "height": height,
                "fallback": figure_fallback(
                    slug, data.series, dom_id=f"fig-{slug}", label=label, height=height, empty=empty
                ),
                "json": figure_json(fig),
            }
        )
    return figures


def _report_context(data: ReportData) -> dict[str, object]:
    figures = _figures(data)
    return {
        "series": data.series,
        "summary": data.summary,
        "figures": figures,
        "outcomes": data.outcomes,
        "checkin_figure": checkin_figure_context(data.series) if figures else None,
        "bodymaps": pdf.bodymap_heat(data.summary),
        "root_area_note": ROOT_AREA_NOTE,
    }


@login_required
def report(request: HttpRequest) -> HttpResponse:
    """The patient's own report over 7, 30, 90 or 365 days."""
    days = selectors.report_days_parse(request.GET.get("days"))
    start, end = selectors.period_ending_today(user=request.user, days=days, now=timezone.now())
    data = selectors.report_data(user=request.user, start=start, end=end)
    return render(
        request,
        "reports/report.html",
        {
            "nav": "reports",
            "days": days,
            "day_choices": selectors.REPORT_DAYS,
            **_report_context(data),
        },
    )


@login_required
def report_pdf(request: HttpRequest) -> HttpResponse:
    """The patient's own report period as the same one-page PDF a clinician gets."""
    days = selectors.report_days_parse(request.GET.get("days"))
    start, end = selectors.period_ending_today(user=request.user, days=days, now=timezone.now())
    data = selectors.report_data(user=request.user, start=start, end=end)
    return _pdf_response(request, data, label="")


@login_required
@require_http_methods(["GET", "POST"])
def share_list(request: HttpRequest) -> HttpResponse:
    """Create a share link (its address shown once) and list, count and revoke them."""
    created = None
    if request.method == "POST":
        form = ShareCreateForm(request.POST)
        if form.is_valid():
            created = services.share_link_create(
                user=request.user,
                ip=client_ip(request),
                user_agent=user_agent(request),
                **form.cleaned_data,
            )
            form = ShareCreateForm()
    else:
        form = ShareCreateForm()
    response = render(
        request,
        "reports/share_list.html",
        {
            "nav": "sharing",
            "form": form,
            "created": created,
            "links": selectors.share_link_list(user=request.user),
            "now": timezone.now(),
        },
        status=400 if request.method == "POST" and created is None else 200,
    )
    # The page may hold the one-time address: browsers and proxies must not keep a copy.
    response["Cache-Control"] = "no-store"
    return response


@login_required
@require_http_methods(["GET", "POST"])
def share_revoke(request: HttpRequest, pk: int) -> HttpResponse:
    """Confirm, then end a share link for good."""
    link = selectors.share_link_get(user=request.user, pk=pk)
    if link is None:
        raise Http404
    if request.method == "POST":
        services.share_link_revoke(link=link, ip=client_ip(request), user_agent=user_agent(request))
        messages.success(request, f"“{link}” no longer works.")
        return redirect("reports:share-list")
    return render(request, "reports/share_revoke.html", {"nav": "sharing", "link": link})


# --- the clinician's side: no login, one token -----------------------------------------


def share_headers(view: View) -> View:
    """Keep share pages out of search engines, caches and other sites' referrer logs."""

    @wraps(view)
    def wrapped(request: HttpRequest, *args: object, **kwargs: object) -> HttpResponse:
        response = view(request, *args, **kwargs)
        response["X-Robots-Tag"] = "noindex, nofollow"
        response["Referrer-Policy"] = "no-referrer"
        response["Cache-Control"] = "no-store"
        return response

    return wrapped


def _open_share(request: HttpRequest, token: str, detail: str) -> ShareLink | HttpResponse:
    """The live link for the token, or the 429/404 page to answer instead."""
    ip = client_ip(request)
    if not services.share_lookup_allowed(ip=ip) or not services.share_view_allowed(
        token=token, ip=ip
    ):
        response = render(request, "reports/share_limited.html", status=429)
        response["Retry-After"] = "60"
        return response
    link = services.share_link_open(
        token=token, ip=client_ip(request), user_agent=user_agent(request), detail=detail
    )
    if link is None:
        services.share_lookup_failed(ip=client_ip(request))
        # One page for unknown, revoked and expired alike: nothing hints which it was.
        return render(request, "reports/share_not_found.html", status=404)
    return link


def clinician_report_page(
    request: HttpRequest,
    data: ReportData,
    *,
    label: str,
    footer: str = "",
    notes: list | None = None,
    back: dict[str, str] | None = None,
    leave_url: str = "",
) -> HttpResponse:
    """The clinician report as a page: the one builder behind `/r/{token}/` and the workspace.

    Its downloads are relative links (pdf/, csv/, fhir/), served beside each page. `notes` is
    None unless the patient shares notes with this reader.
    """
    return render(
        request,
        "reports/share.html",
        {
            "label": label,
            "footer": footer,
            "notes": notes,
            "back": back,
            "leave_url": leave_url,
            # Printing uses these scalable SVGs in place of the screen-sized Plotly charts.
            "print_daily": pdf.svg_daily_intensity(data.series),
            "print_heat": pdf.svg_time_of_day(data.series, key=False),
            **_report_context(data),
        },
    )


@share_headers
@require_http_methods(["GET"])
def share_view(request: HttpRequest, token: str) -> HttpResponse:
    """The read-only clinician summary for one share link."""
    link = _open_share(request, token, detail="page")
    if isinstance(link, HttpResponse):
        return link
    data = selectors.report_data(user=link.user, start=link.period_start, end=link.period_end)
    return clinician_report_page(
        request,
        data,
        label=link.label,
        footer=f"This link stops working on {format_day(link.expires_at.date())}.",
    )


@share_headers
@require_http_methods(["GET"])
def share_pdf(request: HttpRequest, token: str) -> HttpResponse:
    """The clinician summary as a PDF (A4, or Letter with ?paper=letter)."""
    link = _open_share(request, token, detail="pdf")
    if isinstance(link, HttpResponse):
        return link
    paper = pdf.paper_size(request.GET.get("paper"))

    def render_pdf() -> bytes:
        data = selectors.report_data(user=link.user, start=link.period_start, end=link.period_end)
        return _pdf_content(data, label=link.label, paper=paper)

    # Rendered once per (link, data version): repeated views cost a cache read.
    content = services.share_pdf_cached(link=link, paper=paper, render=render_pdf)
    return _pdf_file(content, start=link.period_start, end=link.period_end)


def _pdf_content(data: ReportData, *, label: str, paper: str) -> bytes:
    return pdf.summary_pdf({**_report_context(data), "label": label, "figures": []}, paper=paper)


@share_headers
@require_http_methods(["GET"])
def share_csv(request: HttpRequest, token: str) -> HttpResponse:
    """The shared period's entries as CSV; a share link never carries the patient's notes."""
    link = _open_share(request, token, detail="csv")
    if isinstance(link, HttpResponse):
        return link
    return period_csv_response(
        user=link.user, start=link.period_start, end=link.period_end, include_notes=False
    )


@share_headers
@require_http_methods(["GET"])
def share_fhir(request: HttpRequest, token: str) -> HttpResponse:
    """The shared period's entries as a FHIR R4 Bundle, without the patient's notes."""
    link = _open_share(request, token, detail="fhir")
    if isinstance(link, HttpResponse):
        return link
    return period_fhir_response(
        user=link.user, start=link.period_start, end=link.period_end, include_notes=False
    )


def _download_name(kind: str, start: date, end: date, extension: str) -> str:
    return (
        f'attachment; filename="symptom-{kind}-{start.isoformat()}-{end.isoformat()}.{extension}"'
    )


def period_csv_response(*, user: User, start: date, end: date, include_notes: bool) -> HttpResponse:
    """The patient's entries of local days start..end as a CSV download."""
    entries = selectors.entries_for_period(user=user, start=start, end=end)
    body = exports.entries_csv(entries, user.zone, include_notes=include_notes)
    response = HttpResponse(body, content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = _download_name("diary", start, end, "csv")
    return response


def period_fhir_response(
    *, user: User, start: date, end: date, include_notes: bool
) -> HttpResponse:
    """The patient's records of local days start..end as a FHIR Bundle download."""
    export = selectors.fhir_export_data(
        user=user, start=start, end=end, include_notes=include_notes
    )
    bundle = fhir.bundle_build(
        export, bundle_type="collection", bundle_id=str(uuid.uuid4()), now=timezone.now()
    )
    response = JsonResponse(bundle, content_type="application/fhir+json")
    response["Content-Disposition"] = _download_name("diary", start, end, "fhir.json")
    return response


def _pdf_response(request: HttpRequest, data: ReportData, *, label: str) -> HttpResponse:
    content = _pdf_content(data, label=label, paper=pdf.paper_size(request.GET.get("paper")))
    return _pdf_file(content, start=data.series.period_start, end=data.series.period_end)


def _pdf_file(content: bytes, *, start: date, end: date) -> HttpResponse:
    response = HttpResponse(content, content_type="application/pdf")
    response["Content-Disposition"] = (
        f'attachment; filename="symptom-summary-{start.isoformat()}-{end.isoformat()}.pdf"'
    )
    return response
