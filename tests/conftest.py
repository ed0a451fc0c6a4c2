"""Shared fixtures: a patient, an outsider, and API clients for each."""

from __future__ import annotations

import os

import pytest
from hypothesis import HealthCheck, settings

# Django-dependent imports live inside the fixtures, so the pure rule and figure tests
# also run without Django (`pytest -p no:django tests/diary/rules`).

# Playwright's sync API runs an event loop in the test thread; Django's ORM
# refuses to run there unless told it is safe (tests only).
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

# CI runs on 2 shared cores: Hypothesis's wall-clock checks (deadline, slow generation) then
# fail on load, not on behaviour. The examples and their assertions stay the same.
settings.register_profile(
    "shared-cores", deadline=None, suppress_health_check=[HealthCheck.too_slow]
)
settings.load_profile("shared-cores")


@pytest.fixture(autouse=True)
def _clear_cache(request) -> None:
    if "django_db_setup" not in request.fixturenames and not _django_ready():
        return
    from django.core.cache import cache

    # Throttle and lock-out counters live in the cache; tests must not share them.
    cache.clear()


def _django_ready() -> bool:
    try:
        from django.conf import settings

        return settings.configured
    except ImportError:
        return False


@pytest.fixture
def password() -> str:
    from tests.factories import TEST_PASSWORD

    return TEST_PASSWORD


@pytest.fixture
def user(db):
    from tests.factories import UserFactory

    return UserFactory(email="patient@example.com", timezone="Europe/London")


@pytest.fixture
def other_user(db):
    from tests.factories import UserFactory

    return UserFactory(email="outsider@example.com", timezone="America/New_York")


@pytest.fixture
def anon_client():
    from rest_framework.test import APIClient

    return APIClient()


@pytest.fixture
def api_client(user):
    from rest_framework.test import APIClient

    client = APIClient()
    client.force_authenticate(user)
    return client


@pytest.fixture
def other_api_client(other_user):
    from rest_framework.test import APIClient

    client = APIClient()
    client.force_authenticate(other_user)
    return client


@pytest.fixture
def web_client(client, user):
    client.force_login(user)
    return client


@pytest.fixture
def eager():
    """Run Celery tasks in this process, as the worker would, without a broker."""
    from config.celery import app

    before = app.conf.task_always_eager
    app.conf.task_always_eager = True
    yield
    app.conf.task_always_eager = before
