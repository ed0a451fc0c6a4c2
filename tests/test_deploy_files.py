"""The deployment files: gunicorn settings, the client-address wrapper, prod-check and load."""

from __future__ import annotations

import os
import py_compile
import re
import runpy
from pathlib import Path
from typing import Any

import pytest
from gunicorn.config import Config

ROOT = Path(__file__).resolve().parent.parent
GUNICORN_CONF = ROOT / "config" / "gunicorn.conf.py"
ENV_NAMES = (
    "PORT",
    "GUNICORN_BIND",
    "WEB_CONCURRENCY",
    "GUNICORN_THREADS",
    "GUNICORN_TIMEOUT",
    "GUNICORN_CONTROL_SOCKET",
    "FORWARDED_ALLOW_IPS",
)


def load_conf(monkeypatch: pytest.MonkeyPatch, **env: str) -> dict[str, Any]:
    for name in ENV_NAMES:
        monkeypatch.delenv(name, raising=False)
    for name, value in env.items():
        monkeypatch.setenv(name, value)
    return runpy.run_path(str(GUNICORN_CONF))


def test_gunicorn_conf_has_sane_production_defaults(monkeypatch):
    conf = load_conf(monkeypatch)
    assert conf["bind"] == ["127.0.0.1:8000"]
    assert conf["worker_class"] == "gthread"
    assert 2 <= conf["workers"] <= 12
    assert conf["threads"] >= 2
    assert 0 < conf["timeout"] <= 120
    assert 0 < conf["graceful_timeout"] <= 120
    assert conf["max_requests"] > 0
    assert 0 < conf["max_requests_jitter"] < conf["max_requests"]
    assert conf["preload_app"] is False
    assert conf["accesslog"] == "-"
    assert conf["forwarded_allow_ips"] == "127.0.0.1,::1"
    # Two instances on one machine must not fight over the per-user control socket.
    assert conf["control_socket_disable"] is True


def test_gunicorn_accepts_every_setting_in_the_file(monkeypatch):
    conf = load_conf(monkeypatch)
    cfg = Config()
    used = [name for name in conf if name in cfg.settings]
    assert {"bind", "workers", "threads", "worker_class", "post_worker_init"} <= set(used)
    for name in used:
        cfg.set(name, conf[name])  # gunicorn's own validation raises on a bad value
    assert cfg.worker_class_str == "gthread"


def test_environment_overrides(monkeypatch):
    conf = load_conf(monkeypatch, PORT="9100", WEB_CONCURRENCY="3", GUNICORN_THREADS="8")
    assert conf["bind"] == ["127.0.0.1:9100"]
    assert (conf["workers"], conf["threads"]) == (3, 8)
    conf = load_conf(monkeypatch, PORT="9100", GUNICORN_BIND="0.0.0.0:8000,unix:/run/diary.sock")
    assert conf["bind"] == ["0.0.0.0:8000", "unix:/run/diary.sock"]


@pytest.fixture
def wrapper_class(monkeypatch):
    return load_conf(monkeypatch)["ClientAddressFromProxy"]


def run_wrapper(wrapper_class, allowed: str, environ: dict[str, str]) -> dict[str, str]:
    seen: dict[str, str] = {}

    def app(env, start_response):
        seen.update(env)
        return [b""]

    wrapper_class(app, allowed)(dict(environ), lambda *a: None)
    return seen


def test_a_trusted_proxy_sets_the_client_address(wrapper_class):
    seen = run_wrapper(
        wrapper_class,
        "127.0.0.1,::1",
        {"REMOTE_ADDR": "127.0.0.1", "HTTP_X_FORWARDED_FOR": "10.9.9.9, 203.0.113.7"},
    )
    # The last hop is the one nginx appended; earlier ones are whatever the client sent.
    assert seen["REMOTE_ADDR"] == "203.0.113.7"
    assert seen["HTTP_X_FORWARDED_FOR"] == "203.0.113.7"


def test_a_direct_client_cannot_choose_its_address(wrapper_class):
    seen = run_wrapper(
        wrapper_class,
        "127.0.0.1,::1",
        {"REMOTE_ADDR": "198.51.100.4", "HTTP_X_FORWARDED_FOR": "203.0.113.7"},
    )
    assert seen["REMOTE_ADDR"] == "198.51.100.4"
    assert "HTTP_X_FORWARDED_FOR" not in seen


def test_proxy_networks_and_garbage(wrapper_class):
    seen = run_wrapper(
        wrapper_class,
        "10.0.0.0/8",
        {"REMOTE_ADDR": "10.1.2.3", "HTTP_X_FORWARDED_FOR": "2001:db8::1"},
    )
    assert seen["REMOTE_ADDR"] == "2001:db8::1"
    seen = run_wrapper(
        wrapper_class, "*", {"REMOTE_ADDR": "10.1.2.3", "HTTP_X_FORWARDED_FOR": "not-an-ip"}
    )
    assert seen["REMOTE_ADDR"] == "10.1.2.3"
    assert "HTTP_X_FORWARDED_FOR" not in seen
    seen = run_wrapper(wrapper_class, "127.0.0.1", {"REMOTE_ADDR": "192.0.2.1"})
    assert seen == {"REMOTE_ADDR": "192.0.2.1"}


@pytest.mark.parametrize("path", ["scripts/prod_check.py", "bench/load.py"])
def test_scripts_exist_are_executable_and_compile(path):
    script = ROOT / path
    assert script.is_file()
    assert os.access(script, os.X_OK)
    assert script.read_text().startswith("#!/usr/bin/env python3")
    py_compile.compile(str(script), doraise=True)


def test_makefile_has_prod_check_and_load_targets():
    makefile = (ROOT / "Makefile").read_text()
    assert re.search(r"^prod-check: venv$", makefile, re.M)
    assert re.search(r"^load: venv$", makefile, re.M)


def test_deploy_guide_gives_the_commands():
    guide = (ROOT / "docs" / "deploy.md").read_text()
    for command in (
        "manage.py migrate",
        "manage.py collectstatic",
        "manage.py createcachetable",
        "gunicorn -c config/gunicorn.conf.py config.wsgi",
        "celery -A config worker -l INFO --concurrency",
        "celery -A config beat -l INFO",
        "manage.py check --deploy",
        "pg_dump",
        "manage.py export_user",
        "manage.py import_user",
        "X-Forwarded-Proto",
    ):
        assert command in guide, command
