"""The charts as the server draws them, before (or without) Plotly, in real Chromium at phone size.

Issue 11: every chart arrives as SVG readable without JavaScript, in the box the Plotly chart
later takes, and screen readers still reach every number of the breakdown charts.
"""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from playwright.sync_api import Browser, Page

from reports.figures import FIGURES
from reports.services import share_link_create
from tests.support.browser import (
    PHONE,
    assert_no_horizontal_scroll,
    assert_no_serious_axe_violations,
    wait_for_charts,
)
from tests.support.entries import seed

pytestmark = pytest.mark.browser

BREAKDOWN = ("fig-regions", "fig-pain-types", "fig-activity", "fig-distal-level")

# Every layout shift since the page began, summed: the page's cumulative layout shift.
LAYOUT_SHIFT = """() => new Promise(resolve => {
    let total = 0;
    new PerformanceObserver(list => {
        for (const entry of list.getEntries()) { if (!entry.hadRecentInput) total += entry.value; }
    }).observe({type: "layout-shift", buffered: true});
    setTimeout(() => resolve(total), 200);
})"""


@pytest.fixture
def page_without_plotly(browser: Browser) -> Iterator[Page]:
    """A phone page that never gets the Plotly bundle: what a reader sees before it arrives."""
    # The service worker could answer the bundle from its cache, past the blocked route.
    context = browser.new_context(viewport=PHONE, is_mobile=True, service_workers="block")
    context.route("**/plotly-cartesian*.js", lambda route: route.abort())
    page = context.new_page()
    yield page
    context.close()


def log_in(page: Page, live_server, user, password: str) -> None:
    page.goto(f"{live_server.url}/login/")
    page.get_by_label("E-mail").fill(user.email)
    page.get_by_label("Password").fill(password)
    page.get_by_role("button", name="Log in").click()
    page.wait_for_load_state("networkidle")


def assert_every_chart_is_a_server_drawing_in_its_box(page: Page) -> None:
    figures = page.locator(".report-plot")
    assert figures.count() == len(FIGURES)
    for index in range(figures.count()):
        figure = figures.nth(index)
        figure.scroll_into_view_if_needed()
        drawing = figure.locator(".static-chart > svg[role=img]")
        assert drawing.count() == 1
        # Drawn for the box Plotly will take: its own height, about its width, so at 1:1.
        _, _, width, height = map(float, drawing.get_attribute("viewBox").split())
        box = figure.bounding_box()
        assert height == box["height"]
        assert abs(width - box["width"]) <= 10
        label = figure.get_attribute("data-label")
        assert page.get_by_role("img", name=label, exact=True).count() == 1
    # Scrolled past every chart, and still none was replaced: these are the drawings themselves.
    assert page.locator(".js-plotly-plot").count() == 0


def assert_breakdown_numbers_reach_screen_readers(page: Page) -> None:
    for dom_id in BREAKDOWN:
        label = page.locator(f"#{dom_id}").get_attribute("data-label")
        table = page.get_by_role("table", name=label, exact=True)
        assert table.count() == 1
        assert table.get_by_role("row").count() >= 2  # the head and at least one row of numbers
        box = page.locator(f"#{dom_id} .visually-hidden").bounding_box()
        assert box["width"] <= 1 and box["height"] <= 1  # read aloud, not drawn a second time


def test_the_report_page_is_readable_from_the_server_drawings_alone(
    page_without_plotly, live_server, user, password
):
    seed(user, days=30, per_day=3, red_flags=[])
    page = page_without_plotly
    log_in(page, live_server, user, password)

    page.goto(f"{live_server.url}/reports/?days=30")
    page.wait_for_load_state("networkidle")

    assert_every_chart_is_a_server_drawing_in_its_box(page)
    assert_breakdown_numbers_reach_screen_readers(page)
    assert_no_horizontal_scroll(page)
    assert_no_serious_axe_violations(page)


def test_the_share_page_is_readable_from_the_server_drawings_alone(
    page_without_plotly, live_server, user
):
    seed(user, days=60, per_day=3, red_flags=["foot_drop"], context=["poor_sleep"])
    created = share_link_create(user=user, label="For Dr Rahman", days=90)
    page = page_without_plotly

    page.goto(f"{live_server.url}/r/{created.token}/")
    page.wait_for_load_state("networkidle")

    assert_every_chart_is_a_server_drawing_in_its_box(page)
    assert_breakdown_numbers_reach_screen_readers(page)
    assert_no_horizontal_scroll(page)
    assert_no_serious_axe_violations(page)


def test_plotly_taking_over_every_drawing_shifts_nothing(phone_page, live_server, log_in, user):
    seed(user, days=30, per_day=3, red_flags=[])
    log_in(phone_page)

    phone_page.goto(f"{live_server.url}/reports/?days=30")

    assert wait_for_charts(phone_page) == len(FIGURES)
    assert phone_page.evaluate(LAYOUT_SHIFT) == 0
