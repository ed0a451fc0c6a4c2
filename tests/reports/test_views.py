"""Web pages: the patient's report, sharing, and the clinician summary behind a link."""

from __future__ import annotations

import io
import json
import re
from datetime import timedelta

import pytest
from django.conf import settings
from django.test import override_settings
from django.utils import timezone
from pypdf import PdfReader

from diary.models import Entry, EntryLocation, Flag, SecurityEvent
from reports.figures import FIGURES
from reports.figures.style import rounded_height
from reports.models import ShareLink, ShareView
from reports.services import share_link_create, share_link_expire, share_link_revoke
from tests.support.entries import seed
from tests.support.flags import about_text, flags_for_both_readers, in_severity_order
from tests.support.pages import query_count, share_path
from tests.support.pdf import pdf_pages, pdf_text

pytestmark = pytest.mark.django_db
FIGURE_COUNT = len(FIGURES)


# --- the patient's report ------------------------------------------------------------


def test_the_report_needs_a_log_in(client) -> None:
    response = client.get("/reports/")

    assert response.status_code == 302
    assert "/login/" in response["Location"]


def test_the_report_embeds_every_figure_as_json_with_a_lazily_fetched_bundle(
    web_client, user
) -> None:
    seed(user, days=20, per_day=2)

    response = web_client.get("/reports/?days=30")

    html = response.content.decode()
    assert response.status_code == 200
    assert html.count('type="application/json" class="js-figure"') == FIGURE_COUNT
    assert html.count('class="report-plot"') == FIGURE_COUNT
    # The bundle is not loaded with the page: charts.js fetches it when a chart comes into view.
    assert re.search(
        r'<script src="[^"]*js/charts\.js" data-plotly="[^"]*vendor/plotly-cartesian\.min\.js" '
        r"defer>",
        html,
    )
    assert not re.search(r'<script src="[^"]*plotly-cartesian', html)
    assert html.count("plotly-cartesian.min.js") == 1
    # Plotly's global styles come from a file, so it injects no inline <style> either.
    assert html.count('id="plotly.js-style-global" class="no-inline-styles"') == 1
    # No inline script, so a strict CSP needs no 'unsafe-inline'.
    assert not re.search(r"<script(?![^>]*(src=|application/json))", html)
    assert "cdn." not in html


FIGURE_BOX = re.compile(
    r'<figure class="report-figure plot-h-(\d+)">\s*'
    r'<div id="(fig-[\w-]+)" class="report-plot" data-label="([^"]+)">'
    r'<div class="static-chart">(.*?)</div></div>\s*'
    r'<script type="application/json" class="js-figure" data-target="\2">(.*?)</script>',
    re.S,
)


def figure_boxes(html: str) -> dict[str, dict[str, object]]:
    return {
        m[2]: {"height": int(m[1]), "label": m[3], "drawing": m[4], "json": json.loads(m[5])}
        for m in FIGURE_BOX.finditer(html)
    }


def test_every_chart_arrives_drawn_with_its_text_alternative_before_any_script(
    web_client, user
) -> None:
    seed(user, days=20, per_day=2)

    html = web_client.get("/reports/?days=30").content.decode()

    boxes = figure_boxes(html)
    assert len(boxes) == FIGURE_COUNT
    # Every chart is server-drawn SVG, all in the HTML itself (issue 11: the breakdown charts
    # were tables); theirs keep the numbers in a visually hidden table for screen readers.
    for dom_id, box in boxes.items():
        drawing = box["drawing"]
        assert drawing.startswith("<svg")
        assert f'<title id="{dom_id}-title">{box["label"]}</title>' in drawing
    for dom_id in ("fig-regions", "fig-pain-types", "fig-activity", "fig-distal-level"):
        drawing = boxes[dom_id]["drawing"]
        assert '<div class="visually-hidden"><table' in drawing
        assert f"<caption>{boxes[dom_id]['label']}</caption>" in drawing
    # The box is as tall as the Plotly chart that replaces the drawing, so nothing moves.
    for box in boxes.values():
        assert box["height"] == box["json"]["layout"]["height"]
        assert f'viewBox="0 0 360 {box["height"]}"' in box["drawing"]


def test_every_chart_height_the_figures_can_take_has_a_box_in_the_style_sheet() -> None:
    css = (settings.BASE_DIR / "static/css/reports.css").read_text()
    # 160 px empty notes, 300 px charts, and the regions chart up to every region named.
    heights = {160, 300, *(max(300, rounded_height(120 + 34 * n)) for n in range(1, 22))}

    missing = [
        h for h in sorted(heights) if f".plot-h-{h} .report-plot {{ height: {h}px; }}" not in css
    ]

    assert missing == []


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


@override_settings(SHARE_VIEWS_PER_LINK_PER_MINUTE=3, SHARE_VIEWS_PER_ADDRESS_PER_MINUTE=100)
def test_successful_views_are_rate_limited_per_link(client, user) -> None:
    created = share_link_create(user=user)
    other = share_link_create(user=user)
    statuses = [
        client.get(share_path(created.token), REMOTE_ADDR=f"10.0.0.{n}").status_code
        for n in range(4)
    ]
    assert statuses == [200, 200, 200, 429]
    assert client.get(share_path(other.token)).status_code == 200
    assert ShareLink.objects.get(pk=created.link.pk).view_count == 3


@override_settings(SHARE_VIEWS_PER_LINK_PER_MINUTE=100, SHARE_VIEWS_PER_ADDRESS_PER_MINUTE=2)
def test_successful_views_are_rate_limited_per_address(client, user) -> None:
    links = [share_link_create(user=user) for _ in range(3)]
    statuses = [client.get(share_path(link.token)).status_code for link in links]
    assert statuses == [200, 200, 429]
    assert client.get(share_path(links[2].token), REMOTE_ADDR="10.9.9.9").status_code == 200


def test_the_share_pdf_is_rendered_once_per_data_version(user) -> None:
    from reports.services import share_pdf_cached

    seed(user, days=3)
    link = share_link_create(user=user).link
    renders: list[int] = []

    def render() -> bytes:
        renders.append(1)
        return f"pdf {len(renders)}".encode()

    first = share_pdf_cached(link=link, paper="a4", render=render)
    again = share_pdf_cached(link=link, paper="a4", render=render)
    assert (first, again, len(renders)) == (b"pdf 1", b"pdf 1", 1)
    assert share_pdf_cached(link=link, paper="letter", render=render) == b"pdf 2"
    seed(user, days=1, notes="one more")  # new data: a new version
    assert share_pdf_cached(link=link, paper="a4", render=render) == b"pdf 3"
    Flag.objects.create(
        user=user, code="persistent_pain", severity="info", title="t", explanation="e", source="s"
    )
    assert share_pdf_cached(link=link, paper="a4", render=render) == b"pdf 4"


def test_a_repeated_share_pdf_view_serves_the_same_file(client, user) -> None:
    seed(user, days=5)
    created = share_link_create(user=user)
    first = client.get(share_path(created.token) + "pdf/")
    second = client.get(share_path(created.token) + "pdf/")
    assert first.status_code == second.status_code == 200
    assert first.content == second.content
    assert ShareLink.objects.get().view_count == 2  # every view still counts and is logged


# --- who reads a flag's text --------------------------------------------------------------


def _flag_for_both_readers(user) -> None:
    Flag.objects.create(
        user=user,
        code="bilateral_symptoms",
        severity="warning",
        title="Leg or foot symptoms on both sides",
        explanation="YOU-LOGGED-TEXT",
        clinician_explanation="THE-PATIENT-LOGGED-TEXT",
        source="s",
    )


def test_the_clinician_summary_speaks_about_the_patient(client, user) -> None:
    seed(user, days=3)
    _flag_for_both_readers(user)
    created = share_link_create(user=user, days=10)

    html = client.get(share_path(created.token)).content.decode()

    assert "THE-PATIENT-LOGGED-TEXT" in html
    assert "YOU-LOGGED-TEXT" not in html
    assert "Leg or foot symptoms on both sides" in html


def test_the_patients_own_report_speaks_to_them(web_client, user) -> None:
    seed(user, days=3)
    _flag_for_both_readers(user)

    html = web_client.get("/reports/?days=30").content.decode()

    assert "YOU-LOGGED-TEXT" in html
    assert "THE-PATIENT-LOGGED-TEXT" not in html


def test_an_outsider_gets_no_clinician_summary(client, user) -> None:
    _flag_for_both_readers(user)
    assert client.get(share_path("not-a-real-token-at-all")).status_code == 404


def test_the_share_page_and_pdf_list_flags_most_severe_first_about_the_patient(client, user):
    seed(user, days=3)
    flags_for_both_readers(user)
    created = share_link_create(user=user, days=10)

    html = client.get(share_path(created.token)).content.decode()
    pdf_bytes = client.get(share_path(created.token) + "pdf/").content
    text = "".join(p.extract_text() for p in PdfReader(io.BytesIO(pdf_bytes)).pages)

    for page in (html, text):
        assert in_severity_order(page)
        assert about_text("emergency") in page
        assert "Secondperson" not in page
