from diary.rules import NOT_A_DIAGNOSIS
from diary.rules.course import persistent_pain
from tests.support.rules import AS_OF, entry, ids, pain_free


def pain_on(*days_ago: int):
    return [entry(d, intensity=4) for d in days_ago]


def test_it_flags_pain_most_days_for_a_month() -> None:
    diary = pain_on(*range(28, -1, -2))  # every other day, 28 days ago to today

    finding = persistent_pain(diary, AS_OF)

    assert finding is not None
    assert finding.code == "persistent_pain"
    assert finding.severity == "info"
    assert finding.source == "Patient guide: When to see a professional"
    assert (
        "You logged pain on 15 days from 31 Oct 2026 to 28 Nov 2026 (29 days), with no break of "
        "7 or more pain-free days."
    ) in finding.explanation
    assert finding.explanation.endswith(NOT_A_DIAGNOSIS)
    assert finding.evidence == ids(diary)


def test_it_stays_silent_about_a_short_bout_of_pain() -> None:
    assert persistent_pain(pain_on(*range(10)), AS_OF) is None


def test_it_flags_ten_pain_days_spanning_exactly_twenty_one_days() -> None:
    assert persistent_pain(pain_on(20, 17, 14, 12, 10, 8, 6, 4, 2, 0), AS_OF)


def test_it_ignores_nine_pain_days_spanning_twenty_one_days() -> None:
    assert persistent_pain(pain_on(20, 17, 14, 12, 10, 8, 6, 4, 0), AS_OF) is None


def test_it_ignores_ten_pain_days_spanning_twenty_days() -> None:
    assert persistent_pain(pain_on(19, 17, 14, 12, 10, 8, 6, 4, 2, 0), AS_OF) is None


def test_six_pain_free_days_do_not_break_the_episode() -> None:
    # Pain-free from 19 to 14 days ago: six days.
    assert persistent_pain(pain_on(*range(30, 19, -1), *range(13, -1, -1)), AS_OF)


def test_seven_pain_free_days_end_the_episode() -> None:
    # Pain-free from 19 to 13 days ago: seven days; the latest episode spans only 13 days.
    assert persistent_pain(pain_on(*range(30, 19, -1), *range(12, -1, -1)), AS_OF) is None


def test_it_still_flags_six_days_after_the_last_pain() -> None:
    assert persistent_pain(pain_on(*range(26, 5, -1)), AS_OF)


def test_it_stops_flagging_seven_pain_free_days_after_the_last_pain() -> None:
    assert persistent_pain(pain_on(*range(27, 6, -1)), AS_OF) is None


def test_pain_free_entries_do_not_count_as_pain_days() -> None:
    diary = [*pain_on(25, 0), *[pain_free(d) for d in range(24, 0, -1)]]

    assert persistent_pain(diary, AS_OF) is None


def test_it_counts_a_day_once_however_many_entries_it_has() -> None:
    diary = [
        entry(d, intensity=5, timing=t)
        for d in (25, 20, 15, 10, 5, 0)
        for t in ("morning", "night")
    ]

    assert persistent_pain(diary, AS_OF) is None


def test_it_reads_pain_days_back_to_the_first_day_of_its_window_only() -> None:
    diary = pain_on(*range(130, -1, -1))

    finding = persistent_pain(diary, AS_OF)

    assert finding is not None
    assert "You logged pain on 120 days" in finding.explanation
    assert finding.evidence == ids(diary[-120:])


def test_it_ignores_entries_after_as_of() -> None:
    assert persistent_pain(pain_on(*range(-1, -30, -1)), AS_OF) is None
