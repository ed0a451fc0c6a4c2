"""Loading, locking and saving flags: the pattern scan and the instant path after a save.

The planning itself (new, refresh, resolve, re-activate) is the pure `lifecycle` module; this
one reads patients, snapshots and flags, locks the patients' rows, and writes the plan in a
constant number of queries. Every new emergency or urgent activation gets one AlertDelivery per
recipient in the same transaction; `flag_activated` tells the sender once it has committed.
"""

from __future__ import annotations

import functools
import logging
from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime

from django.db import IntegrityError, transaction
from django.utils import timezone

from diary.models import AlertDelivery, Entry, Flag, User
from diary.rules import ALERT_RULES, RULES, EntrySnapshot, Finding, Rule, evaluate_rules
from diary.rules.signs import ALERT_CODES, EMERGENCY_CODES
from diary.selectors.snapshots import (
    snapshots_with_entry,
    without_gc,
)
from diary.signals import flag_activated

from . import lifecycle
from .patients import (
    Patient,
    alert_recipients,
    as_of_by_patient,
    patients_read,
    snapshots_load,
    today_in,
)

logger = logging.getLogger(__name__)

ALERT_SEVERITIES: frozenset[str] = frozenset({Flag.Severity.EMERGENCY, Flag.Severity.URGENT})


@dataclass(frozen=True)
class FlagEvent:
    """A flag raised or resolved by a refresh, for command output and logs."""

    action: str  # "raised" or "resolved"
    code: str
    email: str
    flag_id: int

    def __str__(self) -> str:
        return f"{self.action} {self.code} for {self.email}"


@dataclass
class RefreshResult:
    """What one refresh did: flags raised and resolved, patients and entries read."""

    events: list[FlagEvent] = field(default_factory=list)
    patients: int = 0
    entries: int = 0
    failed: list[int] = field(default_factory=list)

    def merge(self, other: RefreshResult) -> None:
        self.events.extend(other.events)
        self.patients += other.patients
        self.entries += other.entries
        self.failed.extend(other.failed)


@dataclass
class _Plan:
    """The writes one refresh makes, collected for all patients so they go out in bulk."""

    create: list[Flag] = field(default_factory=list)
    change: list[Flag] = field(default_factory=list)  # title, evidence, status … changed
    seen: list[int] = field(default_factory=list)  # only last_seen_at moves
    resolved: list[Flag] = field(default_factory=list)


# --- the lifecycle: pure planning, applied to the loaded rows ----------------------------


def _state(flag: Flag) -> lifecycle.FlagState:
    return lifecycle.FlagState(
        id=flag.pk,
        status=flag.status,
        evidence=tuple(str(i) for i in flag.evidence or ()),
        first_detected_at=flag.first_detected_at,
        acknowledged_at=flag.acknowledged_at,
        resolved_at=flag.resolved_at,
        severity=flag.severity,
        title=flag.title,
        explanation=flag.explanation,
        clinician_explanation=flag.clinician_explanation,
        source=flag.source,
    )


def _plan_patient(
    plan: _Plan,
    *,
    patient: Patient,
    findings: Mapping[str, Finding],
    rules: Sequence[Rule],
    flags: Sequence[Flag],
    snapshots: Sequence[EntrySnapshot],
    as_of: date,
    now: datetime,
) -> None:
    by_code: dict[str, list[Flag]] = defaultdict(list)
    for flag in flags:
        by_code[flag.code].append(flag)
    for rule in rules:
        rows = sorted(by_code.get(rule.code, ()), key=lambda f: (f.first_detected_at, f.pk))
        history = [_state(f) for f in rows]
        finding = findings.get(rule.code)
        if rule.code in ALERT_CODES:
            actions = lifecycle.plan_alert(
                code=rule.code,
                finding=finding,
                history=history,
                snapshots=snapshots,
                resolves=rule.code not in EMERGENCY_CODES,
                rerun=functools.partial(_rerun, rule, as_of=as_of),
            )
        else:
            actions = lifecycle.plan_pattern(finding=finding, history=history)
        _apply_actions(plan, patient, {f.pk: f for f in rows}, actions, now)


def _rerun(rule: Rule, snapshots: Sequence[EntrySnapshot], *, as_of: date) -> Finding | None:
    return rule.evaluate(snapshots, as_of)


def _apply_actions(
    plan: _Plan,
    patient: Patient,
    rows: Mapping[int, Flag],
    actions: Iterable[lifecycle.Action],
    now: datetime,
) -> None:
    """Turn the lifecycle's actions into row changes collected for the bulk writes."""
    for action in actions:
        if isinstance(action, lifecycle.Activate):
            plan.create.append(_new_flag(patient, action.finding, list(action.evidence), now))
            continue
        flag = rows[action.flag_id]
        flag.last_seen_at = now
        if isinstance(action, lifecycle.Touch):
            plan.seen.append(flag.pk)
        elif isinstance(action, lifecycle.Resolve):
            flag.status = Flag.Status.RESOLVED
            flag.resolved_at = now
            plan.resolved.append(flag)
        else:
            finding = action.finding
            flag.severity, flag.title, flag.source = finding.severity, finding.title, finding.source
            flag.explanation = finding.explanation
            flag.clinician_explanation = finding.clinician_explanation
            flag.evidence = list(action.evidence)
            plan.change.append(flag)


def _new_flag(patient: Patient, finding: Finding, evidence: list[str], now: datetime) -> Flag:
    return Flag(
        user_id=patient.id,
        code=finding.code,
        severity=finding.severity,
        title=finding.title,
        explanation=finding.explanation,
        clinician_explanation=finding.clinician_explanation,
        source=finding.source,
        evidence=evidence,
        first_detected_at=now,
        last_seen_at=now,
        status=Flag.Status.ACTIVE,
    )


# --- writing ----------------------------------------------------------------------------


def _apply(plan: _Plan, patients: Mapping[int, Patient], now: datetime) -> list[FlagEvent]:
    """Write the plan in a constant number of queries, whatever the number of patients."""
    if plan.seen:
        Flag.objects.filter(pk__in=plan.seen).update(last_seen_at=now)
    if plan.change or plan.resolved:
        Flag.objects.bulk_update(
            [*plan.change, *plan.resolved],
            [
                "severity",
                "title",
                "explanation",
                "clinician_explanation",
                "source",
                "evidence",
                "last_seen_at",
                "status",
                "resolved_at",
            ],
            batch_size=500,
        )
    created = Flag.objects.bulk_create(plan.create, batch_size=500) if plan.create else []
    alerting = [f for f in created if f.severity in ALERT_SEVERITIES]
    if alerting:
        recipients = alert_recipients(patients, {f.user_id for f in alerting})
        AlertDelivery.objects.bulk_create(
            [
                AlertDelivery(flag=flag, recipient=address, next_attempt_at=now)
                for flag in alerting
                for address in recipients[flag.user_id]
            ],
            batch_size=500,
        )
        for flag in alerting:
            transaction.on_commit(
                lambda pk=flag.pk: flag_activated.send(sender=Flag, flag_id=pk), robust=True
            )
    events = [FlagEvent("raised", f.code, patients[f.user_id].email, f.pk) for f in created]
    events += [
        FlagEvent("resolved", f.code, patients[f.user_id].email, f.pk) for f in plan.resolved
    ]
    return events


def _refresh_locked(
    *,
    user_ids: Sequence[int],
    as_of: date | None,
    rules: Sequence[Rule],
    preloaded: Mapping[int, list[EntrySnapshot]] | None,
    seen_versions: Mapping[int, datetime | None],
    read_as_of: Mapping[int, date] | None = None,
    mark_scanned: bool,
    with_entry: str | None = None,
) -> RefreshResult:
    """The write phase: must run inside transaction.atomic()."""
    now = timezone.now()
    patients = patients_read(user_ids, lock=True)
    # The days the snapshots were read for (a scan running over midnight keeps its day).
    as_of_by = {**as_of_by_patient(patients, as_of, now), **(read_as_of or {})}
    snapshots = dict(preloaded or {})
    # A diary that changed after it was read (or was never read) is read again under the lock,
    # so the flags always match what is committed.
    stale = {
        pk: as_of_by[pk]
        for pk, p in patients.items()
        if pk not in snapshots or seen_versions.get(pk) != p.entries_changed_at
    }
    if with_entry is not None:
        # Read under the patient's lock, so a concurrent save is seen by one of the two runs.
        for pk in patients:
            snapshots[pk] = snapshots_with_entry(
                user_id=pk, as_of=as_of_by[pk], entry_id=with_entry
            )
    elif stale:
        snapshots.update(snapshots_load(stale))
    codes = [rule.code for rule in rules]
    flags_by_user: dict[int, list[Flag]] = defaultdict(list)
    flag_rows = Flag.objects.filter(user_id__in=list(patients), code__in=codes).exclude(
        # Resolved pattern flags are history; resolved alert flags still hold evidence and the
        # moment after which a sign is a new activation.
        status=Flag.Status.RESOLVED,
        code__in=[c for c in codes if c not in ALERT_CODES],
    )
    for flag in flag_rows:
        flags_by_user[flag.user_id].append(flag)

    result = RefreshResult(patients=len(patients))
    plan = _Plan()
    for pk, patient in patients.items():
        entries = snapshots.get(pk, [])
        result.entries += len(entries)
        try:
            findings = evaluate_rules(rules, entries, as_of_by[pk])
            _plan_patient(
                plan,
                patient=patient,
                findings=findings,
                rules=rules,
                flags=flags_by_user.get(pk, []),
                snapshots=entries,
                as_of=as_of_by[pk],
                now=now,
            )
        except Exception:
            # One patient's odd data must not stop the others; they stay due for the next run.
            logger.exception("Pattern refresh failed for patient %s", pk)
            result.failed.append(pk)
    result.events = _apply(plan, patients, now)
    if mark_scanned:
        _mark_scanned(
            {pk: p.entries_changed_at for pk, p in patients.items() if pk not in result.failed}
        )
    return result


def _mark_scanned(versions: Mapping[int, datetime | None]) -> None:
    # scanned_at keeps the entries_changed_at the scan saw (not the clock): a save racing the
    # scan always leaves entries_changed_at > scanned_at, so the next incremental run sees it.
    by_version: dict[datetime | None, list[int]] = defaultdict(list)
    for pk, version in versions.items():
        by_version[version].append(pk)
    if len(by_version) == 1:
        ((version, pks),) = by_version.items()
        User.objects.filter(pk__in=pks).update(scanned_at=version)
        return
    User.objects.bulk_update(
        [User(pk=pk, scanned_at=version) for pk, version in versions.items()],
        ["scanned_at"],
        batch_size=500,
    )


# --- public services ----------------------------------------------------------------------


def patterns_refresh(
    *,
    user: User | int,
    as_of: date | None = None,
    rules: Sequence[Rule] = RULES,
    mark_scanned: bool = True,
) -> RefreshResult:
    """Run the rules for one patient and upsert their flags, all in one transaction."""
    user_id = user if isinstance(user, int) else user.pk
    with transaction.atomic():
        return _refresh_locked(
            user_ids=[user_id],
            as_of=as_of,
            rules=rules,
            preloaded=None,
            seen_versions={},
            mark_scanned=mark_scanned and tuple(rules) == RULES,  # a partial run is no scan
        )


def patterns_refresh_many(*, user_ids: Sequence[int], as_of: date | None = None) -> RefreshResult:
    """Run every rule for a chunk of patients in a constant number of queries."""
    now = timezone.now()
    # Read outside the write transaction, so a SQLite scan does not hold the write lock
    # while the rules run; anything saved meanwhile is read again under the lock.
    patients = patients_read(user_ids, lock=False)
    versions = {pk: p.entries_changed_at for pk, p in patients.items()}
    read_as_of = as_of_by_patient(patients, as_of, now)
    snapshots = snapshots_load(read_as_of)
    try:
        with without_gc(), transaction.atomic():
            return _refresh_locked(
                user_ids=list(patients),
                as_of=as_of,
                rules=RULES,
                preloaded=snapshots,
                seen_versions=versions,
                read_as_of=read_as_of,
                mark_scanned=True,
            )
    except IntegrityError:
        # Someone raised a flag for one of these patients without their row lock (it should
        # not happen); one patient at a time, each re-read under its own lock, sorts it out.
        logger.warning("Chunk refresh conflicted; refreshing %d patients one by one", len(patients))
    result = RefreshResult()
    for pk in patients:
        try:
            result.merge(patterns_refresh(user=pk, as_of=as_of))
        except Exception:
            logger.exception("Pattern refresh failed for patient %s", pk)
            result.failed.append(pk)
            result.patients += 1
    return result


def red_flags_raise(*, entry_id: str) -> RefreshResult:
    """The instant path after a save: run the alerting rules for the entry's patient now."""
    row = Entry.objects.filter(pk=entry_id).values_list("user_id", "local_date").first()
    if row is None:
        return RefreshResult()  # deleted since; nothing to raise
    user_id, local_date = row
    user = User.objects.filter(pk=user_id).only("timezone").first()
    if user is None:
        return RefreshResult()
    # An entry may be stamped a few minutes ahead, past the patient's midnight.
    as_of = max(today_in(user.timezone, timezone.now()), local_date)
    # The saved entry always takes part, however far back it is dated: red flags count for any
    # entry, so a back-dated one beyond the scan's lookback still alerts at once.
    with transaction.atomic():
        return _refresh_locked(
            user_ids=[user_id],
            as_of=as_of,
            rules=ALERT_RULES,
            preloaded=None,
            seen_versions={},
            mark_scanned=False,
            with_entry=str(entry_id),
        )


def flag_acknowledge(*, user: User, flag_id: int) -> Flag | None:
    """Mark the patient's open flag acknowledged; None when it is not theirs."""
    Flag.objects.filter(pk=flag_id, user=user, status=Flag.Status.ACTIVE).update(
        status=Flag.Status.ACKNOWLEDGED, acknowledged_at=timezone.now()
    )
    return Flag.objects.filter(pk=flag_id, user=user).first()
