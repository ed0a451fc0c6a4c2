"""The clinician workspace pages (CONTRACT §7): list, report, downloads, leave, accept."""

from __future__ import annotations

import csv
import io
import json
from datetime import UTC, datetime, timedelta

import pytest
from django.utils import timezone
from pypdf import PdfReader

from diary.models import Flag, Follow, SecurityEvent
from diary.services.clinicians import invitation_create
from reports.services import share_link_create
from tests.factories import ClinicianFactory, ContactFactory, EntryFactory, FollowFactory
from tests.support.flags import (
    SEVERITIES,
    about_text,
    flags_for_both_readers,
    in_severity_order,
    you_text,
)

pytestmark = pytest.mark.django_db
SECRET = "zebra-kumquat-note"


@pytest.fixture
def clinician(db):
    return ClinicianFactory(email="dr.rahman@clinic.example", timezone="Europe/London")


@pytest.fixture
def doctor_client(client, clinician):
    client.force_login(clinician)
    return client


@pytest.fixture
def follow(user, clinician):
    EntryFactory(user=user, intensity=6, notes=SECRET)
    return FollowFactory(patient=user, clinician=clinician)


def _resource_types(bundle: dict) -> list[str]:
    return [item["resource"]["resourceType"] for item in bundle["entry"]]


def viewed(user) -> list[str]:
    """What each logged clinician view was of ("report", "CSV download", …)."""
    details = SecurityEvent.objects.filter(user=user, kind="clinician_viewed").values_list(
        "detail", flat=True
    )
    return [detail.split(": ", 1)[1] for detail in details]


def test_the_list_puts_urgent_patients_first_with_the_time_raised(doctor_client, clinician):
    calm = FollowFactory(clinician=clinician, patient__display_name="Calm Carter")
    EntryFactory(user=calm.patient)
    urgent = FollowFactory(clinician=clinician, patient__display_name="Urgent Usman")
    EntryFactory(user=urgent.patient, occurred_at=timezone.now() - timedelta(days=3))
    Flag.objects.create(
        user=urgent.patient,
        code="motor_weakness",
        severity="urgent",
        title="Foot drop signs",
        explanation="x",
        source="x",
        first_detected_at=datetime(2026, 11, 20, 14, 5, tzinfo=UTC),
    )

    response = doctor_client.get("/clinician/")

    html = response.content.decode()
    assert response.status_code == 200
    assert response["Cache-Control"] == "no-store"
    assert html.index("Urgent Usman") < html.index("Calm Carter")
    assert "Foot drop signs" in html
    assert "20 Nov, 14:05" in html  # raised, in the clinician's zone
    assert html.count('class="sparkline"') == 2
    assert f'href="/clinician/patients/{urgent.patient_id}/"' in html
    assert len(viewed(urgent.patient)) == 1 and len(viewed(calm.patient)) == 1


def test_the_list_is_friendly_when_empty(doctor_client):
    response = doctor_client.get("/clinician/")
    assert "No patients yet" in response.content.decode()


def test_the_report_is_the_share_pages_builder(doctor_client, user, follow):
    created = share_link_create(user=user, days=90)
    shared = doctor_client.get(f"/r/{created.token}/").content.decode()

    response = doctor_client.get(f"/clinician/patients/{user.pk}/")

    html = response.content.decode()
    assert response.status_code == 200
    # The same template and numbers: every heading of the share page is here too.
    for heading in ("Summary", "Red-flag symptoms reported", "Patterns flagged by the diary"):
        assert heading in shared and heading in html
    for link in ('href="pdf/"', 'href="csv/"', 'href="fhir/"'):
        assert link in html and link in shared
    assert SECRET not in html
    assert "report" in viewed(user)


def test_notes_show_only_when_the_patient_shares_them(doctor_client, user, follow):
    assert SECRET not in doctor_client.get(f"/clinician/patients/{user.pk}/").content.decode()
    follow.share_notes = True
    follow.save()

    html = doctor_client.get(f"/clinician/patients/{user.pk}/").content.decode()

    assert "The patient's notes" in html and SECRET in html


def test_the_pdf_is_one_page(doctor_client, user, follow):
    response = doctor_client.get(f"/clinician/patients/{user.pk}/pdf/")

    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert len(PdfReader(io.BytesIO(response.content)).pages) == 1
    assert "report PDF" in viewed(user)


def test_the_csv_has_labels_and_no_notes_unless_shared(doctor_client, user, follow):
    response = doctor_client.get(f"/clinician/patients/{user.pk}/csv/")

    rows = list(csv.DictReader(io.StringIO(response.content.decode())))
    assert response["Content-Disposition"].startswith("attachment;")
    assert rows[0]["locations"] == "Calf (left)"
    assert "notes" not in rows[0]
    follow.share_notes = True
    follow.save()
    shared = doctor_client.get(f"/clinician/patients/{user.pk}/csv/").content.decode()
    assert SECRET in shared


def test_the_fhir_bundle_leaves_notes_out_unless_shared(doctor_client, user, follow):
    response = doctor_client.get(f"/clinician/patients/{user.pk}/fhir/")

    bundle = json.loads(response.content)
    assert bundle["resourceType"] == "Bundle"
    assert _resource_types(bundle) == ["Patient", "Observation"]  # §4: one Patient, one entry
    assert SECRET not in response.content.decode()
    assert "FHIR download" in viewed(user)


@pytest.mark.parametrize("suffix", ["", "pdf/", "csv/", "fhir/", "leave/"])
def test_another_patients_id_is_a_404(doctor_client, other_user, follow, suffix):
    EntryFactory(user=other_user, notes=SECRET)
    FollowFactory(patient=other_user)  # followed by someone else

    response = doctor_client.get(f"/clinician/patients/{other_user.pk}/{suffix}")

    assert response.status_code == 404
    assert SECRET.encode() not in response.content
    assert viewed(other_user) == []


@pytest.mark.parametrize("path", ["/clinician/", "/clinician/patients/1/", "/clinician/accept/x/"])
def test_a_patient_account_gets_403(web_client, path):
    response = web_client.get(path)
    assert response.status_code == 403
    assert "for clinician accounts" in response.content.decode()


def test_strangers_are_sent_to_log_in(client):
    response = client.get("/clinician/")
    assert response.status_code == 302 and "/login/" in response["Location"]


def test_a_clinician_leaves_from_the_web(doctor_client, user, follow):
    assert doctor_client.get(f"/clinician/patients/{user.pk}/leave/").status_code == 200

    response = doctor_client.post(f"/clinician/patients/{user.pk}/leave/")

    assert response.status_code == 302
    follow.refresh_from_db()
    assert follow.ended_at is not None
    assert doctor_client.get(f"/clinician/patients/{user.pk}/").status_code == 404


def test_the_accept_page_asks_before_using_the_token(doctor_client, user, clinician):
    contact = ContactFactory(user=user)
    token = invitation_create(contact=contact).token

    page = doctor_client.get(f"/clinician/accept/{token}/")
    assert page.status_code == 200 and not Follow.objects.exists()
    assert page["Referrer-Policy"] == "no-referrer"

    response = doctor_client.post(f"/clinician/accept/{token}/")

    assert response.status_code == 302 and response["Location"] == "/clinician/"
    assert Follow.objects.get().clinician == clinician
    again = doctor_client.post(f"/clinician/accept/{token}/")
    assert again.status_code == 404
    assert "not available" in again.content.decode()


def test_a_clinicians_home_page_is_the_patient_list(doctor_client):
    response = doctor_client.get("/")
    assert response.status_code == 302 and response["Location"] == "/clinician/"


def test_share_link_downloads_cover_the_period_without_notes(client, user):
    EntryFactory(user=user, notes=SECRET)
    EntryFactory(user=user, occurred_at=timezone.now() - timedelta(days=40))
    created = share_link_create(user=user, days=30)

    csv_response = client.get(f"/r/{created.token}/csv/")
    fhir_response = client.get(f"/r/{created.token}/fhir/")

    assert csv_response.status_code == 200 and fhir_response.status_code == 200
    assert len(list(csv.DictReader(io.StringIO(csv_response.content.decode())))) == 1
    assert _resource_types(json.loads(fhir_response.content)) == ["Patient", "Observation"]
    for response in (csv_response, fhir_response):
        assert SECRET not in response.content.decode()
        assert response["Cache-Control"] == "no-store"
        assert response["X-Robots-Tag"] == "noindex, nofollow"
    assert client.get("/r/not-a-real-token-xxxxxxxxxxxxxxxxxxxxxxxxxxxxxx/csv/").status_code == 404


def test_names_and_flag_titles_are_escaped_in_the_list(doctor_client, clinician):
    follow = FollowFactory(clinician=clinician, patient__display_name="<script>x</script>")
    Flag.objects.create(
        user=follow.patient,
        code="motor_weakness",
        severity="urgent",
        title="<b>bold</b>",
        explanation="x",
        source="x",
    )

    html = doctor_client.get("/clinician/").content.decode()

    assert "<script>x</script>" not in html and "&lt;script&gt;x&lt;/script&gt;" in html
    assert "<b>bold</b>" not in html and "&lt;b&gt;bold&lt;/b&gt;" in html


# --- who reads a flag's text --------------------------------------------------------------


def test_the_workspace_report_speaks_about_the_patient_most_severe_first(
    doctor_client, user, follow
):
    flags_for_both_readers(user)

    html = doctor_client.get(f"/clinician/patients/{user.pk}/").content.decode()

    assert in_severity_order(html)
    for severity in SEVERITIES:
        assert about_text(severity) in html
        assert you_text(severity) not in html


def test_the_workspace_pdf_speaks_about_the_patient_most_severe_first(doctor_client, user, follow):
    flags_for_both_readers(user)

    response = doctor_client.get(f"/clinician/patients/{user.pk}/pdf/")

    text = "".join(p.extract_text() for p in PdfReader(io.BytesIO(response.content)).pages)
    assert in_severity_order(text)
    assert about_text("emergency") in text
    assert "Secondperson" not in text


def test_an_outsider_reads_no_flag_text_in_the_workspace(doctor_client, other_user):
    flags_for_both_readers(other_user)
    for suffix in ("", "pdf/"):
        response = doctor_client.get(f"/clinician/patients/{other_user.pk}/{suffix}")
        assert response.status_code == 404
        assert b"Thirdperson" not in response.content
