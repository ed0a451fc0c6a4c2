"""The Bundle around the resources: `collection` (a document to keep) or `transaction` (what a
FHIR server loads as is)."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from datetime import UTC, datetime
from typing import Any

from reports.fhir import resources
from reports.fhir.resources import Resource
from reports.fhir.snapshots import FhirExport

# Each builder yields the resources of one kind; the Bundle lists them in this order.
BUILDERS: tuple[Callable[[FhirExport], Iterable[Resource]], ...] = (
    resources.patient_resources,
    resources.entry_resources,
    resources.treatment_resources,
    resources.questionnaire_resources,
    resources.checkin_resources,
)
BUNDLE_TYPES: tuple[str, ...] = ("collection", "transaction")


def _identifier_query(resource: Resource) -> str | None:
    # A conditional create: loading the same export twice finds the resources it made.
    found = resource.get("identifier")
    identifier = found[0] if isinstance(found, list) and found else found
    if not isinstance(identifier, dict):
        return None
    return f"identifier={identifier['system']}|{identifier['value']}"


def transaction_entry(resource: Resource) -> dict[str, Any]:
    """A transaction entry: POST to the type, by the resource's urn:uuid fullUrl."""
    body = {key: value for key, value in resource.items() if key != "id"}
    request: dict[str, str] = {"method": "POST", "url": resource["resourceType"]}
    query = _identifier_query(resource)
    if query:
        request["ifNoneExist"] = query
    # A server gives created resources ids of its own and rewrites the urn:uuid references.
    return {"fullUrl": f"urn:uuid:{resource['id']}", "resource": body, "request": request}


def bundle_build(
    export: FhirExport, *, bundle_type: str, bundle_id: str, now: datetime
) -> dict[str, Any]:
    """A FHIR R4 Bundle of the export: one Patient, then each builder's resources."""
    if bundle_type not in BUNDLE_TYPES:
        raise ValueError(f"unknown Bundle type {bundle_type!r}")
    built = [resource for build in BUILDERS for resource in build(export)]
    if bundle_type == "transaction":
        entries = [transaction_entry(resource) for resource in built]
    else:
        entries = [{"fullUrl": f"urn:uuid:{r['id']}", "resource": r} for r in built]
    return {
        "resourceType": "Bundle",
        "id": bundle_id,
        "type": bundle_type,
        "timestamp": now.astimezone(UTC).replace(microsecond=0).isoformat(),
        "entry": entries,
    }
