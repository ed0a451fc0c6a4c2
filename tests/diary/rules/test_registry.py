import logging
from dataclasses import replace
from datetime import date, datetime
from zoneinfo import ZoneInfo

import pytest
from hypothesis import given, settings

from diary.rules import (
    LOOKBACK_DAYS,
    NOT_A_DIAGNOSIS,
    RED_FLAG_CODES,
    RED_FLAG_RULES,
    RULES,
    EntrySnapshot,
    Finding,
    Rule,
    evaluate_all,
    evaluate_rules,
    red_flag_findings,
)
from diary.vocabulary import EMERGENCY_RED_FLAGS
from tests.support.rules import AS_OF, diaries, entry, pain_free

CONTRACT_SEVERITIES = {
    "red_flag_saddle_numbness": "emergency",
    "red_flag_bladder_bowel": "emergency",
    "red_flag_sudden_weakness": "emergency",
    "motor_weakness": "urgent",
    "night_worse_nerve_pain": "warning",
    "walking_worse_nerve_pain": "warning",
    "activity_worse_pain": "info",
    "spreading_symptoms": "warning",
    "bilateral_symptoms": "warning",
    "worsening_trend": "warning",
    "persistent_pain": "info",
    "local_foot_pattern": "info",
    "entrapment_context": "info",
}
RULE_BY_CODE = {rule.code: rule for rule in RULES}


def test_it_registers_every_rule_of_the_contract_once() -> None:
    assert {rule.code: rule.severity for rule in RULES} == CONTRACT_SEVERITIES
    assert len(RULES) == len(CONTRACT_SEVERITIES)


def test_lookback_covers_the_longest_rule_window() -> None:
    assert LOOKBACK_DAYS == max(rule.window_days for rule in RULES) == 120


def test_red_flag_codes_map_each_emergency_symptom_to_its_flag() -> None:
    assert RED_FLAG_CODES == {
        "saddle_numbness": "red_flag_saddle_numbness",
        "bladder_bowel": "red_flag_bladder_bowel",
        "sudden_weakness": "red_flag_sudden_weakness",
    }
    assert set(RED_FLAG_CODES) == EMERGENCY_RED_FLAGS
    assert {rule.code for rule in RED_FLAG_RULES} == set(RED_FLAG_CODES.values())


def test_it_returns_findings_keyed_by_code() -> None:
    diary = [
        entry(1, locations=["heel"], red_flags=["bladder_bowel", "foot_drop"]),
        *[entry(d, locations=["heel"]) for d in range(2, 7)],
    ]

    findings = evaluate_all(diary, AS_OF)

    # Revised §5: a motor sign rules local_foot_pattern out ("usually a local foot problem"
    # must not be said to someone with a foot drop).
    assert set(findings) == {"red_flag_bladder_bowel", "motor_weakness"}
    assert all(finding.code == code for code, finding in findings.items())


def test_it_finds_nothing_in_an_empty_diary() -> None:
    assert evaluate_all([], AS_OF) == {}


def test_red_flag_findings_run_only_the_emergency_rules() -> None:
    diary = [entry(0, red_flags=["saddle_numbness", "sudden_weakness", "foot_drop"])]
    diary += [entry(d, locations=["heel"]) for d in range(1, 6)]

    assert set(red_flag_findings(diary, AS_OF)) == {
        "red_flag_saddle_numbness",
        "red_flag_sudden_weakness",
    }


def test_a_failing_rule_is_logged_and_the_others_still_run(caplog) -> None:
    def broken(entries, as_of):
        raise ZeroDivisionError

    rules = (Rule("broken", "info", 1, broken), *RED_FLAG_RULES)

    with caplog.at_level(logging.ERROR, logger="diary.rules.registry"):
        findings = evaluate_rules(rules, [entry(0, red_flags=["bladder_bowel"])], AS_OF)

    assert set(findings) == {"red_flag_bladder_bowel"}
    assert "broken" in caplog.text


def test_an_unknown_region_code_does_not_hide_a_red_flag(caplog) -> None:
    odd = entry(0, locations=["elbow"], red_flags=["saddle_numbness"])

    with caplog.at_level(logging.ERROR, logger="diary.rules.registry"):
        findings = evaluate_all([entry(25, locations=["calf"]), odd], AS_OF)

    assert "red_flag_saddle_numbness" in findings
    assert "spreading_symptoms" in caplog.text


def test_every_rule_ignores_entries_after_as_of() -> None:
    future = [entry(-1, intensity=9, red_flags=sorted(EMERGENCY_RED_FLAGS | {"foot_drop"}))]
    diary = [entry(d, locations=["heel"]) for d in range(-5, 0)] + future

    assert evaluate_all(diary, AS_OF) == {}


@pytest.mark.parametrize(
    "diary",
    [
        [],
        [entry(0)],
        [pain_free(d) for d in range(0, 150, 3)],
        [entry(d, intensity=0, locations=["calf"]) for d in range(30)],
    ],
    ids=["empty", "one-entry", "all-pain-free", "all-zero-with-locations"],
)
def test_it_finds_nothing_in_diaries_without_pain(diary: list[EntrySnapshot]) -> None:
    assert evaluate_all(diary, AS_OF) == {}


def assert_well_formed(finding: Finding, code: str, diary: list[EntrySnapshot]) -> None:
    assert finding.code == code
    assert finding.severity == RULE_BY_CODE[code].severity
    assert finding.title
    assert finding.explanation.endswith(NOT_A_DIAGNOSIS)
    assert "not a diagnosis" in finding.explanation
    assert finding.source.startswith("Patient guide: ")
    by_id = {e.id: e for e in diary}
    assert finding.evidence
    assert set(finding.evidence) <= set(by_id)
    assert len(set(finding.evidence)) == len(finding.evidence)
    times = [by_id[i].occurred_at.timestamp() for i in finding.evidence]
    assert times == sorted(times)


@settings(max_examples=100, deadline=None)
@given(diary=diaries)
def test_every_rule_copes_with_any_valid_diary(diary: list[EntrySnapshot]) -> None:
    for rule in RULES:
        finding = rule.evaluate(diary, AS_OF)  # raises here rather than being logged
        if finding is not None:
            assert_well_formed(finding, rule.code, diary)


@settings(max_examples=100, deadline=None)
@given(diary=diaries)
def test_evaluate_all_is_deterministic_and_ignores_entry_order(diary: list[EntrySnapshot]) -> None:
    findings = evaluate_all(diary, AS_OF)

    assert evaluate_all(diary, AS_OF) == findings
    assert evaluate_all(list(reversed(diary)), AS_OF) == findings
    for code, finding in findings.items():
        assert_well_formed(finding, code, diary)


@settings(max_examples=50, deadline=None)
@given(diary=diaries)
def test_red_flag_findings_match_the_full_scan(diary: list[EntrySnapshot]) -> None:
    full = evaluate_all(diary, AS_OF)

    assert red_flag_findings(diary, AS_OF) == {
        code: finding for code, finding in full.items() if code in RED_FLAG_CODES.values()
    }


def test_a_realistic_month_of_sciatica_raises_the_expected_patterns() -> None:
    as_of = date(2026, 3, 31)
    nerve = ["burning", "tingling"]
    diary = []
    for d in range(27, 20, -1):  # first week: back and buttock, mild, by day
        diary.append(entry(d, as_of=as_of, intensity=3, locations=["lower_back", "buttock"]))
    for d in range(20, 6, -1):  # next two weeks: the same, down the back of the thigh
        diary.append(entry(d, as_of=as_of, intensity=3, locations=["thigh_back"]))
    for d in range(6, -1, -1):  # latest week: burning nights reaching the sole
        diary.append(
            entry(
                d,
                as_of=as_of,
                intensity=8,
                timing="night",
                locations=["calf", "foot_sole"],
                pain_types=nerve,
            )
        )
        diary.append(
            entry(
                d,
                as_of=as_of,
                intensity=4,
                timing="morning",
                activity="walking",
                locations=["calf"],
            )
        )

    findings = evaluate_all(diary, as_of)

    assert set(findings) == {
        "night_worse_nerve_pain",
        "spreading_symptoms",
        "worsening_trend",
        "persistent_pain",
    }


def test_evidence_follows_the_instant_not_the_wall_clock_on_a_dst_change_day() -> None:
    london = ZoneInfo("Europe/London")
    # 25 Oct 2026: clocks go back at 02:00 BST, so 01:30 BST comes before 01:10 GMT.
    first = replace(
        entry(3, red_flags=["bladder_bowel"]),
        occurred_at=datetime(2026, 10, 25, 1, 30, tzinfo=london),
        local_date=date(2026, 10, 25),
    )
    second = replace(
        entry(3, red_flags=["bladder_bowel"]),
        occurred_at=datetime(2026, 10, 25, 1, 10, fold=1, tzinfo=london),
        local_date=date(2026, 10, 25),
    )

    findings = evaluate_all([second, first], date(2026, 10, 25))

    assert findings["red_flag_bladder_bowel"].evidence == (first.id, second.id)
