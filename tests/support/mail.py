"""Reading what the e-mails carry: the contacts' one-click stop links."""

from __future__ import annotations

import re

from django.conf import settings

from diary.models import Contact
from reports.contact_links import contact_from_stop_token


def stop_link_contacts(text: str) -> list[Contact | None]:
    """The contact each stop link in `text` names (None for a link that does not verify).

    Links are compared by what they name, never letter for letter: a stop token is signed
    with the second it was made, so one made a moment later in the test differs.
    """
    pattern = re.escape(settings.SITE_URL) + r"/stop/([A-Za-z0-9_:\-]+)/"
    return [contact_from_stop_token(token) for token in re.findall(pattern, text)]
