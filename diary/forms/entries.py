"""The web logging form: raw POST values in, EntrySerializer validation, template state out.

The form keeps what the patient sent as plain strings so a validation error re-renders
everything they chose; the API's EntrySerializer does all the validating, so web and API
entries obey the same rules.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

from django.http import QueryDict
from django.utils import timezone

from diary import bodymap
from diary import vocabulary as vocab
from diary.api.serializers import NOTES_MAX, PAST_LIMIT, EntrySerializer
from diary.forms import when as when_rules
from diary.models import Entry, User
from diary.services.entries import EntryInput

DATETIME_LOCAL = "%Y-%m-%dT%H:%M"
SIDE_LABELS: dict[str, str] = {s.code: s.label for s in vocab.SIDES}
INTENSITIES = range(11)
# Word anchors of the 0–10 scale: (lowest value, band code, word).
INTENSITY_BANDS: tuple[tuple[int, str, str], ...] = (
    (0, "none", "none"),
    (1, "mild", "mild"),
    (4, "moderate", "moderate"),
    (7, "severe", "severe"),
    (10, "worst", "worst imaginable"),
)
FIELD_LABELS: dict[str, str] = {
    "locations": "Where it hurts",
    "pain_types": "What it feels like",
    "intensity": "How strong",
    "activity": "What you were doing",
    "timing": "Time of day",
    "occurred_at": "When",
    "red_flags": "Warning signs",
    "context": "Context",
    "notes": "Notes",
    "form": "This entry",
}
# Friendlier words for the serializer's generic messages, by field and error code.
FRIENDLY_ERRORS: dict[tuple[str, str], str] = {
    ("intensity", "required"): "Choose how strong it is, from 0 (none) to 10 (worst).",
    ("intensity", "invalid"): "Choose how strong it is, from 0 (none) to 10 (worst).",
    ("intensity", "null"): "Choose how strong it is, from 0 (none) to 10 (worst).",
    ("notes", "max_length"): f"Notes can be at most {NOTES_MAX:,} characters; please shorten them.",
}


def intensity_band(value: int) -> tuple[str, str]:
    """The (band code, word) of a 0–10 intensity, e.g. (“moderate”, “moderate”) for 5."""
    code, word = INTENSITY_BANDS[0][1:]
    for lowest, band, label in INTENSITY_BANDS:
        if value >= lowest:
            code, word = band, label
    return code, word


@dataclass
class Option:
    """One checkbox or radio button as the templates render it."""

    name: str
    value: str
    label: str
    checked: bool = False
    extra: dict[str, Any] = field(default_factory=dict)

    @property
    def id(self) -> str:
        return f"{self.name}-{self.value or 'none'}".replace(":", "-").replace("_", "-")


@dataclass
class Values:
    """What the form shows: submitted, stored or default values, all as strings."""

    locations: list[str] = field(default_factory=list)
    pain_types: list[str] = field(default_factory=list)
    intensity: str = ""
    activity: str = ""
    timing: str = ""
    red_flags: list[str] = field(default_factory=list)
    context: list[str] = field(default_factory=list)
    notes: str = ""
    when: str = "now"
    when_time: str = ""
    occurred_at: str = ""


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


class EntryForm:
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
            self.values.when = when_rules.ANOTHER_DAY

    @property
    def _local_now(self) -> datetime:
        return self.now.astimezone(self.user.zone)

    # -- validation -------------------------------------------------------------------

    def _occurred_at(self) -> str | None:
        """The chosen time as ISO text in the patient's zone; None means "now"."""
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
        return chosen.occurred_at.isoformat() if chosen.occurred_at else None

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
        # No `timing` from the page: the service derives it from `occurred_at` in the
        # patient's zone, so the stored time of day always matches the time shown.
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

    # -- template state ---------------------------------------------------------------

    @property
    def error_summary(self) -> list[dict[str, str]]:
        return [
            {"anchor": f"field-{name}", "label": FIELD_LABELS[name], "message": message}
            for name, messages in self.errors.items()
            for message in messages
        ]

    @property
    def bodymap_views(self) -> list[dict[str, Any]]:
        """Each drawing with its SVG and its checkboxes, one row per region."""
        chosen = set(self.values.locations)
        views = []
        for code, view in bodymap.VIEWS.items():
            rows: dict[str, list[Option]] = {}
            for region, side in bodymap.view_locations(code):
                value = bodymap.location_code(region, side)
                rows.setdefault(region, []).append(
                    Option(
                        "locations",
                        value,
                        bodymap.location_label(region, side),
                        value in chosen,
                        {"side": side, "side_label": SIDE_LABELS[side]},
                    )
                )
            views.append(
                {
                    "code": code,
                    "label": view.label,
                    "hint": view.hint,
                    "svg": bodymap.bodymap_svg(code, selected=chosen, interactive=True),
                    "rows": [
                        {"label": vocab.REGION_BY_CODE[region].label, "options": options}
                        for region, options in rows.items()
                    ],
                    "open": any(o.checked for options in rows.values() for o in options),
                }
            )
        return views

    @property
    def other_locations(self) -> list[Option]:
        """Chosen locations no drawing offers (side "both" from the API), so editing keeps them."""
        drawn = {bodymap.location_code(*pair) for pair in bodymap.all_locations()}
        options = []
        for value in self.values.locations:
            region, _, side = value.partition(":")
            known = region in vocab.REGION_BY_CODE and side in vocab.codes(vocab.SIDES)
            if value not in drawn and known:
                options.append(
                    Option("locations", value, bodymap.location_label(region, side), True)
                )
        return options

    @property
    def pain_groups(self) -> list[dict[str, Any]]:
        chosen = set(self.values.pain_types)
        return [
            {
                "code": group,
                "label": label,
                "options": [
                    Option("pain_types", p.code, p.label, p.code in chosen)
                    for p in vocab.PAIN_TYPES
                    if p.group == group
                ],
            }
            for group, label in vocab.PAIN_TYPE_GROUP_LABELS.items()
        ]

    @property
    def intensity_options(self) -> list[Option]:
        options = []
        for value in INTENSITIES:
            band, word = intensity_band(value)
            options.append(
                Option(
                    "intensity",
                    str(value),
                    str(value),
                    self.values.intensity == str(value),
                    {"band": band, "word": word},
                )
            )
        return options

    @property
    def intensity_legend(self) -> list[dict[str, str]]:
        legend = []
        for index, (lowest, band, word) in enumerate(INTENSITY_BANDS):
            upper = INTENSITY_BANDS[index + 1][0] - 1 if index + 1 < len(INTENSITY_BANDS) else 10
            span = str(lowest) if upper == lowest else f"{lowest}–{upper}"
            legend.append({"band": band, "span": span, "word": word})
        return legend

    @property
    def activity_options(self) -> list[Option]:
        chosen = self.values.activity
        return [
            *(Option("activity", a.code, a.label, chosen == a.code) for a in vocab.ACTIVITIES),
            # Never pre-chosen: an empty activity is also what "nothing picked" sends.
            Option("activity", "", "Not sure"),
        ]

    @property
    def red_flag_options(self) -> list[Option]:
        chosen = set(self.values.red_flags)
        return [
            Option("red_flags", f.code, f.question, f.code in chosen, {"severity": f.severity})
            for f in vocab.RED_FLAGS
        ]

    @property
    def context_options(self) -> list[Option]:
        chosen = set(self.values.context)
        return [Option("context", t.code, t.label, t.code in chosen) for t in vocab.CONTEXT_TAGS]

    @property
    def when_options(self) -> list[Option]:
        chosen = when_rules.normalise(self.values.when)
        return [
            Option("when", code, label, chosen == code) for code, label in when_rules.WHEN_CHOICES
        ]

    @property
    def when_summary(self) -> str:
        """“Today 21:30 · Evening” for the chosen time; empty while it cannot be read."""
        try:
            chosen = when_rules.resolve_when(
                choice=self.values.when,
                at_time=self.values.when_time,
                at_datetime=self.values.occurred_at,
                now=self.now,
                zone=self.user.zone,
            )
        except when_rules.WhenError:
            return ""
        return when_rules.describe(
            chosen.occurred_at or self.now, zone=self.user.zone, now=self.now
        )

    @property
    def occurred_at_bounds(self) -> tuple[str, str]:
        """(min, max) for the datetime-local input, as the serializer will accept them."""
        local_now = self._local_now
        earliest = local_now - PAST_LIMIT + timedelta(days=1)
        return earliest.strftime(DATETIME_LOCAL), local_now.strftime(DATETIME_LOCAL)

    @property
    def show_emergency(self) -> bool:
        return bool(set(self.values.red_flags) & vocab.EMERGENCY_RED_FLAGS)

    @property
    def show_urgent(self) -> bool:
        return bool(set(self.values.red_flags) & vocab.MOTOR_RED_FLAGS)

    @property
    def details_open(self) -> bool:
        """Open the optional section when it holds something or an error."""
        values = self.values
        return bool(values.context or values.notes or {"context", "notes"} & self.errors.keys())

    @property
    def notes_max(self) -> int:
        return NOTES_MAX
