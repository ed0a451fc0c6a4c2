"""Web pages for treatment events (add, list, edit, delete) and the weekly check-in."""

from __future__ import annotations

from datetime import date

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_http_methods, require_POST

from diary.forms.outcomes import CheckInForm, TreatmentForm
from diary.models import TreatmentEvent, User
from diary.selectors import outcomes as selectors
from diary.services import outcomes as services

# Remembers "not now" on this phone until the week is over.
CHECKIN_DISMISS_COOKIE = "checkin_dismissed"
CHECKIN_DISMISS_SECONDS = 8 * 24 * 3600


def this_monday(user: User) -> date:
    """The Monday of the patient's current week, in their zone."""
    return selectors.week_monday(timezone.now().astimezone(user.zone).date())


def _own_treatment_or_404(user: User, pk: int) -> TreatmentEvent:
    # Another patient's id looks exactly like a missing one.
    event = selectors.treatment_get(user=user, pk=pk)
    if event is None:
        raise Http404("No such treatment.")
    return event


@login_required
def treatment_list(request: HttpRequest) -> HttpResponse:
    """The patient's treatment events, latest first, with a way to add one."""
    return render(
        request,
        "diary/treatment_list.html",
        {"nav": "log", "treatments": selectors.treatment_list(user=request.user)},
    )


@login_required
@require_http_methods(["GET", "POST"])
def treatment_add(request: HttpRequest) -> HttpResponse:
    """Something changed: a new medicine, a session, an injection…"""
    form = TreatmentForm(user=request.user, data=request.POST or None)
    if request.method == "POST" and form.is_valid():
        event = services.treatment_create(user=request.user, **form.cleaned_data)
        messages.success(request, f"Saved: {event.name}. Your reports mark it from now on.")
        return redirect("diary:treatment-list")
    return render(
        request,
        "diary/treatment_form.html",
        {"nav": "log", "form": form, "treatment": None},
        status=400 if request.method == "POST" else 200,
    )


@login_required
@require_http_methods(["GET", "POST"])
def treatment_edit(request: HttpRequest, pk: int) -> HttpResponse:
    """Change a treatment event."""
    event = _own_treatment_or_404(request.user, pk)
    form = TreatmentForm(user=request.user, instance=event, data=request.POST or None)
    if request.method == "POST" and form.is_valid():
        services.treatment_update(treatment=event, **form.cleaned_data)
        messages.success(request, "Changes saved.")
        return redirect("diary:treatment-list")
    return render(
        request,
        "diary/treatment_form.html",
        {"nav": "log", "form": form, "treatment": event},
        status=400 if request.method == "POST" else 200,
    )


@login_required
@require_http_methods(["GET", "POST"])
def treatment_delete(request: HttpRequest, pk: int) -> HttpResponse:
    """GET asks for confirmation; POST deletes the treatment event."""
    event = _own_treatment_or_404(request.user, pk)
    if request.method == "POST":
        services.treatment_delete(treatment=event)
        messages.success(request, "Treatment deleted.")
        return redirect("diary:treatment-list")
    return render(
        request, "diary/treatment_confirm_delete.html", {"nav": "log", "treatment": event}
    )


@login_required
@require_http_methods(["GET", "POST"])
def checkin(request: HttpRequest) -> HttpResponse:
    """This week's check-in; answering again replaces this week's answers."""
    week_of = this_monday(request.user)
    existing = selectors.checkin_for_week(user=request.user, week_of=week_of)
    form = CheckInForm(instance=existing, data=request.POST or None)
    if request.method == "POST" and form.is_valid():
        services.checkin_save(user=request.user, week_of=week_of, **form.answers())
        messages.success(request, "Thank you: this week's check-in is saved.")
        return redirect("diary:log")
    return render(
        request,
        "diary/checkin.html",
        {"nav": "log", "form": form, "week_of": week_of, "existing": existing},
        status=400 if request.method == "POST" else 200,
    )


@login_required
@require_POST
def checkin_dismiss(request: HttpRequest) -> HttpResponse:
    """ "Not now": hide this week's check-in card on this phone; it comes back next week."""
    response = redirect("diary:log")
    response.set_cookie(
        CHECKIN_DISMISS_COOKIE,
        this_monday(request.user).isoformat(),
        max_age=CHECKIN_DISMISS_SECONDS,
        secure=settings.SESSION_COOKIE_SECURE,
        httponly=True,
        samesite="Lax",
    )
    return response
