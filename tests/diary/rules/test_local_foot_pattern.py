import pytest

from diary.rules import NOT_A_DIAGNOSIS
from diary.rules.spread import local_foot_pattern
from tests.support.rules import AS_OF, entry, ids


def foot_days(*days_ago: int, region: str = "heel"):
    return [entry(d, locations=[region]) for d in days_ago]


def test_it_flags_heel_and_sole_pain_with_no_leg_pain() -> None:
    feet = [*foot_days(1, 3, 5, 7), entry(9, locations=["foot_sole", ("heel", "right")])]

    finding = local_foot_pattern(feet, AS_OF)

    assert finding is not None
    assert finding.code == "local_foot_pattern"
    assert finding.severity == "info"
    assert finding.source == "Patient guide: Foot pain without leg pain"
    assert (
        "Over the last 14 days, 5 entries logged pain in the ankle or foot (heel, sole of foot) "
        "and none logged pain in the back, hip or leg."
    ) in finding.explanation
    assert finding.explanation.endswith(NOT_A_DIAGNOSIS)
    assert finding.evidence == ids(feet[::-1])


def test_it_stays_silent_about_foot_pain_that_comes_with_leg_pain() -> None:
    diary = [entry(d, locations=["calf", "foot_sole"]) for d in range(10)]

    assert local_foot_pattern(diary, AS_OF) is None


@pytest.mark.parametrize(("count", "flagged"), [(4, False), (5, True)])
def test_it_needs_five_foot_entries(count: int, flagged: bool) -> None:
    assert (local_foot_pattern(foot_days(*range(count)), AS_OF) is not None) is flagged


@pytest.mark.parametrize("region", ["ankle_inner", "ankle_outer", "big_toe", "small_toes"])
def test_it_counts_ankle_and_toe_regions_as_foot(region: str) -> None:
    assert local_foot_pattern(foot_days(*range(5), region=region), AS_OF)


@pytest.mark.parametrize("region", ["knee", "calf", "thigh_back", "buttock", "lower_back"])
def test_one_entry_higher_up_rules_the_pattern_out(region: str) -> None:
    diary = [*foot_days(*range(6)), entry(8, locations=[region])]

    assert local_foot_pattern(diary, AS_OF) is None


def test_leg_pain_in_the_same_entry_rules_the_pattern_out() -> None:
    diary = [*foot_days(*range(5)), entry(6, locations=["foot_sole", "shin"])]

    assert local_foot_pattern(diary, AS_OF) is None


def test_it_counts_foot_entries_on_the_first_day_of_the_window_only() -> None:
    assert local_foot_pattern(foot_days(1, 2, 3, 4, 13), AS_OF)
    assert local_foot_pattern(foot_days(1, 2, 3, 4, 14), AS_OF) is None


def test_leg_pain_before_the_window_does_not_rule_it_out() -> None:
    assert local_foot_pattern([*foot_days(*range(5)), entry(14, locations=["calf"])], AS_OF)


def test_a_pain_free_entry_naming_the_leg_does_not_rule_it_out() -> None:
    diary = [*foot_days(*range(5)), entry(2, intensity=0, locations=["calf"])]

    assert local_foot_pattern(diary, AS_OF)


def test_it_ignores_entries_after_as_of() -> None:
    assert local_foot_pattern(foot_days(1, 2, 3, 4, -1), AS_OF) is None


@pytest.mark.parametrize(
    "sign",
    [
        {"red_flags": ["foot_drop"]},
        {"red_flags": ["heel_walk_difficulty"], "intensity": 0},
        {"pain_types": ["heaviness"]},
    ],
)
def test_a_motor_sign_in_the_window_rules_it_out(sign) -> None:
    feet = foot_days(1, 2, 3, 4, 5)
    assert local_foot_pattern(feet, AS_OF) is not None
    assert local_foot_pattern([*feet, entry(6, locations=["foot_top"], **sign)], AS_OF) is None


@pytest.mark.parametrize(("nerve", "named"), [(2, False), (3, True)])
def test_nerve_like_foot_pain_on_half_names_nerve_trapping_at_the_foot(nerve, named) -> None:
    feet = [
        entry(d, locations=["foot_sole"], pain_types=["burning"] if d <= nerve else ["aching"])
        for d in range(1, 7)
    ]

    finding = local_foot_pattern(feet, AS_OF)

    assert finding is not None
    assert ("tarsal tunnel" in finding.explanation) is named
    assert ("Morton's neuroma" in finding.explanation) is named
    assert "patient guides describe nerves trapped" in finding.explanation.lower() or not named
    assert finding.explanation.endswith(NOT_A_DIAGNOSIS)
    source = finding.source
    assert ("Nerve entrapment outside the spine" in source) is named
