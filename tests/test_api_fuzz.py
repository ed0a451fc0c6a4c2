"""Schemathesis against the app's own OpenAPI schema, in this process through WSGI.

Every operation of /api/schema/ (but DELETE /api/me/, which would erase the fuzzing patient)
gets a bounded, derandomized run of generated requests — valid and invalid — sent with a
patient's token. Each response must be no 5xx, carry a documented status code and content
type, and match the documented body. Path ids are drawn partly from objects that exist: the
patient's own (so the success paths of detail views are fuzzed too) and an outsider's, which
must always answer 404.

What the served schema still lacks but the API rightly answers (CONTRACT §4) is listed in
SCHEMA_CORRECTIONS and added to the loaded schema, each entry naming the view change that
makes it unnecessary; `test_every_schema_correction_is_still_needed` fails as soon as the
served schema has one, so the list only shrinks. A 415 for a body of a type the operation
does not take is judged apart: drf-spectacular documents no 415.
"""

from __future__ import annotations

import copy
import json
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import pytest
import schemathesis
from django.core import signals
from django.core.wsgi import get_wsgi_application
from django.db import close_old_connections
from hypothesis import HealthCheck, settings
from hypothesis import strategies as st
from knox.models import AuthToken
from rest_framework.test import APIClient
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from diary.services.entries import EntryInput, entry_create
from diary.services.flags import patterns_refresh
from reports.services import share_link_create
from tests.factories import ContactFactory, UserFactory

SCHEMA_PATH = "/api/schema/"
MAX_EXAMPLES = 25
CHECKS = [
    not_a_server_error,
    status_code_conformance,
    content_type_conformance,
    response_schema_conformance,
]

# --- the served schema and what it still lacks ------------------------------------------------

ERROR_SCHEMA = {
    "type": "object",
    "description": 'An error: {"detail": "..."} or {"field": ["message", ...]}.',
    "additionalProperties": True,
}


@dataclass(frozen=True)
class Correction:
    """One thing the served schema lacks, and the change to the view that would add it."""

    method: str
    path: str
    fix: str  # where the real fix goes
    statuses: tuple[int, ...] = ()  # error responses to document
    patch: Callable[[dict[str, Any]], None] | None = None  # other corrections of the operation
    needed: Callable[[dict[str, Any]], bool] | None = None  # is `patch` still missing?


def _paginate_entries(operation: dict[str, Any]) -> None:
    body = operation["responses"]["200"]["content"]["application/json"]
    body["schema"] = {
        "type": "object",
        "required": ["count", "results"],
        "properties": {
            "count": {"type": "integer"},
            "next": {"type": "string", "format": "uri", "nullable": True},
            "previous": {"type": "string", "format": "uri", "nullable": True},
            "results": {"type": "array", "items": {"$ref": "#/components/schemas/Entry"}},
        },
    }
    operation.setdefault("parameters", []).extend(
        {"in": "query", "name": name, "required": False, "schema": {"type": "integer"}}
        for name in ("page", "page_size")
    )


def _entries_unpaginated(operation: dict[str, Any]) -> bool:
    schema = operation["responses"]["200"]["content"]["application/json"]["schema"]
    return schema.get("type") == "array"


def _no_time_format(raw: dict[str, Any]) -> None:
    for name in ("Me", "PatchedMe"):
        properties = raw["components"]["schemas"].get(name, {}).get("properties", {})
        field = properties.get("reminder_time")
        if field and field.get("format") == "time":
            field.pop("format")
            field["pattern"] = r"^([01]\d|2[0-3]):[0-5]\d(:[0-5]\d(\.\d+)?)?$"


def _reminder_time_is_rfc3339(raw: dict[str, Any]) -> bool:
    me = raw["components"]["schemas"]["Me"]["properties"]["reminder_time"]
    return me.get("format") == "time"


SCHEMA_CORRECTIONS: tuple[Correction, ...] = ()
# `reminder_time` is "HH:MM[:SS]" local time; OpenAPI's format "time" (RFC 3339 full-time)
# needs an offset. Fix: diary/api/serializers.py MeSerializer.reminder_time with
# @extend_schema_field({"type": "string", "pattern": ..., "nullable": True}).
SCHEMA_WIDE_CORRECTIONS: tuple = ()


def _operation(raw: dict[str, Any], correction: Correction) -> dict[str, Any]:
    return raw["paths"][correction.path][correction.method.lower()]


def _missing_statuses(raw: dict[str, Any], correction: Correction) -> list[int]:
    documented = _operation(raw, correction)["responses"]
    return [code for code in correction.statuses if str(code) not in documented]


def corrected(raw: dict[str, Any]) -> dict[str, Any]:
    """The served schema with SCHEMA_CORRECTIONS applied."""
    raw = copy.deepcopy(raw)
    raw["components"]["schemas"].setdefault("FuzzError", ERROR_SCHEMA)
    error = {
        "description": "Error",
        "content": {"application/json": {"schema": {"$ref": "#/components/schemas/FuzzError"}}},
    }
    for correction in SCHEMA_CORRECTIONS:
        operation = _operation(raw, correction)
        for code in _missing_statuses(raw, correction):
            operation["responses"][str(code)] = copy.deepcopy(error)
        if correction.patch and correction.needed and correction.needed(operation):
            correction.patch(operation)
    for patch, needed in SCHEMA_WIDE_CORRECTIONS:
        if needed(raw):
            patch(raw)
    return raw


def served_schema() -> dict[str, Any]:
    response = APIClient().get(SCHEMA_PATH, HTTP_ACCEPT="application/vnd.oai.openapi+json")
    assert response.status_code == 200
    return json.loads(response.content)


def _load() -> schemathesis.schemas.BaseSchema:
    # Loaded through WSGI exactly as from_wsgi does, then corrected before use.
    app = get_wsgi_application()
    schema = schemathesis.openapi.from_wsgi(SCHEMA_PATH, app)
    fixed = schemathesis.openapi.from_dict(corrected(schema.raw_schema))
    fixed.app = app
    fixed.location = SCHEMA_PATH
    return fixed.exclude(method="DELETE", path="/api/me/")


schema = _load()

# --- real objects for path ids ----------------------------------------------------------------

# Filled by the `patient` fixture before each operation's examples are drawn.
OWN_IDS: dict[str, list[Any]] = {}
OUTSIDER_IDS: dict[str, list[Any]] = {}


def _seed(user) -> dict[str, list[Any]]:
    ContactFactory(user=user)
    red = EntryInput(intensity=6, locations=(("saddle", "center"),), red_flags=("bladder_bowel",))
    entry, _ = entry_create(user=user, data=red)
    plain, _ = entry_create(user=user, data=EntryInput(intensity=3, locations=(("calf", "left"),)))
    patterns_refresh(user=user)
    share = share_link_create(user=user).link
    return {
        "/api/contacts/{id}/": list(user.contacts.values_list("pk", flat=True)),
        "/api/entries/{id}/": [str(entry.pk), str(plain.pk)],
        "/api/flags/{id}/acknowledge/": list(user.flags.values_list("pk", flat=True)),
        "/api/shares/{id}/": [share.pk],
    }


@schema.hook
def flatmap_path_parameters(context, path_parameters):
    """Half the time, the id of an object that exists: the patient's own or an outsider's."""
    path = context.operation.path
    known = OWN_IDS.get(path, []) + OUTSIDER_IDS.get(path, [])
    if not path_parameters or "id" not in path_parameters or not known:
        return st.just(path_parameters)
    return st.one_of(
        st.just(path_parameters),
        st.sampled_from(known).map(lambda pk: {**path_parameters, "id": pk}),
    )


def _unsupported_media_type(case, response) -> bool:
    """A 415 for a body sent as a type the operation does not take (or untyped) is right.

    drf-spectacular documents no 415. Schemathesis sends some invalid multipart bodies as raw
    text without any Content-Type, and tries undocumented types on purpose.
    """
    if response.status_code != 415:
        return False
    operation = case.operation.schema.raw_schema["paths"][case.path][case.method.lower()]
    documented = operation.get("requestBody", {}).get("content", {}).keys()
    sent = response.request.headers.get("Content-Type", "").split(";")[0].strip()
    raw_multipart = "multipart" in (case.media_type or "") and isinstance(case.body, str | bytes)
    return raw_multipart or sent not in documented


@pytest.fixture
def patient(db):
    outsider = UserFactory(email="outsider-fuzz@example.com", timezone="America/New_York")
    user = UserFactory(email="fuzz@example.com", timezone="Europe/London")
    OUTSIDER_IDS.update(_seed(outsider))
    OWN_IDS.update(_seed(user))
    # As Django's test client does: a request must not close the test's connection.
    signals.request_started.disconnect(close_old_connections)
    signals.request_finished.disconnect(close_old_connections)
    try:
        yield user
    finally:
        signals.request_started.connect(close_old_connections)
        signals.request_finished.connect(close_old_connections)
        OWN_IDS.clear()
        OUTSIDER_IDS.clear()


# --- the tests ----------------------------------------------------------------------------------


@pytest.mark.timeout(120)
@schema.parametrize()
@settings(
    max_examples=MAX_EXAMPLES,
    deadline=None,
    derandomize=True,
    database=None,
    suppress_health_check=list(HealthCheck),
)
def test_the_api_answers_every_generated_request_as_documented(case, patient):
    # A fresh token per case: logout and the password change revoke the one they were sent.
    _, token = AuthToken.objects.create(user=patient)
    # The WSGI transport hands back the body as sent and would not unzip a gzip answer;
    # compression has its own tests (tests/config/test_compression.py).
    response = case.call(headers={"Authorization": f"Token {token}", "Accept-Encoding": "identity"})
    checks = CHECKS
    if _unsupported_media_type(case, response):
        checks = [not_a_server_error]
    case.validate_response(response, checks=checks)
    outsider_ids = {str(pk) for pk in OUTSIDER_IDS.get(case.path, [])}
    if str((case.path_parameters or {}).get("id")) in outsider_ids:
        assert response.status_code == 404, "another patient's object must look missing"


@pytest.mark.django_db
def test_every_schema_correction_is_still_needed():
    raw = served_schema()
    stale = [
        f"{c.method} {c.path}: now documents {c.statuses}"
        for c in SCHEMA_CORRECTIONS
        if c.statuses and not _missing_statuses(raw, c)
    ]
    stale += [
        f"{c.method} {c.path}: {c.patch.__name__} no longer needed"
        for c in SCHEMA_CORRECTIONS
        if c.patch and c.needed and not c.needed(_operation(raw, c))
    ]
    stale += [patch.__name__ for patch, needed in SCHEMA_WIDE_CORRECTIONS if not needed(raw)]
    assert not stale, f"the served schema has these now; drop them from the corrections: {stale}"
