"""Register, token, /api/me/ and contacts (CONTRACT §4)."""

from __future__ import annotations

import pytest
from django.apps import apps
from django.test import override_settings
from knox.crypto import hash_token
from knox.models import AuthToken
from rest_framework.test import APIClient

from diary.models import Contact, User
from tests.factories import (
    TEST_PASSWORD,
    CheckInFactory,
    ContactFactory,
    EntryFactory,
    TreatmentEventFactory,
)

pytestmark = pytest.mark.django_db
STRONG = "a-long-unusual-passphrase-42"


def test_registering_returns_the_new_account(anon_client):
    response = anon_client.post(
        "/api/auth/register/",
        {"email": "New@Example.com", "password": STRONG, "timezone": "Europe/Berlin"},
        format="json",
    )
    assert response.status_code == 201
    body = response.json()
    assert body == {"id": body["id"], "email": "new@example.com", "timezone": "Europe/Berlin"}
    assert User.objects.get(pk=body["id"]).check_password(STRONG)


def test_registering_defaults_the_time_zone_to_utc(anon_client):
    response = anon_client.post(
        "/api/auth/register/", {"email": "a@example.com", "password": STRONG}, format="json"
    )
    assert response.status_code == 201
    assert response.json()["timezone"] == "UTC"


@pytest.mark.parametrize(
    ("payload", "field"),
    [
        ({"email": "patient@example.com", "password": STRONG}, "email"),
        ({"email": "PATIENT@example.com", "password": STRONG}, "email"),
        ({"email": "b@example.com", "password": "123"}, "password"),
        ({"email": "b@example.com", "password": "password123"}, "password"),
        ({"email": "b@example.com", "password": STRONG, "timezone": "Mars/Olympus"}, "timezone"),
        ({"email": "not-an-email", "password": STRONG}, "email"),
        ({"password": STRONG}, "email"),
    ],
)
def test_registering_with_bad_input_names_the_field(anon_client, user, payload, field):
    response = anon_client.post("/api/auth/register/", payload, format="json")
    assert response.status_code == 400
    assert field in response.json()


def test_malformed_json_is_a_400_not_a_500(anon_client):
    response = anon_client.post(
        "/api/auth/register/", data="{not json", content_type="application/json"
    )
    assert response.status_code == 400
    assert "detail" in response.json()


def test_a_token_is_issued_for_the_right_password(anon_client, user, password):
    response = anon_client.post(
        "/api/auth/token/", {"email": "PATIENT@example.com", "password": password}, format="json"
    )
    assert response.status_code == 200
    token = response.json()["token"]
    # Stored as a digest only (CONTRACT §4): no column holds the token itself.
    stored = AuthToken.objects.get(user=user)
    assert stored.digest == hash_token(token)
    assert token not in {stored.digest, stored.token_key}
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {token}")
    assert client.get("/api/me/").json()["email"] == "patient@example.com"


def test_a_wrong_password_gets_401(anon_client, user):
    response = anon_client.post(
        "/api/auth/token/", {"email": user.email, "password": "wrong-password"}, format="json"
    )
    assert response.status_code == 401
    assert "detail" in response.json()


@override_settings(LOGIN_FAILURE_LIMIT=3)
def test_repeated_failures_lock_the_account_even_for_the_right_password(
    anon_client, user, password
):
    for _ in range(3):
        anon_client.post(
            "/api/auth/token/", {"email": user.email, "password": "nope"}, format="json"
        )
    response = anon_client.post(
        "/api/auth/token/", {"email": user.email, "password": password}, format="json"
    )
    assert response.status_code == 429
    assert "Too many failed attempts" in response.json()["detail"]


def test_the_token_endpoint_is_throttled_per_client(anon_client, user, password):
    statuses = [
        anon_client.post(
            "/api/auth/token/", {"email": f"x{i}@example.com", "password": "x"}, format="json"
        ).status_code
        for i in range(12)
    ]
    assert statuses[:10] == [401] * 10
    assert statuses[10:] == [429, 429]


@pytest.mark.parametrize(
    ("method", "path"),
    [
        ("get", "/api/me/"),
        ("patch", "/api/me/"),
        ("delete", "/api/me/"),
        ("get", "/api/contacts/"),
        ("post", "/api/contacts/"),
        ("get", "/api/contacts/1/"),
        ("get", "/api/entries/"),
        ("post", "/api/entries/"),
    ],
)
def test_private_endpoints_answer_401_without_credentials(anon_client, method, path):
    response = getattr(anon_client, method)(path, {}, format="json")
    assert response.status_code == 401


def test_me_shows_and_changes_the_patients_settings(api_client):
    assert api_client.get("/api/me/").json() == {
        "email": "patient@example.com",
        "timezone": "Europe/London",
        "alert_email": "",
        "reminder_time": None,
        "display_name": "",
    }
    # Changing alert_email needs the password since CONTRACT §4's re-authentication.
    response = api_client.patch(
        "/api/me/",
        {
            "timezone": "Asia/Tokyo",
            "alert_email": "alerts@example.com",
            "reminder_time": "20:30",
            "current_password": TEST_PASSWORD,
        },
        format="json",
    )
    assert response.status_code == 200
    assert response.json()["timezone"] == "Asia/Tokyo"
    assert response.json()["reminder_time"] == "20:30:00"


def test_me_rejects_an_unknown_time_zone_and_ignores_email_changes(api_client, user):
    response = api_client.patch("/api/me/", {"timezone": "Nowhere/City"}, format="json")
    assert response.status_code == 400
    assert "timezone" in response.json()
    api_client.patch("/api/me/", {"email": "hijack@example.com"}, format="json")
    user.refresh_from_db()
    assert user.email == "patient@example.com"


def test_deleting_the_account_leaves_no_row_of_its_data(api_client, user, other_user):
    EntryFactory(user=user, red_flags=["foot_drop"], locations=[("foot_top", "left")])
    ContactFactory(user=user)
    TreatmentEventFactory(user=user)
    CheckInFactory(user=user)
    AuthToken.objects.create(user=user)
    EntryFactory(user=other_user)
    before_other = EntryFactory._meta.model.objects.filter(user=other_user).count()

    # Erasure needs the password since CONTRACT §4's re-authentication.
    response = api_client.delete("/api/me/", {"password": TEST_PASSWORD}, format="json")
    assert response.status_code == 204

    assert not User.objects.filter(pk=user.pk).exists()
    for model in apps.get_models():
        user_fields = [
            f.name
            for f in model._meta.get_fields()
            if f.is_relation and f.many_to_one and f.related_model is User
        ]
        for name in user_fields:
            assert not model.objects.filter(**{f"{name}_id": user.pk}).exists(), model.__name__
    assert EntryFactory._meta.model.objects.filter(user=other_user).count() == before_other


def test_contacts_can_be_added_listed_changed_and_removed(api_client):
    created = api_client.post(
        "/api/contacts/", {"name": "Dr Ada", "email": "Ada@Clinic.example"}, format="json"
    )
    assert created.status_code == 201
    contact = created.json()
    assert contact == {
        "id": contact["id"],
        "name": "Dr Ada",
        "email": "ada@clinic.example",
        "receive_alerts": True,
    }
    assert api_client.get("/api/contacts/").json() == [contact]
    changed = api_client.patch(
        f"/api/contacts/{contact['id']}/", {"receive_alerts": False}, format="json"
    )
    assert changed.json()["receive_alerts"] is False
    assert api_client.delete(f"/api/contacts/{contact['id']}/").status_code == 204
    assert api_client.get("/api/contacts/").json() == []


@pytest.mark.parametrize(
    "payload",
    [
        {"name": "", "email": "a@b.example"},
        {"name": "Dr", "email": "nope"},
        {"email": "a@b.example"},
    ],
)
def test_bad_contacts_are_rejected_with_the_field_named(api_client, payload):
    response = api_client.post("/api/contacts/", payload, format="json")
    assert response.status_code == 400
    assert set(response.json()) & {"name", "email"}


def test_a_contact_email_is_listed_only_once(api_client):
    api_client.post("/api/contacts/", {"name": "A", "email": "a@b.example"}, format="json")
    again = api_client.post("/api/contacts/", {"name": "B", "email": "A@b.example"}, format="json")
    assert again.status_code == 400
    assert "email" in again.json()


@pytest.mark.parametrize("method", ["get", "patch", "delete"])
def test_another_patients_contact_is_404(api_client, other_user, method):
    theirs = ContactFactory(user=other_user)
    response = getattr(api_client, method)(
        f"/api/contacts/{theirs.pk}/", {"name": "x"}, format="json"
    )
    assert response.status_code == 404
    assert Contact.objects.filter(pk=theirs.pk, name=theirs.name).exists()


def test_a_display_name_loses_its_direction_controls(api_client):
    response = api_client.patch(
        "/api/me/", {"display_name": " Dr \u202eA\u202c Rahman\u200f "}, format="json"
    )
    assert response.status_code == 200
    assert response.json()["display_name"] == "Dr A Rahman"
