import pytest

from diary.rules import NOT_A_DIAGNOSIS
from diary.rules.red_flags import MOTOR_WINDOW_DAYS, motor_weakness
from tests.support.rules import AS_OF, entry, ids


def test_it_flags_foot_drop_as_urgent_and_says_when() -> None:
    dropped = entry(2, red_flags=["foot_drop"])

    finding = motor_weakness([entry(5), dropped], AS_OF)

    assert finding is not None
    assert finding.code == "motor_weakness"
    assert finding.severity == "urgent"
    assert finding.evidence == (dropped.id,)
    assert finding.source == "Patient guide: L5 and foot drop; S1 and the sole; Heel walk"
    assert "foot drop (26 Nov 2026)" in finding.explanation
    assert "urgent same-day assessment" in finding.explanation
    assert finding.explanation.endswith(NOT_A_DIAGNOSIS)


def test_it_names_each_weakness_reported_and_its_days() -> None:
    diary = [
        entry(4, red_flags=["heel_walk_difficulty"]),
        entry(1, red_flags=["toe_walk_difficulty", "heel_walk_difficulty"]),
        entry(1, red_flags=["toe_walk_difficulty"], timing="evening"),
    ]

    finding = motor_weakness(diary, AS_OF)

    assert finding is not None
    assert (
        "cannot rise onto tiptoes (27 Nov 2026); cannot walk on heels (24 Nov 2026, 27 Nov 2026)"
        in finding.explanation
    )
    assert "foot drop" not in finding.explanation
    assert finding.evidence == ids(diary)


def test_it_stays_silent_without_weakness_reports() -> None:
    diary = [entry(d, intensity=9, pain_types=["weakness"]) for d in range(10)]

    assert motor_weakness(diary, AS_OF) is None


def test_it_leaves_emergency_red_flags_to_their_own_rules() -> None:
    assert motor_weakness([entry(0, red_flags=["sudden_weakness"])], AS_OF) is None


def test_it_flags_weakness_on_the_oldest_day_of_the_window_only() -> None:
    oldest_day = MOTOR_WINDOW_DAYS - 1

    assert motor_weakness([entry(oldest_day, red_flags=["foot_drop"])], AS_OF)
    assert motor_weakness([entry(oldest_day + 1, red_flags=["foot_drop"])], AS_OF) is None


def test_it_ignores_weakness_logged_after_as_of() -> None:
    assert motor_weakness([entry(-1, red_flags=["foot_drop"])], AS_OF) is None


def test_the_window_is_28_days() -> None:
    assert MOTOR_WINDOW_DAYS == 28
    # Seed complaint: a back-dated foot drop 16 days ago never alerted under the old 14 days.
    assert motor_weakness([entry(16, red_flags=["foot_drop"])], AS_OF)


@pytest.mark.parametrize("word", ["weakness", "heaviness"])
@pytest.mark.parametrize("region", ["ankle_inner", "ankle_outer", "heel", "foot_top", "big_toe"])
def test_weakness_or_heaviness_on_the_ankle_or_foot_is_a_motor_sign(word, region) -> None:
    heavy = entry(3, intensity=0, locations=[region], pain_types=[word])

    finding = motor_weakness([heavy], AS_OF)

    assert finding is not None
    assert finding.evidence == (heavy.id,)
    assert "weakness or heaviness in the ankle or foot (25 Nov 2026)" in finding.explanation
    assert finding.clinician_explanation.startswith("In the last 28 days the patient reported")


@pytest.mark.parametrize("region", ["knee", "shin", "calf", "calf_outer", "thigh_back", "saddle"])
def test_weakness_above_the_ankle_is_not_a_motor_sign(region) -> None:
    assert motor_weakness([entry(3, locations=[region], pain_types=["weakness"])], AS_OF) is None


def test_pain_types_belong_to_the_whole_entry() -> None:
    heavy = entry(3, locations=["calf", "heel"], pain_types=["heaviness", "aching"])
    assert motor_weakness([heavy], AS_OF) is not None
