"""The admin is off unless ADMIN_ENABLED; when on, it has the site's lock-out and shows no token."""

from __future__ import annotations

import importlib

import pytest
from django.conf import settings
from django.test import override_settings
from django.urls import clear_url_caches
from knox.models import AuthToken

from tests.factories import TEST_PASSWORD, UserFactory

pytestmark = pytest.mark.django_db


def test_the_admin_is_off_by_default(client):
    assert settings.ADMIN_ENABLED is False
    assert "django.contrib.admin" not in settings.INSTALLED_APPS
    assert client.get("/admin/").status_code == 404
    assert client.get("/admin/login/").status_code == 404


@pytest.fixture
def admin_on():
    apps = [*settings.INSTALLED_APPS, "django.contrib.admin"]
    with override_settings(ADMIN_ENABLED=True, INSTALLED_APPS=apps, LOGIN_FAILURE_LIMIT=3):
        import config.urls

        importlib.reload(config.urls)
        clear_url_caches()
        yield
    importlib.reload(config.urls)
    clear_url_caches()


def test_the_admin_log_in_locks_like_the_sites(client, admin_on):
    staff = UserFactory(is_staff=True, is_superuser=True)
    for _ in range(3):
        wrong = client.post("/admin/login/", {"username": staff.email, "password": "nope"})
        assert wrong.status_code == 200
    right = client.post("/admin/login/", {"username": staff.email, "password": TEST_PASSWORD})
    assert right.status_code == 200  # the form again, not the redirect into the admin
    assert "Too many failed attempts" in right.content.decode()
    assert client.get("/admin/").status_code == 302


def test_the_admin_lets_staff_in_and_shows_only_token_digests(client, admin_on):
    staff = UserFactory(is_staff=True, is_superuser=True)
    _, token = AuthToken.objects.create(user=UserFactory())
    response = client.post("/admin/login/", {"username": staff.email, "password": TEST_PASSWORD})
    assert response.status_code == 302
    listing = client.get("/admin/knox/authtoken/")
    assert listing.status_code == 200
    assert token not in listing.content.decode()


def test_a_patient_cannot_log_in_to_the_admin(client, admin_on):
    patient = UserFactory()
    response = client.post("/admin/login/", {"username": patient.email, "password": TEST_PASSWORD})
    assert response.status_code == 200
    assert client.get("/admin/").status_code == 302
