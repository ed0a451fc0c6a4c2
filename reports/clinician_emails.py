"""The invitation e-mail that asks a contact to follow the patient (CONTRACT §7)."""

from __future__ import annotations

from django.conf import settings
from django.core.mail import EmailMultiAlternatives

from diary.models import Contact, Invitation
from diary.rules.base import format_day
from diary.services.clinicians import invitation_create
from reports.emails import SEND_ERRORS, make_message


class InvitationNotSent(Exception):
    """The invitation e-mail could not be sent; the invitation was taken back."""


def invitation_url(token: str) -> str:
    """The one-time accept link; the token is only ever in this URL and the e-mail."""
    return f"{settings.SITE_URL}/clinician/accept/{token}/"


def workspace_report_url(patient_id: int) -> str:
    """Where a following clinician reads this patient's report (for their alert e-mails)."""
    return f"{settings.SITE_URL}/clinician/patients/{patient_id}/"


def invitation_message(*, invitation: Invitation, token: str) -> EmailMultiAlternatives:
    """The e-mail to the contact with the one-time link."""
    contact = invitation.contact
    patient = contact.user
    return make_message(
        "clinician-invite",
        [contact.email],
        {
            "contact_name": contact.name,
            "patient_name": patient.shown_name,
            "accept_url": invitation_url(token),
            "expires_on": format_day(invitation.expires_at.astimezone(patient.zone).date()),
        },
    )


def invitation_send(*, contact: Contact, ip: str | None = None, user_agent: str = "") -> Invitation:
    """Invite the contact to follow the patient and e-mail the link; raises InvitationNotSent."""
    created = invitation_create(contact=contact, ip=ip, user_agent=user_agent)
    try:
        invitation_message(invitation=created.invitation, token=created.token).send()
    except SEND_ERRORS as exc:
        # An invitation nobody received is no invitation: take it back and say so.
        created.invitation.delete()
        raise InvitationNotSent from exc
    return created.invitation
