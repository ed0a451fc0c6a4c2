"""The log page by keyboard: each tick-box list is one Tab stop, arrows move inside it."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from diary.models import Entry

pytestmark = pytest.mark.browser


def _focused_id(page) -> str:
    return page.evaluate("() => document.activeElement && document.activeElement.id")


LISTS = "[data-bm-list], #field-pain_types .chip-group, #field-context .chips"
GROUP_OF_FOCUSED = """(lists) => {
    const box = document.activeElement;
    const group = box && box.closest(lists);
    const isBox = box && box.type === "checkbox";
    return isBox && group ? [box.id, group.id || group.querySelector("[id]").id] : [box.id, null];
}"""


def test_tab_stops_once_in_each_list_of_boxes(desktop_page, live_server, log_in):
    page = desktop_page
    log_in(page)
    page.get_by_role("button", name="Feet").click()
    page.locator("#bm-view-foot summary").click()  # 18 boxes, every one visible
    page.locator("#more summary").click()  # context tags
    page.locator("#main").focus()
    stops: dict[str, list[str]] = {}
    presses = 0
    while presses < 200:
        page.keyboard.press("Tab")
        presses += 1
        box, group = page.evaluate(GROUP_OF_FOCUSED, LISTS)
        if box == "notes":
            break
        if group:
            stops.setdefault(group, []).append(box)
    assert len(stops) == 5  # the foot list, three pain-type groups, the context tags
    assert all(len(boxes) == 1 for boxes in stops.values()), stops
    assert presses < 30


def test_arrows_move_within_a_group_and_space_ticks(desktop_page, live_server, log_in, user):
    page = desktop_page
    log_in(page)
    first = page.locator("#field-pain_types .chip-group").first.locator("input").first
    first.focus()
    page.keyboard.press("ArrowRight")
    second_id = _focused_id(page)
    assert second_id != first.get_attribute("id")
    page.keyboard.press("Space")
    expect(page.locator(f"#{second_id}")).to_be_checked()
    page.keyboard.press("Tab")  # leaves the group: lands in the next group, not its next box
    next_group = page.locator("#field-pain_types .chip-group").nth(1).locator("input").first
    assert _focused_id(page) == next_group.get_attribute("id")
    page.keyboard.press("Shift+Tab")  # back to the box last used in the first group
    assert _focused_id(page) == second_id
    page.keyboard.press("End")
    last = page.locator("#field-pain_types .chip-group").first.locator("input").last
    assert _focused_id(page) == last.get_attribute("id")
    assert not Entry.objects.filter(user=user).exists()
