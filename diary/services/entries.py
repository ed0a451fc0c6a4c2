"""Creating, changing and deleting diary entries, and the instant alert path after a save."""

from __future__ import annotations

import logging
import uuid
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import datetime

from django.db import IntegrityError, transaction
from django.utils import timezone

from core.sanitize import strip_bidi_controls
from diary import vocabulary as vocab
from diary.models import Entry, EntryLocation, User
from diary.rules.signs import SIGN_WORDS, codes_for

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class EntryInput:
    """Validated entry fields; `timing=None` means derive it from `occurred_at`."""

    intensity: int
    occurred_at: datetime | None = None
    timing: str | None = None
    locations: tuple[tuple[str, str], ...] = ()
    pain_types: tuple[str, ...] = ()
    activity: str = ""
    red_flags: tuple[str, ...] = ()
    context: tuple[str, ...] = ()
    notes: str = ""
    fields_given: frozenset[str] = field(default=frozenset())


class EntryIdTaken(Exception):
    """The client-made id already belongs to another patient's entry."""


def _local(user: User, moment: datetime) -> datetime:
    return moment.astimezone(user.zone)


def entry_location_rows(
    *, entry: Entry, locations: Iterable[tuple[str, str]]
) -> list[EntryLocation]:
    """Unsaved location rows for an entry, with the user, day and level copied for scans."""
    return [
        EntryLocation(
            entry=entry,
            user_id=entry.user_id,
            local_date=entry.local_date,
            region=region,
            side=side,
            level=vocab.region_level(region),
        )
        for region, side in locations
    ]


def _touch_user(user: User, moment: datetime) -> None:
    # Marks the diary changed so the next incremental scan looks at this patient.
    User.objects.filter(pk=user.pk).update(entries_changed_at=moment)


def entry_create(
    *, user: User, data: EntryInput, entry_id: uuid.UUID | None = None
) -> tuple[Entry, bool]:
    """Store an entry; a retried id returns the stored one unchanged. Returns (entry, created)."""
    # No look-up first: almost every id is new, so the insert is tried and a taken id shows
    # as an IntegrityError (the savepoint undoes the attempt), answered below.
    now = timezone.now()
    occurred_at = data.occurred_at or now
    local = _local(user, occurred_at)
    entry = Entry(
        id=entry_id or uuid.uuid4(),
        user=user,
        occurred_at=occurred_at,
        local_date=local.date(),
        timezone=user.timezone,
        timing=data.timing or vocab.timing_for(local),
        intensity=data.intensity,
        pain_types=list(data.pain_types),
        activity=data.activity,
        red_flags=list(data.red_flags),
        context=list(data.context),
        notes=strip_bidi_controls(data.notes),
        alert_signs_at=_signs_at(
            {},
            codes_for(
                red_flags=data.red_flags,
                pain_types=data.pain_types,
                regions=[region for region, _ in data.locations],
            ),
            now,
        ),
    )
    try:
        with transaction.atomic():
            entry.save(force_insert=True)
            rows = EntryLocation.objects.bulk_create(
                entry_location_rows(entry=entry, locations=data.locations)
            )
            # Callers render the new entry; spare them a query for what we just wrote.
            entry._prefetched_objects_cache = {"locations": rows}
            _touch_user(user, now)
            _alert_after_commit(entry)
    except IntegrityError:
        # A retry of a stored entry (or two identical retries that raced): the stored one is
        # the answer; another patient's id is refused.
        if entry_id is None:
            raise
        existing = _existing(user=user, entry_id=entry_id)
        if existing is None:
            raise
        return existing, False
    return entry, True


def _existing(*, user: User, entry_id: uuid.UUID) -> Entry | None:
    # A light probe first: only the patient's own entry is loaded in full.
    owner = Entry.objects.filter(pk=entry_id).values_list("user_id", flat=True).first()
    if owner is None:
        return None
    if owner != user.pk:
        raise EntryIdTaken(str(entry_id))
    return Entry.objects.prefetch_related("locations").get(pk=entry_id)


def entry_update(*, entry: Entry, data: EntryInput) -> Entry:
    """Change the given fields; a new time re-derives the day (and timing unless given)."""
    user = entry.user
    given = data.fields_given
    if "occurred_at" in given and data.occurred_at is not None:
        entry.occurred_at = data.occurred_at
        local = _local(user, data.occurred_at)
        entry.local_date = local.date()
        entry.timezone = user.timezone
        if "timing" not in given:
            entry.timing = vocab.timing_for(local)
    if "timing" in given and data.timing:
        entry.timing = data.timing
    simple: dict[str, Callable[[], object]] = {
        "intensity": lambda: data.intensity,
        "pain_types": lambda: list(data.pain_types),
        "activity": lambda: data.activity,
        "red_flags": lambda: list(data.red_flags),
        "context": lambda: list(data.context),
        "notes": lambda: strip_bidi_controls(data.notes),
    }
    for name, value in simple.items():
        if name in given:
            setattr(entry, name, value())
    now = timezone.now()
    entry.alert_signs_at = _signs_at(entry.alert_signs_at, _codes_after_edit(entry, data), now)
    with transaction.atomic():
        entry.save()
        if "locations" in given or "occurred_at" in given:
            locations = (
                data.locations
                if "locations" in given
                else [(loc.region, loc.side) for loc in entry.locations.all()]
            )
            EntryLocation.objects.filter(entry=entry).delete()
            rows = EntryLocation.objects.bulk_create(
                entry_location_rows(entry=entry, locations=locations)
            )
            # Callers render the changed entry (and entry_create primes this cache with a list).
            entry._prefetched_objects_cache = {"locations": rows}
        _touch_user(user, now)
        _alert_after_commit(entry)
    return entry


def entry_delete(*, entry: Entry) -> None:
    """Delete an entry and its locations."""
    user = entry.user
    with transaction.atomic():
        entry.delete()
        _touch_user(user, timezone.now())


def _codes_after_edit(entry: Entry, data: EntryInput) -> frozenset[str]:
    """The alert codes the edited entry will carry (its stored locations read only if needed)."""
    # Without a red flag or a sign word there is no sign: the stored locations need no read.
    if not (set(entry.red_flags or ()) or SIGN_WORDS.intersection(entry.pain_types or ())):
        return frozenset()
    if "locations" in data.fields_given:
        regions = [region for region, _ in data.locations]
    else:
        regions = [loc.region for loc in entry.locations.all()]
    return codes_for(red_flags=entry.red_flags, pain_types=entry.pain_types, regions=regions)


def _signs_at(before: object, codes: frozenset[str], now: datetime) -> dict[str, str]:
    """When each alert code was added: kept for a code the entry had, now for a new one."""
    previous = before if isinstance(before, dict) else {}
    return {code: previous.get(code) or now.isoformat() for code in sorted(codes)}


def _alert_after_commit(entry: Entry) -> None:
    # Only an entry carrying an alert sign queues the instant check (CONTRACT §5: within
    # seconds of the save); an ordinary save publishes nothing and costs no query here.
    if not entry.alert_signs_at:
        return
    entry_id = str(entry.pk)
    transaction.on_commit(lambda: _queue_alert_check(entry_id))


def _queue_alert_check(entry_id: str) -> None:
    from diary.tasks import raise_red_flags  # tasks import the services; keep the import late

    try:
        raise_red_flags.delay(entry_id)
    except Exception:
        # Broker down: the save has committed and must not fail. Raise the flags here and now
        # instead (their e-mails wait in the database for the sweep); should that fail too, the
        # incremental scan (every 15 minutes) is the safety net.
        logger.exception("Could not queue the red-flag check for entry %s", entry_id)
        try:
            from diary.services.flags import red_flags_raise

            red_flags_raise(entry_id=entry_id)
        except Exception:
            logger.exception("Could not raise the flags of entry %s in-process", entry_id)
