"""What the entry form shows: options, labels and the state the templates render."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

from diary import bodymap
from diary import vocabulary as vocab
from diary.forms import when as when_rules
from diary.models import User
from diary.validation import NOTES_MAX, PAST_LIMIT

DATETIME_LOCAL = "%Y-%m-%dT%H:%M"
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


class EntryFormDisplay:
    """The template state of the entry form: options built from `values` and `errors`."""

    user: User
    now: datetime
    values: Values
    errors: dict[str, list[str]]

    @property
    def _local_now(self) -> datetime:
        return self.now.astimezone(self.user.zone)

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
                        {"side": side, "side_label": bodymap.SIDE_LABELS[side]},
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
        # The drawing shown first: the first holding a choice (editing, "same as last time"),
        # else the first. The page arrives in this state so the script moves nothing.
        start = next((view for view in views if view["open"]), views[0])
        for view in views:
            view["start"] = view is start
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
