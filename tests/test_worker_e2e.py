"""End to end with a real Celery worker process, the configured broker and a real SMTP server.

The worker runs `celery -A config worker` on the same broker this process publishes to (the
test run's own file-system queue, or Redis when CELERY_BROKER_URL is set) and on the test
database (a file SQLite database, or PostgreSQL's test_<name> when DATABASE_URL is set).
"""

from __future__ import annotations

import os
import time
from collections.abc import Iterator
from datetime import timedelta

import pytest
from aiosmtpd.controller import Controller
from django.core.management import call_command
from django.utils import timezone
from rest_framework.test import APIClient

from config.celery import app, ping
from diary.models import AlertDelivery, Flag
from tests.factories import ContactFactory, UserFactory
from tests.support import Inbox, Worker, free_port, start_worker, wait_for

pytestmark = [pytest.mark.worker, pytest.mark.timeout(120)]


@pytest.fixture
def smtp() -> Iterator[tuple[Inbox, int]]:
    inbox, port = Inbox(), free_port()
    server = Controller(inbox, hostname="127.0.0.1", port=port)
    server.start()
    yield inbox, port
    server.stop()


@pytest.fixture
def worker(transactional_db, tmp_path, smtp) -> Iterator[Worker]:
    yield from start_worker(tmp_path, smtp[1])


def test_the_worker_runs_a_ping_sent_from_this_process(worker):
    result = ping.delay("hello")
    wait_for(lambda: f"Task config.ping[{result.id}] succeeded" in worker.text(), 20, "ping")


def test_a_red_flag_entry_alerts_each_recipient_exactly_once_within_seconds(worker, smtp):
    inbox, _ = smtp
    patient = UserFactory(email="pat@example.com", timezone="UTC")
    ContactFactory(user=patient, email="gp@clinic.example")
    client = APIClient()
    client.force_authenticate(patient)
    entry = {
        "intensity": 6,
        "locations": [{"region": "saddle", "side": "center"}],
        "red_flags": ["saddle_numbness"],
        "notes": "private note",
    }

    saved_at = time.monotonic()
    assert client.post("/api/entries/", entry, format="json").status_code == 201

    wait_for(lambda: len(inbox.messages) >= 2, 30, "two alert e-mails")
    assert time.monotonic() - saved_at < 30
    assert inbox.recipients() == ["gp@clinic.example", "pat@example.com"]
    assert all(b"private note" not in m.original_content for m in inbox.messages)
    flags = client.get("/api/flags/?status=active").json()
    assert [f["code"] for f in flags] == ["red_flag_saddle_numbness"]
    wait_for(
        lambda: set(AlertDelivery.objects.values_list("status", flat=True)) == {"sent"},
        10,
        "deliveries marked sent",
    )

    # Another red-flag entry while the flag is active, and a rescan here and in the worker.
    assert client.post("/api/entries/", entry, format="json").status_code == 201
    wait_for(lambda: worker.succeeded("diary.raise_red_flags") >= 2, 30, "second check")
    call_command("scan_patterns", stdout=open(os.devnull, "w"))  # noqa: SIM115
    app.send_task("diary.scan_all_patients")
    wait_for(lambda: worker.succeeded("diary.scan_patients_chunk") >= 1, 30, "worker scan")
    time.sleep(1)  # anything wrongly queued would have been sent by now

    assert inbox.recipients() == ["gp@clinic.example", "pat@example.com"]
    assert Flag.objects.filter(user=patient).count() == 1
    assert AlertDelivery.objects.count() == 2
    assert "Traceback" not in worker.text()


def _patient_and_client() -> tuple[object, APIClient]:
    patient = UserFactory(email="pat@example.com", timezone="UTC")
    ContactFactory(user=patient, email="gp@clinic.example")
    client = APIClient()
    client.force_authenticate(patient)
    return patient, client


def test_acknowledge_then_a_back_dated_re_report_alerts_again_within_seconds(worker, smtp):
    # Issue 9, case 1: logged as "Earlier" after acknowledging, it used to be swallowed.
    inbox, _ = smtp
    _, client = _patient_and_client()
    three_days_ago = (timezone.now() - timedelta(days=3)).isoformat()
    first = {
        "intensity": 4,
        "occurred_at": three_days_ago,
        "locations": [{"region": "buttock", "side": "left"}],
        "red_flags": ["saddle_numbness"],
    }
    assert client.post("/api/entries/", first, format="json").status_code == 201
    wait_for(lambda: len(inbox.messages) >= 2, 30, "the first alert e-mails")
    (flag,) = client.get("/api/flags/?status=active").json()
    assert client.post(f"/api/flags/{flag['id']}/acknowledge/").status_code == 200

    earlier = (timezone.now() - timedelta(minutes=30)).isoformat()
    again = {
        "intensity": 0,
        "occurred_at": earlier,
        "locations": [{"region": "saddle", "side": "center"}],
        "pain_types": ["numbness"],  # the body map this time, not the tick box
    }
    saved_at = time.monotonic()
    response = client.post("/api/entries/", again, format="json")
    assert response.status_code == 201, response.content

    wait_for(lambda: len(inbox.messages) >= 4, 30, "a second alert e-mail to each recipient")
    assert time.monotonic() - saved_at < 30
    assert sorted(inbox.recipients()) == sorted(["gp@clinic.example", "pat@example.com"] * 2)
    active = client.get("/api/flags/?status=active").json()
    assert [f["code"] for f in active] == ["red_flag_saddle_numbness"]
    assert active[0]["id"] != flag["id"]
    assert "Traceback" not in worker.text()


def test_editing_an_entry_to_add_a_red_flag_alerts_within_seconds(worker, smtp):
    inbox, _ = smtp
    _, client = _patient_and_client()
    plain = {"intensity": 3, "locations": [{"region": "calf", "side": "left"}]}
    created = client.post("/api/entries/", plain, format="json")
    assert created.status_code == 201
    time.sleep(1)
    assert inbox.messages == []

    saved_at = time.monotonic()
    changed = client.patch(
        f"/api/entries/{created.json()['id']}/", {"red_flags": ["bladder_bowel"]}, format="json"
    )
    assert changed.status_code == 200

    wait_for(lambda: len(inbox.messages) >= 2, 30, "two alert e-mails after the edit")
    assert time.monotonic() - saved_at < 30
    assert inbox.recipients() == ["gp@clinic.example", "pat@example.com"]
    assert [f["code"] for f in client.get("/api/flags/?status=active").json()] == [
        "red_flag_bladder_bowel"
    ]
