#!/usr/bin/env python3
"""`make load`: many patients at once against the production shape, then every write checked.

Starts the same stack as `make prod-check` (scripts/prod_check.py: PostgreSQL + Redis on
loopback, gunicorn with config/gunicorn.conf.py, a Celery worker and beat, DEBUG=false),
registers --users patients through the API and fetches their tokens, then runs one client
thread per patient for --duration seconds. Each loops: POST an entry (client-made UUID),
GET /api/entries/?page_size=20, now and then GET /api/flags/?status=active and the CSV export.

Prints throughput, p50/p95/p99 per endpoint and overall, and the error count (any non-2xx or
failed request), then checks in PostgreSQL that every acknowledged write (201/200) is stored
for the right patient. Exits non-zero on any error or missing write. Loopback only, bounded.
"""

from __future__ import annotations

import argparse
import http.client
import json
import os
import random
import runpy
import secrets
import signal
import sys
import threading
import time
import uuid
from collections import Counter, defaultdict
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "scripts"))

from prod_check import HOST, ProdStack, StackError, log, print_logs  # noqa: E402

POST_ENTRY = "POST /api/entries/"
LIST_ENTRIES = "GET /api/entries/?page_size=20"
FLAGS = "GET /api/flags/?status=active"
EXPORT_CSV = "GET /api/export/entries.csv"
# Connection failures that mean "the server closed an idle keep-alive connection", which
# any HTTP client retries once on a fresh connection (the POST is safe: same entry id).
STALE = (http.client.RemoteDisconnected, ConnectionResetError, BrokenPipeError)
# Set on Ctrl-C or TERM so the client threads stop at once instead of at the deadline.
ABORT = threading.Event()


class Connection:
    """One persistent HTTP/1.1 connection per simulated patient, like a phone app's."""

    def __init__(self, port: int, timeout: float) -> None:
        self.port = port
        self.timeout = timeout
        self.http: http.client.HTTPConnection | None = None
        self.reused = False
        self.retries = 0

    def send(
        self, method: str, path: str, headers: dict[str, str], body: bytes | None = None
    ) -> tuple[int, bytes]:
        for attempt in (1, 2):
            if self.http is None:
                self.http = http.client.HTTPConnection(HOST, self.port, timeout=self.timeout)
                self.reused = False
            try:
                self.http.request(method, path, body=body, headers=headers)
                response = self.http.getresponse()
                data = response.read()
            except STALE:
                self.close()
                if attempt == 2 or not self.reused:
                    raise
                self.retries += 1
                continue
            except BaseException:
                self.close()
                raise
            self.reused = True
            if response.will_close:
                self.close()
            return response.status, data
        raise AssertionError("unreachable")

    def close(self) -> None:
        if self.http is not None:
            self.http.close()
        self.http = None


@dataclass
class Patient:
    email: str
    password: str
    token: str = ""


@dataclass
class Tally:
    """One client thread's numbers; merged at the end so threads never share a lock."""

    latencies: dict[str, list[float]] = field(default_factory=lambda: defaultdict(list))
    statuses: dict[str, Counter] = field(default_factory=lambda: defaultdict(Counter))
    errors: Counter = field(default_factory=Counter)
    examples: list[str] = field(default_factory=list)
    acknowledged: list[tuple[str, str]] = field(default_factory=list)  # (entry id, e-mail)
    retries: int = 0
    first_start: float = float("inf")
    last_end: float = 0.0

    def merge(self, other: Tally) -> None:
        for key, values in other.latencies.items():
            self.latencies[key].extend(values)
        for key, counter in other.statuses.items():
            self.statuses[key].update(counter)
        self.errors.update(other.errors)
        self.examples.extend(other.examples[: max(0, 10 - len(self.examples))])
        self.acknowledged.extend(other.acknowledged)
        self.retries += other.retries
        self.first_start = min(self.first_start, other.first_start)
        self.last_end = max(self.last_end, other.last_end)


class EntryMaker:
    """Plausible entries from the live vocabulary (GET /api/vocabulary/)."""

    def __init__(self, vocabulary: dict[str, list[dict]]) -> None:
        self.regions = [r["code"] for r in vocabulary["regions"]]
        self.pain_types = [p["code"] for p in vocabulary["pain_types"]]
        self.activities = [a["code"] for a in vocabulary["activities"]]
        self.red_flags = [f["code"] for f in vocabulary["red_flags"]]
        self.context = [c["code"] for c in vocabulary["context"]]

    def make(self, rng: random.Random) -> dict[str, Any]:
        regions = rng.sample(self.regions, rng.choice((1, 1, 2, 3)))
        occurred = datetime.now(UTC) - timedelta(minutes=rng.randint(1, 60 * 24 * 30))
        return {
            "id": str(uuid.uuid4()),
            "occurred_at": occurred.isoformat(timespec="seconds"),
            "intensity": rng.randint(1, 10),
            "locations": [
                {
                    "region": region,
                    "side": "center"
                    if region in ("lower_back", "saddle")
                    else rng.choice(("left", "right", "both")),
                }
                for region in regions
            ],
            "pain_types": rng.sample(self.pain_types, rng.randint(1, 3)),
            "activity": rng.choice(self.activities),
            # Rare, as in life; each one exercises the instant path through the worker.
            "red_flags": [rng.choice(self.red_flags)] if rng.random() < 0.005 else [],
            "context": [rng.choice(self.context)] if rng.random() < 0.2 else [],
            "notes": "" if rng.random() < 0.7 else "Worse after the long drive home.",
        }


def api(port: int, method: str, path: str, body: Any = None, token: str = "") -> tuple[int, Any]:
    connection = http.client.HTTPConnection(HOST, port, timeout=60)
    headers = {"Accept": "application/json", "Content-Type": "application/json"}
    if token:
        headers["Authorization"] = f"Token {token}"
    try:
        connection.request(
            method,
            path,
            body=json.dumps(body).encode() if body is not None else None,
            headers=headers,
        )
        response = connection.getresponse()
        data = response.read()
    finally:
        connection.close()
    try:
        return response.status, json.loads(data or b"null")
    except ValueError:
        return response.status, data


def register(port: int, patient: Patient) -> None:
    status, data = api(
        port,
        "POST",
        "/api/auth/register/",
        {"email": patient.email, "password": patient.password, "timezone": "Europe/Berlin"},
    )
    if status != 201:
        raise RuntimeError(f"register {patient.email}: {status} {data}")
    status, data = api(
        port, "POST", "/api/auth/token/", {"email": patient.email, "password": patient.password}
    )
    if status != 200:
        raise RuntimeError(f"token {patient.email}: {status} {data}")
    patient.token = data["token"]


SETUP_ORM = """
import json
from django.contrib.auth.hashers import make_password
from knox.models import AuthToken
from diary.models import User
emails, password = json.load(open(SETUP_FILE))
hashed = make_password(password)  # one real hash for all: this path skips 2 hashes per patient
tokens = {}
for email in emails:
    user = User.objects.create(email=email, password=hashed, timezone="Europe/Berlin")
    tokens[email] = AuthToken.objects.create(user=user)[1]
print(json.dumps(tokens))
"""


def register_all(
    stack: ProdStack, port: int, patients: list[Patient], how: str, threads: int
) -> None:
    """Through the API (register + token, as a phone does), or straight into the database."""
    if how == "api":
        with ThreadPoolExecutor(threads) as pool:
            list(pool.map(lambda p: register(port, p), patients))
        return
    setup_file = stack.base / "setup.json"
    setup_file.write_text(json.dumps([[p.email for p in patients], patients[0].password]))
    out = stack.manage("shell", "-c", f"SETUP_FILE = {str(setup_file)!r}\n{SETUP_ORM}")
    tokens = json.loads(out.strip().splitlines()[-1])
    for patient in patients:
        patient.password = patients[0].password
        patient.token = tokens[patient.email]


def run_patient(
    port: int,
    patient: Patient,
    maker: EntryMaker,
    optional: set[str],
    stop_at: float,
    think: float,
    seed: int,
) -> Tally:
    rng = random.Random(seed)
    tally = Tally()
    connection = Connection(port, timeout=30)
    headers = {
        "Authorization": f"Token {patient.token}",
        "Accept": "application/json",
        "Content-Type": "application/json",
    }

    def call(name: str, method: str, path: str, body: bytes | None = None) -> int:
        started = time.perf_counter()
        tally.first_start = min(tally.first_start, started)
        try:
            status, data = connection.send(method, path, headers, body)
        except (OSError, http.client.HTTPException) as exc:
            status, data = 0, repr(exc).encode()
        ended = time.perf_counter()
        tally.last_end = max(tally.last_end, ended)
        tally.latencies[name].append(ended - started)
        tally.statuses[name][status] += 1
        if not 200 <= status < 300:
            tally.errors[name] += 1
            if len(tally.examples) < 10:
                tally.examples.append(f"{name} -> {status}: {data[:200].decode(errors='replace')}")
        return status

    loop = 0
    while time.perf_counter() < stop_at and not ABORT.is_set():
        loop += 1
        entry = maker.make(rng)
        if call(POST_ENTRY, "POST", "/api/entries/", json.dumps(entry).encode()) in (200, 201):
            tally.acknowledged.append((entry["id"], patient.email))
        if time.perf_counter() >= stop_at:
            break
        call(LIST_ENTRIES, "GET", "/api/entries/?page_size=20")
        if FLAGS in optional and loop % 3 == 0 and time.perf_counter() < stop_at:
            call(FLAGS, "GET", "/api/flags/?status=active")
        if EXPORT_CSV in optional and loop % 10 == 0 and time.perf_counter() < stop_at:
            call(EXPORT_CSV, "GET", "/api/export/entries.csv")
        if think:
            time.sleep(rng.uniform(0, 2 * think))
    connection.close()
    tally.retries = connection.retries
    return tally


def pct(ordered: list[float], p: float) -> float:
    """Nearest-rank percentile of an already sorted list, in milliseconds."""
    if not ordered:
        return float("nan")
    rank = max(1, min(len(ordered), int(-(-p * len(ordered) // 100))))
    return ordered[rank - 1] * 1000


def report(tally: Tally, elapsed: float) -> int:
    total = sum(len(v) for v in tally.latencies.values())
    errors = sum(tally.errors.values())
    print()
    print(f"{'endpoint':34} {'requests':>9} {'req/s':>8} {'p50 ms':>8} {'p95 ms':>8} "
          f"{'p99 ms':>8} {'max ms':>8} {'errors':>7}")  # fmt: skip
    rows = [(name, tally.latencies[name]) for name in sorted(tally.latencies)]
    rows.append(("all", [v for values in tally.latencies.values() for v in values]))
    for name, values in rows:
        ordered = sorted(values)
        errs = errors if name == "all" else tally.errors[name]
        print(
            f"{name:34} {len(values):9d} {len(values) / elapsed:8.1f} {pct(ordered, 50):8.1f} "
            f"{pct(ordered, 95):8.1f} {pct(ordered, 99):8.1f} {pct(ordered, 100):8.1f} {errs:7d}"
        )
    print()
    print(f"throughput: {total / elapsed:.1f} req/s over {elapsed:.1f} s ({total} requests)")
    print(f"errors (non-2xx or failed): {errors}")
    for name, counter in sorted(tally.statuses.items()):
        print(f"  {name}: status counts {dict(sorted(counter.items()))}")
    for example in tally.examples:
        print(f"  e.g. {example}")
    print(f"stale keep-alive connections retried once: {tally.retries}")
    return errors


VERIFY = """
import json
from diary.models import Entry
acked = json.load(open(ACKED_FILE))
found, wrong_owner = 0, 0
ids = [row[0] for row in acked]
owner = dict(acked)
for start in range(0, len(ids), 2000):
    chunk = ids[start:start + 2000]
    for pk, email in Entry.objects.filter(pk__in=chunk).values_list("pk", "user__email"):
        found += 1
        wrong_owner += owner[str(pk)] != email
emails = {row[1] for row in acked}
stored = Entry.objects.filter(user__email__in=emails).count() if emails else 0
print(json.dumps({"found": found, "wrong_owner": wrong_owner, "stored_for_load_users": stored}))
"""


def verify(stack: ProdStack, tally: Tally) -> int:
    """Look every acknowledged entry up in PostgreSQL (Django ORM, the stack's DATABASE_URL)."""
    acked_file = stack.base / "acknowledged.json"
    acked_file.write_text(json.dumps(tally.acknowledged))
    out = stack.manage("shell", "-c", f"ACKED_FILE = {str(acked_file)!r}\n{VERIFY}")
    result = json.loads(out.strip().splitlines()[-1])
    acknowledged = len(tally.acknowledged)
    unique = len({entry_id for entry_id, _ in tally.acknowledged})
    missing = acknowledged - result["found"]
    print(f"acknowledged writes: {acknowledged}, found in database: {result['found']}")
    if unique != acknowledged:
        print(f"  (only {unique} distinct ids acknowledged: duplicates?)")
    print(f"  stored for the load patients in all: {result['stored_for_load_users']}"
          f" (more than acknowledged = saved but the answer never arrived)")  # fmt: skip
    if result["wrong_owner"]:
        print(f"  stored under the WRONG patient: {result['wrong_owner']}")
    return missing + result["wrong_owner"] + (acknowledged - unique)


def _on_signal(signum: int, _frame: object) -> None:
    # Turn SIGTERM/SIGHUP into an exception so the `with` block stops everything.
    log(f"interrupted by signal {signum}: stopping everything")
    raise SystemExit(128 + signum)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--users", type=int, default=200, help="simulated patients (200)")
    parser.add_argument("--duration", type=float, default=60, help="seconds of load (60)")
    parser.add_argument("--think", type=float, default=0.0,
                        help="mean pause between a patient's loops, seconds (0: flat out)")  # fmt: skip
    env_workers = os.environ.get("WEB_CONCURRENCY")
    parser.add_argument("--web-workers", type=int, default=int(env_workers) if env_workers else None,
                        help="gunicorn workers (default: config/gunicorn.conf.py's 2 x cores + 1)")  # fmt: skip
    parser.add_argument("--threads", type=int, default=4, help="gunicorn threads per worker (4)")
    parser.add_argument("--worker-concurrency", type=int, default=2, help="Celery worker (2)")
    parser.add_argument("--setup-concurrency", type=int, default=8,
                        help="parallel registrations before the run (8)")  # fmt: skip
    parser.add_argument("--setup", choices=("api", "orm"), default="api",
                        help="register patients through the API (api, default; two password "
                        "hashes each, minutes for 200 on a small machine) or the ORM (orm)")  # fmt: skip
    parser.add_argument("--keep", action="store_true", help="keep the temporary folder and logs")
    args = parser.parse_args()
    if not (1 <= args.users <= 2000 and 1 <= args.duration <= 1800):
        parser.error("--users must be 1-2000 and --duration 1-1800 s")
    signal.signal(signal.SIGTERM, _on_signal)
    signal.signal(signal.SIGHUP, _on_signal)

    # Every patient logs in from 127.0.0.1: the token endpoint's per-address throttle
    # (10/min by default) would stop the set-up, so it is lifted for this run only.
    extra_env = {"TOKEN_THROTTLE_RATE": "1000000/min", "LOG_LEVEL": "WARNING"}
    failures = 0
    try:
        with ProdStack(
            web_workers=args.web_workers,
            web_threads=args.threads,
            worker_concurrency=args.worker_concurrency,
            extra_env=extra_env,
            keep=args.keep,
        ) as stack:
            port = int(stack.url.rsplit(":", 1)[1])
            status, vocabulary = api(port, "GET", "/api/vocabulary/")
            if status != 200:
                raise StackError(f"GET /api/vocabulary/ -> {status}")
            maker = EntryMaker(vocabulary)

            run_id = secrets.token_hex(3)
            patients = [
                Patient(f"load-{run_id}-{i:04d}@example.org", secrets.token_urlsafe(12))
                for i in range(args.users)
            ]
            where = "through the API" if args.setup == "api" else "in the database (--setup orm)"
            log(f"registering {args.users} patients and getting their tokens {where}")
            started = time.monotonic()
            register_all(stack, port, patients, args.setup, args.setup_concurrency)
            log(f"set-up took {time.monotonic() - started:.1f} s")

            optional = set()
            for name, path in ((FLAGS, "/api/flags/?status=active"), (EXPORT_CSV, "/api/export/entries.csv")):  # fmt: skip
                status, _ = api(port, "GET", path, token=patients[0].token)
                if status == 200:
                    optional.add(name)
                else:
                    log(f"skipping {name}: it answers {status}")

            log(
                f"load: {args.users} patients for {args.duration:.0f} s against {stack.url} "
                f"(think time {args.think} s)"
            )
            stop_at = time.perf_counter() + args.duration
            tally = Tally()
            with ThreadPoolExecutor(args.users) as pool:
                futures = [
                    pool.submit(run_patient, port, p, maker, optional, stop_at, args.think, seed=i)
                    for i, p in enumerate(patients)
                ]
                try:
                    for future in futures:
                        tally.merge(future.result())
                except BaseException:
                    ABORT.set()  # the threads finish their request in flight and stop
                    raise
            elapsed = tally.last_end - tally.first_start
            cores = os.cpu_count()
            workers = (
                args.web_workers
                or runpy.run_path(str(ROOT / "config" / "gunicorn.conf.py"))["workers"]
            )
            print(f"\nserver: gunicorn {workers} workers x {args.threads} threads (gthread), "
                  f"PostgreSQL 15, Redis, Celery worker + beat; {cores} CPU cores shared with "
                  f"this client")  # fmt: skip
            failures += report(tally, elapsed)
            failures += verify(stack, tally)
            alive = stack.alive()
            if not all(alive.values()):
                print(f"a process died during the run: {alive}")
                failures += 1
            server_errors = [
                line for line in stack.log_text("web").splitlines() if '" 500 ' in line
            ]
            if server_errors:
                print(f"500s in the access log: {len(server_errors)}")
                failures += 1
            if failures:
                print_logs(stack, 20)
    except StackError as exc:
        log(f"FAILED to start the stack: {exc}")
        return 1
    except KeyboardInterrupt:
        log("interrupted: everything stopped")
        return 130
    except (TimeoutError, RuntimeError) as exc:
        log(f"FAILED during set-up: {exc}")
        return 1
    if failures:
        log("FAILED: errors or missing writes (see above)")
        return 1
    log("OK: no errors, every acknowledged write is in the database")
    return 0


if __name__ == "__main__":
    sys.exit(main())
