import pytest

from diary.rules import NOT_A_DIAGNOSIS
from diary.rules.course import worsening_trend
from tests.support.rules import AS_OF, entry, ids

# The last week is 6..0 days ago; the week before is 13..7 days ago.


def scores(*pairs: tuple[int, int]):
    """Entries from (days_ago, intensity) pairs."""
    return [entry(d, intensity=i) for d, i in pairs]


def test_it_flags_a_week_clearly_worse_than_the_one_before() -> None:
    before = scores((12, 3), (10, 4), (8, 3), (7, 3))
    last = scores((6, 6), (4, 7), (3, 6), (1, 7), (0, 6))

    finding = worsening_trend(before + last, AS_OF)

    assert finding is not None
    assert finding.code == "worsening_trend"
    assert finding.severity == "warning"
    assert finding.source == "Patient guide: When to see a professional"
    assert (
        "Your average pain over the last 7 days (22 Nov 2026 – 28 Nov 2026) was 6.4/10 from 5 "
        "entries, up from 3.2/10 from 4 entries in the 7 days before (15 Nov 2026 – 21 Nov 2026)."
    ) in finding.explanation
    assert finding.explanation.endswith(NOT_A_DIAGNOSIS)
    assert finding.evidence == ids(last)


def test_it_stays_silent_when_pain_is_easing() -> None:
    diary = scores((12, 7), (10, 7), (8, 7), (5, 3), (3, 3), (1, 2))

    assert worsening_trend(diary, AS_OF) is None


def test_it_flags_a_rise_of_exactly_two_points() -> None:
    assert worsening_trend(scores((9, 5), (8, 5), (7, 5), (2, 7), (1, 7), (0, 7)), AS_OF)


def test_it_ignores_a_rise_of_one_point_nine() -> None:
    # Last week mean 6.9 (nine 7s and one 6) against 5.0.
    last = scores(*[(d % 7, 7) for d in range(9)], (0, 6))

    assert worsening_trend(scores((9, 5), (8, 5), (7, 5)) + last, AS_OF) is None


@pytest.mark.parametrize(("count", "flagged"), [(2, False), (3, True)])
def test_it_needs_three_entries_in_the_last_week(count: int, flagged: bool) -> None:
    diary = scores((9, 2), (8, 2), (7, 2)) + scores(*[(d, 8) for d in range(count)])

    assert (worsening_trend(diary, AS_OF) is not None) is flagged


@pytest.mark.parametrize(("count", "flagged"), [(2, False), (3, True)])
def test_it_needs_three_entries_in_the_week_before(count: int, flagged: bool) -> None:
    diary = scores(*[(7 + d, 2) for d in range(count)]) + scores((2, 8), (1, 8), (0, 8))

    assert (worsening_trend(diary, AS_OF) is not None) is flagged


def test_it_splits_the_weeks_between_six_and_seven_days_ago() -> None:
    before = scores((10, 2), (9, 2), (8, 2))
    last = scores((1, 8), (0, 8))

    # A bad day 6 days ago completes the last week; 7 days ago it joins the week before.
    assert worsening_trend([*before, *last, entry(6, intensity=8)], AS_OF)
    assert worsening_trend([*before, *last, entry(7, intensity=8)], AS_OF) is None


def test_it_reads_the_week_before_back_to_thirteen_days_ago_only() -> None:
    before = scores((9, 2), (8, 2))
    last = scores((2, 8), (1, 8), (0, 8))

    assert worsening_trend([*before, *last, entry(13, intensity=2)], AS_OF)
    assert worsening_trend([*before, *last, entry(14, intensity=2)], AS_OF) is None


def test_it_counts_pain_free_entries_as_ratings() -> None:
    before = [entry(d, intensity=0, locations=()) for d in (9, 8, 7)]

    assert worsening_trend(before + scores((2, 2), (1, 2), (0, 2)), AS_OF)


def test_it_ignores_entries_after_as_of() -> None:
    diary = scores((9, 2), (8, 2), (7, 2), (1, 8), (0, 8), (-1, 8))

    assert worsening_trend(diary, AS_OF) is None
