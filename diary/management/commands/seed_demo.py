"""`manage.py seed_demo`: the demo patient with 60 days of realistic entries (CONTRACT §1)."""

from __future__ import annotations

import random
from dataclasses import replace
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from django.core.management.base import BaseCommand, CommandParser
from django.db import transaction
from django.utils import timezone

from diary import vocabulary as vocab
from diary.models import Contact, User
from diary.services.accounts import contact_create, user_erase, user_register, user_update
from diary.services.clinicians import invitation_accept, invitation_create
from diary.services.entries import EntryInput, entry_create
from diary.services.scan import scan_patterns

DEMO_EMAIL = "demo@example.com"
DEMO_PASSWORD = "demo-pass-123"  # noqa: S105 - published demo login (CONTRACT §1)
DEMO_ZONE = "Europe/London"
DEMO_CONTACT = {"name": "Dr Alex Morgan", "email": "clinician@example.com"}
# With --clinician: the contact's own clinician account, following the demo patient, so the
# workspace can be tried. Opt-in: a published clinician log-in has no place on a real site.
DEMO_CLINICIAN_PASSWORD = "demo-clinician-123"  # noqa: S105 - published, opt-in demo login
DAYS = 60
# A fixed seed: every run (and every reset) makes the same diary, relative to today.
SEED = 1708
SIDE = "left"
# Usual clock times per time of day, varied by up to ±40 minutes.
SLOTS: dict[str, time] = {
    "morning": time(8, 10),
    "afternoon": time(14, 30),
    "evening": time(20, 15),
    "night": time(23, 10),
}
NIGHT_NOTES = (
    "Burning kept me awake.",
    "Worse once I lay down.",
    "Tingling down the leg in bed again.",
)
FOOT_NOTES = ("Woke with burning in the sole of my foot.", "Heel feels numb and hot at night.")


def _regions(day_index: int, rng: random.Random) -> list[str]:
    """Where it hurts: buttock and back of thigh first, then the calf, then sole and heel."""
    regions = ["buttock", "thigh_back"]
    if rng.random() < 0.3:
        regions.insert(0, "lower_back")
    if day_index >= 21:
        regions.append("calf")
    if day_index >= 40:
        regions += ["foot_sole", "heel"] if rng.random() < 0.7 else ["foot_sole"]
        if rng.random() < 0.4:
            regions.remove("thigh_back")
    return regions


def _entry(day_index: int, timing: str, rng: random.Random) -> EntryInput:
    """One entry: nerve-like and stronger in the evening and night at rest, milder by day."""
    regions = _regions(day_index, rng)
    locations = tuple((r, "center" if r == "lower_back" else SIDE) for r in regions)
    worsening = day_index // 20  # 0, 1, 2: the night pain creeps up over the weeks
    context: list[str] = []
    notes = ""
    if timing in vocab.NIGHT_TIMINGS:
        intensity = 5 + worsening + rng.choice((-1, 0, 0, 1))
        pain_types = ["burning", "tingling"]
        if rng.random() < 0.4:
            pain_types.append(rng.choice(("pins_needles", "electric")))
        if day_index >= 40 and rng.random() < 0.5:
            pain_types.append("numbness")
        activity = rng.choice(("lying_down", "lying_down", "sitting"))
        if rng.random() < 0.15:
            notes = rng.choice(FOOT_NOTES if day_index >= 40 else NIGHT_NOTES)
    else:
        intensity = 2 + rng.choice((0, 1, 1, 2))
        pain_types = ["aching"] + (["stiffness"] if timing == "morning" else [])
        if rng.random() < 0.25:
            pain_types.append("tingling")
        activity = rng.choice(("walking", "standing", "sitting", "driving", "bending_lifting"))
        if activity in {"sitting", "driving"} and rng.random() < 0.5:
            context.append("long_sitting")
        if timing == "morning" and rng.random() < 0.3:
            context.append("poor_sleep")
    return EntryInput(
        intensity=max(0, min(10, intensity)),
        locations=locations,
        pain_types=tuple(pain_types),
        activity=activity,
        context=tuple(context),
        notes=notes,
    )


def demo_plan(*, today: date, now: datetime, zone: ZoneInfo) -> list[EntryInput]:
    """60 days ending today: 1–3 entries a day, a few days skipped, nothing in the future."""
    rng = random.Random(SEED)
    plan: list[EntryInput] = []
    for day_index in range(DAYS):
        day = today - timedelta(days=DAYS - 1 - day_index)
        skip = rng.random() < 0.1
        evening = rng.choice(("evening", "night", "night"))
        daytime = rng.sample(("morning", "afternoon"), k=rng.choice((0, 1, 1, 2)))
        if skip and 0 < day_index < DAYS - 1:
            continue
        for timing in sorted([*daytime, evening], key=list(SLOTS).index):
            slot = datetime.combine(day, SLOTS[timing], tzinfo=zone)
            moment = slot + timedelta(minutes=rng.randint(-40, 40))
            data = _entry(day_index, timing, rng)
            if moment <= now:
                plan.append(replace(data, occurred_at=moment))
    if not any(_day(p, zone) == today for p in plan):
        # Early in the morning today has nothing planned yet; log "a few minutes ago".
        moment = now - timedelta(minutes=5)
        timing = vocab.timing_for(moment.astimezone(zone))
        plan.append(replace(_entry(DAYS - 1, timing, rng), occurred_at=moment))
    return plan


def _day(data: EntryInput, zone: ZoneInfo) -> date:
    assert data.occurred_at is not None
    return data.occurred_at.astimezone(zone).date()


class Command(BaseCommand):
    help = (
        f"Create, or reset, the demo patient {DEMO_EMAIL} / {DEMO_PASSWORD} with "
        f"{DAYS} days of entries ending today and one clinician contact."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--clinician",
            action="store_true",
            help=(
                f"also create the clinician {DEMO_CONTACT['email']} / {DEMO_CLINICIAN_PASSWORD}, "
                "following the demo patient through a real invitation"
            ),
        )

    def handle(self, *args: object, **options: object) -> None:
        zone = ZoneInfo(DEMO_ZONE)
        now = timezone.now()
        today = now.astimezone(zone).date()
        with transaction.atomic():
            existing = User.objects.filter(email__iexact=DEMO_EMAIL).first()
            if existing is not None:
                # Reset = start from nothing, so a rerun never duplicates anything.
                user_erase(user=existing)
            user = user_register(email=DEMO_EMAIL, password=DEMO_PASSWORD, timezone=DEMO_ZONE)
            contact = contact_create(user=user, **DEMO_CONTACT)
            if options.get("clinician"):
                self._clinician_following(contact)
            plan = demo_plan(today=today, now=now, zone=zone)
            for data in plan:
                entry_create(user=user, data=data)
        # The same scan Celery beat runs, here and now, so the demo's flags show at once.
        scan = scan_patterns(user=user)
        days = {_day(data, zone) for data in plan}
        first = today - timedelta(days=DAYS - 1)
        self.stdout.write(
            f"{'Reset' if existing else 'Created'} demo patient {DEMO_EMAIL} / {DEMO_PASSWORD}"
            f" (time zone {DEMO_ZONE})."
        )
        self.stdout.write(
            f"  {len(plan)} entries on {len(days)} of {DAYS} days, {first} to {today}: left-sided,"
            " night-worse burning and tingling at rest, spreading from buttock and thigh to the"
            " calf and then the sole and heel."
        )
        self.stdout.write(f"  1 contact: {contact.name} <{contact.email}>, receives alerts.")
        if options.get("clinician"):
            self.stdout.write(
                f"  Clinician account {contact.email} / {DEMO_CLINICIAN_PASSWORD} follows the"
                " demo patient: its workspace is /clinician/."
            )
        self.stdout.write(f"  Pattern scan: {len(scan.events)} flags raised.")
        for event in scan.events:
            self.stdout.write(f"    {event}")

    @staticmethod
    def _clinician_following(contact: Contact) -> None:
        """The contact's clinician account, made anew, following through a real invitation."""
        existing = User.objects.filter(email__iexact=contact.email).first()
        if existing is not None:
            user_erase(user=existing)
        clinician = user_register(
            email=contact.email,
            password=DEMO_CLINICIAN_PASSWORD,
            timezone=DEMO_ZONE,
            role=User.Role.CLINICIAN,
        )
        user_update(user=clinician, display_name=contact.name)
        invitation = invitation_create(contact=contact)
        invitation_accept(token=invitation.token, clinician=clinician)
