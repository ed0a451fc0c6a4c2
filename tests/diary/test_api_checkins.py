"""Weekly check-in API: one per week, updates on a second answer, totals (CONTRACT §8)."""

from __future__ import annotations

import threading
from datetime import UTC, date, datetime

import pytest
import time_machine
from django.db import connection
from rest_framework.test import APIClient

from diary.models import CheckIn
from tests.factories import CheckInFactory

pytestmark = pytest.mark.django_db

NOW = datetime(2026, 12, 2, 12, 0, tzinfo=UTC)  # a Wednesday; the week began on 30 Nov
MONDAY = "2026-11-30"


@pytest.fixture(autouse=True)
def _frozen_clock():
    with time_machine.travel(NOW, tick=False):
        yield


def answers(**overrides: object) -> dict:
    body = {
        "week_of": MONDAY,
        "leg_pain": 5,
        "numbness_tingling": 3,
        "weakness": 1,
        "sitting_pain": 6,
        "global_change": "better",
    }
    body.update(overrides)
    return body


def test_a_first_answer_is_created_with_its_total(api_client, user):
    response = api_client.post("/api/checkins/", answers(), format="json")
    assert response.status_code == 201
    body = response.json()
    assert body == {"id": body["id"], **answers(), "total": 15}
    assert CheckIn.objects.get().user == user


def test_a_second_answer_for_the_same_week_updates_it(api_client):
    first = api_client.post("/api/checkins/", answers(), format="json")
    second = api_client.post(
        "/api/checkins/", answers(leg_pain=2, global_change="much_better"), format="json"
    )
    assert (first.status_code, second.status_code) == (201, 200)
    assert second.json()["id"] == first.json()["id"]
    assert second.json()["total"] == 12
    stored = CheckIn.objects.get()
    assert (stored.leg_pain, stored.global_change) == (2, "much_better")


def test_another_week_is_another_check_in(api_client):
    api_client.post("/api/checkins/", answers(), format="json")
    response = api_client.post("/api/checkins/", answers(week_of="2026-11-23"), format="json")
    assert response.status_code == 201
    assert CheckIn.objects.count() == 2


def test_the_list_is_the_callers_own_latest_week_first(api_client, user, other_user):
    CheckInFactory(user=user, week_of=date(2026, 11, 16))
    CheckInFactory(user=user, week_of=date(2026, 11, 23), leg_pain=6)
    CheckInFactory(user=other_user, week_of=date(2026, 11, 23))
    body = api_client.get("/api/checkins/").json()
    assert [c["week_of"] for c in body] == ["2026-11-23", "2026-11-16"]
    assert body[0]["total"] == 6 + 2 + 2 + 2


@pytest.mark.parametrize("day", ["2026-11-29", "2026-12-01", "2026-11-28"])
def test_a_week_of_that_is_not_a_monday_is_a_400(api_client, day):
    response = api_client.post("/api/checkins/", answers(week_of=day), format="json")
    assert response.status_code == 400
    assert set(response.json()) == {"week_of"}


def test_a_week_that_has_not_started_is_a_400(api_client):
    response = api_client.post("/api/checkins/", answers(week_of="2026-12-07"), format="json")
    assert response.status_code == 400
    assert set(response.json()) == {"week_of"}


@pytest.mark.parametrize("item", ["leg_pain", "numbness_tingling", "weakness", "sitting_pain"])
@pytest.mark.parametrize(("value", "accepted"), [(-1, False), (0, True), (6, True), (7, False)])
def test_each_item_is_0_to_6(api_client, item, value, accepted):
    response = api_client.post("/api/checkins/", answers(**{item: value}), format="json")
    assert response.status_code == (201 if accepted else 400)
    if not accepted:
        assert set(response.json()) == {item}


def test_totals_reach_0_and_24(api_client):
    low = dict.fromkeys(["leg_pain", "numbness_tingling", "weakness", "sitting_pain"], 0)
    assert api_client.post("/api/checkins/", answers(**low)).json()["total"] == 0
    high = dict.fromkeys(low, 6)
    assert api_client.post("/api/checkins/", answers(**high)).json()["total"] == 24


def test_an_unknown_global_change_is_a_400(api_client):
    response = api_client.post("/api/checkins/", answers(global_change="fine"), format="json")
    assert response.status_code == 400
    assert set(response.json()) == {"global_change"}


def test_answering_never_touches_another_patients_week(api_client, other_user):
    theirs = CheckInFactory(user=other_user, week_of=date(2026, 11, 30), leg_pain=6)
    assert api_client.post("/api/checkins/", answers(leg_pain=0)).status_code == 201
    theirs.refresh_from_db()
    assert theirs.leg_pain == 6
    assert CheckIn.objects.count() == 2


def test_strangers_get_401(anon_client):
    assert anon_client.get("/api/checkins/").status_code == 401
    assert anon_client.post("/api/checkins/", answers(), format="json").status_code == 401


@pytest.mark.django_db(transaction=True)
def test_concurrent_answers_for_one_week_store_one_check_in(user):
    barrier = threading.Barrier(4)
    statuses: list[int] = []

    def post(leg_pain: int) -> None:
        client = APIClient()
        client.force_authenticate(user)
        barrier.wait()
        statuses.append(
            client.post("/api/checkins/", answers(leg_pain=leg_pain), format="json").status_code
        )
        connection.close()

    threads = [threading.Thread(target=post, args=(n,)) for n in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(statuses) == [200, 200, 200, 201]
    stored = CheckIn.objects.get(user=user, week_of=date(2026, 11, 30))
    assert stored.leg_pain in {0, 1, 2, 3}
