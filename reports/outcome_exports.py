"""Treatment events and check-ins as CSV (CONTRACT §8): readable labels, codes beside them.

Pure: takes the snapshots `diary.selectors.outcomes` makes and the patient's zone.
"""

from __future__ import annotations

import csv
import io
import zoneinfo
from collections.abc import Iterable, Sequence
from datetime import datetime, timedelta

from diary.outcomes import CHECKIN_ITEM_CODES, CheckInSnapshot, TreatmentSnapshot
from reports.exports import safe_cell

TREATMENT_COLUMNS: tuple[str, ...] = (
    "id",
    "started_on",
    "kind",
    "kind_code",
    "name",
    "notes",
    "created_at",
    "updated_at",
)
CHECKIN_COLUMNS: tuple[str, ...] = (
    "id",
    "week_of",
    "week_to",
    *CHECKIN_ITEM_CODES,
    "total",
    "global_change",
    "global_change_code",
    "created_at",
    "updated_at",
)


def _local_iso(moment: datetime | None, zone: zoneinfo.ZoneInfo) -> str:
    return moment.astimezone(zone).replace(microsecond=0).isoformat() if moment else ""


def _document(columns: Sequence[str], rows: Iterable[list[object]]) -> str:
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow(columns)
    writer.writerows([safe_cell(value) for value in row] for row in rows)
    return buffer.getvalue()


def treatments_csv(events: Iterable[TreatmentSnapshot], zone: zoneinfo.ZoneInfo) -> str:
    """A header row, then one row per treatment event in TREATMENT_COLUMNS order."""
    return _document(
        TREATMENT_COLUMNS,
        (
            [
                e.id,
                e.started_on.isoformat(),
                e.kind_label,
                e.kind,
                e.name,
                e.notes,
                _local_iso(e.created_at, zone),
                _local_iso(e.updated_at, zone),
            ]
            for e in events
        ),
    )


def checkins_csv(checkins: Iterable[CheckInSnapshot], zone: zoneinfo.ZoneInfo) -> str:
    """A header row, then one row per weekly check-in in CHECKIN_COLUMNS order."""
    return _document(
        CHECKIN_COLUMNS,
        (
            [
                c.id,
                c.week_of.isoformat(),
                (c.week_of + timedelta(days=6)).isoformat(),
                *c.items().values(),
                c.total,
                c.global_change_label,
                c.global_change,
                _local_iso(c.created_at, zone),
                _local_iso(c.updated_at, zone),
            ]
            for c in checkins
        ),
    )
