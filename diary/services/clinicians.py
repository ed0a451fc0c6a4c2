"""Clinicians following patients: invite a contact, accept, revoke, leave, and log each view.

Every step is written to the patient's security log, so the patient can see who reads
their diary and when (CONTRACT §7).
"""

from __future__ import annotations

import hashlib
import hmac
import re
import secrets
from dataclasses import dataclass
from datetime import timedelta

from django.db import IntegrityError, connection, transaction
from django.utils import timezone

from diary.models import Contact, Follow, Invitation, SecurityEvent, User
from diary.services.accounts import security_event_record

INVITATION_DAYS = 7
# token_urlsafe(32): 43 characters carrying 256 random bits. Anything far from that shape is
# refused before hashing.
_TOKEN_SHAPE = re.compile(r"^[A-Za-z0-9_-]{32,64}$")


class InvitationNotFound(Exception):
    """The token is unknown, already used, replaced or expired (all answered alike)."""


class NotAClinician(Exception):
    """Only a clinician account may follow a patient."""


@dataclass(frozen=True, slots=True)
class CreatedInvitation:
    """A new invitation and its token; the token exists only here, never in the database."""

    invitation: Invitation
    token: str


def invitation_token_digest(token: str) -> str:
    """SHA-256 hex of an invitation token: the only form stored or looked up."""
    return hashlib.sha256(token.encode()).hexdigest()


def invitation_create(
    *, contact: Contact, ip: str | None = None, user_agent: str = ""
) -> CreatedInvitation:
    """A one-time, 7-day invitation for the contact; it replaces the contact's live one."""
    token = secrets.token_urlsafe(32)
    now = timezone.now()
    with transaction.atomic():
        # One live invitation per contact: an unused older link stops working now.
        Invitation.objects.filter(contact=contact, used_at__isnull=True).delete()
        invitation = Invitation.objects.create(
            contact=contact,
            token_hash=invitation_token_digest(token),
            created_at=now,
            expires_at=now + timedelta(days=INVITATION_DAYS),
        )
        security_event_record(
            user=contact.user,
            kind=SecurityEvent.Kind.CLINICIAN_INVITED,
            ip=ip,
            user_agent=user_agent,
            detail=f"{contact.name} <{contact.email}>",
        )
    return CreatedInvitation(invitation=invitation, token=token)


def invitation_accept(
    *, token: str, clinician: User, ip: str | None = None, user_agent: str = ""
) -> Follow:
    """Use the invitation: the clinician follows the patient (an existing follow is kept)."""
    if not clinician.is_clinician:
        raise NotAClinician
    if not _TOKEN_SHAPE.match(token or ""):
        raise InvitationNotFound
    digest = invitation_token_digest(token)
    now = timezone.now()
    with transaction.atomic():
        invitation = (
            Invitation.objects.select_for_update()
            .select_related("contact__user")
            .filter(token_hash=digest, used_at__isnull=True, expires_at__gt=now)
            .first()
        )
        if invitation is None or not hmac.compare_digest(invitation.token_hash, digest):
            raise InvitationNotFound
        # Conditional: of two concurrent accepts, only one uses the token.
        if not Invitation.objects.filter(pk=invitation.pk, used_at__isnull=True).update(
            used_at=now
        ):
            raise InvitationNotFound
        contact = invitation.contact
        patient = contact.user
        if patient.pk == clinician.pk:
            raise InvitationNotFound  # nobody follows themselves
        follow = Follow.objects.filter(patient=patient, clinician=clinician, ended_at__isnull=True)
        existing = follow.first()
        if existing is not None:
            return existing
        try:
            with transaction.atomic():
                created = Follow.objects.create(
                    patient=patient, clinician=clinician, contact=contact, created_at=now
                )
        except IntegrityError:  # a concurrent accept of another invitation won
            return follow.get()
        security_event_record(
            user=patient,
            kind=SecurityEvent.Kind.CLINICIAN_FOLLOWING,
            ip=ip,
            user_agent=user_agent,
            detail=f"{contact.name}, account {clinician.email}",
        )
    return created


def _follow_end(*, follow: Follow, kind: str, ip: str | None, user_agent: str) -> Follow:
    if follow.ended_at is not None:
        return follow
    now = timezone.now()
    with transaction.atomic():
        if Follow.objects.filter(pk=follow.pk, ended_at__isnull=True).update(ended_at=now):
            security_event_record(
                user=follow.patient,
                kind=kind,
                ip=ip,
                user_agent=user_agent,
                detail=f"{follow.contact.name}, account {follow.clinician.email}",
            )
    follow.ended_at = now
    return follow


def follow_revoke(*, follow: Follow, ip: str | None = None, user_agent: str = "") -> Follow:
    """The patient stops the clinician following them, at once."""
    return _follow_end(
        follow=follow, kind=SecurityEvent.Kind.CLINICIAN_REVOKED, ip=ip, user_agent=user_agent
    )


def follow_leave(*, follow: Follow, ip: str | None = None, user_agent: str = "") -> Follow:
    """The clinician stops following the patient."""
    return _follow_end(
        follow=follow, kind=SecurityEvent.Kind.CLINICIAN_LEFT, ip=ip, user_agent=user_agent
    )


def follow_update(*, follow: Follow, share_notes: bool) -> Follow:
    """The patient lets this clinician read their notes, or stops it."""
    follow.share_notes = share_notes
    follow.save(update_fields=["share_notes"])
    return follow


def follow_record_view(
    *, follow: Follow, what: str, ip: str | None = None, user_agent: str = ""
) -> None:
    """Write one clinician view of the patient's diary to the patient's security log."""
    security_event_record(
        user=follow.patient,
        kind=SecurityEvent.Kind.CLINICIAN_VIEWED,
        ip=ip,
        user_agent=user_agent,
        detail=f"{follow.clinician.email}: {what}",
    )


def follow_record_views(
    *, clinician: User, what: str, ip: str | None = None, user_agent: str = ""
) -> None:
    """Log one view to the security log of every patient the clinician follows, in one query.

    INSERT … SELECT from the live follows: one statement whatever the number of patients (a
    bulk insert splits into batches under SQLite's parameter limit, so it grows with them).
    """
    event, follow = SecurityEvent._meta, Follow._meta
    columns = ", ".join(
        connection.ops.quote_name(event.get_field(name).column)
        for name in ("user", "kind", "at", "ip", "user_agent", "detail")
    )
    # Table and column names come from the models and are quoted; every value is a parameter.
    sql = (
        f"INSERT INTO {connection.ops.quote_name(event.db_table)} ({columns}) "  # noqa: S608  # nosec B608
        f"SELECT {connection.ops.quote_name(follow.get_field('patient').column)}, "
        "%s, %s, %s, %s, %s "
        f"FROM {connection.ops.quote_name(follow.db_table)} "
        f"WHERE {connection.ops.quote_name(follow.get_field('clinician').column)} = %s "
        f"AND {connection.ops.quote_name(follow.get_field('ended_at').column)} IS NULL"
    )
    at = SecurityEvent._meta.get_field("at").get_db_prep_value(
        timezone.now(), connection, prepared=False
    )
    params = [
        SecurityEvent.Kind.CLINICIAN_VIEWED.value,
        at,
        ip,
        user_agent[:300],
        f"{clinician.email}: {what}"[:300],
        clinician.pk,
    ]
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
