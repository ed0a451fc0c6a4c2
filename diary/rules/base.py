"""Plain data the pattern rules read and return; no ORM, no clock."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta

# Re-exported: the rules take their text helpers from here.
from core.text import format_day as format_day
from core.text import format_period as format_period
from core.text import plural as plural

NOT_A_DIAGNOSIS = (
    "This is a pattern in your diary, not a diagnosis. "
    "Please discuss it with a health professional."
)
NOT_A_DIAGNOSIS_CLINICIAN = (
    "This is a pattern in the patient's diary, not a diagnosis; it is for a health professional "
    "to assess."
)


@dataclass(frozen=True, slots=True)
class Voice:
    """Who a text speaks to: the patient ("you logged…") or a clinician ("the patient logged…")."""

    to_patient: bool

    def pick(self, patient: str, clinician: str) -> str:
        return patient if self.to_patient else clinician

    @property
    def you(self) -> str:
        return self.pick("you", "the patient")

    @property
    def You(self) -> str:  # noqa: N802 - reads like the sentence it starts
        return self.pick("You", "The patient")

    @property
    def your(self) -> str:
        return self.pick("your", "the patient's")

    @property
    def Your(self) -> str:  # noqa: N802 - reads like the sentence it starts
        return self.pick("Your", "The patient's")

    @property
    def not_a_diagnosis(self) -> str:
        return self.pick(NOT_A_DIAGNOSIS, NOT_A_DIAGNOSIS_CLINICIAN)


PATIENT = Voice(to_patient=True)
CLINICIAN = Voice(to_patient=False)


@dataclass(frozen=True, slots=True)
class Location:
    region: str
    side: str


@dataclass(frozen=True, slots=True)
class EntrySnapshot:
    """One diary entry as the rules see it; times already resolved in the patient's zone."""

    id: str
    occurred_at: datetime  # aware
    local_date: date  # the patient's calendar day when it was logged
    timing: str  # morning / afternoon / evening / night
    intensity: int  # 0-10
    locations: tuple[Location, ...] = ()
    pain_types: frozenset[str] = frozenset()
    activity: str = ""  # "" when not given
    red_flags: frozenset[str] = frozenset()
    context: frozenset[str] = frozenset()
    # When each alert code was added to the entry (a save time, not occurred_at), and when the
    # entry was first saved: the fallback for rows stored before the signs were recorded.
    signs_at: tuple[tuple[str, datetime], ...] = ()
    saved_at: datetime | None = None

    def sign_saved_at(self, code: str) -> datetime | None:
        """When the entry was saved carrying the alert `code` (None when nobody knows)."""
        for found, moment in self.signs_at:
            if found == code:
                return moment
        return self.saved_at


@dataclass(frozen=True, slots=True)
class Finding:
    """What a rule found: enough to create or refresh one flag."""

    code: str
    severity: str  # emergency / urgent / warning / info
    title: str
    explanation: str  # to the patient ("you logged…"); ends with NOT_A_DIAGNOSIS
    source: str  # the patient-education passage the rule encodes (DOMAIN.md "cite as")
    evidence: tuple[str, ...] = field(default=())  # entry ids
    clinician_explanation: str = ""  # the same, about the patient ("the patient logged…")


@dataclass(frozen=True, slots=True)
class Rule:
    code: str
    severity: str
    window_days: int  # how many days back (ending at as_of, inclusive) the rule reads
    evaluate: Callable[[Sequence[EntrySnapshot], date], Finding | None]

    def finding(
        self,
        *,
        title: str,
        explanation: Callable[[Voice], str],
        source: str,
        evidence: Iterable[EntrySnapshot],
    ) -> Finding:
        """A Finding with this rule's code and severity, both readers' texts, sorted evidence."""
        return Finding(
            code=self.code,
            severity=self.severity,
            title=title,
            explanation=f"{explanation(PATIENT)} {PATIENT.not_a_diagnosis}",
            source=source,
            evidence=evidence_ids(evidence),
            clinician_explanation=f"{explanation(CLINICIAN)} {CLINICIAN.not_a_diagnosis}",
        )


# Severities, as CONTRACT §5 spells them.
EMERGENCY = "emergency"
URGENT = "urgent"
WARNING = "warning"
INFO = "info"

# About 2 points on the 0-10 scale is a meaningful change (Farrar et al. 2001; DOMAIN.md).
MEANINGFUL_DIFFERENCE = 2

# An entry at 0/10 records the absence of pain: its locations are not symptoms.
MIN_PAIN_INTENSITY = 1


def window_start(as_of: date, days: int) -> date:
    """First day of a window of `days` days ending at `as_of` inclusive."""
    return as_of - timedelta(days=days - 1)


def in_window(entries: Iterable[EntrySnapshot], as_of: date, days: int) -> list[EntrySnapshot]:
    """The entries whose local day lies in the `days`-day window ending at `as_of`."""
    start = window_start(as_of, days)
    return [e for e in entries if start <= e.local_date <= as_of]


def is_painful(entry: EntrySnapshot) -> bool:
    """Whether the entry records pain, so its locations count as symptoms."""
    return entry.intensity >= MIN_PAIN_INTENSITY


def evidence_ids(entries: Iterable[EntrySnapshot]) -> tuple[str, ...]:
    """Entry ids in the order they happened, each once; the id breaks ties so order is stable."""
    unique = {e.id: e for e in entries}
    # timestamp(), not the datetime: aware datetimes sharing a zone compare by wall clock and
    # ignore `fold`, which misorders the repeated hour when clocks go back.
    return tuple(
        e.id for e in sorted(unique.values(), key=lambda e: (e.occurred_at.timestamp(), e.id))
    )


def mean(values: Sequence[int]) -> float:
    return sum(values) / len(values)


def mean_at_least_higher(higher: Sequence[int], lower: Sequence[int], by: int) -> bool:
    """mean(higher) >= mean(lower) + by, in exact integer arithmetic (no float edge cases)."""
    n_high, n_low = len(higher), len(lower)
    return sum(higher) * n_low >= sum(lower) * n_high + by * n_high * n_low


def format_score(value: float) -> str:
    return f"{value:.1f}/10"
