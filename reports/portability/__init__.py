"""Backups and portability: one patient's whole account as one JSON document, and back.

The document keeps entry UUIDs (clients and flag evidence refer to them) and every timestamp,
and leaves out the other primary keys: an import gives those rows new ones. Share links live
in `reports`, which `diary` must not import, so their models come from the app registry.
"""

from __future__ import annotations

import uuid
import zoneinfo
from collections.abc import Callable, Hashable, Iterable, Sequence
from dataclasses import dataclass
from datetime import date, datetime, time
from typing import Any

from django.apps import apps
from django.core.exceptions import ValidationError
from django.core.validators import EmailValidator, validate_ipv46_address
from django.db import IntegrityError, models, transaction
from django.utils import timezone

from diary import vocabulary as vocab
from diary.models import AlertDelivery, Contact, Entry, EntryLocation, Flag, SecurityEvent, User
from diary.services.accounts import user_erase

FORMAT = "sciatica-diary/user-export"
FORMAT_VERSION = 1
SECTIONS = ("contacts", "entries", "flags", "share_links", "security_events")

Parser = Callable[[object, str], Any]


class PortabilityError(ValueError):
    """The document cannot be imported; the message says where and why."""


class AccountExists(PortabilityError):
    """An account with the document's e-mail exists and replacing it was not asked for."""


# --- parsers: each checks one JSON value and returns the model value ------------------------


def _fail(path: str, message: str) -> PortabilityError:
    return PortabilityError(f"{path}: {message}")


def _list(value: object, path: str) -> list[Any]:
    if not isinstance(value, list):
        raise _fail(path, "expected a list")
    return value


def _text(max_length: int, *, blank: bool = True) -> Parser:
    def parse(value: object, path: str) -> str:
        if not isinstance(value, str):
            raise _fail(path, "expected a string")
        if not blank and not value.strip():
            raise _fail(path, "must not be empty")
        if len(value) > max_length:
            raise _fail(path, f"longer than {max_length} characters")
        return value

    return parse


def _number(low: int, high: int) -> Parser:
    def parse(value: object, path: str) -> int:
        if isinstance(value, bool) or not isinstance(value, int) or not low <= value <= high:
            raise _fail(path, f"expected a whole number from {low} to {high}")
        return value

    return parse


def _boolean(value: object, path: str) -> bool:
    if not isinstance(value, bool):
        raise _fail(path, "expected true or false")
    return value


def _iso(kind: type[datetime] | type[date] | type[time], name: str) -> Parser:
    def parse(value: object, path: str) -> Any:
        try:
            parsed = kind.fromisoformat(value)  # type: ignore[arg-type]
        except (TypeError, ValueError):
            raise _fail(path, f"{value!r} is not an ISO 8601 {name}") from None
        if isinstance(parsed, datetime) and parsed.utcoffset() is None:
            raise _fail(path, f"{value!r} has no UTC offset")
        return parsed

    return parse


_moment, _day, _clock = _iso(datetime, "date-time"), _iso(date, "date"), _iso(time, "time")


def _optional(parse: Parser) -> Parser:
    return lambda value, path: None if value is None else parse(value, path)


def _address(*, blank: bool = False) -> Parser:
    def parse(value: object, path: str) -> str:
        text = _text(254, blank=blank)(value, path)
        try:
            if text:
                EmailValidator()(text)
        except ValidationError:
            raise _fail(path, f"{text!r} is not an e-mail address") from None
        return text

    return parse


def _zone(value: object, path: str) -> str:
    if not isinstance(value, str) or value not in zoneinfo.available_timezones():
        raise _fail(path, f"unknown time zone {value!r}")
    return value


def _choice(allowed: Iterable[str], what: str, *, blank: bool = False) -> Parser:
    allowed = frozenset(allowed) | ({""} if blank else set())

    def parse(value: object, path: str) -> str:
        if not isinstance(value, str) or value not in allowed:
            raise _fail(path, f"unknown {what} code {value!r}")
        return value

    return parse


def _list_of(parse_item: Parser, *, unique: str = "") -> Parser:
    def parse(value: object, path: str) -> list[Any]:
        items = [parse_item(v, f"{path}[{i}]") for i, v in enumerate(_list(value, path))]
        if unique:
            _no_repeats(items, path, unique)
        return items

    return parse


def _codes(terms: tuple[vocab.Term, ...], what: str) -> Parser:
    return _list_of(_choice(vocab.codes(terms), what), unique=f"{what} code")


def _entry_id(value: object, path: str) -> uuid.UUID:
    try:
        return uuid.UUID(value)  # type: ignore[arg-type]
    except (TypeError, ValueError, AttributeError):
        raise _fail(path, f"{value!r} is not a UUID") from None


def _token_hash(value: object, path: str) -> str:
    if not isinstance(value, str) or len(value) != 64 or set(value) - set("0123456789abcdef"):
        raise _fail(path, "expected 64 lower-case hex digits (a SHA-256)")
    return value


def _ip(value: object, path: str) -> str:
    try:
        validate_ipv46_address(value)
    except (ValidationError, TypeError, ValueError):
        raise _fail(path, f"{value!r} is not an IP address") from None
    return value  # type: ignore[return-value]


def _no_repeats(keys: Sequence[Hashable], path: str, what: str) -> None:
    seen: set[Hashable] = set()
    for i, key in enumerate(keys):
        if key in seen:
            raise _fail(f"{path}[{i}]", f"repeats the {what} {key!r}")
        seen.add(key)


# --- what the document holds: field name -> parser, in document order ------------------------

USER = {
    "email": _address(),
    "password": _text(128, blank=False),  # the hash, so the restored account keeps its password
    "timezone": _zone,
    "alert_email": _address(blank=True),
    "reminder_time": _optional(_clock),
    "date_joined": _moment,
    "last_login": _optional(_moment),
    "is_active": _boolean,
    "entries_changed_at": _optional(_moment),
    "scanned_at": _optional(_moment),
}
CONTACT = {
    "name": _text(120, blank=False),
    "email": _address(),
    "receive_alerts": _boolean,
    "created_at": _moment,
}
ENTRY = {
    "id": _entry_id,
    "occurred_at": _moment,
    "local_date": _day,
    "timezone": _zone,
    "timing": _choice(vocab.codes(vocab.TIMINGS), "timing"),
    "intensity": _number(0, 10),
    "pain_types": _codes(vocab.PAIN_TYPES, "pain type"),
    "activity": _choice(vocab.codes(vocab.ACTIVITIES), "activity", blank=True),
    "red_flags": _codes(vocab.RED_FLAGS, "red flag"),
    "context": _codes(vocab.CONTEXT_TAGS, "context"),
    "notes": _text(2000),
    "created_at": _moment,
    "updated_at": _moment,
}
LOCATION = {
    "region": _choice(vocab.REGION_BY_CODE, "region"),
    "side": _choice(vocab.codes(vocab.SIDES), "side"),
}
FLAG = {
    "code": _text(48, blank=False),
    "severity": _choice(Flag.Severity.values, "severity"),
    "title": _text(200),
    "explanation": _text(100_000),
    "source": _text(300),
    "evidence": _list_of(_text(64)),
    "first_detected_at": _moment,
    "last_seen_at": _moment,
    "status": _choice(Flag.Status.values, "flag status"),
    "acknowledged_at": _optional(_moment),
    "resolved_at": _optional(_moment),
}
DELIVERY = {
    "recipient": _address(),
    "status": _choice(AlertDelivery.Status.values, "delivery status"),
    "attempts": _number(0, 32767),
    "last_error": _text(500),
    "created_at": _moment,
    "next_attempt_at": _moment,
    "sent_at": _optional(_moment),
}
SHARE_LINK = {
    "label": _text(120),
    "token_hash": _token_hash,
    "period_start": _day,
    "period_end": _day,
    "created_at": _moment,
    "expires_at": _moment,
    "revoked_at": _optional(_moment),
    "view_count": _number(0, 2**31 - 1),
    "last_viewed_at": _optional(_moment),
}
SHARE_VIEW = {"viewed_at": _moment, "user_agent": _text(300)}
SECURITY_EVENT = {
    "kind": _choice(SecurityEvent.Kind.values, "security event kind"),
    "at": _moment,
    "ip": _optional(_ip),
    "user_agent": _text(300),
    "detail": _text(300),
}


# --- export ------------------------------------------------------------------------------------


def _plain(value: object) -> object:
    if isinstance(value, datetime | date | time):
        return value.isoformat()
    if isinstance(value, uuid.UUID):
        return str(value)
    return value


def _row(obj: models.Model, spec: dict[str, Parser]) -> dict[str, Any]:
    return {name: _plain(getattr(obj, name)) for name in spec}


def user_export(*, user: User) -> dict[str, Any]:
    """Every row that belongs to the patient, as a JSON-ready document of FORMAT_VERSION."""
    share_link = apps.get_model("reports", "ShareLink")
    share_view = apps.get_model("reports", "ShareView")
    # Ordered by values the document keeps, so an export of a restore matches the original.
    entries = Entry.objects.filter(user=user).order_by("occurred_at", "created_at", "id")
    entries = entries.prefetch_related(
        models.Prefetch("locations", EntryLocation.objects.order_by("region", "side"))
    )
    flags = Flag.objects.filter(user=user).order_by("first_detected_at", "code", "id")
    flags = flags.prefetch_related(
        models.Prefetch("deliveries", AlertDelivery.objects.order_by("recipient"))
    )
    links = share_link.objects.filter(user=user).order_by("created_at", "token_hash")
    links = links.prefetch_related(
        models.Prefetch("views", share_view.objects.order_by("viewed_at", "id"))
    )
    contacts = Contact.objects.filter(user=user).order_by("email")
    events = SecurityEvent.objects.filter(user=user).order_by("at", "id")
    return {
        "format": FORMAT,
        "version": FORMAT_VERSION,
        "exported_at": timezone.now().isoformat(),
        "user": _row(user, USER),
        "contacts": [_row(contact, CONTACT) for contact in contacts],
        "entries": [
            _row(entry, ENTRY)
            | {"locations": [_row(loc, LOCATION) for loc in entry.locations.all()]}
            for entry in entries
        ],
        "flags": [
            _row(flag, FLAG) | {"deliveries": [_row(d, DELIVERY) for d in flag.deliveries.all()]}
            for flag in flags
        ],
        "share_links": [
            _row(link, SHARE_LINK) | {"views": [_row(v, SHARE_VIEW) for v in link.views.all()]}
            for link in links
        ],
        "security_events": [_row(event, SECURITY_EVENT) for event in events],
    }


# --- import ------------------------------------------------------------------------------------


@dataclass
class _Restore:
    """Everything a document describes, checked and unsaved, not yet tied to a user."""

    user: User
    contacts: list[Contact]
    entries: list[Entry]
    locations: list[EntryLocation]
    flags: list[tuple[Flag, list[AlertDelivery]]]
    links: list[tuple[models.Model, list[models.Model]]]
    events: list[SecurityEvent]


def _parse(value: object, path: str, spec: dict[str, Parser], *nested: str) -> dict[str, Any]:
    if not isinstance(value, dict):
        raise _fail(path, "expected an object")
    if missing := [name for name in (*spec, *nested) if name not in value]:
        raise _fail(path, f"missing field {', '.join(missing)}")
    if unknown := sorted(set(value) - {*spec, *nested}):
        raise _fail(path, f"unknown field {', '.join(unknown)}")
    return {name: parse(value[name], f"{path}.{name}") for name, parse in spec.items()}


def _items(value: object, path: str) -> list[tuple[str, Any]]:
    return [(f"{path}[{i}]", item) for i, item in enumerate(_list(value, path))]


def _read_entry(row: object, path: str) -> tuple[Entry, list[EntryLocation]]:
    entry = Entry(**_parse(row, path, ENTRY, "locations"))
    locations = []
    for where, item in _items(row["locations"], f"{path}.locations"):  # type: ignore[index]
        fields = _parse(item, where, LOCATION)
        if not vocab.side_allowed(fields["region"], fields["side"]):
            raise _fail(where, f"side 'center' is only for {sorted(vocab.CENTER_REGIONS)}")
        level = vocab.region_level(fields["region"])
        locations.append(
            EntryLocation(entry=entry, local_date=entry.local_date, level=level, **fields)
        )
    _no_repeats([(loc.region, loc.side) for loc in locations], f"{path}.locations", "location")
    return entry, locations


def _read_flag(row: object, path: str) -> tuple[Flag, list[AlertDelivery]]:
    flag = Flag(**_parse(row, path, FLAG, "deliveries"))
    deliveries = [
        AlertDelivery(flag=flag, **_parse(item, where, DELIVERY))
        for where, item in _items(row["deliveries"], f"{path}.deliveries")  # type: ignore[index]
    ]
    _no_repeats([d.recipient for d in deliveries], f"{path}.deliveries", "recipient")
    return flag, deliveries


def _read_link(row: object, path: str) -> tuple[models.Model, list[models.Model]]:
    share_link = apps.get_model("reports", "ShareLink")
    share_view = apps.get_model("reports", "ShareView")
    link = share_link(**_parse(row, path, SHARE_LINK, "views"))
    views = [
        share_view(link=link, **_parse(item, where, SHARE_VIEW))
        for where, item in _items(row["views"], f"{path}.views")  # type: ignore[index]
    ]
    return link, views


def _read(document: object) -> _Restore:
    """Check the whole document before anything is written; raises PortabilityError."""
    if not isinstance(document, dict):
        raise PortabilityError("The document is not a JSON object.")
    if document.get("format") != FORMAT:
        raise _fail("format", f"expected {FORMAT!r}, got {document.get('format')!r}")
    if document.get("version") != FORMAT_VERSION:
        raise _fail(
            "version",
            f"unsupported format version {document.get('version')!r}; "
            f"this program reads version {FORMAT_VERSION}",
        )
    _parse(document, "document", {"exported_at": _moment}, "format", "version", "user", *SECTIONS)
    user = User(**_parse(document["user"], "user", USER))
    user.email = user.email.lower()
    contacts = [
        Contact(**_parse(r, p, CONTACT)) for p, r in _items(document["contacts"], "contacts")
    ]
    _no_repeats([c.email.lower() for c in contacts], "contacts", "e-mail")
    entries, locations = [], []
    for path, row in _items(document["entries"], "entries"):
        entry, places = _read_entry(row, path)
        entries.append(entry)
        locations += places
    _no_repeats([e.id for e in entries], "entries", "id")
    flags = [_read_flag(row, path) for path, row in _items(document["flags"], "flags")]
    # The database allows one active flag per code; say which one breaks that.
    _no_repeats(
        [f.code if f.status == "active" else i for i, (f, _) in enumerate(flags)],
        "flags",
        "active code",
    )
    links = [_read_link(row, path) for path, row in _items(document["share_links"], "share_links")]
    _no_repeats([link.token_hash for link, _ in links], "share_links", "token hash")
    events = [
        SecurityEvent(**_parse(row, path, SECURITY_EVENT))
        for path, row in _items(document["security_events"], "security_events")
    ]
    return _Restore(user, contacts, entries, locations, flags, links, events)


def _create(rows: Sequence[models.Model], auto_times: Sequence[str] = ()) -> None:
    if not rows:
        return
    manager = type(rows[0])._default_manager
    # bulk_create lets auto_now/auto_now_add overwrite the document's times; write them back.
    kept = [[getattr(row, name) for name in auto_times] for row in rows]
    manager.bulk_create(rows, batch_size=500)
    if auto_times:
        for row, values in zip(rows, kept, strict=True):
            for name, value in zip(auto_times, values, strict=True):
                setattr(row, name, value)
        manager.bulk_update(rows, list(auto_times), batch_size=500)


def user_import(*, document: dict, replace: bool = False) -> User:
    """Restore a patient from a `user_export` document in one transaction; returns the new user."""
    data = _read(document)
    user = data.user
    try:
        with transaction.atomic():
            existing = User.objects.filter(email__iexact=user.email).first()
            if existing is not None and not replace:
                raise AccountExists(
                    f"An account with the e-mail {user.email} already exists; nothing was imported."
                )
            if existing is not None:
                user_erase(user=existing)
            ids = [e.id for e in data.entries]
            if any(
                Entry.objects.filter(id__in=ids[i : i + 500]).exists()
                for i in range(0, len(ids), 500)
            ):
                raise PortabilityError(
                    "Some entry ids already belong to another account; nothing was imported."
                )
            user.save()
            for row in [*data.contacts, *data.entries, *data.locations, *data.events]:
                row.user = user
            _create(data.contacts, ["created_at"])
            _create(data.entries, ["created_at", "updated_at"])
            _create(data.locations)
            _create(data.events)
            for flag, deliveries in data.flags:
                flag.user = user
                flag.save()
                for delivery in deliveries:
                    delivery.flag = flag
            _create([d for _, deliveries in data.flags for d in deliveries], ["created_at"])
            for link, views in data.links:
                link.user = user  # type: ignore[attr-defined]
                link.save()
                for view in views:
                    view.link = link  # type: ignore[attr-defined]
            _create([v for _, views in data.links for v in views])
    except IntegrityError as exc:
        raise PortabilityError(
            f"The database refused the data; nothing was imported ({exc})."
        ) from exc
    return user
