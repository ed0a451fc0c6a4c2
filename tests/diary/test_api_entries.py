"""Entries API: validation, idempotent retries, privacy, timing derivation (CONTRACT §4)."""

from __future__ import annotations

import threading
import uuid
from datetime import UTC, datetime, timedelta

import pytest
import time_machine
from django.db import connection
from rest_framework.test import APIClient

from diary import vocabulary as vocab
from diary.models import Entry, EntryLocation
from tests.factories import EntryFactory

pytestmark = pytest.mark.django_db

NOW = datetime(2026, 11, 20, 22, 30, tzinfo=UTC)


def valid_entry(**overrides: object) -> dict:
    entry = {
        "occurred_at": "2026-11-20T23:30:00+01:00",
        "intensity": 7,
        "locations": [{"region": "foot_sole", "side": "left"}],
        "pain_types": ["burning", "tingling"],
        "activity": "lying_down",
        "red_flags": [],
        "context": [],
        "notes": "",
    }
    entry.update(overrides)
    return entry


@pytest.fixture(autouse=True)
def _frozen_clock():
    with time_machine.travel(NOW, tick=False):
        yield


def test_creating_an_entry_returns_it_with_derived_day_and_timing(api_client, user):
    response = api_client.post("/api/entries/", valid_entry(), format="json")
    assert response.status_code == 201
    body = response.json()
    assert body["intensity"] == 7
    assert body["timing"] == "night"  # 22:30 in London
    assert body["local_date"] == "2026-11-20"
    assert body["locations"] == [{"region": "foot_sole", "side": "left"}]
    assert body["pain_types"] == ["burning", "tingling"]
    entry = Entry.objects.get(pk=body["id"])
    assert entry.user == user
    assert list(entry.locations.values_list("region", "side", "level")) == [
        ("foot_sole", "left", 5)
    ]


def test_occurred_at_defaults_to_now(api_client):
    body = api_client.post("/api/entries/", {"intensity": 0}, format="json").json()
    assert datetime.fromisoformat(body["occurred_at"]) == NOW
    assert body["locations"] == []


def test_an_explicit_timing_wins_over_the_clock(api_client):
    body = api_client.post("/api/entries/", valid_entry(timing="morning"), format="json").json()
    assert body["timing"] == "morning"


@pytest.mark.parametrize(
    ("zone", "moment", "timing", "day"),
    [
        ("Europe/London", "2026-11-20T04:59:00+00:00", "night", "2026-11-20"),
        ("Europe/London", "2026-11-20T05:00:00+00:00", "morning", "2026-11-20"),
        ("Europe/London", "2026-11-20T12:00:00+00:00", "afternoon", "2026-11-20"),
        ("Europe/London", "2026-11-20T17:00:00+00:00", "evening", "2026-11-20"),
        ("Europe/London", "2026-11-20T22:00:00+00:00", "night", "2026-11-20"),
        ("Asia/Tokyo", "2026-11-20T14:30:00+00:00", "night", "2026-11-20"),  # 23:30 Tokyo
        ("Asia/Tokyo", "2026-11-20T15:30:00+00:00", "night", "2026-11-21"),  # 00:30 next day
        ("America/Los_Angeles", "2026-11-20T06:00:00+00:00", "night", "2026-11-19"),  # 22:00
        # DST: London springs forward 2026-03-29 01:00 UTC; 05:30 UTC is 06:30 BST.
        ("Europe/London", "2026-03-29T04:30:00+00:00", "morning", "2026-03-29"),
        ("Europe/London", "2026-03-28T04:30:00+00:00", "night", "2026-03-28"),
        # DST end: New York falls back 2026-11-01 06:00 UTC; 10:30 UTC is 05:30 EST.
        ("America/New_York", "2026-11-01T10:30:00+00:00", "morning", "2026-11-01"),
        ("America/New_York", "2026-10-31T09:30:00+00:00", "morning", "2026-10-31"),  # 05:30 EDT
        ("America/New_York", "2026-11-01T09:30:00+00:00", "night", "2026-11-01"),  # 04:30 EST
    ],
)
def test_timing_and_day_follow_the_patients_time_zone(api_client, user, zone, moment, timing, day):
    user.timezone = zone
    user.save()
    body = api_client.post("/api/entries/", valid_entry(occurred_at=moment), format="json").json()
    assert (body["timing"], body["local_date"]) == (timing, day)


@pytest.mark.parametrize(
    ("overrides", "field"),
    [
        ({"intensity": None}, "intensity"),
        ({"intensity": 11}, "intensity"),
        ({"intensity": -1}, "intensity"),
        ({"intensity": "severe"}, "intensity"),
        ({"occurred_at": "2026-11-20T22:41:00+00:00"}, "occurred_at"),  # 11 min ahead
        ({"occurred_at": (NOW - timedelta(days=401)).isoformat()}, "occurred_at"),
        ({"occurred_at": "yesterday"}, "occurred_at"),
        ({"timing": "midnight"}, "timing"),
        ({"locations": []}, "locations"),
        ({"locations": [{"region": "elbow", "side": "left"}]}, "locations"),
        ({"locations": [{"region": "calf", "side": "up"}]}, "locations"),
        ({"locations": [{"region": "calf", "side": "center"}]}, "locations"),
        ({"locations": [{"region": "calf"}]}, "locations"),
        ({"locations": "calf"}, "locations"),
        (
            {"locations": [{"region": "calf", "side": "left"}, {"region": "calf", "side": "left"}]},
            "locations",
        ),
        ({"pain_types": ["stabbing"]}, "pain_types"),
        ({"pain_types": ["burning", "burning"]}, "pain_types"),
        ({"activity": "flying"}, "activity"),
        ({"red_flags": ["headache"]}, "red_flags"),
        ({"context": ["moon_phase"]}, "context"),
        ({"notes": "x" * 2001}, "notes"),
        ({"id": "not-a-uuid"}, "id"),
    ],
)
def test_invalid_input_is_a_400_naming_the_field(api_client, overrides, field):
    response = api_client.post("/api/entries/", valid_entry(**overrides), format="json")
    assert response.status_code == 400, response.content
    assert field in response.json()
    assert Entry.objects.count() == 0


def test_boundaries_that_are_allowed(api_client):
    ok = [
        valid_entry(occurred_at=(NOW + timedelta(minutes=10)).isoformat()),
        valid_entry(occurred_at=(NOW - timedelta(days=400) + timedelta(minutes=1)).isoformat()),
        valid_entry(notes="x" * 2000),
        valid_entry(intensity=0, locations=[]),
        valid_entry(intensity=10, locations=[{"region": "saddle", "side": "center"}]),
        valid_entry(activity=None),
    ]
    for payload in ok:
        response = api_client.post("/api/entries/", payload, format="json")
        assert response.status_code == 201, response.content


def test_every_vocabulary_code_is_accepted(api_client):
    for region in vocab.REGIONS:
        side = "center" if region.code in vocab.CENTER_REGIONS else "both"
        payload = valid_entry(
            locations=[{"region": region.code, "side": side}],
            pain_types=[p.code for p in vocab.PAIN_TYPES],
            red_flags=[f.code for f in vocab.RED_FLAGS],
            context=[c.code for c in vocab.CONTEXT_TAGS],
        )
        assert api_client.post("/api/entries/", payload, format="json").status_code == 201


def test_a_retried_post_returns_the_stored_entry_and_changes_nothing(api_client):
    entry_id = str(uuid.uuid4())
    first = api_client.post("/api/entries/", valid_entry(id=entry_id), format="json")
    retry = api_client.post("/api/entries/", valid_entry(id=entry_id, intensity=2), format="json")
    assert (first.status_code, retry.status_code) == (201, 200)
    assert retry.json()["id"] == entry_id
    assert retry.json()["intensity"] == 7
    assert Entry.objects.count() == 1
    assert EntryLocation.objects.count() == 1


def test_another_patients_id_cannot_be_reused(api_client, other_user):
    theirs = EntryFactory(user=other_user)
    response = api_client.post("/api/entries/", valid_entry(id=str(theirs.pk)), format="json")
    assert response.status_code == 409
    assert Entry.objects.get(pk=theirs.pk).user == other_user


@pytest.mark.django_db(transaction=True)
def test_two_concurrent_identical_posts_store_one_entry(user):
    entry_id = str(uuid.uuid4())
    barrier = threading.Barrier(4)
    statuses: list[int] = []

    def post() -> None:
        client = APIClient()
        client.force_authenticate(user)
        barrier.wait()
        statuses.append(
            client.post("/api/entries/", valid_entry(id=entry_id), format="json").status_code
        )
        connection.close()

    threads = [threading.Thread(target=post) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(statuses) == [200, 200, 200, 201]
    assert Entry.objects.filter(pk=entry_id).count() == 1
    assert EntryLocation.objects.filter(entry_id=entry_id).count() == 1


def test_creating_an_entry_takes_a_fixed_number_of_queries(
    api_client, django_assert_max_num_queries, django_capture_on_commit_callbacks
):
    # Counted with the after-commit listeners run, as they are outside a test transaction.
    with django_assert_max_num_queries(6), django_capture_on_commit_callbacks(execute=True):
        response = api_client.post(
            "/api/entries/", valid_entry(id=str(uuid.uuid4())), format="json"
        )
    assert response.status_code == 201


def test_listing_is_newest_first_paginated_and_filtered_by_local_date(api_client, user):
    for days_ago in range(5):
        EntryFactory(user=user, occurred_at=NOW - timedelta(days=days_ago), intensity=days_ago)
    body = api_client.get("/api/entries/").json()
    assert body["count"] == 5
    assert [e["intensity"] for e in body["results"]] == [0, 1, 2, 3, 4]
    assert set(body) == {"count", "next", "previous", "results"}
    window = api_client.get("/api/entries/?from=2026-11-17&to=2026-11-19").json()
    assert [e["local_date"] for e in window["results"]] == [
        "2026-11-19",
        "2026-11-18",
        "2026-11-17",
    ]
    page = api_client.get("/api/entries/?page_size=2").json()
    assert len(page["results"]) == 2
    assert page["next"]


@pytest.mark.parametrize(
    "query", ["from=tomorrow", "to=2026-13-01", "from=2026-11-20&to=2026-11-01"]
)
def test_bad_date_filters_are_400(api_client, query):
    response = api_client.get(f"/api/entries/?{query}")
    assert response.status_code == 400


def test_listing_shows_only_the_callers_entries(api_client, user, other_user):
    mine = EntryFactory(user=user)
    EntryFactory(user=other_user)
    body = api_client.get("/api/entries/").json()
    assert [e["id"] for e in body["results"]] == [str(mine.pk)]


def test_listing_takes_the_same_queries_for_few_or_many_entries(
    api_client, user, django_assert_num_queries
):
    EntryFactory(user=user)
    with django_assert_num_queries(3):
        api_client.get("/api/entries/")
    for _ in range(20):
        EntryFactory(user=user, locations=[("calf", "left"), ("heel", "left")])
    with django_assert_num_queries(3):
        api_client.get("/api/entries/")


def test_an_entry_can_be_read_changed_and_deleted(api_client, user):
    entry = EntryFactory(user=user, intensity=4, occurred_at=NOW - timedelta(hours=2))
    url = f"/api/entries/{entry.pk}/"
    assert api_client.get(url).json()["intensity"] == 4
    changed = api_client.patch(
        url,
        {"intensity": 8, "locations": [{"region": "heel", "side": "right"}], "notes": "worse"},
        format="json",
    )
    assert changed.status_code == 200
    assert changed.json()["intensity"] == 8
    assert changed.json()["locations"] == [{"region": "heel", "side": "right"}]
    assert api_client.delete(url).status_code == 204
    assert not Entry.objects.filter(pk=entry.pk).exists()
    assert not EntryLocation.objects.filter(entry_id=entry.pk).exists()


def test_changing_the_time_moves_the_day_and_timing(api_client, user):
    entry = EntryFactory(user=user, occurred_at=NOW - timedelta(days=1))
    body = api_client.patch(
        f"/api/entries/{entry.pk}/", {"occurred_at": "2026-11-18T08:00:00+00:00"}, format="json"
    ).json()
    assert (body["local_date"], body["timing"]) == ("2026-11-18", "morning")
    assert EntryLocation.objects.get(entry=entry).local_date.isoformat() == "2026-11-18"


def test_a_patch_cannot_leave_a_painful_entry_without_a_location(api_client, user):
    entry = EntryFactory(user=user, intensity=0, locations=[])
    response = api_client.patch(f"/api/entries/{entry.pk}/", {"intensity": 5}, format="json")
    assert response.status_code == 400
    assert "locations" in response.json()


@pytest.mark.parametrize("method", ["get", "patch", "delete"])
def test_another_patients_entry_is_404(api_client, other_user, method):
    theirs = EntryFactory(user=other_user, intensity=3)
    response = getattr(api_client, method)(
        f"/api/entries/{theirs.pk}/", {"intensity": 9}, format="json"
    )
    assert response.status_code == 404
    theirs.refresh_from_db()
    assert theirs.intensity == 3


def test_a_malformed_entry_id_is_404(api_client):
    assert api_client.get("/api/entries/not-a-uuid/").status_code == 404


def test_the_vocabulary_lists_every_code_with_levels_and_roots(anon_client):
    body = anon_client.get("/api/vocabulary/").json()
    regions = {r["code"]: r for r in body["regions"]}
    assert len(regions) == 21
    assert regions["lower_back"]["level"] == 0
    assert regions["foot_sole"]["level"] == 5
    assert regions["big_toe"]["roots"] == ["L5"]
    assert regions["heel"]["roots"] == ["S1"]
    assert regions["buttock"]["roots"] == []
    assert [s["code"] for s in body["sides"]] == ["left", "right", "both", "center"]
    assert len(body["pain_types"]) == 15
    assert {p["group"] for p in body["pain_types"]} == {"nerve", "muscle", "other"}
    assert [t["code"] for t in body["timings"]] == ["morning", "afternoon", "evening", "night"]
    assert len(body["activities"]) == 7
    flags = {f["code"]: f["severity"] for f in body["red_flags"]}
    assert flags == {
        "saddle_numbness": "emergency",
        "bladder_bowel": "emergency",
        "sudden_weakness": "emergency",
        "foot_drop": "urgent",
        "toe_walk_difficulty": "urgent",
        "heel_walk_difficulty": "urgent",
    }
    assert len(body["context"]) == 5


def test_the_openapi_schema_and_docs_are_served(anon_client):
    schema = anon_client.get("/api/schema/")
    assert schema.status_code == 200
    assert b"/api/entries/" in schema.content
    docs = anon_client.get("/api/docs/")
    assert docs.status_code == 200
    assert b"cdn" not in docs.content.lower()
