"""The one-click stop link a contact gets in the notice and in every alert (RFC 8058).

The token is signed, not stored: it names the contact and a digest of the address it was sent
to, so a link stops alerts for that address only, and keeps working for as long as the contact
exists. GET shows a confirmation page (mail scanners follow links); POST stops, from the page or
straight from a mail client's one-click unsubscribe (`List-Unsubscribe-Post`).
"""

from __future__ import annotations

import hashlib

from django.conf import settings
from django.core import signing
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_http_methods

from diary.models import Contact
from diary.selectors.accounts import contact_get_by_id
from diary.services.accounts import contact_alerts_stop

_SALT = "reports.contact-stop"


def _address_tag(email: str) -> str:
    return hashlib.sha256(email.lower().encode()).hexdigest()[:16]


def contact_stop_token(contact: Contact) -> str:
    """The signed token of `contact`'s stop link."""
    return signing.dumps([contact.pk, _address_tag(contact.email)], salt=_SALT)


def contact_stop_url(contact: Contact) -> str:
    """The absolute stop link for `contact`, for e-mail bodies and `List-Unsubscribe`."""
    return settings.SITE_URL + reverse("contact-stop", args=[contact_stop_token(contact)])


def list_unsubscribe_headers(contact: Contact) -> dict[str, str]:
    """RFC 2369 + RFC 8058 headers: mail clients offer a one-click stop that POSTs the link."""
    return {
        "List-Unsubscribe": f"<{contact_stop_url(contact)}>",
        "List-Unsubscribe-Post": "List-Unsubscribe=One-Click",
    }


def contact_from_stop_token(token: str) -> Contact | None:
    """The contact a stop token names, or None when it is forged, mangled or out of date."""
    try:
        pk, tag = signing.loads(token, salt=_SALT)
    except (signing.BadSignature, TypeError, ValueError):
        return None
    contact = contact_get_by_id(pk=pk) if isinstance(pk, int) else None
    if contact is None or _address_tag(contact.email) != tag:
        return None
    return contact


@csrf_exempt  # the signed token is the credential; mail clients POST without a CSRF token
@require_http_methods(["GET", "POST"])
def contact_stop(request: HttpRequest, token: str) -> HttpResponse:
    """GET: ask to confirm; POST: stop this contact's alerts for good."""
    contact = contact_from_stop_token(token)
    if contact is None:
        raise Http404("Unknown stop link")
    if request.method == "POST":
        contact_alerts_stop(contact=contact)
    return render(
        request,
        "reports/contact_stop.html",
        {"contact": contact, "stopped": contact.alerts_stopped_at is not None},
    )
