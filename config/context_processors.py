import re

from django.conf import settings
from django.http import HttpRequest


def emergency_phone_href(number: str) -> str:
    """A tel: link for the number, keeping only what a dialler reads (digits, +, *, #)."""
    return "tel:" + re.sub(r"[^0-9+*#]", "", number)


def site(request: HttpRequest) -> dict:
    return {
        "SITE_URL": settings.SITE_URL,
        "EMERGENCY_PHONE": settings.EMERGENCY_PHONE,
        "EMERGENCY_PHONE_HREF": emergency_phone_href(settings.EMERGENCY_PHONE),
    }
