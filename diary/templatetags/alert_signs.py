"""The alerting signs' one definition (diary.rules.signs), handed to the page's script as data."""

from __future__ import annotations

from django import template
from django.utils.html import json_script
from django.utils.safestring import SafeString

from diary.rules.signs import EMERGENCY_CODES, codes_for, sign_definition

register = template.Library()


@register.simple_tag
def alert_signs_json() -> SafeString:
    """A <script type="application/json" id="alert-signs"> the log page's advice reads."""
    return json_script(sign_definition(), "alert-signs")


@register.simple_tag
def advice_kind(values: object) -> str:
    """Which advice a form's submitted values call for (emergency, urgent or none), without JS."""
    locations = getattr(values, "locations", None) or []
    codes = codes_for(
        red_flags=getattr(values, "red_flags", None) or [],
        pain_types=getattr(values, "pain_types", None) or [],
        regions=[str(value).partition(":")[0] for value in locations],
    )
    if codes & EMERGENCY_CODES:
        return "emergency"
    return "urgent" if codes else ""
