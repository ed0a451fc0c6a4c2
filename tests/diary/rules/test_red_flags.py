"""The three emergency red-flag rules behave alike; one parametrized suite covers each."""

import pytest

from diary.rules import NOT_A_DIAGNOSIS
from diary.rules.red_flags import (
    RED_FLAG_WINDOW_DAYS,
    red_flag_bladder_bowel,
    red_flag_saddle_numbness,
    red_flag_sudden_weakness,
)
from diary.vocabulary import EMERGENCY_RED_FLAGS
from tests.support.rules import AS_OF, entry, ids

RULES = {
    "saddle_numbness": red_flag_saddle_numbness,
    "bladder_bowel": red_flag_bladder_bowel,
    "sudden_weakness": red_flag_sudden_weakness,
}
each_red_flag = pytest.mark.parametrize("flag", sorted(RULES))


def test_every_emergency_red_flag_has_a_rule() -> None:
    assert set(RULES) == EMERGENCY_RED_FLAGS


@each_red_flag
def test_it_flags_an_entry_reporting_the_symptom_as_an_emergency(flag: str) -> None:
    reported = entry(1, red_flags=[flag])

    finding = RULES[flag]([entry(3), reported, entry(0)], AS_OF)

    assert finding is not None
    assert finding.code == f"red_flag_{flag}"
    assert finding.severity == "emergency"
    assert finding.evidence == (reported.id,)
    assert finding.source == "Patient guide: Emergency red flags"
    assert "27 Nov 2026" in finding.explanation
    assert (
        "Seek emergency medical care now (call your local emergency number" in finding.explanation
    )
    assert finding.explanation.endswith(NOT_A_DIAGNOSIS)


@each_red_flag
def test_it_stays_silent_when_only_other_red_flags_are_reported(flag: str) -> None:
    others = sorted((EMERGENCY_RED_FLAGS - {flag}) | {"foot_drop"})
    diary = [entry(day, red_flags=[other]) for day, other in enumerate(others)]

    assert RULES[flag](diary, AS_OF) is None


@each_red_flag
def test_it_flags_the_symptom_even_on_a_pain_free_entry(flag: str) -> None:
    assert RULES[flag]([entry(0, intensity=0, locations=(), red_flags=[flag])], AS_OF)


@each_red_flag
def test_it_lists_every_entry_reporting_the_symptom_in_time_order(flag: str) -> None:
    later = entry(2, red_flags=[flag], timing="night")
    earlier = entry(2, red_flags=[flag], timing="morning")
    oldest = entry(9, red_flags=[flag])

    finding = RULES[flag]([later, oldest, earlier], AS_OF)

    assert finding is not None
    assert finding.evidence == ids([oldest, earlier, later])
    assert "3 entries" in finding.explanation


@each_red_flag
def test_it_reads_back_to_the_first_day_of_its_window(flag: str) -> None:
    oldest_day = RED_FLAG_WINDOW_DAYS - 1

    assert RULES[flag]([entry(oldest_day, red_flags=[flag])], AS_OF)
    assert RULES[flag]([entry(oldest_day + 1, red_flags=[flag])], AS_OF) is None


@each_red_flag
def test_it_ignores_the_symptom_logged_after_as_of(flag: str) -> None:
    assert RULES[flag]([entry(-1, red_flags=[flag])], AS_OF) is None
