# ruff: noqa: E501 -- the probe script is one long string on purpose
"""Settings come from the environment exactly as CONTRACT §2 says."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
PROBE = """
import json, django
from django.conf import settings
django.setup()
print(json.dumps({
  "engine": settings.DATABASES["default"]["ENGINE"],
  "db_name": str(settings.DATABASES["default"]["NAME"]),
  "db_host": settings.DATABASES["default"].get("HOST"),
  "broker": settings.CELERY_BROKER_URL,
  "eager": settings.CELERY_TASK_ALWAYS_EAGER,
  "email_backend": settings.EMAIL_BACKEND,
  "email_host": getattr(settings, "EMAIL_HOST", None),
  "email_port": getattr(settings, "EMAIL_PORT", None),
  "email_tls": getattr(settings, "EMAIL_USE_TLS", None),
  "from": settings.DEFAULT_FROM_EMAIL,
  "site_url": settings.SITE_URL,
  "debug": settings.DEBUG,
  "secure_cookies": settings.SESSION_COOKIE_SECURE,
  "ssl_redirect": settings.SECURE_SSL_REDIRECT,
  "hosts": settings.ALLOWED_HOSTS,
  "secret": settings.SECRET_KEY,
  "journal": settings.DATABASES["default"].get("OPTIONS", {}).get("init_command", ""),
}))
"""
CONTRACT_VARS = [
    "DATABASE_URL",
    "CELERY_BROKER_URL",
    "CELERY_TASK_ALWAYS_EAGER",
    "EMAIL_HOST",
    "EMAIL_PORT",
    "EMAIL_HOST_USER",
    "EMAIL_HOST_PASSWORD",
    "EMAIL_USE_TLS",
    "DEFAULT_FROM_EMAIL",
    "SITE_URL",
    "SECRET_KEY",
    "DEBUG",
    "SECURE_COOKIES",
    "ALLOWED_HOSTS",
    "PORT",
    "VAR_DIR",
]


def settings_under(env: dict[str, str], var_dir: Path) -> dict:
    clean = {k: v for k, v in os.environ.items() if k not in CONTRACT_VARS}
    clean.update({"DJANGO_SETTINGS_MODULE": "config.settings", "VAR_DIR": str(var_dir), **env})
    out = subprocess.run(
        [sys.executable, "-c", PROBE],
        cwd=ROOT,
        env=clean,
        capture_output=True,
        text=True,
        check=True,
    )
    return json.loads(out.stdout.strip().splitlines()[-1])


def test_defaults_are_embedded_sqlite_filesystem_broker_and_console_mail(tmp_path):
    found = settings_under({}, tmp_path)
    assert found["engine"] == "django.db.backends.sqlite3"
    assert found["db_name"] == str(tmp_path / "db.sqlite3")
    assert "journal_mode=WAL" in found["journal"]
    assert found["broker"].startswith("filesystem://")
    assert (tmp_path / "broker" / "queue").is_dir()
    assert found["eager"] is False
    assert found["email_backend"].endswith("console.EmailBackend")
    assert found["from"] == "alerts@localhost"
    assert found["site_url"] == "http://127.0.0.1:8000"
    assert found["debug"] is False
    assert found["secure_cookies"] is False
    assert found["hosts"] == ["127.0.0.1", "localhost"]


def test_without_site_url_links_use_the_port_make_run_serves_on(tmp_path):
    assert settings_under({"PORT": "8123"}, tmp_path)["site_url"] == "http://127.0.0.1:8123"
    given = {"PORT": "8123", "SITE_URL": "https://diary.example.org/"}
    assert settings_under(given, tmp_path)["site_url"] == "https://diary.example.org"


def test_the_secret_key_is_generated_once_and_kept(tmp_path):
    first = settings_under({}, tmp_path)["secret"]
    second = settings_under({}, tmp_path)["secret"]
    assert first == second
    assert len(first) >= 50
    assert (tmp_path / "secret_key").stat().st_mode & 0o077 == 0


def test_production_variables_switch_to_postgres_redis_and_smtp(tmp_path):
    found = settings_under(
        {
            "DATABASE_URL": "postgres://u:p@db.internal:5433/diary",
            "CELERY_BROKER_URL": "redis://cache.internal:6379/0",
            "EMAIL_HOST": "smtp.internal",
            "EMAIL_PORT": "2525",
            "EMAIL_USE_TLS": "true",
            "DEFAULT_FROM_EMAIL": "diary@clinic.example",
            "SITE_URL": "https://diary.clinic.example",
            "SECRET_KEY": "x" * 60,
            "ALLOWED_HOSTS": "diary.clinic.example, other.example",
            "CELERY_TASK_ALWAYS_EAGER": "true",
        },
        tmp_path,
    )
    assert found["engine"] == "django.db.backends.postgresql"
    assert found["db_host"] == "db.internal"
    assert found["broker"] == "redis://cache.internal:6379/0"
    assert found["eager"] is True
    assert found["email_backend"].endswith("smtp.EmailBackend")
    assert (found["email_host"], found["email_port"], found["email_tls"]) == (
        "smtp.internal",
        2525,
        True,
    )
    assert found["from"] == "diary@clinic.example"
    assert found["secret"] == "x" * 60
    assert found["hosts"] == ["diary.clinic.example", "other.example"]
    # https SITE_URL turns on secure cookies and the redirect, independent of DEBUG.
    assert found["secure_cookies"] is True
    assert found["ssl_redirect"] is True


@pytest.mark.parametrize(("value", "expected"), [("true", True), ("1", True), ("false", False)])
def test_debug_follows_the_environment(tmp_path, value, expected):
    assert settings_under({"DEBUG": value}, tmp_path)["debug"] is expected


def test_plain_http_site_with_debug_off_keeps_cookies_usable(tmp_path):
    found = settings_under({"DEBUG": "false", "SITE_URL": "http://127.0.0.1:8000"}, tmp_path)
    assert found["secure_cookies"] is False
    assert found["ssl_redirect"] is False


def test_check_deploy_passes_with_production_settings(tmp_path):
    # The browser tests' async-unsafe switch is a test-only setting; production never has it.
    stripped = {*CONTRACT_VARS, "DJANGO_ALLOW_ASYNC_UNSAFE"}
    env = {k: v for k, v in os.environ.items() if k not in stripped}
    env.update(
        {
            "DJANGO_SETTINGS_MODULE": "config.settings",
            "VAR_DIR": str(tmp_path),
            "DEBUG": "false",
            "SECRET_KEY": "k9!" + "production-grade-secret-" * 3,
            "SITE_URL": "https://diary.clinic.example",
            "ALLOWED_HOSTS": "diary.clinic.example",
        }
    )
    result = subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout
