"""How the pain evolves over weeks: getting worse, or not going away.

Interpretations of CONTRACT §5:
- `worsening_trend`: the last 7 days (as_of-6 .. as_of) against the 7 days before
  (as_of-13 .. as_of-7), each week with >= 3 entries (0/10 entries included, they are ratings
  too); raised when the mean of the last week >= the mean of the week before + 2, compared in
  exact integer arithmetic. Evidence: the entries of the last week.
- `persistent_pain`: pain days are local days with an entry of intensity >= 1, within 120 days.
  The latest episode is found walking pain days back from as_of: two pain days more than 7 days
  apart (a gap of >= 7 pain-free calendar days) end it, and it is already over when as_of is 7
  or more days after its last pain day. Raised when the episode has >= 10 pain days spanning
  >= 21 days (last - first + 1). Days without entries count as pain-free. Evidence: the painful
  entries of the episode.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, timedelta

from .base import (
    INFO,
    MEANINGFUL_DIFFERENCE,
    WARNING,
    EntrySnapshot,
    Finding,
    Rule,
    Voice,
    format_day,
    format_period,
    format_score,
    in_window,
    is_painful,
    mean,
    mean_at_least_higher,
    plural,
    window_start,
)

TREND_WEEK_DAYS = 7
TREND_WINDOW_DAYS = 2 * TREND_WEEK_DAYS
TREND_MIN_ENTRIES_PER_WEEK = 3

PERSISTENT_WINDOW_DAYS = 120
PERSISTENT_MIN_PAIN_DAYS = 10
PERSISTENT_MIN_SPAN_DAYS = 21
PERSISTENT_BREAK_DAYS = 7  # this many pain-free calendar days in a row end an episode

SOURCE = "Patient guide: When to see a professional"


def worsening_trend(entries: Sequence[EntrySnapshot], as_of: date) -> Finding | None:
    """Mean pain of the last 7 days at least 2 points above the 7 days before."""
    last_start = window_start(as_of, TREND_WEEK_DAYS)
    last: list[EntrySnapshot] = []
    before: list[EntrySnapshot] = []
    for entry in in_window(entries, as_of, TREND_WINDOW_DAYS):
        (last if entry.local_date >= last_start else before).append(entry)
    if len(last) < TREND_MIN_ENTRIES_PER_WEEK or len(before) < TREND_MIN_ENTRIES_PER_WEEK:
        return None
    last_scores = [e.intensity for e in last]
    before_scores = [e.intensity for e in before]
    if not mean_at_least_higher(last_scores, before_scores, MEANINGFUL_DIFFERENCE):
        return None
    before_period = format_period(window_start(as_of, TREND_WINDOW_DAYS), last_start - timedelta(1))

    def text(v: Voice) -> str:
        return (
            f"{v.Your} average pain over the last {TREND_WEEK_DAYS} days "
            f"({format_period(last_start, as_of)}) was {format_score(mean(last_scores))} from "
            f"{plural(len(last), 'entry', 'entries')}, up from {format_score(mean(before_scores))} "
            f"from {plural(len(before), 'entry', 'entries')} in the {TREND_WEEK_DAYS} days before "
            f"({before_period}). A change of {MEANINGFUL_DIFFERENCE} points or more on the 0–10 "
            "scale is usually considered meaningful. Patient guides advise getting evaluated by a "
            "health professional when pain gets worse despite self-care."
        )

    return WORSENING_TREND.finding(
        title="Pain getting worse",
        explanation=text,
        source=SOURCE,
        evidence=last,
    )


def persistent_pain(entries: Sequence[EntrySnapshot], as_of: date) -> Finding | None:
    """Pain on at least 10 days spanning at least 21 days without a 7-day pain-free break."""
    painful = [e for e in in_window(entries, as_of, PERSISTENT_WINDOW_DAYS) if is_painful(e)]
    pain_days = sorted({e.local_date for e in painful}, reverse=True)
    # Days strictly between two pain days, or after the last one up to as_of, are pain-free.
    if not pain_days or (as_of - pain_days[0]).days >= PERSISTENT_BREAK_DAYS:
        return None
    episode = [pain_days[0]]
    for day in pain_days[1:]:
        if (episode[-1] - day).days - 1 >= PERSISTENT_BREAK_DAYS:
            break
        episode.append(day)
    last, first = episode[0], episode[-1]
    span = (last - first).days + 1
    if len(episode) < PERSISTENT_MIN_PAIN_DAYS or span < PERSISTENT_MIN_SPAN_DAYS:
        return None

    def text(v: Voice) -> str:
        return (
            f"{v.You} logged pain on {len(episode)} days from {format_day(first)} to "
            f"{format_day(last)} ({span} days), with no break of {PERSISTENT_BREAK_DAYS} or more "
            "pain-free days. Patient guides advise starting with rest, ice or heat and "
            "over-the-counter pain relief, and getting evaluated by a health professional when "
            "pain lasts more than a few weeks or self-care does not help: nerves irritated for a "
            "long time can be damaged permanently, so early evaluation matters."
        )

    return PERSISTENT_PAIN.finding(
        title="Pain lasting several weeks",
        explanation=text,
        source=SOURCE,
        evidence=[e for e in painful if e.local_date >= first],
    )


WORSENING_TREND = Rule("worsening_trend", WARNING, TREND_WINDOW_DAYS, worsening_trend)
PERSISTENT_PAIN = Rule("persistent_pain", INFO, PERSISTENT_WINDOW_DAYS, persistent_pain)
