from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from diary.rules import NOT_A_DIAGNOSIS
from diary.rules.spread import spreading_symptoms
from tests.support.rules import AS_OF, diaries, entry, ids, pain_free

# The first week of the 28-day window is 27..21 days ago; the latest week is 6..0 days ago.


def test_it_flags_symptoms_moving_from_the_thigh_down_to_the_foot() -> None:
    before = entry(25, locations=["lower_back", "thigh_back"])
    foot = entry(2, locations=["calf", "foot_sole"])
    back = entry(1, locations=["lower_back"])

    finding = spreading_symptoms([before, foot, back], AS_OF)

    assert finding is not None
    assert finding.code == "spreading_symptoms"
    assert finding.severity == "warning"
    assert finding.source == "Patient guide: Bilateral and changing symptoms"
    assert (
        "In the first week of the last 28 days (1 Nov 2026 – 7 Nov 2026) the furthest down your "
        "symptoms reached was the thigh; in the latest week (22 Nov 2026 – 28 Nov 2026) they "
        "reached the foot / toes."
    ) in finding.explanation
    assert finding.explanation.endswith(NOT_A_DIAGNOSIS)
    assert finding.evidence == (foot.id,)


def test_it_stays_silent_when_symptoms_stay_in_place() -> None:
    diary = [entry(d, locations=["buttock", "thigh_back"]) for d in range(28)]

    assert spreading_symptoms(diary, AS_OF) is None


def test_it_flags_a_move_of_exactly_two_levels() -> None:
    assert spreading_symptoms(
        [entry(25, locations=["thigh_back"]), entry(0, locations=["heel"])], AS_OF
    )


def test_it_ignores_a_move_of_one_level() -> None:
    assert (
        spreading_symptoms(
            [entry(25, locations=["thigh_back"]), entry(0, locations=["calf"])], AS_OF
        )
        is None
    )


def test_it_flags_three_new_regions_at_the_same_level() -> None:
    new = entry(3, locations=["knee", "shin", "calf_outer"])
    diary = [entry(24, locations=["calf", "foot_sole"]), new, entry(2, locations=["calf"])]

    finding = spreading_symptoms(diary, AS_OF)

    assert finding is not None
    assert "has 3 areas that the first week" in finding.explanation
    assert "knee, shin, outer calf." in finding.explanation
    assert finding.evidence == (new.id,)


def test_it_ignores_two_new_regions() -> None:
    diary = [entry(24, locations=["calf", "foot_sole"]), entry(3, locations=["knee", "shin"])]

    assert spreading_symptoms(diary, AS_OF) is None


def test_it_counts_a_region_on_the_other_side_as_already_seen() -> None:
    diary = [
        entry(24, locations=["knee", "shin", "calf", "foot_sole"]),
        entry(3, locations=[("knee", "right"), ("shin", "both"), ("calf", "right")]),
    ]

    assert spreading_symptoms(diary, AS_OF) is None


def test_it_needs_symptoms_in_the_first_week() -> None:
    diary = [entry(20, locations=["thigh_back"]), entry(0, locations=["foot_sole"])]

    assert spreading_symptoms(diary, AS_OF) is None


def test_it_needs_symptoms_in_the_latest_week() -> None:
    diary = [entry(25, locations=["thigh_back"]), entry(7, locations=["foot_sole"])]

    assert spreading_symptoms(diary, AS_OF) is None


def test_it_reads_the_first_week_from_the_first_day_of_the_window() -> None:
    assert spreading_symptoms(
        [entry(27, locations=["thigh_back"]), entry(0, locations=["heel"])], AS_OF
    )
    assert (
        spreading_symptoms(
            [entry(28, locations=["thigh_back"]), entry(0, locations=["heel"])], AS_OF
        )
        is None
    )


def test_it_ends_the_first_week_after_seven_days() -> None:
    assert spreading_symptoms(
        [entry(21, locations=["thigh_back"]), entry(0, locations=["heel"])], AS_OF
    )
    assert (
        spreading_symptoms(
            [entry(20, locations=["thigh_back"]), entry(0, locations=["heel"])], AS_OF
        )
        is None
    )


def test_it_starts_the_latest_week_six_days_before_as_of() -> None:
    assert spreading_symptoms(
        [entry(25, locations=["thigh_back"]), entry(6, locations=["heel"])], AS_OF
    )
    assert (
        spreading_symptoms(
            [entry(25, locations=["thigh_back"]), entry(7, locations=["heel"])], AS_OF
        )
        is None
    )


def test_it_ignores_locations_on_pain_free_entries() -> None:
    diary = [
        entry(25, locations=["thigh_back"]),
        entry(25, intensity=0, locations=["foot_sole"]),
        entry(0, intensity=0, locations=["foot_sole"]),
        entry(0, locations=["thigh_back"]),
    ]

    assert spreading_symptoms(diary, AS_OF) is None


def test_it_ignores_entries_after_as_of() -> None:
    diary = [entry(25, locations=["thigh_back"]), entry(-1, locations=["foot_sole"])]

    assert spreading_symptoms(diary, AS_OF) is None


def test_its_evidence_is_the_latest_entries_that_reach_down_or_name_new_areas() -> None:
    far = entry(1, locations=["foot_top"])
    new = entry(2, locations=["knee", "shin", "calf_outer"])
    same = entry(3, locations=["thigh_outer"])

    finding = spreading_symptoms([entry(25, locations=["thigh_outer"]), far, new, same], AS_OF)

    assert finding is not None
    assert finding.evidence == ids([new, far])


# The diaries are large by design; on a loaded machine generating them trips the speed check.
@settings(deadline=None, suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
@given(diary=diaries, days_ago=st.integers(-3, 40), timing=st.sampled_from(["morning", "night"]))
def test_a_pain_free_entry_never_raises_it(diary, days_ago: int, timing: str) -> None:
    if spreading_symptoms(diary, AS_OF) is None:
        assert spreading_symptoms([*diary, pain_free(days_ago, timing=timing)], AS_OF) is None


def test_it_names_new_areas_after_the_move_down_when_both_happen() -> None:
    diary = [entry(25, locations=["thigh_back"]), entry(0, locations=["calf", "heel", "foot_sole"])]

    finding = spreading_symptoms(diary, AS_OF)

    assert finding is not None
    assert "they reached the foot / toes." in finding.explanation
    assert (
        "The latest week also has 3 areas that the first week did not have: "
        "calf, heel, sole of foot." in finding.explanation
    )
