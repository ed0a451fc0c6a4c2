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

    def finding(
        self,
        *,
        title: str,
        explanation: str,
        source: str,
        evidence: Iterable[EntrySnapshot],
    ) -> Finding:
        """A Finding carrying this rule's code and severity, plain text and sorted evidence."""
        return Finding(
            code=self.code,
            severity=self.severity,
            title=title,
            explanation=f"{explanation} {NOT_A_DIAGNOSIS}",
            source=source,
            evidence=evidence_ids(evidence),
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
