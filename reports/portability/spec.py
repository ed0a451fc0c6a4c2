"""What the export document holds: the account's fields, then one `Table` per kind of row.

Adding a table to backups is one more `Table` in `TABLES`: export and restore walk this list
and know nothing of any one table. A table or account field added after version 1 names the
version that brought it (`since`, `USER_SINCE`): a document of an older version has none of
them, and the restore reads that as an empty table, or the field's default (a new `public_id`).

A field added to a table after version 1 is listed in its table's `fields_since`: a document of an
older version does not have it and the row keeps the model's default.

Version 2 added the account's `public_id` (the stable id the FHIR export names the patient
by), `role` and `display_name`; `treatments` and `checkins`; each contact's `notice_sent_to`
and `alerts_stopped_at`; each entry's `alert_signs_at`;
each flag's `clinician_explanation`; and `follows`, the clinicians following the patient,
restored only where that clinician's account is on the server (see `FOLLOW` and
docs/decisions.md). Invitations are never in the document: their tokens are one-time.
"""

from __future__ import annotations

from collections.abc import Callable, Hashable
from dataclasses import dataclass, field
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
    User,
)
from diary.rules.signs import ALERT_CODES
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
    # Fields added after the table itself, by the format version that brought each.
    fields_since: dict[str, int] = field(default_factory=dict)

    def fields_of(self, version: int) -> dict[str, p.Parser]:
        """The fields a row of this table holds in a document of this format version."""
        return {n: v for n, v in self.fields.items() if self.fields_since.get(n, 1) <= version}


def _location(fields: dict[str, Any], entry: models.Model, path: str) -> dict[str, Any]:
    if not vocab.side_allowed(fields["region"], fields["side"]):
        raise p.fail(path, f"side 'center' is only for {sorted(vocab.CENTER_REGIONS)}")
    return {"level": vocab.region_level(fields["region"]), "local_date": entry.local_date}


USER = {
    "public_id": p.uuid_value,
    "email": p.address(),
    "role": p.choice(User.Role.values, "role"),
    "display_name": p.text(120),
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
USER_SINCE = {"public_id": 2, "role": 2, "display_name": 2}

TABLES: tuple[Table, ...] = (
    Table(
        "contacts",
        Contact,
        {
            "name": p.text(120, blank=False),
            "email": p.address(),
            "receive_alerts": p.boolean,
            # Kept so a restore neither re-sends the one-time notice nor lets the patient turn
            # back on the alerts the contact stopped.
            "notice_sent_to": p.address(blank=True),
            "alerts_stopped_at": p.optional(p.moment),
            "created_at": p.moment,
        },
        order_by=("email",),
        fields_since={"notice_sent_to": 2, "alerts_stopped_at": 2},
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
            # A version-1 entry gets none: the code then takes created_at as the save time.
            "alert_signs_at": p.moments_by_code(ALERT_CODES, "alert flag"),
            "created_at": p.moment,
            "updated_at": p.moment,
        },
        order_by=("occurred_at", "created_at", "id"),
        fields_since={"alert_signs_at": 2},
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
            "clinician_explanation": p.text(100_000),
            "source": p.text(300),
            "evidence": p.list_of(p.text(64)),
            "first_detected_at": p.moment,
            "last_seen_at": p.moment,
            "status": p.choice(Flag.Status.values, "flag status"),
            "acknowledged_at": p.optional(p.moment),
            "resolved_at": p.optional(p.moment),
        },
        order_by=("first_detected_at", "code", "id"),
        fields_since={"clinician_explanation": 2},
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

# A follow names another account, the clinician, which the server restoring the document may not
# have, or may have under the same e-mail for someone else: it is restored only to an account
# with the same public id and e-mail that is a clinician, else skipped and reported.
FOLLOW: dict[str, p.Parser] = {
    "contact_email": p.address(),  # the patient's contact the invitation went to
    "clinician_email": p.address(),
    "clinician_public_id": p.uuid_value,
    "share_notes": p.boolean,
    "created_at": p.moment,
    "ended_at": p.optional(p.moment),
}
FOLLOWS_KEY = "follows"
FOLLOWS_SINCE = 2


def tables_of(version: int) -> tuple[Table, ...]:
    """The tables a document of this format version holds."""
    return tuple(table for table in TABLES if table.since <= version)


def keys_of(version: int) -> tuple[str, ...]:
    """The document keys past the account that a document of this format version holds."""
    tables = tuple(table.key for table in tables_of(version))
    return (*tables, FOLLOWS_KEY) if version >= FOLLOWS_SINCE else tables


def user_fields_of(version: int) -> dict[str, p.Parser]:
    """The account fields a document of this format version holds."""
    return {name: parse for name, parse in USER.items() if USER_SINCE.get(name, 1) <= version}
