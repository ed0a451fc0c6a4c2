"""Checks the browser tests share: charts drawn, no sideways scroll, no serious axe findings."""

from __future__ import annotations

from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import Page

PHONE = {"width": 390, "height": 844}  # the viewport of the phone-sized pages


def wait_for_charts(page: Page) -> int:
    """Wait until charts.js has drawn every embedded figure; return how many there are."""
    expected = page.locator("script.js-figure").count()
    page.wait_for_function(
        "n => document.querySelectorAll('.js-plotly-plot').length === n", arg=expected
    )
    return expected


def assert_no_horizontal_scroll(page: Page) -> None:
    overflow = page.evaluate(
        "() => document.documentElement.scrollWidth - document.documentElement.clientWidth"
    )
    assert overflow <= 0, f"page scrolls sideways by {overflow}px"


def assert_no_serious_axe_violations(page: Page) -> None:
    results = Axe().run(page)
    serious = [
        v for v in results.response["violations"] if v.get("impact") in {"serious", "critical"}
    ]
    assert not serious, "\n".join(
        f"{v['id']} ({v['impact']}): {v['help']} — {[n['target'] for n in v['nodes']][:5]}"
        for v in serious
    )
