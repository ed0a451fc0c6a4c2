"""Writes for sharing: create, revoke, expire and open share links; the lookup rate limit."""

from __future__ import annotations

import hashlib
import hmac
import re
import secrets
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta

from django.conf import settings
from django.core.cache import cache
from django.db import transaction
from django.db.models import Count, F, Max
from django.urls import reverse
from django.utils import timezone

from core import ratelimit
from core.sanitize import strip_bidi_controls
from diary.models import Entry, Flag, SecurityEvent, User
from diary.services.accounts import security_event_record
from reports.models import ShareLink, ShareView
from reports.selectors import period_ending_today

SHARE_PDF_CACHE_SECONDS = 60 * 60
SHARE_DAYS_DEFAULT = 90
SHARE_DAYS_MAX = 365
EXPIRES_IN_DAYS_DEFAULT = 30
EXPIRES_IN_DAYS_MAX = 90
# token_urlsafe(32) is 43 characters of 256 random bits; anything far off that shape is
# rejected before hashing, though it still counts against the caller's rate limit.
_TOKEN_SHAPE = re.compile(r"^[A-Za-z0-9_-]{32,64}$")


@dataclass(frozen=True, slots=True)
class CreatedShare:
    """A new link and its token; the token exists only here, never in the database."""

    link: ShareLink
    token: str

    @property
    def url(self) -> str:
        return share_url(self.token)


def token_digest(token: str) -> str:
    """SHA-256 hex of a token: the only form a token is stored or looked up in."""
    return hashlib.sha256(token.encode()).hexdigest()


def share_url(token: str) -> str:
    """The absolute link a clinician opens: SITE_URL and the share view's route."""
    return f"{settings.SITE_URL}{reverse('reports:share-view', args=[token])}"


def share_link_create(
    *,
    user: User,
    label: str = "",
    days: int = SHARE_DAYS_DEFAULT,
    expires_in_days: int = EXPIRES_IN_DAYS_DEFAULT,
    ip: str | None = None,
    user_agent: str = "",
) -> CreatedShare:
    """A link to the `days` days ending today (patient's zone), live for `expires_in_days`."""
    if not 1 <= days <= SHARE_DAYS_MAX:
        raise ValueError(f"days must be 1–{SHARE_DAYS_MAX}")
    if not 1 <= expires_in_days <= EXPIRES_IN_DAYS_MAX:
        raise ValueError(f"expires_in_days must be 1–{EXPIRES_IN_DAYS_MAX}")
    now = timezone.now()
    start, end = period_ending_today(user=user, days=days, now=now)
    token = secrets.token_urlsafe(32)
    with transaction.atomic():
        link = ShareLink.objects.create(
            user=user,
            label=strip_bidi_controls(label).strip()[:120],
            token_hash=token_digest(token),
            period_start=start,
            period_end=end,
            created_at=now,
            expires_at=now + timedelta(days=expires_in_days),
        )
        security_event_record(
            user=user,
            kind=SecurityEvent.Kind.SHARE_CREATED,
            ip=ip,
            user_agent=user_agent,
            detail=f"link {link.pk}, {start.isoformat()}–{end.isoformat()}",
        )
    return CreatedShare(link=link, token=token)


def share_link_revoke(*, link: ShareLink, ip: str | None = None, user_agent: str = "") -> ShareLink:
    """End the link for good; revoking twice keeps the first time."""
    if link.revoked_at is None:
        with transaction.atomic():
            now = timezone.now()
            ShareLink.objects.filter(pk=link.pk, revoked_at__isnull=True).update(revoked_at=now)
            link.revoked_at = now
            security_event_record(
                user=link.user,
                kind=SecurityEvent.Kind.SHARE_REVOKED,
                ip=ip,
                user_agent=user_agent,
                detail=f"link {link.pk}",
            )
    return link


def share_link_expire(*, link: ShareLink, now: datetime | None = None) -> ShareLink:
    """Make the link expire now (operators and tests); an earlier expiry is kept."""
    now = now or timezone.now()
    if link.expires_at > now:
        ShareLink.objects.filter(pk=link.pk).update(expires_at=now)
        link.expires_at = now
    return link


def share_link_resolve(*, token: str) -> ShareLink | None:
    """The live link for a token, with its owner; None when unknown, revoked or expired."""
    if not _TOKEN_SHAPE.match(token or ""):
        return None
    digest = token_digest(token)
    link = (
        ShareLink.objects.select_related("user")
        .filter(token_hash=digest, revoked_at__isnull=True, expires_at__gt=timezone.now())
        .first()
    )
    # The database matched on the hash; compare again in constant time so no code path
    # acts on a partial or collated match.
    if link is None or not hmac.compare_digest(link.token_hash, digest):
        return None
    return link


def share_link_open(
    *, token: str, ip: str | None = None, user_agent: str = "", detail: str = ""
) -> ShareLink | None:
    """Resolve a token and log the view (count, time, user agent, security event)."""
    link = share_link_resolve(token=token)
    if link is None:
        return None
    now = timezone.now()
    with transaction.atomic():
        # Conditional and atomic: a link revoked or expired since the lookup is not shown,
        # and concurrent views never lose a count.
        updated = ShareLink.objects.filter(
            pk=link.pk, revoked_at__isnull=True, expires_at__gt=now
        ).update(view_count=F("view_count") + 1, last_viewed_at=now)
        if not updated:
            return None
        ShareView.objects.create(link=link, viewed_at=now, user_agent=user_agent[:300])
        security_event_record(
            user=link.user,
            kind=SecurityEvent.Kind.SHARE_VIEWED,
            ip=ip,
            user_agent=user_agent,
            detail=f"link {link.pk}" + (f", {detail}" if detail else ""),
        )
    link.view_count += 1
    link.last_viewed_at = now
    return link


def _lookup_key(ip: str | None, now: datetime | None) -> str:
    client = hashlib.sha256((ip or "unknown").encode()).hexdigest()[:32]
    minute = int((now or timezone.now()).timestamp()) // 60
    return f"share-lookups:{client}:{minute}"


def share_lookup_allowed(*, ip: str | None, now: datetime | None = None) -> bool:
    """False once this address has failed too many token lookups this minute."""
    limit = settings.SHARE_LOOKUPS_PER_MINUTE
    return cache.get(_lookup_key(ip, now), 0) < limit


def share_lookup_failed(*, ip: str | None, now: datetime | None = None) -> None:
    """Count one failed token lookup for this address in the current minute.

    Only failures count: a guesser fails on nearly every try and is stopped after a few
    dozen, while a clinician re-opening a real link is never blocked. The count lives in
    the shared cache so every web process sees it; a fixed one-minute window keeps it to
    one read per view and one write per failure.
    """
    key = _lookup_key(ip, now)
    if cache.add(key, 1, timeout=120):
        return
    try:
        cache.incr(key)
    except ValueError:  # expired between add and incr
        cache.add(key, 1, timeout=120)


def share_view_allowed(*, token: str, ip: str | None) -> bool:
    """Count one view of a link; False once this link or this address viewed too often.

    Successful views cost a page or a PDF (0.6–3 s of CPU): a handful of parallel ones could
    hold every web worker. Keyed on the token's digest, so one link is one counter.
    """
    per_link = ratelimit.hits_add(scope="share-views-link", value=token_digest(token), window=60)
    per_address = ratelimit.hits_add(scope="share-views-ip", value=ip or "unknown", window=60)
    return (
        per_link <= settings.SHARE_VIEWS_PER_LINK_PER_MINUTE
        and per_address <= settings.SHARE_VIEWS_PER_ADDRESS_PER_MINUTE
    )


def share_pdf_cached(*, link: ShareLink, paper: str, render: Callable[[], bytes]) -> bytes:
    """The link's PDF from the cache when the patient's data has not changed since, else render.

    The key is the link, the paper, today's date and a digest of what the report shows
    (entries and flags: how many, and when each last changed), so any change makes a new PDF.
    """
    entries = Entry.objects.filter(user_id=link.user_id).aggregate(
        n=Count("pk"), at=Max("updated_at")
    )
    flags = Flag.objects.filter(user_id=link.user_id).aggregate(
        n=Count("pk"),
        seen=Max("last_seen_at"),
        ack=Max("acknowledged_at"),
        resolved=Max("resolved_at"),
        first=Max("first_detected_at"),
    )
    version = repr((entries, flags, link.label, timezone.localdate().isoformat()))
    digest = hashlib.sha256(version.encode()).hexdigest()[:32]
    key = f"share-pdf:{link.pk}:{paper}:{digest}"
    content = cache.get(key)
    if content is None:
        content = render()
        cache.set(key, content, timeout=SHARE_PDF_CACHE_SECONDS)
    return content
