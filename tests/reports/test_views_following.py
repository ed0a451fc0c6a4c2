"""The patient's side of following on the account page: invite, share notes, stop (CONTRACT §7)."""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta

import pytest
import time_machine
from django.contrib.messages import get_messages
from django.core import mail
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from diary.models import Contact, Follow, Invitation, SecurityEvent
from tests.factories import ClinicianFactory, ContactFactory, FollowFactory

pytestmark = pytest.mark.django_db

NOW = datetime(2026, 3, 10, 12, 0, tzinfo=UTC)


@pytest.fixture
def contact(user) -> Contact:
    return ContactFactory(user=user, name="Dr Rahman", email="dr.rahman@clinic.example")


@pytest.fixture
def follow(user, contact) -> Follow:
    return FollowFactory(
        patient=user,
        contact=contact,
        clinician=ClinicianFactory(email="dr.rahman@clinic.example"),
        created_at=NOW - timedelta(days=3),
    )


def _said(response) -> list[str]:
    return [str(m) for m in get_messages(response.wsgi_request)]


def _kinds(user) -> list[str]:
    return list(SecurityEvent.objects.filter(user=user).values_list("kind", flat=True))


# --- the account page ----------------------------------------------------------------


def test_a_contact_who_does_not_follow_you_offers_an_invitation(web_client, contact):
    page = web_client.get("/account/").content.decode()

    assert f'action="/account/contacts/{contact.pk}/invite/"' in page
    assert "Invite to follow" in page
    assert "Following your diary" not in page


def test_a_following_contact_shows_since_when_notes_and_stop(web_client, user, follow):
    user.timezone = "Asia/Tokyo"
    user.save()

    page = web_client.get("/account/").content.decode()

    local = follow.created_at.astimezone(user.zone)
    assert f'Following your diary since <time datetime="{local.isoformat()}">' in page
    assert "They cannot read your notes." in page
    assert 'name="share_notes" value="on"' in page
    assert f'action="/account/contacts/{follow.contact.pk}/follow/stop/"' in page
    assert "Stop them following you" in page
    assert "Invite to follow" not in page
    # Every action is a POST carrying the CSRF token.
    assert page.count('name="csrfmiddlewaretoken"') >= 4


def test_a_live_invitation_is_shown_with_its_end(web_client, contact):
    with time_machine.travel(NOW, tick=False):
        web_client.post(f"/account/contacts/{contact.pk}/invite/")
    with time_machine.travel(NOW + timedelta(days=7, seconds=-1), tick=False):
        page = web_client.get("/account/").content.decode()
    assert "Invitation sent; the link works once, until" in page
    assert "Send a new invitation" in page
    with time_machine.travel(NOW + timedelta(days=7), tick=False):
        page = web_client.get("/account/").content.decode()
    assert "Invitation sent" not in page
    assert "Invite to follow" in page


def test_the_page_costs_the_same_queries_for_one_contact_or_many(web_client, user, follow):
    with CaptureQueriesContext(connection) as one:
        web_client.get("/account/")
    for n in range(3):
        FollowFactory(patient=user, clinician=ClinicianFactory(email=f"dr{n}@clinic.example"))
    web_client.post(f"/account/contacts/{ContactFactory(user=user).pk}/invite/")

    with CaptureQueriesContext(connection) as many:
        page = web_client.get("/account/").content.decode()

    assert page.count("Following your diary since") == 4
    assert len(many.captured_queries) == len(one.captured_queries)


# --- inviting ------------------------------------------------------------------------


def test_inviting_e_mails_a_one_time_link_and_says_it_is_valid_7_days(web_client, user, contact):
    with time_machine.travel(NOW, tick=False):
        response = web_client.post(f"/account/contacts/{contact.pk}/invite/")

    assert response.status_code == 302
    assert response["Location"] == "/account/"
    (message,) = mail.outbox
    assert message.to == ["dr.rahman@clinic.example"]
    assert re.search(r"/clinician/accept/[A-Za-z0-9_-]{43}/", message.body)
    invitation = Invitation.objects.get(contact=contact)
    assert invitation.expires_at == NOW + timedelta(days=7)
    assert _said(response) == [
        "Invitation sent to dr.rahman@clinic.example. The link is valid for 7 days "
        "(until 17 Mar) and works once."
    ]
    assert "clinician_invited" in _kinds(user)


def test_inviting_twice_leaves_one_live_invitation(web_client, contact):
    web_client.post(f"/account/contacts/{contact.pk}/invite/")
    web_client.post(f"/account/contacts/{contact.pk}/invite/")

    assert len(mail.outbox) == 2
    assert Invitation.objects.filter(contact=contact, used_at__isnull=True).count() == 1


def test_a_failed_invitation_e_mail_says_so_and_leaves_no_invitation(web_client, contact, settings):
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT, settings.EMAIL_TIMEOUT = "127.0.0.1", 1, 1

    response = web_client.post(f"/account/contacts/{contact.pk}/invite/")

    assert response.status_code == 302
    assert _said(response) == [
        "The invitation e-mail could not be sent. Nothing changed; try again later."
    ]
    assert not Invitation.objects.filter(contact=contact).exists()


def test_inviting_is_a_post(web_client, contact):
    assert web_client.get(f"/account/contacts/{contact.pk}/invite/").status_code == 405
    assert not Invitation.objects.exists()


# --- sharing notes and stopping ------------------------------------------------------


def test_you_turn_note_sharing_on_and_off(web_client, follow):
    url = f"/account/contacts/{follow.contact.pk}/follow/notes/"

    response = web_client.post(url, {"share_notes": "on"})
    follow.refresh_from_db()
    assert (response.status_code, follow.share_notes) == (302, True)
    assert _said(response) == ["Dr Rahman can now read your notes."]
    assert "They can read your notes." in web_client.get("/account/").content.decode()

    response = web_client.post(url, {"share_notes": "off"})
    follow.refresh_from_db()
    assert follow.share_notes is False
    assert _said(response) == ["Dr Rahman can no longer read your notes."]


@pytest.mark.parametrize("data", [{}, {"share_notes": "yes"}, {"share_notes": ""}])
def test_a_bad_share_notes_value_is_a_400_and_changes_nothing(web_client, follow, data):
    response = web_client.post(f"/account/contacts/{follow.contact.pk}/follow/notes/", data)

    assert response.status_code == 400
    follow.refresh_from_db()
    assert follow.share_notes is False


def test_you_stop_a_clinician_following_you(web_client, user, follow):
    response = web_client.post(f"/account/contacts/{follow.contact.pk}/follow/stop/")

    assert response.status_code == 302
    follow.refresh_from_db()
    assert follow.ended_at is not None
    assert _said(response) == ["Dr Rahman no longer follows your diary."]
    assert "clinician_revoked" in _kinds(user)
    page = web_client.get("/account/").content.decode()
    assert "Following your diary" not in page
    assert "Invite to follow" in page


def test_notes_and_stop_are_404_without_a_live_follow(web_client, follow):
    web_client.post(f"/account/contacts/{follow.contact.pk}/follow/stop/")

    for action in ("notes", "stop"):
        url = f"/account/contacts/{follow.contact.pk}/follow/{action}/"
        assert web_client.post(url, {"share_notes": "on"}).status_code == 404


# --- boundaries ----------------------------------------------------------------------

ACTIONS = ("invite/", "follow/notes/", "follow/stop/")


@pytest.mark.parametrize("action", ACTIONS)
def test_another_patients_contact_is_a_404_and_nothing_changes(client, other_user, follow, action):
    client.force_login(other_user)

    response = client.post(f"/account/contacts/{follow.contact.pk}/{action}", {"share_notes": "on"})

    assert response.status_code == 404
    follow.refresh_from_db()
    assert (follow.ended_at, follow.share_notes) == (None, False)
    assert not Invitation.objects.exists()
    assert not mail.outbox


@pytest.mark.parametrize("action", ACTIONS)
def test_a_stranger_is_sent_to_log_in(client, follow, action):
    response = client.post(f"/account/contacts/{follow.contact.pk}/{action}", {"share_notes": "on"})

    assert response.status_code == 302
    assert response["Location"].startswith("/login/")
    follow.refresh_from_db()
    assert follow.ended_at is None


@pytest.mark.parametrize("action", ACTIONS)
def test_a_post_without_the_csrf_token_is_refused(user, follow, action):
    client = Client(enforce_csrf_checks=True)
    client.force_login(user)

    response = client.post(f"/account/contacts/{follow.contact.pk}/{action}", {"share_notes": "on"})

    assert response.status_code == 403
    follow.refresh_from_db()
    assert (follow.ended_at, follow.share_notes) == (None, False)
    assert not Invitation.objects.exists()


def test_the_contact_page_says_removing_them_stops_the_follow(web_client, follow, contact):
    page = web_client.get(f"/account/contacts/{contact.pk}/").content.decode()
    assert "Removing them also stops them following you." in page

    web_client.post(f"/account/contacts/{contact.pk}/follow/stop/")

    page = web_client.get(f"/account/contacts/{contact.pk}/").content.decode()
    assert "Dr Rahman follows your diary" not in page
    assert "Removing them also stops" not in page
