"""The clinician workspace for a clinician following 200 patients × 365 days × 3 entries.

Prints the median server time (Django test Client, in process) and SQL queries of: the list
page /clinician/, the list API /api/clinician/patients/, and one patient's report page and
report API. Target: <= 150 ms median each; the list's query count does not grow with the
number of patients (asserted in tests/reports/test_api_clinician.py, printed here for 1 and
for every patient).

Runs on a throwaway SQLite database under a temporary VAR_DIR.

    .venv/bin/python bench/bench_clinician.py [--patients 200] [--days 365] [--runs 15]
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import time
from datetime import datetime, timedelta
from datetime import time as clock
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from bench_reports import setup_django  # noqa: E402

TARGET_MS = 150
# The fastest run of each path: on a shared machine the median carries other people's load.
FASTEST: dict[str, float] = {}


def seed(patients: int, days: int, per_day: int):
    """A clinician following `patients` patients, each with `per_day` entries a day."""
    from django.utils import timezone

    from diary import vocabulary as vocab
    from diary.models import Contact, Entry, EntryLocation, Flag, Follow, User
    from diary.services.entries import entry_location_rows

    clinician = User.objects.create_user(
        email="doctor@clinic.example", password="bench-pass-123", role="clinician"
    )
    regions = [("foot_sole", "left"), ("calf", "left"), ("buttock", "left"), ("big_toe", "right")]
    pains = [["burning", "tingling"], ["aching"], ["electric", "numbness"], ["stiffness"]]
    activities = ["lying_down", "sitting", "walking", "standing"]
    severities = ["emergency", "urgent", "warning", None, None, None, None, None]
    now = timezone.now()
    for p in range(patients):
        patient = User.objects.create_user(
            email=f"patient{p}@example.com", password=None, timezone="Europe/London"
        )
        contact = Contact.objects.create(user=patient, name="Dr Bench", email=clinician.email)
        Follow.objects.create(patient=patient, clinician=clinician, contact=contact)
        zone = patient.zone
        today = now.astimezone(zone).date()
        entries, locations = [], []
        for offset in range(days):
            day = today - timedelta(days=offset)
            for n in range(per_day):
                moment = datetime.combine(day, clock((7 + 6 * n) % 24, 15), tzinfo=zone)
                entry = Entry(
                    user=patient,
                    occurred_at=moment,
                    local_date=day,
                    timezone=patient.timezone,
                    timing=vocab.timing_for(moment),
                    intensity=(offset * 7 + n * 3 + p) % 11,
                    pain_types=pains[(offset + n) % len(pains)],
                    activity=activities[(offset + n) % len(activities)],
                    red_flags=[],
                    context=[],
                    notes="",
                )
                entries.append(entry)
                locations += entry_location_rows(
                    entry=entry, locations=regions[: 1 + (offset + n) % 2]
                )
        Entry.objects.bulk_create(entries, batch_size=2000)
        EntryLocation.objects.bulk_create(locations, batch_size=2000)
        severity = severities[p % len(severities)]
        if severity:
            Flag.objects.create(
                user=patient,
                code=f"bench_{severity}",
                severity=severity,
                title=f"Bench {severity} flag",
                explanation="Bench flag, not a diagnosis.",
                source="Patient guide",
            )
    return clinician


def measure(client, path: str, runs: int) -> tuple[float, int]:
    """(median ms over `runs`, queries of one request); the fastest run goes to FASTEST."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client.get(path)  # warm caches, template loading, imports
    timings = []
    for _ in range(runs):
        started = time.perf_counter()
        response = client.get(path)
        timings.append((time.perf_counter() - started) * 1000)
        assert response.status_code == 200, (path, response.status_code)
    with CaptureQueriesContext(connection) as queries:
        client.get(path)
    FASTEST[path] = min(timings)
    return statistics.median(timings), len(queries)


def line(name: str, path: str, ms: float, queries: int) -> None:
    verdict = "ok" if ms <= TARGET_MS else "OVER TARGET"
    print(
        f"  {name:<40} median {ms:6.1f} ms (fastest {FASTEST[path]:6.1f})  {queries:2d} queries"
        f"  ({verdict}, <= {TARGET_MS})"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--patients", type=int, default=200)
    parser.add_argument("--days", type=int, default=365)
    parser.add_argument("--per-day", type=int, default=3)
    parser.add_argument("--runs", type=int, default=15)
    args = parser.parse_args()

    with tempfile.TemporaryDirectory(prefix="bench-clinician-") as var_dir:
        setup_django(var_dir)
        from django.test import Client

        from diary.models import Follow

        started = time.perf_counter()
        clinician = seed(args.patients, args.days, args.per_day)
        print(
            f"clinician following {args.patients} patients × {args.days} days × "
            f"{args.per_day} entries (seeded in {time.perf_counter() - started:.0f} s)"
        )
        client = Client()
        client.force_login(clinician)
        # A yardstick for a shared or busy machine: the cheapest request there is.
        paths = {
            "baseline /healthz/ (no database work)": "/healthz/",
            f"list page /clinician/ ({args.patients} patients)": "/clinician/",
            f"list API /api/clinician/patients/ ({args.patients})": "/api/clinician/patients/",
        }
        for name, path in paths.items():
            ms, queries = measure(client, path, args.runs)
            line(name, path, ms, queries)
        list_queries = queries

        patient_id = Follow.objects.filter(clinician=clinician).values_list(
            "patient_id", flat=True
        )[0]
        reports = {
            "one report page /clinician/patients/<id>/": f"/clinician/patients/{patient_id}/",
            "one report API .../report/ (90 days)": f"/api/clinician/patients/{patient_id}/report/",
            "one report API .../report/?days=365": (
                f"/api/clinician/patients/{patient_id}/report/?days=365"
            ),
        }
        for name, path in reports.items():
            ms, queries = measure(client, path, args.runs)
            line(name, path, ms, queries)

        # The list's query count with one patient left, for comparison.
        Follow.objects.filter(clinician=clinician).exclude(patient_id=patient_id).update(
            ended_at=clinician.date_joined
        )
        _, one = measure(client, "/api/clinician/patients/", 1)
        print(f"  list API queries: {one} with 1 patient, {list_queries} with {args.patients}")


if __name__ == "__main__":
    main()
