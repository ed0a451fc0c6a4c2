"""Flags whose two texts tell apart who a page speaks to (CONTRACT §5 "Who reads it")."""

from __future__ import annotations

from datetime import timedelta

from django.utils import timezone

from diary.models import Flag

# Most severe first: the order every clinician-facing list must show.
SEVERITIES = ("emergency", "urgent", "warning", "info")


def you_text(severity: str) -> str:
    return f"Secondperson{severity}"


def about_text(severity: str) -> str:
    return f"Thirdperson{severity}"


def flag_title(severity: str) -> str:
    return f"Title{severity}"


def flags_for_both_readers(user) -> list[Flag]:
    """One active flag per severity, the least severe seen last, so "newest first" is wrong."""
    now = timezone.now()
    return [
        Flag.objects.create(
            user=user,
            code=f"code_{severity}",
            severity=severity,
            title=flag_title(severity),
            explanation=you_text(severity),
            clinician_explanation=about_text(severity),
            source="s",
            first_detected_at=now - timedelta(hours=4 - rank),
            last_seen_at=now - timedelta(hours=4 - rank),
        )
        for rank, severity in enumerate(SEVERITIES)
    ]


def in_severity_order(text: str) -> bool:
    """Whether the four titles appear in `text`, emergency first, info last."""
    positions = [text.find(flag_title(s)) for s in SEVERITIES]
    return -1 not in positions and positions == sorted(positions)
