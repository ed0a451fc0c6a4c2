"""Limits before work (CONTRACT §4): oversized bodies 413 JSON, deep JSON and long lists 400 JSON,
each refused before validation; `Cache-Control: no-store` on every private answer."""

from __future__ import annotations

import json

import pytest
from django.conf import settings

from diary import vocabulary as vocab

pytestmark = pytest.mark.django_db
LIMIT = 256 * 1024


def entry(**fields: object) -> dict:
    return {"intensity": 5, "locations": [{"region": "calf", "side": "left"}], **fields}


def test_the_reported_75000_location_body_is_refused_before_any_work(
    api_client, django_assert_num_queries
):
    bad = [{"region": "nowhere", "side": "up"}] * 75_000
    body = json.dumps(entry(locations=bad))
    assert len(body) > 2_500_000
    with django_assert_num_queries(0):
        response = api_client.post("/api/entries/", body, content_type="application/json")
    assert response.status_code == 413
    assert response["Content-Type"] == "application/json"
    assert "256 KB" in response.json()["detail"]
    assert len(response.content) < 200


@pytest.mark.parametrize("path", ["/api/entries/", "/api/auth/token/", "/login/", "/signup/"])
def test_a_20_mb_body_is_413_json_never_html(client, path):
    response = client.post(path, b"x" * (20 * 1024 * 1024), content_type="application/json")
    assert response.status_code == 413
    assert response["Content-Type"] == "application/json"
    assert response.json() == {"detail": "The request body is larger than 256 KB."}


def test_a_body_of_exactly_256_kb_is_read_and_one_byte_more_is_not(api_client):
    padded = json.dumps(entry(notes=""))
    filler = " " * (LIMIT - len(padded))
    at_limit = api_client.post("/api/entries/", padded + filler, content_type="application/json")
    over = api_client.post("/api/entries/", padded + filler + " ", content_type="application/json")
    assert at_limit.status_code == 201
    assert over.status_code == 413


def test_a_long_list_under_the_body_limit_is_refused_before_item_validation(api_client):
    bad = [{"region": "nowhere", "side": "up"}] * 6_000
    body = json.dumps(entry(locations=bad))
    assert len(body) < LIMIT
    response = api_client.post("/api/entries/", body, content_type="application/json")
    assert response.status_code == 400
    # DRF nests a list serializer's own error: {"locations": {"non_field_errors": [...]}}.
    assert list(response.json()) == ["locations"]
    assert "no more than 42 elements" in str(response.json()["locations"])
    assert len(response.content) < 200


@pytest.mark.parametrize(
    ("field", "codes"),
    [
        ("pain_types", [t.code for t in vocab.PAIN_TYPES]),
        ("red_flags", [t.code for t in vocab.RED_FLAGS]),
        ("context", [t.code for t in vocab.CONTEXT_TAGS]),
    ],
)
def test_code_lists_are_capped_at_their_vocabulary_size(api_client, field, codes):
    whole = api_client.post("/api/entries/", entry(**{field: codes}), format="json")
    assert whole.status_code == 201, whole.json()
    one_more = api_client.post("/api/entries/", entry(**{field: [*codes, codes[0]]}), format="json")
    assert one_more.status_code == 400
    assert one_more.json() == {
        field: [f"Ensure this field has no more than {len(codes)} elements."]
    }


def test_a_list_of_invalid_codes_gets_one_short_error_not_one_per_item(api_client):
    response = api_client.post("/api/entries/", entry(pain_types=["x" * 40] * 5_000), format="json")
    assert response.status_code == 400
    assert len(response.content) < 200


def test_42_locations_pass_the_cap_and_43_do_not(api_client):
    sides = ("left", "right")
    every = [{"region": r.code, "side": s} for r in vocab.REGIONS for s in sides]
    assert len(every) == 42
    whole = api_client.post("/api/entries/", entry(locations=every), format="json")
    assert whole.status_code == 201
    response = api_client.post("/api/entries/", entry(locations=[*every, every[0]]), format="json")
    assert response.status_code == 400
    assert "no more than 42" in str(response.json()["locations"])


def nested(depth: int) -> str:
    return "[" * depth + "]" * depth


@pytest.mark.parametrize("depth", [33, 3_000, 100_000])
def test_json_nested_deeper_than_32_is_400_json(api_client, depth):
    body = '{"deep": ' + nested(depth) + ', "intensity": 1}'
    response = api_client.post("/api/entries/", body, content_type="application/json")
    assert response.status_code == 400
    assert response["Content-Type"] == "application/json"
    assert "deeper than 32" in response.json()["detail"]


def test_json_nested_32_deep_is_parsed(api_client):
    # The outer object is level 1; 31 arrays inside make 32. Unknown keys are ignored.
    body = '{"deep": ' + nested(31) + ', "intensity": 0}'
    response = api_client.post("/api/entries/", body, content_type="application/json")
    assert response.status_code == 201


def test_brackets_inside_strings_do_not_count_as_nesting(api_client):
    response = api_client.post(
        "/api/entries/", entry(notes="[" * 1_000 + '{"' + "]" * 5), format="json"
    )
    assert response.status_code == 201


def test_the_depth_limit_is_a_setting():
    assert settings.JSON_MAX_DEPTH == 32
    assert settings.REQUEST_BODY_MAX_BYTES == LIMIT


# --- Cache-Control ----------------------------------------------------------------------------


@pytest.mark.parametrize("path", ["/", "/entries/", "/account/", "/flags/", "/reports/"])
def test_private_pages_are_never_stored(web_client, path):
    response = web_client.get(path)
    assert response.status_code == 200
    assert response["Cache-Control"] == "no-store"


@pytest.mark.parametrize("path", ["/api/me/", "/api/entries/", "/api/flags/", "/api/contacts/"])
def test_authenticated_api_answers_are_never_stored(api_client, path):
    response = api_client.get(path)
    assert response.status_code == 200
    assert response["Cache-Control"] == "no-store"


def test_an_authenticated_answer_with_its_own_caching_still_gets_no_store(web_client, user):
    # The vocabulary is public, but for a logged-in caller nothing may be kept.
    response = web_client.get("/api/vocabulary/")
    assert response["Cache-Control"] == "no-store"
