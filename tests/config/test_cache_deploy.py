"""A plain `migrate` is a complete deploy: the production cache works with no extra command,
and the lock-out and throttle counters hold across processes (issue 10's defect).

Each test migrates a fresh SQLite database with the production settings (the database cache,
or Redis when the CI's Redis is there), then runs requests from two separate processes.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
PROBE = Path(__file__).with_name("cache_probe.py")
PASSWORD = "correct-horse-battery-9"
REDIS = os.environ.get("CACHE_URL") or os.environ.get("REDIS_URL") or ""
if not REDIS and os.environ.get("CELERY_BROKER_URL", "").startswith("redis://"):
    # CI's second pass runs Redis for the broker: use another database number for the cache.
    REDIS = os.environ["CELERY_BROKER_URL"].rsplit("/", 1)[0] + "/3"


def deployment(tmp_path: Path, cache_url: str) -> dict[str, str]:
    env = {
        k: v
        for k, v in os.environ.items()
        # The deployment under test stands alone on its embedded defaults (its own SQLite file
        # and file-system broker under its VAR_DIR), whatever servers the test run itself uses.
        if not k.startswith("PYTEST")
        and k not in {"CACHE_URL", "REDIS_URL", "DATABASE_URL", "CELERY_BROKER_URL"}
    }
    env.update(
        {
            "DJANGO_SETTINGS_MODULE": "config.settings",
            "VAR_DIR": str(tmp_path / "var"),
            "DATABASE_URL": f"sqlite:///{tmp_path / 'var' / 'db.sqlite3'}",
            "ALLOWED_HOSTS": "testserver",
            "DEBUG": "false",
            "LOG_LEVEL": "ERROR",
            "PYTHONPATH": str(ROOT),
        }
    )
    if cache_url:
        env["CACHE_URL"] = cache_url
    return env


def run(env: dict[str, str], *args: str) -> str:
    done = subprocess.run(
        [sys.executable, *args], cwd=ROOT, env=env, capture_output=True, text=True, timeout=120
    )
    assert done.returncode == 0, done.stderr[-3000:]
    return done.stdout.strip().splitlines()[-1] if done.stdout.strip() else ""


def post(env: dict[str, str], requests: list[tuple[str, dict, str]]) -> list[int]:
    return json.loads(run(env, str(PROBE), json.dumps(requests)))


def token_request(email: str, password: str, address: str) -> tuple[str, dict, str]:
    return ("/api/auth/token/", {"email": email, "password": password}, address)


BACKENDS = [
    pytest.param(("", "django.core.cache.backends.db.DatabaseCache"), id="database"),
    pytest.param(
        (REDIS, "django.core.cache.backends.redis.RedisCache"),
        id="redis",
        marks=pytest.mark.skipif(not REDIS, reason="no Redis here (CI's second pass has one)"),
    ),
]


@pytest.fixture(scope="module")
def migrated(tmp_path_factory, request):
    # One deployment per backend for the module (migrating is the slow part); each test uses
    # its own client addresses, and the log-in test runs before the lock-out test.
    cache_url, backend = request.param
    env = deployment(tmp_path_factory.mktemp("deploy"), cache_url)
    run(env, "manage.py", "migrate", "--noinput", "-v0")  # and nothing else: no createcachetable
    assert run(env, str(PROBE), "backend") == backend
    run(
        env,
        "manage.py",
        "shell",
        "-c",
        f"from diary.models import User; User.objects.create_user('pat@example.com', '{PASSWORD}')",
    )
    if cache_url:
        run(env, "-c", f"import redis; redis.Redis.from_url('{cache_url}').flushdb()")
    return env


@pytest.mark.parametrize("migrated", BACKENDS, indirect=True)
def test_log_in_works_after_migrate_alone(migrated):
    assert post(migrated, [token_request("pat@example.com", PASSWORD, "10.0.0.1")]) == [200]


@pytest.mark.parametrize("migrated", BACKENDS, indirect=True)
def test_the_lock_out_holds_across_processes(migrated):
    wrong = [token_request("pat@example.com", "nope", f"10.0.1.{n}") for n in range(5)]
    assert post(migrated, wrong) == [401] * 5
    # Another process, another address, the right password: still locked.
    assert post(migrated, [token_request("pat@example.com", PASSWORD, "10.0.2.1")]) == [429]


@pytest.mark.parametrize("migrated", BACKENDS, indirect=True)
def test_the_token_throttle_holds_across_processes(migrated):
    probes = [token_request(f"x{n}@example.com", "x", "10.0.3.1") for n in range(6)]
    assert post(migrated, probes) == [401] * 6
    assert post(migrated, probes) == [401] * 4 + [429] * 2


@pytest.mark.parametrize("migrated", BACKENDS[:1], indirect=True)
def test_files_under_var_are_private_to_the_app(migrated):
    var = Path(migrated["VAR_DIR"])
    modes = {
        path.relative_to(var).as_posix(): path.stat().st_mode & 0o777
        for path in [var, var / "db.sqlite3", var / "secret_key", var / "broker"]
    }
    assert modes == {".": 0o700, "db.sqlite3": 0o600, "secret_key": 0o600, "broker": 0o700}
    # SQLite's side files take the database's mode.
    for side in var.glob("db.sqlite3-*"):
        assert side.stat().st_mode & 0o777 == 0o600, side
