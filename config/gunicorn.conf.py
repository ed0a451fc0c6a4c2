"""Gunicorn settings for production: `gunicorn -c config/gunicorn.conf.py config.wsgi`.

Every value comes from the environment with a safe default, so the same file serves a laptop,
`make prod-check`, `make load` and a server behind nginx. See docs/deploy.md.
"""

from __future__ import annotations

import ipaddress
import multiprocessing
import os
from collections.abc import Callable, Iterable
from typing import Any

from gunicorn import glogging


def _int(name: str, default: int) -> int:
    value = os.environ.get(name, "").strip()
    return int(value) if value else default


def _default_workers() -> int:
    # The usual 2 x cores + 1, capped: each worker holds the app and its own database
    # connections, so more than a dozen per machine buys memory use, not throughput.
    return max(2, min(2 * multiprocessing.cpu_count() + 1, 12))


def _bind() -> str:
    if os.environ.get("GUNICORN_BIND"):
        return os.environ["GUNICORN_BIND"]
    if os.environ.get("PORT"):
        return f"127.0.0.1:{os.environ['PORT']}"
    return "127.0.0.1:8000"


wsgi_app = "config.wsgi:application"
bind = [address.strip() for address in _bind().split(",") if address.strip()]

# Threads let one worker wait on PostgreSQL or Redis while another request runs; the
# diary's requests are short and mostly database-bound.
worker_class = "gthread"
workers = _int("WEB_CONCURRENCY", _default_workers())
threads = _int("GUNICORN_THREADS", 4)
backlog = _int("GUNICORN_BACKLOG", 2048)

# A request that takes longer than this is stuck (PDF reports included); the master
# restarts the worker. Shutdown waits for requests in flight.
timeout = _int("GUNICORN_TIMEOUT", 30)
graceful_timeout = _int("GUNICORN_GRACEFUL_TIMEOUT", 30)
# Behind a proxy that reuses upstream connections, keep them a little longer than 2 s.
keepalive = _int("GUNICORN_KEEPALIVE", 5)

# Recycle workers now and then so a slow leak never grows; the jitter keeps them from
# restarting all at once.
max_requests = _int("GUNICORN_MAX_REQUESTS", 1000)
max_requests_jitter = _int("GUNICORN_MAX_REQUESTS_JITTER", 100)

# Each worker imports the app itself: no shared database or broker connections across a
# fork, and `kill -HUP` reloads new code.
preload_app = False

# Logs to stdout/stderr for the process manager (systemd, Docker) to collect.
accesslog = os.environ.get("GUNICORN_ACCESS_LOG", "-") or None
errorlog = "-"
loglevel = os.environ.get("GUNICORN_LOG_LEVEL", "info")
access_log_format = '%(h)s "%(r)s" %(s)s %(b)s %(M)sms "%(a)s"'
capture_output = True


class RedactingLogger(glogging.Logger):
    """Gunicorn's logger with share tokens, stop-link tokens, reset tokens and e-mail addresses
    taken out of every field of every access line (request line, path, query, referrer…)."""

    def atoms(self, resp: Any, req: Any, environ: dict[str, Any], request_time: Any) -> dict:
        from core.logging import redact  # the project is on sys.path once gunicorn loads the app

        atoms = super().atoms(resp, req, environ, request_time)
        return {k: redact(v) if isinstance(v, str) else v for k, v in atoms.items()}


logger_class = RedactingLogger

# Only the reverse proxy may say a request came over HTTPS (X-Forwarded-Proto); Django's
# SECURE_PROXY_SSL_HEADER reads the same header. Set to the proxy's address (or network),
# or "*" when gunicorn listens where only the proxy can reach it.
forwarded_allow_ips = os.environ.get("FORWARDED_ALLOW_IPS", "127.0.0.1,::1")
proxy_allow_ips = forwarded_allow_ips

# The heartbeat file on tmpfs, so a slow disk never makes a healthy worker look stuck.
worker_tmp_dir = "/dev/shm" if os.path.isdir("/dev/shm") else None  # noqa: S108  # nosec B108

# The run-time control socket (`gunicornc`) defaults to one path per user, which two
# instances on one machine would share; it is on only when given a path of its own.
if os.environ.get("GUNICORN_CONTROL_SOCKET"):
    control_socket = os.environ["GUNICORN_CONTROL_SOCKET"]
else:
    control_socket_disable = True

proc_name = os.environ.get("GUNICORN_PROC_NAME", "diary-web")

# Headers and request lines well above anything the app sends, well below abuse.
limit_request_line = 8190
limit_request_fields = 100
limit_request_field_size = 8190


# -- The client's address behind the proxy -------------------------------------------------
# Behind nginx every request comes from the proxy's address, so the log-in lock-out and the
# token throttle (both keyed on the client address) would lump all patients together. Like
# uvicorn's --proxy-headers: when the direct peer is a trusted proxy, REMOTE_ADDR becomes the
# address the proxy saw (the last X-Forwarded-For hop, which nginx appends); from anyone else
# the header is dropped, so a client can never choose its own address.


def _trusted_networks(value: str) -> list[ipaddress.IPv4Network | ipaddress.IPv6Network] | None:
    """None means every peer is trusted ("*")."""
    items = [item.strip() for item in value.split(",") if item.strip()]
    if "*" in items:
        return None
    return [ipaddress.ip_network(item, strict=False) for item in items]


def _is_ip(value: str) -> bool:
    try:
        ipaddress.ip_address(value)
    except ValueError:
        return False
    return True


class ClientAddressFromProxy:
    """WSGI wrapper: REMOTE_ADDR from a trusted proxy's X-Forwarded-For, else the header goes."""

    def __init__(self, app: Callable[..., Iterable[bytes]], allowed: str) -> None:
        self.app = app
        self.networks = _trusted_networks(allowed)

    def trusted(self, peer: str) -> bool:
        if self.networks is None or not _is_ip(peer):
            return True  # "*", or a Unix socket: gunicorn's own rule
        address = ipaddress.ip_address(peer)
        return any(address in network for network in self.networks)

    def __call__(self, environ: dict[str, Any], start_response: Callable[..., Any]) -> Any:
        forwarded = environ.get("HTTP_X_FORWARDED_FOR")
        if forwarded is not None:
            client = forwarded.split(",")[-1].strip()
            if self.trusted(environ.get("REMOTE_ADDR", "")) and _is_ip(client):
                environ["REMOTE_ADDR"] = client
                environ["HTTP_X_FORWARDED_FOR"] = client
            else:
                del environ["HTTP_X_FORWARDED_FOR"]
        return self.app(environ, start_response)


def post_worker_init(worker: Any) -> None:
    worker.wsgi = ClientAddressFromProxy(worker.wsgi, forwarded_allow_ips)
