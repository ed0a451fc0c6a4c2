"""The FHIR R4 (4.0.1) export: pure functions from plain snapshots to a Bundle.

`snapshots` holds the data the selector hands over, `codes` the terminology, `resources`
one builder per kind of resource, `questionnaire` the weekly check-in's Questionnaire, `bundle`
the Bundle around them (collection or transaction).

A new kind of record is: a field on `FhirExport` that `selectors.fhir_export_data` fills, one
builder function in `resources`, and its line in `bundle.BUILDERS` (so were treatments, as
MedicationStatement / Procedure, and weekly check-ins, as QuestionnaireResponse). Give each
resource an `id`, a urn:uuid identifier (`codes.uri_identifier`) and, where its type has one,
a `subject` (`patient_reference(export)`; a Questionnaire has none). The Bundle then lists it
and the transaction posts it conditionally, with no other change.
"""

from reports.fhir.bundle import BUNDLE_TYPES, bundle_build
from reports.fhir.snapshots import EntryRecord, FhirExport, PatientRecord

__all__ = ["BUNDLE_TYPES", "EntryRecord", "FhirExport", "PatientRecord", "bundle_build"]
