"""`make bench`: every performance figure the issues name, printed one section after another.

BENCH_QUICK=1 shrinks the data sets for a fast look; the defaults are the sizes the issues name.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
QUICK = os.environ.get("BENCH_QUICK") == "1"

BENCHES = [
    (
        "Diary: create-entry API vs a trivial view",
        "bench_entries.py",
        ["--seconds", "5" if QUICK else "15"],
    ),
    (
        "Diary: create-entry CPU in-process vs GET /api/vocabulary/",
        "bench_create_cpu.py",
        ["--creates", "100" if QUICK else "300"],
    ),
    # 2,000 patients x 90 days x 2 = 360,000 entries on SQLite: generated once (about a
    # minute) and two full scans, a couple of minutes on 2 cores. The PostgreSQL figures
    # need `.ci/services.sh start` and BENCH_DATABASE_URL: see bench/README.md.
    ("Pattern scan", "bench_scan.py", ["--patients", "500" if QUICK else "2000"]),
    ("Reports and share pages", "bench_reports.py", []),
    (
        "Clinician workspace",
        "bench_clinician.py",
        ["--patients", "50", "--runs", "5"] if QUICK else [],
    ),
]


def main() -> int:
    failed = []
    for title, script, args in BENCHES:
        path = HERE / script
        print(f"\n== {title} ({script})", flush=True)
        if not path.exists():
            print("   (not present)")
            continue
        result = subprocess.run([sys.executable, str(path), *args], cwd=HERE.parent)
        if result.returncode != 0:
            failed.append(script)
    if failed:
        print(f"\nfailed: {', '.join(failed)}")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
