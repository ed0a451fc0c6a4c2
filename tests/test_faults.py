"""Faults: the broker away, the database failing mid-scan, a worker killed mid-send.

Real parts throughout: the API, the services, the Celery tasks (eager, or in a real worker
process), a real SMTP server. Only third-party boundaries are made to fail: the broker URL
points at a closed port, a database execute wrapper raises on chosen INSERTs, SIGKILL ends a
worker's pool process. The promise under test (CONTRACT §5): a red flag is never lost, and
each new activation e-mails each recipient exactly once.
"""

from __future__ import annotations

import asyncio
import os
import signal
import threading
from collections import Counter
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from datetime import timedelta

import pytest
from aiosmtpd.controller import Controller
from celery.exceptions import Retry
from django.core import mail
from django.db import IntegrityError, OperationalError, connection
from django.db.models import F
from django.utils import timezone
from rest_framework.test import APIClient

from config.celery import app
from diary import tasks as diary_tasks
from diary.models import AlertDelivery, Entry, Flag, User
from diary.services.entries import EntryInput, entry_create
from diary.services.scan import scan_chunk, scan_chunks
from reports import tasks as report_tasks
from reports.alerts import CLAIM_LEASE_SECONDS
from tests.factories import ContactFactory, EntryFactory, UserFactory
from tests.support import (
    Inbox,
    Worker,
    broker_unreachable,
    eager_tasks,
    free_port,
    start_worker,
    wait_for,
)

RED_ENTRY = {
    "intensity": 6,
    "locations": [{"region": "saddle", "side": "center"}],
    "red_flags": ["saddle_numbness"],
}
# One entry with an emergency and an urgent red flag: two alerting flags per patient.
TWO_ALERTS = {"red_flag_bladder_bowel", "motor_weakness"}


def patient_with_contact(email: str) -> User:
    user = UserFactory(email=email, timezone="UTC")
    ContactFactory(user=user, email=f"gp-of-{email.split('@')[0]}@clinic.example")
    return user


def recipients_of(user: User) -> list[str]:
    return sorted([user.email, *user.contacts.values_list("email", flat=True)])


def sent_to() -> list[str]:
    return sorted(address for message in mail.outbox for address in message.to)


def assert_each_alert_sent_once() -> None:
    """One e-mail per delivery row, none twice, and every row marked sent."""
    sent = Counter((message.to[0], message.subject) for message in mail.outbox)
    assert all(count == 1 for count in sent.values()), sent
    assert len(mail.outbox) == AlertDelivery.objects.count()
    assert set(AlertDelivery.objects.values_list("status", flat=True)) <= {"sent"}


# --- a. the broker is unreachable when an entry is saved -------------------------------------


@pytest.mark.django_db(transaction=True)
def test_a_red_flag_saved_while_the_broker_is_down_alerts_once_it_is_back(caplog):
    patient = patient_with_contact("pat@example.com")
    client = APIClient()
    client.force_authenticate(patient)

    with broker_unreachable():
        response = client.post("/api/entries/", RED_ENTRY, format="json")

    assert response.status_code == 201
    assert Entry.objects.filter(user=patient, pk=response.json()["id"]).exists()
    assert "Could not queue the red-flag check" in caplog.text
    # Issue 9: the save raises the flag in-process instead of waiting up to 15 minutes for the
    # scan; its e-mails wait in the database for the sweep (no broker, no send task).
    assert Flag.objects.get(user=patient).code == "red_flag_saddle_numbness"
    assert set(AlertDelivery.objects.values_list("status", flat=True)) == {"pending"}
    assert mail.outbox == []
    assert list(scan_chunks(changed_only=True)) == [[patient.pk]]  # still due for the safety net

    # The broker is back: beat's incremental scan and the delivery sweep run.
    with eager_tasks():
        assert diary_tasks.scan_changed_patients.delay().get() == 1
        report_tasks.sweep_alert_deliveries.delay()

    flag = Flag.objects.get(user=patient)
    assert (flag.code, flag.status) == ("red_flag_saddle_numbness", "active")
    assert sent_to() == recipients_of(patient)
    assert_each_alert_sent_once()

    with eager_tasks():
        diary_tasks.scan_changed_patients.delay()
        diary_tasks.scan_all_patients.delay()
        assert report_tasks.sweep_alert_deliveries.delay().get() == 0
    assert Flag.objects.filter(user=patient).count() == 1
    assert sent_to() == recipients_of(patient)


@pytest.mark.django_db(transaction=True)
def test_alerts_a_worker_could_not_queue_are_sent_by_the_sweep_exactly_once(caplog):
    patient = patient_with_contact("pat@example.com")
    red = EntryInput(intensity=6, locations=(("saddle", "center"),), red_flags=("bladder_bowel",))

    with broker_unreachable():
        entry, _ = entry_create(user=patient, data=red)
        # A worker that already holds the red-flag task runs it; queueing the sends then fails.
        diary_tasks.raise_red_flags.apply(args=[str(entry.pk)]).get()

    assert Flag.objects.get(user=patient).code == "red_flag_bladder_bowel"
    assert "Could not queue alert delivery" in caplog.text
    assert set(AlertDelivery.objects.values_list("status", flat=True)) == {"pending"}
    assert mail.outbox == []

    with eager_tasks():
        assert report_tasks.sweep_alert_deliveries.delay().get() == 2
        assert report_tasks.sweep_alert_deliveries.delay().get() == 0
        diary_tasks.scan_changed_patients.delay()
        diary_tasks.scan_all_patients.delay()

    assert sent_to() == recipients_of(patient)
    assert_each_alert_sent_once()


# --- b. the database fails part way through a scan -------------------------------------------


@dataclass
class _Rule:
    table: str
    error: Exception
    when: Callable[[list], bool]
    remaining: int


@dataclass
class FailingInserts:
    """A database execute wrapper: chosen INSERTs raise, each rule a given number of times."""

    rules: list[_Rule] = field(default_factory=list)
    fired: list[str] = field(default_factory=list)

    def fail(
        self,
        table: str,
        error: Exception,
        *,
        when: Callable[[list], bool] = lambda params: True,
        times: int = 1,
    ) -> FailingInserts:
        self.rules.append(_Rule(table, error, when, times))
        return self

    def __call__(self, execute, sql, params, many, context):
        for rule in self.rules:
            if (
                rule.remaining
                and sql.startswith(f'INSERT INTO "{rule.table}"')
                and rule.when(_flat(params))
            ):
                rule.remaining -= 1
                self.fired.append(rule.table)
                raise rule.error
        return execute(sql, params, many, context)


def _flat(params: Iterable | None) -> list:
    # PostgreSQL's bulk INSERT … UNNEST passes one array per column.
    values: list = []
    for value in params or ():
        values.extend(value if isinstance(value, list | tuple) else [value])
    return values


@pytest.fixture
def three_patients(transactional_db) -> list[User]:
    """Three patients, each with a contact and an entry carrying two alerting red flags."""
    patients = [patient_with_contact(f"p{n}@example.com") for n in (1, 2, 3)]
    for patient in patients:
        EntryFactory(
            user=patient,
            red_flags=["bladder_bowel", "foot_drop"],
            occurred_at=timezone.now() - timedelta(hours=1),
        )
    # As entry_create stamps it (the factory writes the rows only): due for the incremental scan.
    User.objects.filter(pk__in=[p.pk for p in patients]).update(entries_changed_at=timezone.now())
    return patients


def flag_codes(patient: User) -> list[str]:
    return sorted(Flag.objects.filter(user=patient).values_list("code", flat=True))


def test_a_chunk_whose_alert_rows_fail_to_write_rolls_back_whole_and_its_retry_completes(
    three_patients,
):
    ids = [p.pk for p in three_patients]
    # The flags of all three are inserted, then writing their alert rows fails: what the chunk
    # wrote goes with it (patterns_refresh_many writes a chunk in one transaction), and the
    # chunk task asks Celery to retry it.
    faults = FailingInserts().fail("diary_alertdelivery", OperationalError("disk I/O error"))

    with eager_tasks(), connection.execute_wrapper(faults), pytest.raises(Retry) as retry:
        diary_tasks.scan_patients_chunk.delay(ids)

    assert faults.fired == ["diary_alertdelivery"]
    assert retry.value.when == 5  # seconds: the first back-off step
    assert not Flag.objects.exists()
    assert not AlertDelivery.objects.exists()
    assert mail.outbox == []
    assert not User.objects.filter(pk__in=ids, scanned_at__isnull=False).exists()
    assert list(scan_chunks(changed_only=True)) == [ids]  # still due for the safety net

    with eager_tasks():
        retry.value.sig.apply()  # what the worker runs 5 s later

    for patient in three_patients:
        assert flag_codes(patient) == sorted(TWO_ALERTS)
    assert sent_to() == sorted(a for p in three_patients for a in recipients_of(p) * 2)
    assert_each_alert_sent_once()
    assert list(scan_chunks(changed_only=True)) == []

    with eager_tasks():
        diary_tasks.scan_patients_chunk.delay(ids)  # a duplicate copy of the task
        diary_tasks.scan_all_patients.delay()
        assert report_tasks.sweep_alert_deliveries.delay().get() == 0
    assert Flag.objects.count() == 6
    assert len(mail.outbox) == 12


def test_one_patient_failing_mid_write_gets_no_partial_flags_and_the_others_get_theirs(
    three_patients, caplog
):
    first, second, third = three_patients
    ids = [p.pk for p in three_patients]
    faults = (
        FailingInserts()
        # The chunk's bulk flag insert conflicts: patterns_refresh_many falls back to one
        # transaction per patient …
        .fail("diary_flag", IntegrityError("UNIQUE constraint failed: diary_flag"))
        # … and the second patient's alert rows fail after their flags were inserted.
        .fail(
            "diary_alertdelivery",
            OperationalError("server closed the connection unexpectedly"),
            when=lambda params: second.email in params,
        )
    )

    with eager_tasks(), connection.execute_wrapper(faults):
        result = scan_chunk(user_ids=ids)

    assert faults.fired == ["diary_flag", "diary_alertdelivery"]
    assert "Chunk refresh conflicted" in caplog.text
    assert result.failed == [second.pk]
    assert flag_codes(first) == flag_codes(third) == sorted(TWO_ALERTS)
    assert flag_codes(second) == []  # all or nothing for the patient
    assert not AlertDelivery.objects.filter(flag__user=second).exists()
    assert sent_to() == sorted(a for p in (first, third) for a in recipients_of(p) * 2)
    assert list(scan_chunks(changed_only=True)) == [[second.pk]]  # only they are still due

    with eager_tasks():
        diary_tasks.scan_changed_patients.delay()

    assert flag_codes(second) == sorted(TWO_ALERTS)
    assert sent_to() == sorted(a for p in three_patients for a in recipients_of(p) * 2)
    assert_each_alert_sent_once()

    with eager_tasks():
        diary_tasks.scan_all_patients.delay()
        assert report_tasks.sweep_alert_deliveries.delay().get() == 0
    assert Flag.objects.count() == 6
    assert len(mail.outbox) == 12


# --- c. the worker is killed in the middle of sending --------------------------------------


class StuckOnceInbox(Inbox):
    """An SMTP server whose first DATA hangs until released, then is refused (never stored).

    That first message models a send cut off by the worker's death: the server never
    committed it, so only a later attempt can deliver it.
    """

    def __init__(self) -> None:
        super().__init__()
        self.stuck = threading.Event()
        self.release = threading.Event()
        self._first = True

    async def handle_DATA(self, server, session, envelope):  # noqa: N802 - aiosmtpd's hook name
        if self._first:
            self._first = False
            self.stuck.set()
            await asyncio.get_running_loop().run_in_executor(None, self.release.wait, 60)
            return "451 4.3.0 Connection lost before the message was stored"
        return await super().handle_DATA(server, session, envelope)


@pytest.fixture
def stuck_smtp() -> Iterator[tuple[StuckOnceInbox, int]]:
    inbox, port = StuckOnceInbox(), free_port()
    server = Controller(inbox, hostname="127.0.0.1", port=port)
    server.start()
    yield inbox, port
    inbox.release.set()
    server.stop()


@pytest.fixture
def one_process_worker(transactional_db, tmp_path, stuck_smtp) -> Iterator[Worker]:
    yield from start_worker(tmp_path, stuck_smtp[1], concurrency=1)


@pytest.mark.worker
@pytest.mark.timeout(90)
def test_a_worker_killed_mid_send_delivers_each_alert_exactly_once(one_process_worker, stuck_smtp):
    worker, (inbox, _) = one_process_worker, stuck_smtp
    patient = patient_with_contact("pat@example.com")
    client = APIClient()
    client.force_authenticate(patient)

    assert client.post("/api/entries/", RED_ENTRY, format="json").status_code == 201
    wait_for(inbox.stuck.is_set, 30, "the first alert e-mail to hang in DATA")
    stuck = AlertDelivery.objects.get(attempts=1)  # claimed, leased, talking to the server
    (child,) = worker.pool_children()
    os.kill(child, signal.SIGKILL)

    # acks_late + reject_on_worker_lost: the message goes back to the queue and a new pool
    # process runs it — while the lease holds, that copy must not send (the dead one might
    # have been mid-way); the other recipient's e-mail goes out meanwhile.
    wait_for(lambda: "WorkerLostError" in worker.text(), 20, "the worker to notice the kill")
    requeued = wait_for(lambda: worker.redelivered("reports.send_alert_delivery"), 30, "requeue")
    wait_for(lambda: worker.succeeded_id(requeued[0]), 10, "the requeued copy to run")
    stuck.refresh_from_db()
    assert (stuck.status, stuck.attempts) == ("pending", 1)
    assert stuck.next_attempt_at > timezone.now()
    others = recipients_of(patient)
    others.remove(stuck.recipient)
    assert inbox.recipients() == others

    # The lease (CLAIM_LEASE_SECONDS) runs out: moved back rather than waited for, the
    # minute sweep in the worker then queues the delivery and it goes out once.
    inbox.release.set()
    AlertDelivery.objects.filter(pk=stuck.pk).update(
        next_attempt_at=F("next_attempt_at") - timedelta(seconds=CLAIM_LEASE_SECONDS)
    )
    app.send_task("reports.sweep_alert_deliveries")
    wait_for(
        lambda: AlertDelivery.objects.filter(pk=stuck.pk, status="sent").exists(),
        30,
        "the swept delivery to be sent",
    )

    app.send_task("reports.sweep_alert_deliveries")
    wait_for(
        lambda: worker.succeeded("reports.sweep_alert_deliveries") >= 2, 20, "the second sweep"
    )
    assert inbox.recipients() == recipients_of(patient)
    assert set(AlertDelivery.objects.values_list("status", flat=True)) == {"sent"}
    assert AlertDelivery.objects.get(pk=stuck.pk).attempts == 2
    assert Flag.objects.filter(user=patient).count() == 1
