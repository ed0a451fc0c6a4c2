"""The web logging form: raw POST values in, the shared entry rules, template state out.

The form keeps what the patient sent as plain strings so a validation error re-renders
everything they chose. It checks them by the rules in `diary.validation`, which the API's
EntrySerializer applies too, so web and API entries obey the same rules; the template state
lives in `entry_display`.
"""

from __future__ import annotations

import re
import uuid
from collections.abc import Container, Sequence
from datetime import datetime

from django.http import QueryDict
from django.utils import timezone

from diary import bodymap, validation
from diary import vocabulary as vocab
from diary.forms import when as when_rules
from diary.forms.entry_display import (
    DATETIME_LOCAL,
    EntryFormDisplay,
    Values,
)
from diary.models import Entry, User
from diary.services.entries import EntryInput

INTENSITY_MESSAGE = "Choose how strong it is, from 0 (none) to 10 (worst)."
NOTES_MESSAGE = f"Notes can be at most {validation.NOTES_MAX:,} characters; please shorten them."
_DECIMAL_ZEROS = re.compile(r"\.0*\s*$")
_LONGEST_NUMBER = 1000  # a number's text beyond this is refused unread, as the API does
_SIDES, _TIMINGS = vocab.codes(vocab.SIDES), vocab.codes(vocab.TIMINGS)
_ACTIVITIES = vocab.codes(vocab.ACTIVITIES)


def _local_input(moment: datetime, user: User) -> str:
    return moment.astimezone(user.zone).strftime(DATETIME_LOCAL)


def values_from_entry(entry: Entry, *, user: User, with_time: bool = True) -> Values:
    """The form values of a stored entry; without time, flags and notes for "same as last time"."""
    values = Values(
        locations=[bodymap.location_code(loc.region, loc.side) for loc in entry.locations.all()],
        pain_types=list(entry.pain_types),
        intensity=str(entry.intensity),
        activity=entry.activity,
        context=list(entry.context),
    )
    if with_time:
        values.timing = entry.timing
        values.red_flags = list(entry.red_flags)
        values.notes = entry.notes
        values.when = when_rules.ANOTHER_DAY
        values.occurred_at = _local_input(entry.occurred_at, user)
    return values


def values_from_post(data: QueryDict) -> Values:
    """The submitted values, kept verbatim so nothing typed is lost on an error."""
    return Values(
        locations=data.getlist("locations"),
        pain_types=data.getlist("pain_types"),
        intensity=data.get("intensity", "").strip(),
        activity=data.get("activity", ""),
        timing=data.get("timing", ""),
        red_flags=data.getlist("red_flags"),
        context=data.getlist("context"),
        notes=data.get("notes", ""),
        when=when_rules.normalise(data.get("when", "now")),
        when_time=data.get("when_time", "").strip(),
        occurred_at=data.get("occurred_at", "").strip(),
    )


def _unknown(values: Sequence[str], allowed: Container[str]) -> list[str]:
    # Worded as the API words it, so a tampered form reads like a tampered API call.
    return [f'"{value}" is not a valid choice.' for value in values if value not in allowed]


def _code_errors(values: Sequence[str], terms: tuple[vocab.Term, ...]) -> list[str]:
    errors = _unknown(values, vocab.codes(terms))
    if not errors and validation.repeats(values):
        errors = [validation.REPEATED_CODE]
    return errors


def _intensity(raw: str) -> tuple[int | None, list[str]]:
    """The 0-10 value, read as the API reads a number ("7.0" is 7)."""
    if len(raw) > _LONGEST_NUMBER:
        return None, ["String value too large."]
    try:
        value = int(_DECIMAL_ZEROS.sub("", raw)) if raw else None
    except ValueError:
        value = None
    if value is None:
        return None, [INTENSITY_MESSAGE]
    if value > validation.INTENSITY_MAX:
        return None, [f"Ensure this value is less than or equal to {validation.INTENSITY_MAX}."]
    if value < validation.INTENSITY_MIN:
        return None, [f"Ensure this value is greater than or equal to {validation.INTENSITY_MIN}."]
    return value, []


def _locations(codes: Sequence[str]) -> tuple[list[tuple[str, str]], list[str]]:
    """("region", "side") pairs of the "region:side" checkbox values, and what is wrong."""
    pairs, errors = [], []
    for code in codes:
        region, _, side = code.partition(":")
        problems = _unknown([region], vocab.REGION_BY_CODE) + _unknown([side], _SIDES)
        if not problems and (message := validation.side_error(region, side)):
            problems = [message]
        errors += problems
        pairs.append((region, side))
    if not errors and validation.repeats(pairs):
        errors = [validation.REPEATED_LOCATION]
    return pairs, errors


def _notes_errors(notes: str) -> list[str]:
    errors = [NOTES_MESSAGE] if len(notes) > validation.NOTES_MAX else []
    return errors + (["Null characters are not allowed."] if "\x00" in notes else [])


class EntryForm(EntryFormDisplay):
    """The logging and editing form of one patient's entry."""

    def __init__(
        self,
        *,
        user: User,
        data: QueryDict | None = None,
        instance: Entry | None = None,
        initial: Values | None = None,
    ) -> None:
        self.user = user
        self.instance = instance
        self.now = timezone.now()
        self.errors: dict[str, list[str]] = {}
        self.is_bound = data is not None
        self._input: EntryInput | None = None
        if data is not None:
            self.values = values_from_post(data)
            self.entry_id = "" if instance else data.get("id", "").strip()
        elif instance is not None:
            self.values = values_from_entry(instance, user=user)
            self.entry_id = ""
        else:
            self.values = initial or Values()
            self.entry_id = str(uuid.uuid4())
        if not self.is_bound:
            self.values.timing = self.values.timing or vocab.timing_for(self._local_now)
            self.values.occurred_at = self.values.occurred_at or _local_input(self.now, user)
        if instance is not None:
            self.values.when = when_rules.ANOTHER_DAY

    # -- validation -------------------------------------------------------------------

    def _occurred_at(self) -> datetime | None:
        """The chosen time in the patient's zone; None means "now"."""
        try:
            chosen = when_rules.resolve_when(
                choice=self.values.when,
                at_time=self.values.when_time,
                at_datetime=self.values.occurred_at,
                now=self.now,
                zone=self.user.zone,
            )
        except when_rules.WhenError as error:
            self.errors["occurred_at"] = [str(error)]
            return None
        return chosen.occurred_at

    def is_valid(self) -> bool:
        """Check the values by the shared entry rules (diary.validation); errors by field name."""
        values = self.values
        occurred_at = self._occurred_at()
        intensity, intensity_errors = _intensity(values.intensity)
        locations, location_errors = _locations(values.locations)
        # In the order the API lists its fields, so both answer a bad entry alike.
        found: dict[str, list[str]] = {
            "id": [],
            "occurred_at": [],
            "intensity": intensity_errors,
            "locations": location_errors,
            "pain_types": _code_errors(values.pain_types, vocab.PAIN_TYPES),
            "activity": _unknown([values.activity] if values.activity else [], _ACTIVITIES),
            "red_flags": _code_errors(values.red_flags, vocab.RED_FLAGS),
            "context": _code_errors(values.context, vocab.CONTEXT_TAGS),
            "notes": _notes_errors(values.notes),
        }
        if self.entry_id:
            try:
                uuid.UUID(self.entry_id)
            except ValueError:
                found["id"] = ["Must be a valid UUID."]
        if occurred_at is not None:
            message = validation.occurred_at_error(occurred_at, now=timezone.now())
            found["occurred_at"] = [message] if message else []
        if not any(found.values()):
            message = validation.locations_error(intensity, locations)
            found["locations"] = [message] if message else []
        for name, messages in found.items():
            if messages and name == "id":
                # A hidden field the patient cannot fix: start over with a fresh one.
                self.renew_id("Something went wrong with this form; please save again.")
                continue
            for message in messages:
                known = self.errors.setdefault(name, [])
                if message not in known:
                    known.append(message)
        if self.errors:
            return False
        given = {"locations", "pain_types", "activity", "red_flags", "context", "notes"}
        # No `timing` from the page: the service derives it from `occurred_at` in the
        # patient's zone, so the stored time of day always matches the time shown.
        given |= {"intensity"}
        given |= ({"id"} if self.entry_id else set()) | ({"occurred_at"} if occurred_at else set())
        self._input = EntryInput(
            intensity=intensity or 0,
            occurred_at=occurred_at,
            timing=None,
            locations=tuple(locations),
            pain_types=tuple(values.pain_types),
            activity=values.activity,
            red_flags=tuple(values.red_flags),
            context=tuple(values.context),
            notes=values.notes,
            fields_given=frozenset(given),
        )
        return True

    def entry_input(self) -> EntryInput:
        """The validated entry for the services; call after is_valid()."""
        assert self._input is not None
        return self._input

    @property
    def entry_uuid(self) -> uuid.UUID | None:
        return uuid.UUID(self.entry_id) if self.entry_id else None

    def renew_id(self, message: str) -> None:
        """Give the form a fresh client id (the old one was unusable) and say why."""
        self.entry_id = str(uuid.uuid4())
        self.errors.setdefault("form", []).append(message)
