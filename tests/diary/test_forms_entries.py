"""The web entry form checks by the same rules as the API: same fields refused, same input kept."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime

import pytest
import time_machine
from django.http import QueryDict

from diary.api.serializers import EntrySerializer
from diary.forms import when as when_rules
from diary.forms.entries import INTENSITY_MESSAGE, NOTES_MESSAGE, EntryForm

pytestmark = pytest.mark.django_db

NOW = datetime(2026, 11, 20, 21, 30, tzinfo=UTC)
GOOD = {
    "id": "0b9f4a52-8f3e-4f7e-9a43-6f0b1a7c2d11",
    "locations": ["foot_sole:left", "calf:left"],
    "pain_types": ["burning"],
    "intensity": "6",
    "activity": "lying_down",
    "when": "now",
    "notes": "",
}


def _form(user, **overrides: object) -> EntryForm:
    data = QueryDict(mutable=True)
    for name, value in (GOOD | overrides).items():
        data.setlist(name, value if isinstance(value, list) else [value])
    return EntryForm(user=user, data=data)


def _api(user, form: EntryForm) -> EntrySerializer:
    """The API's answer to what the form was sent, posted as a phone would post it."""
    values = form.values
    payload: dict[str, object] = {
        "locations": [
            dict(zip(("region", "side"), c.split(":"), strict=True)) for c in values.locations
        ],
        "pain_types": values.pain_types,
        "activity": values.activity,
        "red_flags": values.red_flags,
        "context": values.context,
        "notes": values.notes,
        **({"intensity": values.intensity} if values.intensity else {}),
        # No `timing`: the page never sends one (CONTRACT §6); the moment decides it.
        **({"id": form.entry_id} if form.entry_id else {}),
    }
    try:
        chosen = when_rules.resolve_when(
            choice=values.when,
            at_time=values.when_time,
            at_datetime=values.occurred_at,
            now=form.now,
            zone=user.zone,
        )
    except when_rules.WhenError:
        payload["occurred_at"] = "not a moment"  # the API refuses it too
    else:
        if chosen.occurred_at is not None:
            payload["occurred_at"] = chosen.occurred_at.isoformat()
    serializer = EntrySerializer(data=payload, context={"zone": user.zone})
    serializer.is_valid()
    return serializer


CASES = [
    {},
    {"when": "earlier", "occurred_at": "2026-11-20T08:15"},
    {"intensity": "0", "locations": []},
    {"intensity": "7.0"},
    {"intensity": ""},
    {"intensity": "eleven"},
    {"intensity": "11"},
    {"intensity": "-1"},
    {"locations": []},
    {"locations": ["elbow:left"]},
    {"locations": ["calf:center"]},
    {"locations": ["lower_back:center", "saddle:center"]},
    {"locations": ["calf:left", "calf:left"]},
    {"locations": ["calf:sideways", "elbow:left"]},
    {"pain_types": ["glowing"]},
    {"pain_types": ["burning", "burning"]},
    {"red_flags": ["foot_drop", "foot_drop"]},
    {"red_flags": ["teleported"]},
    {"context": ["new_shoes", "nonsense"]},
    {"activity": ""},
    {"activity": "flying"},
    # A posted timing is ignored (the page sends none): never stored against the time shown.
    {"timing": "midnight"},
    {"timing": "morning"},
    {"notes": "x" * 2000},
    {"notes": "x" * 2001},
    {"notes": "a\x00b"},
    {"when": "earlier", "occurred_at": "2026-11-20T22:00"},
    {"when": "earlier", "occurred_at": "2026-11-20T21:45"},
    {"when": "earlier", "occurred_at": "2025-10-17T09:00"},
    {"when": "earlier", "occurred_at": "2025-10-16T09:00"},
    {"intensity": "eleven", "pain_types": ["glowing"], "notes": "x" * 2001},
]


@pytest.mark.parametrize("overrides", CASES)
def test_the_form_refuses_what_the_api_refuses_and_keeps_what_it_keeps(user, overrides):
    with time_machine.travel(NOW, tick=False):
        form = _form(user, **overrides)
        valid = form.is_valid()
        api = _api(user, form)
        api_valid = api.is_valid()

    assert valid == api_valid
    assert set(form.errors) == set(api.errors)
    if valid:
        assert form.entry_input() == api.to_entry_input()


def test_field_errors_carry_the_api_messages_or_friendlier_ones(user):
    with time_machine.travel(NOW, tick=False):
        form = _form(
            user,
            intensity="eleven",
            locations=["calf:center", "elbow:left"],
            pain_types=["glowing", "glowing"],
            notes="x" * 2001,
        )
        assert not form.is_valid()

    assert form.errors == {
        "intensity": [INTENSITY_MESSAGE],
        "locations": [
            "“center” is only for lower_back and saddle; choose left, right or both.",
            '"elbow" is not a valid choice.',
        ],
        "pain_types": ['"glowing" is not a valid choice.'],
        "notes": [NOTES_MESSAGE],
    }


def test_a_broken_hidden_id_is_replaced_rather_than_shown(user):
    form = _form(user, id="not-a-uuid")

    assert not form.is_valid()
    assert form.errors == {"form": ["Something went wrong with this form; please save again."]}
    assert uuid.UUID(form.entry_id)
