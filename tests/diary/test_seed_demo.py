"""`manage.py seed_demo`: the demo patient, 60 days of entries, idempotent."""

from __future__ import annotations

from collections import Counter
from datetime import UTC, date, datetime, timedelta
from io import StringIO
from statistics import mean

import pytest
import time_machine
from django.core.management import call_command

from diary import vocabulary as vocab
from diary.models import Contact, Entry, EntryLocation, Follow, User

pytestmark = pytest.mark.django_db

NOW = datetime(2026, 11, 20, 19, 0, tzinfo=UTC)
TODAY = date(2026, 11, 20)


def _seed() -> str:
    out = StringIO()
    with time_machine.travel(NOW, tick=False):
        call_command("seed_demo", stdout=out)
    return out.getvalue()


def test_it_creates_the_demo_patient_who_can_log_in(client):
    output = _seed()
    user = User.objects.get(email="demo@example.com")
    assert user.check_password("demo-pass-123")
    assert "demo@example.com" in output and "entries" in output
    assert client.login(username="demo@example.com", password="demo-pass-123")


def test_it_logs_60_days_ending_today_with_one_to_three_entries_a_day():
    _seed()
    entries = Entry.objects.filter(user__email="demo@example.com")
    per_day = Counter(entries.values_list("local_date", flat=True))
    assert min(per_day) == TODAY - timedelta(days=59)
    assert max(per_day) == TODAY
    assert 45 <= len(per_day) < 60  # some days skipped
    assert set(per_day.values()) <= {1, 2, 3}
    assert len(set(per_day.values())) > 1
    assert not entries.filter(occurred_at__gt=NOW).exists()


def test_the_entries_are_valid_vocabulary_with_locations():
    _seed()
    for entry in Entry.objects.filter(user__email="demo@example.com").prefetch_related("locations"):
        assert 0 <= entry.intensity <= 10
        assert set(entry.pain_types) <= vocab.codes(vocab.PAIN_TYPES)
        assert entry.activity in vocab.codes(vocab.ACTIVITIES)
        assert entry.locations.exists()
        assert all(vocab.side_allowed(loc.region, loc.side) for loc in entry.locations.all())


def test_the_nerve_pain_is_worse_in_the_evening_and_at_night_at_rest():
    _seed()
    recent = Entry.objects.filter(
        user__email="demo@example.com", local_date__gt=TODAY - timedelta(days=14)
    )
    night = [e for e in recent if e.timing in vocab.NIGHT_TIMINGS]
    day = [e for e in recent if e.timing not in vocab.NIGHT_TIMINGS]
    assert len(night) >= 3 and len(day) >= 3
    assert mean(e.intensity for e in night) >= mean(e.intensity for e in day) + 2
    assert all(set(e.pain_types) & vocab.NERVE_PAIN_TYPES for e in night)
    assert all(e.activity in vocab.REST_ACTIVITIES for e in night)


def test_the_pain_spreads_from_thigh_to_calf_to_sole_and_heel_on_one_side():
    _seed()
    locations = EntryLocation.objects.filter(user__email="demo@example.com")
    first_weeks = locations.filter(local_date__lt=TODAY - timedelta(days=45))
    last_week = locations.filter(local_date__gt=TODAY - timedelta(days=7))
    assert set(first_weeks.values_list("region", flat=True)) <= {
        "lower_back",
        "buttock",
        "thigh_back",
    }
    assert {"foot_sole", "heel"} <= set(last_week.values_list("region", flat=True))
    assert set(locations.exclude(region="lower_back").values_list("side", flat=True)) == {"left"}


def test_it_adds_one_clinician_contact():
    _seed()
    contacts = Contact.objects.filter(user__email="demo@example.com")
    assert contacts.count() == 1
    assert contacts.get().receive_alerts


def test_a_second_run_resets_the_demo_instead_of_adding_to_it():
    _seed()
    first = sorted(
        Entry.objects.filter(user__email="demo@example.com").values_list("occurred_at", "intensity")
    )
    output = _seed()
    assert User.objects.filter(email="demo@example.com").count() == 1
    assert Contact.objects.filter(user__email="demo@example.com").count() == 1
    again = sorted(
        Entry.objects.filter(user__email="demo@example.com").values_list("occurred_at", "intensity")
    )
    assert again == first
    assert "Reset" in output


def test_it_leaves_other_patients_alone(user):
    from tests.factories import EntryFactory

    EntryFactory(user=user)
    _seed()
    _seed()
    assert Entry.objects.filter(user=user).count() == 1


@pytest.mark.parametrize("hour", [0, 4])
def test_today_has_an_entry_even_early_in_the_morning(hour):
    out = StringIO()
    with time_machine.travel(datetime(2026, 11, 20, hour, 30, tzinfo=UTC), tick=False):
        call_command("seed_demo", stdout=out)
    dates = set(
        Entry.objects.filter(user__email="demo@example.com").values_list("local_date", flat=True)
    )
    assert TODAY in dates


def test_it_runs_the_pattern_scan_so_the_demo_flags_show_at_once():
    from diary.models import Flag

    output = _seed()
    codes = set(
        Flag.objects.filter(user__email="demo@example.com", status="active").values_list(
            "code", flat=True
        )
    )
    # The demo tells a night-worse, spreading nerve-pain story; its scan says so right away.
    assert {"night_worse_nerve_pain", "spreading_symptoms"} <= codes
    assert "raised night_worse_nerve_pain for demo@example.com" in output


def test_with_clinician_the_contacts_account_follows_the_demo_patient(client):
    out = StringIO()
    with time_machine.travel(NOW, tick=False):
        call_command("seed_demo", "--clinician", stdout=out)
        call_command("seed_demo", "--clinician", stdout=out)  # a reset makes it anew, once

    clinician = User.objects.get(email="clinician@example.com")
    assert clinician.is_clinician and clinician.display_name == "Dr Alex Morgan"
    follows = Follow.objects.filter(clinician=clinician, ended_at__isnull=True)
    assert [f.patient.email for f in follows] == ["demo@example.com"]
    assert "clinician@example.com / demo-clinician-123" in out.getvalue()
    assert client.login(username="clinician@example.com", password="demo-clinician-123")
    assert client.get("/clinician/").status_code == 200


def test_without_the_option_there_is_no_clinician_account():
    _seed()
    assert not User.objects.filter(email="clinician@example.com").exists()
