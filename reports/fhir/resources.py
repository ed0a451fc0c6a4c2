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

from diary import vocabulary as vocab
from diary.rules.base import Location
from reports.fhir import codes
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
