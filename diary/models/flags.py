"""Flags raised by the pattern rules and the e-mail deliveries they cause."""

from __future__ import annotations

from django.db import models
from django.utils import timezone

from .accounts import User


class Flag(models.Model):
    """One activation of a pattern for a patient (CONTRACT §4 Flag)."""

    class Status(models.TextChoices):
        ACTIVE = "active", "Active"
        ACKNOWLEDGED = "acknowledged", "Acknowledged"
        RESOLVED = "resolved", "Resolved"

    class Severity(models.TextChoices):
        EMERGENCY = "emergency", "Emergency"
        URGENT = "urgent", "Urgent"
        WARNING = "warning", "Warning"
        INFO = "info", "Info"

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="flags")
    code = models.CharField(max_length=48)
    severity = models.CharField(max_length=16, choices=Severity.choices)
    title = models.CharField(max_length=200)
    explanation = models.TextField()  # to the patient ("you logged…")
    clinician_explanation = models.TextField(blank=True)  # about them ("the patient logged…")
    source = models.CharField(max_length=300)
    evidence = models.JSONField(default=list)
    first_detected_at = models.DateTimeField(default=timezone.now)
    last_seen_at = models.DateTimeField(default=timezone.now)
    status = models.CharField(max_length=16, choices=Status.choices, default=Status.ACTIVE)
    acknowledged_at = models.DateTimeField(null=True, blank=True)
    resolved_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-last_seen_at", "-id"]
        indexes = [models.Index(fields=["user", "status"], name="flag_user_status_idx")]
        constraints = [
            # One open activation per patient and pattern, enforced by the database.
            models.UniqueConstraint(
                fields=["user", "code"],
                condition=models.Q(status="active"),
                name="flag_one_active_per_code",
            )
        ]

    def __str__(self) -> str:
        return f"{self.code} ({self.status})"


class AlertDelivery(models.Model):
    """One e-mail of one flag activation to one recipient; unique so nothing is sent twice."""

    class Status(models.TextChoices):
        PENDING = "pending", "Waiting to send"
        SENT = "sent", "Sent"
        FAILED = "failed", "Failed, still retrying"
        GAVE_UP = "gave_up", "Could not be delivered"
        CAPPED = "capped", "Held back by the daily alert limit"

    flag = models.ForeignKey(Flag, on_delete=models.CASCADE, related_name="deliveries")
    recipient = models.EmailField()
    status = models.CharField(max_length=16, choices=Status.choices, default=Status.PENDING)
    attempts = models.PositiveSmallIntegerField(default=0)
    last_error = models.CharField(max_length=500, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    next_attempt_at = models.DateTimeField(default=timezone.now)
    sent_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["created_at", "id"]
        indexes = [models.Index(fields=["status", "next_attempt_at"], name="delivery_due_idx")]
        constraints = [
            models.UniqueConstraint(
                fields=["flag", "recipient"], name="delivery_once_per_recipient"
            )
        ]

    def __str__(self) -> str:
        return f"{self.flag_id} → {self.recipient}: {self.status}"
