"""The one definition of each alerting sign (revised §5), and the page's copy of it as data."""

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from diary.rules import evaluate_all
from diary.rules.signs import (
    ALERT_CODES,
    alert_codes,
    codes_for,
    motor_sign,
    saddle_numbness,
    sign_definition,
)
from diary.vocabulary import PAIN_TYPES, REGIONS, SIDES, codes, side_allowed
from tests.support.rules import AS_OF, entry


def test_the_alert_codes_are_the_emergency_and_urgent_flags() -> None:
    assert {
        "red_flag_saddle_numbness",
        "red_flag_bladder_bowel",
        "red_flag_sudden_weakness",
        "motor_weakness",
    } == ALERT_CODES


@pytest.mark.parametrize(
    ("fields", "expected"),
    [
        ({"red_flags": ["saddle_numbness"]}, {"red_flag_saddle_numbness"}),
        (
            {"locations": [("saddle", "center")], "pain_types": ["pins_needles"]},
            {"red_flag_saddle_numbness"},
        ),
        (
            {"red_flags": ["bladder_bowel", "sudden_weakness"]},
            {"red_flag_bladder_bowel", "red_flag_sudden_weakness"},
        ),
        ({"red_flags": ["toe_walk_difficulty"]}, {"motor_weakness"}),
        ({"locations": ["foot_sole"], "pain_types": ["heaviness"]}, {"motor_weakness"}),
        ({"locations": ["calf"], "pain_types": ["heaviness", "numbness"]}, set()),
        ({"locations": [("saddle", "center")], "pain_types": ["burning"]}, set()),
        ({}, set()),
    ],
)
def test_alert_codes(fields, expected) -> None:
    subject = entry(0, intensity=0, **{"locations": (), **fields})
    assert alert_codes(subject) == expected
    assert saddle_numbness(subject) is ("red_flag_saddle_numbness" in expected)
    assert motor_sign(subject) is ("motor_weakness" in expected)


def test_an_unknown_region_is_no_sign_and_no_error() -> None:
    assert codes_for(red_flags=[], pain_types=["weakness"], regions=["elbow"]) == frozenset()


def test_the_page_gets_the_same_definition_as_data() -> None:
    data = sign_definition()
    assert data["saddle_region"] == "saddle"
    assert data["saddle_numbness_types"] == ["numbness", "pins_needles", "tingling"]
    assert data["motor_pain_types"] == ["heaviness", "weakness"]
    assert "heel" in data["motor_regions"] and "calf" not in data["motor_regions"]
    assert data["emergency_red_flags"] == ["bladder_bowel", "saddle_numbness", "sudden_weakness"]
    assert data["motor_red_flags"] == ["foot_drop", "heel_walk_difficulty", "toe_walk_difficulty"]


PLACES = [(r.code, s.code) for r in REGIONS for s in SIDES if side_allowed(r.code, s.code)]


@settings(max_examples=150, deadline=None)
@given(
    days=st.lists(
        st.tuples(
            st.integers(0, 130),
            st.lists(st.sampled_from(PLACES), max_size=3, unique=True),
            st.frozensets(st.sampled_from(sorted(codes(PAIN_TYPES)))),
        ),
        max_size=40,
    )
)
def test_a_pain_free_diary_never_raises_anything(days) -> None:
    # 0/10 entries without red flags: whatever places and words, no sign-free pattern holds and
    # only the body-map signs (saddle numbness, foot weakness) may alert — which they must.
    diary = [entry(d, intensity=0, locations=loc, pain_types=types) for d, loc, types in days]
    findings = evaluate_all(diary, AS_OF)
    assert set(findings) <= ALERT_CODES
    if not any(alert_codes(e) for e in diary):
        assert findings == {}
