"""Walk every URL in the URL conf as a stranger and as another patient: nothing private leaks."""

from __future__ import annotations

import re

import pytest
from django.urls import URLPattern, URLResolver, get_resolver

from diary.models import Flag, Follow, Invitation
from tests.factories import (
    CheckInFactory,
    ClinicianFactory,
    ContactFactory,
    EntryFactory,
    FollowFactory,
    TreatmentEventFactory,
)

pytestmark = pytest.mark.django_db

SECRET_NOTE = "zebra-kumquat-private-note"
# Paths anyone may open; everything else must refuse strangers and other patients.
PUBLIC = {
    "healthz/",
    "login/",
    "signup/",
    "password-reset/",
    "password-reset/sent/",
    "password-reset/complete/",
    "password-reset/<uidb64>/<token>/",
    "api/schema/",
    "api/docs/",
    "api/auth/register/",
    "api/auth/token/",
    "api/vocabulary/",
    "r/<str:token>/",
    "r/<str:token>/pdf/",
    "stop/<str:token>/",
    "r/<str:token>/csv/",
    "r/<str:token>/fhir/",
    "logout/",
    # The installable app's files (CONTRACT §6): the same bytes for everyone, no patient data.
    "sw.js",
    "manifest.webmanifest",
    "favicon.ico",
}
REFUSED = {302, 401, 403, 404, 405}


def all_patterns(resolver: URLResolver | None = None, prefix: str = "") -> list[str]:
    resolver = resolver or get_resolver()
    found: list[str] = []
    for item in resolver.url_patterns:
        route = prefix + str(item.pattern)
        if isinstance(item, URLResolver):
            found.extend(all_patterns(item, route))
        elif isinstance(item, URLPattern):
            found.append(route)
    return found


def fill(route: str, ids: dict[str, str]) -> str:
    """Turn a route like `entries/<uuid:pk>/edit/` into a concrete path to the owner's object."""
    path = route.lstrip("^").rstrip("$")

    def value(match: re.Match[str]) -> str:
        converter, name = (match.group(1) or "str"), match.group(2)
        if converter == "uuid":
            return ids["uuid"]
        if "token" in name:
            return "not-a-real-token-" + "x" * 30
        if name == "uidb64":
            return "MQ"
        if "clinician/patients" in path:
            return ids["patient"]
        return ids.get(path.removeprefix("api/").split("/")[0], ids["int"])

    return "/" + re.sub(r"<(?:(\w+):)?(\w+)>", value, path)


@pytest.fixture
def owner_data(user):
    entry = EntryFactory(user=user, notes=SECRET_NOTE, red_flags=["foot_drop"])
    contact = ContactFactory(user=user, name=SECRET_NOTE)
    ids = {"uuid": str(entry.pk), "int": str(contact.pk)}
    flag = Flag.objects.create(
        user=user,
        code="motor_weakness",
        severity="urgent",
        title=SECRET_NOTE,
        explanation=SECRET_NOTE,
        source="x",
        evidence=[str(entry.pk)],
    )
    ids["flags"] = str(flag.pk)
    ids["treatments"] = str(
        TreatmentEventFactory(user=user, name=SECRET_NOTE, notes=SECRET_NOTE).pk
    )
    CheckInFactory(user=user)
    # The owner is followed by their own clinician; the walkers are everyone else.
    FollowFactory(patient=user, contact=contact, share_notes=True)
    ids["patient"] = str(user.pk)
    return ids


def private_routes() -> list[str]:
    routes = []
    for route in all_patterns():
        if route.startswith(("admin/", "static/")) or route in PUBLIC:
            continue
        routes.append(route)
    return routes


def test_the_walk_covers_the_private_parts_of_the_app():
    routes = private_routes()
    for expected in ["api/me/", "api/entries/", "entries/", "account/", "api/treatments/"]:
        assert any(r.endswith(expected) or r == expected for r in routes), expected
    # The patient's side of following on the account page (CONTRACT §7).
    for expected in [
        "account/contacts/<int:pk>/invite/",
        "account/contacts/<int:pk>/follow/notes/",
        "account/contacts/<int:pk>/follow/stop/",
    ]:
        assert expected in routes, expected
    assert len(routes) >= 15


@pytest.mark.parametrize("method", ["get", "post", "patch", "delete"])
def test_strangers_are_refused_everywhere_private(client, owner_data, method):
    for route in private_routes():
        path = fill(route, owner_data)
        response = getattr(client, method)(path, content_type="application/json")
        assert response.status_code in REFUSED, (method, path, response.status_code)
        assert SECRET_NOTE.encode() not in response.content, (method, path)
        if path.startswith("/api/") and response.status_code != 404:
            assert response.status_code in {401, 405}, (method, path)


@pytest.mark.parametrize("method", ["get", "post", "patch", "delete"])
def test_another_patient_never_sees_the_owners_data(client, other_user, owner_data, method):
    client.force_login(other_user)
    for route in private_routes():
        path = fill(route, owner_data)
        data = None if method == "get" else "{}"
        response = getattr(client, method)(path, data=data, content_type="application/json")
        assert SECRET_NOTE.encode() not in response.content, (method, path, response.status_code)
        if owner_data["uuid"] in path or any(
            f"/{owner_data[k]}/" in path
            for k in ("int", "flags", "treatments", "patient")
            if k in owner_data
        ):
            assert response.status_code in REFUSED | {400}, (method, path, response.status_code)


@pytest.mark.parametrize("method", ["get", "post", "patch", "delete"])
def test_another_clinician_never_sees_the_owners_data(client, owner_data, method):
    client.force_login(ClinicianFactory())
    for route in private_routes():
        path = fill(route, owner_data)
        data = None if method == "get" else "{}"
        response = getattr(client, method)(path, data=data, content_type="application/json")
        assert SECRET_NOTE.encode() not in response.content, (method, path, response.status_code)
        if f"clinician/patients/{owner_data['patient']}/" in path:
            # 302 once the walk's own DELETE /api/me/ has erased the walking account.
            assert response.status_code in {302, 404, 405}, (method, path, response.status_code)


def test_the_owners_data_is_intact_after_the_walk(client, other_user, owner_data, user):
    client.force_login(other_user)
    for route in private_routes():
        client.delete(fill(route, owner_data))
        client.post(fill(route, owner_data))
    assert user.entries.count() == 1
    assert user.contacts.count() == 1
    assert (user.treatments.count(), user.checkins.count()) == (1, 1)
    # Nobody else invited the owner's contact, changed the follow's note sharing or ended it.
    follow = Follow.objects.get(patient=user)
    assert (follow.ended_at, follow.share_notes) == (None, True)
    assert not Invitation.objects.exists()


def test_every_private_answer_to_the_owner_is_never_stored(client, user, owner_data):
    client.force_login(user)
    for route in private_routes():
        path = fill(route, owner_data)
        response = client.get(path)
        assert response["Cache-Control"] == "no-store", (path, response.status_code)


def test_the_admin_is_not_in_the_walk_unless_enabled():
    assert not [route for route in all_patterns() if route.startswith("admin/")]


def test_no_api_token_is_stored_in_clear_anywhere(client, user, password):
    from django.apps import apps
    from django.db import connection

    token = client.post(
        "/api/auth/token/",
        {"email": user.email, "password": password},
        content_type="application/json",
    ).json()["token"]
    client.get("/api/me/", HTTP_AUTHORIZATION=f"Token {token}")
    with connection.cursor() as cursor:
        for model in apps.get_models():
            columns = [
                f.column
                for f in model._meta.concrete_fields
                if f.get_internal_type() in {"CharField", "TextField", "EmailField", "JSONField"}
            ]
            if not columns:
                continue
            table = connection.ops.quote_name(model._meta.db_table)
            for column in columns:
                cursor.execute(
                    f"SELECT COUNT(*) FROM {table} WHERE CAST({connection.ops.quote_name(column)} AS TEXT) LIKE %s",  # noqa: E501, S608
                    [f"%{token[15:]}%"],
                )
                assert cursor.fetchone()[0] == 0, (model.__name__, column)
