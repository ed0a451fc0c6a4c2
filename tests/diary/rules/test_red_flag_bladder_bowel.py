from diary.rules import NOT_A_DIAGNOSIS
from diary.rules.red_flags import RED_FLAG_WINDOW_DAYS, red_flag_bladder_bowel

from .helpers import AS_OF, entry, ids

FLAG = "bladder_bowel"


def test_it_flags_an_entry_reporting_bladder_bowel_as_an_emergency() -> None:
    reported = entry(1, red_flags=[FLAG])

    finding = red_flag_bladder_bowel([entry(3), reported, entry(0)], AS_OF)

    assert finding is not None
    assert finding.code == "red_flag_bladder_bowel"
    assert finding.severity == "emergency"
    assert finding.evidence == (reported.id,)
    assert finding.source == "Patient guide: Emergency red flags"
    assert "27 Nov 2026" in finding.explanation
    assert (
        "Seek emergency medical care now (call your local emergency number" in finding.explanation
    )
    assert finding.explanation.endswith(NOT_A_DIAGNOSIS)


def test_it_stays_silent_without_bladder_bowel() -> None:
    diary = [
        entry(d, red_flags=[flag])
        for d, flag in enumerate(("saddle_numbness", "sudden_weakness", "foot_drop"))
    ]

    assert red_flag_bladder_bowel(diary, AS_OF) is None


def test_it_flags_bladder_bowel_even_on_a_pain_free_entry() -> None:
    assert red_flag_bladder_bowel([entry(0, intensity=0, locations=(), red_flags=[FLAG])], AS_OF)


def test_it_lists_every_entry_reporting_bladder_bowel_in_time_order() -> None:
    later = entry(2, red_flags=[FLAG], timing="night")
    earlier = entry(2, red_flags=[FLAG], timing="morning")
    oldest = entry(9, red_flags=[FLAG])

    finding = red_flag_bladder_bowel([later, oldest, earlier], AS_OF)

    assert finding is not None
    assert finding.evidence == ids([oldest, earlier, later])
    assert "3 entries" in finding.explanation


def test_it_reads_bladder_bowel_back_to_the_first_day_of_its_window() -> None:
    oldest_day = RED_FLAG_WINDOW_DAYS - 1

    assert red_flag_bladder_bowel([entry(oldest_day, red_flags=[FLAG])], AS_OF)
    assert red_flag_bladder_bowel([entry(oldest_day + 1, red_flags=[FLAG])], AS_OF) is None


def test_it_ignores_bladder_bowel_logged_after_as_of() -> None:
    assert red_flag_bladder_bowel([entry(-1, red_flags=[FLAG])], AS_OF) is None
