"""Web pages: the patient's report, sharing, and the clinician summary behind a link."""

from __future__ import annotations

import contextlib
import re
import zlib
from datetime import datetime, time, timedelta

import pytest
from django.db import connection
from django.test import override_settings
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from diary import vocabulary as vocab
from diary.models import Entry, EntryLocation, Flag, SecurityEvent
from diary.services.entries import entry_location_rows
from reports.figures import FIGURES
from reports.models import ShareLink, ShareView
from reports.services import share_link_create, share_link_expire, share_link_revoke

pytestmark = pytest.mark.django_db
FIGURE_COUNT = len(FIGURES)


def seed(
    user, *, days: int, per_day: int = 1, region: str = "foot_sole", side: str = "left", **fields
) -> None:
    """`per_day` entries on each of the last `days` local days (bulk, so large diaries are fast)."""
    zone = user.zone
    today = timezone.now().astimezone(zone).date()
    entries, locations = [], []
    hours = (8, 14, 20, 23)
    for offset in range(days):
        day = today - timedelta(days=offset)
        for n in range(per_day):
            moment = datetime.combine(day, time(hours[n % len(hours)], n), tzinfo=zone)
            entry = Entry(
                user=user,
                occurred_at=moment,
                local_date=day,
                timezone=user.timezone,
                timing=vocab.timing_for(moment),
                intensity=fields.get("intensity", (offset + n) % 11),
                pain_types=fields.get("pain_types", ["burning", "aching"]),
                activity=fields.get("activity", ["sitting", "walking"][n % 2]),
                red_flags=fields.get("red_flags", []),
                context=fields.get("context", []),
                notes=fields.get("notes", ""),
            )
            entries.append(entry)
            locations += entry_location_rows(entry=entry, locations=[(region, side)])
    Entry.objects.bulk_create(entries)
    EntryLocation.objects.bulk_create(locations)


def share_path(token: str) -> str:
    return f"/r/{token}/"


def pdf_text(data: bytes) -> bytes:
    """A PDF's bytes with its compressed streams inflated, to search its objects."""
    chunks = [data]
    for match in re.finditer(rb"stream\r?\n(.*?)\r?\nendstream", data, re.S):
        with contextlib.suppress(zlib.error):
            chunks.append(zlib.decompress(match.group(1)))
    return b"".join(chunks)


def pdf_pages(data: bytes) -> int:
    """Pages in a PDF, looking inside compressed object streams too."""
    return len(re.findall(rb"/Type\s*/Page(?![a-zA-Z])", pdf_text(data)))


# --- the patient's report ------------------------------------------------------------


def test_the_report_needs_a_log_in(client) -> None:
    response = client.get("/reports/")

    assert response.status_code == 302
    assert "/login/" in response["Location"]


def test_the_report_embeds_every_figure_as_json_with_one_deferred_bundle(web_client, user) -> None:
    seed(user, days=20, per_day=2)

    response = web_client.get("/reports/?days=30")

    html = response.content.decode()
    assert response.status_code == 200
    assert html.count('type="application/json" class="js-figure"') == FIGURE_COUNT
    assert html.count('class="report-plot"') == FIGURE_COUNT
    assert re.search(r'<script src="[^"]*vendor/plotly-cartesian\.min\.js" defer>', html)
    assert re.search(r'<script src="[^"]*js/charts\.js" defer>', html)
    assert html.count("plotly-cartesian.min.js") == 1
    # Plotly's global styles come from a file, so it injects no inline <style> either.
    assert html.count('id="plotly.js-style-global" class="no-inline-styles"') == 1
    # No inline script, so a strict CSP needs no 'unsafe-inline'.
    assert not re.search(r"<script(?![^>]*(src=|application/json))", html)
    assert "cdn." not in html


def test_the_report_shows_the_summary_numbers(web_client, user) -> None:
    seed(user, days=10, intensity=6)

    response = web_client.get("/reports/?days=7")

    assert response.context["days"] == 7
    summary = response.context["summary"]
    assert summary.entry_count == 7
    assert summary.days_logged == 7
    assert "100%" in response.content.decode()
    assert "Typical area of S1" in response.content.decode()


@pytest.mark.parametrize("value", ["12", "abc", "", "-1", "99999999999999999999"])
def test_a_bad_period_falls_back_to_30_days(web_client, value: str) -> None:
    response = web_client.get(f"/reports/?days={value}")

    assert response.status_code == 200
    assert response.context["days"] == 30


def test_an_empty_period_shows_a_friendly_note_and_no_charts(web_client) -> None:
    response = web_client.get("/reports/")

    html = response.content.decode()
    assert response.status_code == 200
    assert "Nothing logged in these 30 days" in html
    assert "js-figure" not in html
    assert "plotly-cartesian" not in html


def test_the_report_pdf_downloads(web_client, user) -> None:
    seed(user, days=5)

    response = web_client.get("/reports/pdf/?days=7")

    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response.content.startswith(b"%PDF")
    assert pdf_pages(response.content) >= 1


def query_count(client, path: str) -> int:
    with CaptureQueriesContext(connection) as queries:
        response = client.get(path)
    assert response.status_code == 200
    return len(queries)


def test_the_report_page_query_count_does_not_grow_with_the_diary(
    web_client, user, other_user
) -> None:
    seed(user, days=3)
    small = query_count(web_client, "/reports/?days=365")
    seed(user, days=360, per_day=3, region="calf")
    Flag.objects.create(
        user=user, code="persistent_pain", severity="info", title="t", explanation="e", source="s"
    )

    large = query_count(web_client, "/reports/?days=365")

    assert small == large
    assert large <= 12


# --- sharing (patient side) ----------------------------------------------------------------


def test_creating_a_link_shows_its_address_once(web_client, user) -> None:
    response = web_client.post(
        "/sharing/", {"label": "Dr Rahman", "days": "30", "expires_in_days": "7"}
    )

    html = response.content.decode()
    link = ShareLink.objects.get(user=user)
    match = re.search(r'value="(http://[^"]+/r/([A-Za-z0-9_-]+)/)"', html)
    assert response.status_code == 200
    assert response["Cache-Control"] == "no-store"
    assert match is not None
    assert "readonly" in html
    assert "js-copy" in html
    token = match.group(2)
    assert link.token_hash != token
    assert link.label == "Dr Rahman"
    assert (link.period_end - link.period_start).days == 29
    # Later visits list the link without its address.
    assert token not in web_client.get("/sharing/").content.decode()


def test_creating_with_defaults(web_client, user) -> None:
    web_client.post("/sharing/", {"label": ""})

    link = ShareLink.objects.get(user=user)
    assert (link.period_end - link.period_start).days == 89
    assert (link.expires_at - link.created_at).days == 30


def test_an_out_of_range_form_is_refused(web_client, user) -> None:
    response = web_client.post("/sharing/", {"days": "400", "expires_in_days": "0"})

    assert response.status_code == 400
    assert not ShareLink.objects.exists()
    assert "errorlist" in response.content.decode()


def test_the_list_shows_views_and_status(web_client, user, other_user) -> None:
    live = share_link_create(user=user, label="Live one").link
    revoked = share_link_create(user=user, label="Gone one").link
    share_link_revoke(link=revoked)
    share_link_create(user=other_user, label="Not mine")
    ShareLink.objects.filter(pk=live.pk).update(view_count=4, last_viewed_at=timezone.now())

    html = web_client.get("/sharing/").content.decode()

    assert "Live one" in html and "Gone one" in html
    assert "Not mine" not in html
    assert "Revoked" in html
    assert "<dd>4</dd>" in html
    assert f"/sharing/{live.pk}/revoke/" in html
    assert f"/sharing/{revoked.pk}/revoke/" not in html


def test_revoking_asks_first_then_ends_the_link(web_client, user) -> None:
    created = share_link_create(user=user, label="Dr A")
    path = f"/sharing/{created.link.pk}/revoke/"

    confirm = web_client.get(path)
    assert confirm.status_code == 200
    assert ShareLink.objects.get().revoked_at is None

    response = web_client.post(path)

    assert response.status_code == 302
    assert ShareLink.objects.get().revoked_at is not None
    assert web_client.get(share_path(created.token)).status_code == 404


def test_an_outsider_cannot_revoke(web_client, other_user) -> None:
    link = share_link_create(user=other_user).link

    assert web_client.get(f"/sharing/{link.pk}/revoke/").status_code == 404
    assert web_client.post(f"/sharing/{link.pk}/revoke/").status_code == 404
    assert ShareLink.objects.get().revoked_at is None


# --- the clinician summary ------------------------------------------------------------------


def test_the_share_page_shows_the_summary_and_every_figure(client, user) -> None:
    seed(user, days=30, per_day=2, red_flags=["foot_drop"])
    created = share_link_create(user=user, label="For Dr Rahman", days=30)

    response = client.get(share_path(created.token), HTTP_USER_AGENT="ClinicBrowser/1.0")

    html = response.content.decode()
    assert response.status_code == 200
    assert "For Dr Rahman" in html
    assert html.count('class="js-figure"') == FIGURE_COUNT
    for text in (
        "Days logged",
        "Average intensity",
        "Worst",
        "First 14 logged days vs last 14 logged days",
        "Evening and night vs daytime",
        "At rest vs active",
        "Furthest down the leg",
        "Typical area of L5",
        "not a diagnosis",
        "Red-flag symptoms reported",
        "Foot drop",
        "<svg",  # print charts and body map
    ):
        assert text in html, text
    assert 'href="pdf/"' in html


def test_share_pages_carry_privacy_headers(client, user) -> None:
    created = share_link_create(user=user)

    for path in (share_path(created.token), share_path("unknown-token-unknown-token-unknown-tok")):
        response = client.get(path)
        assert response["X-Robots-Tag"] == "noindex, nofollow"
        assert response["Referrer-Policy"] == "no-referrer"
        assert response["Cache-Control"] == "no-store"


def test_each_view_is_counted_and_logged(client, user) -> None:
    created = share_link_create(user=user)

    client.get(share_path(created.token), HTTP_USER_AGENT="ClinicBrowser/1.0")
    client.get(share_path(created.token), HTTP_USER_AGENT="ClinicBrowser/1.0")

    link = ShareLink.objects.get()
    assert link.view_count == 2
    assert link.last_viewed_at is not None
    assert ShareView.objects.filter(link=link, user_agent="ClinicBrowser/1.0").count() == 2
    assert (
        SecurityEvent.objects.filter(user=user, kind=SecurityEvent.Kind.SHARE_VIEWED).count() == 2
    )


def test_unknown_revoked_and_expired_links_get_the_same_404(client, user) -> None:
    revoked = share_link_create(user=user)
    share_link_revoke(link=revoked.link)
    expired = share_link_create(user=user)
    share_link_expire(link=expired.link)
    unknown = "A" * 43

    bodies = set()
    for token in (unknown, revoked.token, expired.token):
        response = client.get(share_path(token))
        assert response.status_code == 404
        bodies.add(response.content)
        assert client.get(share_path(token) + "pdf/").status_code == 404
    assert len(bodies) == 1
    assert ShareView.objects.count() == 0
    assert ShareLink.objects.filter(view_count__gt=0).count() == 0


@override_settings(SHARE_LOOKUPS_PER_MINUTE=5)
def test_guessing_is_rate_limited_per_address(client, user) -> None:
    created = share_link_create(user=user)

    statuses = [client.get(share_path("B" * 43)).status_code for _ in range(5)]
    blocked = client.get(share_path(created.token))
    other_address = client.get(share_path(created.token), REMOTE_ADDR="10.9.9.9")

    assert statuses == [404] * 5
    assert blocked.status_code == 429
    assert blocked["Retry-After"] == "60"
    assert blocked["Cache-Control"] == "no-store"
    assert other_address.status_code == 200
    assert ShareLink.objects.get().view_count == 1


def test_the_share_page_shows_only_its_owners_data_in_its_period(client, user, other_user) -> None:
    seed(user, days=10, region="foot_sole", notes="MY-PRIVATE-NOTE")
    # The owner's older entries fall outside a 10-day link.
    old = timezone.now() - timedelta(days=60)
    seed_old = Entry.objects.create(
        user=user,
        occurred_at=old,
        local_date=old.astimezone(user.zone).date(),
        timezone=user.timezone,
        timing="morning",
        intensity=9,
    )
    EntryLocation.objects.create(
        entry=seed_old,
        user=user,
        local_date=seed_old.local_date,
        region="hip",
        side="right",
        level=1,
    )
    seed(
        other_user,
        days=10,
        region="groin",
        side="right",
        red_flags=["bladder_bowel"],
        notes="ZEBRA",
    )
    Flag.objects.create(
        user=other_user,
        code="red_flag_bladder_bowel",
        severity="emergency",
        title="OUTSIDER-FLAG-TITLE",
        explanation="e",
        source="s",
    )
    created = share_link_create(user=user, days=10)

    html = client.get(share_path(created.token)).content.decode()

    assert "Sole of foot" in html
    for foreign in (
        "Groin",
        "groin",
        "Hip",
        "Loss of bladder",
        "ZEBRA",
        "OUTSIDER-FLAG-TITLE",
        "MY-PRIVATE-NOTE",
        other_user.email,
        user.email,
    ):
        assert foreign not in html, foreign


def test_an_empty_shared_period_renders(client, user) -> None:
    created = share_link_create(user=user, days=7)

    response = client.get(share_path(created.token))

    assert response.status_code == 200
    assert "No entries in this period" in response.content.decode()
    assert client.get(share_path(created.token) + "pdf/").status_code == 200


def test_the_share_pdf_is_a_real_pdf(client, user) -> None:
    seed(user, days=30, per_day=3)
    created = share_link_create(user=user, days=30)

    a4 = client.get(share_path(created.token) + "pdf/")
    letter = client.get(share_path(created.token) + "pdf/?paper=letter")

    for response in (a4, letter):
        assert response.status_code == 200
        assert response["Content-Type"] == "application/pdf"
        assert "attachment" in response["Content-Disposition"]
        assert response["X-Robots-Tag"] == "noindex, nofollow"
        assert response.content.startswith(b"%PDF")
        assert pdf_pages(response.content) >= 1
    assert b"/MediaBox [0 0 595" in pdf_text(a4.content)  # A4 is 595 x 842 points
    assert b"/MediaBox [0 0 612" in pdf_text(letter.content)  # Letter is 612 x 792


def test_the_share_page_query_count_does_not_grow_with_the_diary(client, user) -> None:
    seed(user, days=3)
    created = share_link_create(user=user, days=365)
    small = query_count(client, share_path(created.token))
    seed(user, days=360, per_day=3, region="calf")

    large = query_count(client, share_path(created.token))

    assert small == large
    assert large <= 12
