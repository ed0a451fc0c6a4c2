"""Pattern-scan benchmark: N patients x 90 days x 2 entries, full and incremental scans.

    DJANGO_SETTINGS_MODULE=config.settings .venv/bin/python bench/bench_scan.py [--patients 1000]

Data goes to its own database (default: SQLite at var/bench/scan-<N>.sqlite3, or
BENCH_DATABASE_URL), generated once in a child process and reused while it matches; the
scans run in this process, so the peak RSS reported is the scan's. Goals: full scan
>= 100,000 entries/s on SQLite, on PostgreSQL >= 60,000 with one worker process and
>= 100,000 with two (issue 15); incremental (1 % of patients changed) < 2 s; peak RSS < 500 MB.
"""

from __future__ import annotations

import argparse
import multiprocessing
import os
import random
import resource
import subprocess
import sys
import time
import uuid
from datetime import UTC, date, datetime, timedelta
from datetime import time as clock
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

EMAIL = "bench-{n:06d}@bench.example"
ZONES = ("Europe/London", "America/New_York", "Asia/Tokyo", "Australia/Sydney", "UTC")
AS_OF = date(2026, 11, 20)


def parse() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--patients", type=int, default=10_000)
    parser.add_argument("--days", type=int, default=90)
    parser.add_argument("--per-day", type=int, default=2)
    parser.add_argument("--chunk", type=int, default=200, help="patients per scan chunk")
    parser.add_argument(
        "--workers", type=int, default=1, help="scan processes, like Celery's prefork pool"
    )
    parser.add_argument(
        "--celery",
        metavar="BROKER_URL",
        help="run --workers real Celery worker processes on this broker (Redis from "
        ".ci/services.sh) instead of an in-process pool; needs --database-url (PostgreSQL)",
    )
    parser.add_argument("--database-url", default=os.environ.get("BENCH_DATABASE_URL"))
    parser.add_argument("--regenerate", action="store_true", help="rebuild the data")
    parser.add_argument("--generate-only", action="store_true", help=argparse.SUPPRESS)
    return parser.parse_args()


def setup(args: argparse.Namespace) -> None:
    url = (
        args.database_url or f"sqlite:///{ROOT / 'var' / 'bench' / f'scan-{args.patients}.sqlite3'}"
    )
    if url.startswith("sqlite:///"):
        Path(url.removeprefix("sqlite:///")).parent.mkdir(parents=True, exist_ok=True)
    os.environ["DATABASE_URL"] = url
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    # Alerts raised by the benchmark must never reach a real broker or a mail server
    # (with --celery, the workers' e-mail goes to the console backend, i.e. nowhere).
    os.environ["CELERY_BROKER_URL"] = getattr(args, "celery", None) or "memory://"
    os.environ.setdefault("LOG_LEVEL", "WARNING")
    os.environ.pop("EMAIL_HOST", None)
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)


def expected_entries(args: argparse.Namespace) -> int:
    return args.patients * args.days * args.per_day


def have_data(args: argparse.Namespace) -> bool:
    from diary.models import Entry, User

    users = User.objects.filter(email__endswith="@bench.example").count()
    return users == args.patients and Entry.objects.count() == expected_entries(args)


def generate(args: argparse.Namespace) -> None:
    """Realistic-looking diaries: a few habits per patient, some nerve-like nights, rare red flags.

    Rows go in with executemany on Django's cursor (values adapted by the backend's own
    operations, so SQLite and PostgreSQL both work): model instances would take many minutes.
    """
    from django.db import connection, transaction

    from diary import vocabulary as vocab
    from diary.models import Entry, Flag, User

    ops = connection.ops
    rng = random.Random(20261120)
    Flag.objects.all().delete()
    Entry.objects.all().delete()
    User.objects.filter(email__endswith="@bench.example").delete()
    regions = [r.code for r in vocab.REGIONS if r.code not in vocab.CENTER_REGIONS]
    nerve = sorted(vocab.NERVE_PAIN_TYPES)
    muscle = sorted(vocab.MUSCLE_PAIN_TYPES)
    activities = [a.code for a in vocab.ACTIVITIES]
    red_codes = sorted(vocab.EMERGENCY_RED_FLAGS | vocab.MOTOR_RED_FLAGS)
    first_day = AS_OF - timedelta(days=args.days - 1)
    days = [first_day + timedelta(days=offset) for offset in range(args.days)]
    day_values = {day: ops.adapt_datefield_value(day) for day in days}
    pk_field = Entry._meta.pk
    json_cache: dict[tuple, object] = {}

    def as_json(codes: list[str]) -> object:
        key = tuple(codes)
        if key not in json_cache:
            json_cache[key] = ops.adapt_json_value(list(codes), None)
        return json_cache[key]

    now = ops.adapt_datetimefield_value(datetime.now(UTC))
    entry_sql = (
        "INSERT INTO diary_entry (id, user_id, occurred_at, local_date, timezone, "
        "timing, intensity, pain_types, activity, red_flags, context, notes, alert_signs_at, "
        "created_at, updated_at) VALUES (%s, %s, %s, %s, %s, %s, %s, %s, %s, %s, %s, %s, %s, %s, "
        "%s)"
    )
    location_sql = (
        "INSERT INTO diary_entrylocation (entry_id, user_id, local_date, region, "
        "side, level) VALUES (%s, %s, %s, %s, %s, %s)"
    )
    started = time.perf_counter()
    batch = 500
    for start in range(0, args.patients, batch):
        entries: list[tuple] = []
        locations: list[tuple] = []
        with transaction.atomic():
            users = User.objects.bulk_create(
                User(email=EMAIL.format(n=n), password="!", timezone=rng.choice(ZONES))
                for n in range(start, min(start + batch, args.patients))
            )
            for user in users:
                zone = user.zone
                home = rng.sample(regions, 3)
                side = rng.choice(("left", "right"))
                nerve_nights = rng.random() < 0.4
                for day in days:
                    for slot in range(args.per_day):
                        hour = (8, 22)[slot % 2] if slot < 2 else rng.randrange(24)
                        local = datetime.combine(day, clock(hour, rng.randrange(60)), tzinfo=zone)
                        night = hour >= 17 or hour < 5
                        mean = 6 if night and nerve_nights else 4
                        intensity = max(0, min(10, round(rng.gauss(mean, 2))))
                        red = [rng.choice(red_codes)] if rng.random() < 0.0003 else []
                        entry_id = pk_field.get_db_prep_value(
                            uuid.UUID(int=rng.getrandbits(128), version=4), connection
                        )
                        types = rng.sample(nerve if night and nerve_nights else muscle, 2)
                        entries.append(
                            (
                                entry_id,
                                user.pk,
                                ops.adapt_datetimefield_value(local.astimezone(UTC)),
                                day_values[day],
                                user.timezone,
                                vocab.timing_for(local),
                                intensity,
                                as_json(sorted(types)),
                                rng.choice(activities),
                                as_json(red),
                                as_json([]),
                                "",
                                # No save times recorded: the scan falls back to created_at.
                                ops.adapt_json_value({}, None),
                                now,
                                now,
                            )
                        )
                        if not intensity:
                            continue
                        for region in home[: 1 + (rng.random() < 0.5)]:
                            locations.append(
                                (
                                    entry_id,
                                    user.pk,
                                    day_values[day],
                                    region,
                                    side,
                                    vocab.region_level(region),
                                )
                            )
            with connection.cursor() as cursor:
                for rows, sql in ((entries, entry_sql), (locations, location_sql)):
                    for offset in range(0, len(rows), 5000):
                        cursor.executemany(sql, rows[offset : offset + 5000])
            User.objects.filter(pk__in=[u.pk for u in users]).update(
                entries_changed_at=datetime.now(UTC)
            )
        done = min(start + batch, args.patients)
        elapsed = time.perf_counter() - started
        print(f"  generated {done}/{args.patients} patients ({elapsed:.0f} s)", flush=True)


def _scan_chunk(job: tuple[list[int], date]) -> tuple[int, int, int, int]:
    from diary.services.scan import scan_chunk

    result = scan_chunk(user_ids=job[0], as_of=job[1])
    return result.patients, result.entries, len(result.events), len(result.failed)


def full_scan(args: argparse.Namespace) -> tuple[float, float, tuple[int, int, int, int]]:
    """Every chunk, in this process or in a pool of worker processes like Celery's prefork."""
    from django.db import connections

    from diary.services.scan import scan_chunks

    jobs = [(chunk, AS_OF) for chunk in scan_chunks(size=args.chunk)]
    totals = [0, 0, 0, 0]
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu, started = time.process_time(), time.perf_counter()
    if args.workers <= 1:
        outcomes = map(_scan_chunk, jobs)
        for outcome in outcomes:
            totals = [a + b for a, b in zip(totals, outcome, strict=True)]
    else:
        connections.close_all()  # each worker process opens its own
        with multiprocessing.get_context("fork").Pool(args.workers) as pool:
            for outcome in pool.imap_unordered(_scan_chunk, jobs):
                totals = [a + b for a, b in zip(totals, outcome, strict=True)]
    wall = time.perf_counter() - started
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    children_cpu = (after.ru_utime + after.ru_stime) - (before.ru_utime + before.ru_stime)
    cpu = time.process_time() - cpu + children_cpu
    return wall, cpu, tuple(totals)


def scan(args: argparse.Namespace) -> None:
    from django.db import connection
    from django.db.models import F
    from django.test.utils import CaptureQueriesContext

    from diary.models import AlertDelivery, Entry, Flag, User
    from diary.services.entries import EntryInput, entry_create
    from diary.services.flags import patterns_refresh_many
    from diary.services.scan import scan_chunks, scan_patterns

    total = Entry.objects.count()
    print(f"database: {connection.vendor} {connection.settings_dict['NAME']}")
    print(
        f"patients: {args.patients:,}  entries: {total:,}  chunk: {args.chunk}  "
        f"worker processes: {args.workers}  CPUs: {os.cpu_count()}  "
        f"load average: {os.getloadavg()[0]:.1f}"
    )

    # A clean slate, so every run measures the same first scan.
    AlertDelivery.objects.all().delete()
    Flag.objects.all().delete()
    User.objects.update(scanned_at=None)

    first_rate = 0.0
    for label in ("full scan (raises flags)", "full scan again (refreshes)"):
        wall, cpu, (patients, entries, events, failed) = full_scan(args)
        first_rate = first_rate or entries / wall
        print(
            f"{label}: {wall:.1f} s, {entries / wall:,.0f} entries/s "
            f"(CPU {cpu:.1f} s, {entries / cpu:,.0f} entries per CPU-second); "
            f"{patients:,} patients, {events:,} flags raised or resolved, {failed} failed"
        )

    first_chunk = next(scan_chunks(size=args.chunk))
    with CaptureQueriesContext(connection) as queries:
        patterns_refresh_many(user_ids=first_chunk, as_of=AS_OF)
    with CaptureQueriesContext(connection) as one:
        patterns_refresh_many(user_ids=first_chunk[:1], as_of=AS_OF)
    print(
        f"queries: {len(queries)} for a chunk of {len(first_chunk)} patients "
        f"({len(queries) / len(first_chunk):.3f} per patient), {len(one)} for a chunk of one"
    )

    # 1 % of the patients log one more entry each.
    changed = list(
        User.objects.filter(email__endswith="@bench.example")
        .order_by("?")
        .values_list("pk", flat=True)[: max(1, args.patients // 100)]
    )
    for user in User.objects.filter(pk__in=changed):
        entry_create(user=user, data=EntryInput(intensity=5, locations=(("calf", "left"),)))
    started = time.perf_counter()
    result = scan_patterns(changed_only=True, as_of=AS_OF, chunk_size=args.chunk)
    incremental = time.perf_counter() - started
    print(
        f"incremental scan ({len(changed)} changed patients): {incremental:.2f} s, "
        f"{result.patients} patients and {result.entries:,} entries read"
    )
    Entry.objects.filter(user_id__in=changed, local_date__gt=AS_OF).delete()
    User.objects.filter(pk__in=changed).update(entries_changed_at=F("scanned_at"))

    own = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    children = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
    peak = max(own, children if args.workers > 1 else 0)
    print(
        f"peak RSS: {own:.0f} MB this process"
        + (f", {children:.0f} MB the largest worker process" if args.workers > 1 else "")
    )
    goal = full_scan_goal(connection.vendor, args.workers)
    goal_text = f">= {goal:,} entries/s" if goal else "none set for this case"
    print(
        f"full scan: {first_rate:,.0f} entries/s ({connection.vendor}, {args.workers} worker "
        f"process{'es' if args.workers > 1 else ''}); goal {goal_text}"
        + (f": {'met' if first_rate >= goal else 'MISSED'}" if goal else "")
    )
    print(
        "targets: incremental < 2 s: "
        f"{'met' if incremental < 2 else 'MISSED'}; peak < 500 MB: "
        f"{'met' if peak < 500 else 'MISSED'}"
    )


def full_scan_goal(vendor: str, workers: int) -> int | None:
    """Issue 15's full-scan goals: SQLite >= 100 k/s; PostgreSQL >= 60 k/s with one worker
    process and >= 100 k/s with two."""
    if vendor == "sqlite":
        return 100_000
    if vendor == "postgresql":
        return 60_000 if workers <= 1 else 100_000
    return None


def _peak_rss_mb(pid: int) -> float:
    # VmHWM: the process's resident-set high-water mark, read before it exits.
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) / 1024
    return float("nan")


def celery_scan(args: argparse.Namespace) -> None:
    """N real Celery worker processes (solo pool, one task at a time each) draining the chunk
    tasks the beat fan-out would queue; done when every patient's scanned_at caught up."""
    from django.db import connection
    from django.db.models import F, Q

    from diary.models import AlertDelivery, Entry, Flag, User
    from diary.services.entries import EntryInput, entry_create
    from diary.services.scan import scan_chunks
    from diary.tasks import scan_patients_chunk

    total = Entry.objects.count()
    print(f"database: {connection.vendor}  broker: {args.celery}")
    print(
        f"patients: {args.patients:,}  entries: {total:,}  chunk: {args.chunk}  "
        f"Celery worker processes: {args.workers}  CPUs: {os.cpu_count()}  "
        f"load average: {os.getloadavg()[0]:.1f}"
    )
    AlertDelivery.objects.all().delete()
    Flag.objects.all().delete()
    User.objects.update(scanned_at=None)
    env = os.environ.copy()
    env.pop("EMAIL_HOST", None)
    workers = [
        subprocess.Popen(
            [
                str(Path(sys.executable).parent / "celery"),
                "-A",
                "config",
                "worker",
                "-P",
                "solo",
                "-n",
                f"bench{n}@%h",
                "--without-gossip",
                "--without-mingle",
                "--without-heartbeat",
                "-l",
                "WARNING",
            ],
            cwd=ROOT,
            env=env,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        for n in range(args.workers)
    ]
    pending = Q(scanned_at__isnull=True) | Q(scanned_at__lt=F("entries_changed_at"))

    def drain(user_ids: list[int] | None) -> float:
        started = time.perf_counter()
        for chunk in scan_chunks(changed_only=user_ids is not None, size=args.chunk):
            scan_patients_chunk.delay(chunk, AS_OF.isoformat())
        todo = User.objects.filter(pending)
        if user_ids is not None:
            todo = todo.filter(pk__in=user_ids)
        while todo.exists():
            time.sleep(0.05)
        return time.perf_counter() - started

    try:
        from config.celery import app

        # Timing starts once every worker answers: their start-up is not the scan's.
        deadline = time.monotonic() + 120
        while len(app.control.ping(timeout=1.0)) < args.workers:
            if time.monotonic() > deadline:
                raise RuntimeError("the Celery workers did not start")
        wall = drain(None)
        print(
            f"full scan, {args.workers} Celery worker(s): {wall:.1f} s, "
            f"{total / wall:,.0f} entries/s (from the first task queued to the last patient "
            f"scanned, workers' start-up excluded)"
        )
        changed = list(
            User.objects.filter(email__endswith="@bench.example")
            .order_by("?")
            .values_list("pk", flat=True)[: max(1, args.patients // 100)]
        )
        for user in User.objects.filter(pk__in=changed):
            entry_create(user=user, data=EntryInput(intensity=5, locations=(("calf", "left"),)))
        incremental = drain(changed)
        print(f"incremental scan ({len(changed)} changed patients, 1 %): {incremental:.2f} s")
        Entry.objects.filter(user_id__in=changed, local_date__gt=AS_OF).delete()
        peaks = [_peak_rss_mb(worker.pid) for worker in workers]
        print("peak RSS per worker: " + ", ".join(f"{mb:.0f} MB" for mb in peaks))
        goal = full_scan_goal(connection.vendor, args.workers)
        if goal:
            print(f"goal >= {goal:,} entries/s: {'met' if total / wall >= goal else 'MISSED'}")
    finally:
        for worker in workers:
            worker.terminate()
        for worker in workers:
            worker.wait(timeout=30)


def main() -> None:
    args = parse()
    if args.generate_only:
        setup(args)
        generate(args)
        return
    setup(args)
    if args.regenerate or not have_data(args):
        print(f"generating {expected_entries(args):,} entries in a child process…", flush=True)
        child = [
            sys.executable,
            __file__,
            "--generate-only",
            "--patients",
            str(args.patients),
            "--days",
            str(args.days),
            "--per-day",
            str(args.per_day),
        ]
        if args.database_url:
            child += ["--database-url", args.database_url]
        subprocess.run(child, check=True, env=os.environ.copy())
    if args.celery:
        celery_scan(args)
    else:
        scan(args)


if __name__ == "__main__":
    main()
