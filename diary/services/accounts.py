"""Accounts: registration, settings, passwords and tokens, erasure, contacts, and throttles."""

from __future__ import annotations

import logging
from datetime import time

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from knox.models import AuthToken

from core import ratelimit
from core.sanitize import strip_bidi_controls
from diary.models import Contact, SecurityEvent, User
from diary.selectors.accounts import user_by_email

logger = logging.getLogger(__name__)


class _Keep:
    """Marks an argument that was not given: the field keeps its value."""

    def __repr__(self) -> str:
        return "KEEP"


KEEP = _Keep()


def user_register(
    *, email: str, password: str, timezone: str = "UTC", role: str = User.Role.PATIENT
) -> User:
    """Create a patient (or clinician) account; the caller has validated every field."""
    return User.objects.create_user(email=email, password=password, timezone=timezone, role=role)


def user_update(
    *,
    user: User,
    timezone: str | _Keep = KEEP,
    alert_email: str | _Keep = KEEP,
    reminder_time: time | None | _Keep = KEEP,
    display_name: str | _Keep = KEEP,
) -> User:
    """Change the patient's own settings; only these four fields, each only when given.

    The caller checks the password before changing `alert_email` (CONTRACT §4).
    """
    changed: list[str] = []
    if not isinstance(timezone, _Keep):
        user.timezone = timezone
        changed.append("timezone")
    if not isinstance(alert_email, _Keep):
        user.alert_email = alert_email.lower()
        changed.append("alert_email")
    if not isinstance(reminder_time, _Keep):
        user.reminder_time = reminder_time
        changed.append("reminder_time")
    if not isinstance(display_name, _Keep):
        user.display_name = strip_bidi_controls(display_name).strip()
        changed.append("display_name")
    user.next_reminder_at = None  # recomputed by the reminder job from the new settings
    user.save(update_fields=[*changed, "next_reminder_at"])
    if "alert_email" in changed:
        security_event_record(user=user, kind=SecurityEvent.Kind.ALERT_EMAIL_CHANGED)
    return user


def user_erase(*, user: User) -> None:
    """Delete the account and every row that belongs to it (cascades cover all tables)."""
    user_id = user.pk
    with transaction.atomic():
        user.delete()
    # The patient's own log goes with the account; operators keep a trace without the e-mail.
    logger.info("account %s erased at the patient's request", user_id)


# --- passwords and API tokens ---------------------------------------------------------------
# Tokens are django-rest-knox's: SHA-512 digests at rest, one per log-in, expiring 90 days
# after their last use (settings.REST_KNOX). Changing the password changes the session hash,
# which ends every session Django has not been told to keep (update_session_auth_hash).


def token_issue(*, user: User, ip: str | None = None, user_agent: str = "") -> str:
    """A new API token for one device; the clear token exists only in the answer."""
    _, token = AuthToken.objects.create(user=user)
    security_event_record(
        user=user, kind=SecurityEvent.Kind.TOKEN_ISSUED, ip=ip, user_agent=user_agent
    )
    return token


def token_revoke(*, token: AuthToken, ip: str | None = None, user_agent: str = "") -> None:
    """End one token (log out one device)."""
    user = token.user
    token.delete()
    security_event_record(
        user=user, kind=SecurityEvent.Kind.TOKEN_REVOKED, ip=ip, user_agent=user_agent
    )


def tokens_revoke_all(*, user: User) -> int:
    """End every API token of the account; how many there were."""
    deleted, _ = AuthToken.objects.filter(user=user).delete()
    return deleted


def tokens_purge_expired() -> int:
    """Delete every API token past its expiry; how many there were."""
    deleted, _ = AuthToken.objects.filter(expiry__lt=timezone.now()).delete()
    return deleted


def user_password_set(
    *, user: User, password: str, ip: str | None = None, user_agent: str = ""
) -> None:
    """Set a new password and revoke every API token and every other session."""
    with transaction.atomic():
        user.set_password(password)
        user.save(update_fields=["password"])
        tokens_revoke_all(user=user)
    security_event_record(
        user=user, kind=SecurityEvent.Kind.PASSWORD_CHANGED, ip=ip, user_agent=user_agent
    )


# --- contacts --------------------------------------------------------------------------------


def _contacts_full_error() -> ValidationError:
    return ValidationError(
        {"detail": [f"You can have at most {settings.CONTACTS_MAX} contacts; remove one first."]}
    )


def contact_create(*, user: User, name: str, email: str, receive_alerts: bool = True) -> Contact:
    """Add a clinician who may receive this patient's alerts; at most CONTACTS_MAX each."""
    with transaction.atomic():
        # Lock the patient's row so two parallel adds cannot both pass the count.
        User.objects.select_for_update().filter(pk=user.pk).first()
        if Contact.objects.filter(user=user).count() >= settings.CONTACTS_MAX:
            raise _contacts_full_error()
        return Contact.objects.create(
            user=user,
            name=strip_bidi_controls(name).strip(),
            email=email.lower(),
            receive_alerts=receive_alerts,
        )


def contact_update(
    *,
    contact: Contact,
    name: str | _Keep = KEEP,
    email: str | _Keep = KEEP,
    receive_alerts: bool | _Keep = KEEP,
) -> Contact:
    """Change a contact's name, e-mail or alert choice.

    A contact who used their stop link stays stopped until the address changes: a new address
    was never asked, the old one said no.
    """
    if not isinstance(name, _Keep):
        contact.name = strip_bidi_controls(name).strip()
    if not isinstance(email, _Keep) and email.lower() != contact.email:
        contact.email = email.lower()
        contact.alerts_stopped_at = None
    if not isinstance(receive_alerts, _Keep):
        if receive_alerts and contact.alerts_stopped_at is not None:
            raise ValidationError(
                {
                    "receive_alerts": [
                        "This contact stopped your alerts from their e-mail; "
                        "they cannot be switched back on for that address."
                    ]
                }
            )
        contact.receive_alerts = receive_alerts
    contact.save()
    return contact


def contact_delete(*, contact: Contact) -> None:
    """Remove a contact."""
    contact.delete()


def contact_alerts_stop(*, contact: Contact) -> Contact:
    """The contact used their stop link: no more alerts to this address, and the patient sees it."""
    if contact.alerts_stopped_at is not None:
        return contact
    contact.receive_alerts = False
    contact.alerts_stopped_at = timezone.now()
    contact.save(update_fields=["receive_alerts", "alerts_stopped_at"])
    security_event_record(
        user=contact.user, kind=SecurityEvent.Kind.CONTACT_STOPPED, detail=contact.name
    )
    return contact


def contact_notice_claim(*, contact: Contact) -> bool:
    """Mark the notice to the contact's current address as sent; False if already claimed."""
    claimed = (
        Contact.objects.filter(pk=contact.pk, email=contact.email, receive_alerts=True)
        .exclude(notice_sent_to=contact.email)
        .update(notice_sent_to=contact.email)
    )
    return bool(claimed)


def contact_notice_unclaim(*, contact: Contact, previous: str) -> None:
    """Give a claimed notice back after a failed send, so the next sweep tries again."""
    Contact.objects.filter(pk=contact.pk, notice_sent_to=contact.email).update(
        notice_sent_to=previous
    )


def security_event_record(
    *, user: User | None, kind: str, ip: str | None = None, user_agent: str = "", detail: str = ""
) -> None:
    """Append to the patient's security log (ignored for unknown users)."""
    if user is None or user.pk is None:
        return
    SecurityEvent.objects.create(
        user=user, kind=kind, ip=ip, user_agent=user_agent[:300], detail=detail[:300]
    )


# --- brute-force protection and throttles ----------------------------------------------------
# Counted in the shared cache (core.ratelimit), so every web and API process sees the same
# counts; keys are hashes, never an address.


def login_is_locked(*, email: str, ip: str | None) -> bool:
    """True when this e-mail or address has failed too often recently."""
    limit = settings.LOGIN_FAILURE_LIMIT
    by_email = ratelimit.hits_get(scope="login-failures", value=f"email:{email}")
    by_ip = ratelimit.hits_get(scope="login-failures", value=f"ip:{ip}") if ip else 0
    # An address gets more room than one account: several patients may share a clinic's network.
    return by_email >= limit or by_ip >= limit * 4


def login_failed(*, email: str, ip: str | None, user_agent: str = "") -> None:
    """Count one failed attempt against the e-mail and the client address, and log it."""
    security_event_record(
        user=user_by_email(email=email),
        kind=SecurityEvent.Kind.LOGIN_FAILED,
        ip=ip,
        user_agent=user_agent,
    )
    for value in (f"email:{email}", f"ip:{ip}" if ip else None):
        if value:
            ratelimit.hits_add(
                scope="login-failures", value=value, window=settings.LOGIN_LOCKOUT_SECONDS
            )


def login_succeeded(*, email: str) -> None:
    """A correct password clears the e-mail's failure count."""
    ratelimit.hits_clear(scope="login-failures", value=f"email:{email}")


def signup_allowed(*, email: str, ip: str | None) -> bool:
    """Count a sign-up attempt; False once this address or e-mail tried too often this hour."""
    return not ratelimit.over_limit(
        scope="signup",
        values=[f"email:{email}" if email else None, f"ip:{ip}" if ip else None],
        limit=settings.SIGNUP_LIMIT_PER_HOUR,
        window=3600,
    )


def password_reset_allowed(*, email: str, ip: str | None) -> bool:
    """Count a reset request; False once this address or e-mail asked too often this hour."""
    return not ratelimit.over_limit(
        scope="password-reset",
        values=[f"email:{email}" if email else None, f"ip:{ip}" if ip else None],
        limit=settings.PASSWORD_RESET_LIMIT_PER_HOUR,
        window=3600,
    )
