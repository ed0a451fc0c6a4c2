"""Pages and API answers go out gzip-compressed, with Django's BREACH padding; static files
are left to WhiteNoise's own pre-compressed copies."""

from __future__ import annotations

import gzip

import pytest

pytestmark = pytest.mark.django_db

GZIP_FNAME_FLAG = 0x08  # the gzip header's "file name follows" bit (RFC 1952)


def _get(client, path):
    return client.get(path, HTTP_ACCEPT_ENCODING="gzip, deflate, br")


def test_the_log_page_is_sent_compressed_with_a_random_padding_name(web_client):
    response = _get(web_client, "/")
    assert response.status_code == 200
    assert response.headers["Content-Encoding"] == "gzip"
    assert "Accept-Encoding" in response.headers["Vary"]
    body = response.content
    # Django's mitigation of BREACH: a random-length file name in every gzip header, so the
    # compressed length no longer tracks what an attacker guessed of a secret on the page.
    assert body[3] & GZIP_FNAME_FLAG
    html = gzip.decompress(body).decode()
    assert "How is your pain now?" in html
    assert len(body) < len(html) / 3


def test_the_csrf_token_on_the_page_is_masked_afresh_on_every_response(web_client):
    def token() -> str:
        html = gzip.decompress(_get(web_client, "/").content).decode()
        return html.split('name="csrfmiddlewaretoken" value="', 1)[1].split('"', 1)[0]

    assert token() != token()


def test_api_answers_are_compressed_too(api_client):
    response = _get(api_client, "/api/vocabulary/")
    assert response.headers["Content-Encoding"] == "gzip"
    assert gzip.decompress(response.content).decode().startswith("{")


def test_a_client_that_does_not_ask_for_gzip_gets_plain_html(web_client):
    response = web_client.get("/")
    assert "Content-Encoding" not in response.headers
    assert b"How is your pain now?" in response.content
