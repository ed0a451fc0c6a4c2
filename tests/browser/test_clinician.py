"""The clinician workspace in real Chromium at phone size (390 × 844)."""

from __future__ import annotations

import io
import os
from datetime import timedelta
from pathlib import Path

import pytest
from django.utils import timezone
from playwright.sync_api import Page, expect
from pypdf import PdfReader

from diary.models import Flag
from tests.factories import TEST_PASSWORD, ClinicianFactory, FollowFactory
from tests.support.browser import (
    assert_no_horizontal_scroll,
    assert_no_serious_axe_violations,
    wait_for_charts,
)
from tests.support.entries import seed

pytestmark = pytest.mark.browser
# Set SCREENSHOT_DIR to keep PNGs of the pages for a look (never committed).
SCREENSHOTS = os.environ.get("SCREENSHOT_DIR")


def shot(page: Page, name: str) -> None:
    if SCREENSHOTS:
        page.screenshot(path=str(Path(SCREENSHOTS, f"{name}.png")))


@pytest.fixture
def workspace(db):
    clinician = ClinicianFactory(email="dr.rahman@clinic.example")
    patients = {}
    for name, severity in [
        ("Calm Carter", None),
        ("Urgent Usman", "urgent"),
        ("Wendy Warn", "warning"),
    ]:
        follow = FollowFactory(clinician=clinician, patient__display_name=name)
        patients[name] = follow.patient
        seed(follow.patient, days=40, per_day=2, red_flags=["foot_drop"] if severity else [])
        if severity:
            Flag.objects.create(
                user=follow.patient,
                code="motor_weakness" if severity == "urgent" else "worsening_trend",
                severity=severity,
                title="Signs of foot weakness" if severity == "urgent" else "Pain getting worse",
                explanation="The patient logged it. Not a diagnosis.",
                source="Patient guide",
                first_detected_at=timezone.now() - timedelta(hours=3),
            )
    # The calm patient logged most recently: urgency still comes first.
    return clinician, patients


def test_a_clinician_finds_the_urgent_patient_first_and_downloads_the_pdf(
    phone_page, live_server, workspace
):
    clinician, patients = workspace
    page = phone_page
    page.goto(f"{live_server.url}/login/")
    page.get_by_label("E-mail").fill(clinician.email)
    page.get_by_label("Password").fill(TEST_PASSWORD)
    page.get_by_role("button", name="Log in").click()
    page.wait_for_url(f"{live_server.url}/clinician/")

    cards = page.locator(".patient-card")
    expect(cards).to_have_count(3)
    expect(cards.first).to_contain_text("Urgent Usman")
    expect(cards.first).to_contain_text("Signs of foot weakness")
    expect(cards.nth(1)).to_contain_text("Wendy Warn")
    box = cards.first.locator("a").bounding_box()
    assert box is not None and box["height"] >= 44
    assert_no_horizontal_scroll(page)
    assert_no_serious_axe_violations(page)
    shot(page, "clinician-workspace")

    cards.first.locator("a").click()
    page.wait_for_url(f"{live_server.url}/clinician/patients/{patients['Urgent Usman'].pk}/")
    wait_for_charts(page)
    expect(page.get_by_role("heading", level=1)).to_contain_text("Urgent Usman")
    assert_no_horizontal_scroll(page)
    assert_no_serious_axe_violations(page)
    shot(page, "clinician-report")

    with page.expect_download() as download_info:
        page.get_by_role("link", name="Download PDF (A4)").click()
    content = Path(download_info.value.path()).read_bytes()
    assert len(PdfReader(io.BytesIO(content)).pages) == 1
    if SCREENSHOTS:
        Path(SCREENSHOTS, "clinician-report.pdf").write_bytes(content)
