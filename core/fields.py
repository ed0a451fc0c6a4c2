"""DRF fields that refuse oversized input before validating any item."""

from __future__ import annotations

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
