"""Token lifecycle and re-authentication (CONTRACT §4): hashed, per device, idle expiry,
logout, password change; the password for erasure and for moving alerts."""

from __future__ import annotations

import re
import uuid
from datetime import UTC, datetime, timedelta

import pytest
import time_machine
from django.core import mail
from django.test import override_settings
from knox.models import AuthToken
from rest_framework.test import APIClient

from diary.models import User
from tests.factories import TEST_PASSWORD, UserFactory

pytestmark = pytest.mark.django_db
NEW = "another-unusual-passphrase-77"


def token_for(user: User, password: str = TEST_PASSWORD) -> str:
    response = APIClient().post(
        "/api/auth/token/", {"email": user.email, "password": password}, format="json"
    )
    assert response.status_code == 200, response.content
    return response.json()["token"]


def as_token(token: str) -> APIClient:
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {token}")
    return client


def test_each_token_request_issues_a_new_token_and_both_work(user):
    first, second = token_for(user), token_for(user)
    assert first != second
    assert AuthToken.objects.filter(user=user).count() == 2
    assert as_token(first).get("/api/me/").status_code == 200
    assert as_token(second).get("/api/me/").status_code == 200


def test_no_token_appears_in_clear_in_the_database(user):
    token = token_for(user)
    for row in AuthToken.objects.values():
        assert token not in {str(v) for v in row.values()}


def test_a_token_lives_90_days_after_its_last_use_and_no_longer():
    start = datetime(2026, 3, 1, 9, 0, tzinfo=UTC)
    with time_machine.travel(start, tick=False):
        user = UserFactory()
        token = token_for(user)
    # Used on day 80: its 90 days start again from there.
    with time_machine.travel(start + timedelta(days=80), tick=False):
        assert as_token(token).get("/api/me/").status_code == 200
    with time_machine.travel(start + timedelta(days=170), tick=False):
        assert as_token(token).get("/api/me/").status_code == 200
    # 90 days and a little more than the refresh hour after the last use: gone.
    with time_machine.travel(start + timedelta(days=260, hours=1, minutes=1), tick=False):
        assert as_token(token).get("/api/me/").status_code == 401
    assert not AuthToken.objects.filter(user=user).exists()


def test_logout_revokes_only_the_calling_token(user):
    phone, tablet = token_for(user), token_for(user)
    response = as_token(phone).post("/api/auth/logout/")
    assert response.status_code == 204
    assert as_token(phone).get("/api/me/").status_code == 401
    assert as_token(tablet).get("/api/me/").status_code == 200
    assert user.security_events.filter(kind="token_revoked").count() == 1


def test_logout_without_credentials_is_401(anon_client):
    assert anon_client.post("/api/auth/logout/").status_code == 401


def test_a_password_change_revokes_every_other_token_and_session(user, client):
    phone, tablet = token_for(user), token_for(user)
    client.force_login(user)
    assert client.get("/account/").status_code == 200

    response = as_token(phone).post(
        "/api/auth/password/",
        {"current_password": TEST_PASSWORD, "new_password": NEW},
        format="json",
    )

    assert response.status_code == 200
    fresh = response.json()["token"]
    assert as_token(phone).get("/api/me/").status_code == 401
    assert as_token(tablet).get("/api/me/").status_code == 401
    assert as_token(fresh).get("/api/me/").status_code == 200
    assert client.get("/account/").status_code == 302  # the web session is over too
    user.refresh_from_db()
    assert user.check_password(NEW)


@pytest.mark.parametrize(
    ("payload", "field"),
    [
        ({"new_password": NEW}, "current_password"),
        ({"current_password": "wrong-one", "new_password": NEW}, "current_password"),
        ({"current_password": TEST_PASSWORD, "new_password": "123"}, "new_password"),
        ({"current_password": TEST_PASSWORD}, "new_password"),
    ],
)
def test_a_password_change_needs_the_current_password_and_a_strong_new_one(user, payload, field):
    token = token_for(user)
    response = as_token(token).post("/api/auth/password/", payload, format="json")
    assert response.status_code == 400
    assert field in response.json()
    assert as_token(token).get("/api/me/").status_code == 200
    user.refresh_from_db()
    assert user.check_password(TEST_PASSWORD)


def test_a_web_password_change_revokes_every_token(user, client):
    token = token_for(user)
    client.force_login(user)
    response = client.post(
        "/account/password/",
        {"old_password": TEST_PASSWORD, "new_password1": NEW, "new_password2": NEW},
    )
    assert response.status_code == 302
    assert as_token(token).get("/api/me/").status_code == 401
    assert client.get("/account/").status_code == 200  # this browser stays logged in


def test_a_password_reset_revokes_every_token_and_session(
    user, client, eager, django_capture_on_commit_callbacks
):
    token = token_for(user)
    other_browser = APIClient()
    other_browser.force_login(user)
    with django_capture_on_commit_callbacks(execute=True):
        client.post("/password-reset/", {"email": user.email})
    link = re.search(r"http://127\.0\.0\.1:8000(/password-reset/\S+/)", mail.outbox[0].body)
    form = client.get(link.group(1), follow=True)
    done = client.post(form.redirect_chain[-1][0], {"new_password1": NEW, "new_password2": NEW})
    assert done.status_code == 302
    assert as_token(token).get("/api/me/").status_code == 401
    assert other_browser.get("/api/me/").status_code in {401, 403}


def test_erasing_the_account_needs_the_password(user):
    client = as_token(token_for(user))
    missing = client.delete("/api/me/")
    wrong = client.delete("/api/me/", {"password": "not-it"}, format="json")
    assert missing.status_code == wrong.status_code == 400
    assert "password" in missing.json() and "password" in wrong.json()
    assert User.objects.filter(pk=user.pk).exists()
    assert client.delete("/api/me/", {"password": TEST_PASSWORD}, format="json").status_code == 204
    assert not User.objects.filter(pk=user.pk).exists()


def test_moving_alerts_needs_the_current_password(user):
    client = as_token(token_for(user))
    missing = client.patch("/api/me/", {"alert_email": "thief@example.net"}, format="json")
    wrong = client.patch(
        "/api/me/",
        {"alert_email": "thief@example.net", "current_password": "guess"},
        format="json",
    )
    assert missing.status_code == wrong.status_code == 400
    assert "current_password" in missing.json() and "current_password" in wrong.json()
    user.refresh_from_db()
    assert user.alert_email == ""
    right = client.patch(
        "/api/me/",
        {"alert_email": "Me@Example.org", "current_password": TEST_PASSWORD},
        format="json",
    )
    assert right.status_code == 200
    assert right.json()["alert_email"] == "me@example.org"
    assert user.security_events.filter(kind="alert_email_changed").count() == 1


def test_other_settings_change_without_the_password(user):
    client = as_token(token_for(user))
    response = client.patch(
        "/api/me/", {"timezone": "Asia/Tokyo", "alert_email": ""}, format="json"
    )
    assert response.status_code == 200  # alert_email given but unchanged
    assert response.json()["timezone"] == "Asia/Tokyo"


@override_settings(LOGIN_FAILURE_LIMIT=3)
def test_guessing_the_password_with_a_token_hits_the_lock_out(user):
    client = as_token(token_for(user))
    for _ in range(3):
        client.delete("/api/me/", {"password": "guess"}, format="json")
    response = client.delete("/api/me/", {"password": TEST_PASSWORD}, format="json")
    assert response.status_code == 429
    assert User.objects.filter(pk=user.pk).exists()


# --- one query per token-authenticated request (issue 15) ------------------------------------

ENTRY = {
    "intensity": 6,
    "locations": [{"region": "calf", "side": "left"}, {"region": "foot_sole", "side": "left"}],
    "pain_types": ["burning", "tingling"],
    "activity": "sitting",
}


def test_a_token_request_costs_one_query_for_authentication(user, django_assert_num_queries):
    token = token_for(user)
    token_for(user)  # another device: its token is not read
    # The token joined to its user; nothing else (the expiry moved less than an hour).
    with django_assert_num_queries(1):
        assert as_token(token).get("/api/me/").status_code == 200


def test_a_token_create_entry_costs_authentication_plus_the_saves(
    user, django_assert_num_queries, django_capture_on_commit_callbacks
):
    token = token_for(user)
    client = as_token(token)
    # A phone's create, with its own id: token+user, then savepoint, entry, locations, diary
    # marked changed, release. No look-up of the id, no second read of the user.
    with django_assert_num_queries(6), django_capture_on_commit_callbacks() as callbacks:
        response = client.post("/api/entries/", {"id": str(uuid.uuid4()), **ENTRY}, format="json")
    assert response.status_code == 201, response.content
    assert callbacks == []  # no sign: nothing queued after the commit


def test_the_expiry_moves_on_at_most_once_an_hour(django_assert_num_queries):
    start = datetime(2026, 3, 1, 9, 0, tzinfo=UTC)
    with time_machine.travel(start, tick=False):
        user = UserFactory()
        token = token_for(user)
        issued = AuthToken.objects.get(user=user).expiry
    client = as_token(token)
    with (
        time_machine.travel(start + timedelta(minutes=59), tick=False),
        django_assert_num_queries(1),
    ):
        client.get("/api/me/")
    assert AuthToken.objects.get(user=user).expiry == issued
    # The read, and the one write of the new expiry.
    with (
        time_machine.travel(start + timedelta(hours=1, minutes=1), tick=False),
        django_assert_num_queries(2),
    ):
        client.get("/api/me/")
    assert AuthToken.objects.get(user=user).expiry == issued + timedelta(hours=1, minutes=1)


def test_an_expired_token_is_refused_and_deleted_without_touching_other_tokens():
    start = datetime(2026, 3, 1, 9, 0, tzinfo=UTC)
    with time_machine.travel(start, tick=False):
        user = UserFactory()
        old, other_old = token_for(user), token_for(user)
    with time_machine.travel(start + timedelta(days=85), tick=False):
        fresh = token_for(user)
    # Just before the end of 90 days and the refresh hour: still good; just after: refused.
    ttl = timedelta(days=90, hours=1)
    with time_machine.travel(start + ttl - timedelta(seconds=1), tick=False):
        assert as_token(old).get("/api/me/").status_code == 200
    with time_machine.travel(start + ttl + timedelta(seconds=1), tick=False):
        assert as_token(other_old).get("/api/me/").status_code == 401
        assert as_token(fresh).get("/api/me/").status_code == 200
    # Refused and deleted is the token in hand; the first one was refreshed when used.
    assert AuthToken.objects.filter(user=user).count() == 2


@pytest.mark.parametrize("header", ["Token not-a-real-token", "Token \u00e9t\u00e9", "Token "])
def test_a_wrong_token_is_401(user, header):
    token_for(user)
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=header)
    assert client.get("/api/me/").status_code == 401


def test_an_inactive_users_token_is_401(user):
    token = token_for(user)
    User.objects.filter(pk=user.pk).update(is_active=False)
    assert as_token(token).get("/api/me/").status_code == 401


def test_the_periodic_purge_deletes_only_expired_tokens():
    from diary.account_tasks import purge_expired_tokens

    start = datetime(2026, 3, 1, 9, 0, tzinfo=UTC)
    with time_machine.travel(start, tick=False):
        user = UserFactory()
        token_for(user)
    with time_machine.travel(start + timedelta(days=60), tick=False):
        kept = token_for(user)
    with time_machine.travel(start + timedelta(days=90, hours=1, seconds=-1), tick=False):
        assert purge_expired_tokens() == 0
    with time_machine.travel(start + timedelta(days=90, hours=1, seconds=1), tick=False):
        assert purge_expired_tokens() == 1
        assert as_token(kept).get("/api/me/").status_code == 200
    assert AuthToken.objects.filter(user=user).count() == 1


def test_the_purge_runs_on_the_beat_schedule():
    from django.conf import settings

    entry = settings.CELERY_BEAT_SCHEDULE["purge-expired-tokens"]
    assert entry["task"] == "diary.tokens_purge_expired"
