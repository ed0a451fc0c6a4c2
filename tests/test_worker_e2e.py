"""End to end with a real Celery worker process, the configured broker and a real SMTP server.

The worker runs `celery -A config worker` on the same broker this process publishes to (the
test run's own file-system queue, or Redis when CELERY_BROKER_URL is set) and on the test
database (a file SQLite database, or PostgreSQL's test_<name> when DATABASE_URL is set).
"""

from __future__ import annotations

import os
import re
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from aiosmtpd.controller import Controller
from django.conf import settings
from django.core.management import call_command
from django.db import connection
from rest_framework.test import APIClient

from config.celery import app, ping
from diary.models import AlertDelivery, Flag
from tests.factories import ContactFactory, UserFactory

pytestmark = [pytest.mark.worker, pytest.mark.timeout(120)]

ROOT = Path(__file__).resolve().parent.parent
CELERY = Path(sys.executable).parent / "celery"


class Inbox:
    def __init__(self) -> None:
        self.messages: list = []

    async def handle_DATA(self, server, session, envelope):  # noqa: N802 - aiosmtpd's hook name
        self.messages.append(envelope)
        return "250 OK"

    def recipients(self) -> list[str]:
        return sorted(rcpt for message in self.messages for rcpt in message.rcpt_tos)


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def wait_for(check: Callable[[], object], seconds: float, what: str) -> object:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        value = check()
        if value:
            return value
        time.sleep(0.1)
    raise AssertionError(f"timed out after {seconds}s waiting for {what}")


def database_url() -> str:
    """The URL of the database this test process uses now (the test database)."""
    db = connection.settings_dict
    if db["ENGINE"] == "django.db.backends.sqlite3":
        return f"sqlite:///{db['NAME']}"
    auth = db["USER"] or ""
    if db["PASSWORD"]:
        auth += f":{db['PASSWORD']}"
    host = f"{auth}@" if auth else ""
    port = f":{db['PORT']}" if db["PORT"] else ""
    return f"postgres://{host}{db['HOST'] or '127.0.0.1'}{port}/{db['NAME']}"


class Worker:
    def __init__(self, log: Path) -> None:
        self.log = log

    def text(self) -> str:
        return self.log.read_text(errors="replace") if self.log.exists() else ""

    def succeeded(self, task: str) -> int:
        return len(re.findall(rf"Task {re.escape(task)}\[[^\]]+\] succeeded", self.text()))


@pytest.fixture
def smtp() -> Iterator[tuple[Inbox, int]]:
    inbox, port = Inbox(), free_port()
    server = Controller(inbox, hostname="127.0.0.1", port=port)
    server.start()
    yield inbox, port
    server.stop()


def start_worker(tmp_path: Path, smtp_port: int) -> Iterator[Worker]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("PYTEST")}
    env.update(
        {
            "DJANGO_SETTINGS_MODULE": "config.settings",
            "DATABASE_URL": database_url(),
            "EMAIL_HOST": "127.0.0.1",
            "EMAIL_PORT": str(smtp_port),
            "SITE_URL": "http://127.0.0.1:8000",
            "CELERY_TASK_ALWAYS_EAGER": "false",
            "LOG_LEVEL": "INFO",
        }
    )
    if settings.CELERY_BROKER_URL.startswith("filesystem://"):
        # The worker's VAR_DIR/broker is this test run's own queue folder.
        env["VAR_DIR"] = str(settings.TEST_RUN_DIR)
    app.control.purge()  # nothing left over from earlier tests
    log = tmp_path / "worker.log"
    with log.open("wb") as out:
        process = subprocess.Popen(
            [
                str(CELERY),
                "-A",
                "config",
                "worker",
                "--loglevel=INFO",
                "--concurrency=2",
                "--without-gossip",
                "--without-mingle",
                "--without-heartbeat",
            ],
            cwd=ROOT,
            env=env,
            stdout=out,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
    worker = Worker(log)
    try:
        wait_for(lambda: " ready." in worker.text() or process.poll() is not None, 40, "worker")
        assert process.poll() is None, worker.text()
        yield worker
    finally:
        # Warm shutdown through the main process; it stops its own pool children.
        process.send_signal(signal.SIGTERM)
        try:
            process.wait(timeout=15)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)
            process.wait(timeout=5)


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
