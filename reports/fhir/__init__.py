"""The FHIR R4 (4.0.1) export: pure functions from plain snapshots to a Bundle.

`snapshots` holds the data the selector hands over, `codes` the terminology, `resources`
one builder per kind of resource, `bundle` the Bundle around them (collection or transaction).
"""

from reports.fhir.bundle import BUNDLE_TYPES, bundle_build
from reports.fhir.snapshots import EntryRecord, FhirExport, PatientRecord

__all__ = ["BUNDLE_TYPES", "EntryRecord", "FhirExport", "PatientRecord", "bundle_build"]
