"""factory_boy factories for the models tests need."""

from __future__ import annotations

from datetime import timedelta

import factory
from django.utils import timezone

from diary import vocabulary as vocab
from diary.models import CheckIn, Contact, Entry, EntryLocation, Follow, TreatmentEvent, User
from diary.services.entries import entry_location_rows

TEST_PASSWORD = "correct-horse-battery-9"


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        skip_postgeneration_save = True

    email = factory.Sequence(lambda n: f"patient{n}@example.com")
    timezone = "Europe/London"
    password = factory.PostGenerationMethodCall("set_password", TEST_PASSWORD)

    @factory.post_generation
    def saved(obj: User, create: bool, extracted: object, **kwargs: object) -> None:  # noqa: N805
        if create:
            obj.save()


class ContactFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Contact

    user = factory.SubFactory(UserFactory)
    name = factory.Sequence(lambda n: f"Dr Clinician {n}")
    email = factory.Sequence(lambda n: f"clinician{n}@clinic.example")
    receive_alerts = True


class ClinicianFactory(UserFactory):
    email = factory.Sequence(lambda n: f"doctor{n}@clinic.example")
    role = User.Role.CLINICIAN


class FollowFactory(factory.django.DjangoModelFactory):
    """A live follow; the contact belongs to the patient and carries the clinician's e-mail."""

    class Meta:
        model = Follow

    patient = factory.SubFactory(UserFactory)
    clinician = factory.SubFactory(ClinicianFactory)
    contact = factory.LazyAttribute(
        lambda o: ContactFactory(user=o.patient, email=o.clinician.email)
    )


class EntryFactory(factory.django.DjangoModelFactory):
    """An entry; pass `locations=[("foot_sole", "left")]` to add locations."""

    class Meta:
        model = Entry
        skip_postgeneration_save = True

    user = factory.SubFactory(UserFactory)
    occurred_at = factory.LazyFunction(lambda: timezone.now() - timedelta(hours=1))
    local_date = factory.LazyAttribute(lambda o: o.occurred_at.astimezone(o.user.zone).date())
    timezone = factory.LazyAttribute(lambda o: o.user.timezone)
    timing = factory.LazyAttribute(
        lambda o: vocab.timing_for(o.occurred_at.astimezone(o.user.zone))
    )
    intensity = 5
    pain_types = factory.LazyFunction(lambda: ["burning"])
    activity = "sitting"
    red_flags = factory.LazyFunction(list)
    context = factory.LazyFunction(list)
    notes = ""

    @factory.post_generation
    def locations(obj: Entry, create: bool, extracted: object, **kwargs: object) -> None:  # noqa: N805
        pairs = extracted if extracted is not None else [("calf", "left")]
        if not create:
            return
        EntryLocation.objects.bulk_create(
            entry_location_rows(entry=obj, locations=pairs)  # type: ignore[arg-type]
        )


class TreatmentEventFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = TreatmentEvent

    user = factory.SubFactory(UserFactory)
    kind = "injection"
    name = factory.Sequence(lambda n: f"Treatment {n}")
    started_on = factory.LazyFunction(lambda: timezone.now().date() - timedelta(days=7))
    notes = ""


class CheckInFactory(factory.django.DjangoModelFactory):
    """A check-in for the current week; items 2 each unless given."""

    class Meta:
        model = CheckIn

    user = factory.SubFactory(UserFactory)
    week_of = factory.LazyFunction(
        lambda: timezone.now().date() - timedelta(days=timezone.now().date().weekday())
    )
    leg_pain = 2
    numbness_tingling = 2
    weakness = 2
    sitting_pain = 2
    global_change = "no_change"
