"""At phone size: add an injection, answer the weekly check-in, see the marker and the
before/after line on the reports page (CONTRACT §8)."""

from __future__ import annotations

import os
from datetime import timedelta
from pathlib import Path

import pytest
from django.utils import timezone
from playwright.sync_api import Page, expect

from diary.models import CheckIn, TreatmentEvent
from tests.support.browser import (
    assert_no_horizontal_scroll,
    assert_no_serious_axe_violations,
    wait_for_charts,
)
from tests.support.entries import seed

pytestmark = pytest.mark.browser
# Screenshots for a person to look at; set OUTCOME_SCREENSHOTS=/some/dir to keep them.
SHOTS = os.environ.get("OUTCOME_SCREENSHOTS")


def shot(page: Page, name: str, selector: str = "") -> None:
    if SHOTS:
        path = str(Path(SHOTS) / f"{name}.png")
        if selector:
            page.locator(selector).screenshot(path=path)
        else:
            page.screenshot(path=path, full_page=True)


def test_add_an_injection_answer_a_check_in_and_see_it_on_the_report(
    phone_page, live_server, log_in, user
):
    seed(user, days=40, per_day=1, intensity=6)
    injection_day = timezone.now().astimezone(user.zone).date() - timedelta(days=20)
    page = phone_page
    log_in(page)

    # The log page: the check-in card and one link to "something changed".
    page.goto(f"{live_server.url}/")
    expect(page.get_by_role("heading", name="Weekly check-in")).to_be_visible()
    expect(page.get_by_role("button", name="Save entry")).to_be_attached()  # never blocked
    assert_no_horizontal_scroll(page)
    shot(page, "1-log-page", ".log-intro")

    page.get_by_role(
        "link", name="Something changed: a new medicine, a session, an injection…"
    ).click()
    page.locator('label[for="id_kind_4"]').click()  # Injection
    page.get_by_label("Name").fill("Epidural steroid injection")
    page.get_by_label("On which day?").fill(injection_day.isoformat())
    assert_no_horizontal_scroll(page)
    assert_no_serious_axe_violations(page)
    shot(page, "2-treatment-form")
    page.get_by_role("button", name="Save").click()
    expect(page.get_by_text("Epidural steroid injection").first).to_be_visible()
    event = TreatmentEvent.objects.get(user=user)
    assert (event.kind, event.started_on) == ("injection", injection_day)
    shot(page, "3-treatment-list")

    # The weekly check-in, from the card on the log page.
    page.goto(f"{live_server.url}/")
    page.get_by_role("link", name="Answer now").click()
    for code, value in (("leg_pain", 5), ("numbness_tingling", 3), ("weakness", 1)):
        page.locator(f'label[for="id_{code}_{value}"]').click()
    page.locator('label[for="id_sitting_pain_6"]').click()
    page.get_by_text("A bit better", exact=True).click()
    assert_no_horizontal_scroll(page)
    assert_no_serious_axe_violations(page)
    shot(page, "4-check-in")
    page.get_by_role("button", name="Save check-in").click()
    expect(page.get_by_text("this week's check-in is saved")).to_be_visible()
    expect(page.get_by_role("heading", name="Weekly check-in")).to_have_count(0)
    assert CheckIn.objects.get(user=user).total == 15

    # The report: a labelled marker on the chart and one before/after line.
    page.goto(f"{live_server.url}/reports/?days=30")
    wait_for_charts(page)
    daily = page.locator("#fig-daily-intensity")
    expect(daily.locator(".annotation-text", has_text="Epidural steroid inj")).to_have_count(1)
    assert daily.locator(".shapelayer path").count() >= 1
    line = page.locator(".before-after li")
    expect(line).to_have_count(1)
    expect(line).to_contain_text("Injection: Epidural steroid injection")
    expect(line).to_contain_text("on days 3–16 after")
    expect(page.get_by_text("Sciatica often improves on its own")).to_be_visible()
    expect(
        page.locator("#fig-checkins .js-plotly-plot, #fig-checkins.js-plotly-plot")
    ).to_have_count(1)
    assert_no_horizontal_scroll(page)
    assert_no_serious_axe_violations(page)
    shot(page, "5-report-chart", "#fig-daily-intensity")
    shot(page, "6-report-outcomes", ".outcomes")
