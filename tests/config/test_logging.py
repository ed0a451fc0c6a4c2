"""Share tokens, stop-link and reset tokens and e-mail addresses never reach a log line."""

from __future__ import annotations

import io
import logging
import runpy
from datetime import timedelta
from pathlib import Path
from types import SimpleNamespace

import pytest
from gunicorn.config import Config

from core.logging import RedactFilter, redact

ROOT = Path(__file__).resolve().parents[2]
TOKEN = "Zq3" + "x" * 40


@pytest.mark.parametrize(
    ("line", "expected"),
    [
        (f"Not Found: /r/{TOKEN}/", "Not Found: /r/[redacted]/"),
        (f"GET /r/{TOKEN}/pdf/?paper=letter", "GET /r/[redacted]/pdf/?paper=letter"),
        ("POST /stop/WzEsImFiIl0:1v:sig/", "POST /stop/[redacted]/"),
        ("GET /password-reset/MQ/c4x-0123abcd/", "GET /password-reset/MQ/[redacted]/"),
        ("Mail 7 to Dr.Who+x@clinic.example.org failed", "Mail 7 to [email] failed"),
        ("GET /reports/?days=30", "GET /reports/?days=30"),
    ],
)
def test_redact_takes_out_secrets_and_addresses(line, expected):
    assert redact(line) == expected


def test_the_console_handler_redacts_django_s_not_found_lines():
    handlers = [
        h
        for h in logging.getLogger().handlers
        if any(isinstance(f, RedactFilter) for f in h.filters)
    ]
    assert handlers, "the configured console handler must carry the redaction filter"
    stream = io.StringIO()
    handler = logging.StreamHandler(stream)
    handler.addFilter(RedactFilter())
    logger = logging.getLogger("django.request.test-redaction")
    logger.addHandler(handler)
    try:
        logger.warning("Not Found: %s", f"/r/{TOKEN}/")
        logger.warning("Delivery to %s failed", "pat@example.com")
    finally:
        logger.removeHandler(handler)
    out = stream.getvalue()
    assert TOKEN not in out and "pat@example.com" not in out
    assert "/r/[redacted]/" in out


def test_gunicorn_s_access_log_redacts_share_tokens_and_referrers():
    conf = runpy.run_path(str(ROOT / "config" / "gunicorn.conf.py"))
    cfg = Config()
    cfg.set("logger_class", conf["logger_class"])
    cfg.set("access_log_format", conf["access_log_format"])
    logger = conf["logger_class"](cfg)
    environ = {
        "REQUEST_METHOD": "GET",
        "RAW_URI": f"/r/{TOKEN}/pdf/",
        "PATH_INFO": f"/r/{TOKEN}/pdf/",
        "QUERY_STRING": "",
        "SERVER_PROTOCOL": "HTTP/1.1",
        "REMOTE_ADDR": "10.0.0.1",
        "HTTP_REFERER": f"https://diary.example.org/r/{TOKEN}/",
        "HTTP_USER_AGENT": "test",
    }
    resp = SimpleNamespace(status="200 OK", sent=10, headers=[])
    req = SimpleNamespace(headers=[("REFERER", environ["HTTP_REFERER"])])
    atoms = logger.atoms(resp, req, environ, timedelta(milliseconds=5))
    line = conf["access_log_format"] % atoms
    assert TOKEN not in line and TOKEN not in str(atoms)
    assert '"GET /r/[redacted]/pdf/ HTTP/1.1" 200' in line


def test_every_record_is_redacted_where_it_is_made_whatever_the_handler(caplog):
    # Celery's worker installs handlers of its own; the record itself must already be clean.
    with caplog.at_level(logging.INFO, logger="reports.emails"):
        logging.getLogger("reports.emails").info(
            "Alert e-mail %s sent to %s for %s", 7, "pat@example.com", "red_flag_bladder_bowel"
        )
    [record] = caplog.records
    assert record.getMessage() == "Alert e-mail 7 sent to [email] for red_flag_bladder_bowel"
