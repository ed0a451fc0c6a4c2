"""Time on a phone in Chromium: the phone's zone at sign-up and on the account page, and the
log page's "When?" answer with the time of day it derives (CONTRACT §6)."""

from __future__ import annotations

import re
from datetime import UTC, datetime

import pytest
from playwright.sync_api import Browser, expect

from diary.models import User
from tests.support.browser import PHONE

pytestmark = pytest.mark.browser


def _phone_in(browser: Browser, zone: str):
    return browser.new_context(viewport=PHONE, is_mobile=True, has_touch=True, timezone_id=zone)


def test_sign_up_takes_the_phones_time_zone(browser, live_server):
    context = _phone_in(browser, "America/Chicago")
    page = context.new_page()
    page.goto(f"{live_server.url}/signup/")
    expect(page.get_by_label("Time zone")).to_have_value("America/Chicago")
    page.get_by_label("E-mail").fill("new@example.com")
    page.get_by_label("Password").fill("a-long-unusual-passphrase-42")
    page.get_by_role("button", name="Create account").click()
    page.wait_for_url(f"{live_server.url}/")
    assert User.objects.get(email="new@example.com").timezone == "America/Chicago"
    context.close()


def test_the_account_page_offers_the_phones_zone_when_it_differs(
    browser, live_server, user, password
):
    context = _phone_in(browser, "Asia/Tokyo")
    page = context.new_page()
    page.goto(f"{live_server.url}/login/")
    page.get_by_label("E-mail").fill(user.email)
    page.get_by_label("Password").fill(password)
    page.get_by_role("button", name="Log in").click()
    page.goto(f"{live_server.url}/account/")
    offer = page.locator("[data-zone-offer]")
    expect(offer).to_contain_text("Your phone is set to Asia/Tokyo")
    expect(offer).to_contain_text("your diary uses Europe/London")
    offer.get_by_role("button", name="Use my phone's time zone").click()
    expect(page.get_by_text("Your settings are saved.")).to_be_visible()
    user.refresh_from_db()
    assert user.timezone == "Asia/Tokyo"
    expect(page.locator("[data-zone-offer]")).to_be_hidden()
    context.close()


def test_when_shows_the_moment_and_its_time_of_day_as_the_patient_answers(
    phone_page, live_server, log_in
):
    page = phone_page
    # The phone's clock: 21:30 in London (the patient's zone), so every answer below is fixed.
    page.clock.set_fixed_time(datetime(2026, 11, 20, 21, 30, tzinfo=UTC))
    log_in(page)
    summary = page.locator("[data-when-summary]")
    expect(summary).to_have_text("Today 21:30 · Evening")
    expect(page.get_by_label(re.compile("^Time"))).to_be_hidden()
    # "Last night" untouched is late yesterday evening, whatever the clock says now.
    page.locator('label[for="when-last-night"]').tap()
    expect(summary).to_have_text("Yesterday 23:00 · Night")
    page.locator('label[for="when-earlier-today"]').tap()
    expect(page.get_by_label(re.compile("^Time"))).to_be_focused()
    expect(summary).to_have_text("")
    page.get_by_label(re.compile("^Time")).fill("13:14")
    expect(summary).to_have_text("Today 13:14 · Afternoon")
    page.get_by_label(re.compile("^Time")).fill("23:50")
    expect(summary).to_have_text("That is later than now: choose a time that has passed.")
    page.get_by_label(re.compile("^Time")).fill("13:14")
    page.locator("#field-occurred_at").screenshot(path="var/screenshots/log-when.png")
    page.locator('label[for="when-last-night"]').tap()
    page.get_by_label(re.compile("^Time")).fill("")
    expect(summary).to_have_text("Yesterday 23:00 · Night")
    page.locator('label[for="when-another-day"]').tap()
    expect(page.get_by_label(re.compile("^Time"))).to_be_hidden()
    page.get_by_label(re.compile("^Date and time")).fill("2026-11-17T06:45")
    expect(summary).to_have_text("Tue 17 Nov 06:45 · Morning")
