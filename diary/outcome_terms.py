"""Codes and plain words for treatment events and the weekly check-in (CONTRACT §8).

Codes are stable API; labels are the app's own wording (DOMAIN.md "Outcomes and treatments":
the check-in asks what the sciatica bothersomeness items ask, never in an instrument's words).
Pure Python, so report functions and their tests need no database.
"""

from __future__ import annotations

from dataclasses import dataclass

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
