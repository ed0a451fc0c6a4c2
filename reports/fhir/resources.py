"""One builder per kind of FHIR resource, each from the export's plain snapshots.

A builder takes the whole `FhirExport` and yields finished resources. Every resource has
a UUID `id` (its Bundle entry's fullUrl is `urn:uuid:<id>`), an identifier with that same
urn:uuid (so a server can load it conditionally, without duplicates), and, but for the
Patient, a `subject` referencing the Patient. Adding a kind of resource is one builder
here and one line in `bundle.BUILDERS`.
"""

from __future__ import annotations

import uuid
import zoneinfo
from collections.abc import Iterator
from datetime import UTC, datetime, tzinfo
from typing import Any

from diary import outcomes as terms
from diary import vocabulary as vocab
from diary.outcomes import CheckInSnapshot, TreatmentSnapshot
from diary.rules.base import Location
from reports.fhir import codes, questionnaire
from reports.fhir.snapshots import EntryRecord, FhirExport

Resource = dict[str, Any]

_SIDE_LABEL = {s.code: s.label for s in vocab.SIDES}
_ACTIVITY_LABEL = {a.code: a.label for a in vocab.ACTIVITIES}
_CONTEXT_LABEL = {c.code: c.label for c in vocab.CONTEXT_TAGS}
_TIMING_LABEL = {t.code: t.label for t in vocab.TIMINGS}
_SEVERITY_TEXT = {
    "emergency": "Emergency red flag: needs medical care now",
    "urgent": "Urgent red flag: needs medical review today",
}


def reference(resource_id: str) -> dict[str, str]:
    """A Reference to a resource in the same Bundle, by its urn:uuid fullUrl."""
    return {"reference": f"urn:uuid:{resource_id}"}


def patient_reference(export: FhirExport) -> dict[str, str]:
    """The `subject` of every resource: the export's one Patient."""
    return reference(str(export.patient.public_id))


def red_flag_observation_id(entry_id: str, code: str) -> str:
    """A stable id per (entry, red flag): the same export twice names it the same."""
    return str(uuid.uuid5(uuid.UUID(entry_id), f"red-flag:{code}"))


def treatment_resource_id(export: FhirExport, treatment: TreatmentSnapshot) -> str:
    """A stable id per treatment event of this patient (its row id: a restore gives new ones)."""
    return str(uuid.uuid5(export.patient.public_id, f"treatment:{treatment.id}"))


def checkin_resource_id(export: FhirExport, checkin: CheckInSnapshot) -> str:
    """A stable id per week answered: one check-in per patient and week, restores included."""
    return str(uuid.uuid5(export.patient.public_id, f"checkin:{checkin.week_of.isoformat()}"))


def logged_zone(name: str) -> tzinfo:
    """The zone an entry was logged in; UTC if the stored name is unknown."""
    try:
        return zoneinfo.ZoneInfo(name)
    except (zoneinfo.ZoneInfoNotFoundError, ValueError):
        return UTC


def local_iso(moment: datetime, zone: tzinfo) -> str:
    """ISO 8601 with the zone's offset, to the second (FHIR dateTime)."""
    return moment.astimezone(zone).replace(microsecond=0).isoformat()


def body_site(location: Location) -> dict[str, Any]:
    """A CodeableConcept for one location: a SNOMED CT site where one names it, the side as
    the mCODE laterality extension, and the exact region and side as text."""
    label = vocab.REGION_BY_CODE[location.region].label
    side = _SIDE_LABEL.get(location.side, location.side).lower()
    concept: dict[str, Any] = {"text": f"{label}, {side}"}
    extension = codes.laterality_extension(location.side)
    if extension:
        concept["extension"] = extension
    if location.region in codes.REGION_SNOMED:
        code, display = codes.REGION_SNOMED[location.region]
        concept["coding"] = [codes.coding(codes.SNOMED, code, display)]
    return concept


def _text_component(code_text: str, value_text: str) -> dict[str, Any]:
    return {"code": {"text": code_text}, "valueCodeableConcept": {"text": value_text}}


def _category() -> list[dict[str, Any]]:
    # HL7 Symptoms IG style; there is no verified code system for "symptom", so text only.
    return [{"coding": [codes.SURVEY]}, {"text": "Symptom"}]


def _components(entry: EntryRecord) -> list[dict[str, Any]]:
    components: list[dict[str, Any]] = [
        {
            "code": {"coding": [codes.FINDING_SITE], "text": "Location"},
            "valueCodeableConcept": body_site(location),
        }
        for location in entry.locations
    ]
    for code in entry.pain_types:
        pain = vocab.PAIN_TYPE_BY_CODE.get(code)
        if pain is None:
            continue
        value: dict[str, Any] = {"text": pain.label}
        if code in codes.PAIN_TYPE_SNOMED:
            snomed, display = codes.PAIN_TYPE_SNOMED[code]
            value["coding"] = [codes.coding(codes.SNOMED, snomed, display)]
        components.append({"code": {"text": "Pain quality"}, "valueCodeableConcept": value})
    if entry.activity in _ACTIVITY_LABEL:
        components.append(_text_component("Activity when worst", _ACTIVITY_LABEL[entry.activity]))
    if entry.timing in _TIMING_LABEL:
        components.append(_text_component("Time of day", _TIMING_LABEL[entry.timing]))
    for code in entry.context:
        if code in _CONTEXT_LABEL:
            components.append(_text_component("Context", _CONTEXT_LABEL[code]))
    return components


def _red_flags(entry: EntryRecord) -> list[vocab.RedFlag]:
    # dict.fromkeys: a repeated code must not give two resources the same id.
    known = dict.fromkeys(c for c in entry.red_flags if c in vocab.RED_FLAG_BY_CODE)
    return [vocab.RED_FLAG_BY_CODE[c] for c in known]


def pain_observation(entry: EntryRecord, *, subject: dict[str, str]) -> Resource:
    """The entry's pain-severity Observation (LOINC 72514-3) with its sites and qualities."""
    effective = local_iso(entry.occurred_at, logged_zone(entry.timezone))
    resource: Resource = {
        "resourceType": "Observation",
        "id": entry.id,
        "identifier": [codes.uri_identifier(entry.id)],
        "status": "final",
        "category": _category(),
        "code": {"coding": [codes.PAIN_SEVERITY], "text": "Pain intensity (0-10)"},
        "subject": subject,
        "effectiveDateTime": effective,
        "valueInteger": entry.intensity,
    }
    if entry.locations:
        # R4 allows one bodySite: the most distal location; every location is a component.
        resource["bodySite"] = body_site(entry.locations[-1])
    flags = _red_flags(entry)
    if flags:
        resource["hasMember"] = [
            reference(red_flag_observation_id(entry.id, flag.code)) for flag in flags
        ]
    components = _components(entry)
    if components:
        resource["component"] = components
    if entry.notes:
        resource["note"] = [{"text": entry.notes}]
    return resource


def red_flag_observation(
    entry: EntryRecord, flag: vocab.RedFlag, *, subject: dict[str, str]
) -> Resource:
    """One red-flag symptom of an entry, interpreted critical (AA), derived from the entry's
    pain Observation."""
    resource_id = red_flag_observation_id(entry.id, flag.code)
    return {
        "resourceType": "Observation",
        "id": resource_id,
        "identifier": [codes.uri_identifier(resource_id)],
        "status": "final",
        "category": _category(),
        "code": {"text": flag.label},
        "subject": subject,
        "effectiveDateTime": local_iso(entry.occurred_at, logged_zone(entry.timezone)),
        "valueBoolean": True,
        "interpretation": [
            {"coding": [codes.CRITICAL], "text": _SEVERITY_TEXT.get(flag.severity, flag.label)}
        ],
        "derivedFrom": [reference(entry.id)],
    }


def patient_resources(export: FhirExport) -> Iterator[Resource]:
    """The one Patient: the stable public id as identifier, no name, e-mail or contact."""
    public_id = str(export.patient.public_id)
    yield {
        "resourceType": "Patient",
        "id": public_id,
        "identifier": [codes.uri_identifier(public_id)],
    }


def entry_resources(export: FhirExport) -> Iterator[Resource]:
    """Per entry: its pain Observation, then one Observation per red flag."""
    subject = patient_reference(export)
    for entry in export.entries:
        yield pain_observation(entry, subject=subject)
        for flag in _red_flags(entry):
            yield red_flag_observation(entry, flag, subject=subject)


def _same_medicine(name: str) -> str:
    return " ".join(name.casefold().split())


def medication_status(treatments: tuple[TreatmentSnapshot, ...], index: int) -> str:
    """R4 MedicationStatement.status of one medication event among the patient's (oldest first).

    A stop is `stopped`. A start or change is `completed` once a later stop names the same
    medicine (case and spacing aside), else `active`: the patient said they take it since then.
    """
    event = treatments[index]
    if event.kind == "medication_stop":
        return "stopped"
    name = _same_medicine(event.name)
    later_stops = (t for t in treatments[index + 1 :] if t.kind == "medication_stop")
    if any(_same_medicine(stop.name) == name for stop in later_stops):
        return "completed"
    return "active"


def _treatment_notes(treatment: TreatmentSnapshot) -> list[dict[str, str]]:
    return [{"text": treatment.kind_label}] + (
        [{"text": treatment.notes}] if treatment.notes else []
    )


def medication_statement(export: FhirExport, index: int, *, subject: dict[str, str]) -> Resource:
    """A medicine started, stopped or changed, as the patient reported it."""
    treatment = export.treatments[index]
    resource_id = treatment_resource_id(export, treatment)
    return {
        "resourceType": "MedicationStatement",
        "id": resource_id,
        "identifier": [codes.uri_identifier(resource_id)],
        "status": medication_status(export.treatments, index),
        "category": {"coding": [codes.PATIENT_SPECIFIED]},
        "medicationCodeableConcept": {"text": treatment.name or treatment.kind_label},
        "subject": subject,
        # The day it started, stopped or changed: the event's day 0.
        "effectiveDateTime": treatment.started_on.isoformat(),
        "informationSource": subject,
        "note": _treatment_notes(treatment),
    }


def procedure(export: FhirExport, index: int, *, subject: dict[str, str]) -> Resource:
    """Physiotherapy, an injection, surgery or something else the patient had, on its day."""
    treatment = export.treatments[index]
    resource_id = treatment_resource_id(export, treatment)
    resource: Resource = {
        "resourceType": "Procedure",
        "id": resource_id,
        "identifier": [codes.uri_identifier(resource_id)],
        "status": "completed",
        "category": {"text": treatment.kind_label},
        "code": {"text": treatment.name or treatment.kind_label},
        "subject": subject,
        "performedDateTime": treatment.started_on.isoformat(),
        "asserter": subject,
    }
    if treatment.notes:
        resource["note"] = [{"text": treatment.notes}]
    return resource


def treatment_resources(export: FhirExport) -> Iterator[Resource]:
    """Per treatment event: a MedicationStatement for a medicine, else a Procedure."""
    subject = patient_reference(export)
    for index, treatment in enumerate(export.treatments):
        build = medication_statement if treatment.is_medication else procedure
        yield build(export, index, subject=subject)


def questionnaire_resources(export: FhirExport) -> Iterator[Resource]:
    """The check-in Questionnaire, once, in an export that holds any check-in."""
    if export.checkins:
        yield questionnaire.questionnaire_resource()


def _answer(link_id: str, text: str, answer: dict[str, Any]) -> dict[str, Any]:
    return {"linkId": link_id, "text": text, "answer": [answer]}


def questionnaire_response(
    export: FhirExport, checkin: CheckInSnapshot, *, subject: dict[str, str]
) -> Resource:
    """One week's check-in answers, against the Questionnaire the export carries."""
    resource_id = checkin_resource_id(export, checkin)
    answers = checkin.items()
    return {
        "resourceType": "QuestionnaireResponse",
        "id": resource_id,
        "identifier": codes.uri_identifier(resource_id),  # one Identifier, not a list, in R4
        "questionnaire": questionnaire.CANONICAL,
        "status": "completed",
        "subject": subject,
        # The Monday of the week the answers describe.
        "authored": checkin.week_of.isoformat(),
        "source": subject,
        "item": [
            *(
                _answer(item.code, item.question, {"valueInteger": answers[item.code]})
                for item in terms.CHECKIN_ITEMS
            ),
            _answer(
                questionnaire.TOTAL_LINK_ID,
                questionnaire.TOTAL_TEXT,
                {"valueInteger": checkin.total},
            ),
            _answer(
                "global_change",
                terms.GLOBAL_CHANGE_QUESTION,
                {"valueCoding": questionnaire.global_change_coding(checkin.global_change)},
            ),
        ],
    }


def checkin_resources(export: FhirExport) -> Iterator[Resource]:
    """Per weekly check-in: its QuestionnaireResponse."""
    subject = patient_reference(export)
    for checkin in export.checkins:
        yield questionnaire_response(export, checkin, subject=subject)
