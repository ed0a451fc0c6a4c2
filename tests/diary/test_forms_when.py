"""The "When?" answer turned into a moment and its time of day (pure, no database)."""

from __future__ import annotations

from datetime import UTC, datetime
from zoneinfo import ZoneInfo

import pytest

from diary.forms.when import WhenError, describe, normalise, resolve_when

LONDON = ZoneInfo("Europe/London")
NEW_YORK = ZoneInfo("America/New_York")
NOW = datetime(2026, 11, 20, 21, 30, tzinfo=UTC)


def _resolve(choice: str, *, at_time: str = "", at_datetime: str = "", now=NOW, zone=LONDON):
    return resolve_when(choice=choice, at_time=at_time, at_datetime=at_datetime, now=now, zone=zone)


def test_now_is_stamped_at_save_and_its_timing_is_the_clock_in_the_patients_zone():
    assert _resolve("now").occurred_at is None
    assert _resolve("now").timing == "evening"
    assert _resolve("now", zone=NEW_YORK).timing == "afternoon"  # 16:30 there


@pytest.mark.parametrize(
    ("clock", "timing"),
    [
        ("04:59", "night"),
        ("05:00", "morning"),
        ("11:59", "morning"),
        ("12:00", "afternoon"),
        ("16:59", "afternoon"),
        ("17:00", "evening"),
        ("21:59", "evening"),
        ("22:00", "night"),
    ],
)
def test_the_timing_changes_exactly_at_the_contract_hours(clock, timing):
    assert _resolve("earlier_today", at_time=clock).timing == timing


def test_13_14_can_only_be_the_afternoon():
    chosen = _resolve("earlier_today", at_time="13:14")
    assert chosen.occurred_at == datetime(2026, 11, 20, 13, 14, tzinfo=UTC)
    assert chosen.timing == "afternoon"


def test_last_night_is_the_evening_before_or_the_small_hours_of_today():
    assert _resolve("last_night").occurred_at == datetime(2026, 11, 19, 23, 0, tzinfo=UTC)
    assert _resolve("last_night", at_time="12:00").occurred_at.day == 19
    assert _resolve("last_night", at_time="11:59").occurred_at.day == 20


def test_last_night_is_read_on_the_patients_own_calendar():
    # 02:00 UTC on the 21st is still the 20th in New York: last night is the 19th there.
    early = datetime(2026, 11, 21, 2, 0, tzinfo=UTC)
    chosen = _resolve("last_night", now=early, zone=NEW_YORK)
    assert chosen.occurred_at.astimezone(NEW_YORK) == datetime(2026, 11, 19, 23, 0, tzinfo=NEW_YORK)


def test_on_the_spring_clock_change_day_a_time_that_never_happened_keeps_a_night_timing():
    # London skips 01:00-02:00 on 29 March 2026; "01:30" is read with the winter offset.
    now = datetime(2026, 3, 29, 12, 0, tzinfo=UTC)
    chosen = _resolve("earlier_today", at_time="01:30", now=now)
    assert chosen.occurred_at.astimezone(UTC) == datetime(2026, 3, 29, 1, 30, tzinfo=UTC)
    assert chosen.timing == "night"
    morning = _resolve("earlier_today", at_time="05:00", now=now)
    assert morning.occurred_at.astimezone(UTC) == datetime(2026, 3, 29, 4, 0, tzinfo=UTC)
    assert morning.timing == "morning"


def test_on_the_autumn_clock_change_day_a_repeated_time_means_the_first_one():
    now = datetime(2026, 10, 25, 12, 0, tzinfo=UTC)
    chosen = _resolve("last_night", at_time="01:30", now=now)
    assert chosen.occurred_at.astimezone(UTC) == datetime(2026, 10, 25, 0, 30, tzinfo=UTC)
    assert chosen.timing == "night"


def test_another_day_reads_the_date_and_time_and_the_old_earlier_choice_means_the_same():
    for choice in ("another_day", "earlier"):
        chosen = _resolve(choice, at_datetime="2026-11-17T06:45")
        assert chosen.occurred_at == datetime(2026, 11, 17, 6, 45, tzinfo=LONDON)
        assert chosen.timing == "morning"


@pytest.mark.parametrize(
    ("choice", "at_time", "at_datetime"),
    [("earlier_today", "", ""), ("earlier_today", "noon", ""), ("another_day", "", "yesterday")],
)
def test_an_unreadable_time_is_an_error_that_says_what_to_enter(choice, at_time, at_datetime):
    with pytest.raises(WhenError, match="Enter the"):
        _resolve(choice, at_time=at_time, at_datetime=at_datetime)


def test_unknown_choices_read_as_now():
    assert normalise("tomorrow") == "now"
    assert normalise("last_night") == "last_night"


def test_the_description_names_the_day_the_clock_time_and_the_time_of_day():
    assert describe(NOW, zone=LONDON, now=NOW) == "Today 21:30 · Evening"
    assert describe(datetime(2026, 11, 19, 23, 0, tzinfo=UTC), zone=LONDON, now=NOW) == (
        "Yesterday 23:00 · Night"
    )
    assert describe(datetime(2026, 11, 17, 6, 45, tzinfo=UTC), zone=LONDON, now=NOW) == (
        "Tue 17 Nov 06:45 · Morning"
    )
