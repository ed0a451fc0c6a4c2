"""The strict Content-Security-Policy breaks nothing: no page reports a violation."""

from __future__ import annotations

import pytest
from playwright.sync_api import Page

from reports.figures import FIGURES
from reports.services import share_link_create
from tests.support.browser import wait_for_charts
from tests.support.entries import seed

pytestmark = pytest.mark.browser


def record_csp_violations(page: Page) -> list[str]:
    """Collect every CSP violation the page reports, from the console and from the DOM event."""
    violations: list[str] = []
    page.on(
        "console",
        lambda message: (
            violations.append(message.text) if "Content Security Policy" in message.text else None
        ),
    )
    page.add_init_script(
        "document.addEventListener('securitypolicyviolation', e => "
        "console.error('Content Security Policy violation: ' + e.violatedDirective + ' ' + "
        "e.blockedURI + ' ' + (e.sample || '')))"
    )
    return violations


def test_the_patient_pages_run_without_csp_violations(phone_page, live_server, log_in, user):
    seed(user, days=30, per_day=2, red_flags=["foot_drop"])
    violations = record_csp_violations(phone_page)
    log_in(phone_page)
    for path in ["/", "/entries/", "/flags/", "/sharing/", "/account/"]:
        phone_page.goto(f"{live_server.url}{path}")
        phone_page.wait_for_load_state("networkidle")
    phone_page.goto(f"{live_server.url}/")
    phone_page.get_by_role("button", name="Feet").click()
    phone_page.goto(f"{live_server.url}/reports/?days=30")
    assert wait_for_charts(phone_page) == len(FIGURES)
    assert violations == []


def test_the_clinician_summary_runs_without_csp_violations(phone_page, live_server, user):
    seed(user, days=30, per_day=2)
    created = share_link_create(user=user, days=30)
    violations = record_csp_violations(phone_page)
    phone_page.goto(f"{live_server.url}/r/{created.token}/")
    assert wait_for_charts(phone_page) == len(FIGURES)
    assert violations == []


def test_the_api_docs_render_from_local_files_without_csp_violations(desktop_page, live_server, db):
    violations = record_csp_violations(desktop_page)
    desktop_page.goto(f"{live_server.url}/api/docs/")
    desktop_page.wait_for_selector(".swagger-ui .opblock", timeout=20_000)
    assert violations == []
