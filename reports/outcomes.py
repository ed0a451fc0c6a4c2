"""Did it help? Pain before and after each treatment event, and the check-ins (CONTRACT §8).

Pure: no ORM, no clock. Callers pass entry snapshots (local days already in the patient's zone),
treatment and check-in snapshots, and `as_of`, the last day whose entries may be used.

The comparison follows DOMAIN.md "Before/after a treatment": the mean intensity of the entries
in the 14 days before the event day against days 3–16 after it (day 0 = `started_on`; the first
days are skipped because an injection's local effect or a new drug's side effects dominate them),
meaningful at ≥ 2 points or ≥ 30 % (Farrar 2001), and never read as "it worked".
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from statistics import fmean

from diary.outcomes import TOTAL_MAX, CheckInSnapshot, TreatmentSnapshot
from diary.rules.base import EntrySnapshot, format_day

BEFORE_DAYS = 14  # days -14 .. -1
AFTER_FIRST_DAY = 3
AFTER_LAST_DAY = 16
MIN_ENTRIES = 4  # on each side
# The one-page PDF lists the latest few; the online summary lists every event.
PDF_COMPARISONS = 3
MEANINGFUL_POINTS = 2.0
MEANINGFUL_FRACTION = 0.30
_EPSILON = 1e-9  # so 5.0 -> 3.5 is exactly 30 % despite float rounding

# One short line beside every before/after comparison: sciatica's own course.
NATURAL_COURSE_NOTE = (
    "Sciatica often improves on its own (about half within 10 days, three quarters within "
    "4 weeks), so a change after a treatment does not show the treatment caused it."
)
NOT_ENOUGH = "not enough entries"
CHECKIN_SCALE_NOTE = (
    "Four questions, each 0 (not at all) to 6 (extremely bothersome): leg pain, numbness or "
    "tingling, weakness, pain when sitting; added up to 0–24, higher is more bothersome."
)


@dataclass(frozen=True, slots=True)
class BeforeAfter:
    """One treatment event's before/after comparison of logged pain (0–10)."""

    treatment: TreatmentSnapshot
    before_count: int
    after_count: int
    before_mean: float | None
    after_mean: float | None
    after_complete: bool  # day 16 is on or before `as_of`: the after window is over

    @property
    def enough_entries(self) -> bool:
        return self.before_count >= MIN_ENTRIES and self.after_count >= MIN_ENTRIES

    @property
    def difference(self) -> float | None:
        """After minus before, in points: negative means less pain after."""
        if not self.enough_entries or self.before_mean is None or self.after_mean is None:
            return None
        return self.after_mean - self.before_mean

    @property
    def percent(self) -> float | None:
        """The difference as a share of the before mean, in per cent; None from a 0 mean."""
        if self.difference is None or not self.before_mean:
            return None
        return 100 * self.difference / self.before_mean

    @property
    def meaningful(self) -> bool:
        """Changed by ≥ 2 points or by ≥ 30 % of the before mean (needs enough entries)."""
        if self.difference is None or self.before_mean is None:
            return False
        moved = abs(self.difference)
        if moved >= MEANINGFUL_POINTS - _EPSILON:
            return True
        # From a mean of 0 any share is infinite: only the points criterion can apply.
        return self.before_mean > 0 and moved >= MEANINGFUL_FRACTION * self.before_mean - _EPSILON

    @property
    def direction(self) -> str:
        """Pain after against before: "lower", "higher" or "same" (shown as 0.0 points)."""
        if self.difference is None or (round(self.difference, 1) == 0 and not self.meaningful):
            return "same"
        return "lower" if self.difference < 0 else "higher"

    @property
    def title(self) -> str:
        """The event in words, e.g. "Injection: Epidural steroid injection, 20 Nov 2026"."""
        t = self.treatment
        return f"{t.kind_label}: {t.name}, {format_day(t.started_on)}"

    @property
    def result(self) -> str:
        """The comparison in one phrase, the same for the patient and a clinician."""
        if not self.enough_entries:
            return (
                f"{NOT_ENOUGH} ({self.before_count} before, {self.after_count} after; "
                f"{MIN_ENTRIES} needed on each side)"
            )
        assert self.before_mean is not None and self.after_mean is not None  # noqa: S101
        so_far = "" if self.after_complete else " so far"
        means = (
            f"average pain {self.before_mean:.1f} in the 14 days before, "
            f"{self.after_mean:.1f} on days 3–16 after{so_far}"
        )
        if self.direction == "same":
            change = "no change"
        else:
            share = f" ({abs(self.percent):.0f} %)" if self.percent is not None else ""
            change = f"{abs(self.difference or 0):.1f} points{share} {self.direction}"
        verdict = "a meaningful change" if self.meaningful else "not a meaningful change"
        return f"{means}: {change}, {verdict}"

    @property
    def short_result(self) -> str:
        """The comparison in a few words for the one-page PDF: "6.0 → 4.0: 2.0 points (33 %)
        lower, meaningful"."""
        if not self.enough_entries:
            return f"{NOT_ENOUGH} ({self.before_count} before, {self.after_count} after)"
        so_far = " so far" if not self.after_complete else ""
        means = f"{self.before_mean:.1f} → {self.after_mean:.1f}{so_far}"
        if self.direction == "same":
            return f"{means}: no change"
        share = f" ({abs(self.percent):.0f} %)" if self.percent is not None else ""
        verdict = "meaningful" if self.meaningful else "not meaningful"
        return f"{means}: {abs(self.difference or 0):.1f} points{share} {self.direction}, {verdict}"


def _mean(values: Sequence[int]) -> float | None:
    return fmean(values) if values else None


def before_after(
    treatment: TreatmentSnapshot, entries: Iterable[EntrySnapshot], *, as_of: date
) -> BeforeAfter:
    """Compare mean intensity on days -14..-1 with days 3..16 of one event (day 0 = start)."""
    day0 = treatment.started_on
    before_from, before_to = day0 - timedelta(days=BEFORE_DAYS), day0 - timedelta(days=1)
    after_from = day0 + timedelta(days=AFTER_FIRST_DAY)
    after_to = min(day0 + timedelta(days=AFTER_LAST_DAY), as_of)
    before: list[int] = []
    after: list[int] = []
    for entry in entries:
        if before_from <= entry.local_date <= before_to and entry.local_date <= as_of:
            before.append(entry.intensity)
        elif after_from <= entry.local_date <= after_to:
            after.append(entry.intensity)
    return BeforeAfter(
        treatment=treatment,
        before_count=len(before),
        after_count=len(after),
        before_mean=_mean(before),
        after_mean=_mean(after),
        after_complete=day0 + timedelta(days=AFTER_LAST_DAY) <= as_of,
    )


@dataclass(frozen=True, slots=True)
class OutcomeReport:
    """What a report shows about treatments and check-ins for one period."""

    comparisons: tuple[BeforeAfter, ...] = ()
    checkins: tuple[CheckInSnapshot, ...] = ()

    natural_course_note: str = NATURAL_COURSE_NOTE
    checkin_scale_note: str = CHECKIN_SCALE_NOTE

    @property
    def is_empty(self) -> bool:
        return not self.comparisons and not self.checkins

    @property
    def recent_comparisons(self) -> tuple[BeforeAfter, ...]:
        """The latest PDF_COMPARISONS comparisons, oldest first (the PDF's share)."""
        return self.comparisons[-PDF_COMPARISONS:]

    @property
    def comparisons_left_out(self) -> int:
        return len(self.comparisons) - len(self.recent_comparisons)

    @property
    def first_checkin(self) -> CheckInSnapshot | None:
        return self.checkins[0] if self.checkins else None

    @property
    def latest_checkin(self) -> CheckInSnapshot | None:
        return self.checkins[-1] if self.checkins else None

    @property
    def checkin_short(self) -> str:
        """The check-ins for the one-page PDF: latest and first totals of the period."""
        latest, first = self.latest_checkin, self.first_checkin
        if latest is None or first is None:
            return ""
        text = (
            f"Weekly check-in (0–{TOTAL_MAX}, higher is more bothersome): latest "
            f"{latest.total} (week of {format_day(latest.week_of)}, "
            f"“{latest.global_change_label.lower()}”)"
        )
        if first is not latest:
            text += f", first {first.total} (week of {format_day(first.week_of)})"
        return text + "."

    @property
    def checkin_line(self) -> str:
        """The check-ins in one line: the latest total, against the first one of the period."""
        latest, first = self.latest_checkin, self.first_checkin
        if latest is None or first is None:
            return ""
        text = (
            f"Latest weekly check-in (week of {format_day(latest.week_of)}): "
            f"{latest.total}/{TOTAL_MAX}, “{latest.global_change_label.lower()}”"
        )
        if first is not latest:
            text += (
                f"; first in this period (week of {format_day(first.week_of)}): "
                f"{first.total}/{TOTAL_MAX}"
            )
        return text + f". {len(self.checkins)} check-in{'s' if len(self.checkins) != 1 else ''}."


def outcome_report(
    *,
    treatments: Iterable[TreatmentSnapshot],
    checkins: Iterable[CheckInSnapshot],
    entries: Sequence[EntrySnapshot],
    start: date,
    end: date,
) -> OutcomeReport:
    """Before/after for each event begun on days start..end, and the period's check-ins.

    `entries` must reach 14 days before the earliest event; nothing after `end` is used.
    """
    return OutcomeReport(
        comparisons=tuple(
            before_after(t, entries, as_of=end)
            for t in sorted(treatments, key=lambda t: (t.started_on, t.id))
            if start <= t.started_on <= end
        ),
        checkins=tuple(
            sorted(
                (
                    c
                    for c in checkins
                    if c.week_of <= end and c.week_of + timedelta(days=6) >= start
                ),
                key=lambda c: c.week_of,
            )
        ),
    )


def earliest_day_needed(treatments: Iterable[TreatmentSnapshot], start: date) -> date:
    """The first local day of entries the before windows of these events need (or `start`)."""
    return min(
        [start, *(t.started_on - timedelta(days=BEFORE_DAYS) for t in treatments)],
    )
