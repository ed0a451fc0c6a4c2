"""The FHIR R4 (4.0.1) export: pure functions from plain snapshots to a Bundle.

`snapshots` holds the data the selector hands over, `codes` the terminology, `resources`
one builder per kind of resource, `bundle` the Bundle around them (collection or transaction).

A new kind of record (treatments as MedicationStatement / Procedure, weekly check-ins as
QuestionnaireResponse) is: a field on `FhirExport` that `selectors.fhir_export_data` fills, one
builder function in `resources`, and its line in `bundle.BUILDERS`. Give each resource an `id`,
a urn:uuid identifier (`codes.uri_identifier`) and, where its type has one, a `subject`
(`patient_reference(export)`; a Questionnaire has none). The Bundle then lists it and the
transaction posts it conditionally, with no other change.
"""

from reports.fhir.bundle import BUNDLE_TYPES, bundle_build
from reports.fhir.snapshots import EntryRecord, FhirExport, PatientRecord

__all__ = ["BUNDLE_TYPES", "EntryRecord", "FhirExport", "PatientRecord", "bundle_build"]
