"""Clinicians who follow a patient, and the one-time invitations that start it (CONTRACT §7)."""

from __future__ import annotations

from django.db import models
from django.utils import timezone

from .accounts import Contact, User


class Follow(models.Model):
    """A clinician account reading one patient's diary, from acceptance until it ends."""

    patient = models.ForeignKey(User, on_delete=models.CASCADE, related_name="followers")
    clinician = models.ForeignKey(User, on_delete=models.CASCADE, related_name="following")
    # Deleting the contact ends the follow with it: the patient removed that clinician.
    contact = models.ForeignKey(Contact, on_delete=models.CASCADE, related_name="follows")
    share_notes = models.BooleanField(
        default=False, help_text="Whether this clinician may read the patient's free-text notes."
    )
    created_at = models.DateTimeField(default=timezone.now)
    ended_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["clinician", "ended_at"], name="follow_clinician_idx")]
        constraints = [
            models.UniqueConstraint(
                fields=["patient", "clinician"],
                condition=models.Q(ended_at__isnull=True),
                name="follow_one_live_per_pair",
            )
        ]

    def __str__(self) -> str:
        return f"{self.clinician_id} follows {self.patient_id}"

    @property
    def is_live(self) -> bool:
        return self.ended_at is None


class Invitation(models.Model):
    """A one-time link e-mailed to a contact; only the token's SHA-256 is stored."""

    contact = models.ForeignKey(Contact, on_delete=models.CASCADE, related_name="invitations")
    token_hash = models.CharField(max_length=64, unique=True)
    created_at = models.DateTimeField(default=timezone.now)
    expires_at = models.DateTimeField()
    used_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return f"invitation for contact {self.contact_id}"
