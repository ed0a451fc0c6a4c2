"""Share-link services: tokens, hashing, revoking, expiring, view logging, the rate limit."""

from __future__ import annotations

import hashlib
from datetime import UTC, date, datetime, timedelta
from urllib.parse import urlsplit

import pytest
import time_machine
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection
from django.test import override_settings
from django.urls import resolve

from diary.models import SecurityEvent
from reports.models import ShareLink, ShareView
from reports.services import (
    share_link_create,
    share_link_expire,
    share_link_open,
    share_link_resolve,
    share_link_revoke,
    share_lookup_allowed,
    share_lookup_failed,
    token_digest,
)

pytestmark = pytest.mark.django_db
NOW = datetime(2026, 11, 20, 23, 30, tzinfo=UTC)  # 20 Nov in London, 21 Nov in Auckland


@time_machine.travel(NOW, tick=False)
def test_a_link_covers_the_days_ending_today_in_the_patients_zone(user) -> None:
    created = share_link_create(user=user, label="Dr A", days=90, expires_in_days=30)

    link = created.link
    assert link.period_end == date(2026, 11, 20)
    assert link.period_start == date(2026, 11, 20) - timedelta(days=89)
    assert link.expires_at == NOW + timedelta(days=30)
    assert link.label == "Dr A"


@time_machine.travel(NOW, tick=False)
def test_today_follows_the_patients_zone(user) -> None:
    user.timezone = "Pacific/Auckland"
    user.save()

    link = share_link_create(user=user, days=1).link

    assert link.period_start == link.period_end == date(2026, 11, 21)


def test_the_token_is_long_random_and_only_its_hash_is_stored(user) -> None:
    created = share_link_create(user=user)

    assert len(created.token) >= 43  # 32 random bytes, base64url
    assert created.link.token_hash == hashlib.sha256(created.token.encode()).hexdigest()
    assert created.url.endswith(f"/r/{created.token}/")
    with connection.cursor() as cursor:
        cursor.execute("SELECT * FROM reports_sharelink")
        rows = cursor.fetchall()
    assert created.token not in repr(rows)


def test_two_links_get_different_tokens(user) -> None:
    assert share_link_create(user=user).token != share_link_create(user=user).token


@pytest.mark.parametrize(("days", "expires"), [(0, 30), (366, 30), (90, 0), (90, 91)])
def test_out_of_range_periods_are_refused(user, days: int, expires: int) -> None:
    with pytest.raises(ValueError):
        share_link_create(user=user, days=days, expires_in_days=expires)


def test_creating_records_a_security_event(user) -> None:
    share_link_create(user=user, ip="10.0.0.1", user_agent="Phone")

    event = SecurityEvent.objects.get(user=user, kind=SecurityEvent.Kind.SHARE_CREATED)
    assert event.ip == "10.0.0.1"


def test_a_live_token_resolves_to_its_link(user) -> None:
    created = share_link_create(user=user)

    assert share_link_resolve(token=created.token) == created.link


@pytest.mark.parametrize("token", ["", "short", "x" * 43, "../../etc/passwd", "a" * 200])
def test_unknown_or_malformed_tokens_resolve_to_nothing(user, token: str) -> None:
    share_link_create(user=user)

    assert share_link_resolve(token=token) is None


def test_the_hash_itself_is_not_a_token(user) -> None:
    created = share_link_create(user=user)

    assert share_link_resolve(token=created.link.token_hash) is None


def test_a_revoked_link_resolves_to_nothing_and_is_logged(user) -> None:
    created = share_link_create(user=user)

    share_link_revoke(link=created.link)
    share_link_revoke(link=created.link)  # twice is harmless

    assert share_link_resolve(token=created.token) is None
    assert (
        SecurityEvent.objects.filter(user=user, kind=SecurityEvent.Kind.SHARE_REVOKED).count() == 1
    )


def test_an_expired_link_resolves_to_nothing(user) -> None:
    created = share_link_create(user=user, expires_in_days=1)

    with time_machine.travel(datetime.now(UTC) + timedelta(days=1, seconds=1)):
        assert share_link_resolve(token=created.token) is None


def test_expire_share_command_ends_a_link_now(user, capsys) -> None:
    created = share_link_create(user=user)

    call_command("expire_share", "--id", str(created.link.pk))

    assert share_link_resolve(token=created.token) is None
    assert f"Share link {created.link.pk} expired" in capsys.readouterr().out


def test_expire_share_command_rejects_an_unknown_id(db) -> None:
    with pytest.raises(CommandError):
        call_command("expire_share", "--id", "999999")


def test_expiring_keeps_an_earlier_expiry(user) -> None:
    link = share_link_create(user=user).link
    earlier = link.created_at + timedelta(seconds=1)
    share_link_expire(link=link, now=earlier)

    share_link_expire(link=link, now=earlier + timedelta(days=1))

    link.refresh_from_db()
    assert link.expires_at == earlier


def test_opening_counts_the_view_and_logs_it(user) -> None:
    created = share_link_create(user=user)

    share_link_open(token=created.token, ip="10.0.0.9", user_agent="Clinic browser")
    opened = share_link_open(token=created.token, user_agent="Clinic browser")

    link = ShareLink.objects.get(pk=created.link.pk)
    assert opened is not None and opened.view_count == 2
    assert link.view_count == 2
    assert link.last_viewed_at is not None
    assert list(ShareView.objects.filter(link=link).values_list("user_agent", flat=True)) == [
        "Clinic browser",
        "Clinic browser",
    ]
    viewed = SecurityEvent.objects.filter(user=user, kind=SecurityEvent.Kind.SHARE_VIEWED)
    assert viewed.count() == 2
    assert viewed.filter(ip="10.0.0.9").exists()


def test_a_failed_open_logs_nothing(user) -> None:
    created = share_link_create(user=user)
    share_link_revoke(link=created.link)

    assert share_link_open(token=created.token) is None
    assert ShareView.objects.count() == 0
    assert ShareLink.objects.get().view_count == 0


@override_settings(SHARE_LOOKUPS_PER_MINUTE=3)
def test_failed_lookups_are_limited_per_address_and_minute() -> None:
    moment = datetime(2026, 11, 20, 10, 0, 5, tzinfo=UTC)

    allowed = []
    for _ in range(4):
        allowed.append(share_lookup_allowed(ip="10.0.0.1", now=moment))
        share_lookup_failed(ip="10.0.0.1", now=moment)

    assert allowed == [True, True, True, False]
    assert share_lookup_allowed(ip="10.0.0.2", now=moment)
    assert share_lookup_allowed(ip="10.0.0.1", now=moment + timedelta(minutes=1))


@override_settings(SHARE_LOOKUPS_PER_MINUTE=2)
def test_only_failures_count_against_an_address() -> None:
    moment = datetime(2026, 11, 20, 10, 0, 5, tzinfo=UTC)

    checks = [share_lookup_allowed(ip="10.0.0.1", now=moment) for _ in range(10)]

    assert all(checks)


def test_token_digest_is_sha256_hex() -> None:
    assert token_digest("abc") == hashlib.sha256(b"abc").hexdigest()


@override_settings(SITE_URL="https://diary.clinic.example")
def test_a_share_url_is_site_url_and_the_share_view_route(user) -> None:
    created = share_link_create(user=user)
    url = urlsplit(created.url)

    assert f"{url.scheme}://{url.netloc}" == "https://diary.clinic.example"
    match = resolve(url.path)
    assert (match.view_name, match.kwargs) == ("reports:share-view", {"token": created.token})


def test_bidirectional_overrides_are_stripped_from_share_labels(user) -> None:
    created = share_link_create(user=user, label="For Dr \u202eA\u2067 Rahman\u200f")
    assert created.link.label == "For Dr A Rahman"
