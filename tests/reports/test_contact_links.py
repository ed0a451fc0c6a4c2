"""Alerts nobody can aim (CONTRACT §4): at most 10 contacts, a one-time notice to each contact
who will get alerts, and a one-click stop link (RFC 8058) that ends them."""

from __future__ import annotations

import re

import pytest
from django.core import mail, signing

from diary.models import Contact, SecurityEvent
from reports.contact_links import contact_stop_token, contact_stop_url
from reports.contact_notices import send_contact_notices
from tests.factories import ContactFactory
from tests.support.mail import stop_link_contacts

pytestmark = pytest.mark.django_db


def add(api_client, n: int, **fields: object):
    return api_client.post(
        "/api/contacts/",
        {"name": f"Dr {n}", "email": f"doc{n}@clinic.example", **fields},
        format="json",
    )


def stop_path(contact: Contact) -> str:
    return re.sub(r"^https?://[^/]+", "", contact_stop_url(contact))


def test_ten_contacts_are_accepted_and_the_eleventh_is_refused(api_client, user):
    assert [add(api_client, n).status_code for n in range(10)] == [201] * 10
    eleventh = add(api_client, 10)
    assert eleventh.status_code == 400
    assert "at most 10" in str(eleventh.json())
    assert Contact.objects.filter(user=user).count() == 10


def test_the_web_form_refuses_an_eleventh_contact_too(web_client, user):
    ContactFactory.create_batch(10, user=user)
    response = web_client.post(
        "/account/contacts/add/", {"contact-name": "Dr X", "contact-email": "x@clinic.example"}
    )
    assert response.status_code == 200
    assert "at most 10" in response.content.decode()
    assert Contact.objects.filter(user=user).count() == 10


def test_a_new_contact_with_alerts_gets_one_notice(api_client, user):
    contact_id = add(api_client, 1).json()["id"]
    add(api_client, 2, receive_alerts=False)
    assert send_contact_notices() == 1
    assert send_contact_notices() == 0  # once only
    [notice] = mail.outbox
    contact = Contact.objects.get(pk=contact_id)
    assert notice.to == ["doc1@clinic.example"]
    assert user.email in notice.subject
    body = notice.body
    assert user.email in body  # who added them
    assert "emergency or urgent warning sign" in body  # what they will get
    assert stop_link_contacts(body) == [contact]  # how to stop, in one click
    html = notice.alternatives[0][0]
    assert set(stop_link_contacts(html)) == {contact}  # the button and its text
    header = notice.extra_headers["List-Unsubscribe"]
    assert header.startswith("<") and header.endswith(">")
    assert stop_link_contacts(header) == [contact]
    assert notice.extra_headers["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    assert "List-Unsubscribe-Post: List-Unsubscribe=One-Click" in notice.message().as_string()


def test_a_changed_address_or_alerts_switched_on_gets_its_own_notice(api_client, user):
    contact_id = add(api_client, 1, receive_alerts=False).json()["id"]
    assert send_contact_notices() == 0
    api_client.patch(f"/api/contacts/{contact_id}/", {"receive_alerts": True}, format="json")
    api_client.patch(f"/api/contacts/{contact_id}/", {"name": "Dr Renamed"}, format="json")
    assert send_contact_notices() == 1
    api_client.patch(f"/api/contacts/{contact_id}/", {"email": "new@clinic.example"}, format="json")
    assert send_contact_notices() == 1
    assert [m.to for m in mail.outbox] == [["doc1@clinic.example"], ["new@clinic.example"]]


def test_the_stop_link_asks_first_then_stops_on_post(client, user):
    contact = ContactFactory(user=user, email="gp@clinic.example")
    page = client.get(stop_path(contact))
    assert page.status_code == 200
    assert "Stop symptom alerts?" in page.content.decode()
    assert page["Cache-Control"] == "no-store"
    contact.refresh_from_db()
    assert contact.receive_alerts is True  # a mail scanner opening the link changes nothing

    done = client.post(stop_path(contact))  # the form on the page, no CSRF token needed
    assert done.status_code == 200
    assert "Alerts stopped" in done.content.decode()
    contact.refresh_from_db()
    assert contact.receive_alerts is False
    assert contact.alerts_stopped_at is not None
    assert SecurityEvent.objects.filter(user=user, kind="contact_stopped").count() == 1


def test_rfc_8058_one_click_post_stops_alerts(user):
    from django.test import Client

    contact = ContactFactory(user=user)
    response = Client(enforce_csrf_checks=True).post(
        stop_path(contact),
        "List-Unsubscribe=One-Click",
        content_type="application/x-www-form-urlencoded",
    )
    assert response.status_code == 200
    contact.refresh_from_db()
    assert contact.receive_alerts is False


def test_a_stopped_contact_gets_no_notice_and_the_patient_cannot_switch_them_back(
    api_client, client, user
):
    contact_id = add(api_client, 1).json()["id"]
    contact = Contact.objects.get(pk=contact_id)
    client.post(stop_path(contact))
    assert send_contact_notices() == 0
    again = api_client.patch(
        f"/api/contacts/{contact_id}/", {"receive_alerts": True}, format="json"
    )
    assert again.status_code == 400
    assert "receive_alerts" in again.json()
    assert Contact.objects.get(pk=contact_id).receive_alerts is False


@pytest.mark.parametrize(
    "token",
    ["nonsense", "WzEsImFiYyJd:1abc:forged", ""],
)
def test_a_forged_or_mangled_stop_link_is_404(client, user, token):
    ContactFactory(user=user)
    assert client.post(f"/stop/{token}x/").status_code == 404


def test_a_stop_link_does_not_work_for_a_changed_address(client, user):
    contact = ContactFactory(user=user, email="old@clinic.example")
    old_path = stop_path(contact)
    Contact.objects.filter(pk=contact.pk).update(email="new@clinic.example")
    assert client.post(old_path).status_code == 404
    contact.refresh_from_db()
    assert contact.receive_alerts is True


def test_the_stop_token_names_no_address(user):
    contact = ContactFactory(user=user, email="gp@clinic.example")
    token = contact_stop_token(contact)
    # The signed payload (not the random-looking signature, which may spell "gp" by chance).
    payload = signing.b64_decode(token.split(":")[0].encode()).decode()
    assert "gp" not in payload.lower()
    assert "clinic" not in payload.lower()
    assert contact_stop_url(contact).startswith("http://127.0.0.1:8000/stop/")


def test_the_notice_sweep_is_on_the_beat_schedule(settings):
    schedule = settings.CELERY_BEAT_SCHEDULE["send-contact-notices"]
    assert schedule["task"] == "reports.send_contact_notices"
    assert "reports.contact_notices" in settings.CELERY_IMPORTS


def test_bidirectional_overrides_are_stripped_from_contact_names(api_client):
    response = api_client.post(
        "/api/contacts/",
        {"name": "Dr \u202eevil\u202c Smith\u2066", "email": "s@clinic.example"},
        format="json",
    )
    assert response.json()["name"] == "Dr evil Smith"
