"""export_user / import_user: a patient's whole account out as JSON and back, exactly."""

from __future__ import annotations

import copy
import hashlib
import json
from datetime import UTC, date, datetime, time, timedelta

import pytest
import time_machine
from django.core.management import call_command
from django.core.management.base import CommandError

from diary.models import AlertDelivery, Contact, Entry, EntryLocation, Flag, SecurityEvent, User
from reports.models import ShareLink, ShareView
from reports.portability import (
    FORMAT,
    FORMAT_VERSION,
    AccountExists,
    PortabilityError,
    user_export,
    user_import,
)
from tests.factories import TEST_PASSWORD, ContactFactory, EntryFactory

pytestmark = pytest.mark.django_db

NOTES = "Brûlure au mollet — ça pique 🔥; 足の裏が痺れる"
PAST = datetime(2025, 3, 1, 9, 30, tzinfo=UTC)


def _token(seed: str) -> str:
    return hashlib.sha256(seed.encode()).hexdigest()


def _fill(user: User, *, seed: str) -> list[Entry]:
    """Give a patient one of every kind of row, all stamped in the past."""
    with time_machine.travel(PAST, tick=False):
        ContactFactory(user=user, name="Dr Zoë Ødegaard", email=f"gp-{seed}@clinic.example")
        ContactFactory(
            user=user, name="Physio", email=f"physio-{seed}@clinic.example", receive_alerts=False
        )
        entries = [
            EntryFactory(
                user=user,
                occurred_at=PAST - timedelta(days=2, hours=3),
                intensity=7,
                pain_types=["burning", "electric"],
                activity="sitting",
                context=["long_sitting"],
                notes=NOTES,
                locations=[("buttock", "left"), ("thigh_back", "left"), ("calf", "left")],
            ),
            EntryFactory(
                user=user,
                occurred_at=PAST - timedelta(days=1),
                intensity=9,
                pain_types=["numbness", "weakness"],
                activity="",
                red_flags=["saddle_numbness", "foot_drop"],
                locations=[("saddle", "center"), ("foot_top", "both")],
            ),
            EntryFactory(
                user=user, occurred_at=PAST - timedelta(hours=5), intensity=0, locations=[]
            ),
        ]
    with time_machine.travel(PAST + timedelta(hours=1), tick=False):
        # An edit later than creation, so created_at and updated_at differ.
        entries[0].notes = NOTES + " (edited)"
        entries[0].save()
        emergency = Flag.objects.create(
            user=user,
            code="red_flag_saddle_numbness",
            severity="emergency",
            title="Saddle numbness",
            explanation="You reported saddle numbness. Not a diagnosis.",
            source="NHS: sciatica",
            evidence=[str(entries[1].id)],
            first_detected_at=PAST - timedelta(days=1),
            last_seen_at=PAST,
            status="acknowledged",
            acknowledged_at=PAST + timedelta(minutes=5),
        )
        Flag.objects.create(
            user=user,
            code="night_worse_nerve_pain",
            severity="warning",
            title="Night pain",
            explanation="Worse at night.",
            source="NICE CKS",
            evidence=[str(e.id) for e in entries[:2]],
            first_detected_at=PAST - timedelta(days=10),
            last_seen_at=PAST - timedelta(days=9),
            status="resolved",
            resolved_at=PAST - timedelta(days=8),
        )
        AlertDelivery.objects.create(
            flag=emergency,
            recipient=f"gp-{seed}@clinic.example",
            status="sent",
            attempts=1,
            sent_at=PAST + timedelta(hours=1, seconds=3),
        )
        AlertDelivery.objects.create(
            flag=emergency,
            recipient=user.email,
            status="failed",
            attempts=3,
            last_error="451 try later — greylisted",
        )
        link = ShareLink.objects.create(
            user=user,
            label="Für Dr. Müller",
            token_hash=_token(seed),
            period_start=date(2025, 2, 1),
            period_end=date(2025, 3, 1),
            expires_at=PAST + timedelta(days=14),
            view_count=2,
            last_viewed_at=PAST + timedelta(days=1),
        )
        ShareView.objects.create(link=link, viewed_at=PAST + timedelta(hours=20), user_agent="A")
        ShareView.objects.create(link=link, viewed_at=PAST + timedelta(days=1), user_agent="B")
        SecurityEvent.objects.create(user=user, kind="login", ip="2001:db8::1", user_agent="Fx")
        SecurityEvent.objects.create(user=user, kind="share_created", ip="192.0.2.7", detail="x")
    return entries


@pytest.fixture
def patient(user: User) -> User:
    user.alert_email = "alerts@example.com"
    user.reminder_time = time(20, 15)
    user.date_joined = PAST - timedelta(days=30)
    user.save()
    _fill(user, seed="patient")
    return user


@pytest.fixture
def outsider(other_user: User) -> User:
    _fill(other_user, seed="outsider")
    return other_user


def _without_exported_at(document: dict) -> dict:
    return {k: v for k, v in document.items() if k != "exported_at"}


def _through_json(document: dict) -> dict:
    return json.loads(json.dumps(document, ensure_ascii=False))


def test_an_export_of_the_restore_equals_the_original_export(patient, outsider):
    outsider_before = _through_json(user_export(user=outsider))
    first = _through_json(user_export(user=patient))
    patient.delete()

    restored = user_import(document=copy.deepcopy(first))
    second = _through_json(user_export(user=restored))

    assert _without_exported_at(second) == _without_exported_at(first)
    assert len(first["entries"]) == 3
    assert len(first["flags"]) == 2
    assert len(first["share_links"][0]["views"]) == 2
    assert _without_exported_at(user_export(user=outsider)) == _without_exported_at(outsider_before)


def test_it_keeps_entry_ids_and_the_times_django_would_stamp_itself(patient):
    before = {e.id: (e.created_at, e.updated_at) for e in Entry.objects.filter(user=patient)}
    contact_times = sorted(
        Contact.objects.filter(user=patient).values_list("created_at", flat=True)
    )
    document = user_export(user=patient)
    patient.delete()

    restored = user_import(document=document)

    after = {e.id: (e.created_at, e.updated_at) for e in Entry.objects.filter(user=restored)}
    assert after == before
    assert any(created != updated for created, updated in after.values())
    assert (
        sorted(Contact.objects.filter(user=restored).values_list("created_at", flat=True))
        == contact_times
    )
    assert set(
        AlertDelivery.objects.filter(flag__user=restored).values_list("created_at", flat=True)
    ) == {PAST + timedelta(hours=1)}
    assert EntryLocation.objects.filter(user=restored).count() == 5


def test_the_document_is_plain_json_with_offsets_and_unicode(patient):
    document = _through_json(user_export(user=patient))

    assert document["format"] == FORMAT
    assert document["version"] == FORMAT_VERSION
    assert document["user"]["email"] == "patient@example.com"
    assert document["user"]["reminder_time"] == "20:15:00"
    assert document["user"]["password"].startswith("md5$")
    entry = document["entries"][0]
    assert entry["occurred_at"] == "2025-02-27T06:30:00+00:00"
    assert entry["notes"] == NOTES + " (edited)"
    assert entry["locations"] == [
        {"region": "buttock", "side": "left"},
        {"region": "calf", "side": "left"},
        {"region": "thigh_back", "side": "left"},
    ]
    assert [d["recipient"] for d in document["flags"][1]["deliveries"]] == [
        "gp-patient@clinic.example",
        "patient@example.com",
    ]
    assert "id" not in document["flags"][0] and "id" not in document["contacts"][0]


def test_the_restored_patient_logs_in_with_the_old_password(client, patient):
    document = user_export(user=patient)
    patient.delete()

    user_import(document=document)

    assert client.login(email="patient@example.com", password=TEST_PASSWORD)
    assert not client.login(email="patient@example.com", password="wrong-password-123")


def test_the_export_holds_nothing_of_another_patient(patient, outsider):
    text = json.dumps(user_export(user=patient), ensure_ascii=False)

    assert "outsider" not in text
    assert _token("outsider") not in text
    for entry_id in Entry.objects.filter(user=outsider).values_list("id", flat=True):
        assert str(entry_id) not in text


def test_it_refuses_an_existing_email_and_changes_nothing(patient):
    document = user_export(user=patient)
    Entry.objects.filter(user=patient).first().delete()

    with pytest.raises(AccountExists, match="already exists"):
        user_import(document=document)

    assert User.objects.get(email="patient@example.com").pk == patient.pk
    assert Entry.objects.filter(user=patient).count() == 2


def test_replace_swaps_the_existing_account_for_the_document(patient, outsider):
    document = _through_json(user_export(user=patient))
    EntryFactory(user=patient, notes="written after the backup")
    patient.timezone = "Asia/Tokyo"
    patient.save()

    restored = user_import(document=document, replace=True)

    assert restored.pk != patient.pk
    assert not User.objects.filter(pk=patient.pk).exists()
    assert _without_exported_at(_through_json(user_export(user=restored))) == _without_exported_at(
        document
    )
    assert User.objects.filter(email="outsider@example.com").exists()


def test_a_failed_replace_keeps_the_old_account(patient, outsider):
    document = _through_json(user_export(user=patient))
    # Valid on its face, but the database refuses it: another patient owns this token hash.
    document["share_links"][0]["token_hash"] = _token("outsider")

    with pytest.raises(PortabilityError, match="nothing was imported"):
        user_import(document=document, replace=True)

    assert User.objects.get(email="patient@example.com").pk == patient.pk
    assert Entry.objects.filter(user=patient).count() == 3
    assert ShareLink.objects.filter(user=patient).count() == 1


def _corrupt_version(document: dict) -> None:
    document["version"] = 99


def _corrupt_region(document: dict) -> None:
    document["entries"][1]["locations"][0]["region"] = "elbow"


def _corrupt_late(document: dict) -> None:
    document["security_events"][-1]["kind"] = "teleported"


@pytest.mark.parametrize(
    ("corrupt", "message"),
    [
        (_corrupt_version, "version: unsupported format version 99"),
        (_corrupt_region, "entries[1].locations[0].region: unknown region code 'elbow'"),
        (_corrupt_late, "security_events[1].kind: unknown security event kind code"),
    ],
)
def test_a_corrupt_file_imports_nothing_and_fails_clearly(patient, tmp_path, corrupt, message):
    document = _through_json(user_export(user=patient))
    patient.delete()
    corrupt(document)
    path = tmp_path / "backup.json"
    path.write_text(json.dumps(document), encoding="utf-8")
    counts = (User.objects.count(), Entry.objects.count(), SecurityEvent.objects.count())

    with pytest.raises(CommandError, match=r"nothing was imported") as caught:
        call_command("import_user", str(path))

    assert message in str(caught.value)
    assert caught.value.returncode != 0
    assert (User.objects.count(), Entry.objects.count(), SecurityEvent.objects.count()) == counts


def test_a_file_that_is_not_json_imports_nothing(db, tmp_path):
    path = tmp_path / "backup.json"
    path.write_text('{"format": ', encoding="utf-8")

    with pytest.raises(CommandError, match="not valid JSON"):
        call_command("import_user", str(path))

    assert not User.objects.exists()


def test_the_commands_round_trip_through_a_file(patient, tmp_path, capsys):
    path = tmp_path / "patient.json"
    call_command("export_user", "Patient@Example.com", output=str(path))
    first = json.loads(path.read_text(encoding="utf-8"))
    assert path.stat().st_mode & 0o077 == 0  # holds the password hash: owner only

    with pytest.raises(CommandError, match="Conflict.*--replace"):
        call_command("import_user", str(path))
    call_command("import_user", str(path), "--replace")

    assert "Imported patient@example.com: 3 entries" in capsys.readouterr().out
    restored = User.objects.get(email="patient@example.com")
    assert restored.pk != patient.pk
    assert _without_exported_at(_through_json(user_export(user=restored))) == (
        _without_exported_at(first)
    )


def test_export_writes_to_stdout_without_an_output_file(patient, capsys):
    call_command("export_user", "patient@example.com")

    assert json.loads(capsys.readouterr().out)["user"]["email"] == "patient@example.com"


def test_export_of_an_unknown_email_fails(db):
    with pytest.raises(CommandError, match="No account"):
        call_command("export_user", "nobody@example.com")
