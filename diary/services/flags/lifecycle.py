"""The flag lifecycle as a pure function: what to do with one code's flags given a finding.

No ORM and no clock: the caller passes the flags' state, the finding, the snapshots and `now`,
and writes the actions it gets back. CONTRACT §5:
- One open (active or acknowledged) flag per pattern; a rescan refreshes it, and a pattern whose
  condition stops holding is resolved. Red flags (emergency) never resolve on their own.
- Emergency and urgent flags: while the latest activation is active, new entries join it. Once
  it is acknowledged (or resolved), an entry whose sign was *saved* after that moment is a new
  activation (a new flag, alerting again); `occurred_at` plays no part. An entry with the sign
  that no activation has seen is new too, whenever it was saved (a save racing the
  acknowledgement, or a scan resolving a motor flag, must not swallow it: the alerting reading).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import datetime

from diary.rules import EntrySnapshot, Finding

ACTIVE = "active"
ACKNOWLEDGED = "acknowledged"
RESOLVED = "resolved"
OPEN = frozenset({ACTIVE, ACKNOWLEDGED})


@dataclass(frozen=True, slots=True)
class FlagState:
    """What the lifecycle reads of a stored flag."""

    id: int
    status: str
    evidence: tuple[str, ...]
    first_detected_at: datetime
    acknowledged_at: datetime | None = None
    resolved_at: datetime | None = None
    severity: str = ""
    title: str = ""
    explanation: str = ""
    clinician_explanation: str = ""
    source: str = ""

    def content(self) -> tuple:
        return (
            self.severity,
            self.title,
            self.explanation,
            self.clinician_explanation,
            self.source,
            self.evidence,
        )


@dataclass(frozen=True, slots=True)
class Activate:
    """A new flag (a new activation): alerting when its severity is emergency or urgent."""

    finding: Finding
    evidence: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class Refresh:
    """An open flag whose text or evidence changed; last_seen_at moves to now."""

    flag_id: int
    finding: Finding
    evidence: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class Touch:
    """Nothing changed but last_seen_at."""

    flag_id: int


@dataclass(frozen=True, slots=True)
class Resolve:
    flag_id: int


Action = Activate | Refresh | Touch | Resolve


def _refresh(flag: FlagState, finding: Finding, evidence: tuple[str, ...]) -> Action:
    new = (
        finding.severity,
        finding.title,
        finding.explanation,
        finding.clinician_explanation,
        finding.source,
        evidence,
    )
    return Touch(flag.id) if new == flag.content() else Refresh(flag.id, finding, evidence)


def plan_pattern(*, finding: Finding | None, history: Sequence[FlagState]) -> list[Action]:
    """Warning and info patterns: raise, refresh, resolve; a recurrence is a new activation."""
    open_flags = [f for f in history if f.status in OPEN]
    current = open_flags[-1] if open_flags else None
    if finding is None:
        return [Resolve(current.id)] if current is not None else []
    if current is None:
        return [Activate(finding, finding.evidence)]
    return [_refresh(current, finding, finding.evidence)]


def plan_alert(
    *,
    code: str,
    finding: Finding | None,
    history: Sequence[FlagState],
    snapshots: Sequence[EntrySnapshot],
    resolves: bool,
    rerun: Callable[[Sequence[EntrySnapshot]], Finding | None],
) -> list[Action]:
    """Emergency and urgent flags: activations judged by when each entry's sign was saved.

    `history` is every flag of the code, oldest first; `resolves` is False for red flags (the
    patient acknowledges them); `rerun` evaluates the rule over some snapshots only, so a new
    activation's text names only its own entries.
    """
    current = history[-1] if history else None
    if finding is None:
        if resolves and current is not None and current.status in OPEN:
            return [Resolve(current.id)]
        return []
    if current is None:
        return [Activate(finding, finding.evidence)]
    known = {entry_id for flag in history for entry_id in flag.evidence}
    if current.status == ACTIVE:
        unseen = tuple(i for i in finding.evidence if i not in known)
        return [_refresh(current, finding, (*current.evidence, *unseen))]
    # Closed: acknowledged, or resolved (by the patient, or a motor sign that stopped holding).
    closed_at = current.acknowledged_at or current.resolved_at or current.first_detected_at
    by_id = {s.id: s for s in snapshots}
    fresh: list[str] = []
    for entry_id in finding.evidence:
        snapshot = by_id.get(entry_id)
        saved_at = snapshot.sign_saved_at(code) if snapshot is not None else None
        # An unknown save time counts as new: an alert too many beats one too few.
        if entry_id not in known or saved_at is None or saved_at > closed_at:
            fresh.append(entry_id)
    if not fresh:
        return [Touch(current.id)]
    own = rerun([by_id[i] for i in fresh if i in by_id]) or finding
    evidence = tuple(i for i in own.evidence if i in fresh) or tuple(fresh)
    return [Activate(own, evidence)]
