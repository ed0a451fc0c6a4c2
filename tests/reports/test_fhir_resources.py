"""The FHIR resource builders and their codes (pure: no database)."""

from __future__ import annotations

import json
import uuid
from datetime import UTC, date, datetime

import pytest

from diary import vocabulary as vocab
from diary.outcomes import MEDICATION_KINDS, TREATMENT_KIND_LABEL
from diary.rules.base import Location
from reports.fhir import codes, questionnaire
from reports.fhir.resources import (
    body_site,
    checkin_resources,
    entry_resources,
    pain_observation,
    patient_reference,
    patient_resources,
    questionnaire_resources,
    red_flag_observation_id,
    treatment_resources,
)
from tests.support.fhir import entry_record, export_of, treatment
from tests.support.snapshots import checkin_snapshot as checkin

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


# Treatments and weekly check-ins (CONTRACT §8).


def _built(export) -> list[dict]:
    return [*treatment_resources(export), *checkin_resources(export)]


@pytest.mark.parametrize("kind", sorted(MEDICATION_KINDS))
def test_a_medication_event_is_a_statement_the_patient_made(kind: str) -> None:
    export = export_of(treatments=(treatment(kind=kind, name="Pregabalin 75 mg"),))

    (statement,) = treatment_resources(export)

    assert statement["resourceType"] == "MedicationStatement"
    assert statement["medicationCodeableConcept"] == {"text": "Pregabalin 75 mg"}
    assert statement["effectiveDateTime"] == "2026-01-12"
    assert statement["category"]["coding"][0]["code"] == "patientspecified"
    assert statement["subject"] == statement["informationSource"] == patient_reference(export)
    assert statement["note"] == [{"text": TREATMENT_KIND_LABEL[kind]}]


@pytest.mark.parametrize(
    ("kinds_and_names", "expected"),
    [
        ([("medication_start", "Ibuprofen")], ["active"]),
        ([("medication_change", "Ibuprofen")], ["active"]),
        ([("medication_stop", "Ibuprofen")], ["stopped"]),
        # A later stop of the same medicine, whatever its case and spacing, ends the start.
        (
            [("medication_start", "Ibuprofen 400"), ("medication_stop", " ibuprofen  400 ")],
            ["completed", "stopped"],
        ),
        (
            [
                ("medication_start", "Ibuprofen"),
                ("medication_change", "Ibuprofen"),
                ("medication_stop", "Ibuprofen"),
            ],
            ["completed", "completed", "stopped"],
        ),
        # A stop of another medicine does not; a restart after a stop is active again.
        (
            [("medication_start", "Ibuprofen"), ("medication_stop", "Naproxen")],
            ["active", "stopped"],
        ),
        (
            [
                ("medication_start", "Ibuprofen"),
                ("medication_stop", "Ibuprofen"),
                ("medication_start", "Ibuprofen"),
            ],
            ["completed", "stopped", "active"],
        ),
    ],
)
def test_a_medication_status_follows_its_later_stop(kinds_and_names, expected) -> None:
    events = tuple(
        treatment(kind=kind, name=name, started_on=date(2026, 1, 5 + i))
        for i, (kind, name) in enumerate(kinds_and_names)
    )

    statuses = [r["status"] for r in treatment_resources(export_of(treatments=events))]

    assert statuses == expected


@pytest.mark.parametrize("kind", ["physiotherapy", "injection", "surgery", "other"])
def test_any_other_treatment_is_a_completed_procedure_on_its_day(kind: str) -> None:
    export = export_of(treatments=(treatment(kind=kind, name="L5 root block", notes="Left side"),))

    (resource,) = treatment_resources(export)

    assert resource["resourceType"] == "Procedure"
    assert resource["status"] == "completed"
    assert resource["code"] == {"text": "L5 root block"}
    assert resource["category"] == {"text": TREATMENT_KIND_LABEL[kind]}
    assert resource["performedDateTime"] == "2026-01-12"
    assert resource["subject"] == resource["asserter"] == patient_reference(export)
    assert resource["note"] == [{"text": "Left side"}]


def test_a_procedure_without_notes_has_no_note() -> None:
    (resource,) = treatment_resources(export_of(treatments=(treatment(notes=""),)))

    assert "note" not in resource


def test_a_check_in_is_a_completed_response_with_integer_answers_and_a_coded_change() -> None:
    export = export_of(checkins=(checkin(items=(6, 0, 2, 5), global_change="much_worse"),))

    (response,) = checkin_resources(export)

    assert response["resourceType"] == "QuestionnaireResponse"
    assert response["status"] == "completed"
    assert response["authored"] == "2026-01-12"
    assert response["subject"] == patient_reference(export)
    assert response["questionnaire"] == f"{questionnaire.URL}|{questionnaire.VERSION}"
    answers = {item["linkId"]: item["answer"] for item in response["item"]}
    assert answers == {
        "leg_pain": [{"valueInteger": 6}],
        "numbness_tingling": [{"valueInteger": 0}],
        "weakness": [{"valueInteger": 2}],
        "sitting_pain": [{"valueInteger": 5}],
        "total": [{"valueInteger": 13}],
        "global_change": [
            {
                "valueCoding": {
                    "system": questionnaire.GLOBAL_CHANGE_SYSTEM,
                    "code": "much_worse",
                    "display": "Much worse",
                }
            }
        ],
    }
    assert response["item"][0]["text"] == "How much did pain in your leg bother you?"


def test_resource_ids_are_stable_unique_and_keyed_on_the_week_for_check_ins() -> None:
    public_id = uuid.uuid4()
    events = (treatment(), treatment())
    week = checkin(week_of=date(2026, 1, 5))
    export = export_of(public_id=public_id, treatments=events, checkins=(week,))
    # The same week answered in another row (a restore gives rows new keys) keeps its id.
    restored = export_of(
        public_id=public_id,
        treatments=events,
        checkins=(checkin(week_of=date(2026, 1, 5)),),
    )

    ids = [r["id"] for r in _built(export)]

    assert ids == [r["id"] for r in _built(export)]
    assert len(set(ids)) == 3
    assert ids[-1] == next(checkin_resources(restored))["id"]
    assert ids[-1] != next(checkin_resources(export_of(checkins=(week,))))["id"]
    for resource in _built(export):
        identifier = resource["identifier"]
        identifier = identifier[0] if isinstance(identifier, list) else identifier
        assert identifier == codes.uri_identifier(resource["id"])


def test_the_questionnaire_is_carried_only_with_check_ins() -> None:
    assert list(questionnaire_resources(export_of(treatments=(treatment(),)))) == []
    (carried,) = questionnaire_resources(export_of(checkins=(checkin(), checkin())))
    assert carried["url"] == questionnaire.URL
