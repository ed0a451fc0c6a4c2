from diary.rules import NOT_A_DIAGNOSIS
from diary.rules.spread import bilateral_symptoms
from tests.support.rules import AS_OF, entry, ids


def left_days(*days_ago: int, region: str = "calf"):
    return [entry(d, locations=[(region, "left")]) for d in days_ago]


SEVEN_LEFT_DAYS = range(26, 19, -1)  # 26..20 days ago: before the last 14 days


def test_it_flags_both_legs_after_a_week_of_left_leg_symptoms() -> None:
    both = entry(5, locations=[("calf", "both")])

    finding = bilateral_symptoms([*left_days(*SEVEN_LEFT_DAYS), both, *left_days(2)], AS_OF)

    assert finding is not None
    assert finding.code == "bilateral_symptoms"
    assert finding.severity == "warning"
    assert finding.source == "Patient guide: Bilateral and changing symptoms"
    assert (
        "On 7 days between 2 Nov 2026 and 8 Nov 2026 your leg or foot symptoms were on the left "
        "side only; since 23 Nov 2026 you have logged leg or foot symptoms on both sides on 1 day."
    ) in finding.explanation
    assert "seek emergency medical care now" in finding.explanation
    assert finding.explanation.endswith(NOT_A_DIAGNOSIS)
    assert finding.evidence == (both.id,)


def test_it_stays_silent_while_symptoms_stay_on_one_side() -> None:
    assert bilateral_symptoms(left_days(*range(30)), AS_OF) is None


def test_it_ignores_both_sides_after_only_six_one_sided_days() -> None:
    diary = [*left_days(26, 25, 24, 23, 22, 21), entry(5, locations=[("calf", "both")])]

    assert bilateral_symptoms(diary, AS_OF) is None


def test_it_counts_distinct_days_not_entries() -> None:
    diary = [*left_days(*[21] * 7), entry(5, locations=[("calf", "both")])]

    assert bilateral_symptoms(diary, AS_OF) is None


def test_it_counts_left_and_right_entries_on_one_day_as_both_sides() -> None:
    left = entry(3, locations=[("calf", "left")], timing="morning")
    right = entry(3, locations=[("foot_sole", "right")], timing="evening")

    finding = bilateral_symptoms([*left_days(*SEVEN_LEFT_DAYS), right, left], AS_OF)

    assert finding is not None
    assert finding.evidence == ids([left, right])


def test_it_counts_left_and_right_locations_in_one_entry_as_both_sides() -> None:
    both = entry(3, locations=[("thigh_back", "left"), ("heel", "right")])

    assert bilateral_symptoms([*left_days(*SEVEN_LEFT_DAYS), both], AS_OF)


def test_it_counts_one_sided_days_inside_the_last_fourteen_days_too() -> None:
    diary = [*left_days(*range(12, 5, -1)), entry(2, locations=[("calf", "both")])]

    assert bilateral_symptoms(diary, AS_OF)


def test_it_ignores_both_sides_when_the_earlier_days_switched_sides() -> None:
    diary = [
        *left_days(26, 25, 24, 23, 22, 21),
        entry(20, locations=[("calf", "right")]),
        entry(5, locations=[("calf", "both")]),
    ]

    assert bilateral_symptoms(diary, AS_OF) is None


def test_it_ignores_both_sides_that_were_already_there_earlier() -> None:
    diary = [
        entry(30, locations=[("calf", "both")]),
        *left_days(*SEVEN_LEFT_DAYS),
        entry(5, locations=[("calf", "both")]),
    ]

    assert bilateral_symptoms(diary, AS_OF) is None


def test_it_looks_for_both_sides_in_the_last_fourteen_days_only() -> None:
    earlier = left_days(*range(30, 23, -1))

    assert bilateral_symptoms([*earlier, entry(13, locations=[("calf", "both")])], AS_OF)
    assert bilateral_symptoms([*earlier, entry(14, locations=[("calf", "both")])], AS_OF) is None


def test_it_counts_one_sided_days_back_to_the_first_day_of_its_window() -> None:
    both = entry(2, locations=[("calf", "both")])

    assert bilateral_symptoms([*left_days(*range(41, 34, -1)), both], AS_OF)
    assert bilateral_symptoms([*left_days(*range(42, 35, -1)), both], AS_OF) is None


def test_it_only_looks_at_thigh_leg_and_foot_regions() -> None:
    hips_and_back = [
        entry(d, locations=[("buttock", "right"), ("lower_back", "center")])
        for d in range(30, 20, -1)
    ]
    diary = [*left_days(*SEVEN_LEFT_DAYS), *hips_and_back, entry(5, locations=[("hip", "both")])]

    assert bilateral_symptoms(diary, AS_OF) is None


def test_it_ignores_locations_on_pain_free_entries() -> None:
    diary = [
        *left_days(*SEVEN_LEFT_DAYS),
        entry(22, intensity=0, locations=[("calf", "right")]),
        entry(5, intensity=0, locations=[("calf", "both")]),
    ]

    assert bilateral_symptoms(diary, AS_OF) is None


def test_it_ignores_entries_after_as_of() -> None:
    diary = [*left_days(*SEVEN_LEFT_DAYS), entry(-1, locations=[("calf", "both")])]

    assert bilateral_symptoms(diary, AS_OF) is None
