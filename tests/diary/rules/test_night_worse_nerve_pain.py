import pytest

from diary.rules import NOT_A_DIAGNOSIS
from diary.rules.timing import night_worse_nerve_pain
from tests.support.rules import AS_OF, entry, ids


def night(intensity: int, days_ago: int = 1, nerve: bool = True, **kwargs):
    pain_types = ["burning", "tingling"] if nerve else ["aching"]
    kwargs.setdefault("timing", "night")
    return entry(days_ago, intensity=intensity, pain_types=pain_types, **kwargs)


def daytime(intensity: int, days_ago: int = 1):
    return entry(days_ago, intensity=intensity, timing="afternoon", activity="walking")


def test_it_flags_nerve_pain_much_worse_at_night_than_by_day() -> None:
    nights = [night(8, 1), night(7, 2), night(7, 3), night(7, 4, nerve=False), night(7, 5)]
    days = [daytime(2, d) for d in range(1, 7)]

    finding = night_worse_nerve_pain(days + nights, AS_OF)

    assert finding is not None
    assert finding.code == "night_worse_nerve_pain"
    assert finding.severity == "warning"
    assert finding.title == "Nerve-type pain worse at night or at rest"
    assert finding.source == "Patient guide: Nerve vs musculoskeletal pain"
    assert (
        "Over the last 14 days, 5 entries in the evening, at night or at rest averaged 7.2/10, "
        "against 2.0/10 for 6 other entries; 4 of the 5 mention nerve-like feelings"
    ) in finding.explanation
    assert finding.explanation.endswith(NOT_A_DIAGNOSIS)
    assert finding.evidence == ids(sorted(nights, key=lambda e: e.occurred_at))


def test_it_stays_silent_when_night_and_day_pain_are_alike() -> None:
    diary = [night(5, d) for d in range(1, 5)] + [daytime(5, d) for d in range(1, 5)]

    assert night_worse_nerve_pain(diary, AS_OF) is None


def test_it_flags_night_pain_exactly_two_points_worse_than_day() -> None:
    diary = [night(7, d) for d in (1, 2, 3)] + [daytime(5, d) for d in (1, 2, 3)]

    assert night_worse_nerve_pain(diary, AS_OF)


def test_it_ignores_night_pain_only_one_point_nine_worse_than_day() -> None:
    # Day mean 5.1 (nine 5s and one 6) against a night mean of 7.0.
    days = [daytime(5, d) for d in range(1, 10)] + [daytime(6, 10)]
    diary = [night(7, d) for d in (1, 2, 3)] + days

    assert night_worse_nerve_pain(diary, AS_OF) is None


@pytest.mark.parametrize(("night_count", "flagged"), [(2, False), (3, True)])
def test_it_needs_three_night_or_rest_entries(night_count: int, flagged: bool) -> None:
    diary = [night(8, d) for d in range(1, night_count + 1)] + [daytime(2, d) for d in (1, 2, 3)]

    assert (night_worse_nerve_pain(diary, AS_OF) is not None) is flagged


@pytest.mark.parametrize(("other_count", "flagged"), [(2, False), (3, True)])
def test_it_needs_three_other_entries(other_count: int, flagged: bool) -> None:
    diary = [night(8, d) for d in (1, 2, 3)] + [daytime(2, d) for d in range(1, other_count + 1)]

    assert (night_worse_nerve_pain(diary, AS_OF) is not None) is flagged


def test_it_flags_when_exactly_half_the_night_entries_feel_nerve_like() -> None:
    nights = [night(8, 1), night(8, 2), night(8, 3, nerve=False), night(8, 4, nerve=False)]

    assert night_worse_nerve_pain(nights + [daytime(2, d) for d in (1, 2, 3)], AS_OF)


def test_it_ignores_night_pain_when_under_half_feels_nerve_like() -> None:
    nights = [night(8, 1), night(8, 2, nerve=False), night(8, 3, nerve=False)]

    assert night_worse_nerve_pain(nights + [daytime(2, d) for d in (1, 2, 3)], AS_OF) is None


def test_it_counts_evening_and_resting_entries_as_night_or_rest() -> None:
    nights = [
        night(8, 1, timing="evening"),
        night(8, 2, timing="afternoon", activity="sitting"),
        night(8, 3, timing="morning", activity="lying_down"),
    ]

    finding = night_worse_nerve_pain(nights + [daytime(2, d) for d in (1, 2, 3)], AS_OF)

    assert finding is not None
    assert finding.evidence == ids(nights[::-1])


def test_it_counts_night_entries_on_the_first_day_of_the_window_only() -> None:
    days = [daytime(2, d) for d in (1, 2, 3)]
    two_nights = [night(8, 1), night(8, 2)]

    assert night_worse_nerve_pain([*days, *two_nights, night(8, 13)], AS_OF)
    assert night_worse_nerve_pain([*days, *two_nights, night(8, 14)], AS_OF) is None


def test_it_ignores_entries_after_as_of() -> None:
    diary = [night(8, d) for d in (1, 2)] + [daytime(2, d) for d in (1, 2, 3)] + [night(8, -1)]

    assert night_worse_nerve_pain(diary, AS_OF) is None


def test_it_says_all_when_every_night_entry_feels_nerve_like() -> None:
    diary = [night(8, d) for d in (1, 2, 3)] + [daytime(2, d) for d in (1, 2, 3)]

    finding = night_worse_nerve_pain(diary, AS_OF)

    assert finding is not None
    assert "; all 3 mention nerve-like feelings" in finding.explanation
