"""The FHIR Bundle: collection and transaction shapes, validated against R4 4.0.1 and R4B."""

from __future__ import annotations

import uuid
from datetime import UTC, date, datetime, timedelta

import pytest
from fhir.resources.R4B.bundle import Bundle as BundleR4B

from diary import outcomes as terms
from diary import vocabulary as vocab
from reports.fhir import BUNDLE_TYPES, bundle_build, questionnaire
from tests.support.fhir import (
    entry_record,
    export_of,
    r4_validator,
    references_in,
    resources_by_url,
    treatment,
)
from tests.support.snapshots import checkin_snapshot as checkin

NOW = datetime(2026, 2, 1, 9, 0, tzinfo=UTC)


def every_code_export():
    """An export touching every region, side, pain type, activity, red flag and context tag."""
    entries = [
        entry_record(
            locations=tuple(
                (region.code, "center" if region.code in vocab.CENTER_REGIONS else side)
                for region in vocab.REGIONS
            ),
            pain_types=tuple(p.code for p in vocab.PAIN_TYPES),
            activity=vocab.ACTIVITIES[i % len(vocab.ACTIVITIES)].code,
            red_flags=tuple(f.code for f in vocab.RED_FLAGS),
            context=tuple(c.code for c in vocab.CONTEXT_TAGS),
            notes="Worse after the long drive.",
        )
        for i, side in enumerate(("left", "right", "both"))
    ]
    entries.append(entry_record(intensity=0, locations=(), pain_types=(), activity=""))
    entries.extend(
        entry_record(timing=t.code, activity=a.code)
        for t, a in zip(vocab.TIMINGS, vocab.ACTIVITIES, strict=False)
    )
    # Every treatment kind, with and without notes, and a medicine started then stopped.
    treatments = [
        treatment(kind=k.code, name=f"{k.label} one", started_on=date(2026, 1, 1 + i), notes=n)
        for i, k in enumerate(terms.TREATMENT_KINDS)
        for n in ("", "Helped for a week.")
    ]
    treatments.append(treatment(kind="medication_stop", name="medication start one"))
    # Every global change answer, items at both ends of the scale.
    checkins = [
        checkin(
            week_of=date(2025, 11, 3) + timedelta(weeks=i),
            items=(0, 6, i % 7, 6 - i % 7),
            global_change=g.code,
        )
        for i, g in enumerate(terms.GLOBAL_CHANGES)
    ]
    return export_of(*entries, treatments=tuple(treatments), checkins=tuple(checkins))


def build(export, bundle_type: str = "collection") -> dict:
    return bundle_build(export, bundle_type=bundle_type, bundle_id=str(uuid.uuid4()), now=NOW)


@pytest.mark.parametrize("bundle_type", BUNDLE_TYPES)
def test_every_code_validates_against_r4_and_r4b(bundle_type: str) -> None:
    bundle = build(every_code_export(), bundle_type)

    r4_validator().assert_valid(bundle)
    BundleR4B.model_validate(bundle)


def test_an_empty_diary_still_validates_with_its_patient() -> None:
    bundles = [build(export_of(), kind) for kind in BUNDLE_TYPES]

    r4_validator().assert_valid(*bundles)
    assert [len(b["entry"]) for b in bundles] == [1, 1]


def test_the_r4_validator_rejects_what_r4_forbids() -> None:
    # The validator must be able to fail: a wrong type inside a nested resource.
    bundle = build(export_of(entry_record(red_flags=("foot_drop",))))
    bundle["entry"][1]["resource"]["valueInteger"] = "seven"
    bundle["entry"][2]["resource"]["derivedFrom"][0]["unknown"] = True

    (errors,) = r4_validator().errors(bundle)

    assert "valueInteger" in errors
    assert "unknown" in errors


def test_the_collection_lists_the_patient_first_and_every_subject_references_it() -> None:
    export = every_code_export()

    bundle = build(export)

    assert bundle["type"] == "collection"
    assert bundle["timestamp"] == "2026-02-01T09:00:00+00:00"
    first = bundle["entry"][0]
    assert first["resource"]["resourceType"] == "Patient"
    assert first["fullUrl"] == f"urn:uuid:{export.patient.public_id}"
    for item in bundle["entry"][1:]:
        assert item["fullUrl"] == f"urn:uuid:{item['resource']['id']}"
        if item["resource"]["resourceType"] == "Questionnaire":
            # The questions are the same for every patient: a Questionnaire has no subject.
            assert "subject" not in item["resource"]
            continue
        assert item["resource"]["subject"] == {"reference": first["fullUrl"]}
    kinds = [i["resource"]["resourceType"] for i in bundle["entry"]]
    assert kinds.count("Patient") == 1
    assert kinds.count("Questionnaire") == 1
    assert kinds.count("MedicationStatement") == 3 * 2 + 1
    assert kinds.count("Procedure") == 4 * 2
    assert kinds.count("QuestionnaireResponse") == len(terms.GLOBAL_CHANGES)


@pytest.mark.parametrize("bundle_type", BUNDLE_TYPES)
def test_every_reference_resolves_inside_the_bundle(bundle_type: str) -> None:
    bundle = build(every_code_export(), bundle_type)

    urls = resources_by_url(bundle)
    references = [ref for resource in urls.values() for ref in references_in(resource)]

    assert len(urls) == len(bundle["entry"])  # fullUrls are unique
    assert references
    assert set(references) <= set(urls)


def test_a_transaction_posts_every_entry_conditionally_by_its_identifier() -> None:
    export = every_code_export()

    bundle = build(export, "transaction")

    assert bundle["type"] == "transaction"
    for item in bundle["entry"]:
        resource = item["resource"]
        assert item["fullUrl"].startswith("urn:uuid:")
        assert "id" not in resource  # the server assigns ids on create
        # A list for most types; one Identifier for a QuestionnaireResponse (R4 0..1).
        identifier = resource["identifier"]
        identifier = identifier[0] if isinstance(identifier, list) else identifier
        assert identifier["value"] == item["fullUrl"]
        assert item["request"] == {
            "method": "POST",
            "url": resource["resourceType"],
            "ifNoneExist": f"identifier=urn:ietf:rfc:3986|{item['fullUrl']}",
        }


def test_both_bundle_types_carry_the_same_resources() -> None:
    export = every_code_export()

    collection, transaction = (build(export, kind) for kind in ("collection", "transaction"))

    def without_ids(bundle: dict) -> dict:
        return {
            url: {k: v for k, v in resource.items() if k != "id"}
            for url, resource in resources_by_url(bundle).items()
        }

    assert without_ids(collection) == without_ids(transaction)


def test_red_flags_follow_their_entry() -> None:
    entry = entry_record(red_flags=("bladder_bowel",))

    kinds = [
        (i["resource"]["resourceType"], i["resource"]["code"].get("text"))
        for i in build(export_of(entry))["entry"][1:]
    ]

    assert kinds == [
        ("Observation", "Pain intensity (0-10)"),
        ("Observation", "Loss of bladder or bowel control"),
    ]


def test_an_unknown_bundle_type_is_refused() -> None:
    with pytest.raises(ValueError, match="searchset"):
        build(export_of(), "searchset")


def test_a_new_kind_of_resource_is_one_builder_and_one_line(monkeypatch) -> None:
    # The extension point for treatments and check-ins (CONTRACT §8).
    from reports.fhir import bundle, codes, resources

    def procedure_resources(export):
        procedure_id = str(uuid.uuid4())
        yield {
            "resourceType": "Procedure",
            "id": procedure_id,
            "identifier": [codes.uri_identifier(procedure_id)],
            "status": "completed",
            "code": {"text": "Physiotherapy"},
            "subject": resources.patient_reference(export),
        }

    monkeypatch.setattr(bundle, "BUILDERS", (*bundle.BUILDERS, procedure_resources))
    export = export_of(entry_record())

    collection, transaction = (build(export, kind) for kind in BUNDLE_TYPES)

    assert collection["entry"][-1]["resource"]["resourceType"] == "Procedure"
    last = transaction["entry"][-1]
    assert last["request"]["url"] == "Procedure"
    assert last["request"]["ifNoneExist"] == f"identifier=urn:ietf:rfc:3986|{last['fullUrl']}"
    r4_validator().assert_valid(collection, transaction)


def test_treatments_and_check_ins_follow_the_entries_in_their_order() -> None:
    export = export_of(
        entry_record(),
        treatments=(treatment(kind="medication_start"), treatment(kind="physiotherapy")),
        checkins=(checkin(week_of=date(2026, 1, 5)), checkin(week_of=date(2026, 1, 12))),
    )

    kinds = [i["resource"]["resourceType"] for i in build(export)["entry"]]

    assert kinds == [
        "Patient",
        "Observation",
        "MedicationStatement",
        "Procedure",
        "Questionnaire",
        "QuestionnaireResponse",
        "QuestionnaireResponse",
    ]


def test_the_questionnaire_comes_only_with_check_ins() -> None:
    export = export_of(entry_record(), treatments=(treatment(),))

    kinds = [i["resource"]["resourceType"] for i in build(export)["entry"]]

    assert "Questionnaire" not in kinds


@pytest.mark.parametrize("bundle_type", BUNDLE_TYPES)
def test_every_response_names_the_questionnaire_the_bundle_carries(bundle_type: str) -> None:
    bundle = build(every_code_export(), bundle_type)
    resources = [i["resource"] for i in bundle["entry"]]

    (carried,) = [r for r in resources if r["resourceType"] == "Questionnaire"]
    responses = [r for r in resources if r["resourceType"] == "QuestionnaireResponse"]

    assert responses
    assert {r["questionnaire"] for r in responses} == {f"{carried['url']}|{carried['version']}"}


def test_the_transaction_loads_the_questionnaire_once_for_every_patient() -> None:
    # Two patients' exports name the same Questionnaire, so a server keeps one copy.
    first, second = (
        build(export_of(checkins=(checkin(),)), "transaction")["entry"] for _ in range(2)
    )

    def questionnaire_entry(entries: list[dict]) -> dict:
        (found,) = [e for e in entries if e["resource"]["resourceType"] == "Questionnaire"]
        return found

    assert questionnaire_entry(first) == questionnaire_entry(second)
    assert questionnaire_entry(first)["request"]["ifNoneExist"] == (
        f"identifier=urn:ietf:rfc:3986|urn:uuid:{questionnaire.QUESTIONNAIRE_ID}"
    )
