"""The log page's "When?" question: the patient's choice turned into one moment.

The form never takes a time of day (`timing`) from the patient: it follows from the moment
chosen here, read in the patient's zone, so "13:14 · Night" cannot be stored (CONTRACT §6).
Pure: the caller passes "now" and the zone.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from diary import vocabulary as vocab

DATETIME_LOCAL = "%Y-%m-%dT%H:%M"
TIME_INPUT = "%H:%M"
NOW, EARLIER_TODAY, LAST_NIGHT, ANOTHER_DAY = "now", "earlier_today", "last_night", "another_day"
WHEN_CHOICES: tuple[tuple[str, str], ...] = (
    (NOW, "Now"),
    (EARLIER_TODAY, "Earlier today"),
    (LAST_NIGHT, "Last night"),
    (ANOTHER_DAY, "Another day"),
)
# Older pages (and the edit page) send "earlier" with a full date and time.
ALIASES = {"earlier": ANOTHER_DAY}
# "Last night" without a time: late evening of the day before.
LAST_NIGHT_DEFAULT = time(23, 0)
# A "last night" time before noon is the small hours of today, not of yesterday.
NOON = time(12, 0)
TIMING_WORDS: dict[str, str] = {t.code: t.label.partition(" (")[0] for t in vocab.TIMINGS}


class WhenError(ValueError):
    """The chosen time cannot be read; the message says what to fix."""


@dataclass(frozen=True)
class When:
    """A resolved answer: the moment (None = now, stamped when saved) and its time of day."""

    occurred_at: datetime | None
    timing: str


def normalise(choice: str) -> str:
    """One of the four choice codes; anything unknown reads as "now"."""
    choice = ALIASES.get(choice, choice)
    return choice if choice in dict(WHEN_CHOICES) else NOW


def _wall(day: date, clock: time, zone: ZoneInfo) -> datetime:
    # fold=0: a clock time that happens twice (autumn) means the first one; one that never
    # happens (spring) is read with the offset before the change, as zoneinfo does.
    return datetime.combine(day, clock, tzinfo=zone)


def _clock(text: str) -> time:
    try:
        return datetime.strptime(text.strip()[:5], TIME_INPUT).time()  # noqa: DTZ007 - wall time
    except ValueError:
        raise WhenError("Enter the time it happened, for example 14:30.") from None


def resolve_when(
    *, choice: str, at_time: str, at_datetime: str, now: datetime, zone: ZoneInfo
) -> When:
    """The moment the patient means and its timing, in their zone; WhenError if unreadable."""
    choice = normalise(choice)
    today = now.astimezone(zone).date()
    if choice == NOW:
        moment = None
    elif choice == EARLIER_TODAY:
        moment = _wall(today, _clock(at_time), zone)
    elif choice == LAST_NIGHT:
        clock = _clock(at_time) if at_time.strip() else LAST_NIGHT_DEFAULT
        day = today - timedelta(days=1) if clock >= NOON else today
        moment = _wall(day, clock, zone)
    else:
        try:
            naive = datetime.strptime(at_datetime.strip()[:16], DATETIME_LOCAL)  # noqa: DTZ007
        except ValueError:
            raise WhenError("Enter the date and time it happened, or choose “Now”.") from None
        moment = naive.replace(tzinfo=zone)
    shown = (moment or now).astimezone(zone)
    return When(occurred_at=moment, timing=vocab.timing_for(shown))


def describe(moment: datetime, *, zone: ZoneInfo, now: datetime) -> str:
    """“Today 21:30 · Evening”: what the page shows next to the question."""
    local = moment.astimezone(zone)
    today = now.astimezone(zone).date()
    if local.date() == today:
        day = "Today"
    elif local.date() == today - timedelta(days=1):
        day = "Yesterday"
    else:
        day = f"{local:%a} {local.day} {local:%b}"
    return f"{day} {local:%H:%M} · {TIMING_WORDS[vocab.timing_for(local)]}"
