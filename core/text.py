"""Text both apps write for people: days and counts, the same whatever the process locale is."""

from __future__ import annotations

from datetime import date

MONTHS = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")


def format_short_day(day: date) -> str:
    """'3 Nov', for axes and lists where the year is plain from the context."""
    return f"{day.day} {MONTHS[day.month - 1]}"


def format_day(day: date) -> str:
    """'3 Nov 2026' whatever the process locale is."""
    return f"{format_short_day(day)} {day.year}"


def format_period(start: date, end: date) -> str:
    """'3 Nov 2026 – 16 Nov 2026'."""
    return f"{format_day(start)} – {format_day(end)}"


def plural(count: int, one: str, many: str) -> str:
    """'1 entry', '3 entries'."""
    return f"{count} {one if count == 1 else many}"
