"""The FHIR resource builders and their codes (pure: no database)."""

from __future__ import annotations

import json
import uuid
from datetime import UTC, datetime

import pytest

from diary import vocabulary as vocab
from diary.rules.base import Location
from reports.fhir import codes
from reports.fhir.resources import (
    body_site,
    entry_resources,
    pain_observation,
    patient_resources,
    red_flag_observation_id,
)
from tests.support.fhir import entry_record, export_of

LATERALITY_URL = "http://hl7.org/fhir/us/mcode/StructureDefinition/mcode-laterality-qualifier"
SUBJECT = {"reference": "urn:uuid:00000000-0000-4000-8000-000000000001"}
# Regions whose SNOMED CT code in DOMAIN.md names the structure itself.
CODED = {
    "lower_back": "37822005",
    "buttock": "46862004",
    "saddle": "38864007",
    "calf": "53840002",
    "heel": "76853006",
    "foot_top": "2402003",
    "foot_sole": "57999000",
    "big_toe": "78883009",
}


@pytest.mark.parametrize("region", [r.code for r in vocab.REGIONS])
def test_a_region_is_coded_only_where_the_code_names_that_structure(region: str) -> None:
    site = body_site(Location(region, "left"))

    assert site["text"].startswith(vocab.REGION_BY_CODE[region].label)
    if region in CODED:
        assert site["coding"] == [
            {
                "system": "http://snomed.info/sct",
                "code": CODED[region],
                "display": codes.REGION_SNOMED[region][1],
            }
        ]
    else:
        assert "coding" not in site


def test_the_ankle_is_not_coded_as_the_foot_nor_a_thigh_part_as_the_thigh() -> None:
    larger_structures = {"56459004", "68367000", "30021000", "29707007"}  # foot, thigh, leg, toe

    used = {code for code, _ in codes.REGION_SNOMED.values()}

    assert used.isdisjoint(larger_structures)
    assert "coding" not in body_site(Location("ankle_inner", "left"))
    assert body_site(Location("ankle_inner", "left"))["text"] == "Inner ankle, left"


@pytest.mark.parametrize(
    ("side", "code", "display"),
    [
        ("left", "7771000", "Left"),
        ("right", "24028007", "Right"),
        ("both", "51440002", "Right and left"),
    ],
)
def test_the_side_is_the_mcode_laterality_extension(side: str, code: str, display: str) -> None:
    site = body_site(Location("foot_sole", side))

    assert site["extension"] == [
        {
            "url": LATERALITY_URL,
            "valueCodeableConcept": {
                "coding": [{"system": "http://snomed.info/sct", "code": code, "display": display}]
            },
        }
    ]


def test_a_centre_location_carries_no_laterality() -> None:
    site = body_site(Location("lower_back", "center"))

    assert "extension" not in site
    assert site["text"] == "Lower back, centre"
    assert site["coding"][0]["code"] == "37822005"


def test_body_site_is_the_most_distal_location_and_every_location_is_a_component() -> None:
    entry = entry_record(
        locations=(("lower_back", "center"), ("thigh_back", "right"), ("heel", "both"))
    )

    obs = pain_observation(entry, subject=SUBJECT)

    assert obs["bodySite"]["text"] == "Heel, both sides"
    assert obs["bodySite"]["extension"][0]["valueCodeableConcept"]["coding"][0]["code"] == (
        "51440002"
    )
    locations = [c for c in obs["component"] if c["code"]["text"] == "Location"]
    assert [c["code"]["coding"][0]["code"] for c in locations] == ["363698007"] * 3
    assert [c["valueCodeableConcept"]["text"] for c in locations] == [
        "Lower back, centre",
        "Back of thigh, right",
        "Heel, both sides",
    ]
    sides = [
        c["valueCodeableConcept"].get("extension", [{}])[0].get("valueCodeableConcept")
        for c in locations
    ]
    assert sides[0] is None
    assert sides[1]["coding"][0]["code"] == "24028007"


def test_an_entry_without_locations_has_no_body_site() -> None:
    obs = pain_observation(entry_record(intensity=0, locations=()), subject=SUBJECT)

    assert "bodySite" not in obs
    assert obs["valueInteger"] == 0


def test_the_pain_observation_keeps_loinc_qualities_activity_and_time_of_day() -> None:
    entry = entry_record(
        pain_types=("burning", "electric"), activity="lying_down", context=("poor_sleep",)
    )

    obs = pain_observation(entry, subject=SUBJECT)

    assert obs["code"]["coding"] == [
        {
            "system": "http://loinc.org",
            "code": "72514-3",
            "display": "Pain severity - 0-10 verbal numeric rating [Score] - Reported",
        }
    ]
    assert obs["subject"] == SUBJECT
    assert obs["identifier"] == [{"system": "urn:ietf:rfc:3986", "value": f"urn:uuid:{entry.id}"}]
    by_kind: dict[str, list[dict]] = {}
    for component in obs["component"]:
        by_kind.setdefault(component["code"]["text"], []).append(component["valueCodeableConcept"])
    qualities = {v["text"]: v for v in by_kind["Pain quality"]}
    assert qualities["Burning"]["coding"][0]["code"] == "36349006"
    assert "coding" not in qualities["Electric / shooting"]
    assert by_kind["Activity when worst"] == [{"text": "Lying down"}]
    assert by_kind["Time of day"] == [{"text": "Afternoon (12–17)"}]
    assert by_kind["Context"] == [{"text": "Poor sleep"}]
    assert "Red-flag symptom" not in by_kind  # red flags are Observations of their own


def test_effective_time_carries_the_offset_of_the_zone_the_entry_was_logged_in() -> None:
    moment = datetime(2026, 1, 15, 11, 15, tzinfo=UTC)

    berlin = pain_observation(
        entry_record(occurred_at=moment, timezone="Europe/Berlin"), subject=SUBJECT
    )
    tokyo = pain_observation(
        entry_record(occurred_at=moment, timezone="Asia/Tokyo"), subject=SUBJECT
    )

    assert berlin["effectiveDateTime"] == "2026-01-15T12:15:00+01:00"
    assert tokyo["effectiveDateTime"] == "2026-01-15T20:15:00+09:00"


def test_effective_time_follows_a_dst_change_in_the_logged_zone() -> None:
    before = entry_record(occurred_at=datetime(2026, 3, 29, 0, 30, tzinfo=UTC))
    after = entry_record(occurred_at=datetime(2026, 3, 29, 1, 30, tzinfo=UTC))

    assert pain_observation(before, subject=SUBJECT)["effectiveDateTime"] == (
        "2026-03-29T01:30:00+01:00"
    )
    assert pain_observation(after, subject=SUBJECT)["effectiveDateTime"] == (
        "2026-03-29T03:30:00+02:00"
    )


def test_an_unknown_stored_zone_falls_back_to_utc() -> None:
    obs = pain_observation(entry_record(timezone="Not/AZone"), subject=SUBJECT)

    assert obs["effectiveDateTime"] == "2026-01-15T11:15:00+00:00"


def test_each_red_flag_is_a_critical_observation_linked_both_ways() -> None:
    entry = entry_record(red_flags=("saddle_numbness", "foot_drop"))

    pain, *flags = entry_resources(export_of(entry))

    assert [f["code"]["text"] for f in flags] == ["Saddle numbness", "Foot drop"]
    assert pain["hasMember"] == [{"reference": f"urn:uuid:{f['id']}"} for f in flags]
    for flag in flags:
        assert flag["interpretation"][0]["coding"] == [
            {
                "system": "http://terminology.hl7.org/CodeSystem/v3-ObservationInterpretation",
                "code": "AA",
                "display": "Critical abnormal",
            }
        ]
        assert flag["derivedFrom"] == [{"reference": f"urn:uuid:{entry.id}"}]
        assert flag["subject"] == pain["subject"]
        assert flag["effectiveDateTime"] == pain["effectiveDateTime"]
        assert flag["valueBoolean"] is True
    assert flags[0]["interpretation"][0]["text"].startswith("Emergency")
    assert flags[1]["interpretation"][0]["text"].startswith("Urgent")


def test_red_flag_ids_are_stable_and_distinct() -> None:
    entry_id = str(uuid.uuid4())

    first = red_flag_observation_id(entry_id, "foot_drop")

    assert first == red_flag_observation_id(entry_id, "foot_drop")
    assert first != red_flag_observation_id(entry_id, "bladder_bowel")
    assert first != red_flag_observation_id(str(uuid.uuid4()), "foot_drop")


def test_an_entry_without_red_flags_has_no_members() -> None:
    resources = list(entry_resources(export_of(entry_record(red_flags=()))))

    assert len(resources) == 1
    assert "hasMember" not in resources[0]


def test_a_repeated_or_unknown_red_flag_code_makes_one_observation_per_known_flag() -> None:
    entry = entry_record(red_flags=("foot_drop", "foot_drop", "made_up"))

    resources = list(entry_resources(export_of(entry)))

    assert len(resources) == 2
    assert len(resources[0]["hasMember"]) == 1


def test_the_patient_carries_the_public_id_and_nothing_that_names_them() -> None:
    public_id = uuid.uuid4()

    (patient,) = patient_resources(export_of(public_id=public_id))

    assert patient == {
        "resourceType": "Patient",
        "id": str(public_id),
        "identifier": [{"system": "urn:ietf:rfc:3986", "value": f"urn:uuid:{public_id}"}],
    }


def test_no_extension_or_system_url_comes_from_the_site_url(settings) -> None:
    settings.SITE_URL = "https://diary.example.org"
    entry = entry_record(
        locations=(("calf", "left"), ("foot_sole", "right")), red_flags=("bladder_bowel",)
    )

    text = json.dumps([*patient_resources(export_of(entry)), *entry_resources(export_of(entry))])

    assert "diary.example.org" not in text
    assert "127.0.0.1" not in text
    assert LATERALITY_URL in text
