"""Diary entries and where they hurt."""

from __future__ import annotations

import uuid

from django.db import models

from diary import vocabulary as vocab

from .accounts import User


class Entry(models.Model):
    """One moment the patient logged. Codes follow CONTRACT §3."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="entries")
    occurred_at = models.DateTimeField()
    # The patient's calendar day and zone when logged, so later zone changes
    # do not move old entries between days.
    local_date = models.DateField()
    timezone = models.CharField(max_length=64)
    timing = models.CharField(max_length=16, choices=vocab.choices(vocab.TIMINGS))
    intensity = models.PositiveSmallIntegerField()
    pain_types = models.JSONField(default=list, blank=True)
    activity = models.CharField(max_length=24, choices=vocab.choices(vocab.ACTIVITIES), blank=True)
    red_flags = models.JSONField(default=list, blank=True)
    context = models.JSONField(default=list, blank=True)
    notes = models.TextField(blank=True, max_length=2000)
    # {alert flag code: ISO time the entry was saved carrying it} (CONTRACT §5: activations are
    # judged by save time). Kept by entry_create/entry_update; rows without it fall back to
    # created_at.
    alert_signs_at = models.JSONField(default=dict, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-occurred_at", "-created_at"]
        verbose_name_plural = "entries"
        indexes = [
            models.Index(fields=["user", "local_date"], name="entry_user_date_idx"),
            models.Index(fields=["user", "-occurred_at"], name="entry_user_occurred_idx"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(intensity__gte=0, intensity__lte=10), name="entry_intensity_0_10"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.local_date} {self.timing} {self.intensity}/10"


class EntryLocation(models.Model):
    """A region and side of one entry; user and date are copied so scans aggregate without joins."""

    entry = models.ForeignKey(Entry, on_delete=models.CASCADE, related_name="locations")
    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="+")
    local_date = models.DateField()
    region = models.CharField(max_length=24, choices=vocab.choices(vocab.REGIONS))
    side = models.CharField(max_length=8, choices=vocab.choices(vocab.SIDES))
    level = models.PositiveSmallIntegerField()

    class Meta:
        ordering = ["level", "region", "side"]
        indexes = [
            models.Index(fields=["user", "local_date"], name="location_user_date_idx"),
            models.Index(fields=["user", "region", "side"], name="location_user_region_idx"),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["entry", "region", "side"], name="location_unique_per_entry"
            )
        ]

    def __str__(self) -> str:
        return f"{self.region}:{self.side}"
