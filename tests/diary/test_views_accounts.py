"""Web sign-up, log-in with lock-out, settings, contacts, password reset, erasure."""

from __future__ import annotations

import re

import pytest
from django.core import mail
from django.test import Client, override_settings

from diary.models import Contact, Entry, SecurityEvent, User
from tests.factories import TEST_PASSWORD, ContactFactory, EntryFactory

pytestmark = pytest.mark.django_db
STRONG = "a-long-unusual-passphrase-42"


def test_signing_up_logs_the_patient_in(client):
    response = client.post(
        "/signup/", {"email": "New@example.com", "password": STRONG, "timezone": "Europe/Paris"}
    )
    assert response.status_code == 302
    assert response.url == "/"
    user = User.objects.get(email="new@example.com")
    assert user.timezone == "Europe/Paris"
    assert client.get("/account/").status_code == 200


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"email": "patient@example.com", "password": STRONG, "timezone": "UTC"}, "already exists"),
        ({"email": "x@example.com", "password": "short", "timezone": "UTC"}, "too short"),
        ({"email": "x@example.com", "password": STRONG, "timezone": "Moon/Base"}, "valid choice"),
    ],
)
def test_bad_sign_ups_show_the_problem_and_keep_the_email(client, user, data, message):
    response = client.post("/signup/", data)
    assert response.status_code == 200
    assert message in response.content.decode()
    assert data["email"] in response.content.decode()


def test_logging_in_records_a_security_event(client, user, password):
    response = client.post("/login/", {"username": "Patient@Example.com", "password": password})
    assert response.status_code == 302
    assert SecurityEvent.objects.filter(user=user, kind="login").count() == 1


@override_settings(LOGIN_FAILURE_LIMIT=3)
def test_the_web_login_locks_after_repeated_failures_with_a_clear_message(client, user, password):
    for _ in range(3):
        bad = client.post("/login/", {"username": user.email, "password": "wrong"})
        assert "not correct" in bad.content.decode()
    locked = client.post("/login/", {"username": user.email, "password": password})
    assert locked.status_code == 200
    assert "Too many failed attempts" in locked.content.decode()
    assert "_auth_user_id" not in client.session


def test_private_pages_send_anonymous_visitors_to_login(client):
    for path in ["/", "/entries/", "/flags/", "/account/", "/reports/", "/sharing/"]:
        response = client.get(path)
        assert response.status_code == 302, path
        assert response.url.startswith("/login/"), path


def test_settings_can_be_changed(web_client, user):
    response = web_client.post(
        "/account/",
        {
            "account-timezone": "America/Chicago",
            "account-alert_email": "me@example.com",
            "account-reminder_time": "21:00",
            # Moving alerts needs the password (CONTRACT §4 re-authentication).
            "account-current_password": TEST_PASSWORD,
        },
    )
    assert response.status_code == 302
    user.refresh_from_db()
    assert (user.timezone, user.alert_email, user.reminder_time.hour) == (
        "America/Chicago",
        "me@example.com",
        21,
    )


def test_moving_alerts_on_the_web_needs_the_password(web_client, user):
    response = web_client.post(
        "/account/",
        {"account-timezone": "Europe/London", "account-alert_email": "thief@example.net"},
    )
    assert response.status_code == 200
    assert "Enter your current password" in response.content.decode()
    user.refresh_from_db()
    assert user.alert_email == ""


def test_contacts_are_managed_from_the_account_page(web_client, user):
    web_client.post("/account/contacts/add/", {"contact-name": "Dr B", "contact-email": "b@c.org"})
    contact = Contact.objects.get(user=user)
    assert "Dr B" in web_client.get("/account/").content.decode()
    web_client.post(
        f"/account/contacts/{contact.pk}/", {"contact-name": "Dr C", "contact-email": "b@c.org"}
    )
    contact.refresh_from_db()
    assert contact.name == "Dr C"
    web_client.post(f"/account/contacts/{contact.pk}/delete/")
    assert not Contact.objects.filter(pk=contact.pk).exists()


def test_another_patients_contact_is_404_on_the_web(web_client, other_user):
    theirs = ContactFactory(user=other_user)
    assert web_client.get(f"/account/contacts/{theirs.pk}/").status_code == 404
    assert web_client.post(f"/account/contacts/{theirs.pk}/delete/").status_code == 404
    assert Contact.objects.filter(pk=theirs.pk).exists()


def test_password_reset_sends_a_working_link(
    client, user, eager, django_capture_on_commit_callbacks
):
    # The worker sends the reset e-mail (same answer time for any address): run it here.
    with django_capture_on_commit_callbacks(execute=True):
        client.post("/password-reset/", {"email": user.email})
    assert len(mail.outbox) == 1
    link = re.search(r"http://127\.0\.0\.1:8000(/password-reset/\S+/)", mail.outbox[0].body)
    assert link, mail.outbox[0].body
    form = client.get(link.group(1), follow=True)
    assert form.status_code == 200
    done = client.post(
        form.redirect_chain[-1][0], {"new_password1": STRONG, "new_password2": STRONG}
    )
    assert done.status_code == 302
    user.refresh_from_db()
    assert user.check_password(STRONG)


def test_deleting_the_account_on_the_web_needs_the_password(web_client, user, password):
    EntryFactory(user=user)
    wrong = web_client.post("/account/delete/", {"password": "nope"})
    assert "not correct" in wrong.content.decode()
    assert User.objects.filter(pk=user.pk).exists()
    right = web_client.post("/account/delete/", {"password": password})
    assert right.status_code == 302
    assert not User.objects.filter(pk=user.pk).exists()
    assert not Entry.objects.exists()


def test_logout_needs_a_post(web_client):
    assert web_client.post("/logout/").status_code == 302
    assert web_client.get("/account/").status_code == 302


def test_failed_logins_and_password_changes_appear_in_the_patients_security_log(
    web_client, user, password
):
    Client().post("/login/", {"username": user.email, "password": "wrong"})
    web_client.post(
        "/account/password/",
        {"old_password": password, "new_password1": STRONG, "new_password2": STRONG},
    )
    kinds = set(SecurityEvent.objects.filter(user=user).values_list("kind", flat=True))
    assert {"login_failed", "password_changed"} <= kinds
    page = web_client.get("/account/").content.decode()
    assert "Failed log-in" in page
    assert "Password changed" in page


def _reset(client, email: str, address: str = "127.0.0.1"):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as queries:
        response = client.post("/password-reset/", {"email": email}, REMOTE_ADDR=address)
    return response, len(queries)


def test_password_reset_answers_known_and_unknown_addresses_alike(client, user):
    known, known_queries = _reset(client, user.email, "10.0.0.1")
    unknown, unknown_queries = _reset(client, "nobody@example.com", "10.0.0.2")
    assert known.status_code == unknown.status_code == 302
    assert known["Location"] == unknown["Location"]
    # The same work for both: no account look-up and no mail in the request (the worker sends).
    assert known_queries == unknown_queries
    assert mail.outbox == []


@override_settings(PASSWORD_RESET_LIMIT_PER_HOUR=2)
def test_password_reset_is_throttled_per_address(client, user):
    statuses = [
        _reset(client, f"someone{n}@example.com", "10.0.0.9")[0].status_code for n in range(3)
    ]
    assert statuses == [302, 302, 200]
    assert "Too many requests" in _reset(client, "x@example.com", "10.0.0.9")[0].content.decode()
    assert _reset(client, "x@example.com", "10.0.0.10")[0].status_code == 302


@override_settings(PASSWORD_RESET_LIMIT_PER_HOUR=2)
def test_password_reset_is_throttled_per_email(client, user):
    statuses = [_reset(client, user.email, f"10.0.1.{n}")[0].status_code for n in range(3)]
    assert statuses == [302, 302, 200]


@override_settings(SIGNUP_LIMIT_PER_HOUR=2)
def test_web_sign_up_is_throttled_per_address(client):
    def sign_up(n: int):
        return client.post(
            "/signup/",
            {"email": f"n{n}@example.com", "password": STRONG, "timezone": "UTC"},
            REMOTE_ADDR="10.0.2.1",
        )

    first = sign_up(0)
    client.logout()
    second = sign_up(1)
    client.logout()
    third = sign_up(2)
    assert (first.status_code, second.status_code, third.status_code) == (302, 302, 429)
    assert not User.objects.filter(email="n2@example.com").exists()


@override_settings(SIGNUP_LIMIT_PER_HOUR=2)
def test_api_sign_up_probes_are_throttled_per_email_and_per_address(user):
    from rest_framework.test import APIClient

    api = APIClient()
    probe = {"email": user.email, "password": STRONG}
    by_email = [
        api.post("/api/auth/register/", probe, format="json", REMOTE_ADDR=f"10.0.3.{n}")
        for n in range(3)
    ]
    assert [r.status_code for r in by_email] == [400, 400, 429]
    by_address = [
        api.post(
            "/api/auth/register/",
            {"email": f"p{n}@example.com", "password": STRONG},
            format="json",
            REMOTE_ADDR="10.0.4.1",
        )
        for n in range(3)
    ]
    assert [r.status_code for r in by_address] == [201, 201, 429]
    assert "detail" in by_address[2].json()
