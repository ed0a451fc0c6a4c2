"""The 404 page and the menu on a phone: laid out, accessible, a way back (issue 11)."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from tests.support.browser import assert_no_horizontal_scroll, assert_no_serious_axe_violations

pytestmark = pytest.mark.browser

SCREENSHOTS = "var/screenshots"


def test_the_404_page_fits_a_phone_and_leads_back_to_logging(phone_page, live_server, log_in):
    page = phone_page
    log_in(page)
    page.screenshot(path=f"{SCREENSHOTS}/log-online.png")
    favicon_failures = []
    page.on(
        "response",
        lambda r: (
            favicon_failures.append(r.url) if "favicon" in r.url and r.status >= 400 else None
        ),
    )
    response = page.goto(f"{live_server.url}/no-such-page/")
    assert response.status == 404
    expect(page.get_by_role("heading", name="This page is not here")).to_be_visible()
    assert_no_horizontal_scroll(page)
    assert_no_serious_axe_violations(page)
    page.screenshot(path=f"{SCREENSHOTS}/404.png")
    assert not favicon_failures
    page.get_by_role("link", name="Log how it feels").tap()
    expect(page.get_by_role("heading", name="How is your pain now?")).to_be_visible()


@pytest.mark.parametrize("width", [360, 375, 390])
def test_the_menu_never_leaves_a_lone_item_on_a_row(browser, live_server, log_in, width):
    context = browser.new_context(viewport={"width": width, "height": 800}, is_mobile=True)
    page = context.new_page()
    try:
        log_in(page)
        tops = page.locator(".site-nav li").evaluate_all(
            "items => items.map(item => Math.round(item.getBoundingClientRect().top))"
        )
        rows = {top: tops.count(top) for top in tops}
        assert len(tops) == 6
        assert min(rows.values()) >= 2, f"a row with one item at {width}px: {rows}"
        assert_no_horizontal_scroll(page)
    finally:
        context.close()
