"""The patient's side of following, on the account page: invite a contact, share notes, stop.

Each action is a POST from the contacts list on the account page and comes back to it with a
message. Only the patient's own contacts are reachable: anyone else's id is a 404.
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseBadRequest
from django.shortcuts import redirect
from django.template.defaultfilters import date as date_filter
from django.views.decorators.http import require_POST

from core.web import client_ip, user_agent
from diary.forms.accounts import ShareNotesForm
from diary.models import Contact, Follow
from diary.selectors import clinicians as clinician_selectors
from diary.services import clinicians as clinician_services
from reports.clinician_emails import InvitationNotSent, invitation_send


def _contact(request: HttpRequest, pk: int) -> Contact:
    contact = clinician_selectors.contact_get(user=request.user, pk=pk)
    if contact is None:
        raise Http404
    return contact


def _follow(request: HttpRequest, pk: int) -> Follow:
    follow = clinician_selectors.follow_for_contact(contact=_contact(request, pk))
    if follow is None:
        raise Http404
    return follow


@login_required
@require_POST
def contact_invite(request: HttpRequest, pk: int) -> HttpResponse:
    contact = _contact(request, pk)
    try:
        invitation = invitation_send(
            contact=contact, ip=client_ip(request), user_agent=user_agent(request)
        )
    except InvitationNotSent:
        messages.error(
            request, "The invitation e-mail could not be sent. Nothing changed; try again later."
        )
        return redirect("diary:account")
    until = date_filter(invitation.expires_at.astimezone(request.user.zone), "j M")
    messages.success(
        request,
        f"Invitation sent to {contact.email}. The link is valid for "
        f"{clinician_services.INVITATION_DAYS} days (until {until}) and works once.",
    )
    return redirect("diary:account")


@login_required
@require_POST
def follow_share_notes(request: HttpRequest, pk: int) -> HttpResponse:
    follow = _follow(request, pk)
    form = ShareNotesForm(request.POST)
    if not form.is_valid():
        return HttpResponseBadRequest("share_notes must be on or off.")
    follow = clinician_services.follow_update(
        follow=follow, share_notes=form.cleaned_data["share_notes"]
    )
    name = follow.contact.name
    messages.success(
        request,
        f"{name} can now read your notes."
        if follow.share_notes
        else f"{name} can no longer read your notes.",
    )
    return redirect("diary:account")


@login_required
@require_POST
def follow_stop(request: HttpRequest, pk: int) -> HttpResponse:
    follow = clinician_services.follow_revoke(
        follow=_follow(request, pk), ip=client_ip(request), user_agent=user_agent(request)
    )
    messages.success(request, f"{follow.contact.name} no longer follows your diary.")
    return redirect("diary:account")
