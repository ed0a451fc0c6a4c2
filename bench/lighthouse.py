#!/usr/bin/env python3
"""`make lighthouse`: Lighthouse's mobile preset against the production shape, median of 3.

A benchmark, not a test: it prints numbers and fails only when it cannot measure. It builds a
throwaway site under a temporary VAR_DIR (SQLite, DEBUG=false, a generated SECRET_KEY, static
files collected and compressed), seeds the demo diary, serves it with gunicorn and
config/gunicorn.conf.py, logs the demo patient in through the real log-in form, makes one share
link, then runs Lighthouse (npm, pinned in bench/lighthouse/package.json) with Debian's
Chromium on every page, passing the session as a Cookie header. Per page it prints the four
category scores and LCP, TBT, CLS and bytes, each the median of the runs.

    .venv/bin/python bench/lighthouse.py [--runs 3] [--pages log,reports] [--json out.json]
"""

from __future__ import annotations

import argparse
import http.client
import json
import os
import re
import secrets
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from http.cookies import SimpleCookie
from pathlib import Path
from urllib.parse import urlencode

ROOT = Path(__file__).resolve().parent.parent
BIN = Path(sys.executable).parent
LIGHTHOUSE_DIR = ROOT / "bench" / "lighthouse"
LIGHTHOUSE = LIGHTHOUSE_DIR / "node_modules" / ".bin" / "lighthouse"
CHROME = os.environ.get("CHROME_PATH") or shutil.which("chromium") or "/usr/bin/chromium"
HOST = "127.0.0.1"
# This machine's network is closed: Chromium's background fetches only add noise.
CHROME_FLAGS = (
    "--headless=new",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-dev-shm-usage",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
)
DEMO = ("demo@example.com", "demo-pass-123")
CLINICIAN = ("clinician@example.com", "demo-clinician-123")  # seed_demo --clinician
CATEGORIES = ("performance", "accessibility", "best-practices", "seo")
METRICS = (
    ("LCP", "largest-contentful-paint", "ms"),
    ("TBT", "total-blocking-time", "ms"),
    ("CLS", "cumulative-layout-shift", ""),
    ("bytes", "total-byte-weight", "B"),
)
# (name, path, whose session) — the share page is the clinician's, without a session; the
# path of the clinician's report on the demo patient is looked up once the site is built.
PAGES = (
    ("log-in", "/login/", None),
    ("log", "/", DEMO),
    ("diary", "/entries/", DEMO),
    ("flags", "/flags/", DEMO),
    ("reports", "/reports/", DEMO),
    ("share", None, None),
    ("workspace", "/clinician/", CLINICIAN),
    ("patient", None, CLINICIAN),
)
SCRUBBED_ENV = (
    "DJANGO_SETTINGS_MODULE",
    "DATABASE_URL",
    "CELERY_BROKER_URL",
    "EMAIL_HOST",
    "SITE_URL",
    "SECRET_KEY",
    "DEBUG",
    "ALLOWED_HOSTS",
    "SECURE_COOKIES",
    "CACHE_URL",
    "REDIS_URL",
)


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind((HOST, 0))
        return sock.getsockname()[1]


def site_env(var_dir: Path, port: int) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k not in SCRUBBED_ENV}
    env.update(
        {
            "VAR_DIR": str(var_dir),
            "DEBUG": "false",
            "SECRET_KEY": secrets.token_urlsafe(64),
            "SITE_URL": f"http://{HOST}:{port}",
            "PORT": str(port),
            "WEB_CONCURRENCY": "2",
            "GUNICORN_ACCESS_LOG": "",
            "CELERY_TASK_ALWAYS_EAGER": "true",
        }
    )
    return env


def manage(env: dict[str, str], *args: str) -> None:
    subprocess.run(
        [str(BIN / "python"), "manage.py", *args],
        cwd=ROOT,
        env=env,
        check=True,
        stdout=subprocess.DEVNULL,
    )


def wait_until_serving(port: int, server: subprocess.Popen) -> None:
    for _ in range(300):
        if server.poll() is not None:
            raise SystemExit("gunicorn stopped before it served anything")
        try:
            conn = http.client.HTTPConnection(HOST, port, timeout=2)
            conn.request("GET", "/healthz/")
            if conn.getresponse().status == 200:
                return
        except OSError:
            pass
        time.sleep(0.2)
    raise SystemExit("gunicorn did not answer /healthz/")


def log_in(port: int, account: tuple[str, str]) -> str:
    """A demo account's session, through the real log-in form: a `Cookie` header value."""
    conn = http.client.HTTPConnection(HOST, port, timeout=10)
    conn.request("GET", "/login/")
    response = conn.getresponse()
    page = response.read().decode()
    cookies = SimpleCookie(response.getheader("Set-Cookie") or "")
    csrf = cookies["csrftoken"].value
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page).group(1)
    email, password = account
    body = urlencode({"csrfmiddlewaretoken": token, "username": email, "password": password})
    conn.request(
        "POST",
        "/login/",
        body=body,
        headers={
            "Content-Type": "application/x-www-form-urlencoded",
            "Cookie": f"csrftoken={csrf}",
        },
    )
    response = conn.getresponse()
    response.read()
    session = SimpleCookie()
    for header, value in response.getheaders():
        if header.lower() == "set-cookie":
            session.load(value)
    if response.status != 302 or "sessionid" not in session:
        raise SystemExit(f"the log-in of {email} failed ({response.status})")
    return f"sessionid={session['sessionid'].value}; csrftoken={session['csrftoken'].value if 'csrftoken' in session else csrf}"


def share_path(env: dict[str, str]) -> str:
    code = (
        "from diary.models import User; from reports.services import share_link_create;"
        f"print(share_link_create(user=User.objects.get(email='{DEMO[0]}'), days=30).token)"
    )
    return f"/r/{_shell(env, code)}/"


def patient_path(env: dict[str, str]) -> str:
    code = f"from diary.models import User; print(User.objects.get(email='{DEMO[0]}').pk)"
    return f"/clinician/patients/{_shell(env, code)}/"


def _shell(env: dict[str, str], code: str) -> str:
    out = subprocess.run(
        [str(BIN / "python"), "manage.py", "shell", "-c", code],
        cwd=ROOT,
        env=env,
        check=True,
        capture_output=True,
        text=True,
    )
    return out.stdout.strip().splitlines()[-1]


def lighthouse(url: str, cookie: str | None, out: Path) -> dict:
    command = [
        str(LIGHTHOUSE),
        url,
        "--quiet",
        "--output=json",
        f"--output-path={out}",
        f"--only-categories={','.join(CATEGORIES)}",
        f"--chrome-flags={' '.join(CHROME_FLAGS)}",
    ]
    if cookie:
        command.append(f"--extra-headers={json.dumps({'Cookie': cookie})}")
    for attempt in (1, 2):
        finished = subprocess.run(
            command,
            env={**os.environ, "CHROME_PATH": CHROME},
            stdout=subprocess.DEVNULL,
            stderr=subprocess.PIPE,
            text=True,
        )
        if finished.returncode == 0:
            break
        # Chromium now and then fails to start on a loaded machine: one retry, then give up
        # loudly with what Lighthouse said.
        print(f"    Lighthouse failed (attempt {attempt}): {finished.stderr.strip()[-600:]}")
    else:
        raise SystemExit(f"Lighthouse failed twice on {url}")
    report = json.loads(out.read_text())
    if report.get("runtimeError"):
        raise SystemExit(f"Lighthouse could not load {url}: {report['runtimeError']}")
    final = report.get("finalDisplayedUrl") or report.get("finalUrl", "")
    if "/login/" in final and "/login/" not in url:
        raise SystemExit(f"{url} redirected to the log-in page: the session header did not work")
    result = {c: round(report["categories"][c]["score"] * 100) for c in CATEGORIES}
    for name, audit, _unit in METRICS:
        result[name] = report["audits"][audit]["numericValue"]
    return result


def median(runs: list[dict]) -> dict:
    return {key: statistics.median(run[key] for run in runs) for key in runs[0]}


def table(results: dict[str, dict], runs: int) -> str:
    lines = [
        f"| page | perf | a11y | best practices | SEO | LCP | TBT | CLS | bytes |  (median of {runs})",
        "|---|---|---|---|---|---|---|---|---|",
    ]
    for page, r in results.items():
        lines.append(
            f"| {page} | {r['performance']:.0f} | {r['accessibility']:.0f} | "
            f"{r['best-practices']:.0f} | {r['seo']:.0f} | {r['LCP'] / 1000:.2f} s | "
            f"{r['TBT']:.0f} ms | {r['CLS']:.3f} | {r['bytes'] / 1024:.0f} KB |"
        )
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--pages", default=",".join(p[0] for p in PAGES))
    parser.add_argument("--json", type=Path, help="also write the medians here")
    args = parser.parse_args()
    if not LIGHTHOUSE.exists():
        raise SystemExit(f"Lighthouse is not installed: run `npm ci --prefix {LIGHTHOUSE_DIR}`")
    wanted = set(args.pages.split(","))
    with tempfile.TemporaryDirectory(prefix="diary-lighthouse-") as tmp:
        var_dir = Path(tmp)
        port = free_port()
        env = site_env(var_dir, port)
        print(f"Building the site under {var_dir} (SQLite, DEBUG=false)…", flush=True)
        manage(env, "migrate", "--noinput")
        manage(env, "createcachetable")
        manage(env, "collectstatic", "--noinput", "-v0")
        manage(env, "seed_demo", "--clinician")
        server = subprocess.Popen(
            [str(BIN / "gunicorn"), "-c", "config/gunicorn.conf.py", "config.wsgi"],
            cwd=ROOT,
            env=env,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        try:
            wait_until_serving(port, server)
            cookies = {account: log_in(port, account) for account in (DEMO, CLINICIAN)}
            looked_up = {"share": share_path, "patient": patient_path}
            results: dict[str, dict] = {}
            for name, path, account in PAGES:
                if name not in wanted:
                    continue
                url = f"http://{HOST}:{port}{path or looked_up[name](env)}"
                runs = []
                for run in range(args.runs):
                    print(f"  {name}: run {run + 1} of {args.runs}", flush=True)
                    runs.append(
                        lighthouse(url, cookies.get(account), var_dir / f"{name}-{run}.json")
                    )
                results[name] = median(runs)
        finally:
            server.terminate()
            server.wait(timeout=30)
    print()
    print(table(results, args.runs))
    if args.json:
        args.json.write_text(json.dumps(results, indent=2))


if __name__ == "__main__":
    main()
