"""Treatment events and the weekly check-in (CONTRACT §8): codes, plain words, snapshots.

Codes are stable API; labels are the app's own wording (DOMAIN.md "Outcomes and treatments":
the check-in asks what the sciatica bothersomeness items ask, never in an instrument's words).
The snapshots are what reports, exports and FHIR build on: frozen dataclasses with no ORM
behind them (the selectors in `diary.selectors.outcomes` make them), so pure functions can
take them and tests can make them by hand.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

from diary.vocabulary import Term

TREATMENT_KINDS: tuple[Term, ...] = (
    Term("medication_start", "Started a medicine"),
    Term("medication_stop", "Stopped a medicine"),
    Term("medication_change", "Changed a medicine or its dose"),
    Term("physiotherapy", "Physiotherapy"),
    Term("injection", "Injection"),
    Term("surgery", "Surgery"),
    Term("other", "Something else"),
)
MEDICATION_KINDS = frozenset({"medication_start", "medication_stop", "medication_change"})
TREATMENT_KIND_LABEL = {t.code: t.label for t in TREATMENT_KINDS}
TREATMENT_NAME_MAX = 200
TREATMENT_NOTES_MAX = 2000


@dataclass(frozen=True)
class CheckInItem(Term):
    question: str  # what the patient reads
    short: str  # what a chart legend or a clinician reads


CHECKIN_ITEMS: tuple[CheckInItem, ...] = (
    CheckInItem("leg_pain", "Leg pain", "How much did pain in your leg bother you?", "Leg pain"),
    CheckInItem(
        "numbness_tingling",
        "Numbness or tingling",
        "How much did numbness or tingling in your leg or foot bother you?",
        "Numbness/tingling",
    ),
    CheckInItem(
        "weakness",
        "Weakness",
        "How much did weakness in your leg or foot bother you?",
        "Weakness",
    ),
    CheckInItem(
        "sitting_pain",
        "Pain when sitting",
        "How much did pain when you sit bother you?",
        "Pain sitting",
    ),
)
CHECKIN_ITEM_CODES: tuple[str, ...] = tuple(i.code for i in CHECKIN_ITEMS)
ITEM_MIN, ITEM_MAX = 0, 6
TOTAL_MAX = ITEM_MAX * len(CHECKIN_ITEMS)  # 24
# 0-6, ends named as CONTRACT §8 says; the steps between are the app's own words.
BOTHER_SCALE: tuple[str, ...] = (
    "Not at all",
    "Hardly",
    "A little",
    "Somewhat",
    "Quite a lot",
    "Very much",
    "Extremely bothersome",
)

GLOBAL_CHANGES: tuple[Term, ...] = (
    Term("completely_recovered", "Completely better"),
    Term("much_better", "Much better"),
    Term("better", "A bit better"),
    Term("no_change", "About the same"),
    Term("worse", "A bit worse"),
    Term("much_worse", "Much worse"),
    Term("worst_ever", "Worse than ever"),
)
GLOBAL_CHANGE_LABEL = {t.code: t.label for t in GLOBAL_CHANGES}
GLOBAL_CHANGE_QUESTION = "Compared with when this began, how is your sciatica now?"


@dataclass(frozen=True, slots=True)
class TreatmentSnapshot:
    """One treatment event; `started_on` is the patient's calendar day it began (day 0)."""

    id: int
    kind: str
    name: str
    started_on: date
    notes: str = ""
    created_at: datetime | None = None
    updated_at: datetime | None = None

    @property
    def kind_label(self) -> str:
        return TREATMENT_KIND_LABEL.get(self.kind, self.kind)

    @property
    def is_medication(self) -> bool:
        return self.kind in MEDICATION_KINDS


@dataclass(frozen=True, slots=True)
class CheckInSnapshot:
    """One week's check-in: four 0-6 items, their 0-24 total and the global change."""

    id: int
    week_of: date  # a Monday
    leg_pain: int
    numbness_tingling: int
    weakness: int
    sitting_pain: int
    global_change: str
    created_at: datetime | None = None
    updated_at: datetime | None = None

    @property
    def total(self) -> int:
        return sum(self.items().values())

    def items(self) -> dict[str, int]:
        """Item code -> 0-6 answer, in the questionnaire's order."""
        return {code: getattr(self, code) for code in CHECKIN_ITEM_CODES}

    @property
    def global_change_label(self) -> str:
        return GLOBAL_CHANGE_LABEL.get(self.global_change, self.global_change)
