import pytest

from diary.rules import NOT_A_DIAGNOSIS
from diary.rules.timing import walking_worse_nerve_pain
from tests.support.rules import AS_OF, entry, ids


def upright(intensity: int, days_ago: int = 1, activity: str = "walking", **kwargs):
    kwargs.setdefault("pain_types", ["burning"])
    return entry(days_ago, intensity=intensity, activity=activity, **kwargs)


def seated(intensity: int, days_ago: int = 1, activity: str = "sitting", **kwargs):
    return entry(days_ago, intensity=intensity, activity=activity, **kwargs)


def test_it_flags_the_stenosis_picture_in_both_legs() -> None:
    # Seed 000: nerve pain in both legs, worse on standing and walking, eased by sitting.
    ups = [upright(7, 1, locations=[("calf", "both")]), upright(7, 2), upright(7, 3, "standing")]
    downs = [seated(3, 1), seated(3, 2, "lying_down"), seated(3, 3)]

    finding = walking_worse_nerve_pain(ups + downs, AS_OF)

    assert finding is not None
    assert finding.code == "walking_worse_nerve_pain"
    assert finding.severity == "warning"
    assert finding.source == "Patient guide: Common spinal causes; Nerve vs musculoskeletal pain"
    assert (
        "Over the last 14 days, 3 entries while standing or walking averaged 7.0/10, against "
        "3.0/10 for 3 entries while sitting or lying down; all 3 standing or walking entries "
        "mention nerve-like feelings"
    ) in finding.explanation
    assert "spinal stenosis" in finding.explanation
    assert "plantar fasciitis" not in finding.explanation
    assert finding.explanation.endswith(NOT_A_DIAGNOSIS)
    assert "you" not in finding.clinician_explanation.lower().replace("your", "")
    assert finding.evidence == ids(sorted(ups, key=lambda e: e.occurred_at))


@pytest.mark.parametrize(("count", "flagged"), [(2, False), (3, True)])
def test_it_needs_three_standing_or_walking_entries(count, flagged) -> None:
    diary = [upright(8, d) for d in range(1, count + 1)] + [seated(2, d) for d in (1, 2, 3)]
    assert (walking_worse_nerve_pain(diary, AS_OF) is not None) is flagged


@pytest.mark.parametrize(("count", "flagged"), [(2, False), (3, True)])
def test_it_needs_three_sitting_or_lying_entries(count, flagged) -> None:
    diary = [upright(8, d) for d in (1, 2, 3)] + [seated(2, d) for d in range(1, count + 1)]
    assert (walking_worse_nerve_pain(diary, AS_OF) is not None) is flagged


def test_it_needs_a_difference_of_two_points() -> None:
    exactly = [upright(6, d) for d in (1, 2, 3)] + [seated(4, d) for d in (1, 2, 3)]
    assert walking_worse_nerve_pain(exactly, AS_OF)
    # Sitting mean 4.1 (nine 4s and a 5) against 6.0.
    below = [upright(6, d) for d in (1, 2, 3)] + [seated(4, d) for d in range(1, 10)]
    assert walking_worse_nerve_pain([*below, seated(5, 10)], AS_OF) is None


@pytest.mark.parametrize(("nerve", "flagged"), [(1, False), (2, True)])
def test_it_needs_nerve_types_on_at_least_half_of_the_upright_entries(nerve, flagged) -> None:
    ups = [
        upright(8, d, pain_types=["tingling"] if d <= nerve else ["aching"]) for d in range(1, 5)
    ]
    diary = ups + [seated(2, d) for d in (1, 2, 3)]
    assert (walking_worse_nerve_pain(diary, AS_OF) is not None) is flagged


@pytest.mark.parametrize("activity", ["exercise", "driving", "bending_lifting", ""])
def test_other_activities_are_neither_group(activity) -> None:
    diary = [upright(8, d, activity) for d in (1, 2, 3)] + [seated(2, d) for d in (1, 2, 3)]
    assert walking_worse_nerve_pain(diary, AS_OF) is None


def test_the_window_is_14_days() -> None:
    rest = [seated(2, d) for d in (1, 2, 3)]
    assert walking_worse_nerve_pain([*rest, upright(8, 1), upright(8, 2), upright(8, 13)], AS_OF)
    two = [upright(8, 1), upright(8, 2), upright(8, 14)]
    assert walking_worse_nerve_pain([*rest, *two], AS_OF) is None
