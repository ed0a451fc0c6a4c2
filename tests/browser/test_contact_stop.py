"""The contact's stop link on a phone: one confirm tap, readable at 390 px, no CSP violation."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from reports.contact_links import contact_stop_token
from tests.factories import ContactFactory
from tests.support.browser import assert_no_horizontal_scroll, assert_no_serious_axe_violations

pytestmark = pytest.mark.browser


def test_a_contact_stops_alerts_with_one_tap(phone_page, live_server, user):
    contact = ContactFactory(user=user, email="gp@clinic.example")
    page = phone_page
    page.goto(f"{live_server.url}/stop/{contact_stop_token(contact)}/")
    expect(page.get_by_role("heading", name="Stop symptom alerts?")).to_be_visible()
    assert_no_horizontal_scroll(page)
    assert_no_serious_axe_violations(page)
    button = page.get_by_role("button", name="Stop alerts to gp@clinic.example")
    assert button.bounding_box()["height"] >= 44
    button.click()
    expect(page.get_by_role("heading", name="Alerts stopped")).to_be_visible()
    contact.refresh_from_db()
    assert contact.receive_alerts is False
