"""The pure flag lifecycle: planned from plain values, no database."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from hypothesis import given
from hypothesis import strategies as st

from diary.rules import EntrySnapshot, Finding, Location
from diary.services.flags import lifecycle
from diary.services.flags.lifecycle import Activate, FlagState, Refresh, Resolve, Touch

CODE = "red_flag_saddle_numbness"
T0 = datetime(2026, 11, 20, 12, 0, tzinfo=UTC)
ACK = T0 + timedelta(hours=1)


def snap(entry_id: str, *, saved: datetime, occurred: datetime = T0) -> EntrySnapshot:
    return EntrySnapshot(
        id=entry_id,
        occurred_at=occurred,
        local_date=occurred.date(),
        timing="afternoon",
        intensity=0,
        locations=(Location("saddle", "center"),),
        red_flags=frozenset({"saddle_numbness"}),
        signs_at=((CODE, saved),),
        saved_at=T0 - timedelta(days=30),
    )


def finding(*ids: str) -> Finding:
    return Finding(CODE, "emergency", "t", "you", "src", tuple(ids), "the patient")


def acked(*ids: str) -> FlagState:
    return FlagState(1, "acknowledged", tuple(ids), T0, acknowledged_at=ACK)


def active(*ids: str) -> FlagState:
    return FlagState(1, "active", tuple(ids), T0)


def plan(found, history, snapshots, resolves=False):
    return lifecycle.plan_alert(
        code=CODE,
        finding=found,
        history=history,
        snapshots=snapshots,
        resolves=resolves,
        rerun=lambda s: finding(*(x.id for x in s)) if s else None,
    )


def test_a_first_sign_activates() -> None:
    assert plan(finding("a"), [], [snap("a", saved=T0)]) == [Activate(finding("a"), ("a",))]


def test_a_new_entry_joins_the_active_activation() -> None:
    (action,) = plan(finding("a", "b"), [active("a")], [snap("a", saved=T0), snap("b", saved=ACK)])
    assert isinstance(action, Refresh) and action.evidence == ("a", "b")


def test_a_sign_saved_one_microsecond_after_the_acknowledgement_is_a_new_activation() -> None:
    after = snap("b", saved=ACK + timedelta(microseconds=1), occurred=T0 - timedelta(days=3))
    actions = plan(finding("a", "b"), [acked("a")], [snap("a", saved=T0), after])
    assert actions == [Activate(finding("b"), ("b",))]


def test_a_sign_saved_at_the_acknowledgement_belongs_to_it() -> None:
    # Seen by the acknowledged activation (in its evidence) and saved no later than it.
    actions = plan(finding("a"), [acked("a")], [snap("a", saved=ACK)])
    assert actions == [Touch(1)]


def test_an_entry_no_activation_has_seen_alerts_whenever_it_was_saved() -> None:
    early = snap("b", saved=T0 - timedelta(days=1))
    assert plan(finding("a", "b"), [acked("a")], [snap("a", saved=T0), early]) == [
        Activate(finding("b"), ("b",))
    ]


def test_a_sign_re_added_to_a_seen_entry_after_the_acknowledgement_alerts() -> None:
    assert plan(finding("a"), [acked("a")], [snap("a", saved=ACK + timedelta(seconds=5))]) == [
        Activate(finding("a"), ("a",))
    ]


def test_red_flags_never_resolve_and_motor_flags_do() -> None:
    assert plan(None, [active("a")], []) == []
    assert plan(None, [active("a")], [], resolves=True) == [Resolve(1)]
    assert plan(None, [acked("a")], [], resolves=True) == [Resolve(1)]


def test_patterns_raise_refresh_and_resolve() -> None:
    f = finding("a")
    assert lifecycle.plan_pattern(finding=f, history=[]) == [Activate(f, ("a",))]
    text = {"title": "t", "explanation": "you", "clinician_explanation": "the patient"}
    same = FlagState(1, "active", ("a",), T0, severity="emergency", source="src", **text)
    assert lifecycle.plan_pattern(finding=f, history=[same]) == [Touch(1)]
    moved = finding("a", "b")
    assert lifecycle.plan_pattern(finding=moved, history=[same]) == [Refresh(1, moved, ("a", "b"))]
    assert lifecycle.plan_pattern(finding=None, history=[same]) == [Resolve(1)]
    closed = FlagState(1, "resolved", ("a",), T0)
    assert lifecycle.plan_pattern(finding=None, history=[closed]) == []


@given(
    occurred_days=st.integers(-400, 0),
    saved_after=st.integers(1, 10**9),
)
def test_a_sign_saved_after_acknowledging_always_activates_whatever_occurred_at(
    occurred_days: int, saved_after: int
) -> None:
    entry = snap(
        "b",
        saved=ACK + timedelta(microseconds=saved_after),
        occurred=T0 + timedelta(days=occurred_days),
    )
    actions = plan(finding("a", "b"), [acked("a")], [snap("a", saved=T0), entry])
    assert [type(a) for a in actions] == [Activate]
    assert actions[0].evidence == ("b",)
