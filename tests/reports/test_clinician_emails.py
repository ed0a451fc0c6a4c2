"""The invitation e-mail (CONTRACT §7): the one-time link, who invites, nothing from the diary."""

from __future__ import annotations

import pytest

from diary.services.clinicians import invitation_create
from reports.clinician_emails import invitation_message, workspace_report_url
from tests.factories import ContactFactory, EntryFactory

pytestmark = pytest.mark.django_db


def test_the_invitation_names_the_patient_and_carries_the_link(user, settings):
    user.display_name = "Sam Patel"
    user.save()
    EntryFactory(user=user, notes="private words")
    contact = ContactFactory(user=user, name="Dr Rahman", email="dr@clinic.example")
    created = invitation_create(contact=contact)

    message = invitation_message(invitation=created.invitation, token=created.token)

    link = f"{settings.SITE_URL}/clinician/accept/{created.token}/"
    html = message.alternatives[0][0]
    assert message.to == ["dr@clinic.example"]
    assert message.subject == "Sam Patel invites you to follow their symptom diary"
    assert link in message.body and link in html
    assert "Dr Rahman" in message.body
    assert "private words" not in message.body + html
    assert "not a diagnosis" in message.body


def test_the_workspace_report_url_points_at_the_patient(settings):
    assert workspace_report_url(7) == f"{settings.SITE_URL}/clinician/patients/7/"
