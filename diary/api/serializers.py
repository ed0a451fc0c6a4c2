"""JSON shapes of CONTRACT §4 for accounts, contacts and entries."""

from __future__ import annotations

from typing import Any

from django.contrib.auth import password_validation
from django.core.exceptions import ValidationError as DjangoValidationError
from django.utils import timezone
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from core.fields import BoundedListField, FieldsBuiltOnceMixin
from diary import validation
from diary import vocabulary as vocab
from diary.models import Contact, Entry, User
from diary.models.accounts import validate_timezone
from diary.services.entries import EntryInput
from diary.validation import INTENSITY_MAX, INTENSITY_MIN, LOCATIONS_MAX, NOTES_MAX


class TimezoneField(serializers.CharField):
    def to_internal_value(self, data: Any) -> str:
        value = super().to_internal_value(data)
        try:
            validate_timezone(value)
        except DjangoValidationError as error:
            raise serializers.ValidationError(error.messages) from error
        return value


class RegisterSerializer(serializers.Serializer):
    id = serializers.IntegerField(read_only=True)
    email = serializers.EmailField(max_length=254)
    password = serializers.CharField(
        write_only=True, max_length=128, style={"input_type": "password"}
    )
    timezone = TimezoneField(required=False, default="UTC", max_length=64)
    role = serializers.ChoiceField(
        choices=User.Role.choices, required=False, default=User.Role.PATIENT
    )

    def validate_email(self, value: str) -> str:
        value = value.lower()
        if User.objects.filter(email__iexact=value).exists():
            raise serializers.ValidationError("An account with this e-mail already exists.")
        return value

    def validate(self, attrs: dict) -> dict:
        try:
            password_validation.validate_password(attrs["password"], User(email=attrs["email"]))
        except DjangoValidationError as error:
            raise serializers.ValidationError({"password": error.messages}) from error
        return attrs


class TokenRequestSerializer(serializers.Serializer):
    email = serializers.EmailField()
    password = serializers.CharField(max_length=128, style={"input_type": "password"})


class TokenSerializer(serializers.Serializer):
    token = serializers.CharField()


@extend_schema_field(
    {
        "type": "string",
        "pattern": r"^([01]\d|2[0-3]):[0-5]\d(:[0-5]\d(\.\d{1,6})?)?$",
        "example": "20:30",
    }
)
class LocalTimeField(serializers.TimeField):
    """A wall-clock time in the patient's zone, "HH:MM[:SS]": OpenAPI's "time" needs an offset."""


class MeSerializer(serializers.ModelSerializer):
    timezone = TimezoneField(max_length=64, required=False)
    reminder_time = LocalTimeField(
        required=False, allow_null=True, help_text="Daily reminder, local time."
    )

    class Meta:
        model = User
        fields = ["email", "timezone", "alert_email", "reminder_time", "display_name"]
        read_only_fields = ["email"]


class ContactSerializer(serializers.ModelSerializer):
    class Meta:
        model = Contact
        fields = ["id", "name", "email", "receive_alerts"]

    def validate_email(self, value: str) -> str:
        value = value.lower()
        user = self.context["request"].user
        taken = Contact.objects.filter(user=user, email=value)
        if self.instance is not None:
            taken = taken.exclude(pk=self.instance.pk)
        if taken.exists():
            raise serializers.ValidationError("You already have a contact with this e-mail.")
        return value


class VocabularyChoiceField(serializers.ChoiceField):
    """A choice among vocabulary codes. The choices never change, so copies share them
    instead of deep-copying them for every request (a third of a create's CPU otherwise)."""

    def __deepcopy__(self, memo: dict) -> VocabularyChoiceField:
        return self.__class__(*self._args, **self._kwargs)


def _code_list(terms: tuple[vocab.Term, ...], label: str) -> serializers.ListField:
    # Capped at the vocabulary's size before any item is validated (CONTRACT §4).
    return BoundedListField(
        child=VocabularyChoiceField(choices=vocab.choices(terms)),
        max_length=len(terms),
        required=False,
        default=list,
        help_text=f"{label} codes (see /api/vocabulary/).",
    )


class LocationSerializer(FieldsBuiltOnceMixin, serializers.Serializer):
    region = VocabularyChoiceField(choices=vocab.choices(vocab.REGIONS))
    side = VocabularyChoiceField(choices=vocab.choices(vocab.SIDES))

    def validate(self, attrs: dict) -> dict:
        if message := validation.side_error(attrs["region"], attrs["side"]):
            raise serializers.ValidationError({"side": message})
        return attrs


class EntrySerializer(FieldsBuiltOnceMixin, serializers.Serializer):
    """Validates entry input for the API and the web form alike; renders the stored entry."""

    id = serializers.UUIDField(required=False)
    occurred_at = serializers.DateTimeField(required=False)
    local_date = serializers.DateField(read_only=True)
    timing = VocabularyChoiceField(choices=vocab.choices(vocab.TIMINGS), required=False)
    intensity = serializers.IntegerField(min_value=INTENSITY_MIN, max_value=INTENSITY_MAX)
    locations = LocationSerializer(
        many=True, required=False, default=list, max_length=LOCATIONS_MAX
    )
    pain_types = _code_list(vocab.PAIN_TYPES, "Pain type")
    activity = VocabularyChoiceField(
        choices=vocab.choices(vocab.ACTIVITIES), required=False, allow_blank=True, allow_null=True
    )
    red_flags = _code_list(vocab.RED_FLAGS, "Red-flag symptom")
    context = _code_list(vocab.CONTEXT_TAGS, "Context tag")
    notes = serializers.CharField(
        required=False, allow_blank=True, max_length=NOTES_MAX, trim_whitespace=False, default=""
    )
    created_at = serializers.DateTimeField(read_only=True)
    updated_at = serializers.DateTimeField(read_only=True)

    def validate_occurred_at(self, value: Any) -> Any:
        if message := validation.occurred_at_error(value, now=timezone.now()):
            raise serializers.ValidationError(message)
        return value

    def validate_locations(self, value: list[dict]) -> list[dict]:
        if validation.repeats([(item["region"], item["side"]) for item in value]):
            raise serializers.ValidationError(validation.REPEATED_LOCATION)
        return value

    def _no_duplicates(self, value: list[str]) -> list[str]:
        if validation.repeats(value):
            raise serializers.ValidationError(validation.REPEATED_CODE)
        return value

    validate_pain_types = _no_duplicates
    validate_red_flags = _no_duplicates
    validate_context = _no_duplicates

    def validate(self, attrs: dict) -> dict:
        intensity = attrs.get("intensity", getattr(self.instance, "intensity", None))
        if "locations" in attrs or self.instance is None:
            locations = attrs.get("locations", [])
        else:
            locations = list(self.instance.locations.all())
        if message := validation.locations_error(intensity, locations):
            raise serializers.ValidationError({"locations": message})
        return attrs

    def to_entry_input(self) -> EntryInput:
        """The validated data as the entry services take it."""
        data = self.validated_data
        given = frozenset(self.initial_data.keys()) if self.partial else frozenset(data.keys())
        return EntryInput(
            intensity=data.get("intensity", getattr(self.instance, "intensity", 0)),
            occurred_at=data.get("occurred_at"),
            timing=data.get("timing"),
            locations=tuple((loc["region"], loc["side"]) for loc in data.get("locations", [])),
            pain_types=tuple(data.get("pain_types", [])),
            activity=data.get("activity") or "",
            red_flags=tuple(data.get("red_flags", [])),
            context=tuple(data.get("context", [])),
            notes=data.get("notes", ""),
            fields_given=given & set(self.fields.keys()),
        )

    def to_representation(self, instance: Entry) -> dict:
        zone = self.context.get("zone") or instance.user.zone
        return {
            "id": str(instance.pk),
            "occurred_at": instance.occurred_at.astimezone(zone).isoformat(),
            "local_date": instance.local_date.isoformat(),
            "timing": instance.timing,
            "intensity": instance.intensity,
            "locations": [
                {"region": loc.region, "side": loc.side} for loc in instance.locations.all()
            ],
            "pain_types": list(instance.pain_types),
            "activity": instance.activity or None,
            "red_flags": list(instance.red_flags),
            "context": list(instance.context),
            "notes": instance.notes,
            "created_at": instance.created_at.isoformat(),
            "updated_at": instance.updated_at.isoformat(),
        }
