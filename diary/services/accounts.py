"""Accounts: registration, settings, erasure, contacts, and log-in lock-out."""

from __future__ import annotations

import hashlib
import logging

from django.conf import settings
from django.core.cache import cache
from django.db import transaction

from diary.models import Contact, SecurityEvent, User

logger = logging.getLogger(__name__)


def user_register(
    *, email: str, password: str, timezone: str = "UTC", role: str = User.Role.PATIENT
) -> User:
    """Create a patient (or clinician) account; the caller has validated every field."""
    return User.objects.create_user(email=email, password=password, timezone=timezone, role=role)


def user_update(*, user: User, **fields: object) -> User:
    """Change the patient's own settings (timezone, alert_email, reminder_time, display_name)."""
    allowed = {"timezone", "alert_email", "reminder_time", "display_name"}
    for name, value in fields.items():
        if name not in allowed:
            raise ValueError(f"{name} cannot be changed here")
        setattr(user, name, value)
    user.next_reminder_at = None  # recomputed by the reminder job from the new settings
    user.save(update_fields=[*fields.keys(), "next_reminder_at"])
    return user


def user_erase(*, user: User) -> None:
    """Delete the account and every row that belongs to it (cascades cover all tables)."""
    user_id = user.pk
    with transaction.atomic():
        user.delete()
    # The patient's own log goes with the account; operators keep a trace without the e-mail.
    logger.info("account %s erased at the patient's request", user_id)


def contact_create(*, user: User, name: str, email: str, receive_alerts: bool = True) -> Contact:
    """Add a clinician who may receive this patient's alerts."""
    return Contact.objects.create(
        user=user, name=name, email=email.lower(), receive_alerts=receive_alerts
    )


def contact_update(*, contact: Contact, **fields: object) -> Contact:
    """Change a contact's name, e-mail or alert choice."""
    for name, value in fields.items():
        setattr(contact, name, value.lower() if name == "email" else value)  # type: ignore[union-attr]
    contact.save()
    return contact


def contact_delete(*, contact: Contact) -> None:
    """Remove a contact."""
    contact.delete()


def security_event_record(
    *, user: User | None, kind: str, ip: str | None = None, user_agent: str = "", detail: str = ""
) -> None:
    """Append to the patient's security log (ignored for unknown users)."""
    if user is None or user.pk is None:
        return
    SecurityEvent.objects.create(
        user=user, kind=kind, ip=ip, user_agent=user_agent[:300], detail=detail[:300]
    )


# --- brute-force protection -------------------------------------------------------------
# Failures are counted in the shared cache per e-mail and per client address, so every
# web and API process sees the same counts.


def _lock_key(kind: str, value: str) -> str:
    digest = hashlib.sha256(value.lower().encode()).hexdigest()[:32]
    return f"login-failures:{kind}:{digest}"


def login_is_locked(*, email: str, ip: str | None) -> bool:
    """True when this e-mail or address has failed too often recently."""
    limit = settings.LOGIN_FAILURE_LIMIT
    keys = [_lock_key("email", email)] + ([_lock_key("ip", ip)] if ip else [])
    counts = cache.get_many(keys)
    by_email = counts.get(keys[0], 0)
    by_ip = counts.get(keys[1], 0) if ip else 0
    # An address gets more room than one account: several patients may share a clinic's network.
    return by_email >= limit or by_ip >= limit * 4


def login_failed(*, email: str, ip: str | None, user_agent: str = "") -> None:
    """Count one failed attempt against the e-mail and the client address, and log it."""
    target = User.objects.filter(email__iexact=email).first()
    security_event_record(
        user=target, kind=SecurityEvent.Kind.LOGIN_FAILED, ip=ip, user_agent=user_agent
    )
    for kind, value in (("email", email), ("ip", ip)):
        if not value:
            continue
        key = _lock_key(kind, value)
        if cache.add(key, 1, timeout=settings.LOGIN_LOCKOUT_SECONDS):
            continue
        try:
            cache.incr(key)
        except ValueError:  # expired between add and incr
            cache.add(key, 1, timeout=settings.LOGIN_LOCKOUT_SECONDS)


def login_succeeded(*, email: str) -> None:
    """A correct password clears the e-mail's failure count."""
    cache.delete(_lock_key("email", email))
