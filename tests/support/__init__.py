"""Helpers for tests that run real processes: a Celery worker, an SMTP server, the broker.

Used by tests/test_worker_e2e.py and tests/test_faults.py. The worker runs
`celery -A config worker` on the broker this process publishes to (the test run's own
file-system queue, or Redis when CELERY_BROKER_URL is set) and on the test database (a file
SQLite database, or PostgreSQL's test_<name> when DATABASE_URL is set).
"""

from __future__ import annotations

import os
import re
import signal
import socket
import subprocess
import sys
import time
from collections import Counter
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

from django.conf import settings
from django.db import connection

from config.celery import app

ROOT = Path(__file__).resolve().parents[2]
CELERY = Path(sys.executable).parent / "celery"


class Inbox:
    """An aiosmtpd handler that keeps every message it accepts."""

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
    def __init__(self, log: Path, process: subprocess.Popen | None = None) -> None:
        self.log = log
        self.process = process

    def text(self) -> str:
        return self.log.read_text(errors="replace") if self.log.exists() else ""

    def succeeded(self, task: str) -> int:
        return len(re.findall(rf"Task {re.escape(task)}\[[^\]]+\] succeeded", self.text()))

    def redelivered(self, task: str) -> list[str]:
        """Ids of the task's messages the worker received more than once."""
        pattern = rf"Task {re.escape(task)}\[([^\]]+)\] received"
        counts = Counter(re.findall(pattern, self.text()))
        return [task_id for task_id, count in counts.items() if count > 1]

    def succeeded_id(self, task_id: str) -> bool:
        return re.search(rf"\[{re.escape(task_id)}\] succeeded", self.text()) is not None

    def pool_children(self) -> list[int]:
        """Pids of the worker's pool processes (the main process's children), from /proc."""
        assert self.process is not None
        return child_pids(self.process.pid)


def child_pids(parent: int) -> list[int]:
    children = []
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            text = stat.read_text()
        except OSError:
            continue  # gone meanwhile
        # Fields after the command (which may hold spaces) in parentheses: state, ppid, …
        fields = text.rsplit(")", 1)[1].split()
        if int(fields[1]) == parent and fields[0] != "Z":
            children.append(int(stat.parent.name))
    return sorted(children)


def start_worker(
    tmp_path: Path, smtp_port: int, *, concurrency: int = 2, extra_env: dict | None = None
) -> Iterator[Worker]:
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
            **(extra_env or {}),
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
                f"--concurrency={concurrency}",
                "--pool=prefork",
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
    worker = Worker(log, process)
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


@contextmanager
def eager_tasks() -> Iterator[None]:
    """Run tasks in this process, as a worker would, without a broker."""
    before = app.conf.task_always_eager
    app.conf.task_always_eager = True
    try:
        yield
    finally:
        app.conf.task_always_eager = before


def _drop_broker_connections() -> None:
    # The app caches its connection and producer pools; forgetting them makes it look up the
    # pools of the URL now configured (kombu keeps one per URL, so none is closed here).
    app._pool = None
    app.amqp._producer_pool = None


@contextmanager
def broker_unreachable(url: str = "redis://127.0.0.1:1/0") -> Iterator[None]:
    """Point the Celery app at a broker nobody listens on, failing fast; restore afterwards."""
    # broker_write_url, not broker_url: Celery reads CELERY_BROKER_URL from the environment
    # before its own setting, and the publisher uses the write URL.
    keys = (
        "broker_write_url",
        "broker_transport_options",
        "broker_connection_timeout",
        "broker_connection_retry",
        "broker_connection_max_retries",
        "task_publish_retry",
    )
    saved = {key: app.conf[key] for key in keys}
    app.conf.update(
        broker_write_url=url,
        # One quick try per publish: kombu otherwise retries the connection for seconds.
        broker_transport_options={"max_retries": 0, "interval_start": 0, "interval_max": 0},
        broker_connection_timeout=1,
        broker_connection_retry=False,
        broker_connection_max_retries=0,
        task_publish_retry=False,
    )
    _drop_broker_connections()
    try:
        yield
    finally:
        app.conf.update(saved)
        _drop_broker_connections()
