"""What the export document holds: the account's fields, then one `Table` per kind of row.

Adding a table to backups is one more `Table` in `TABLES`: export and restore walk this list
and know nothing of any one table. A table or account field added after version 1 names the
version that brought it (`since`, `USER_SINCE`): a document of an older version has none of
them, and the restore reads that as an empty table, or the field's default (a new `public_id`).

Version 2 added the account's `public_id` (the stable id the FHIR export names the patient
by), `treatments` and `checkins`.
"""

from __future__ import annotations

from collections.abc import Callable, Hashable
from dataclasses import dataclass
from typing import Any

from django.db import models

from diary import outcomes as terms
from diary import vocabulary as vocab
from diary.models import (
    AlertDelivery,
    CheckIn,
    Contact,
    Entry,
    EntryLocation,
    Flag,
    SecurityEvent,
    TreatmentEvent,
)
from reports.models import ShareLink, ShareView
from reports.portability import parsers as p

FORMAT = "sciatica-diary/user-export"
FORMAT_VERSION = 2
# Every version this program restores; it writes only FORMAT_VERSION.
READABLE_VERSIONS: tuple[int, ...] = (1, 2)


@dataclass(frozen=True)
class Table:
    """One kind of row: its fields in document order, its order, and the rows nested in it."""

    key: str  # the document key, and the related name on the owning row
    model: type[models.Model]
    fields: dict[str, p.Parser]
    # Values the document keeps, so an export of a restore lists rows as the original did.
    order_by: tuple[str, ...]
    parent: str = "user"  # the foreign key to the owning row
    children: tuple[Table, ...] = ()
    # Rows under one owner that must differ: (key of a row and its index, what the key is).
    unique: tuple[Callable[[Any, int], Hashable], str] | None = None
    # Checks a row's fields against its owner and adds the fields the document leaves out.
    derive: Callable[[dict[str, Any], models.Model, str], dict[str, Any]] | None = None
    since: int = 1  # the format version that brought the table


def _location(fields: dict[str, Any], entry: models.Model, path: str) -> dict[str, Any]:
    if not vocab.side_allowed(fields["region"], fields["side"]):
        raise p.fail(path, f"side 'center' is only for {sorted(vocab.CENTER_REGIONS)}")
    return {"level": vocab.region_level(fields["region"]), "local_date": entry.local_date}


USER = {
    "public_id": p.uuid_value,
    "email": p.address(),
    "password": p.text(128, blank=False),  # the hash, so the restored account keeps its password
    "timezone": p.zone,
    "alert_email": p.address(blank=True),
    "reminder_time": p.optional(p.clock),
    "date_joined": p.moment,
    "last_login": p.optional(p.moment),
    "is_active": p.boolean,
    "entries_changed_at": p.optional(p.moment),
    "scanned_at": p.optional(p.moment),
}
USER_SINCE = {"public_id": 2}

TABLES: tuple[Table, ...] = (
    Table(
        "contacts",
        Contact,
        {
            "name": p.text(120, blank=False),
            "email": p.address(),
            "receive_alerts": p.boolean,
            "created_at": p.moment,
        },
        order_by=("email",),
        unique=(lambda contact, _: contact.email.lower(), "e-mail"),
    ),
    Table(
        "entries",
        Entry,
        {
            "id": p.uuid_value,
            "occurred_at": p.moment,
            "local_date": p.day,
            "timezone": p.zone,
            "timing": p.choice(vocab.codes(vocab.TIMINGS), "timing"),
            "intensity": p.number(0, 10),
            "pain_types": p.codes(vocab.PAIN_TYPES, "pain type"),
            "activity": p.choice(vocab.codes(vocab.ACTIVITIES), "activity", blank=True),
            "red_flags": p.codes(vocab.RED_FLAGS, "red flag"),
            "context": p.codes(vocab.CONTEXT_TAGS, "context"),
            "notes": p.text(2000),
            "created_at": p.moment,
            "updated_at": p.moment,
        },
        order_by=("occurred_at", "created_at", "id"),
        unique=(lambda entry, _: entry.id, "id"),
        children=(
            Table(
                "locations",
                EntryLocation,
                {
                    "region": p.choice(vocab.REGION_BY_CODE, "region"),
                    "side": p.choice(vocab.codes(vocab.SIDES), "side"),
                },
                order_by=("region", "side"),
                parent="entry",
                unique=(lambda loc, _: (loc.region, loc.side), "location"),
                derive=_location,
            ),
        ),
    ),
    Table(
        "flags",
        Flag,
        {
            "code": p.text(48, blank=False),
            "severity": p.choice(Flag.Severity.values, "severity"),
            "title": p.text(200),
            "explanation": p.text(100_000),
            "source": p.text(300),
            "evidence": p.list_of(p.text(64)),
            "first_detected_at": p.moment,
            "last_seen_at": p.moment,
            "status": p.choice(Flag.Status.values, "flag status"),
            "acknowledged_at": p.optional(p.moment),
            "resolved_at": p.optional(p.moment),
        },
        order_by=("first_detected_at", "code", "id"),
        # The database allows one active flag per code; say which one breaks that.
        unique=(lambda flag, i: flag.code if flag.status == "active" else i, "active code"),
        children=(
            Table(
                "deliveries",
                AlertDelivery,
                {
                    "recipient": p.address(),
                    "status": p.choice(AlertDelivery.Status.values, "delivery status"),
                    "attempts": p.number(0, 32767),
                    "last_error": p.text(500),
                    "created_at": p.moment,
                    "next_attempt_at": p.moment,
                    "sent_at": p.optional(p.moment),
                },
                order_by=("recipient",),
                parent="flag",
                unique=(lambda delivery, _: delivery.recipient, "recipient"),
            ),
        ),
    ),
    Table(
        "share_links",
        ShareLink,
        {
            "label": p.text(120),
            "token_hash": p.token_hash,
            "period_start": p.day,
            "period_end": p.day,
            "created_at": p.moment,
            "expires_at": p.moment,
            "revoked_at": p.optional(p.moment),
            "view_count": p.number(0, 2**31 - 1),
            "last_viewed_at": p.optional(p.moment),
        },
        order_by=("created_at", "token_hash"),
        unique=(lambda link, _: link.token_hash, "token hash"),
        children=(
            Table(
                "views",
                ShareView,
                {"viewed_at": p.moment, "user_agent": p.text(300)},
                order_by=("viewed_at", "id"),
                parent="link",
            ),
        ),
    ),
    Table(
        "security_events",
        SecurityEvent,
        {
            "kind": p.choice(SecurityEvent.Kind.values, "security event kind"),
            "at": p.moment,
            "ip": p.optional(p.ip),
            "user_agent": p.text(300),
            "detail": p.text(300),
        },
        order_by=("at", "id"),
    ),
    Table(
        "treatments",
        TreatmentEvent,
        {
            "kind": p.choice(vocab.codes(terms.TREATMENT_KINDS), "treatment kind"),
            "name": p.text(terms.TREATMENT_NAME_MAX, blank=False),
            "started_on": p.day,
            "notes": p.text(terms.TREATMENT_NOTES_MAX),
            "created_at": p.moment,
            "updated_at": p.moment,
        },
        order_by=("started_on", "created_at", "id"),
        since=2,
    ),
    Table(
        "checkins",
        CheckIn,
        {
            "week_of": p.monday,
            **{code: p.number(terms.ITEM_MIN, terms.ITEM_MAX) for code in terms.CHECKIN_ITEM_CODES},
            "global_change": p.choice(vocab.codes(terms.GLOBAL_CHANGES), "global change"),
            "created_at": p.moment,
            "updated_at": p.moment,
        },
        order_by=("week_of",),
        # The database allows one check-in per week; say which week comes twice.
        unique=(lambda checkin, _: checkin.week_of.isoformat(), "week"),
        since=2,
    ),
)


def tables_of(version: int) -> tuple[Table, ...]:
    """The tables a document of this format version holds."""
    return tuple(table for table in TABLES if table.since <= version)


def user_fields_of(version: int) -> dict[str, p.Parser]:
    """The account fields a document of this format version holds."""
    return {name: parse for name, parse in USER.items() if USER_SINCE.get(name, 1) <= version}
