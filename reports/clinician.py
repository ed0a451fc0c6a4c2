"""The clinician workspace's shaping: the report period a clinician asks for, and the report
as JSON (the same numbers the clinician page and its PDF show)."""

from __future__ import annotations

import zoneinfo
from collections.abc import Iterable
from dataclasses import asdict
from typing import Any

from diary.models import Entry, User
from diary.selectors.clinicians import PatientRow
from reports.selectors import ReportData
from reports.summary.flags import FlagNote

CLINICIAN_DAYS_DEFAULT = 90
CLINICIAN_DAYS_MAX = 365


def clinician_days_parse(value: str | None) -> int | None:
    """The period length asked for (1–365), the default when absent, None when invalid."""
    if value in (None, ""):
        return CLINICIAN_DAYS_DEFAULT
    try:
        days = int(value)
    except ValueError:
        return None
    return days if 1 <= days <= CLINICIAN_DAYS_MAX else None


def patient_row_json(row: PatientRow) -> dict[str, Any]:
    """One workspace row as CONTRACT §7 names it."""
    return {
        "id": row.id,
        "name": row.name,
        "last_entry_at": row.last_entry_at,
        "days_logged_14": row.days_logged_14,
        "mean_intensity_7": None
        if row.mean_intensity_7 is None
        else round(row.mean_intensity_7, 2),
        "change_7": None if row.change_7 is None else round(row.change_7, 2),
        "active_flags": [
            {
                "code": f.code,
                "severity": f.severity,
                "title": f.title,
                "first_detected_at": f.first_detected_at,
            }
            for f in row.active_flags
        ],
    }


def flag_note_json(note: FlagNote) -> dict[str, Any]:
    """A flag as a clinician reads it: the third-person explanation only (§5 "Who reads it")."""
    return {
        "code": note.code,
        "severity": note.severity,
        "title": note.title,
        "explanation": note.about_patient,
        "source": note.source,
        "status": note.status,
        "first_detected_on": note.first_detected_on,
        "last_seen_on": note.last_seen_on,
    }


def report_json(
    data: ReportData, *, patient: User, notes: Iterable[Entry] | None
) -> dict[str, Any]:
    """The clinician report's numbers; `notes` only when the patient shares them (else None)."""
    summary = data.summary
    body = asdict(summary)
    body.update(
        {
            "days_in_period": summary.days_in_period,
            "logged_percent": summary.logged_percent,
        }
    )
    # Each list is already most severe first; the "you" text is for the patient's pages only.
    body["active_flags"] = [flag_note_json(note) for note in summary.active_flags]
    body["past_flags"] = [flag_note_json(note) for note in summary.past_flags]
    if summary.change is not None:
        body["change"].update(
            {"delta": summary.change.delta, "direction": summary.change.direction}
        )
    zone: zoneinfo.ZoneInfo = patient.zone
    return {
        "patient": {"id": patient.pk, "name": patient.shown_name},
        "period_start": summary.period_start,
        "period_end": summary.period_end,
        "summary": body,
        "daily": [asdict(point) for point in data.series.daily],
        "notes_shared": notes is not None,
        "notes": None
        if notes is None
        else [
            {
                "occurred_at": entry.occurred_at.astimezone(
                    zoneinfo.ZoneInfo(entry.timezone or zone.key)
                ),
                "notes": entry.notes,
            }
            for entry in notes
        ],
    }
