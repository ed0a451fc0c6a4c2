"""Treatment events API: validation naming the field, privacy, edit and delete (CONTRACT §8)."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest
import time_machine

from diary.models import TreatmentEvent
from tests.factories import TreatmentEventFactory

pytestmark = pytest.mark.django_db

# 23:30 UTC on 30 Nov is already 1 Dec in Sydney and still 30 Nov in London.
NOW = datetime(2026, 11, 30, 23, 30, tzinfo=UTC)


@pytest.fixture(autouse=True)
def _frozen_clock():
    with time_machine.travel(NOW, tick=False):
        yield


def valid(**overrides: object) -> dict:
    body = {"kind": "injection", "name": "Epidural steroid injection", "started_on": "2026-11-20"}
    body.update(overrides)
    return body


def test_a_posted_event_is_stored_and_returned(api_client, user):
    response = api_client.post("/api/treatments/", valid(notes="L5/S1, right"), format="json")
    assert response.status_code == 201
    body = response.json()
    assert body == {
        "id": body["id"],
        "kind": "injection",
        "kind_label": "Injection",
        "name": "Epidural steroid injection",
        "started_on": "2026-11-20",
        "notes": "L5/S1, right",
    }
    stored = TreatmentEvent.objects.get(pk=body["id"])
    assert (stored.user, stored.started_on) == (user, date(2026, 11, 20))


def test_the_list_is_the_callers_own_latest_first(api_client, user, other_user):
    TreatmentEventFactory(user=user, started_on=date(2026, 10, 1), name="Physio block")
    TreatmentEventFactory(user=user, started_on=date(2026, 11, 1), name="Pregabalin")
    TreatmentEventFactory(user=other_user, name="Their own")
    response = api_client.get("/api/treatments/")
    assert response.status_code == 200
    assert [e["name"] for e in response.json()] == ["Pregabalin", "Physio block"]


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("kind", "massage"),
        ("kind", ""),
        ("name", "x" * 201),
        ("name", ""),
        ("started_on", "2026-12-01"),  # tomorrow in London
        ("started_on", "not-a-date"),
        ("notes", "x" * 2001),
    ],
)
def test_bad_input_is_a_400_naming_the_field(api_client, field, value):
    response = api_client.post("/api/treatments/", valid(**{field: value}), format="json")
    assert response.status_code == 400
    assert set(response.json()) == {field}
    assert TreatmentEvent.objects.count() == 0


def test_a_name_of_exactly_200_characters_is_accepted(api_client):
    response = api_client.post("/api/treatments/", valid(name="x" * 200), format="json")
    assert response.status_code == 201


def test_today_in_the_patients_zone_is_accepted_and_tomorrow_refused(api_client, user):
    user.timezone = "Australia/Sydney"
    user.save()
    assert api_client.post("/api/treatments/", valid(started_on="2026-12-01")).status_code == 201
    response = api_client.post("/api/treatments/", valid(started_on="2026-12-02"), format="json")
    assert response.status_code == 400
    assert "started_on" in response.json()


def test_every_kind_is_accepted(api_client):
    kinds = [
        "medication_start",
        "medication_stop",
        "medication_change",
        "physiotherapy",
        "injection",
        "surgery",
        "other",
    ]
    for kind in kinds:
        assert api_client.post("/api/treatments/", valid(kind=kind)).status_code == 201
    assert sorted(TreatmentEvent.objects.values_list("kind", flat=True)) == sorted(kinds)


def test_patch_changes_only_the_given_fields(api_client, user):
    event = TreatmentEventFactory(user=user, name="Naproxen", notes="500 mg")
    response = api_client.patch(
        f"/api/treatments/{event.pk}/", {"kind": "medication_change"}, format="json"
    )
    assert response.status_code == 200
    event.refresh_from_db()
    assert (event.kind, event.name, event.notes) == ("medication_change", "Naproxen", "500 mg")


def test_patch_validates_like_post(api_client, user):
    event = TreatmentEventFactory(user=user)
    response = api_client.patch(
        f"/api/treatments/{event.pk}/", {"started_on": "2026-12-05"}, format="json"
    )
    assert response.status_code == 400
    assert set(response.json()) == {"started_on"}


def test_get_and_delete_own_event(api_client, user):
    event = TreatmentEventFactory(user=user)
    assert api_client.get(f"/api/treatments/{event.pk}/").json()["name"] == event.name
    assert api_client.delete(f"/api/treatments/{event.pk}/").status_code == 204
    assert not TreatmentEvent.objects.filter(pk=event.pk).exists()


@pytest.mark.parametrize("method", ["get", "patch", "delete"])
def test_another_patients_event_is_a_404_and_untouched(api_client, other_user, method):
    theirs = TreatmentEventFactory(user=other_user, name="Theirs")
    response = getattr(api_client, method)(
        f"/api/treatments/{theirs.pk}/", {"name": "Mine now"}, format="json"
    )
    assert response.status_code == 404
    theirs.refresh_from_db()
    assert theirs.name == "Theirs"


def test_strangers_get_401(anon_client):
    assert anon_client.get("/api/treatments/").status_code == 401
    assert anon_client.post("/api/treatments/", valid(), format="json").status_code == 401


def test_direction_controls_are_stripped_from_name_and_notes(api_client, user):
    body = valid(name="Pregabalin \u202e05\u202c", notes="\u2067dose\u2069 up")
    created = api_client.post("/api/treatments/", body, format="json")
    assert created.status_code == 201, created.json()
    event = TreatmentEvent.objects.get(user=user)
    assert (event.name, event.notes) == ("Pregabalin 05", "dose up")

    changed = api_client.patch(
        f"/api/treatments/{event.pk}/", {"name": "Gabapentin\u200e"}, format="json"
    )
    assert changed.status_code == 200
    event.refresh_from_db()
    assert event.name == "Gabapentin"
