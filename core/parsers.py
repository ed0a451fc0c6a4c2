"""A JSON parser that refuses deep nesting before Python's recursive decoder sees it."""

from __future__ import annotations

import io
import re
from typing import Any

from django.conf import settings
from rest_framework.exceptions import ParseError
from rest_framework.parsers import JSONParser

# Strings first (their brackets do not nest anything), then every bracket in order.
_STRINGS = re.compile(rb'"(?:[^"\\]|\\.)*"', re.DOTALL)
_BRACKETS = re.compile(rb"[\[\]{}]")


def json_depth_exceeds(raw: bytes, limit: int) -> bool:
    """True when arrays and objects in `raw` nest deeper than `limit`; one linear pass."""
    depth = 0
    for match in _BRACKETS.finditer(_STRINGS.sub(b'""', raw)):
        if match.group() in (b"[", b"{"):
            depth += 1
            if depth > limit:
                return True
        else:
            depth -= 1
    return False


class DepthLimitedJSONParser(JSONParser):
    """DRF's JSON parser behind a depth check: 3,000 levels gave a RecursionError and HTML 500."""

    def parse(
        self,
        stream: Any,
        media_type: str | None = None,
        parser_context: dict[str, Any] | None = None,
    ) -> Any:
        raw = stream.read()  # bounded: RequestLimitsMiddleware refused anything over the limit
        limit = settings.JSON_MAX_DEPTH
        if json_depth_exceeds(raw, limit):
            raise ParseError(f"JSON nested deeper than {limit} levels.")
        try:
            return super().parse(io.BytesIO(raw), media_type, parser_context)
        except RecursionError as error:  # pragma: no cover - the scan above comes first
            raise ParseError("JSON nested too deeply.") from error
