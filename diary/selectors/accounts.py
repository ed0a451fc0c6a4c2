"""Reads for accounts: the patient's contacts and security log, log-in look-ups."""

from __future__ import annotations

from django.db.models import Exists, OuterRef, QuerySet
from django.shortcuts import get_object_or_404

from diary.models import Contact, Follow, SecurityEvent, User


def contact_list(*, user: User) -> QuerySet[Contact]:
    """The patient's contacts, by name."""
    return Contact.objects.filter(user=user)


def contact_get(*, user: User, pk: int) -> Contact:
    """One of the patient's contacts; anyone else's id is a 404."""
    return get_object_or_404(Contact, pk=pk, user=user)


def contact_get_by_id(*, pk: int) -> Contact | None:
    """A contact by id, for its own stop link (the signed token is the credential)."""
    return Contact.objects.filter(pk=pk).first()


def contact_for_alert(*, patient_id: int, address: str) -> Contact | None:
    """The patient's contact an alert goes to, with `is_following` (a live follow); one query.

    A delivery row keeps only the address, so the sender finds the contact again by it: for the
    contact's stop link and, for a following clinician, the link to their workspace.
    """
    live_follow = Follow.objects.filter(contact=OuterRef("pk"), ended_at__isnull=True)
    return (
        Contact.objects.filter(user_id=patient_id, email__iexact=address.strip())
        .annotate(is_following=Exists(live_follow))
        .first()
    )


def contact_count(*, user: User) -> int:
    """How many contacts the patient has."""
    return Contact.objects.filter(user=user).count()


def security_events_recent(*, user: User, limit: int = 20) -> list[SecurityEvent]:
    """The patient's latest security-log events, newest first."""
    return list(SecurityEvent.objects.filter(user=user)[:limit])


def user_by_email(*, email: str) -> User | None:
    """The account with this log-in e-mail (any case), or None."""
    return User.objects.filter(email__iexact=email).first()
