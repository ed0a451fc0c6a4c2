"""Parsers of the export document: each checks one JSON value and returns the model value."""

from __future__ import annotations

import uuid
import zoneinfo
from collections.abc import Callable, Hashable, Iterable, Sequence
from datetime import date, datetime, time
from typing import Any

from django.core.exceptions import ValidationError
from django.core.validators import EmailValidator, validate_ipv46_address

from diary import vocabulary as vocab

Parser = Callable[[object, str], Any]


class PortabilityError(ValueError):
    """The document cannot be imported; the message says where and why."""


class AccountExists(PortabilityError):
    """An account with the document's e-mail exists and replacing it was not asked for."""


def fail(path: str, message: str) -> PortabilityError:
    return PortabilityError(f"{path}: {message}")


def as_list(value: object, path: str) -> list[Any]:
    if not isinstance(value, list):
        raise fail(path, "expected a list")
    return value


def items(value: object, path: str) -> list[tuple[str, Any]]:
    """The (path, item) pairs of a JSON list, each path naming its index."""
    return [(f"{path}[{i}]", item) for i, item in enumerate(as_list(value, path))]


def no_repeats(keys: Sequence[Hashable], path: str, what: str) -> None:
    seen: set[Hashable] = set()
    for i, key in enumerate(keys):
        if key in seen:
            raise fail(f"{path}[{i}]", f"repeats the {what} {key!r}")
        seen.add(key)


def parse_object(value: object, path: str, spec: dict[str, Parser], *nested: str) -> dict[str, Any]:
    """The fields of one JSON object by `spec`; `nested` names keys read by the caller."""
    if not isinstance(value, dict):
        raise fail(path, "expected an object")
    if missing := [name for name in (*spec, *nested) if name not in value]:
        raise fail(path, f"missing field {', '.join(missing)}")
    if unknown := sorted(set(value) - {*spec, *nested}):
        raise fail(path, f"unknown field {', '.join(unknown)}")
    return {name: parse(value[name], f"{path}.{name}") for name, parse in spec.items()}


def text(max_length: int, *, blank: bool = True) -> Parser:
    def parse(value: object, path: str) -> str:
        if not isinstance(value, str):
            raise fail(path, "expected a string")
        if not blank and not value.strip():
            raise fail(path, "must not be empty")
        if len(value) > max_length:
            raise fail(path, f"longer than {max_length} characters")
        return value

    return parse


def number(low: int, high: int) -> Parser:
    def parse(value: object, path: str) -> int:
        if isinstance(value, bool) or not isinstance(value, int) or not low <= value <= high:
            raise fail(path, f"expected a whole number from {low} to {high}")
        return value

    return parse


def boolean(value: object, path: str) -> bool:
    if not isinstance(value, bool):
        raise fail(path, "expected true or false")
    return value


def _iso(kind: type[datetime] | type[date] | type[time], name: str) -> Parser:
    def parse(value: object, path: str) -> Any:
        try:
            parsed = kind.fromisoformat(value)  # type: ignore[arg-type]
        except (TypeError, ValueError):
            raise fail(path, f"{value!r} is not an ISO 8601 {name}") from None
        if isinstance(parsed, datetime) and parsed.utcoffset() is None:
            raise fail(path, f"{value!r} has no UTC offset")
        return parsed

    return parse


moment, day, clock = _iso(datetime, "date-time"), _iso(date, "date"), _iso(time, "time")


def monday(value: object, path: str) -> date:
    parsed = day(value, path)
    if parsed.weekday() != 0:
        raise fail(path, f"{value!r} is not a Monday")
    return parsed


def optional(parse: Parser) -> Parser:
    return lambda value, path: None if value is None else parse(value, path)


def address(*, blank: bool = False) -> Parser:
    def parse(value: object, path: str) -> str:
        checked = text(254, blank=blank)(value, path)
        try:
            if checked:
                EmailValidator()(checked)
        except ValidationError:
            raise fail(path, f"{checked!r} is not an e-mail address") from None
        return checked

    return parse


def zone(value: object, path: str) -> str:
    if not isinstance(value, str) or value not in zoneinfo.available_timezones():
        raise fail(path, f"unknown time zone {value!r}")
    return value


def choice(allowed: Iterable[str], what: str, *, blank: bool = False) -> Parser:
    allowed = frozenset(allowed) | ({""} if blank else set())

    def parse(value: object, path: str) -> str:
        if not isinstance(value, str) or value not in allowed:
            raise fail(path, f"unknown {what} code {value!r}")
        return value

    return parse


def list_of(parse_item: Parser, *, unique: str = "") -> Parser:
    def parse(value: object, path: str) -> list[Any]:
        parsed = [parse_item(v, f"{path}[{i}]") for i, v in enumerate(as_list(value, path))]
        if unique:
            no_repeats(parsed, path, unique)
        return parsed

    return parse


def codes(terms: tuple[vocab.Term, ...], what: str) -> Parser:
    return list_of(choice(vocab.codes(terms), what), unique=f"{what} code")


def moments_by_code(allowed: Iterable[str], what: str) -> Parser:
    """A JSON object of {code: ISO date-time}; the times stay strings, as the model keeps them."""
    check_code = choice(allowed, what)

    def parse(value: object, path: str) -> dict[str, str]:
        if not isinstance(value, dict):
            raise fail(path, "expected an object")
        for code, when in value.items():
            check_code(code, path)
            moment(when, f"{path}.{code}")
        return dict(value)

    return parse


def uuid_value(value: object, path: str) -> uuid.UUID:
    try:
        return uuid.UUID(value)  # type: ignore[arg-type]
    except (TypeError, ValueError, AttributeError):
        raise fail(path, f"{value!r} is not a UUID") from None


def token_hash(value: object, path: str) -> str:
    if not isinstance(value, str) or len(value) != 64 or set(value) - set("0123456789abcdef"):
        raise fail(path, "expected 64 lower-case hex digits (a SHA-256)")
    return value


def ip(value: object, path: str) -> str:
    try:
        validate_ipv46_address(value)
    except (ValidationError, TypeError, ValueError):
        raise fail(path, f"{value!r} is not an IP address") from None
    return value  # type: ignore[return-value]
