"""Time zones from the phone (CONTRACT §6): sign-up fills it in, the account page offers a switch.

The filling-in itself runs in the browser (static/js/zone.js); tests/browser/test_phone_time.py
drives it in Chromium. These check what the server hands that script.
"""

from __future__ import annotations

import re

import pytest

from diary.models import User

pytestmark = pytest.mark.django_db

STRONG = "a-long-unusual-passphrase-42"


def _select(html: str, name: str) -> str:
    found = re.search(rf'<select[^>]*name="{name}"[^>]*>', html)
    assert found, f"no {name} select"
    return found.group(0)


def test_a_fresh_sign_up_form_asks_the_script_to_fill_in_the_phones_zone(client):
    html = client.get("/signup/").content.decode()
    assert "data-browser-zone" in _select(html, "timezone")
    assert re.search(r'<script src="[^"]*zone\.js" defer>', html)


def test_a_sign_up_form_shown_again_keeps_the_zone_the_patient_sent(client):
    html = client.post(
        "/signup/", {"email": "bad", "password": STRONG, "timezone": "Asia/Tokyo"}
    ).content.decode()
    assert "data-browser-zone" not in _select(html, "timezone")
    assert re.search(r'<option value="Asia/Tokyo" selected>', html)


def test_the_zone_sent_at_sign_up_is_the_diarys_zone(client):
    client.post(
        "/signup/", {"email": "new@example.com", "password": STRONG, "timezone": "America/Chicago"}
    )
    assert User.objects.get(email="new@example.com").timezone == "America/Chicago"


def test_the_account_page_carries_a_hidden_offer_tied_to_its_zone_select(web_client):
    html = web_client.get("/account/").content.decode()
    offer = re.search(r'<div class="zone-offer[^"]*" data-zone-offer="([^"]+)"[^>]*hidden>', html)
    assert offer and offer.group(1) == "id_account-timezone"
    assert 'id="id_account-timezone"' in _select(html, "account-timezone")
    assert re.search(r'<script src="[^"]*zone\.js" defer>', html)


def test_the_account_page_needs_a_login(client):
    response = client.get("/account/")
    assert response.status_code == 302
