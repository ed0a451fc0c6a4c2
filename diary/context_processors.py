"""Template context for every page."""

from __future__ import annotations

from django.http import HttpRequest

from diary.selectors.flags import flags_urgent


def urgent_flags(request: HttpRequest) -> dict:
    """Active emergency and urgent flags with their advice, for the banner in base.html."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {"urgent_flags": []}
    return {"urgent_flags": flags_urgent(user=user)}
