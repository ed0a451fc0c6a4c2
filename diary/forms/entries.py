"""The web logging form: raw POST values in, EntrySerializer validation, template state out.

The form keeps what the patient sent as plain strings so a validation error re-renders
everything they chose; the API's EntrySerializer does all the validating, so web and API
entries obey the same rules.
"""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Any

from django.http import QueryDict
from django.utils import timezone

from diary import bodymap
from diary import vocabulary as vocab
from diary.api.serializers import NOTES_MAX, EntrySerializer
from diary.forms.entry_display import (
    DATETIME_LOCAL,
    FIELD_LABELS,
    EntryFormDisplay,
    Values,
)
from diary.models import Entry, User
from diary.services.entries import EntryInput

# Friendlier words for the serializer's generic messages, by field and error code.
FRIENDLY_ERRORS: dict[tuple[str, str], str] = {
    ("intensity", "required"): "Choose how strong it is, from 0 (none) to 10 (worst).",
    ("intensity", "invalid"): "Choose how strong it is, from 0 (none) to 10 (worst).",
    ("intensity", "null"): "Choose how strong it is, from 0 (none) to 10 (worst).",
    ("notes", "max_length"): f"Notes can be at most {NOTES_MAX:,} characters; please shorten them.",
}


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
        values.when = "earlier"
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
        when=data.get("when", "now"),
        occurred_at=data.get("occurred_at", "").strip(),
    )


def _flatten(errors: Any) -> list[str]:
    """Messages of a DRF error tree (lists, dicts by index or by nested field) as plain text."""
    if isinstance(errors, dict):
        return [message for value in errors.values() for message in _flatten(value)]
    if isinstance(errors, list | tuple):
        return [message for value in errors for message in _flatten(value)]
    return [str(errors)]


def _friendly(name: str, errors: Any) -> list[str]:
    items = errors if isinstance(errors, list) else [errors]
    messages: list[str] = []
    for item in items:
        code = getattr(item, "code", "")
        friendly = FRIENDLY_ERRORS.get((name, code))
        for message in [friendly] if friendly else _flatten(item):
            if message not in messages:
                messages.append(message)
    return messages


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
        self._serializer: EntrySerializer | None = None
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
            self.values.when = "earlier"

    # -- validation -------------------------------------------------------------------

    def _occurred_at(self) -> str | None:
        """The chosen time as ISO text in the patient's zone; None means "now"."""
        if self.values.when != "earlier":
            return None
        raw = self.values.occurred_at
        try:
            naive = datetime.strptime(raw[:16], DATETIME_LOCAL)  # noqa: DTZ007 - zone set below
        except ValueError:
            self.errors["occurred_at"] = ["Enter the date and time it happened, or choose “Now”."]
            return None
        return naive.replace(tzinfo=self.user.zone).isoformat()

    def _payload(self) -> dict[str, Any]:
        values = self.values
        payload: dict[str, Any] = {
            "locations": [
                dict(zip(("region", "side"), code.partition(":")[::2], strict=True))
                for code in values.locations
            ],
            "pain_types": values.pain_types,
            "activity": values.activity,
            "red_flags": values.red_flags,
            "context": values.context,
            "notes": values.notes,
        }
        if values.intensity:
            payload["intensity"] = values.intensity
        if values.timing:
            payload["timing"] = values.timing
        if self.entry_id:
            payload["id"] = self.entry_id
        occurred_at = self._occurred_at()
        if occurred_at:
            payload["occurred_at"] = occurred_at
        return payload

    def is_valid(self) -> bool:
        """Validate with the API's EntrySerializer; errors are kept by field name."""
        payload = self._payload()
        serializer = EntrySerializer(
            instance=self.instance, data=payload, context={"zone": self.user.zone}
        )
        if not serializer.is_valid():
            for name, errors in serializer.errors.items():
                if name == "id":
                    # A hidden field the patient cannot fix: start over with a fresh one.
                    self.renew_id("Something went wrong with this form; please save again.")
                    continue
                key = name if name in FIELD_LABELS else "form"
                self.errors.setdefault(key, [])
                for message in _friendly(name, errors):
                    if message not in self.errors[key]:
                        self.errors[key].append(message)
        self._serializer = serializer
        return not self.errors

    def entry_input(self) -> EntryInput:
        """The validated entry for the services; call after is_valid()."""
        assert self._serializer is not None
        return self._serializer.to_entry_input()

    @property
    def entry_uuid(self) -> uuid.UUID | None:
        return uuid.UUID(self.entry_id) if self.entry_id else None

    def renew_id(self, message: str) -> None:
        """Give the form a fresh client id (the old one was unusable) and say why."""
        self.entry_id = str(uuid.uuid4())
        self.errors.setdefault("form", []).append(message)
