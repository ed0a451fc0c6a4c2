#!/usr/bin/env python3
"""`make prod-check`: the production shape on loopback, smoke-tested end to end, then torn down.

Starts a throwaway PostgreSQL and Redis (.ci/services.sh, in a folder and on ports of its
own), migrates, collects static files, creates the cache table, then runs gunicorn
(config/gunicorn.conf.py), one Celery worker and one Celery beat with DEBUG=false and a
generated SECRET_KEY, as docs/deploy.md describes. The smoke test goes through gunicorn over
HTTP and proves web -> broker -> worker -> database with the instant red-flag path.
Everything is stopped on the way out, whatever happens; the exit status is non-zero when any
check fails.

`ProdStack` is reused by bench/load.py. Loopback only; every wait is bounded.
"""

from __future__ import annotations

import argparse
import contextlib
import http.client
import json
import os
import re
import secrets
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
import uuid
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from http.cookies import SimpleCookie
from pathlib import Path
from typing import Any
from urllib.parse import urlencode

ROOT = Path(__file__).resolve().parent.parent
BIN = Path(sys.executable).parent
HOST = "127.0.0.1"

# Inherited variables that would point the stack somewhere else or change its behaviour.
SCRUBBED_ENV = (
    "DJANGO_SETTINGS_MODULE",
    "DATABASE_URL",
    "CELERY_BROKER_URL",
    "CELERY_TASK_ALWAYS_EAGER",
    "EMAIL_HOST",
    "EMAIL_PORT",
    "EMAIL_HOST_USER",
    "EMAIL_HOST_PASSWORD",
    "EMAIL_USE_TLS",
    "SECURE_COOKIES",
    "ALLOWED_HOSTS",
    "SITE_URL",
    "SECRET_KEY",
    "DEBUG",
    "PORT",
    "VAR_DIR",
    "GUNICORN_BIND",
    "WEB_CONCURRENCY",
    "FORWARDED_ALLOW_IPS",
)


class StackError(RuntimeError):
    """The stack could not start; the message says which part and why."""


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind((HOST, 0))
        return sock.getsockname()[1]


def log(message: str) -> None:
    print(f"[prod-check {datetime.now(UTC):%H:%M:%S}] {message}", flush=True)


def tail(path: Path, lines: int = 40) -> str:
    try:
        return "\n".join(path.read_text(errors="replace").splitlines()[-lines:])
    except OSError:
        return "(no log)"


def _read_pid(path: Path) -> int | None:
    try:
        return int(path.read_text().strip())
    except (OSError, ValueError):
        return None


def _wait_gone(pid: int | None, seconds: float) -> None:
    deadline = time.monotonic() + seconds
    while pid and time.monotonic() < deadline:
        try:
            os.kill(pid, 0)
        except ProcessLookupError:
            return
        time.sleep(0.1)


def print_logs(stack: ProdStack, lines: int = 40) -> None:
    for name in stack.processes:
        print(f"----- last lines of the {name} log -----\n{tail(stack.log_path(name), lines)}")


@dataclass
class ProdStack:
    """PostgreSQL + Redis + migrate/collectstatic/createcachetable + gunicorn, worker and beat."""

    web_workers: int | None = 2  # None: config/gunicorn.conf.py's default (2 x cores + 1)
    web_threads: int = 4
    worker_concurrency: int = 2
    extra_env: dict[str, str] = field(default_factory=dict)
    keep: bool = False
    base: Path = field(init=False)
    url: str = field(init=False, default="")
    env: dict[str, str] = field(init=False, default_factory=dict)
    processes: dict[str, subprocess.Popen] = field(init=False, default_factory=dict)
    _services_started: bool = field(init=False, default=False)

    # -- lifecycle ------------------------------------------------------------------------

    def __enter__(self) -> ProdStack:
        try:
            self.start()
        except BaseException:
            self.stop(failed=True)
            raise
        return self

    def __exit__(self, exc_type: type | None, *_: object) -> None:
        self.stop(failed=exc_type is not None)

    def start(self) -> None:
        if os.geteuid() != 0:
            raise StackError(".ci/services.sh needs root (it runs PostgreSQL as the postgres user)")
        # PostgreSQL runs as `postgres` and must be able to walk into this folder.
        self.base = Path(tempfile.mkdtemp(prefix="diary-prod-check-"))
        self.base.chmod(0o755)
        (self.base / "logs").mkdir()
        ports: set[int] = set()
        while len(ports) < 3:
            ports.add(free_port())
        pg_port, redis_port, web_port = sorted(ports)
        self.url = f"http://{HOST}:{web_port}"

        env = {
            k: v
            for k, v in os.environ.items()
            if k not in SCRUBBED_ENV and not k.startswith("GUNICORN_")
        }
        env.update(
            {
                "DJANGO_SETTINGS_MODULE": "config.settings",
                "DEBUG": "false",
                "SECRET_KEY": secrets.token_urlsafe(64),
                "SITE_URL": self.url,
                "ALLOWED_HOSTS": f"{HOST},localhost",
                "VAR_DIR": str(self.base / "var"),
                "GUNICORN_BIND": f"{HOST}:{web_port}",
                "GUNICORN_THREADS": str(self.web_threads),
                "GUNICORN_GRACEFUL_TIMEOUT": "10",
                "PYTHONUNBUFFERED": "1",
            }
        )
        if self.web_workers:
            env["WEB_CONCURRENCY"] = str(self.web_workers)
        env.update(self.extra_env)
        self.env = env

        # collectstatic needs neither database nor broker: it runs while they start.
        log("manage.py collectstatic --noinput (in the background)")
        self._spawn("collectstatic", [sys.executable, "manage.py", "collectstatic", "--noinput"])

        log(f"services: PostgreSQL on {HOST}:{pg_port}, Redis on {HOST}:{redis_port} ({self.base})")
        self._services_started = True
        done = subprocess.run(  # noqa: S603
            ["bash", str(ROOT / ".ci" / "services.sh"), "start"],  # noqa: S607
            env={
                **os.environ,
                "BASE": str(self.base),
                "PGPORT": str(pg_port),
                "REDIS_PORT": str(redis_port),
            },
            capture_output=True,
            text=True,
            timeout=180,
            check=False,
        )
        urls = dict(
            line.split("=", 1)
            for line in done.stdout.splitlines()
            if line.startswith(("DATABASE_URL=", "CELERY_BROKER_URL="))
        )
        if done.returncode != 0 or len(urls) != 2:
            raise StackError(f".ci/services.sh start failed:\n{done.stdout}\n{done.stderr}")
        env.update(urls)

        for args in (["migrate", "--noinput"], ["createcachetable"]):
            log(f"manage.py {' '.join(args)}")
            self.manage(*args)
        collect = self.processes["collectstatic"]
        try:
            collect.wait(timeout=300)
        except subprocess.TimeoutExpired as exc:
            raise StackError("collectstatic took more than 300 s") from exc
        if collect.returncode != 0:
            raise StackError(f"collectstatic failed:\n{tail(self.log_path('collectstatic'))}")
        log(tail(self.log_path("collectstatic"), 1))

        workers = self.web_workers or "default number of"
        log(f"gunicorn ({workers} workers x {self.web_threads} threads) on {self.url}")
        self._spawn("web", [BIN / "gunicorn", "-c", "config/gunicorn.conf.py", "config.wsgi"])
        log(f"celery worker (concurrency {self.worker_concurrency}) and celery beat")
        self._spawn(
            "worker",
            [BIN / "celery", "-A", "config", "worker", "-l", "INFO",
             "--concurrency", str(self.worker_concurrency), "-n", f"prodcheck-{web_port}@%h"],
        )  # fmt: skip
        self._spawn("beat", [BIN / "celery", "-A", "config", "beat", "-l", "INFO"])

        self._wait_for("web", self._web_ready, 60)
        self._wait_for("worker", lambda: " ready." in self.log_text("worker"), 60)
        self._wait_for("beat", lambda: "beat: Starting" in self.log_text("beat"), 60)
        log("stack is up")

    def stop(self, *, failed: bool = False) -> None:
        # A second Ctrl-C or TERM must not cut the clean-up short.
        if threading.current_thread() is threading.main_thread():
            for signum in (signal.SIGINT, signal.SIGTERM, signal.SIGHUP):
                signal.signal(signum, signal.SIG_IGN)
        # In the reverse order of starting, each process with its children (own group).
        for name, process in reversed(self.processes.items()):
            if process.poll() is None:
                try:
                    os.killpg(process.pid, signal.SIGTERM)
                    process.wait(timeout=20)
                except subprocess.TimeoutExpired:
                    log(f"{name} did not stop within 20 s: killing it")
                    process.kill()
                    process.wait(timeout=10)
                except ProcessLookupError:
                    pass
            with contextlib.suppress(ProcessLookupError):  # whatever is left of its group
                os.killpg(process.pid, signal.SIGKILL)
        if failed and self.processes:
            print_logs(self)
        if self._services_started:
            redis_pid = _read_pid(self.base / "redis" / "redis.pid")
            subprocess.run(  # noqa: S603
                ["bash", str(ROOT / ".ci" / "services.sh"), "stop"],  # noqa: S607
                env={**os.environ, "BASE": str(self.base)},
                capture_output=True,
                timeout=60,
                check=False,
            )
            self._services_started = False
            # services.sh signals Redis without waiting; it must be gone before the rmtree.
            _wait_gone(redis_pid, 10)
            if self.keep:
                log(f"kept {self.base} (logs under logs/)")
            else:
                shutil.rmtree(self.base, ignore_errors=True)
        self.processes.clear()

    # -- helpers --------------------------------------------------------------------------

    def manage(self, *args: str, timeout: float = 120) -> str:
        done = subprocess.run(  # noqa: S603
            [sys.executable, "manage.py", *args],
            cwd=ROOT,
            env=self.env,
            capture_output=True,
            text=True,
            timeout=timeout,
            check=False,
        )
        if done.returncode != 0:
            raise StackError(f"manage.py {' '.join(args)} failed:\n{done.stdout}\n{done.stderr}")
        return done.stdout

    def log_path(self, name: str) -> Path:
        return self.base / "logs" / f"{name}.log"

    def log_text(self, name: str) -> str:
        try:
            return self.log_path(name).read_text(errors="replace")
        except OSError:
            return ""

    def alive(self) -> dict[str, bool]:
        return {
            name: process.poll() is None
            for name, process in self.processes.items()
            if name in ("web", "worker", "beat")
        }

    def _spawn(self, name: str, command: list[Any]) -> None:
        with self.log_path(name).open("wb") as out:
            # A process group of its own, so stopping it also stops its children.
            self.processes[name] = subprocess.Popen(  # noqa: S603
                [str(part) for part in command],
                cwd=ROOT,
                env=self.env,
                stdout=out,
                stderr=subprocess.STDOUT,
                stdin=subprocess.DEVNULL,
                start_new_session=True,
            )

    def _web_ready(self) -> bool:
        try:
            connection = http.client.HTTPConnection(
                HOST, int(self.url.rsplit(":", 1)[1]), timeout=2
            )
            connection.request("GET", "/login/")
            return connection.getresponse().status == 200
        except OSError:
            return False

    def _wait_for(self, name: str, ready: Callable[[], bool], seconds: float) -> None:
        deadline = time.monotonic() + seconds
        while time.monotonic() < deadline:
            if self.processes[name].poll() is not None:
                raise StackError(f"{name} exited with status {self.processes[name].returncode}")
            if ready():
                return
            time.sleep(0.25)
        raise StackError(f"{name} was not ready within {seconds:.0f} s")


# -- the smoke test ------------------------------------------------------------------------


@dataclass
class Response:
    status: int
    headers: http.client.HTTPMessage
    body: bytes

    def json(self) -> Any:
        return json.loads(self.body or b"null")


class Client:
    """A tiny HTTP client over http.client: no redirects followed, a cookie jar, a token."""

    def __init__(self, url: str) -> None:
        self.host, port = url.removeprefix("http://").split(":")
        self.port = int(port)
        self.cookies: dict[str, str] = {}
        self.token: str | None = None

    def request(
        self,
        method: str,
        path: str,
        *,
        json_body: Any = None,
        form: dict[str, str] | None = None,
        headers: dict[str, str] | None = None,
        auth: bool = True,
    ) -> Response:
        sent = {"Accept": "application/json, text/html;q=0.9", **(headers or {})}
        body: bytes | None = None
        if json_body is not None:
            body = json.dumps(json_body).encode()
            sent["Content-Type"] = "application/json"
        elif form is not None:
            body = urlencode(form).encode()
            sent["Content-Type"] = "application/x-www-form-urlencoded"
        if auth and self.token:
            sent["Authorization"] = f"Token {self.token}"
        if self.cookies:
            sent["Cookie"] = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
        connection = http.client.HTTPConnection(self.host, self.port, timeout=15)
        try:
            connection.request(method, path, body=body, headers=sent)
            answer = connection.getresponse()
            data = answer.read()
        finally:
            connection.close()
        for header in answer.headers.get_all("Set-Cookie") or []:
            for name, morsel in SimpleCookie(header).items():
                self.cookies[name] = morsel.value
        return Response(answer.status, answer.headers, data)


class Checks:
    def __init__(self) -> None:
        self.failed: list[str] = []
        self.passed = 0

    def check(self, name: str, ok: bool, detail: str = "") -> bool:
        if ok:
            self.passed += 1
            print(f"  PASS  {name}", flush=True)
        else:
            self.failed.append(name)
            print(f"  FAIL  {name}" + (f"\n        {detail}" if detail else ""), flush=True)
        return ok


PROXIED_CLIENT = "198.51.100.23"
EVENTS_SCRIPT = """
import json
from diary.models import SecurityEvent
events = SecurityEvent.objects.filter(user__email={email!r}).order_by("at", "id")
print(json.dumps(list(events.values_list("kind", "ip"))))
"""


def _results(data: Any) -> list[dict]:
    if isinstance(data, dict) and "results" in data:
        return data["results"]
    return data if isinstance(data, list) else []


def smoke(stack: ProdStack, *, flag_timeout: float = 30) -> Checks:
    """Every check through gunicorn over HTTP; returns the tally."""
    checks = Checks()
    client = Client(stack.url)

    # Pages, headers and static files.
    page = client.request("GET", "/login/")
    checks.check("GET /login/ is 200", page.status == 200, f"got {page.status}")
    csp = page.headers.get("Content-Security-Policy", "")
    checks.check("Content-Security-Policy header", "default-src" in csp, f"got {csp!r}")
    nosniff = page.headers.get("X-Content-Type-Options", "")
    checks.check("X-Content-Type-Options: nosniff", nosniff == "nosniff", f"got {nosniff!r}")
    checks.check(
        "X-Frame-Options: DENY", page.headers.get("X-Frame-Options") == "DENY",
        f"got {page.headers.get('X-Frame-Options')!r}",
    )  # fmt: skip
    checks.check(
        "Referrer-Policy set", bool(page.headers.get("Referrer-Policy")), "no Referrer-Policy"
    )
    csrf_cookie = next(
        (c for c in page.headers.get_all("Set-Cookie") or [] if c.startswith("csrftoken=")), ""
    )
    checks.check(
        "plain-http SITE_URL: CSRF cookie not Secure-only (log-in works over http)",
        bool(csrf_cookie) and "secure" not in csrf_cookie.lower(),
        f"Set-Cookie: {csrf_cookie!r}",
    )
    checks.check(
        "plain-http SITE_URL: no HSTS header",
        "Strict-Transport-Security" not in page.headers,
        "HSTS sent on a plain-http deployment",
    )

    css = re.findall(r'href="(/static/[^"]+\.css)"', page.body.decode(errors="replace"))
    hashed = [path for path in css if re.search(r"\.[0-9a-f]{12}\.css$", path)]
    if checks.check(
        "page links collectstatic'd, hashed CSS", bool(hashed), f"stylesheet links: {css}"
    ):
        static = client.request("GET", hashed[0], headers={"Accept-Encoding": "gzip"})
        cache = static.headers.get("Cache-Control", "")
        max_age = int(m.group(1)) if (m := re.search(r"max-age=(\d+)", cache)) else 0
        checks.check(
            f"GET {hashed[0]} is 200 with a body",
            static.status == 200 and len(static.body) > 0,
            f"got {static.status}, {len(static.body)} bytes",
        )
        checks.check(
            "static CSS cached far-future by WhiteNoise (max-age >= 1 year)",
            max_age >= 365 * 24 * 3600,
            f"Cache-Control: {cache!r}",
        )
        checks.check(
            "static CSS served compressed",
            static.headers.get("Content-Encoding") in {"gzip", "br"},
            f"Content-Encoding: {static.headers.get('Content-Encoding')!r}",
        )

    missing = client.request("GET", "/no-such-page/")
    checks.check(
        "unknown page is a plain 404 (DEBUG is off)",
        missing.status == 404 and b"DEBUG = True" not in missing.body,
        f"got {missing.status}",
    )
    health = client.request("GET", "/healthz/")
    if health.status != 404:
        checks.check("GET /healthz/ is 200", health.status == 200, f"got {health.status}")

    # The API: register, token, vocabulary.
    email = f"smoke-{secrets.token_hex(4)}@example.org"
    password = secrets.token_urlsafe(16)
    registered = client.request(
        "POST",
        "/api/auth/register/",
        json_body={"email": email, "password": password, "timezone": "Europe/Berlin"},
    )
    checks.check(
        "POST /api/auth/register/ is 201", registered.status == 201, registered.body[:300].decode()
    )
    # As nginx would send it: whatever the client claimed, then the address nginx saw.
    token = client.request(
        "POST",
        "/api/auth/token/",
        json_body={"email": email, "password": password},
        headers={"X-Forwarded-For": f"10.9.9.9, {PROXIED_CLIENT}"},
    )
    if not checks.check(
        "POST /api/auth/token/ is 200", token.status == 200, token.body[:300].decode()
    ):
        return checks
    client.token = token.json()["token"]

    anonymous = client.request("GET", "/api/entries/", auth=False)
    checks.check(
        "GET /api/entries/ without a token is 401",
        anonymous.status == 401,
        f"got {anonymous.status}",
    )

    vocabulary = client.request("GET", "/api/vocabulary/")
    checks.check(
        "GET /api/vocabulary/ is 200 and lists saddle_numbness",
        vocabulary.status == 200 and b"saddle_numbness" in vocabulary.body,
        f"got {vocabulary.status}",
    )

    # An entry with an emergency red flag; the worker must raise the flag within seconds.
    entry_id = str(uuid.uuid4())
    entry = {
        "id": entry_id,
        "intensity": 6,
        "locations": [{"region": "saddle", "side": "center"}],
        "pain_types": ["numbness"],
        "activity": "sitting",
        "red_flags": ["saddle_numbness"],
        "context": [],
        "notes": "prod-check",
    }
    saved_at = time.monotonic()
    created = client.request("POST", "/api/entries/", json_body=entry)
    checks.check("POST /api/entries/ (red flag saddle_numbness) is 201", created.status == 201,
                 f"got {created.status}: {created.body[:300].decode()}")  # fmt: skip
    retried = client.request("POST", "/api/entries/", json_body=entry)
    checks.check(
        "the same POST again (phone retry) is 200", retried.status == 200, f"got {retried.status}"
    )

    flag_seen = False
    last = "no answer"
    while time.monotonic() - saved_at < flag_timeout:
        flags = client.request("GET", "/api/flags/?status=active")
        last = f"{flags.status}: {flags.body[:200].decode(errors='replace')}"
        if flags.status == 200 and any(
            f.get("code") == "red_flag_saddle_numbness" for f in _results(flags.json())
        ):
            flag_seen = True
            break
        if flags.status == 404:
            break
        time.sleep(0.5)
    waited = time.monotonic() - saved_at
    detail = f"last GET /api/flags/?status=active -> {last}"
    if not flag_seen and "raise_red_flags" in stack.log_text("worker"):
        detail += " (the worker did receive diary.raise_red_flags)"
    checks.check(
        f"red_flag_saddle_numbness active via broker + worker ({waited:.1f} s)",
        flag_seen,
        detail,
    )

    listed = client.request("GET", "/api/entries/")
    ids = [e.get("id") for e in _results(listed.json())] if listed.status == 200 else []
    checks.check(
        "GET /api/entries/ is 200 and has the entry once",
        listed.status == 200 and ids.count(entry_id) == 1,
        f"got {listed.status}, ids {ids}",
    )
    export = client.request("GET", "/api/export/entries.csv")
    if export.status != 404:
        checks.check(
            "GET /api/export/entries.csv is 200", export.status == 200, f"got {export.status}"
        )

    # The web log-in over plain http with DEBUG=false (session + CSRF).
    browser = Client(stack.url)
    form = browser.request("GET", "/login/")
    csrf = re.search(rb'name="csrfmiddlewaretoken" value="([^"]+)"', form.body)
    login = browser.request(
        "POST",
        "/login/",
        form={
            "csrfmiddlewaretoken": csrf.group(1).decode() if csrf else "",
            "username": email,
            "password": password,
        },
        headers={"Referer": f"{stack.url}/login/"},
    )
    checks.check(
        "web log-in (POST /login/) redirects and sets a session",
        login.status == 302 and "sessionid" in browser.cookies,
        f"got {login.status}, cookies {sorted(browser.cookies)}",
    )
    home = browser.request("GET", "/")
    checks.check("logged-in GET / is 200", home.status == 200, f"got {home.status}")

    # The app keys lock-out and throttling on the client address: behind a trusted proxy it
    # must be the proxy's X-Forwarded-For hop (tests/test_deploy_files.py covers the rest).
    events = json.loads(
        stack.manage("shell", "-c", EVENTS_SCRIPT.format(email=email)).strip().splitlines()[-1]
    )
    checks.check(
        "client address from a trusted proxy's X-Forwarded-For (token_issued event)",
        [ip for kind, ip in events if kind == "token_issued"] == [PROXIED_CLIENT],
        f"security events: {events}",
    )
    checks.check(
        "a request without the header keeps the peer address (login event)",
        [ip for kind, ip in events if kind == "login"] == [HOST],
        f"security events: {events}",
    )

    alive = stack.alive()
    checks.check("gunicorn, worker and beat still running", all(alive.values()), f"{alive}")
    errors = [line for line in stack.log_text("web").splitlines() if '" 500 ' in line]
    checks.check("no 500 in the access log", not errors, "\n        ".join(errors[:5]))
    return checks


def _on_signal(signum: int, _frame: object) -> None:
    # Turn SIGTERM/SIGHUP into an exception so the `with` block stops everything.
    log(f"interrupted by signal {signum}: stopping everything")
    raise SystemExit(128 + signum)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--web-workers", type=int, default=2)
    parser.add_argument("--flag-timeout", type=float, default=30)
    parser.add_argument("--keep", action="store_true", help="keep the temporary folder and logs")
    args = parser.parse_args()
    signal.signal(signal.SIGTERM, _on_signal)
    signal.signal(signal.SIGHUP, _on_signal)

    started = time.monotonic()
    try:
        with ProdStack(web_workers=args.web_workers, keep=args.keep) as stack:
            log("smoke test")
            checks = smoke(stack, flag_timeout=args.flag_timeout)
            if checks.failed:
                print_logs(stack)
    except StackError as exc:
        log(f"FAILED to start the stack: {exc}")
        return 1
    except KeyboardInterrupt:
        log("interrupted: everything stopped")
        return 130
    elapsed = time.monotonic() - started
    if checks.failed:
        total = checks.passed + len(checks.failed)
        log(f"FAILED: {len(checks.failed)} of {total} checks ({elapsed:.0f} s):")
        for name in checks.failed:
            print(f"  - {name}")
        return 1
    log(f"OK: all {checks.passed} checks passed ({elapsed:.0f} s); everything stopped")
    return 0


if __name__ == "__main__":
    sys.exit(main())
