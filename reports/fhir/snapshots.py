"""Plain data the FHIR builders read: no ORM, no clock, no settings."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import datetime

from diary.outcomes import CheckInSnapshot, TreatmentSnapshot
from diary.rules.base import Location


@dataclass(frozen=True, slots=True)
class PatientRecord:
    """The patient as the export may show them: only the stable public id, never a name."""

    public_id: uuid.UUID


@dataclass(frozen=True, slots=True)
class EntryRecord:
    """One diary entry as stored, with the zone it was logged in."""

    id: str
    occurred_at: datetime  # aware
    timezone: str  # the IANA zone the entry was logged in (Entry.timezone)
    timing: str
    intensity: int
    locations: tuple[Location, ...] = ()  # spine first, most distal last
    pain_types: tuple[str, ...] = ()
    activity: str = ""
    red_flags: tuple[str, ...] = ()
    context: tuple[str, ...] = ()
    notes: str = ""


@dataclass(frozen=True, slots=True)
class FhirExport:
    """Everything one patient's FHIR export holds; a new kind of record is a new field here."""

    patient: PatientRecord
    entries: tuple[EntryRecord, ...] = ()
    treatments: tuple[TreatmentSnapshot, ...] = ()  # oldest start first
    checkins: tuple[CheckInSnapshot, ...] = ()  # oldest week first
