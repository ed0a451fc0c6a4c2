"""Plain data the pattern rules read and return; no ORM, no clock."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime

NOT_A_DIAGNOSIS = (
    "This is a pattern in your diary, not a diagnosis. Please discuss it with a health professional."
)


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


@dataclass(frozen=True, slots=True)
class Finding:
    """What a rule found: enough to create or refresh one flag."""

    code: str
    severity: str  # emergency / urgent / warning / info
    title: str
    explanation: str  # plain words naming the evidence; ends with NOT_A_DIAGNOSIS
    source: str  # the patient-education passage the rule encodes (DOMAIN.md "cite as")
    evidence: tuple[str, ...] = field(default=())  # entry ids


@dataclass(frozen=True, slots=True)
class Rule:
    code: str
    severity: str
    window_days: int  # how many days back (ending at as_of, inclusive) the rule reads
    evaluate: Callable[[Sequence[EntrySnapshot], date], Finding | None]
