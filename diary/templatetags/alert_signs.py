"""The alerting signs' one definition (diary.rules.signs), handed to the page's script as data."""

from __future__ import annotations

from django import template
from django.utils.html import json_script
from django.utils.safestring import SafeString

from diary.rules.signs import sign_definition

register = template.Library()


@register.simple_tag
def alert_signs_json() -> SafeString:
    """A <script type="application/json" id="alert-signs"> the log page's advice reads."""
    return json_script(sign_definition(), "alert-signs")
