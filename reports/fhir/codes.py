"""Terminology for the FHIR export: code systems, and our vocabulary's codes in them.

Every code here is published and fixed; no system or extension URL is ever built from
`SITE_URL` (a URL that differs per deployment means nothing to a receiving system).

Body sites (SNOMED CT). A region gets a code only where the code names that very structure,
taken from DOMAIN.md's list ("FHIR R4 mapping"); a code for a larger structure would say
something else (the inner ankle is not "Foot structure", the front of the thigh is not the
whole thigh), so those regions go as text only and keep their exact wording:

    coded        lower_back 37822005, buttock 46862004, saddle 38864007 (perineum: the area
                 between the legs, as the region's own label says), calf 53840002,
                 heel 76853006, foot_top 2402003 (dorsum of foot), foot_sole 57999000,
                 big_toe 78883009
    text only    hip, groin, knee, thigh_front, thigh_back, thigh_outer, shin, calf_outer,
    (could not   ankle_inner, ankle_outer, foot_inner_edge, foot_outer_edge, small_toes
    verify)      -- DOMAIN.md lists no code naming these structures, and we could not check
                 a SNOMED CT browser from here. DOMAIN.md's "thigh" 68367000, "lower leg"
                 30021000, "foot" 56459004 and "toe" 29707007 name larger structures than
                 any of our regions, so no region uses them.

Laterality: the mCODE Laterality Qualifier extension (its context of use includes
Observation.bodySite and CodeableConcept) with SNOMED CT 7771000 left, 24028007 right,
51440002 right and left, the codes of its value set; `center` has no laterality and gets
no extension.

Pain qualities: only DOMAIN.md's seven SNOMED CT codes; the other pain types are text only.
Red-flag symptoms: text only (DOMAIN.md lists no codes for them); the interpretation `AA`
(critical) is what a receiving system indexes and alerts on. The component code "Finding
site" 363698007 is the SNOMED CT attribute that relates a finding to a body structure.

Treatments: text only (the patient's own name for a medicine or a session; DOMAIN.md lists no
codes, and guessing a medicine's code from free text would state what the patient never said).
Medicines are `MedicationStatement`s in R4's own category `patientspecified` (the patient told
us); the other kinds are `Procedure`s whose category is the kind's label.
"""

from __future__ import annotations

from typing import Any

SNOMED = "http://snomed.info/sct"
LOINC = "http://loinc.org"
OBSERVATION_CATEGORY = "http://terminology.hl7.org/CodeSystem/observation-category"
MEDICATION_STATEMENT_CATEGORY = (
    "http://terminology.hl7.org/CodeSystem/medication-statement-category"
)
OBSERVATION_INTERPRETATION = "http://terminology.hl7.org/CodeSystem/v3-ObservationInterpretation"
LATERALITY_EXTENSION = "http://hl7.org/fhir/us/mcode/StructureDefinition/mcode-laterality-qualifier"
# Identifiers that are URIs in their own right (urn:uuid:...), as FHIR's core spec advises.
URI_SYSTEM = "urn:ietf:rfc:3986"


def coding(system: str, code: str, display: str) -> dict[str, str]:
    """A FHIR Coding."""
    return {"system": system, "code": code, "display": display}


PAIN_SEVERITY = coding(
    LOINC, "72514-3", "Pain severity - 0-10 verbal numeric rating [Score] - Reported"
)
SURVEY = coding(OBSERVATION_CATEGORY, "survey", "Survey")
FINDING_SITE = coding(SNOMED, "363698007", "Finding site")
CRITICAL = coding(OBSERVATION_INTERPRETATION, "AA", "Critical abnormal")
# A statement the patient made about their own medicine use (R4's own category code).
PATIENT_SPECIFIED = coding(MEDICATION_STATEMENT_CATEGORY, "patientspecified", "Patient Specified")

REGION_SNOMED: dict[str, tuple[str, str]] = {
    "lower_back": ("37822005", "Lower back structure"),
    "buttock": ("46862004", "Buttock structure"),
    "saddle": ("38864007", "Perineum structure"),
    "calf": ("53840002", "Calf of leg structure"),
    "heel": ("76853006", "Heel structure"),
    "foot_top": ("2402003", "Dorsum of foot structure"),
    "foot_sole": ("57999000", "Sole of foot structure"),
    "big_toe": ("78883009", "Great toe structure"),
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


def laterality_extension(side: str) -> list[dict[str, Any]]:
    """The mCODE laterality extension for a side; none for `center` (or anything unknown)."""
    if side not in SIDE_SNOMED:
        return []
    code, display = SIDE_SNOMED[side]
    return [
        {
            "url": LATERALITY_EXTENSION,
            "valueCodeableConcept": {"coding": [coding(SNOMED, code, display)]},
        }
    ]


def uri_identifier(uuid_text: str) -> dict[str, str]:
    """An Identifier whose value is the urn:uuid form of a UUID."""
    return {"system": URI_SYSTEM, "value": f"urn:uuid:{uuid_text}"}
