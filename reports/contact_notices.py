"""The one-time notice to a contact who will receive a patient's alerts (CONTRACT §4).

Nobody should get "Emergency symptom alert" mails from a stranger's diary without having been
told first who added them, what they will get, and how to stop it in one click. A beat task
every minute sends the notice to each contact with `receive_alerts` whose current address has
not had one yet; claiming before sending means two workers never send it twice.
"""

from __future__ import annotations

import logging

from celery import shared_task
from django.core.mail import EmailMultiAlternatives
from django.db.models import F

from diary.models import Contact
from diary.services.accounts import contact_notice_claim, contact_notice_unclaim
from reports.contact_links import contact_stop_url, list_unsubscribe_headers
from reports.emails import SEND_ERRORS, make_message

logger = logging.getLogger(__name__)


def contact_notice_message(*, contact: Contact) -> EmailMultiAlternatives:
    """Tells the contact who added them, what they will receive, and how to stop it."""
    patient = contact.user
    message = make_message(
        "contact-notice",
        [contact.email],
        {
            "contact_name": contact.name,
            "contact_email": contact.email,
            "patient_email": patient.email,
            "stop_url": contact_stop_url(contact),
        },
    )
    message.extra_headers.update(list_unsubscribe_headers(contact))
    return message


def contact_notices_pending() -> list[Contact]:
    """Contacts with alerts on whose current address has had no notice."""
    return list(
        Contact.objects.filter(receive_alerts=True, alerts_stopped_at__isnull=True)
        .exclude(notice_sent_to=F("email"))
        .select_related("user")
    )


def contact_notice_send(*, contact: Contact) -> bool:
    """Claim and send one notice; False when another run had it or the send failed."""
    previous = contact.notice_sent_to
    if not contact_notice_claim(contact=contact):
        return False
    try:
        contact_notice_message(contact=contact).send()
    except SEND_ERRORS as exc:
        contact_notice_unclaim(contact=contact, previous=previous)
        logger.warning("Contact notice %s failed, retried next minute: %s", contact.pk, exc)
        return False
    logger.info("Contact notice sent for contact %s", contact.pk)
    return True


@shared_task(name="reports.send_contact_notices")
def send_contact_notices() -> int:
    """Send every pending contact notice; how many went out."""
    return sum(contact_notice_send(contact=c) for c in contact_notices_pending())
