"""Reports and share pages in real Chromium at phone size: charts drawn, no sideways scroll, axe."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from reports.figures import FIGURES
from reports.services import share_link_create, share_link_expire, share_link_revoke
from tests.support.browser import (
    PHONE,
    assert_no_horizontal_scroll,
    assert_no_serious_axe_violations,
    wait_for_charts,
)
from tests.support.entries import seed
from tests.support.pdf import pdf_pages

pytestmark = pytest.mark.browser


def test_the_report_page_draws_every_chart_on_a_phone(phone_page, live_server, log_in, user):
    seed(user, days=30, per_day=3, red_flags=[])
    log_in(phone_page)

    phone_page.goto(f"{live_server.url}/reports/?days=30")

    assert wait_for_charts(phone_page) == len(FIGURES)
    assert phone_page.locator(".js-plotly-plot").count() == len(FIGURES)
    assert phone_page.locator(".report-plot[role=img][aria-label]").count() == len(FIGURES)
    assert_no_horizontal_scroll(phone_page)
    assert_no_serious_axe_violations(phone_page)


def test_a_chart_is_drawn_by_the_server_and_turns_interactive_in_view_in_the_same_box(
    phone_page, live_server, log_in, user
):
    seed(user, days=30, per_day=3, red_flags=[])
    log_in(phone_page)
    page = phone_page

    page.goto(f"{live_server.url}/reports/?days=30")
    page.wait_for_load_state("load")

    chart = page.locator("#fig-time-of-day")
    # Far below the first screen: charts.js must not have built it yet.
    assert chart.bounding_box()["y"] > PHONE["height"] + 400
    expect(chart.locator(".static-chart svg")).to_be_visible()
    expect(chart).not_to_have_class(re.compile("js-plotly-plot"))
    before = page.evaluate(
        """() => ['fig-time-of-day', 'fig-regions'].map(id => {
            const box = document.getElementById(id).getBoundingClientRect();
            return [box.top + window.scrollY, box.height];
        })"""
    )

    chart.scroll_into_view_if_needed()
    expect(chart).to_have_class(re.compile("js-plotly-plot"))
    expect(chart.locator(".static-chart")).to_have_count(0)
    expect(chart.locator(".main-svg").first).to_be_visible()
    after = page.evaluate(
        """() => ['fig-time-of-day', 'fig-regions'].map(id => {
            const box = document.getElementById(id).getBoundingClientRect();
            return [box.top + window.scrollY, box.height];
        })"""
    )

    # Same place, same height, and the chart below it has not moved either.
    assert after == before
    assert chart.get_attribute("aria-label")
    assert_no_horizontal_scroll(page)


def test_the_empty_report_is_friendly(phone_page, live_server, log_in):
    log_in(phone_page)

    phone_page.goto(f"{live_server.url}/reports/?days=7")

    assert phone_page.get_by_role("heading", name="Nothing logged in these 7 days").is_visible()
    assert_no_horizontal_scroll(phone_page)
    assert_no_serious_axe_violations(phone_page)


def test_the_share_page_draws_every_chart_on_a_phone(phone_page, live_server, user):
    seed(user, days=60, per_day=3, red_flags=["foot_drop"], context=["poor_sleep"])
    created = share_link_create(user=user, label="For Dr Rahman", days=90)

    response = phone_page.goto(f"{live_server.url}/r/{created.token}/")

    assert response is not None and response.status == 200
    assert response.headers["x-robots-tag"] == "noindex, nofollow"
    assert wait_for_charts(phone_page) == len(FIGURES)
    assert_no_horizontal_scroll(phone_page)
    assert_no_serious_axe_violations(phone_page)


def test_the_share_page_prints_to_pdf(phone_page, live_server, user):
    seed(user, days=30, per_day=2)
    created = share_link_create(user=user, days=30)
    phone_page.goto(f"{live_server.url}/r/{created.token}/")
    wait_for_charts(phone_page)

    # The print path ("Save as PDF") uses the print CSS: scalable SVG charts, no page chrome.
    phone_page.emulate_media(media="print")
    assert phone_page.locator(".print-charts svg").first.is_visible()
    assert not phone_page.locator(".report-figures").is_visible()
    printed = phone_page.pdf(format="A4")

    assert printed.startswith(b"%PDF")
    assert pdf_pages(printed) >= 1


def test_expired_and_revoked_links_answer_404(phone_page, live_server, user):
    expired = share_link_create(user=user)
    share_link_expire(link=expired.link)
    revoked = share_link_create(user=user)
    share_link_revoke(link=revoked.link)

    for token in (expired.token, revoked.token):
        response = phone_page.goto(f"{live_server.url}/r/{token}/")
        assert response is not None and response.status == 404
        assert phone_page.get_by_role("heading", name="This link is not available").is_visible()
    assert_no_serious_axe_violations(phone_page)


def test_the_pdf_download_opens(phone_page, live_server, user):
    seed(user, days=30, per_day=2)
    created = share_link_create(user=user, days=30)
    phone_page.goto(f"{live_server.url}/r/{created.token}/")

    with phone_page.expect_download() as download_info:
        phone_page.get_by_role("link", name="Download PDF (A4)").click()
    path = download_info.value.path()
    response = phone_page.request.get(f"{live_server.url}/r/{created.token}/pdf/")

    assert response.ok
    assert response.headers["content-type"] == "application/pdf"
    with open(path, "rb") as handle:
        downloaded = handle.read()
    assert downloaded.startswith(b"%PDF")
    assert pdf_pages(downloaded) >= 1
    assert pdf_pages(response.body()) >= 1


def test_the_new_link_can_be_copied(phone_page, live_server, log_in):
    log_in(phone_page)
    phone_page.goto(f"{live_server.url}/sharing/")

    phone_page.get_by_label("Label").fill("Dr Rahman")
    phone_page.get_by_role("button", name="Create link").click()

    field = phone_page.locator("#share-url")
    assert "/r/" in field.input_value()
    assert field.get_attribute("readonly") is not None
    phone_page.get_by_role("button", name="Copy link").click()
    expect(phone_page.locator(".copy-status")).to_have_text(re.compile(r"copied|copy it by hand"))
    assert_no_horizontal_scroll(phone_page)
    assert_no_serious_axe_violations(phone_page)
