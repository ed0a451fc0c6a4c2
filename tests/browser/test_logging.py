"""Logging an entry on a phone in Chromium: body map, chips, intensity, warning signs."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import Page, expect

from diary.models import Entry
from tests.support.browser import (
    PHONE,
    assert_no_horizontal_scroll,
    assert_no_serious_axe_violations,
)

pytestmark = pytest.mark.browser


def _chip(page: Page, text: str):
    return page.locator("label.chip", has_text=re.compile(rf"^\W*{re.escape(text)}$"))


def test_a_patient_logs_foot_pain_by_tapping_the_body_map(phone_page, live_server, log_in, user):
    page = phone_page
    log_in(page)
    expect(page.get_by_role("heading", name="How is your pain now?")).to_be_visible()
    assert_no_horizontal_scroll(page)
    assert_no_serious_axe_violations(page)

    page.get_by_role("button", name="Feet").tap()
    page.locator('svg [data-loc="foot_sole:left"]').tap()
    expect(page.get_by_role("button", name="Remove Sole of foot, left")).to_be_visible()
    expect(page.locator('svg [data-loc="foot_sole:left"]')).to_have_class(re.compile("is-selected"))
    # The labelled checkbox behind the shape (in the collapsed list) follows the tap.
    expect(page.locator('input[value="foot_sole:left"]')).to_be_checked()

    _chip(page, "Burning").tap()
    page.locator('label[for="intensity-7"]').tap()
    expect(page.locator("[data-intensity-readout]")).to_have_text("7 out of 10: severe")
    assert_no_horizontal_scroll(page)
    assert_no_serious_axe_violations(page)

    page.get_by_role("button", name="Save entry").tap()
    page.wait_for_url(re.compile(r"/entries/\?saved="))
    entry = page.locator("li.entry").first
    expect(entry).to_contain_text("Sole of foot, left")
    expect(entry).to_contain_text("Burning")
    expect(entry.locator(".intensity-badge")).to_contain_text("7")
    expect(page.get_by_role("status").filter(has_text="Thank you for logging")).to_be_visible()
    assert_no_horizontal_scroll(page)
    assert_no_serious_axe_violations(page)

    saved = Entry.objects.get(user=user)
    assert [(loc.region, loc.side) for loc in saved.locations.all()] == [("foot_sole", "left")]
    assert saved.pain_types == ["burning"]
    assert saved.intensity == 7


def test_a_chosen_area_can_be_removed_with_its_chip(phone_page, live_server, log_in):
    page = phone_page
    log_in(page)
    page.locator('svg [data-loc="buttock:right"]').tap()
    page.get_by_role("button", name="Remove Buttock, right").tap()
    expect(page.get_by_role("button", name="Remove Buttock, right")).to_have_count(0)
    expect(page.locator('svg [data-loc="buttock:right"]')).not_to_have_class(
        re.compile("is-selected")
    )
    expect(page.locator('input[value="buttock:right"]')).not_to_be_checked()


def test_an_emergency_warning_sign_shows_urgent_advice_before_saving(
    phone_page, live_server, log_in, user
):
    page = phone_page
    log_in(page)
    slot = page.locator("[data-urgent-slot]")
    expect(slot).to_be_empty()

    page.get_by_label(re.compile("Sudden loss of feeling in the groin")).check()
    expect(slot).to_contain_text("Seek emergency care now")
    expect(slot).to_contain_text("Call 112 or go to the emergency department (A&E) now")
    expect(slot).to_have_attribute("role", "alert")
    assert not Entry.objects.filter(user=user).exists()
    assert_no_horizontal_scroll(page)
    assert_no_serious_axe_violations(page)

    page.get_by_label(re.compile("Sudden loss of feeling in the groin")).uncheck()
    expect(slot).to_be_empty()


def test_the_form_works_without_javascript(browser, live_server, log_in, user):
    context = browser.new_context(viewport=PHONE, java_script_enabled=False)
    page = context.new_page()
    try:
        log_in(page)
        # The lists arrive closed (so the script moves nothing); without JS a tap opens one.
        page.locator('details:has(label[for="locations-heel-right"]) > summary').click()
        page.locator('label[for="locations-heel-right"]').click()
        _chip(page, "Aching").click()
        page.locator('label[for="intensity-3"]').click()
        page.get_by_label(re.compile("Cannot lift the front of your foot")).check()
        page.get_by_role("button", name="Save entry").click()
        page.wait_for_url(re.compile(r"/entries/\?saved="))
        expect(page.get_by_role("alert").filter(has_text="See a doctor today")).to_be_visible()
        expect(page.locator("li.entry").first).to_contain_text("Heel, right")
        assert_no_horizontal_scroll(page)
    finally:
        context.close()
    assert Entry.objects.get(user=user).red_flags == ["foot_drop"]


SHOTS = "/tmp/alert-advice-shots"


def test_saddle_numbness_on_the_body_map_shows_emergency_advice_at_once(
    phone_page, live_server, log_in, user
):
    page = phone_page
    log_in(page)
    slot = page.locator("[data-urgent-slot]")
    page.get_by_role("button", name="Back").tap()
    page.locator('svg [data-loc="saddle:center"]').tap()
    expect(slot).to_be_empty()  # the region alone is not the sign

    _chip(page, "Tingling").tap()
    expect(slot).to_contain_text("Seek emergency care now")
    expect(slot.get_by_role("link", name="Call 112")).to_have_attribute("href", "tel:112")
    expect(page.locator("[data-advice]")).to_have_count(1)  # once per page
    slot.scroll_into_view_if_needed()
    page.screenshot(path=f"{SHOTS}/saddle-body-map.png")
    assert_no_horizontal_scroll(page)
    assert_no_serious_axe_violations(page)

    _chip(page, "Tingling").tap()
    expect(slot).to_be_empty()
    assert not Entry.objects.filter(user=user).exists()


def test_a_motor_sign_shows_urgent_advice_and_an_emergency_sign_replaces_it(
    phone_page, live_server, log_in
):
    page = phone_page
    log_in(page)
    slot = page.locator("[data-urgent-slot]")
    page.get_by_role("button", name="Feet").tap()
    page.locator('svg [data-loc="heel:left"]').tap()
    _chip(page, "Heaviness").tap()
    expect(slot).to_contain_text("See a doctor today")
    expect(slot.get_by_role("link", name="Call 112")).to_be_visible()
    slot.scroll_into_view_if_needed()
    page.screenshot(path=f"{SHOTS}/motor-sign.png")
    assert_no_horizontal_scroll(page)

    page.get_by_label(re.compile("Loss of control of your bladder")).check()
    expect(slot).to_contain_text("Seek emergency care now")
    expect(page.locator("[data-advice]")).to_have_count(1)
    page.get_by_label(re.compile("Loss of control of your bladder")).uncheck()
    expect(slot).to_contain_text("See a doctor today")


# The top of the form the patient is looking at while choosing the sign: none of it may move.
_ABOVE = ("h1", "[data-bm-tabs]", 'svg [data-loc="saddle:center"]', "#field-pain_types legend")


def _page_positions(page: Page) -> list[tuple[float, float]]:
    """(top, height) in page coordinates of each element above, whatever the scroll."""
    return page.evaluate(
        """(selectors) => selectors.map((s) => {
            const box = document.querySelector(s).getBoundingClientRect();
            return [box.top + window.scrollY, box.height];
        })""",
        list(_ABOVE),
    )


def _on_screen(page: Page, locator) -> bool:
    box = locator.bounding_box()
    return box is not None and box["y"] >= 0 and box["y"] + box["height"] <= PHONE["height"]


def test_advice_from_the_body_map_is_on_screen_at_the_top_of_the_form(
    phone_page, live_server, log_in
):
    page = phone_page
    log_in(page)
    page.get_by_role("button", name="Back").tap()
    bar = page.locator("[data-urgent-bar]")
    call = bar.get_by_role("link", name="Call 112")
    saddle = page.locator('svg [data-loc="saddle:center"]')

    saddle.tap()
    at_body_map = page.evaluate("window.scrollY")
    before = _page_positions(page)  # with the saddle chosen, before the advice appears
    _chip(page, "Numbness").tap()

    # Back where the patient tapped the saddle: the advice and its call button are on screen.
    page.evaluate("(y) => window.scrollTo(0, y)", at_body_map)
    expect(bar).to_contain_text("Seek emergency care now")
    expect(call).to_have_attribute("href", "tel:112")
    assert _on_screen(page, saddle)
    assert _on_screen(page, call)
    page.screenshot(path=f"{SHOTS}/saddle-at-body-map.png")
    # And at the very top of the page.
    page.evaluate("window.scrollTo(0, 0)")
    assert page.evaluate("window.scrollY") == 0
    assert _on_screen(page, call)
    assert call.bounding_box()["height"] >= 44
    assert bar.get_by_role("link", name=re.compile("^More")).bounding_box()["height"] >= 44
    assert _page_positions(page) == before  # nothing above moved when the advice appeared
    page.screenshot(path=f"{SHOTS}/saddle-at-top.png")
    assert_no_horizontal_scroll(page)
    assert_no_serious_axe_violations(page)

    # "More" leads to the full advice; with it on screen the call button shows once.
    bar.get_by_role("link", name=re.compile("^More")).tap()
    slot = page.locator("[data-urgent-slot]")
    expect(slot.get_by_role("link", name="Call 112")).to_be_in_viewport()
    expect(bar).to_be_hidden()
    page.screenshot(path=f"{SHOTS}/saddle-more.png")

    # At the end of the form the Save button is not covered.
    save = page.get_by_role("button", name="Save entry")
    save.scroll_into_view_if_needed()
    page.evaluate("window.scrollTo(0, document.body.scrollHeight)")
    box = save.bounding_box()
    hit = page.evaluate(
        "([x, y]) => document.elementFromPoint(x, y).closest('[data-save]') !== null",
        [box["x"] + box["width"] / 2, box["y"] + box["height"] / 2],
    )
    assert hit

    # Untick: the compact advice goes with the full one.
    page.evaluate("window.scrollTo(0, 0)")
    _chip(page, "Numbness").tap()
    expect(bar).to_be_empty()
    expect(slot).to_be_empty()


def test_urgent_advice_bar_fits_a_360_px_phone(browser, live_server, log_in):
    context = browser.new_context(
        viewport={"width": 360, "height": 640}, is_mobile=True, has_touch=True
    )
    page = context.new_page()
    try:
        log_in(page)
        page.get_by_role("button", name="Feet").tap()
        page.locator('svg [data-loc="heel:left"]').tap()
        _chip(page, "Weakness").tap()
        page.evaluate("window.scrollTo(0, 0)")
        bar = page.locator("[data-urgent-bar]")
        expect(bar).to_contain_text("See a doctor today")
        call = bar.get_by_role("link", name="Call 112")
        box = call.bounding_box()
        assert box["y"] >= 0 and box["y"] + box["height"] <= 640
        assert box["height"] >= 44
        page.screenshot(path=f"{SHOTS}/motor-360.png")
        assert_no_horizontal_scroll(page)
        assert_no_serious_axe_violations(page)
    finally:
        context.close()


LAYOUT_SHIFTS = """() => new Promise(resolve => {
    const found = [];
    const observer = new PerformanceObserver(list => found.push(...list.getEntries()));
    observer.observe({ type: "layout-shift", buffered: true });
    // Buffered entries arrive in the observer's next callback.
    setTimeout(() => { observer.disconnect(); resolve(found.map(e => e.value)); }, 200);
})"""


def test_the_body_map_does_not_move_when_the_script_runs(phone_page, live_server, log_in):
    page = phone_page
    log_in(page)
    page.goto(f"{live_server.url}/")
    page.wait_for_load_state("networkidle")

    assert page.evaluate("() => document.documentElement.classList.contains('js')")
    assert page.evaluate(LAYOUT_SHIFTS) == []
    expect(page.get_by_role("button", name="Back")).to_be_visible()
    expect(page.locator("#bm-view-leg")).to_be_hidden()
    expect(page.locator("#bm-view-back summary")).to_be_visible()


def test_without_javascript_every_body_map_list_is_reachable(browser, live_server, user, password):
    context = browser.new_context(viewport=PHONE, java_script_enabled=False)
    page = context.new_page()
    page.goto(f"{live_server.url}/login/")
    page.get_by_label("E-mail").fill(user.email)
    page.get_by_label("Password").fill(password)
    page.get_by_role("button", name="Log in").click()

    expect(page.locator("[data-bm-tabs]")).to_be_hidden()
    for code in ("back", "leg", "foot"):
        expect(page.locator(f"#bm-view-{code} summary")).to_be_visible()
    page.locator("#bm-view-foot summary").click()
    expect(page.get_by_label("Sole of foot, Left")).to_be_visible()
    context.close()
