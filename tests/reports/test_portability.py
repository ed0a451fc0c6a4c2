"""export_user / import_user: a patient's whole account out as JSON and back, exactly."""

from __future__ import annotations

import copy
import hashlib
import io
import json
import uuid
from datetime import UTC, date, datetime, time, timedelta

import pytest
import time_machine
from django.core.management import call_command, load_command_class
from django.core.management.base import CommandError

from diary.models import (
    AlertDelivery,
    CheckIn,
    Contact,
    Entry,
    EntryLocation,
    Flag,
    Follow,
    Invitation,
    SecurityEvent,
    TreatmentEvent,
    User,
)
from reports.models import ShareLink, ShareView
from reports.portability import (
    FORMAT,
    FORMAT_VERSION,
    AccountExists,
    PortabilityError,
    user_export,
    user_import,
    user_restore,
)
from tests.factories import (
    TEST_PASSWORD,
    CheckInFactory,
    ClinicianFactory,
    ContactFactory,
    EntryFactory,
    TreatmentEventFactory,
)

pytestmark = pytest.mark.django_db

NOTES = "Brûlure au mollet — ça pique 🔥; 足の裏が痺れる"
PAST = datetime(2025, 3, 1, 9, 30, tzinfo=UTC)


def _token(seed: str) -> str:
    return hashlib.sha256(seed.encode()).hexdigest()


def _fill(user: User, *, seed: str) -> list[Entry]:
    """Give a patient one of every kind of row, all stamped in the past."""
    with time_machine.travel(PAST, tick=False):
        gp = ContactFactory(user=user, name="Dr Zoë Ødegaard", email=f"gp-{seed}@clinic.example")
        physio = ContactFactory(
            user=user,
            name="Physio",
            email=f"physio-{seed}@clinic.example",
            receive_alerts=False,
            alerts_stopped_at=PAST - timedelta(days=3),
        )
        gp.notice_sent_to = gp.email
        gp.save()
        # The GP follows with notes shared; the physio followed and stopped; a live invitation.
        Follow.objects.create(
            patient=user,
            clinician=ClinicianFactory(email=f"dr-{seed}@clinic.example"),
            contact=gp,
            share_notes=True,
            created_at=PAST - timedelta(days=20),
        )
        Follow.objects.create(
            patient=user,
            clinician=ClinicianFactory(email=f"physio-{seed}@clinic.example"),
            contact=physio,
            created_at=PAST - timedelta(days=40),
            ended_at=PAST - timedelta(days=30),
        )
        Invitation.objects.create(
            contact=physio, token_hash=_token(f"invite-{seed}"), expires_at=PAST + timedelta(7)
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
                alert_signs_at={
                    "red_flag_saddle_numbness": "2025-02-28T09:30:00+00:00",
                    "motor_weakness": "2025-02-28T10:01:02.345678+01:00",
                },
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
            clinician_explanation="The patient reported saddle numbness. Not a diagnosis.",
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
        AlertDelivery.objects.create(
            flag=emergency,
            recipient=f"physio-{seed}@clinic.example",
            status="capped",
            last_error="daily alert limit reached",
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
    _fill_outcomes(user)
    return entries


def _fill_outcomes(user: User) -> None:
    """Treatments (one edited later) and two weekly check-ins, stamped in the past."""
    with time_machine.travel(PAST, tick=False):
        # Created out of order, so the document's order is the spec's, not the rows'.
        injection = TreatmentEventFactory(
            user=user, kind="injection", name="Épidurale L5 💉", started_on=date(2025, 2, 20)
        )
        TreatmentEventFactory(
            user=user,
            kind="medication_start",
            name="Pregabalin 75 mg",
            started_on=date(2025, 2, 1),
            notes=NOTES,
        )
        CheckInFactory(user=user, week_of=date(2025, 2, 24), leg_pain=6, weakness=0)
        CheckInFactory(
            user=user, week_of=date(2025, 2, 17), sitting_pain=5, global_change="much_worse"
        )
    with time_machine.travel(PAST + timedelta(hours=2), tick=False):
        injection.notes = "Second one planned"
        injection.save()


@pytest.fixture
def patient(user: User) -> User:
    user.alert_email = "alerts@example.com"
    user.reminder_time = time(20, 15)
    user.date_joined = PAST - timedelta(days=30)
    user.display_name = "Anaïs Ø."
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
    assert len(first["treatments"]) == 2
    assert len(first["checkins"]) == 2
    assert len(first["follows"]) == 2
    assert first["user"]["display_name"] == "Anaïs Ø."
    assert first["entries"][1]["alert_signs_at"]["motor_weakness"].endswith("+01:00")
    assert first["flags"][1]["clinician_explanation"].startswith("The patient")
    assert "capped" in [d["status"] for d in first["flags"][1]["deliveries"]]
    assert restored.public_id == patient.public_id
    assert restored.display_name == "Anaïs Ø."
    assert [(c["notice_sent_to"], c["alerts_stopped_at"]) for c in first["contacts"]] == [
        ("gp-patient@clinic.example", None),
        ("", "2025-02-26T09:30:00+00:00"),
    ]
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
        "physio-patient@clinic.example",
    ]
    assert document["user"]["role"] == "patient"
    # Follows name the clinician's account; invitations (one-time tokens) are never written.
    assert document["follows"] == [
        {
            "contact_email": "physio-patient@clinic.example",
            "clinician_email": "physio-patient@clinic.example",
            "clinician_public_id": str(
                User.objects.get(email="physio-patient@clinic.example").public_id
            ),
            "share_notes": False,
            "created_at": "2025-01-20T09:30:00+00:00",
            "ended_at": "2025-01-30T09:30:00+00:00",
        },
        {
            "contact_email": "gp-patient@clinic.example",
            "clinician_email": "dr-patient@clinic.example",
            "clinician_public_id": str(
                User.objects.get(email="dr-patient@clinic.example").public_id
            ),
            "share_notes": True,
            "created_at": "2025-02-09T09:30:00+00:00",
            "ended_at": None,
        },
    ]
    assert _token("invite-patient") not in json.dumps(document)
    assert "id" not in document["flags"][0] and "id" not in document["contacts"][0]
    assert document["user"]["public_id"] == str(patient.public_id)
    assert document["treatments"] == [
        {
            "kind": "medication_start",
            "name": "Pregabalin 75 mg",
            "started_on": "2025-02-01",
            "notes": NOTES,
            "created_at": "2025-03-01T09:30:00+00:00",
            "updated_at": "2025-03-01T09:30:00+00:00",
        },
        {
            "kind": "injection",
            "name": "Épidurale L5 💉",
            "started_on": "2025-02-20",
            "notes": "Second one planned",
            "created_at": "2025-03-01T09:30:00+00:00",
            "updated_at": "2025-03-01T11:30:00+00:00",
        },
    ]
    assert document["checkins"][0] == {
        "week_of": "2025-02-17",
        "leg_pain": 2,
        "numbness_tingling": 2,
        "weakness": 2,
        "sitting_pain": 5,
        "global_change": "much_worse",
        "created_at": "2025-03-01T09:30:00+00:00",
        "updated_at": "2025-03-01T09:30:00+00:00",
    }
    assert [c["week_of"] for c in document["checkins"]] == ["2025-02-17", "2025-02-24"]


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
    TreatmentEventFactory(user=patient, name="written after the backup")
    CheckInFactory(user=patient, week_of=date(2025, 3, 3))
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


def _as_version_1(document: dict) -> dict:
    """What export_user wrote before version 2: none of the tables and fields version 2 added."""
    old = {k: v for k, v in document.items() if k not in ("treatments", "checkins", "follows")}
    old["version"] = 1
    old["user"] = {
        k: v for k, v in document["user"].items() if k not in ("public_id", "role", "display_name")
    }
    old["entries"] = [
        {k: v for k, v in entry.items() if k != "alert_signs_at"} for entry in document["entries"]
    ]
    old["contacts"] = [
        {k: v for k, v in contact.items() if k not in ("notice_sent_to", "alerts_stopped_at")}
        for contact in document["contacts"]
    ]
    old["flags"] = [
        {k: v for k, v in flag.items() if k != "clinician_explanation"}
        for flag in document["flags"]
    ]
    return old


def test_a_version_1_document_still_imports_with_a_new_public_id(patient):
    document = _through_json(user_export(user=patient))
    old_public_id = patient.public_id
    patient.delete()

    restored = user_import(document=_as_version_1(copy.deepcopy(document)))

    assert isinstance(restored.public_id, uuid.UUID)
    assert restored.public_id != old_public_id
    assert not TreatmentEvent.objects.filter(user=restored).exists()
    assert not CheckIn.objects.filter(user=restored).exists()
    assert not Follow.objects.filter(patient=restored).exists()
    assert (restored.role, restored.display_name) == ("patient", "")
    # No save times are derived: the alert path falls back to each entry's created_at.
    assert list(Entry.objects.filter(user=restored).values_list("alert_signs_at", flat=True)) == [
        {},
        {},
        {},
    ]
    assert set(
        Flag.objects.filter(user=restored).values_list("clinician_explanation", flat=True)
    ) == {""}
    again = _through_json(user_export(user=restored))
    assert again["version"] == FORMAT_VERSION == 2
    assert (again["treatments"], again["checkins"], again["follows"]) == ([], [], [])
    assert _without_exported_at(_as_version_1(again)) == _without_exported_at(
        _as_version_1(document)
    )


def test_a_version_1_document_may_not_carry_what_version_2_brought(patient):
    document = _through_json(user_export(user=patient))
    old = _as_version_1(document)
    old["treatments"] = document["treatments"]
    patient.delete()

    with pytest.raises(PortabilityError, match="document: unknown field treatments"):
        user_import(document=old)

    assert not User.objects.filter(email="patient@example.com").exists()


def test_a_version_2_document_without_its_new_tables_is_refused(patient):
    document = _through_json(user_export(user=patient))
    del document["checkins"]
    del document["user"]["public_id"]
    patient.delete()

    with pytest.raises(PortabilityError, match="document: missing field checkins"):
        user_import(document=copy.deepcopy(document))
    document["checkins"] = []
    with pytest.raises(PortabilityError, match="user: missing field public_id"):
        user_import(document=document)


def test_the_values_at_the_limits_import(patient):
    document = _through_json(user_export(user=patient))
    document["treatments"][0] |= {"name": "n" * 200, "notes": "x" * 2000, "kind": "other"}
    document["checkins"][0] |= {"leg_pain": 0, "numbness_tingling": 0, "weakness": 6}
    document["checkins"][0]["sitting_pain"] = 6
    patient.delete()

    restored = user_import(document=copy.deepcopy(document))

    assert _without_exported_at(_through_json(user_export(user=restored))) == (
        _without_exported_at(document)
    )
    assert CheckIn.objects.get(user=restored, week_of=date(2025, 2, 17)).total == 12


def _set(section: str, index: int, field: str, value: object):
    def corrupt(document: dict) -> None:
        document[section][index][field] = value

    return corrupt


def _repeat_week(document: dict) -> None:
    document["checkins"][1]["week_of"] = document["checkins"][0]["week_of"]


@pytest.mark.parametrize(
    ("corrupt", "message"),
    [
        (
            _set("treatments", 1, "kind", "acupuncture"),
            "treatments[1].kind: unknown treatment kind",
        ),
        (_set("treatments", 0, "name", "n" * 201), "treatments[0].name: longer than 200"),
        (_set("treatments", 0, "name", "  "), "treatments[0].name: must not be empty"),
        (_set("treatments", 1, "notes", "x" * 2001), "treatments[1].notes: longer than 2000"),
        (_set("treatments", 0, "started_on", "1 Feb"), "treatments[0].started_on: '1 Feb' is not"),
        (
            _set("checkins", 1, "week_of", "2025-02-25"),
            "checkins[1].week_of: '2025-02-25' is not a Monday",
        ),
        (_repeat_week, "checkins[1]: repeats the week '2025-02-17'"),
        (
            _set("checkins", 0, "leg_pain", 7),
            "checkins[0].leg_pain: expected a whole number from 0 to 6",
        ),
        (
            _set("checkins", 1, "sitting_pain", -1),
            "checkins[1].sitting_pain: expected a whole number",
        ),
        (_set("checkins", 0, "weakness", True), "checkins[0].weakness: expected a whole number"),
        (
            _set("checkins", 0, "global_change", "meh"),
            "checkins[0].global_change: unknown global change",
        ),
    ],
)
def test_a_bad_treatment_or_check_in_imports_nothing_and_names_its_path(patient, corrupt, message):
    document = _through_json(user_export(user=patient))
    patient.delete()
    corrupt(document)
    counts = (User.objects.count(), TreatmentEvent.objects.count(), CheckIn.objects.count())

    with pytest.raises(PortabilityError) as caught:
        user_import(document=document)

    assert message in str(caught.value)
    assert (User.objects.count(), TreatmentEvent.objects.count(), CheckIn.objects.count()) == counts


@pytest.mark.parametrize(
    ("value", "message"),
    [
        (True, "version: unsupported format version True"),
        (3, "version: unsupported format version 3; this program reads versions 1, 2"),
    ],
)
def test_only_versions_1_and_2_are_read(patient, value, message):
    document = _through_json(user_export(user=patient))
    patient.delete()
    document["version"] = value

    with pytest.raises(PortabilityError, match=message):
        user_import(document=document)


def test_a_bad_public_id_is_refused_naming_it(patient):
    document = _through_json(user_export(user=patient))
    patient.delete()
    document["user"]["public_id"] = "not-a-uuid"

    with pytest.raises(PortabilityError, match="user.public_id: 'not-a-uuid' is not a UUID"):
        user_import(document=document)


def test_another_accounts_public_id_is_refused_and_nothing_is_imported(patient, outsider):
    document = _through_json(user_export(user=patient))
    patient.delete()
    document["user"]["public_id"] = str(outsider.public_id)

    with pytest.raises(PortabilityError, match="public id already belongs to another account"):
        user_import(document=document)

    assert not User.objects.filter(email="patient@example.com").exists()
    assert TreatmentEvent.objects.filter(user=outsider).count() == 2


def _set_user(field: str, value: object):
    def corrupt(document: dict) -> None:
        document["user"][field] = value

    return corrupt


def _set_sign(code: str, value: object):
    def corrupt(document: dict) -> None:
        document["entries"][1]["alert_signs_at"][code] = value

    return corrupt


def _second_live_follow(document: dict) -> None:
    document["follows"][0] |= {
        "ended_at": None,
        "clinician_public_id": document["follows"][1]["clinician_public_id"],
    }


@pytest.mark.parametrize(
    ("corrupt", "message"),
    [
        (_set_user("role", "admin"), "user.role: unknown role code 'admin'"),
        (_set_user("display_name", "n" * 121), "user.display_name: longer than 120"),
        (_set_user("display_name", None), "user.display_name: expected a string"),
        (
            _set_sign("foot_drop", "2025-02-28T09:30:00+00:00"),
            "entries[1].alert_signs_at: unknown alert flag code 'foot_drop'",
        ),
        (
            _set_sign("motor_weakness", "yesterday"),
            "entries[1].alert_signs_at.motor_weakness: 'yesterday' is not an ISO 8601 date-time",
        ),
        (
            _set_sign("motor_weakness", "2025-02-28T09:30:00"),
            "entries[1].alert_signs_at.motor_weakness: '2025-02-28T09:30:00' has no UTC offset",
        ),
        (_set("entries", 0, "alert_signs_at", []), "entries[0].alert_signs_at: expected an object"),
        (_set("flags", 0, "clinician_explanation", 3), "flags[0].clinician_explanation: expected"),
        (_set("contacts", 1, "alerts_stopped_at", "now"), "contacts[1].alerts_stopped_at: 'now'"),
        (_set("contacts", 0, "notice_sent_to", "gp"), "contacts[0].notice_sent_to: 'gp' is not"),
        (
            _set("follows", 1, "contact_email", "nobody@clinic.example"),
            "follows[1].contact_email: names no contact in contacts",
        ),
        (
            _set("follows", 0, "share_notes", "yes"),
            "follows[0].share_notes: expected true or false",
        ),
        (_set("follows", 0, "clinician_public_id", "7"), "follows[0].clinician_public_id: '7' is"),
        (_set("follows", 1, "ended_at", "soon"), "follows[1].ended_at: 'soon' is not an ISO"),
        (_second_live_follow, "follows[1]: repeats the live follow of the clinician"),
    ],
)
def test_a_bad_new_version_2_value_imports_nothing_and_names_its_path(patient, corrupt, message):
    document = _through_json(user_export(user=patient))
    patient.delete()
    corrupt(document)
    counts = (User.objects.count(), Entry.objects.count(), Follow.objects.count())

    with pytest.raises(PortabilityError) as caught:
        user_import(document=document)

    assert message in str(caught.value)
    assert (User.objects.count(), Entry.objects.count(), Follow.objects.count()) == counts


def test_a_version_2_document_without_follows_is_refused(patient):
    document = _through_json(user_export(user=patient))
    del document["follows"]
    patient.delete()

    with pytest.raises(PortabilityError, match="document: missing field follows"):
        user_import(document=document)


def test_a_clinicians_account_that_is_no_longer_a_clinician_gets_no_follow(patient, tmp_path):
    path = tmp_path / "patient.json"
    call_command("export_user", "patient@example.com", output=str(path))
    patient.delete()
    User.objects.filter(email="dr-patient@clinic.example").update(role=User.Role.PATIENT)
    out = io.StringIO()

    call_command("import_user", str(path), stdout=out)

    restored = User.objects.get(email="patient@example.com")
    assert list(
        Follow.objects.filter(patient=restored).values_list("clinician__email", flat=True)
    ) == ["physio-patient@clinic.example"]
    assert out.getvalue().splitlines() == [
        "Skipped the follow by dr-patient@clinic.example: that account is not a clinician.",
        "Imported patient@example.com: 3 entries, 2 flags, 1 share links, 2 treatments, "
        "2 check-ins, 2 follows (1 restored).",
    ]


def test_a_stranger_with_the_clinicians_email_on_another_server_gets_no_follow(patient):
    document = _through_json(user_export(user=patient))
    patient.delete()
    # Another server: the same addresses registered by whoever, under new public ids.
    User.objects.filter(email__endswith="@clinic.example").delete()
    ClinicianFactory(email="dr-patient@clinic.example")

    restored = user_restore(document=document)

    assert not Follow.objects.filter(patient=restored.user).exists()
    assert restored.follows_restored == 0
    assert restored.follows_skipped == (
        "Skipped the follow by physio-patient@clinic.example: no such clinician account here.",
        "Skipped the follow by dr-patient@clinic.example: no such clinician account here.",
    )
    assert Contact.objects.filter(user=restored.user).count() == 2
    assert not Invitation.objects.filter(contact__user=restored.user).exists()


def test_follows_come_back_to_the_same_clinicians_with_their_settings(patient):
    document = _through_json(user_export(user=patient))
    patient.delete()

    restored = user_restore(document=document)

    live = Follow.objects.get(patient=restored.user, ended_at__isnull=True)
    assert (live.clinician.email, live.contact.email, live.share_notes) == (
        "dr-patient@clinic.example",
        "gp-patient@clinic.example",
        True,
    )
    assert live.created_at == PAST - timedelta(days=20)
    assert (restored.follows_restored, restored.follows_skipped) == (2, ())


def test_the_export_command_summary_counts_every_kind(patient, tmp_path, capsys):
    call_command("export_user", "patient@example.com", output=str(tmp_path / "p.json"))

    assert capsys.readouterr().err.strip() == (
        f"Exported patient@example.com to {tmp_path / 'p.json'}: 3 entries, 2 flags, "
        "1 share links, 2 treatments, 2 check-ins, 2 follows."
    )


def test_the_help_texts_say_which_versions_are_read():
    for name in ("export_user", "import_user"):
        command = load_command_class("reports", name)
        assert "versions 1 and 2" in command.help
