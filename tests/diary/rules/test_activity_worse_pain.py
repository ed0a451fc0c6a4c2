import pytest

from diary.rules import NOT_A_DIAGNOSIS
from diary.rules.timing import activity_worse_pain
from tests.support.rules import AS_OF, entry, ids


def resting(intensity: int, days_ago: int = 1, **kwargs):
    kwargs.setdefault("timing", "night")
    return entry(days_ago, intensity=intensity, **kwargs)


def active(intensity: int, days_ago: int = 1, **kwargs):
    kwargs.setdefault("activity", "walking")
    return entry(days_ago, intensity=intensity, timing="morning", **kwargs)


def test_it_flags_pain_much_worse_with_daytime_activity() -> None:
    actives = [active(7, 1), active(6, 2), active(6, 3), active(7, 4)]
    rests = [resting(3, d) for d in (1, 2, 3)]

    finding = activity_worse_pain(rests + actives, AS_OF)

    assert finding is not None
    assert finding.code == "activity_worse_pain"
    assert finding.severity == "info"
    assert finding.source == "Patient guide: Nerve vs musculoskeletal pain"
    assert (
        "Over the last 14 days, 4 entries in the morning or afternoon, not at rest averaged "
        "6.5/10, against 3.0/10 for 3 entries in the evening, at night or at rest."
    ) in finding.explanation
    assert finding.explanation.endswith(NOT_A_DIAGNOSIS)
    assert finding.evidence == ids(actives[::-1])


def test_it_stays_silent_when_pain_is_worse_at_night() -> None:
    diary = [resting(8, d) for d in (1, 2, 3)] + [active(2, d) for d in (1, 2, 3)]

    assert activity_worse_pain(diary, AS_OF) is None


def test_it_flags_activity_pain_exactly_two_points_worse_than_rest() -> None:
    diary = [resting(4, d) for d in (1, 2, 3)] + [active(6, d) for d in (1, 2, 3)]

    assert activity_worse_pain(diary, AS_OF)


def test_it_ignores_activity_pain_only_one_point_nine_worse_than_rest() -> None:
    # Rest mean 4.1 (nine 4s and one 5) against an activity mean of 6.0.
    rests = [resting(4, d) for d in range(1, 10)] + [resting(5, 10)]

    assert activity_worse_pain(rests + [active(6, d) for d in (1, 2, 3)], AS_OF) is None


@pytest.mark.parametrize(("active_count", "flagged"), [(2, False), (3, True)])
def test_it_needs_three_active_entries(active_count: int, flagged: bool) -> None:
    diary = [resting(2, d) for d in (1, 2, 3)] + [active(8, d) for d in range(1, active_count + 1)]

    assert (activity_worse_pain(diary, AS_OF) is not None) is flagged


@pytest.mark.parametrize(("rest_count", "flagged"), [(2, False), (3, True)])
def test_it_needs_three_night_or_rest_entries(rest_count: int, flagged: bool) -> None:
    diary = [resting(2, d) for d in range(1, rest_count + 1)] + [active(8, d) for d in (1, 2, 3)]

    assert (activity_worse_pain(diary, AS_OF) is not None) is flagged


def test_it_does_not_need_any_particular_pain_type() -> None:
    diary = [resting(2, d, pain_types=["burning"]) for d in (1, 2, 3)] + [
        active(8, d) for d in (1, 2, 3)
    ]

    assert activity_worse_pain(diary, AS_OF)


def test_it_counts_daytime_sitting_as_rest() -> None:
    rests = [active(2, d, activity="sitting") for d in (1, 2, 3)]

    assert activity_worse_pain(rests + [active(8, d) for d in (1, 2, 3)], AS_OF)


def test_it_counts_entries_on_the_first_day_of_the_window_only() -> None:
    rests = [resting(2, d) for d in (1, 2, 3)]
    two_actives = [active(8, 1), active(8, 2)]

    assert activity_worse_pain([*rests, *two_actives, active(8, 13)], AS_OF)
    assert activity_worse_pain([*rests, *two_actives, active(8, 14)], AS_OF) is None


@pytest.mark.parametrize(("nerve_count", "flagged"), [(1, True), (2, False)])
def test_it_needs_nerve_types_in_fewer_than_half_of_the_active_entries(nerve_count, flagged):
    # 4 active entries at night-level activity "exercise" (not walking): 1 of 4 nerve-like is
    # fewer than half, 2 of 4 is half.
    actives = [
        active(8, d, activity="exercise", pain_types=["burning"] if d <= nerve_count else [])
        for d in (1, 2, 3, 4)
    ]
    diary = [resting(2, d) for d in (1, 2, 3)] + actives

    assert (activity_worse_pain(diary, AS_OF) is not None) is flagged


def test_it_is_never_raised_together_with_walking_worse_nerve_pain() -> None:
    # Nerve pain on 1 of the 4 daytime entries overall, but the walking entries are the
    # stenosis picture: walking_worse_nerve_pain speaks, activity_worse_pain stays silent.
    walking = [active(8, d, pain_types=["tingling"]) for d in (1, 2, 3)]
    sitting = [resting(2, d, activity="sitting", timing="evening") for d in (1, 2, 3)]
    daytime = [active(8, d, activity="exercise") for d in (4, 5, 6, 7, 8, 9, 10)]
    diary = walking + sitting + daytime

    from diary.rules.timing import walking_worse_nerve_pain

    assert walking_worse_nerve_pain(diary, AS_OF) is not None
    assert activity_worse_pain(diary, AS_OF) is None
    assert activity_worse_pain(sitting + daytime + [active(8, 1, activity="exercise")], AS_OF)
