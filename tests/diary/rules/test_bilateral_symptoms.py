"""bilateral_symptoms under revised §5: left on >= 2 days and right on >= 2 days in 14 days.

The previous rule (a bilateral day after 7 one-sided days in 42) missed both legs from the start
and alternating sides; the contract changed, so these tests were rewritten to it.
"""

import pytest

from diary.rules import NOT_A_DIAGNOSIS
from diary.rules.spread import BILATERAL_WINDOW_DAYS, bilateral_symptoms
from tests.support.rules import AS_OF, entry, ids


def on(days_ago: int, side: str, region: str = "calf", **kwargs):
    return entry(days_ago, locations=[(region, side)], **kwargs)


def test_both_legs_from_the_start_flag_on_the_second_day() -> None:
    diary = [on(3, "both"), on(1, "both")]

    finding = bilateral_symptoms(diary, AS_OF)

    assert finding is not None
    assert finding.code == "bilateral_symptoms"
    assert finding.severity == "warning"
    assert finding.source == "Patient guide: Bilateral and changing symptoms"
    assert (
        "Over the last 14 days you logged leg or foot symptoms on the left on 2 days and on the "
        "right on 2 days, 2 days of them with both sides."
    ) in finding.explanation
    assert "seek emergency medical care now" in finding.explanation
    assert finding.explanation.endswith(NOT_A_DIAGNOSIS)
    assert finding.clinician_explanation.startswith(
        "Over the last 14 days the patient logged leg or foot symptoms"
    )
    assert finding.evidence == ids(diary)


def test_alternating_sides_flag() -> None:
    diary = [on(6, "left"), on(5, "right"), on(4, "left"), on(3, "right", region="foot_sole")]

    finding = bilateral_symptoms(diary, AS_OF)

    assert finding is not None
    assert "of them with both sides" not in finding.explanation


def test_one_day_on_a_side_is_not_enough() -> None:
    assert bilateral_symptoms([on(6, "left"), on(5, "left"), on(4, "right")], AS_OF) is None
    assert bilateral_symptoms([on(4, "both"), on(3, "left")], AS_OF) is None


def test_it_counts_distinct_days_not_entries() -> None:
    same_day = [on(2, "left", timing="morning"), on(2, "left", timing="evening")]
    assert bilateral_symptoms([*same_day, on(2, "right"), on(1, "right")], AS_OF) is None


def test_left_and_right_locations_in_one_entry_count_for_each_side() -> None:
    two = [entry(d, locations=[("calf", "left"), ("heel", "right")]) for d in (2, 1)]
    assert bilateral_symptoms(two, AS_OF) is not None


def test_it_stays_silent_while_symptoms_stay_on_one_side() -> None:
    assert bilateral_symptoms([on(d, "left") for d in range(14)], AS_OF) is None


@pytest.mark.parametrize("region", ["lower_back", "buttock", "hip", "groin"])
def test_back_and_hip_regions_are_not_leg_or_foot(region: str) -> None:
    diary = [on(3, "both", region=region), on(1, "both", region=region)]
    assert bilateral_symptoms(diary, AS_OF) is None


@pytest.mark.parametrize("region", ["thigh_back", "knee", "heel", "small_toes"])
def test_thigh_and_below_are_leg_or_foot(region: str) -> None:
    assert bilateral_symptoms([on(3, "both", region=region), on(1, "both", region=region)], AS_OF)


def test_pain_free_entries_are_not_symptoms() -> None:
    diary = [on(3, "both"), on(1, "both", intensity=0)]
    assert bilateral_symptoms(diary, AS_OF) is None
    assert bilateral_symptoms([on(3, "both"), on(1, "both", intensity=1)], AS_OF)


def test_the_window_is_14_days_both_ends() -> None:
    oldest = BILATERAL_WINDOW_DAYS - 1
    assert bilateral_symptoms([on(oldest, "both"), on(0, "both")], AS_OF)
    assert bilateral_symptoms([on(oldest + 1, "both"), on(0, "both")], AS_OF) is None
    assert bilateral_symptoms([on(-1, "both"), on(0, "both")], AS_OF) is None
