"""Patients (e-mail is the login), their chosen clinicians, and their security log."""

from __future__ import annotations

import uuid
import zoneinfo

from django.contrib.auth.base_user import AbstractBaseUser, BaseUserManager
from django.contrib.auth.models import PermissionsMixin
from django.core.exceptions import ValidationError
from django.db import models
from django.utils import timezone as dj_timezone


def validate_timezone(value: str) -> None:
    if value not in zoneinfo.available_timezones():
        raise ValidationError(f"“{value}” is not a known IANA time zone, e.g. Europe/London.")


class UserManager(BaseUserManager["User"]):
    use_in_migrations = True

    def create_user(self, email: str, password: str | None = None, **extra: object) -> User:
        if not email:
            raise ValueError("An e-mail address is required.")
        email = self.normalize_email(email).lower()
        user = self.model(email=email, **extra)
        user.set_password(password)
        user.save(using=self._db)
        return user

    def create_superuser(self, email: str, password: str | None = None, **extra: object) -> User:
        extra.setdefault("is_staff", True)
        extra.setdefault("is_superuser", True)
        return self.create_user(email, password, **extra)

    def get_by_natural_key(self, username: str | None) -> User:
        return self.get(email__iexact=username or "")


class User(AbstractBaseUser, PermissionsMixin):
    class Role(models.TextChoices):
        PATIENT = "patient", "Patient"
        CLINICIAN = "clinician", "Clinician"

    email = models.EmailField(unique=True)
    # A stable id for records sent outside (the FHIR Patient): never the e-mail or the row id.
    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    role = models.CharField(max_length=16, choices=Role.choices, default=Role.PATIENT)
    # What a following clinician sees as the patient's name; the e-mail when empty.
    display_name = models.CharField(max_length=120, blank=True)
    timezone = models.CharField(max_length=64, default="UTC", validators=[validate_timezone])
    alert_email = models.EmailField(
        blank=True, help_text="Where alerts go; the login e-mail if empty."
    )
    reminder_time = models.TimeField(null=True, blank=True, help_text="Daily reminder, local time.")
    next_reminder_at = models.DateTimeField(null=True, blank=True, db_index=True)
    is_active = models.BooleanField(default=True)
    is_staff = models.BooleanField(default=False)
    date_joined = models.DateTimeField(default=dj_timezone.now)
    # Incremental scans pick patients whose diary changed after their last scan.
    entries_changed_at = models.DateTimeField(null=True, blank=True)
    scanned_at = models.DateTimeField(null=True, blank=True)

    objects = UserManager()

    USERNAME_FIELD = "email"
    EMAIL_FIELD = "email"
    REQUIRED_FIELDS: list[str] = []

    class Meta:
        indexes = [models.Index(fields=["entries_changed_at"], name="user_entries_changed_idx")]

    def __str__(self) -> str:
        return self.email

    @property
    def zone(self) -> zoneinfo.ZoneInfo:
        return zoneinfo.ZoneInfo(self.timezone)

    @property
    def alert_address(self) -> str:
        return self.alert_email or self.email

    @property
    def is_clinician(self) -> bool:
        return self.role == self.Role.CLINICIAN

    @property
    def shown_name(self) -> str:
        return self.display_name or self.email


class Contact(models.Model):
    """A clinician the patient chose to receive alerts."""

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="contacts")
    name = models.CharField(max_length=120)
    email = models.EmailField()
    receive_alerts = models.BooleanField(default=True)
    created_at = models.DateTimeField(auto_now_add=True)
    # The address the one-time notice went to ("" = none yet): a changed address gets its own.
    notice_sent_to = models.EmailField(blank=True)
    # When the contact used the stop link; the patient cannot switch their alerts back on.
    alerts_stopped_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["name", "id"]
        constraints = [
            models.UniqueConstraint(fields=["user", "email"], name="contact_unique_email_per_user")
        ]

    def __str__(self) -> str:
        return f"{self.name} <{self.email}>"


class SecurityEvent(models.Model):
    """Security-relevant events the patient can review (log-ins, shares, exports)."""

    class Kind(models.TextChoices):
        LOGIN = "login", "Logged in"
        LOGIN_FAILED = "login_failed", "Failed log-in"
        LOCKED_OUT = "locked_out", "Log-in locked after repeated failures"
        TOKEN_ISSUED = "token_issued", "API token issued"
        TOKEN_REVOKED = "token_revoked", "API token revoked (logged out)"
        PASSWORD_CHANGED = "password_changed", "Password changed"
        SHARE_CREATED = "share_created", "Share link created"
        SHARE_VIEWED = "share_viewed", "Share link viewed"
        SHARE_REVOKED = "share_revoked", "Share link revoked"
        EXPORT = "export", "Data exported"
        ALERT_EMAIL_CHANGED = "alert_email_changed", "Alert address changed"
        CONTACT_STOPPED = "contact_stopped", "A contact stopped your alerts"
        CLINICIAN_INVITED = "clinician_invited", "Clinician invited to follow you"
        CLINICIAN_FOLLOWING = "clinician_following", "Clinician started following you"
        CLINICIAN_REVOKED = "clinician_revoked", "You stopped a clinician following you"
        CLINICIAN_LEFT = "clinician_left", "Clinician stopped following you"
        CLINICIAN_VIEWED = "clinician_viewed", "Clinician viewed your diary"

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="security_events")
    kind = models.CharField(max_length=32, choices=Kind.choices)
    at = models.DateTimeField(default=dj_timezone.now)
    ip = models.GenericIPAddressField(null=True, blank=True)
    user_agent = models.CharField(max_length=300, blank=True)
    detail = models.CharField(max_length=300, blank=True)

    class Meta:
        ordering = ["-at", "-id"]
        indexes = [models.Index(fields=["user", "-at"], name="security_user_at_idx")]
