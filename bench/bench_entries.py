"""Create-entry API throughput and p95 under 16 concurrent clients, against a trivial view.

Both run against the same gunicorn (2 workers) in the same run; the figure that matters is
the ratio (target >= 0.5), since absolute numbers depend on the machine.
"""

from __future__ import annotations

import argparse
import http.client
import json
import shutil
import tempfile
import threading
import time
import uuid
from pathlib import Path

from common import bench_env, gunicorn, manage, median, percentile, post_json

CLIENTS = 16


def hammer(base: str, make_request, seconds: float) -> tuple[int, list[float], int]:
    """Run CLIENTS threads for `seconds`; returns (ok count, latencies, errors)."""
    host, port = base.removeprefix("http://").split(":")
    latencies: list[float] = []
    errors = 0
    lock = threading.Lock()
    stop_at = time.monotonic() + seconds

    def client() -> None:
        nonlocal errors
        connection = http.client.HTTPConnection(host, int(port), timeout=30)
        mine: list[float] = []
        failed = 0
        while time.monotonic() < stop_at:
            method, path, body, headers = make_request()
            started = time.perf_counter()
            connection.request(method, path, body=body, headers=headers)
            response = connection.getresponse()
            response.read()
            mine.append(time.perf_counter() - started)
            if response.status >= 300:
                failed += 1
        with lock:
            latencies.extend(mine)
            errors += failed

    threads = [threading.Thread(target=client) for _ in range(CLIENTS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return len(latencies) - errors, latencies, errors


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--seconds", type=float, default=10)
    args = parser.parse_args()
    var_dir = Path(tempfile.mkdtemp(prefix="bench-entries-"))
    # Many sign-ups and logins from one address are the benchmark, not an attack.
    env = bench_env(var_dir, TOKEN_THROTTLE_RATE="10000/min", SIGNUP_LIMIT_PER_HOUR="10000")
    try:
        manage(env, "migrate", "--noinput")
        manage(env, "createcachetable")
        with gunicorn(env, workers=2, threads=4) as base:
            tokens = []
            for n in range(CLIENTS):
                email = f"bench{n}@example.com"
                post_json(
                    f"{base}/api/auth/register/", {"email": email, "password": "bench-pass-9876"}
                )
                tokens.append(
                    post_json(
                        f"{base}/api/auth/token/", {"email": email, "password": "bench-pass-9876"}
                    )["token"]
                )
            local = threading.local()
            counter = iter(range(10**9))
            counter_lock = threading.Lock()

            def create_entry():
                if not hasattr(local, "token"):
                    with counter_lock:
                        local.token = tokens[next(counter) % len(tokens)]
                body = json.dumps(
                    {
                        "id": str(uuid.uuid4()),
                        "intensity": 6,
                        "locations": [
                            {"region": "calf", "side": "left"},
                            {"region": "foot_sole", "side": "left"},
                        ],
                        "pain_types": ["burning", "tingling"],
                        "activity": "sitting",
                    }
                )
                return (
                    "POST",
                    "/api/entries/",
                    body,
                    {
                        "Content-Type": "application/json",
                        "Authorization": f"Token {local.token}",
                    },
                )

            def trivial():
                return "GET", "/healthz/", None, {}

            hammer(base, trivial, 1)  # warm-up
            t_ok, t_lat, t_err = hammer(base, trivial, args.seconds)
            c_ok, c_lat, c_err = hammer(base, create_entry, args.seconds)
        trivial_rps = t_ok / args.seconds
        create_rps = c_ok / args.seconds
        print(
            f"entries: create-entry API, {CLIENTS} clients, gunicorn 2 workers x 4 threads, {args.seconds:.0f}s each"
        )
        print(
            f"  trivial JSON view : {trivial_rps:8.1f} req/s  p50 {median(t_lat) * 1000:6.1f} ms  p95 {percentile(t_lat, 95) * 1000:6.1f} ms  errors {t_err}"
        )
        print(
            f"  POST /api/entries/: {create_rps:8.1f} req/s  p50 {median(c_lat) * 1000:6.1f} ms  p95 {percentile(c_lat, 95) * 1000:6.1f} ms  errors {c_err}"
        )
        ratio = create_rps / trivial_rps
        print(
            f"  ratio create/trivial throughput: {ratio:.2f} "
            f"(goal >= 0.5: {'met' if ratio >= 0.5 else 'MISSED'})"
        )
    finally:
        shutil.rmtree(var_dir, ignore_errors=True)


if __name__ == "__main__":
    main()
