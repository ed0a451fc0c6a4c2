"""Before/after lines, markers and check-ins on the report, the clinician page and the PDF."""

from __future__ import annotations

import json
import re
from datetime import timedelta

import pytest
from django.utils import timezone

from reports.services import share_link_create
from tests.factories import CheckInFactory, TreatmentEventFactory
from tests.support.entries import seed
from tests.support.pages import query_count, share_path
from tests.support.pdf import pdf_pages

pytestmark = pytest.mark.django_db
NATURAL_COURSE = "Sciatica often improves on its own"


def today(user):
    return timezone.now().astimezone(user.zone).date()


@pytest.fixture
def diary(user):
    """30 days of entries, an injection 20 days ago and two check-ins."""
    seed(user, days=30, intensity=5)
    day = today(user)
    event = TreatmentEventFactory(
        user=user, kind="injection", name="Epidural injection", started_on=day - timedelta(20)
    )
    monday = day - timedelta(days=day.weekday())
    CheckInFactory(user=user, week_of=monday - timedelta(days=7), leg_pain=6)
    CheckInFactory(user=user, week_of=monday, leg_pain=1, global_change="much_better")
    return event


def figure(html: str, target: str) -> dict:
    match = re.search(
        rf'<script type="application/json" class="js-figure" data-target="{target}">(.*?)</script>',
        html,
        re.S,
    )
    assert match, target
    return json.loads(match.group(1))


def test_the_report_shows_one_before_after_line_per_treatment(web_client, user, diary):
    html = web_client.get("/reports/?days=30").content.decode()
    assert html.count('class="before-after"') == 1
    started = diary.started_on
    assert f"Injection: Epidural injection, {started.day} " in html
    assert (
        "average pain 5.0 in the 14 days before, 5.0 on days 3–16 after: no change, "
        "not a meaningful change" in html
    )
    assert NATURAL_COURSE in html
    assert "worked" not in html.lower()


def test_the_report_marks_the_treatment_on_the_intensity_chart(web_client, user, diary):
    html = web_client.get("/reports/?days=30").content.decode()
    layout = figure(html, "fig-daily-intensity")["layout"]
    assert [s["x0"] for s in layout["shapes"]] == [diary.started_on.isoformat()]
    assert "Epidural injection" in [a["text"] for a in layout["annotations"]]


def test_the_report_charts_the_check_ins_and_sums_them(web_client, user, diary):
    html = web_client.get("/reports/?days=30").content.decode()
    checkins = figure(html, "fig-checkins")
    (total,) = [t for t in checkins["data"] if t["name"] == "Total"]
    assert total["y"] == [12, 7]
    assert "Latest weekly check-in" in html and "7/24" in html
    assert 'href="/api/export/treatments.csv"' in html
    assert 'href="/api/export/checkins.csv"' in html


def test_a_treatment_outside_the_period_is_not_shown(web_client, user):
    seed(user, days=10)
    TreatmentEventFactory(user=user, name="zebra-old", started_on=today(user) - timedelta(60))
    html = web_client.get("/reports/?days=7").content.decode()
    assert "zebra-old" not in html


def test_too_few_entries_say_so(web_client, user):
    seed(user, days=3)
    TreatmentEventFactory(user=user, name="New pills", started_on=today(user) - timedelta(1))
    html = web_client.get("/reports/?days=7").content.decode()
    assert "not enough entries (1 before, 0 after; 4 needed on each side)" in html


def test_the_report_shows_only_the_patients_own(web_client, user, other_user):
    seed(user, days=10)
    TreatmentEventFactory(user=other_user, name="zebra-theirs", started_on=today(user))
    CheckInFactory(user=other_user)
    html = web_client.get("/reports/?days=30").content.decode()
    assert "zebra-theirs" not in html
    assert "Latest weekly check-in" not in html


def test_the_clinician_page_and_pdf_carry_the_lines_in_the_third_person_voice(client, user, diary):
    created = share_link_create(user=user, days=30)
    html = client.get(share_path(created.token)).content.decode()
    assert "Injection: Epidural injection" in html
    assert NATURAL_COURSE in html
    assert "Latest weekly check-in" in html
    # The patient's own manage links and downloads stay off the clinician's page.
    assert "/treatments/" not in html and "checkins.csv" not in html
    layout = figure(html, "fig-daily-intensity")["layout"]
    assert [s["x0"] for s in layout["shapes"]] == [diary.started_on.isoformat()]
    # The print chart (SVG) marks it too.
    assert ">Epidural injection</text>" in html

    pdf = client.get(share_path(created.token) + "pdf/")
    assert pdf.status_code == 200
    assert pdf_pages(pdf.content) == 1


def test_a_full_year_with_many_treatments_still_fits_one_pdf_page(client, user):
    seed(user, days=365, per_day=2)
    for n in range(8):
        TreatmentEventFactory(
            user=user,
            name=f"Pregabalin, dose step {n}",
            started_on=today(user) - timedelta(40 * n),
        )
    day = today(user)
    for n in range(52):
        CheckInFactory(user=user, week_of=day - timedelta(days=day.weekday() + 7 * n))
    created = share_link_create(user=user, days=365)
    pdf = client.get(share_path(created.token) + "pdf/")
    assert pdf_pages(pdf.content) == 1


def test_query_counts_do_not_grow_with_treatments_or_check_ins(web_client, client, user):
    seed(user, days=30)
    TreatmentEventFactory(user=user, started_on=today(user))
    CheckInFactory(user=user)
    created = share_link_create(user=user, days=365)
    report_small = query_count(web_client, "/reports/?days=365")
    share_small = query_count(client, share_path(created.token))
    day = today(user)
    for n in range(1, 30):
        TreatmentEventFactory(user=user, started_on=day - timedelta(days=9 * n))
        CheckInFactory(user=user, week_of=day - timedelta(days=day.weekday() + 7 * n))

    assert query_count(web_client, "/reports/?days=365") == report_small
    assert query_count(client, share_path(created.token)) == share_small
