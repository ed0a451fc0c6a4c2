"""The flags page and its Acknowledge button."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from diary.models import Flag
from diary.selectors.flags import flag_get, flag_sections
from diary.services.flags import flag_acknowledge as acknowledge

SECTION_HELP = {
    "active": "Patterns in your diary now. Acknowledge one once you have read it and acted on it.",
    "acknowledged": "You have seen these. They stay here while the pattern lasts.",
    "resolved": "Patterns that no longer show in your diary.",
}


@login_required
def flag_list(request: HttpRequest) -> HttpResponse:
    sections = flag_sections(user=request.user)
    groups = [
        ("active", "Active", SECTION_HELP["active"], sections.active),
        ("acknowledged", "Acknowledged", SECTION_HELP["acknowledged"], sections.acknowledged),
        ("resolved", "Resolved", SECTION_HELP["resolved"], sections.resolved),
    ]
    return render(request, "diary/flag_list.html", {"nav": "flags", "groups": groups})


@login_required
@require_POST
def flag_acknowledge(request: HttpRequest, pk: int) -> HttpResponse:
    if flag_get(user=request.user, flag_id=pk) is None:
        raise Http404
    flag = acknowledge(user=request.user, flag_id=pk)
    if flag is not None and flag.status == Flag.Status.ACKNOWLEDGED:
        messages.success(request, f"Acknowledged: {flag.title}.")
    return redirect("diary:flag-list")
