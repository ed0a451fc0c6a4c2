"""Every response carries the security headers; scripts never run inline."""

from __future__ import annotations

import pytest

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("path", ["/login/", "/api/vocabulary/", "/healthz/", "/api/nowhere/"])
def test_every_response_carries_the_security_headers(client, path):
    response = client.get(path)
    csp = response.headers["Content-Security-Policy"]
    directives = dict(part.strip().split(" ", 1) for part in csp.split(";"))
    assert directives["script-src"] == "'self'"
    assert "unsafe-inline" not in directives["script-src"]
    assert directives["frame-ancestors"] == "'none'"
    assert directives["object-src"] == "'none'"
    assert "camera=()" in response.headers["Permissions-Policy"]
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert response.headers["Referrer-Policy"] == "same-origin"
    assert response.headers["X-Frame-Options"] == "DENY"


def test_unknown_api_paths_answer_json(client):
    response = client.get("/api/nowhere/")
    assert response.status_code == 404
    assert response.json() == {"detail": "Not found."}


def test_sessions_expire_and_cookies_are_http_only(client, user, password, settings):
    response = client.post("/login/", {"username": user.email, "password": password})
    cookie = response.cookies[settings.SESSION_COOKIE_NAME]
    assert cookie["httponly"]
    assert cookie["samesite"] == "Lax"
    assert 0 < int(cookie["max-age"]) <= 14 * 24 * 3600


def test_forms_refuse_a_post_without_the_csrf_token(user, password):
    from django.test import Client

    strict = Client(enforce_csrf_checks=True)
    response = strict.post("/login/", {"username": user.email, "password": password})
    assert response.status_code == 403
