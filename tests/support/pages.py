"""Helpers for page tests: share URLs and how many queries a page costs."""

from __future__ import annotations

from django.db import connection
from django.test.utils import CaptureQueriesContext


def share_path(token: str) -> str:
    return f"/r/{token}/"


def query_count(client, path: str) -> int:
    """Queries one successful GET of `path` costs."""
    with CaptureQueriesContext(connection) as queries:
        response = client.get(path)
    assert response.status_code == 200
    return len(queries)
