"""The patient's flags as the clinician summary lists them."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date

# CONTRACT §5 "Who reads it": flags listed emergency, urgent, warning, info.
from diary.selectors.flags import SEVERITY_ORDER


@dataclass(frozen=True, slots=True)
class FlagNote:
    """A pattern flag as the summary lists it, dates in the patient's zone."""

    code: str
    severity: str
    title: str
    explanation: str  # to the patient ("you logged…")
    source: str
    status: str  # active / acknowledged / resolved
    first_detected_on: date
    last_seen_on: date
    clinician_explanation: str = ""  # about the patient ("the patient logged…")

    @property
    def is_active(self) -> bool:
        return self.status == "active"

    @property
    def about_patient(self) -> str:
        """The third-person text a clinician reads (flags stored before it existed: the other)."""
        return self.clinician_explanation or self.explanation


def _by_severity(notes: Iterable[FlagNote]) -> tuple[FlagNote, ...]:
    # Stable: within a severity the caller's order (newest first) stays.
    return tuple(sorted(notes, key=lambda n: SEVERITY_ORDER.get(n.severity, len(SEVERITY_ORDER))))


def flags_by_status(flags: Iterable[FlagNote]) -> tuple[tuple[FlagNote, ...], tuple[FlagNote, ...]]:
    """(active, past), each most severe first: the flags still active, then the others."""
    notes = list(flags)
    return (
        _by_severity(f for f in notes if f.is_active),
        _by_severity(f for f in notes if not f.is_active),
    )
