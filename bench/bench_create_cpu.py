"""Create-entry CPU in-process: the test client on SQLite, no network, no gunicorn.

    .venv/bin/python bench/bench_create_cpu.py [--creates 300] [--profile 25]

Times token-authenticated POST /api/entries/ (an ordinary entry, no sign: the common case)
against GET /api/vocabulary/ (no auth, a cached dict), both through the whole Django/DRF
stack. --profile N prints cProfile's top N functions of the creates by own time and by
cumulative time. Goal (issue 15): create <= 2.5 ms per request.
"""

from __future__ import annotations

import argparse
import cProfile
import io
import os
import pstats
import shutil
import sys
import tempfile
import time
import uuid
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

GOAL_MS = 2.5
BODY = {
    "intensity": 6,
    "locations": [{"region": "calf", "side": "left"}, {"region": "foot_sole", "side": "left"}],
    "pain_types": ["burning", "tingling"],
    "activity": "sitting",
}


def setup(var_dir: Path) -> None:
    os.environ.update(
        {
            "DJANGO_SETTINGS_MODULE": "config.settings",
            "VAR_DIR": str(var_dir),
            "DEBUG": "false",
            "CELERY_BROKER_URL": "memory://",
            "LOG_LEVEL": "WARNING",
            "SECURE_COOKIES": "false",
        }
    )
    os.environ.pop("DATABASE_URL", None)
    os.environ.pop("EMAIL_HOST", None)
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)
    call_command("createcachetable", verbosity=0)


def run(n: int, profile: int) -> None:
    import json

    from django.test import Client

    from diary.models import User
    from diary.services.accounts import token_issue

    user = User.objects.create_user(email="cpu@bench.example", password="bench-pass-9876")
    token = token_issue(user=user)
    client = Client(HTTP_HOST="localhost", HTTP_AUTHORIZATION=f"Token {token}")

    def create() -> None:
        body = json.dumps({"id": str(uuid.uuid4()), **BODY})
        response = client.post("/api/entries/", body, content_type="application/json")
        assert response.status_code == 201, response.content

    def vocabulary() -> None:
        assert client.get("/api/vocabulary/").status_code == 200

    for _ in range(30):  # warm-up: imports, caches, the first SQLite pages
        create()
        vocabulary()

    def timed(call) -> tuple[float, float]:
        # CPU time of this process: on a shared 2-core machine wall time mostly measures
        # the neighbours. Wall time is printed beside it.
        cpu, wall = time.process_time(), time.perf_counter()
        for _ in range(n):
            call()
        return (
            (time.process_time() - cpu) / n * 1000,
            (time.perf_counter() - wall) / n * 1000,
        )

    create_cpu, create_wall = min(timed(create) for _ in range(3))
    vocab_cpu, vocab_wall = min(timed(vocabulary) for _ in range(3))
    print(f"create-entry CPU in-process, test client on SQLite, best of 3 x {n} requests")
    print(f"  POST /api/entries/  : {create_cpu:6.2f} ms CPU ({create_wall:6.2f} ms wall)")
    print(f"  GET /api/vocabulary/: {vocab_cpu:6.2f} ms CPU ({vocab_wall:6.2f} ms wall)")
    print(
        f"  create {create_cpu:.2f} ms CPU, {create_cpu / vocab_cpu:.1f} x the vocabulary view "
        f"(goal <= {GOAL_MS} ms: {'met' if create_cpu <= GOAL_MS else 'MISSED'})"
    )
    if profile:
        profiler = cProfile.Profile()
        profiler.enable()
        for _ in range(n):
            create()
        profiler.disable()
        for order in ("tottime", "cumulative"):
            out = io.StringIO()
            pstats.Stats(profiler, stream=out).strip_dirs().sort_stats(order).print_stats(profile)
            print(f"\ncProfile of {n} creates, by {order}:")
            lines = out.getvalue().splitlines()
            start = next(i for i, line in enumerate(lines) if "ncalls" in line)
            print("\n".join(line for line in lines[start - 2 :] if line.strip()))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--creates", type=int, default=300)
    parser.add_argument("--profile", type=int, default=0, help="print cProfile's top N")
    args = parser.parse_args()
    var_dir = Path(tempfile.mkdtemp(prefix="bench-create-cpu-"))
    try:
        setup(var_dir)
        run(args.creates, args.profile)
    finally:
        shutil.rmtree(var_dir, ignore_errors=True)


if __name__ == "__main__":
    main()
