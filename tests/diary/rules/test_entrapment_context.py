import pytest

from diary.rules import NOT_A_DIAGNOSIS
from diary.rules.context import ENTRAPMENT_WINDOW_DAYS, entrapment_context
from tests.support.rules import AS_OF, entry, ids


def tagged(days_ago: int, tag: str, region: str = "foot_top", **kwargs):
    return entry(days_ago, locations=[region], context=[tag], **kwargs)


@pytest.mark.parametrize(
    ("tag", "words"),
    [
        ("new_shoes", "peroneal nerve"),
        ("hip_injection_or_surgery", "sciatic nerve"),
        ("recent_injury", "nerve hurt where the injury happened"),
    ],
)
def test_each_tag_names_its_nerve(tag, words) -> None:
    diary = [tagged(3, tag), tagged(1, tag, region="knee")]

    finding = entrapment_context(diary, AS_OF)

    assert finding is not None
    assert finding.code == "entrapment_context"
    assert finding.severity == "info"
    assert finding.source == "Patient guide: Nerve entrapment outside the spine"
    assert words in finding.explanation
    assert "Patient guides describe" in finding.explanation
    assert finding.explanation.endswith(NOT_A_DIAGNOSIS)
    assert finding.clinician_explanation.startswith("Over the last 28 days the patient tagged")
    assert finding.evidence == ids(diary)


def test_new_shoes_also_name_the_sural_nerve() -> None:
    finding = entrapment_context([tagged(3, "new_shoes"), tagged(1, "new_shoes")], AS_OF)
    assert finding is not None and "sural nerve" in finding.explanation


def test_one_flag_names_every_qualifying_tag() -> None:
    diary = [tagged(d, t) for d in (1, 2) for t in ("new_shoes", "recent_injury")]
    finding = entrapment_context([*diary, tagged(3, "hip_injection_or_surgery")], AS_OF)

    assert finding is not None
    assert "peroneal" in finding.explanation and "injury happened" in finding.explanation
    assert "sciatic" not in finding.explanation  # only one hip entry


@pytest.mark.parametrize(("count", "flagged"), [(1, False), (2, True)])
def test_it_needs_two_entries_with_the_tag(count, flagged) -> None:
    diary = [tagged(d, "new_shoes") for d in range(1, count + 1)]
    assert (entrapment_context(diary, AS_OF) is not None) is flagged


@pytest.mark.parametrize(("region", "flagged"), [("thigh_outer", False), ("shin", True)])
def test_it_needs_the_knee_or_below(region, flagged) -> None:
    diary = [tagged(d, "new_shoes", region=region) for d in (1, 2)]
    assert (entrapment_context(diary, AS_OF) is not None) is flagged


@pytest.mark.parametrize("tag", ["long_sitting", "poor_sleep"])
def test_other_tags_do_not_count(tag) -> None:
    assert entrapment_context([tagged(1, tag), tagged(2, tag)], AS_OF) is None


def test_the_window_is_28_days() -> None:
    oldest = ENTRAPMENT_WINDOW_DAYS - 1
    assert entrapment_context([tagged(oldest, "new_shoes"), tagged(0, "new_shoes")], AS_OF)
    pair = [tagged(oldest + 1, "new_shoes"), tagged(0, "new_shoes")]
    assert entrapment_context(pair, AS_OF) is None
