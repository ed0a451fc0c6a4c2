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

# Each coded field comes twice: words for people (`Sole of foot (left)`), then the stable
# codes (`foot_sole:left`) for programs, in the `_code`/`_codes` column after it.
CSV_COLUMNS: tuple[str, ...] = (
    "id",
    "occurred_at",
    "local_date",
    "timezone",
    "timing",
    "timing_code",
    "intensity",
    "locations",
    "location_codes",
    "pain_types",
    "pain_type_codes",
    "activity",
    "activity_code",
    "red_flags",
    "red_flag_codes",
    "context",
    "context_codes",
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


def location_text(region: str, side: str) -> str:
    """`Sole of foot (left)`: a location in words for the CSV."""
    region_label = vocab.REGION_BY_CODE[region].label if region in vocab.REGION_BY_CODE else region
    return f"{region_label} ({_SIDE_LABEL.get(side, side).lower()})"


def _words(codes: Iterable[str], labels: dict[str, str]) -> str:
    return "; ".join(labels.get(code, code) for code in codes)


_PAIN_LABEL = vocab.labels(vocab.PAIN_TYPES)
_RED_FLAG_LABEL = vocab.labels(vocab.RED_FLAGS)
_SIDE_LABEL = vocab.labels(vocab.SIDES)
_TIMING_LABEL = vocab.labels(vocab.TIMINGS)
_ACTIVITY_LABEL = vocab.labels(vocab.ACTIVITIES)
_CONTEXT_LABEL = vocab.labels(vocab.CONTEXT_TAGS)


def csv_columns(*, include_notes: bool = True) -> tuple[str, ...]:
    """The header: every column, without `notes` when the reader may not see them."""
    return CSV_COLUMNS if include_notes else tuple(c for c in CSV_COLUMNS if c != "notes")


def csv_rows(
    entries: Iterable[Entry], zone: zoneinfo.ZoneInfo, *, include_notes: bool = True
) -> Iterator[list[object]]:
    """One list per entry in `csv_columns()` order; times ISO 8601 in the patient's zone."""
    for entry in entries:
        locations = _locations(entry)
        pain_types = entry.pain_types or ()
        red_flags = entry.red_flags or ()
        context = entry.context or ()
        row: list[object] = [
            str(entry.id),
            _local_iso(entry.occurred_at, zone),
            entry.local_date.isoformat(),
            entry.timezone,
            _TIMING_LABEL.get(entry.timing, entry.timing),
            entry.timing,
            entry.intensity,
            "; ".join(location_text(region, side) for region, side in locations),
            ";".join(f"{region}:{side}" for region, side in locations),
            _words(pain_types, _PAIN_LABEL),
            ";".join(pain_types),
            _ACTIVITY_LABEL.get(entry.activity, entry.activity),
            entry.activity,
            _words(red_flags, _RED_FLAG_LABEL),
            ";".join(red_flags),
            _words(context, _CONTEXT_LABEL),
            ";".join(context),
            *([entry.notes] if include_notes else []),
            _local_iso(entry.created_at, zone),
            _local_iso(entry.updated_at, zone),
        ]
        yield [safe_cell(value) for value in row]


def entries_csv(
    entries: Iterable[Entry], zone: zoneinfo.ZoneInfo, *, include_notes: bool = True
) -> str:
    """The whole CSV document: a header row, then one row per entry."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow(csv_columns(include_notes=include_notes))
    writer.writerows(csv_rows(entries, zone, include_notes=include_notes))
    return buffer.getvalue()
