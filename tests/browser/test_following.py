"""The account page on a phone with a clinician following you: readable, one tap per action."""

from __future__ import annotations

import os

import pytest
from playwright.sync_api import expect

from diary.models import Follow
from tests.factories import ClinicianFactory, ContactFactory, FollowFactory
from tests.support.browser import assert_no_horizontal_scroll, assert_no_serious_axe_violations

pytestmark = pytest.mark.browser
# Set SCREENSHOT_DIR to keep a PNG of the page for a look (never committed), as test_clinician.


def test_you_manage_a_following_clinician_from_the_account_page(
    phone_page, live_server, user, log_in
):
    follow = FollowFactory(
        patient=user,
        contact=ContactFactory(
            user=user,
            name="Dr Aleksandra Wiśniewska-Kowalczyk",
            email="a.wisniewska@clinic.example",
        ),
        clinician=ClinicianFactory(email="a.wisniewska@clinic.example"),
    )
    ContactFactory(user=user, name="Physio Sam", email="sam@physio.example")
    page = phone_page
    log_in(page)
    page.goto(f"{live_server.url}/account/")
    page.locator("#contacts-h").scroll_into_view_if_needed()
    if shot := os.environ.get("SCREENSHOT_DIR"):
        page.screenshot(path=f"{shot}/account-following.png", full_page=True)
    assert_no_horizontal_scroll(page)
    assert_no_serious_axe_violations(page)
    for name in ("Share your notes", "Stop them following you", "Invite to follow"):
        assert page.get_by_role("button", name=name).bounding_box()["height"] >= 44, name

    page.get_by_role("button", name="Share your notes").click()

    expect(page.get_by_text("can now read your notes")).to_be_visible()
    expect(page.get_by_text("They can read your notes.")).to_be_visible()
    page.get_by_role("button", name="Stop them following you").click()
    expect(page.get_by_text("no longer follows your diary")).to_be_visible()
    follow.refresh_from_db()
    assert follow.ended_at is not None
    assert not Follow.objects.filter(patient=user, ended_at__isnull=True).exists()
