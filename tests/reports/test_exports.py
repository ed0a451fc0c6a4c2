"""CSV export: builder and GET /api/export/entries.csv (the FHIR export: test_fhir_*.py)."""

from __future__ import annotations

import csv
import io
from datetime import UTC, datetime

import pytest

from diary import vocabulary as vocab
from diary.models import SecurityEvent
from reports.exports import CSV_COLUMNS, safe_cell
from tests.factories import EntryFactory

pytestmark = pytest.mark.django_db
WINTER = datetime(2026, 1, 15, 23, 30, tzinfo=UTC)


@pytest.fixture
def entry(user):
    return EntryFactory(
        user=user,
        occurred_at=WINTER,
        intensity=7,
        locations=[("foot_sole", "left"), ("calf", "left"), ("hip", "right")],
        pain_types=["burning", "electric"],
        activity="lying_down",
        red_flags=["foot_drop"],
        context=["poor_sleep"],
        notes='=HYPERLINK("http://evil")',
    )


def read_csv(response) -> list[dict[str, str]]:
    return list(csv.DictReader(io.StringIO(response.content.decode())))


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("=1+1", "'=1+1"),
        ("+SUM(A1)", "'+SUM(A1)"),
        ("-2", "'-2"),
        ("@cmd", "'@cmd"),
        ("\tx", "'\tx"),
        (" =1+1", "' =1+1"),
        ("  \n@cmd", "'  \n@cmd"),
        (" -2", "' -2"),
        ("  plain - text", "  plain - text"),
        ("plain", "plain"),
        ("", ""),
        (7, 7),
    ],
)
def test_safe_cell_defuses_spreadsheet_formulas(value: object, expected: object) -> None:
    assert safe_cell(value) == expected


def test_csv_has_one_row_per_entry_and_one_column_per_field(
    api_client, user, other_user, entry
) -> None:
    EntryFactory(user=other_user, notes="OUTSIDER")

    response = api_client.get("/api/export/entries.csv")

    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/csv")
    assert response["Content-Disposition"].startswith('attachment; filename="symptom-diary-')
    rows = read_csv(response)
    assert list(rows[0]) == list(CSV_COLUMNS)
    assert len(rows) == 1
    row = rows[0]
    assert row["id"] == str(entry.id)
    assert row["occurred_at"] == "2026-01-15T23:30:00+00:00"  # London in winter
    assert row["intensity"] == "7"
    assert row["locations"] == "Hip (right); Calf (left); Sole of foot (left)"
    assert row["location_codes"] == "hip:right;calf:left;foot_sole:left"
    assert row["pain_types"] == "Burning; Electric / shooting"
    assert row["pain_type_codes"] == "burning;electric"
    assert row["red_flag_codes"] == "foot_drop"
    assert row["red_flags"] == vocab.RED_FLAG_BY_CODE["foot_drop"].label
    assert row["context_codes"] == "poor_sleep"
    assert row["context"] == "Poor sleep"
    assert row["timing_code"] == "night"
    assert row["timing"] == "Night (22–5)"
    assert row["notes"] == '\'=HYPERLINK("http://evil")'
    assert "OUTSIDER" not in response.content.decode()


def test_csv_times_follow_the_patients_zone(api_client, user, entry) -> None:
    user.timezone = "Asia/Tokyo"
    user.save()

    row = read_csv(api_client.get("/api/export/entries.csv"))[0]

    assert row["occurred_at"] == "2026-01-16T08:30:00+09:00"


def test_csv_offsets_follow_a_dst_change(api_client, user) -> None:
    EntryFactory(user=user, occurred_at=datetime(2026, 3, 29, 0, 30, tzinfo=UTC))
    EntryFactory(user=user, occurred_at=datetime(2026, 3, 29, 1, 30, tzinfo=UTC))

    rows = read_csv(api_client.get("/api/export/entries.csv"))

    assert [r["occurred_at"] for r in rows] == [
        "2026-03-29T00:30:00+00:00",
        "2026-03-29T02:30:00+01:00",
    ]


def test_exports_are_logged(api_client, user) -> None:
    api_client.get("/api/export/entries.csv")
    api_client.get("/api/export/fhir/")

    details = set(
        SecurityEvent.objects.filter(user=user, kind=SecurityEvent.Kind.EXPORT).values_list(
            "detail", flat=True
        )
    )
    assert details == {"entries.csv", "fhir"}


def test_an_empty_diary_exports_a_header_only(api_client) -> None:
    assert read_csv(api_client.get("/api/export/entries.csv")) == []


def test_an_outsiders_export_holds_none_of_the_patients_entries(other_api_client, entry) -> None:
    assert str(entry.id) not in other_api_client.get("/api/export/entries.csv").content.decode()


def test_csv_words_follow_the_vocabulary_for_every_side(user) -> None:
    from reports.exports import location_text

    assert location_text("foot_sole", "left") == "Sole of foot (left)"
    assert location_text("calf", "both") == "Calf (both sides)"
    assert location_text("lower_back", "center") == "Lower back (centre)"


def test_csv_without_notes_has_no_notes_column(user, entry) -> None:
    from reports.exports import csv_columns, entries_csv
    from reports.selectors import entries_for_export

    body = entries_csv(entries_for_export(user=user), user.zone, include_notes=False)

    rows = list(csv.DictReader(io.StringIO(body)))
    assert "notes" not in rows[0]
    assert list(rows[0]) == list(csv_columns(include_notes=False))
    assert "HYPERLINK" not in body
