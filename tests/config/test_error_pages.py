"""Styled 404 and 500 pages with a way back; the API keeps its JSON errors (CONTRACT §4)."""

from __future__ import annotations

import pytest
from django.test import RequestFactory
from django.views import defaults

pytestmark = pytest.mark.django_db


def test_an_unknown_page_is_a_styled_404_with_the_way_to_log_in(client):
    response = client.get("/no-such-page/")
    html = response.content.decode()
    assert response.status_code == 404
    assert "This page is not here" in html
    assert 'href="/login/"' in html
    assert "/static/css/app.css" in html


def test_a_logged_in_patient_gets_the_way_back_to_logging_and_the_diary(web_client):
    html = web_client.get("/no-such-page/").content.decode()
    assert 'class="button" href="/">Log how it feels</a>' in html
    assert 'href="/entries/">Your diary</a>' in html


def test_an_unknown_api_path_is_still_a_json_404(client):
    response = client.get("/api/no-such-thing/")
    assert response.status_code == 404
    assert response.json() == {"detail": "Not found."}


def test_the_500_page_is_styled_and_needs_no_request_context(db):
    response = defaults.server_error(RequestFactory().get("/"))
    html = response.content.decode()
    assert response.status_code == 500
    assert "Something went wrong on our side" in html
    assert 'href="/">Back to the log page</a>' in html
    assert "/static/css/app.css" in html
