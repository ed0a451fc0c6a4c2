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
        "Seek emergency medical care now: call your local emergency number" in finding.explanation
    )
    assert finding.explanation.endswith(NOT_A_DIAGNOSIS)
    assert finding.clinician_explanation.startswith("The patient answered yes")
    assert "The advice shown to the patient: Seek emergency" in finding.clinician_explanation
    assert "You " not in finding.clinician_explanation


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
def test_it_counts_an_entry_however_far_back_it_is_dated(flag: str) -> None:
    # Revised §5: "any entry carries it"; the loader (scan window, or the saved entry on the
    # instant path) decides which entries the rule sees, the rule has no start of window.
    assert RULES[flag]([entry(RED_FLAG_WINDOW_DAYS - 1, red_flags=[flag])], AS_OF)
    assert RULES[flag]([entry(RED_FLAG_WINDOW_DAYS, red_flags=[flag])], AS_OF)
    assert RULES[flag]([entry(400, red_flags=[flag])], AS_OF)


@each_red_flag
def test_it_ignores_the_symptom_logged_after_as_of(flag: str) -> None:
    assert RULES[flag]([entry(-1, red_flags=[flag])], AS_OF) is None


# --- saddle numbness from the body map ---------------------------------------------------


@pytest.mark.parametrize("word", ["numbness", "tingling", "pins_needles"])
def test_the_body_map_saddle_with_a_numbness_word_is_saddle_numbness(word: str) -> None:
    mapped = entry(1, intensity=0, locations=[("saddle", "center")], pain_types=[word])

    finding = red_flag_saddle_numbness([mapped], AS_OF)

    assert finding is not None
    assert finding.evidence == (mapped.id,)
    assert "You marked the saddle area" in finding.explanation
    assert "The patient marked the saddle area" in finding.clinician_explanation


@pytest.mark.parametrize(
    "locations,pain_types",
    [
        ([("saddle", "center")], ["burning", "aching", "weakness"]),  # no numbness-type word
        ([("buttock", "left"), ("groin", "left")], ["numbness", "tingling"]),  # not the saddle
        ([("saddle", "center")], []),
    ],
)
def test_the_body_map_needs_both_the_saddle_and_a_numbness_word(locations, pain_types) -> None:
    assert (
        red_flag_saddle_numbness([entry(1, locations=locations, pain_types=pain_types)], AS_OF)
        is None
    )


def test_a_saddle_marked_with_tingling_and_ticked_names_both_routes_once() -> None:
    both = entry(
        1, locations=[("saddle", "center")], pain_types=["tingling"], red_flags=["saddle_numbness"]
    )
    mapped = entry(2, locations=[("saddle", "center")], pain_types=["numbness"])

    finding = red_flag_saddle_numbness([both, mapped], AS_OF)

    assert finding is not None
    assert finding.evidence == ids([mapped, both])
    assert "in 1 entry (on 27 Nov 2026)" in finding.explanation  # ticked
    assert (
        "with numbness, tingling or pins and needles in 1 entry (on 26 Nov 2026)"
        in finding.explanation
    )
