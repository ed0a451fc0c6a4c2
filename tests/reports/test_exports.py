"""CSV and FHIR exports: builders, and GET /api/export/entries.csv and /api/export/fhir/."""

from __future__ import annotations

import csv
import io
import json
from datetime import UTC, datetime

import pytest
from fhir.resources.R4B.bundle import Bundle
from fhir.resources.R4B.observation import Observation

from diary import vocabulary as vocab
from diary.models import SecurityEvent
from reports.exports import (
    CSV_COLUMNS,
    PAIN_TYPE_SNOMED,
    REGION_SNOMED,
    patient_urn,
    safe_cell,
)
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
        ("plain", "plain"),
        ("", ""),
        (7, 7),
    ],
)
def test_safe_cell_defuses_spreadsheet_formulas(value: object, expected: object) -> None:
    assert safe_cell(value) == expected


def test_every_region_and_listed_pain_type_maps_to_a_snomed_code() -> None:
    from diary import vocabulary as vocab

    # Hip, groin and knee have no containing structure in DOMAIN.md's list: text only.
    assert set(REGION_SNOMED) == {r.code for r in vocab.REGIONS} - {"hip", "groin", "knee"}
    assert set(PAIN_TYPE_SNOMED) <= {p.code for p in vocab.PAIN_TYPES}
    assert all(code.isdigit() for code, _ in REGION_SNOMED.values())


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


def test_an_empty_diary_exports_a_header_and_an_empty_bundle(api_client) -> None:
    assert read_csv(api_client.get("/api/export/entries.csv")) == []

    bundle = api_client.get("/api/export/fhir/").json()
    Bundle.model_validate(bundle)
    assert bundle["entry"] == []


def test_fhir_export_is_a_valid_r4_collection_of_observations(
    api_client, user, other_user, entry
) -> None:
    EntryFactory(user=user, intensity=0, locations=[], pain_types=[], activity="", notes="")
    EntryFactory(user=other_user)

    response = api_client.get("/api/export/fhir/")

    assert response.status_code == 200
    assert response["Content-Type"] == "application/fhir+json"
    data = response.json()
    bundle = Bundle.model_validate(data)  # fhir.resources' R4B models: the R4 family in 8.x
    assert bundle.type == "collection"
    assert len(bundle.entry) == 2
    for item in data["entry"]:
        Observation.model_validate(item["resource"])
        assert item["fullUrl"] == f"urn:uuid:{item['resource']['id']}"

    obs = next(
        item["resource"] for item in data["entry"] if item["resource"]["id"] == str(entry.id)
    )
    assert obs["status"] == "final"
    assert obs["code"]["coding"][0] == {
        "system": "http://loinc.org",
        "code": "72514-3",
        "display": "Pain severity - 0-10 verbal numeric rating [Score] - Reported",
    }
    assert obs["category"][0]["coding"][0]["code"] == "survey"
    assert obs["category"][1]["text"] == "Symptom"
    assert obs["valueInteger"] == 7
    assert obs["effectiveDateTime"] == "2026-01-15T23:30:00+00:00"
    # bodySite: the most distal location, SNOMED site with laterality as an extension.
    assert obs["bodySite"]["coding"][0] == {
        "system": "http://snomed.info/sct",
        "code": "57999000",
        "display": "Sole of foot structure",
    }
    laterality = obs["bodySite"]["extension"][0]["valueCodeableConcept"]["coding"][0]
    assert laterality["code"] == "7771000"
    components = {c["code"].get("text"): [] for c in obs["component"]}
    for c in obs["component"]:
        components[c["code"].get("text")].append(c["valueCodeableConcept"])
    assert len(components["Location"]) == 3
    hip = next(v for v in components["Location"] if v["text"].startswith("Hip"))
    assert "coding" not in hip  # no listed code contains the hip: text only
    qualities = {v["text"]: v for v in components["Pain quality"]}
    assert qualities["Burning"]["coding"][0]["code"] == "36349006"
    assert "coding" not in qualities["Electric / shooting"]
    assert components["Red-flag symptom"][0]["text"] == "Foot drop"
    assert obs["note"][0]["text"].startswith("=HYPERLINK")


def test_the_subject_does_not_reveal_the_database_id(api_client, user, entry, settings) -> None:
    data = api_client.get("/api/export/fhir/").json()

    subject = data["entry"][0]["resource"]["subject"]
    assert subject["display"] == user.email
    assert subject["identifier"]["value"] == patient_urn(user, settings.SECRET_KEY)
    assert subject["identifier"]["value"].startswith("urn:uuid:")
    assert json.dumps(subject).count(f'"{user.pk}"') == 0


def test_an_outsiders_export_holds_none_of_the_patients_entries(other_api_client, entry) -> None:
    assert other_api_client.get("/api/export/fhir/").json()["entry"] == []
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
