"""What the patient tried (treatment events) and how it bothers them each week (check-ins)."""

from __future__ import annotations

from django.db import models

from diary import outcomes as terms
from diary.vocabulary import choices

from .accounts import User


class TreatmentEvent(models.Model):
    """A medicine started, stopped or changed, a session, an injection, an operation (§8)."""

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="treatments")
    kind = models.CharField(max_length=24, choices=choices(terms.TREATMENT_KINDS))
    name = models.CharField(max_length=terms.TREATMENT_NAME_MAX)
    started_on = models.DateField()
    notes = models.TextField(blank=True, max_length=terms.TREATMENT_NOTES_MAX)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-started_on", "-id"]
        indexes = [models.Index(fields=["user", "started_on"], name="treatment_user_day_idx")]

    def __str__(self) -> str:
        return f"{self.started_on} {self.kind} {self.name}"


def _item_range(field: str) -> models.Q:
    return models.Q(**{f"{field}__gte": terms.ITEM_MIN, f"{field}__lte": terms.ITEM_MAX})


class CheckIn(models.Model):
    """One week's answers: four 0-6 bother items and a global change (§8); one per week."""

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="checkins")
    week_of = models.DateField(help_text="The Monday of the week answered for.")
    leg_pain = models.PositiveSmallIntegerField()
    numbness_tingling = models.PositiveSmallIntegerField()
    weakness = models.PositiveSmallIntegerField()
    sitting_pain = models.PositiveSmallIntegerField()
    global_change = models.CharField(max_length=24, choices=choices(terms.GLOBAL_CHANGES))
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-week_of"]
        constraints = [
            # The one-per-week promise holds even when two phones answer at once.
            models.UniqueConstraint(fields=["user", "week_of"], name="checkin_one_per_week"),
            *(
                models.CheckConstraint(condition=_item_range(code), name=f"checkin_{code}_0_6")
                for code in terms.CHECKIN_ITEM_CODES
            ),
        ]

    def __str__(self) -> str:
        return f"week of {self.week_of}: {self.total}/24"

    @property
    def total(self) -> int:
        return sum(getattr(self, code) for code in terms.CHECKIN_ITEM_CODES)
