"""Checks the browser tests share: charts drawn, no sideways scroll, no serious axe findings."""

from __future__ import annotations

from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import Page

PHONE = {"width": 390, "height": 844}  # the viewport of the phone-sized pages


def wait_for_charts(page: Page) -> int:
    """Scroll each chart into view and wait until charts.js has drawn it; return how many."""
    # charts.js builds a chart only once its box scrolls into view (one per idle slot).
    targets = page.locator("script.js-figure").evaluate_all(
        "nodes => nodes.map(node => node.dataset.target)"
    )
    for target in targets:
        page.locator(f"#{target}").scroll_into_view_if_needed()
        page.wait_for_function(
            "id => document.getElementById(id).classList.contains('js-plotly-plot')", arg=target
        )
    page.evaluate("() => window.scrollTo(0, 0)")
    return len(targets)


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
