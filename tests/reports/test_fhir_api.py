"""GET /api/export/fhir/ (CONTRACT §4 "FHIR"): auth, scope, the Patient, time and validity."""

from __future__ import annotations

import json
from datetime import UTC, date, datetime

import pytest
from fhir.resources.R4B.bundle import Bundle as BundleR4B

from diary.models import SecurityEvent
from tests.factories import CheckInFactory, EntryFactory, TreatmentEventFactory, UserFactory
from tests.support.fhir import r4_validator, references_in, resources_by_url

pytestmark = pytest.mark.django_db
URL = "/api/export/fhir/"
LUNCHTIME = datetime(2026, 1, 15, 11, 15, tzinfo=UTC)  # 12:15 in Berlin, 20:15 in Tokyo


@pytest.fixture
def berliner():
    return UserFactory(email="anna.schmidt@example.com", timezone="Europe/Berlin")


@pytest.fixture
def berliner_client(berliner):
    from rest_framework.test import APIClient

    client = APIClient()
    client.force_authenticate(berliner)
    return client


@pytest.fixture
def entry(berliner):
    return EntryFactory(
        user=berliner,
        occurred_at=LUNCHTIME,
        intensity=8,
        locations=[("lower_back", "center"), ("calf", "left"), ("foot_sole", "left")],
        pain_types=["burning", "numbness"],
        red_flags=["saddle_numbness", "foot_drop"],
        notes="Could not feel the chair.",
    )


@pytest.fixture
def outcomes(berliner):
    """A medicine started and stopped, an injection, and two weekly check-ins."""
    return [
        TreatmentEventFactory(
            user=berliner, kind="medication_start", name="Pregabalin", started_on=date(2026, 1, 2)
        ),
        TreatmentEventFactory(
            user=berliner, kind="injection", name="Epidural", started_on=date(2026, 1, 8)
        ),
        TreatmentEventFactory(
            user=berliner, kind="medication_stop", name="pregabalin", started_on=date(2026, 1, 20)
        ),
        CheckInFactory(user=berliner, week_of=date(2026, 1, 5), leg_pain=5, weakness=1),
        CheckInFactory(user=berliner, week_of=date(2026, 1, 12), global_change="much_better"),
    ]


def of_type(bundle: dict, resource_type: str) -> list[dict]:
    return [
        i["resource"] for i in bundle["entry"] if i["resource"]["resourceType"] == resource_type
    ]


def observations(bundle: dict) -> list[dict]:
    return [
        i["resource"] for i in bundle["entry"] if i["resource"]["resourceType"] == "Observation"
    ]


def test_the_export_is_a_collection_valid_in_r4_and_r4b(berliner_client, entry) -> None:
    response = berliner_client.get(URL)

    assert response.status_code == 200
    assert response["Content-Type"] == "application/fhir+json"
    assert response["Cache-Control"] == "no-store"
    bundle = response.json()
    assert bundle["type"] == "collection"
    r4_validator().assert_valid(bundle)
    BundleR4B.model_validate(bundle)
    assert [i["resource"]["resourceType"] for i in bundle["entry"]] == [
        "Patient",
        "Observation",
        "Observation",
        "Observation",
    ]


def test_type_transaction_gives_a_transaction_valid_in_r4(berliner_client, entry) -> None:
    response = berliner_client.get(URL, {"type": "transaction"})

    assert response.status_code == 200
    assert response["Cache-Control"] == "no-store"
    bundle = response.json()
    assert bundle["type"] == "transaction"
    r4_validator().assert_valid(bundle)
    urls = resources_by_url(bundle)
    for item in bundle["entry"]:
        assert item["request"]["method"] == "POST"
        assert item["request"]["url"] == item["resource"]["resourceType"]
        assert set(references_in(item["resource"])) <= set(urls)


@pytest.mark.parametrize("value", ["collection", ""])
def test_collection_is_asked_for_by_name_or_an_empty_type(berliner_client, value: str) -> None:
    assert berliner_client.get(URL, {"type": value}).json()["type"] == "collection"


@pytest.mark.parametrize("value", ["batch", "document", "TRANSACTION"])
def test_an_unknown_bundle_type_is_a_400_naming_the_field(berliner_client, value: str) -> None:
    response = berliner_client.get(URL, {"type": value})

    assert response.status_code == 400
    assert "type" in response.json()
    assert response["Cache-Control"] == "no-store"


def test_the_patient_is_identified_by_the_public_id_alone(berliner_client, berliner, entry) -> None:
    response = berliner_client.get(URL)
    bundle = response.json()

    patient = bundle["entry"][0]["resource"]
    assert patient["identifier"] == [
        {"system": "urn:ietf:rfc:3986", "value": f"urn:uuid:{berliner.public_id}"}
    ]
    for resource in observations(bundle):
        assert resource["subject"] == {"reference": f"urn:uuid:{berliner.public_id}"}
    text = response.content.decode()
    assert "anna" not in text.lower()
    assert "schmidt" not in text.lower()
    assert "@" not in text
    assert f'"{berliner.pk}"' not in text


def test_the_patient_identifier_survives_a_secret_key_rotation(
    berliner_client, berliner, settings
) -> None:
    before = berliner_client.get(URL).json()["entry"][0]["resource"]["identifier"]

    settings.SECRET_KEY = "a-rotated-secret-key-" + "x" * 40
    after = berliner_client.get(URL).json()["entry"][0]["resource"]["identifier"]

    assert before == after


def test_two_patients_get_different_identifiers(berliner_client, api_client) -> None:
    mine = berliner_client.get(URL).json()["entry"][0]["resource"]["identifier"]
    theirs = api_client.get(URL).json()["entry"][0]["resource"]["identifier"]

    assert mine != theirs


def test_times_keep_the_zone_the_entry_was_logged_in_after_a_zone_change(
    berliner_client, berliner, entry
) -> None:
    berliner.timezone = "Asia/Tokyo"
    berliner.save()

    bundle = berliner_client.get(URL).json()

    pain = next(r for r in observations(bundle) if r["id"] == str(entry.id))
    assert pain["effectiveDateTime"] == "2026-01-15T12:15:00+01:00"
    time_of_day = next(c for c in pain["component"] if c["code"]["text"] == "Time of day")
    assert time_of_day["valueCodeableConcept"]["text"].startswith("Afternoon")
    for resource in observations(bundle):
        assert resource["effectiveDateTime"] == "2026-01-15T12:15:00+01:00"


def test_each_red_flag_is_its_own_critical_observation(berliner_client, entry) -> None:
    bundle = berliner_client.get(URL).json()

    pain, *flags = observations(bundle)
    assert [f["code"]["text"] for f in flags] == ["Saddle numbness", "Foot drop"]
    assert {m["reference"] for m in pain["hasMember"]} == {f"urn:uuid:{f['id']}" for f in flags}
    for flag in flags:
        assert flag["interpretation"][0]["coding"][0]["code"] == "AA"
        assert flag["derivedFrom"] == [{"reference": f"urn:uuid:{entry.id}"}]
    assert pain["bodySite"]["text"] == "Sole of foot, left"
    assert pain["bodySite"]["extension"][0]["url"] == (
        "http://hl7.org/fhir/us/mcode/StructureDefinition/mcode-laterality-qualifier"
    )


def test_no_url_in_the_export_comes_from_the_site_url(
    berliner_client, entry, outcomes, settings
) -> None:
    settings.SITE_URL = "https://diary.example.org"

    text = berliner_client.get(URL).content.decode()

    assert "diary.example.org" not in text
    assert "/fhir/StructureDefinition/laterality" not in text


@pytest.mark.parametrize("bundle_type", ["collection", "transaction"])
def test_treatments_and_check_ins_are_in_the_export_valid_in_r4_and_r4b(
    berliner_client, berliner, entry, outcomes, bundle_type: str
) -> None:
    bundle = berliner_client.get(URL, {"type": bundle_type}).json()

    r4_validator().assert_valid(bundle)
    BundleR4B.model_validate(bundle)
    medicines = of_type(bundle, "MedicationStatement")
    assert [(m["medicationCodeableConcept"]["text"], m["status"]) for m in medicines] == [
        ("Pregabalin", "completed"),
        ("pregabalin", "stopped"),
    ]
    (injection,) = of_type(bundle, "Procedure")
    assert (injection["code"]["text"], injection["performedDateTime"]) == ("Epidural", "2026-01-08")
    responses = of_type(bundle, "QuestionnaireResponse")
    assert [r["authored"] for r in responses] == ["2026-01-05", "2026-01-12"]
    assert responses[0]["item"][0]["answer"] == [{"valueInteger": 5}]
    assert len(of_type(bundle, "Questionnaire")) == 1
    for resource in [*medicines, injection, *responses]:
        assert resource["subject"] == {"reference": f"urn:uuid:{berliner.public_id}"}
    if bundle_type == "transaction":
        urls = resources_by_url(bundle)
        for item in bundle["entry"]:
            assert item["request"]["url"] == item["resource"]["resourceType"]
            assert set(references_in(item["resource"])) <= set(urls)


def test_an_outsider_sees_none_of_the_patients_data(
    other_api_client, other_user, berliner, entry, outcomes
) -> None:
    for kind in ("collection", "transaction"):
        response = other_api_client.get(URL, {"type": kind})

        assert response.status_code == 200
        bundle = response.json()
        assert [i["resource"]["resourceType"] for i in bundle["entry"]] == ["Patient"]
        text = response.content.decode()
        assert str(entry.id) not in text
        assert str(berliner.public_id) not in text
        assert str(other_user.public_id) in text


def test_without_auth_the_answer_is_401(anon_client) -> None:
    for query in ({}, {"type": "transaction"}):
        response = anon_client.get(URL, query)

        assert response.status_code == 401
        assert "detail" in response.json()


def test_a_web_session_may_download_it(client, berliner, entry) -> None:
    client.force_login(berliner)

    response = client.get(URL)

    assert response.status_code == 200
    assert response["Cache-Control"] == "no-store"
    assert json.loads(response.content)["entry"][1]["resource"]["id"] == str(entry.id)


def test_each_download_is_logged(berliner_client, berliner) -> None:
    berliner_client.get(URL)
    berliner_client.get(URL, {"type": "transaction"})

    details = list(
        SecurityEvent.objects.filter(user=berliner, kind=SecurityEvent.Kind.EXPORT).values_list(
            "detail", flat=True
        )
    )
    assert details == ["fhir", "fhir"]


@pytest.mark.parametrize("rows", [1, 3])
def test_the_export_reads_the_diary_in_four_queries_however_much_it_holds(
    berliner, django_assert_num_queries, rows: int
) -> None:
    # Entries with their locations, treatments, check-ins: one query each, plus the prefetch.
    from reports.selectors import fhir_export_data

    for i in range(rows):
        EntryFactory(user=berliner, locations=[("calf", "left"), ("heel", "right")])
        TreatmentEventFactory(user=berliner)
        CheckInFactory(user=berliner, week_of=date(2026, 1, 5 + 7 * i))

    with django_assert_num_queries(4):
        export = fhir_export_data(user=berliner)

    assert (len(export.entries), len(export.treatments), len(export.checkins)) == (rows,) * 3
    assert [loc.region for loc in export.entries[0].locations] == ["calf", "heel"]
