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
