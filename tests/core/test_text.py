"""Day and count wording shared by the rules, the PDF and the figures."""

from __future__ import annotations

from datetime import date

from core.text import format_day, format_period, format_short_day, plural


def test_days_read_the_same_whatever_the_locale():
    assert format_short_day(date(2026, 11, 3)) == "3 Nov"
    assert format_day(date(2026, 1, 31)) == "31 Jan 2026"
    assert format_period(date(2025, 12, 30), date(2026, 1, 2)) == "30 Dec 2025 – 2 Jan 2026"


def test_plural_takes_the_singular_only_for_one():
    assert plural(1, "entry", "entries") == "1 entry"
    assert plural(0, "entry", "entries") == "0 entries"
    assert plural(2, "day", "days") == "2 days"
