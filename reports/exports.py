"""The patient's data out as CSV, built from loaded entries (the FHIR Bundle: `reports.fhir`).

Pure apart from reading model attributes: the selector loads entries with their locations,
these functions only shape them.
"""

from __future__ import annotations

import csv
import io
import zoneinfo
from collections.abc import Iterable, Iterator
from datetime import datetime

from diary import vocabulary as vocab
from diary.models import Entry

CSV_COLUMNS: tuple[str, ...] = (
    "id",
    "occurred_at",
    "local_date",
    "timezone",
    "timing",
    "intensity",
    "locations",
    "pain_types",
    "activity",
    "red_flags",
    "context",
    "notes",
    "created_at",
    "updated_at",
)
# Spreadsheets run a cell starting with these as a formula (OWASP "CSV injection").
_FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def safe_cell(value: object) -> object:
    """Prefix text a spreadsheet would run as a formula with a quote; other values unchanged."""
    # Spreadsheets skip leading spaces and line breaks before reading " =1+1" as a formula.
    if isinstance(value, str) and (
        value.startswith(_FORMULA_STARTS) or value.lstrip(" \t\r\n").startswith(_FORMULA_STARTS)
    ):
        return "'" + value
    return value


def _local_iso(moment: datetime, zone: zoneinfo.ZoneInfo) -> str:
    return moment.astimezone(zone).replace(microsecond=0).isoformat()


def _locations(entry: Entry) -> list[tuple[str, str]]:
    # `.all()` reads the prefetch cache; sorting here keeps the output stable without a query.
    return sorted(
        ((loc.region, loc.side) for loc in entry.locations.all()),
        key=lambda pair: (vocab.REGION_BY_CODE[pair[0]].level, pair),
    )


def csv_rows(entries: Iterable[Entry], zone: zoneinfo.ZoneInfo) -> Iterator[list[object]]:
    """One list per entry in CSV_COLUMNS order; times ISO 8601 in the patient's zone."""
    for entry in entries:
        row: list[object] = [
            str(entry.id),
            _local_iso(entry.occurred_at, zone),
            entry.local_date.isoformat(),
            entry.timezone,
            entry.timing,
            entry.intensity,
            ";".join(f"{region}:{side}" for region, side in _locations(entry)),
            ";".join(entry.pain_types or ()),
            entry.activity,
            ";".join(entry.red_flags or ()),
            ";".join(entry.context or ()),
            entry.notes,
            _local_iso(entry.created_at, zone),
            _local_iso(entry.updated_at, zone),
        ]
        yield [safe_cell(value) for value in row]


def entries_csv(entries: Iterable[Entry], zone: zoneinfo.ZoneInfo) -> str:
    """The whole CSV document: a header row, then one row per entry."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow(CSV_COLUMNS)
    writer.writerows(csv_rows(entries, zone))
    return buffer.getvalue()
