"""The patient's flags as the clinician summary lists them."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date


@dataclass(frozen=True, slots=True)
class FlagNote:
    """A pattern flag as the summary lists it, dates in the patient's zone."""

    code: str
    severity: str
    title: str
    explanation: str
    source: str
    status: str  # active / acknowledged / resolved
    first_detected_on: date
    last_seen_on: date

    @property
    def is_active(self) -> bool:
        return self.status == "active"


def flags_by_status(flags: Iterable[FlagNote]) -> tuple[tuple[FlagNote, ...], tuple[FlagNote, ...]]:
    """(active, past): the flags still active, then the acknowledged and resolved ones."""
    notes = list(flags)
    return tuple(f for f in notes if f.is_active), tuple(f for f in notes if not f.is_active)
