"""GET /api/flags/ and POST /api/flags/{id}/acknowledge/ (CONTRACT §4 Flag)."""

from __future__ import annotations

from datetime import timedelta

import pytest

from diary.models import Flag
from diary.services.flags import patterns_refresh
from tests.support.entries import TODAY, log, night_pattern

FLAG_KEYS = {
    "id",
    "code",
    "severity",
    "title",
    "explanation",
    "source",
    "evidence",
    "first_detected_at",
    "last_seen_at",
    "status",
    "acknowledged_at",
}


@pytest.fixture
def flags(user):
    night_pattern(user)
    entry = log(user, TODAY, red_flags=["saddle_numbness"])
    patterns_refresh(user=user, as_of=TODAY)
    return {
        "red": Flag.objects.get(user=user, code="red_flag_saddle_numbness"),
        "night": Flag.objects.get(user=user, code="night_worse_nerve_pain"),
        "entry": entry,
    }


def test_the_list_has_the_contract_shape(api_client, flags):
    response = api_client.get("/api/flags/")
    assert response.status_code == 200
    by_code = {f["code"]: f for f in response.json()}
    red = by_code["red_flag_saddle_numbness"]
    assert set(red) == FLAG_KEYS
    assert red["severity"] == "emergency"
    assert red["status"] == "active"
    assert red["evidence"] == [str(flags["entry"].pk)]
    assert red["acknowledged_at"] is None
    assert "not a diagnosis" in red["explanation"]
    assert red["source"]


def test_the_list_filters_by_status(api_client, flags):
    patterns_refresh(user=flags["red"].user, as_of=TODAY + timedelta(days=30))  # night resolves
    active = api_client.get("/api/flags/?status=active").json()
    resolved = api_client.get("/api/flags/?status=resolved").json()
    assert [f["code"] for f in active] == ["red_flag_saddle_numbness"]
    assert [f["code"] for f in resolved] == ["night_worse_nerve_pain"]


def test_an_unknown_status_is_a_400_naming_the_field(api_client, flags):
    response = api_client.get("/api/flags/?status=open")
    assert response.status_code == 400
    assert "status" in response.json()


def test_flags_need_authentication(anon_client, flags):
    assert anon_client.get("/api/flags/").status_code == 401
    assert anon_client.post(f"/api/flags/{flags['red'].pk}/acknowledge/").status_code == 401


def test_acknowledge_returns_the_acknowledged_flag(api_client, flags):
    response = api_client.post(f"/api/flags/{flags['red'].pk}/acknowledge/")
    assert response.status_code == 200
    body = response.json()
    assert body["status"] == "acknowledged"
    assert body["acknowledged_at"]
    assert api_client.post(f"/api/flags/{flags['red'].pk}/acknowledge/").status_code == 200


def test_acknowledging_a_resolved_flag_is_a_409(api_client, flags):
    Flag.objects.filter(pk=flags["night"].pk).update(status="resolved")
    response = api_client.post(f"/api/flags/{flags['night'].pk}/acknowledge/")
    assert response.status_code == 409
    assert "detail" in response.json()


def test_an_outsider_sees_none_of_the_flags_and_gets_404(other_api_client, flags):
    assert other_api_client.get("/api/flags/").json() == []
    response = other_api_client.post(f"/api/flags/{flags['red'].pk}/acknowledge/")
    assert response.status_code == 404
    flags["red"].refresh_from_db()
    assert flags["red"].status == "active"


def test_an_unknown_flag_is_a_404(api_client, db):
    assert api_client.post("/api/flags/999999/acknowledge/").status_code == 404
