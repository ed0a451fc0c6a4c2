"""Following and the clinician workspace API (CONTRACT §7)."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
import time_machine
from django.core import mail
from django.utils import timezone
from rest_framework.test import APIClient

from diary.models import Flag, Follow, Invitation, SecurityEvent, User
from tests.factories import ClinicianFactory, ContactFactory, EntryFactory, FollowFactory
from tests.support.flags import SEVERITIES, about_text, flags_for_both_readers, you_text

pytestmark = pytest.mark.django_db
STRONG = "a-long-unusual-passphrase-42"
TOKEN_IN_MAIL = re.compile(r"/clinician/accept/([A-Za-z0-9_-]+)/")


def client_for(user) -> APIClient:
    client = APIClient()
    client.force_authenticate(user)
    return client


@pytest.fixture
def clinician(db):
    return ClinicianFactory(email="dr.rahman@clinic.example")


@pytest.fixture
def clinician_client(clinician):
    return client_for(clinician)


@pytest.fixture
def contact(user):
    return ContactFactory(user=user, name="Dr Rahman", email="dr.rahman@clinic.example")


def invite(api_client, contact) -> str:
    """Invite the contact; return the token from the e-mail."""
    mail.outbox.clear()
    response = api_client.post(f"/api/contacts/{contact.pk}/invite/")
    assert response.status_code == 201, response.content
    (message,) = mail.outbox
    return TOKEN_IN_MAIL.search(message.body).group(1)


def kinds(user) -> list[str]:
    return list(SecurityEvent.objects.filter(user=user).values_list("kind", flat=True))


# --- registration and /api/me/ --------------------------------------------------------


def test_registering_as_a_clinician_makes_a_clinician_account(anon_client):
    response = anon_client.post(
        "/api/auth/register/",
        {"email": "doc@clinic.example", "password": STRONG, "role": "clinician"},
        format="json",
    )
    assert response.status_code == 201
    assert User.objects.get(pk=response.json()["id"]).role == "clinician"


def test_registering_without_a_role_makes_a_patient_account(anon_client):
    response = anon_client.post(
        "/api/auth/register/", {"email": "p@example.com", "password": STRONG}, format="json"
    )
    assert User.objects.get(pk=response.json()["id"]).role == "patient"


@pytest.mark.parametrize("role", ["admin", "", "Clinician", 3])
def test_registering_with_an_unknown_role_is_a_400_naming_it(anon_client, role):
    response = anon_client.post(
        "/api/auth/register/",
        {"email": "x@example.com", "password": STRONG, "role": role},
        format="json",
    )
    assert response.status_code == 400
    assert "role" in response.json()


def test_the_display_name_is_set_on_me(api_client, user):
    response = api_client.patch("/api/me/", {"display_name": "Sam Patel"}, format="json")
    assert response.status_code == 200
    assert response.json()["display_name"] == "Sam Patel"
    user.refresh_from_db()
    assert user.display_name == "Sam Patel"


def test_a_display_name_over_120_characters_is_a_400(api_client):
    response = api_client.patch("/api/me/", {"display_name": "x" * 121}, format="json")
    assert response.status_code == 400
    assert "display_name" in response.json()


# --- invitations ---------------------------------------------------------------------


def test_inviting_a_contact_e_mails_a_one_time_link(api_client, user, contact, settings):
    response = api_client.post(f"/api/contacts/{contact.pk}/invite/")

    assert response.status_code == 201
    (message,) = mail.outbox
    assert message.to == ["dr.rahman@clinic.example"]
    token = TOKEN_IN_MAIL.search(message.body).group(1)
    assert f"{settings.SITE_URL}/clinician/accept/{token}/" in message.body
    assert len(token) >= 43  # 256 random bits, base64url
    invitation = Invitation.objects.get(contact=contact)
    assert token not in invitation.token_hash  # stored hashed only
    lifetime = invitation.expires_at - invitation.created_at
    assert lifetime == timedelta(days=7)
    assert "clinician_invited" in kinds(user)


def test_inviting_a_contact_twice_leaves_one_live_invitation(api_client, contact, clinician_client):
    first = invite(api_client, contact)
    second = invite(api_client, contact)

    assert Invitation.objects.filter(contact=contact, used_at__isnull=True).count() == 1
    response = clinician_client.post("/api/clinician/accept/", {"token": first}, format="json")
    assert response.status_code == 404
    response = clinician_client.post("/api/clinician/accept/", {"token": second}, format="json")
    assert response.status_code == 200


def test_inviting_another_patients_contact_is_a_404(other_api_client, contact):
    assert other_api_client.post(f"/api/contacts/{contact.pk}/invite/").status_code == 404
    assert not mail.outbox


def test_inviting_needs_a_log_in(anon_client, contact):
    assert anon_client.post(f"/api/contacts/{contact.pk}/invite/").status_code == 401


def test_a_failed_invitation_e_mail_is_a_503_and_leaves_no_invitation(
    api_client, contact, settings
):
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT, settings.EMAIL_TIMEOUT = "127.0.0.1", 1, 1

    response = api_client.post(f"/api/contacts/{contact.pk}/invite/")

    assert response.status_code == 503
    assert "detail" in response.json()
    assert not Invitation.objects.filter(contact=contact).exists()


# --- accepting -----------------------------------------------------------------------


def test_a_clinician_accepting_follows_the_patient(
    api_client, user, contact, clinician, clinician_client
):
    token = invite(api_client, contact)

    response = clinician_client.post("/api/clinician/accept/", {"token": token}, format="json")

    assert response.status_code == 200
    assert response.json() == {"patient": {"id": user.pk, "name": "patient@example.com"}}
    follow = Follow.objects.get(patient=user, clinician=clinician)
    assert follow.ended_at is None and follow.share_notes is False
    assert "clinician_following" in kinds(user)


def test_a_used_token_is_a_404(api_client, contact, clinician_client):
    token = invite(api_client, contact)
    clinician_client.post("/api/clinician/accept/", {"token": token}, format="json")

    other = client_for(ClinicianFactory())
    response = other.post("/api/clinician/accept/", {"token": token}, format="json")
    assert response.status_code == 404
    assert Follow.objects.count() == 1


def test_an_expired_token_is_a_404_and_one_second_before_it_works(
    api_client, contact, clinician_client
):
    token = invite(api_client, contact)
    expires = Invitation.objects.get().expires_at

    with time_machine.travel(expires, tick=False):
        response = clinician_client.post("/api/clinician/accept/", {"token": token}, format="json")
    assert response.status_code == 404
    with time_machine.travel(expires - timedelta(seconds=1), tick=False):
        response = clinician_client.post("/api/clinician/accept/", {"token": token}, format="json")
    assert response.status_code == 200


@pytest.mark.parametrize(
    "token", ["not-a-real-token-" + "x" * 30, "short", "", "../../etc/passwd" * 4, "ü" * 43]
)
def test_an_unknown_or_malformed_token_is_a_404_or_400(clinician_client, token):
    response = clinician_client.post("/api/clinician/accept/", {"token": token}, format="json")
    assert response.status_code in {400, 404}
    assert response.status_code == 404 or "token" in response.json()


def test_another_patients_contacts_token_cannot_be_guessed_from_a_foreign_invitation(
    api_client, other_api_client, other_user, contact, clinician_client
):
    # A token is only ever good for its own contact: the outsider's token opens the outsider.
    foreign_contact = ContactFactory(user=other_user)
    foreign = invite(other_api_client, foreign_contact)
    invite(api_client, contact)

    response = clinician_client.post("/api/clinician/accept/", {"token": foreign}, format="json")

    assert response.json()["patient"]["id"] == other_user.pk
    assert not Follow.objects.filter(patient__email="patient@example.com").exists()


def test_a_patient_account_accepting_is_a_403_and_the_token_stays_good(
    api_client, other_api_client, contact, clinician_client
):
    token = invite(api_client, contact)

    response = other_api_client.post("/api/clinician/accept/", {"token": token}, format="json")

    assert response.status_code == 403
    assert not Follow.objects.exists()
    ok = clinician_client.post("/api/clinician/accept/", {"token": token}, format="json")
    assert ok.status_code == 200


def test_accepting_needs_a_log_in(anon_client):
    response = anon_client.post("/api/clinician/accept/", {"token": "x" * 43}, format="json")
    assert response.status_code == 401


def test_accepting_again_while_following_keeps_one_follow(api_client, contact, clinician_client):
    clinician_client.post("/api/clinician/accept/", {"token": invite(api_client, contact)})
    response = clinician_client.post(
        "/api/clinician/accept/", {"token": invite(api_client, contact)}, format="json"
    )
    assert response.status_code == 200
    assert Follow.objects.filter(ended_at__isnull=True).count() == 1


# --- revoking, leaving, sharing notes ----------------------------------------------------


def test_the_patient_revokes_a_follow_at_once(api_client, user, clinician, clinician_client):
    follow = FollowFactory(patient=user, clinician=clinician)
    assert clinician_client.get(f"/api/clinician/patients/{user.pk}/report/").status_code == 200

    response = api_client.delete(f"/api/contacts/{follow.contact_id}/follow/")

    assert response.status_code == 204
    assert clinician_client.get(f"/api/clinician/patients/{user.pk}/report/").status_code == 404
    assert clinician_client.get("/api/clinician/patients/").json() == []
    assert "clinician_revoked" in kinds(user)
    assert api_client.delete(f"/api/contacts/{follow.contact_id}/follow/").status_code == 404


def test_revoking_another_patients_follow_is_a_404(other_api_client, user, clinician):
    follow = FollowFactory(patient=user, clinician=clinician)
    assert other_api_client.delete(f"/api/contacts/{follow.contact_id}/follow/").status_code == 404
    follow.refresh_from_db()
    assert follow.ended_at is None


def test_the_patient_turns_note_sharing_on_and_off(api_client, user, clinician):
    follow = FollowFactory(patient=user, clinician=clinician)
    path = f"/api/contacts/{follow.contact_id}/follow/"
    assert api_client.get(path).json()["share_notes"] is False

    assert api_client.patch(path, {"share_notes": True}, format="json").json()["share_notes"]
    follow.refresh_from_db()
    assert follow.share_notes is True
    assert api_client.patch(path, {"share_notes": "maybe"}, format="json").status_code == 400


def test_a_clinician_leaves(user, clinician, clinician_client):
    FollowFactory(patient=user, clinician=clinician)

    response = clinician_client.delete(f"/api/clinician/patients/{user.pk}/")

    assert response.status_code == 204
    assert clinician_client.get(f"/api/clinician/patients/{user.pk}/report/").status_code == 404
    assert "clinician_left" in kinds(user)


def test_a_clinician_cannot_leave_someone_they_do_not_follow(user, clinician_client):
    assert clinician_client.delete(f"/api/clinician/patients/{user.pk}/").status_code == 404


# --- the workspace list ----------------------------------------------------------------


def flag(user, code: str, severity: str, **fields) -> Flag:
    return Flag.objects.create(
        user=user,
        code=code,
        severity=severity,
        title=f"{code} title",
        explanation="x",
        source="x",
        **fields,
    )


def test_patients_are_ordered_by_urgency_then_latest_entry(clinician, clinician_client):
    now = timezone.now()
    names = {}
    for name, hours_ago, severity in [
        ("quiet-recent", 1, None),
        ("quiet-older", 30, None),
        ("warning", 50, "warning"),
        ("urgent", 70, "urgent"),
        ("emergency", 90, "emergency"),
        ("info-only", 2, "info"),
        ("never-logged", None, None),
    ]:
        follow = FollowFactory(clinician=clinician, patient__display_name=name)
        names[name] = follow.patient
        if hours_ago is not None:
            EntryFactory(user=follow.patient, occurred_at=now - timedelta(hours=hours_ago))
        if severity:
            flag(follow.patient, f"{severity}_code", severity)

    response = clinician_client.get("/api/clinician/patients/")

    assert response.status_code == 200
    assert [row["name"] for row in response.json()] == [
        "emergency",
        "urgent",
        "warning",
        "quiet-recent",
        "info-only",
        "quiet-older",
        "never-logged",
    ]


def test_a_patient_row_carries_the_contract_fields(user, clinician, clinician_client):
    FollowFactory(patient=user, clinician=clinician)
    now = timezone.now()
    zone = user.zone
    today = now.astimezone(zone).date()
    # Days 0-6 (this week) at 6, days 7-13 at 3, day 20 outside the fortnight.
    for back, intensity in [(0, 6), (0, 8), (3, 4), (7, 3), (13, 3), (20, 9)]:
        moment = timezone.make_aware(
            timezone.datetime.combine(today - timedelta(days=back), timezone.datetime.min.time())
            + timedelta(hours=12),
            zone,
        )
        EntryFactory(user=user, occurred_at=moment, intensity=intensity)
    flag(user, "motor_weakness", "urgent")
    flag(user, "old", "urgent", status="resolved")

    (row,) = clinician_client.get("/api/clinician/patients/").json()

    assert set(row) == {
        "id",
        "name",
        "last_entry_at",
        "days_logged_14",
        "mean_intensity_7",
        "change_7",
        "active_flags",
    }
    assert row["id"] == user.pk and row["name"] == "patient@example.com"
    assert row["days_logged_14"] == 4
    assert row["mean_intensity_7"] == 6.0  # (6 + 8 + 4) / 3
    assert row["change_7"] == 3.0  # 6.0 - 3.0: positive = worse
    assert [(f["code"], f["severity"]) for f in row["active_flags"]] == [
        ("motor_weakness", "urgent")
    ]
    assert row["last_entry_at"].startswith(str(today))


def test_change_7_is_null_without_entries_in_both_weeks(user, clinician, clinician_client):
    FollowFactory(patient=user, clinician=clinician)
    EntryFactory(user=user)
    (row,) = clinician_client.get("/api/clinician/patients/").json()
    assert row["change_7"] is None
    assert row["mean_intensity_7"] == 5.0


def test_the_list_shows_only_patients_who_follow_linked_this_clinician(
    user, other_user, clinician, clinician_client
):
    FollowFactory(patient=user, clinician=clinician)
    FollowFactory(patient=other_user)  # another clinician's patient
    ended = FollowFactory(clinician=clinician)
    ended.ended_at = timezone.now()
    ended.save()

    rows = clinician_client.get("/api/clinician/patients/").json()

    assert [r["id"] for r in rows] == [user.pk]


def test_the_list_is_written_to_each_patients_security_log(user, clinician, clinician_client):
    FollowFactory(patient=user, clinician=clinician)
    clinician_client.get("/api/clinician/patients/")
    event = SecurityEvent.objects.get(user=user, kind="clinician_viewed")
    assert clinician.email in event.detail


def test_the_list_query_count_does_not_grow_with_patients(
    clinician, clinician_client, django_assert_num_queries
):
    def add_patient() -> None:
        follow = FollowFactory(clinician=clinician)
        EntryFactory(user=follow.patient)
        flag(follow.patient, "motor_weakness", "urgent")

    add_patient()
    with django_assert_num_queries(4):  # follows, day totals, flags, one log insert
        assert len(clinician_client.get("/api/clinician/patients/").json()) == 1
    for _ in range(4):
        add_patient()
    with django_assert_num_queries(4):
        assert len(clinician_client.get("/api/clinician/patients/").json()) == 5


# --- one patient's report ----------------------------------------------------------------


def test_the_report_gives_the_clinician_reports_numbers(user, clinician, clinician_client):
    FollowFactory(patient=user, clinician=clinician)
    EntryFactory(user=user, intensity=7, notes="private words")

    response = clinician_client.get(f"/api/clinician/patients/{user.pk}/report/?days=30")

    assert response.status_code == 200
    body = response.json()
    assert body["patient"] == {"id": user.pk, "name": "patient@example.com"}
    assert body["summary"]["entry_count"] == 1
    assert body["summary"]["mean_intensity"] == 7.0
    assert body["summary"]["days_in_period"] == 30
    assert body["notes_shared"] is False and body["notes"] is None
    assert b"private words" not in response.content
    event = SecurityEvent.objects.get(user=user, kind="clinician_viewed")
    assert "report" in event.detail


def test_the_report_carries_notes_only_when_shared_with_this_clinician(
    user, clinician, clinician_client
):
    follow = FollowFactory(patient=user, clinician=clinician, share_notes=True)
    EntryFactory(user=user, notes="private words")
    other = FollowFactory(patient=user)  # a second clinician without notes

    body = clinician_client.get(f"/api/clinician/patients/{user.pk}/report/").json()
    assert [n["notes"] for n in body["notes"]] == ["private words"]
    hidden = client_for(other.clinician).get(f"/api/clinician/patients/{user.pk}/report/")
    assert b"private words" not in hidden.content
    assert follow.share_notes


@pytest.mark.parametrize("days", ["0", "366", "abc", "-5", "1.5"])
def test_a_bad_period_is_a_400(user, clinician, clinician_client, days):
    FollowFactory(patient=user, clinician=clinician)
    response = clinician_client.get(f"/api/clinician/patients/{user.pk}/report/?days={days}")
    assert response.status_code == 400
    assert "days" in response.json()


@pytest.mark.parametrize("days", ["1", "365"])
def test_the_period_bounds_are_accepted(user, clinician, clinician_client, days):
    FollowFactory(patient=user, clinician=clinician)
    response = clinician_client.get(f"/api/clinician/patients/{user.pk}/report/?days={days}")
    assert response.json()["summary"]["days_in_period"] == int(days)


def test_another_patients_report_is_a_404(user, other_user, clinician, clinician_client):
    FollowFactory(patient=user, clinician=clinician)
    for pk in (other_user.pk, 999999, clinician.pk):
        assert clinician_client.get(f"/api/clinician/patients/{pk}/report/").status_code == 404
    assert not SecurityEvent.objects.filter(user=other_user, kind="clinician_viewed").exists()


@pytest.mark.parametrize(
    ("method", "path"),
    [
        ("get", "/api/clinician/patients/"),
        ("get", "/api/clinician/patients/{pk}/report/"),
        ("delete", "/api/clinician/patients/{pk}/"),
        ("post", "/api/clinician/accept/"),
    ],
)
def test_a_patient_account_gets_403_on_every_clinician_path(api_client, user, method, path):
    response = getattr(api_client, method)(path.format(pk=user.pk), {}, format="json")
    assert response.status_code == 403


@pytest.mark.parametrize("path", ["/api/clinician/patients/", "/api/clinician/patients/1/report/"])
def test_strangers_get_401_on_clinician_paths(anon_client, path):
    assert anon_client.get(path).status_code == 401


def test_a_share_link_token_is_no_invitation(api_client, user, clinician_client):
    from reports.services import share_link_create

    foreign = share_link_create(user=user).token

    response = clinician_client.post("/api/clinician/accept/", {"token": foreign}, format="json")

    assert response.status_code == 404
    assert not Follow.objects.exists()


def test_deleting_the_contact_ends_the_clinicians_access(api_client, user, clinician):
    follow = FollowFactory(patient=user, clinician=clinician)

    assert api_client.delete(f"/api/contacts/{follow.contact_id}/").status_code == 204

    response = client_for(clinician).get(f"/api/clinician/patients/{user.pk}/report/")
    assert response.status_code == 404


def test_the_report_speaks_about_the_patient_most_severe_first(user, clinician, clinician_client):
    FollowFactory(patient=user, clinician=clinician)
    flags_for_both_readers(user)

    response = clinician_client.get(f"/api/clinician/patients/{user.pk}/report/")

    flags = response.json()["summary"]["active_flags"]
    assert [f["severity"] for f in flags] == list(SEVERITIES)
    assert [f["explanation"] for f in flags] == [about_text(s) for s in SEVERITIES]
    for severity in SEVERITIES:
        assert you_text(severity).encode() not in response.content
    assert set(flags[0]) == {
        "code",
        "severity",
        "title",
        "explanation",
        "source",
        "status",
        "first_detected_on",
        "last_seen_on",
    }


def test_past_flags_in_the_report_also_speak_about_the_patient(user, clinician, clinician_client):
    FollowFactory(patient=user, clinician=clinician)
    for flag in flags_for_both_readers(user):
        flag.status = "acknowledged"
        flag.save(update_fields=["status"])

    body = clinician_client.get(f"/api/clinician/patients/{user.pk}/report/").json()

    assert body["summary"]["active_flags"] == []
    past = body["summary"]["past_flags"]
    assert [(f["severity"], f["explanation"]) for f in past] == [
        (s, about_text(s)) for s in SEVERITIES
    ]


def test_an_outsider_reads_no_flag_text(user, clinician_client):
    flags_for_both_readers(user)
    response = clinician_client.get(f"/api/clinician/patients/{user.pk}/report/")
    assert response.status_code == 404
    assert b"Thirdperson" not in response.content
