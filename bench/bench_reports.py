"""Reports page and clinician share page for a patient with 365 days x 3 entries.

Prints, per page: median server time over 20 runs (Django test Client, in process), SQL
queries, HTML bytes, and the bytes of every static asset the page loads, raw and gzipped.
Targets: <= 150 ms, <= 12 queries, <= 600 KB compressed transfer including Plotly.

Runs on a throwaway SQLite database under a temporary VAR_DIR, with the production cache
backend (database) so the share page's rate-limit counter is counted too.

    .venv/bin/python bench/bench_reports.py [--runs 20] [--days 365] [--per-day 3]
"""

from __future__ import annotations

import argparse
import gzip
import os
import re
import statistics
import sys
import tempfile
import time
from datetime import datetime, timedelta
from datetime import time as clock
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
TARGET_MS = 150
TARGET_QUERIES = 12
TARGET_TRANSFER_KB = 600


def setup_django(var_dir: str) -> None:
    sys.path.insert(0, str(ROOT))
    os.environ["VAR_DIR"] = var_dir
    os.environ["DATABASE_URL"] = f"sqlite:///{var_dir}/bench.sqlite3"
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.test")
    import django

    django.setup()
    from django.core.management import call_command
    from django.template.base import Template
    from django.test.utils import _TestState, setup_test_environment

    setup_test_environment()  # allows the test Client's host name
    # The test environment wraps template rendering to copy every context for the test
    # client's inspection; production renders without it, and so do the benchmarks.
    Template._render = _TestState.saved_data.template_render
    call_command("migrate", verbosity=0)


def seed(days: int, per_day: int):
    """A patient with `per_day` entries on each of the last `days` days, plus a few flags."""
    from django.utils import timezone

    from diary import vocabulary as vocab
    from diary.models import Entry, EntryLocation, Flag, User
    from diary.services.entries import entry_location_rows

    user = User.objects.create_user(email="bench@example.com", password="bench-pass-123")
    user.timezone = "Europe/London"
    user.save()
    zone = user.zone
    today = timezone.now().astimezone(zone).date()
    regions = [("foot_sole", "left"), ("calf", "left"), ("buttock", "left"), ("big_toe", "right")]
    pains = [["burning", "tingling"], ["aching"], ["electric", "numbness"], ["stiffness"]]
    activities = ["lying_down", "sitting", "walking", "standing"]
    entries, locations = [], []
    for offset in range(days):
        day = today - timedelta(days=offset)
        for n in range(per_day):
            moment = datetime.combine(day, clock((7 + 6 * n) % 24, 15), tzinfo=zone)
            entry = Entry(
                user=user,
                occurred_at=moment,
                local_date=day,
                timezone=user.timezone,
                timing=vocab.timing_for(moment),
                intensity=(offset * 7 + n * 3) % 11,
                pain_types=pains[(offset + n) % len(pains)],
                activity=activities[(offset + n) % len(activities)],
                red_flags=["foot_drop"] if offset % 97 == 5 and n == 0 else [],
                context=["poor_sleep"] if offset % 5 == 0 else [],
                notes="",
            )
            entries.append(entry)
            locations += entry_location_rows(entry=entry, locations=regions[: 1 + (offset + n) % 3])
    Entry.objects.bulk_create(entries, batch_size=1000)
    EntryLocation.objects.bulk_create(locations, batch_size=1000)
    for code in ("night_worse_nerve_pain", "persistent_pain"):
        Flag.objects.create(
            user=user,
            code=code,
            severity="warning",
            title=code.replace("_", " ").capitalize(),
            explanation="Bench flag. This is a pattern in your diary, not a diagnosis.",
            source="Patient guide",
        )
    return user, len(entries)


def measure(client, path: str, runs: int) -> tuple[float, int, bytes]:
    """(median ms, queries of one request, HTML of the last run)."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client.get(path)  # warm caches, template loading, imports
    timings = []
    body = b""
    for _ in range(runs):
        started = time.perf_counter()
        response = client.get(path)
        timings.append((time.perf_counter() - started) * 1000)
        assert response.status_code == 200, (path, response.status_code)
        body = response.content
    with CaptureQueriesContext(connection) as queries:
        client.get(path)
    if os.environ.get("BENCH_SHOW_SQL"):
        for query in queries:
            print("    SQL", query["sql"][:110])
    return statistics.median(timings), len(queries), body


def assets(html: bytes) -> list[tuple[str, int, int]]:
    """(url, raw bytes, gzip bytes) for each script and stylesheet the page loads."""
    from django.conf import settings
    from django.contrib.staticfiles import finders

    urls = re.findall(rb'<script[^>]+src="([^"]+)"', html) + re.findall(
        rb'<link[^>]+rel="stylesheet"[^>]+href="([^"]+)"', html
    )
    found = []
    for raw_url in urls:
        url = raw_url.decode()
        path = finders.find(url.removeprefix(settings.STATIC_URL))
        data = Path(path).read_bytes() if path else b""
        found.append((url, len(data), len(gzip.compress(data, 9))))
    return found


def report(name: str, ms: float, queries: int, html: bytes) -> None:
    html_gz = len(gzip.compress(html, 9))
    rows = assets(html)
    total_gz = html_gz + sum(gz for _, _, gz in rows)
    print(f"\n{name}")
    print(f"  median server time : {ms:7.1f} ms   (target <= {TARGET_MS})")
    print(f"  SQL queries        : {queries:7d}      (target <= {TARGET_QUERIES})")
    print(f"  HTML               : {len(html):7d} B raw, {html_gz:7d} B gzip")
    for url, raw, gz in rows:
        print(f"  {url:<40} {raw:9d} B raw, {gz:8d} B gzip")
    print(
        f"  total transfer     : {total_gz / 1024:7.1f} KB gzip  (target <= {TARGET_TRANSFER_KB} KB)"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=20)
    parser.add_argument("--days", type=int, default=365)
    parser.add_argument("--per-day", type=int, default=3)
    args = parser.parse_args()

    with tempfile.TemporaryDirectory(prefix="bench-reports-") as var_dir:
        setup_django(var_dir)
        from django.test import Client, override_settings

        from reports.services import share_link_create

        user, count = seed(args.days, args.per_day)
        print(f"patient with {count} entries over {args.days} days")
        database_cache = {
            "default": {
                "BACKEND": "django.core.cache.backends.db.DatabaseCache",
                "LOCATION": "cache_table",
            }
        }
        # The per-address and per-link limits would stop the benchmark's own repeated views.
        with override_settings(
            CACHES=database_cache,
            SHARE_LOOKUPS_PER_MINUTE=10_000,
            SHARE_VIEWS_PER_LINK_PER_MINUTE=10_000,
            SHARE_VIEWS_PER_ADDRESS_PER_MINUTE=10_000,
        ):
            from django.core.management import call_command

            call_command("createcachetable", verbosity=0)
            patient = Client()
            patient.force_login(user)
            ms, queries, html = measure(patient, "/reports/?days=365", args.runs)
            report("Reports page /reports/?days=365 (logged in)", ms, queries, html)

            token = share_link_create(user=user, days=365).token
            ms, queries, html = measure(Client(), f"/r/{token}/", args.runs)
            report("Share page /r/<token>/ (clinician, no login)", ms, queries, html)

            clinician = Client()
            clinician.get(f"/r/{token}/pdf/")  # first run loads WeasyPrint and fonts
            pdf_times = []
            for _ in range(3):
                started = time.perf_counter()
                pdf = clinician.get(f"/r/{token}/pdf/")
                pdf_times.append((time.perf_counter() - started) * 1000)
            print(
                f"\nShare PDF /r/<token>/pdf/: {len(pdf.content)} B, "
                f"median {statistics.median(pdf_times):.0f} ms over 3 warm runs"
            )


if __name__ == "__main__":
    main()
