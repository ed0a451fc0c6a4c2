"""DRF fields that refuse oversized input before validating any item."""

from __future__ import annotations

import copy
from typing import Any

from rest_framework import serializers


class BoundedListField(serializers.ListField):
    """A list capped at `max_length` *before* its items are validated.

    DRF checks a ListField's `max_length` only after validating every item, so 75,000
    invalid codes cost seconds and an error body as long as the input.
    """

    def to_internal_value(self, data: Any) -> list:
        if (
            self.max_length is not None
            and isinstance(data, list | tuple)
            and len(data) > self.max_length
        ):
            self.fail("max_length", max_length=self.max_length)
        return super().to_internal_value(data)


class FieldsBuiltOnceMixin:
    """A serializer whose declared fields are built once per class, not once per instance.

    DRF deep-copies every declared field for each serializer instance, which re-runs each
    field's __init__ (validators, choices, nested serializers): about a fifth of a small
    create's CPU. Here the deep copy is made once and kept as templates; each instance gets
    shallow copies that it binds to itself, so `parent`, `root`, `context` and `partial` are
    its own. Nested list fields get their own copy of the child too, bound to the copy; a
    nested serializer child using this mixin rebuilds its fields the same cheap way.
    Validators and choices are shared: they are read-only.
    """

    def get_fields(self) -> dict:
        cls = type(self)
        templates = cls.__dict__.get("_field_templates")
        if templates is None:
            # A race between two threads builds it twice; either result is right.
            templates = super().get_fields()
            cls._field_templates = templates
        return {name: _fresh_copy(field) for name, field in templates.items()}


_PER_INSTANCE = ("fields", "_readable_fields", "_writable_fields")


def _fresh_copy(field: serializers.Field) -> serializers.Field:
    duplicate = copy.copy(field)
    for cached in _PER_INSTANCE:
        duplicate.__dict__.pop(cached, None)
    child = getattr(field, "child", None)
    if isinstance(child, serializers.Field):
        # The template child is bound already (name "", source ""); only its parent changes.
        duplicate.child = _fresh_copy(child)
        duplicate.child.parent = duplicate
    return duplicate
