"""The patient's data out: CSV rows and a FHIR R4 Bundle, built from loaded entries.

Pure apart from reading model attributes: the selector loads entries with their locations,
these functions only shape them.
"""

from __future__ import annotations

import csv
import hashlib
import hmac
import io
import uuid
import zoneinfo
from collections.abc import Iterable, Iterator
from datetime import datetime
from typing import Any

from diary import vocabulary as vocab
from diary.models import Entry, User

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

SNOMED = "http://snomed.info/sct"
LOINC = "http://loinc.org"
OBSERVATION_CATEGORY = "http://terminology.hl7.org/CodeSystem/observation-category"
PAIN_SEVERITY = {
    "system": LOINC,
    "code": "72514-3",
    "display": "Pain severity - 0-10 verbal numeric rating [Score] - Reported",
}
# SNOMED CT attribute concepts for the location and laterality components.
FINDING_SITE = {"system": SNOMED, "code": "363698007", "display": "Finding site"}
LATERALITY = {"system": SNOMED, "code": "272741003", "display": "Laterality"}

# Each region to the nearest body structure DOMAIN.md lists; `text` keeps the exact region.
# Hip, groin and knee have no listed code that contains them, so they go as text only
# rather than under a wrong structure.
REGION_SNOMED: dict[str, tuple[str, str]] = {
    "lower_back": ("37822005", "Lower back structure"),
    "buttock": ("46862004", "Buttock structure"),
    "saddle": ("38864007", "Perineum structure"),
    "thigh_front": ("68367000", "Thigh structure"),
    "thigh_back": ("68367000", "Thigh structure"),
    "thigh_outer": ("68367000", "Thigh structure"),
    "shin": ("30021000", "Lower leg structure"),
    "calf": ("53840002", "Calf of leg structure"),
    "calf_outer": ("53840002", "Calf of leg structure"),
    "ankle_inner": ("56459004", "Foot structure"),
    "ankle_outer": ("56459004", "Foot structure"),
    "heel": ("76853006", "Heel structure"),
    "foot_top": ("2402003", "Dorsum of foot structure"),
    "foot_sole": ("57999000", "Sole of foot structure"),
    "foot_inner_edge": ("56459004", "Foot structure"),
    "foot_outer_edge": ("56459004", "Foot structure"),
    "big_toe": ("78883009", "Great toe structure"),
    "small_toes": ("29707007", "Toe structure"),
}
SIDE_SNOMED: dict[str, tuple[str, str]] = {
    "left": ("7771000", "Left"),
    "right": ("24028007", "Right"),
    "both": ("51440002", "Right and left"),
}
PAIN_TYPE_SNOMED: dict[str, tuple[str, str]] = {
    "aching": ("27635008", "Aching pain"),
    "burning": ("36349006", "Burning pain"),
    "cramping": ("279093005", "Cramping pain"),
    "throbbing": ("29695002", "Throbbing pain"),
    "tingling": ("786837007", "Tingling sensation"),
    "numbness": ("44077006", "Numbness"),
    "pins_needles": ("62507009", "Pins and needles"),
}
_SIDE_LABEL = {s.code: s.label for s in vocab.SIDES}
_ACTIVITY_LABEL = {a.code: a.label for a in vocab.ACTIVITIES}
_CONTEXT_LABEL = {c.code: c.label for c in vocab.CONTEXT_TAGS}
_TIMING_LABEL = {t.code: t.label for t in vocab.TIMINGS}


def safe_cell(value: object) -> object:
    """Prefix text a spreadsheet would run as a formula with a quote; other values unchanged."""
    if isinstance(value, str) and value.startswith(_FORMULA_STARTS):
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


_PAIN_LABEL = {p.code: p.label for p in vocab.PAIN_TYPES}
_RED_FLAG_LABEL = {f.code: f.label for f in vocab.RED_FLAGS}


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


def patient_urn(user: User, secret: str) -> str:
    """A stable urn:uuid for the patient that does not reveal the database id."""
    digest = hmac.new(secret.encode(), f"fhir-patient:{user.pk}".encode(), hashlib.sha256)
    return f"urn:uuid:{uuid.UUID(bytes=digest.digest()[:16], version=4)}"


def _coding(system: str, code: str, display: str) -> dict[str, str]:
    return {"system": system, "code": code, "display": display}


def body_site(region: str, side: str, laterality_url: str) -> dict[str, Any]:
    """A CodeableConcept for one location: SNOMED site when listed, laterality as extension."""
    label = vocab.REGION_BY_CODE[region].label
    concept: dict[str, Any] = {"text": f"{label}, {_SIDE_LABEL.get(side, side).lower()}"}
    if region in REGION_SNOMED:
        code, display = REGION_SNOMED[region]
        concept["coding"] = [_coding(SNOMED, code, display)]
    if side in SIDE_SNOMED:
        code, display = SIDE_SNOMED[side]
        # R4 has no laterality element on bodySite; an extension keeps the site code clean.
        concept["extension"] = [
            {
                "url": laterality_url,
                "valueCodeableConcept": {"coding": [_coding(SNOMED, code, display)]},
            }
        ]
    return concept


def _text_component(code_text: str, value_text: str) -> dict[str, Any]:
    return {"code": {"text": code_text}, "valueCodeableConcept": {"text": value_text}}


def observation(
    entry: Entry, *, subject: dict[str, Any], laterality_url: str, zone: zoneinfo.ZoneInfo
) -> dict[str, Any]:
    """One entry as an R4 Observation: 0-10 intensity, sites, qualities and context."""
    locations = _locations(entry)
    components: list[dict[str, Any]] = []
    for region, side in locations:
        components.append(
            {
                "code": {"coding": [FINDING_SITE], "text": "Location"},
                "valueCodeableConcept": body_site(region, side, laterality_url),
            }
        )
    for code in entry.pain_types or ():
        pain = vocab.PAIN_TYPE_BY_CODE.get(code)
        if pain is None:
            continue
        value: dict[str, Any] = {"text": pain.label}
        if code in PAIN_TYPE_SNOMED:
            snomed, display = PAIN_TYPE_SNOMED[code]
            value["coding"] = [_coding(SNOMED, snomed, display)]
        components.append({"code": {"text": "Pain quality"}, "valueCodeableConcept": value})
    if entry.activity in _ACTIVITY_LABEL:
        components.append(_text_component("Activity when worst", _ACTIVITY_LABEL[entry.activity]))
    if entry.timing in _TIMING_LABEL:
        components.append(_text_component("Time of day", _TIMING_LABEL[entry.timing]))
    for code in entry.red_flags or ():
        if code in vocab.RED_FLAG_BY_CODE:
            components.append(
                _text_component("Red-flag symptom", vocab.RED_FLAG_BY_CODE[code].label)
            )
    for code in entry.context or ():
        if code in _CONTEXT_LABEL:
            components.append(_text_component("Context", _CONTEXT_LABEL[code]))

    resource: dict[str, Any] = {
        "resourceType": "Observation",
        "id": str(entry.id),
        "status": "final",
        "category": [
            {"coding": [_coding(OBSERVATION_CATEGORY, "survey", "Survey")]},
            # HL7 Symptoms IG style; no verified code system for "symptom", so text only.
            {"text": "Symptom"},
        ],
        "code": {"coding": [PAIN_SEVERITY], "text": "Pain intensity (0-10)"},
        "subject": subject,
        "effectiveDateTime": _local_iso(entry.occurred_at, zone),
        "valueInteger": entry.intensity,
    }
    if locations:
        # R4 allows one bodySite: the most distal location; every location is a component.
        region, side = locations[-1]
        resource["bodySite"] = body_site(region, side, laterality_url)
    if components:
        resource["component"] = components
    if entry.notes:
        resource["note"] = [{"text": entry.notes}]
    return resource


def fhir_bundle(
    entries: Iterable[Entry], *, user: User, secret: str, site_url: str, now: datetime
) -> dict[str, Any]:
    """A FHIR R4 Bundle (type collection) with one Observation per entry."""
    zone = user.zone
    subject = {
        "identifier": {"system": "urn:ietf:rfc:3986", "value": patient_urn(user, secret)},
        "display": user.email,
    }
    laterality_url = f"{site_url}/fhir/StructureDefinition/laterality"
    return {
        "resourceType": "Bundle",
        "id": str(uuid.uuid4()),
        "type": "collection",
        "timestamp": _local_iso(now, zone),
        "entry": [
            {
                "fullUrl": f"urn:uuid:{entry.id}",
                "resource": observation(
                    entry, subject=subject, laterality_url=laterality_url, zone=zone
                ),
            }
            for entry in entries
        ],
    }
