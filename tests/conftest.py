"""Shared fixtures: a patient, an outsider, and API clients for each."""

from __future__ import annotations

import os

import pytest
from django.core.cache import cache
from rest_framework.test import APIClient

from tests.factories import TEST_PASSWORD, UserFactory

# Playwright's sync API runs an event loop in the test thread; Django's ORM
# refuses to run there unless told it is safe (tests only).
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")


@pytest.fixture(autouse=True)
def _clear_cache() -> None:
    # Throttle and lock-out counters live in the cache; tests must not share them.
    cache.clear()


@pytest.fixture
def password() -> str:
    return TEST_PASSWORD


@pytest.fixture
def user(db):
    return UserFactory(email="patient@example.com", timezone="Europe/London")


@pytest.fixture
def other_user(db):
    return UserFactory(email="outsider@example.com", timezone="America/New_York")


@pytest.fixture
def anon_client() -> APIClient:
    return APIClient()


@pytest.fixture
def api_client(user) -> APIClient:
    client = APIClient()
    client.force_authenticate(user)
    return client


@pytest.fixture
def other_api_client(other_user) -> APIClient:
    client = APIClient()
    client.force_authenticate(other_user)
    return client


@pytest.fixture
def web_client(client, user):
    client.force_login(user)
    return client
