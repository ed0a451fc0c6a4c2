"""A logging filter that keeps share tokens, stop-link tokens and e-mail addresses out of logs."""

from __future__ import annotations

import logging
import re

# /r/<token>/ (share links), /stop/<token>/ (contact stop links) and reset links carry
# secrets in the path; Django logs paths on 404s, gunicorn in its access log.
_SECRET_PATHS = re.compile(r"(/(?:r|stop)/|/password-reset/[^/\s\"?]+/)[^/\s\"?]+")
_EMAIL = re.compile(r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+")


def redact(text: str) -> str:
    """`text` with secret path segments and e-mail addresses replaced."""
    text = _SECRET_PATHS.sub(lambda m: m.group(1) + "[redacted]", text)
    return _EMAIL.sub("[email]", text)


class RedactFilter(logging.Filter):
    """Rewrites each record's message once, arguments included, before any handler formats it."""

    def filter(self, record: logging.LogRecord) -> bool:
        try:
            message = record.getMessage()
        except (TypeError, ValueError):
            return True  # a broken format string: let the handler report it as usual
        cleaned = redact(message)
        if cleaned != message:
            record.msg, record.args = cleaned, None
        return True


_factory_installed = False


def redacting_filter() -> RedactFilter:
    """The console handler's filter; also redacts every record where it is made.

    Called by Django's LOGGING set-up in every process (web, worker, beat, commands). Celery's
    worker replaces the root handlers with its own, so a handler filter alone would let the
    worker log an e-mail address next to a red-flag code; the record factory covers any handler.
    """
    global _factory_installed
    if not _factory_installed:
        previous = logging.getLogRecordFactory()
        redact_record = RedactFilter()

        def factory(*args: object, **kwargs: object) -> logging.LogRecord:
            record = previous(*args, **kwargs)
            redact_record.filter(record)
            return record

        logging.setLogRecordFactory(factory)
        _factory_installed = True
    return RedactFilter()
