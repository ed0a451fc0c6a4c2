"""The log page's weekly check-in card and its link to treatments, as small includes.

Tags rather than view code so the log page only gains two lines and its view stays as is.
"""

from __future__ import annotations

from typing import Any

from django import template

from diary.selectors.outcomes import checkin_for_week
from diary.views.outcomes import CHECKIN_DISMISS_COOKIE, this_monday

register = template.Library()


@register.inclusion_tag("diary/_checkin_card.html", takes_context=True)
def checkin_card(context: template.Context) -> dict[str, Any]:
    """Offer this week's check-in unless it is answered or was put off this week."""
    request = context.get("request")
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {"show": False}
    monday = this_monday(user)
    # A dismissal for this week spares the query as well as the card.
    if request.COOKIES.get(CHECKIN_DISMISS_COOKIE) == monday.isoformat():
        return {"show": False}
    if checkin_for_week(user=user, week_of=monday) is not None:
        return {"show": False}
    return {"show": True, "week_of": monday, "csrf_token": context.get("csrf_token")}


@register.inclusion_tag("diary/_treatment_link.html")
def treatment_link() -> dict[str, Any]:
    """The log page's one link to recording a treatment."""
    return {}
