"""GET/POST /api/shares/, GET/DELETE /api/shares/{id}/ (CONTRACT §4)."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from diary.models import SecurityEvent
from reports.models import ShareLink
from reports.services import share_link_create, token_digest

pytestmark = pytest.mark.django_db
CONTRACT_FIELDS = {"id", "label", "url", "expires_at", "period_start", "period_end", "view_count"}


def test_create_answers_201_with_the_url_once(api_client, user, settings) -> None:
    response = api_client.post(
        "/api/shares/", {"label": "Dr Rahman", "days": 30, "expires_in_days": 7}, format="json"
    )

    body = response.json()
    assert response.status_code == 201
    assert set(body) >= CONTRACT_FIELDS
    assert body["url"].startswith(f"{settings.SITE_URL}/r/")
    token = body["url"].rstrip("/").rsplit("/", 1)[1]
    link = ShareLink.objects.get(pk=body["id"])
    assert link.token_hash == token_digest(token)
    assert body["label"] == "Dr Rahman"
    assert body["view_count"] == 0
    today = timezone.now().astimezone(user.zone).date()
    assert body["period_end"] == today.isoformat()
    assert body["period_start"] == (today - timedelta(days=29)).isoformat()
    assert response["Cache-Control"] == "no-store"

    listed = api_client.get("/api/shares/").json()
    detail = api_client.get(f"/api/shares/{body['id']}/").json()
    assert listed[0]["url"] is None
    assert detail["url"] is None
    assert token not in str(listed) + str(detail)


def test_create_uses_the_defaults(api_client) -> None:
    body = api_client.post("/api/shares/", {}, format="json").json()

    link = ShareLink.objects.get(pk=body["id"])
    assert (link.period_end - link.period_start).days == 89
    assert (link.expires_at - link.created_at) == timedelta(days=30)
    assert body["label"] == ""


@pytest.mark.parametrize(
    ("payload", "field"),
    [
        ({"days": 0}, "days"),
        ({"days": 366}, "days"),
        ({"expires_in_days": 91}, "expires_in_days"),
        ({"expires_in_days": "soon"}, "expires_in_days"),
        ({"label": "x" * 121}, "label"),
    ],
)
def test_bad_input_is_a_400_naming_the_field(api_client, payload: dict, field: str) -> None:
    response = api_client.post("/api/shares/", payload, format="json")

    assert response.status_code == 400
    assert field in response.json()
    assert not ShareLink.objects.exists()


def test_the_list_holds_only_the_callers_links(api_client, user, other_user) -> None:
    mine = share_link_create(user=user, label="mine").link
    share_link_create(user=other_user, label="theirs")

    body = api_client.get("/api/shares/").json()

    assert [item["id"] for item in body] == [mine.pk]


def test_delete_revokes_and_answers_204(api_client, user, client) -> None:
    created = share_link_create(user=user)

    response = api_client.delete(f"/api/shares/{created.link.pk}/")

    assert response.status_code == 204
    link = ShareLink.objects.get()
    assert link.revoked_at is not None
    assert api_client.get(f"/api/shares/{link.pk}/").json()["revoked"] is True
    assert client.get(f"/r/{created.token}/").status_code == 404
    assert SecurityEvent.objects.filter(user=user, kind=SecurityEvent.Kind.SHARE_REVOKED).exists()


def test_an_outsider_gets_404_on_detail_and_delete(other_api_client, user) -> None:
    link = share_link_create(user=user).link

    assert other_api_client.get(f"/api/shares/{link.pk}/").status_code == 404
    assert other_api_client.delete(f"/api/shares/{link.pk}/").status_code == 404
    assert ShareLink.objects.get().revoked_at is None


def test_an_unknown_id_is_404(api_client) -> None:
    assert api_client.get("/api/shares/999999/").status_code == 404


def test_view_counts_show_in_the_api(api_client, user, client) -> None:
    created = share_link_create(user=user)
    client.get(f"/r/{created.token}/")

    body = api_client.get(f"/api/shares/{created.link.pk}/").json()

    assert body["view_count"] == 1
    assert body["last_viewed_at"] is not None


@pytest.mark.parametrize(
    ("method", "path"),
    [
        ("get", "/api/shares/"),
        ("post", "/api/shares/"),
        ("get", "/api/shares/1/"),
        ("delete", "/api/shares/1/"),
        ("get", "/api/export/entries.csv"),
        ("get", "/api/export/fhir/"),
    ],
)
def test_the_api_needs_auth(anon_client, method: str, path: str) -> None:
    response = getattr(anon_client, method)(path)

    assert response.status_code == 401
    assert "detail" in response.json()


def test_share_endpoints_are_in_the_schema(anon_client) -> None:
    schema = anon_client.get("/api/schema/", HTTP_ACCEPT="application/json").content.decode()

    assert "/api/shares/" in schema
    assert "/api/export/fhir/" in schema
