"""Fixed-window hit counters (core/ratelimit.py) on the local-memory and the database cache."""

from __future__ import annotations

import pytest
import time_machine
from django.core.cache import cache
from django.core.management import call_command

from core import ratelimit

DATABASE_CACHE = {
    "default": {
        "BACKEND": "django.core.cache.backends.db.DatabaseCache",
        "LOCATION": "cache_table",
    }
}


def hit(value: str = "203.0.113.9", *, scope: str = "test", window: int = 60) -> int:
    return ratelimit.hits_add(scope=scope, value=value, window=window)


def test_hits_count_up_within_the_window():
    assert [hit() for _ in range(4)] == [1, 2, 3, 4]
    assert ratelimit.hits_get(scope="test", value="203.0.113.9") == 4


def test_scopes_and_values_count_apart_and_values_ignore_case():
    hit("a@example.com", scope="login")
    assert hit("A@Example.com", scope="login") == 2
    assert hit("a@example.com", scope="signup") == 1
    assert hit("b@example.com", scope="login") == 1


def test_a_new_window_starts_at_one_after_the_old_one_expires():
    with time_machine.travel("2026-12-01 10:00:00", tick=False) as clock:
        assert [hit(window=60) for _ in range(3)] == [1, 2, 3]
        clock.shift(59)
        assert hit(window=60) == 4
        clock.shift(2)
        assert hit(window=60) == 1


def test_clear_forgets_the_count():
    hit()
    ratelimit.hits_clear(scope="test", value="203.0.113.9")
    assert ratelimit.hits_get(scope="test", value="203.0.113.9") == 0
    assert hit() == 1


def test_over_limit_counts_every_value_and_skips_missing_ones():
    for _ in range(2):
        assert not ratelimit.over_limit(scope="t", values=["x", None, "y"], limit=2, window=60)
    assert ratelimit.over_limit(scope="t", values=["x", None], limit=2, window=60)
    assert ratelimit.hits_get(scope="t", value="y") == 2


@pytest.mark.django_db
def test_on_the_database_cache_an_open_window_costs_one_read_and_one_write(
    settings, django_assert_num_queries
):
    settings.CACHES = DATABASE_CACHE
    call_command("createcachetable", verbosity=0)
    cache.clear()
    assert hit() == 1
    # incr = get + set: the SELECT, then the cull count and the write in one transaction.
    with django_assert_num_queries(6):
        assert hit() == 2
    assert ratelimit.hits_get(scope="test", value="203.0.113.9") == 2
