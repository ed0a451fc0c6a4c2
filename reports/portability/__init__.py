"""Backups and portability: one patient's whole account as one JSON document, and back.

The document keeps entry UUIDs (clients and flag evidence refer to them) and every timestamp,
and leaves out the other primary keys: an import gives those rows new ones. `spec` lists what
the document holds; `export` and `restore` walk that list; `parsers` check each JSON value.
"""

from reports.portability.export import document_counts, user_export
from reports.portability.parsers import AccountExists, PortabilityError
from reports.portability.restore import Restored, user_import, user_restore
from reports.portability.spec import FORMAT, FORMAT_VERSION, READABLE_VERSIONS

__all__ = [
    "FORMAT",
    "FORMAT_VERSION",
    "READABLE_VERSIONS",
    "AccountExists",
    "PortabilityError",
    "Restored",
    "document_counts",
    "user_export",
    "user_import",
    "user_restore",
]
