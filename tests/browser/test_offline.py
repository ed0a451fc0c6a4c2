"""The diary on a phone without a network (CONTRACT §6), in Chromium with the real service
worker, IndexedDB and the session + CSRF API path: entries saved offline are stored exactly
once when the network is back; a refused one is shown and kept; a new deploy takes over."""

from __future__ import annotations

import re
import time
import uuid
from datetime import UTC, datetime

import pytest
from playwright.sync_api import BrowserContext, Page, Route, expect
from playwright.sync_api import Error as PlaywrightError

from diary.models import Entry, Flag
from tests.support.browser import PHONE

pytestmark = pytest.mark.browser

SCREENSHOTS = "var/screenshots"


def _cut_worker_off(route: Route) -> None:
    if route.request.service_worker:
        route.abort("internetdisconnected")
    else:
        route.continue_()


def go_offline(context: BrowserContext) -> None:
    context.set_offline(True)
    context.route("**/*", _cut_worker_off)


def go_online(context: BrowserContext) -> None:
    context.unroute("**/*", _cut_worker_off)
    context.set_offline(False)


@pytest.fixture
def phone(browser, live_server, user, password):
    """A phone logged in on the log page, its service worker in control."""
    context = browser.new_context(
        viewport=PHONE,
        device_scale_factor=2,
        is_mobile=True,
        has_touch=True,
        service_workers="allow",
    )
    page = context.new_page()
    page.goto(f"{live_server.url}/login/")
    page.get_by_label("E-mail").fill(user.email)
    page.get_by_label("Password").fill(password)
    page.get_by_role("button", name="Log in").click()
    page.wait_for_url(f"{live_server.url}/")
    page.wait_for_function("() => navigator.serviceWorker.controller !== null")
    yield context, page
    context.close()


def _log(page: Page, *, place: str, intensity: int, red_flag: str | None = None) -> None:
    page.locator(f'svg [data-loc="{place}"]').tap()
    page.locator(f'label[for="intensity-{intensity}"]').tap()
    if red_flag:
        page.get_by_label(re.compile(red_flag)).check()
    page.get_by_role("button", name="Save entry").tap()


def _waiting(page: Page):
    return page.locator("[data-outbox-count]")


def test_three_entries_saved_offline_are_stored_once_each_when_back_online(
    phone, live_server, user, eager
):
    context, page = phone
    go_offline(context)

    _log(page, place="buttock:left", intensity=4)
    notice = page.locator("[data-offline-notice]")
    expect(notice).to_contain_text("Saved on your phone")
    expect(_waiting(page)).to_contain_text("1 waiting to send")

    page.locator('svg [data-loc="thigh_back:left"]').tap()
    page.locator('label[for="intensity-7"]').tap()
    page.get_by_label(re.compile("Sudden loss of feeling in the groin")).check()
    # The advice comes from the page itself, at once, with no network.
    expect(page.locator("[data-urgent-slot]")).to_contain_text("Seek emergency care now")
    page.get_by_role("button", name="Save entry").tap()
    expect(notice).to_contain_text("Seek emergency care now")
    expect(_waiting(page)).to_contain_text("2 waiting to send")

    _log(page, place="calf:left", intensity=5)
    expect(_waiting(page)).to_contain_text("3 waiting to send")
    expect(page.get_by_role("button", name="Save entry")).to_be_enabled()
    page.evaluate("() => window.scrollTo(0, 0)")
    page.screenshot(path=f"{SCREENSHOTS}/log-offline-waiting.png")

    page.reload()
    expect(page.get_by_role("heading", name="How is your pain now?")).to_be_visible()
    expect(_waiting(page)).to_contain_text("3 waiting to send")
    assert not Entry.objects.filter(user=user).exists()

    go_online(context)
    expect(page.locator("[data-outbox]")).to_be_hidden(timeout=15000)
    entries = Entry.objects.filter(user=user)
    assert entries.count() == 3
    assert sorted(e.intensity for e in entries) == [4, 5, 7]
    flagged = entries.get(intensity=7)
    assert flagged.red_flags == ["saddle_numbness"]
    assert Flag.objects.filter(user=user, code="red_flag_saddle_numbness", status="active").exists()

    # Going back online again, or reloading, sends nothing twice.
    page.reload()
    expect(page.locator("[data-outbox]")).to_be_hidden()
    assert Entry.objects.filter(user=user).count() == 3


def test_a_cached_page_never_reuses_the_id_of_an_entry_already_saved(phone, live_server, user):
    context, page = phone
    page.reload()  # now under the worker: this very page is the cached log page
    posted_online = page.locator('input[name="id"]').input_value()
    _log(page, place="buttock:right", intensity=3)
    page.wait_for_url(re.compile(r"/entries/\?saved="))

    go_offline(context)
    page.goto(f"{live_server.url}/")  # the cached copy, carrying the id just posted online
    assert page.locator('input[name="id"]').input_value() == posted_online
    _log(page, place="buttock:left", intensity=4)
    expect(_waiting(page)).to_contain_text("1 waiting to send")
    page.reload()  # the same cached copy again, whose id the phone has now queued too
    _log(page, place="calf:left", intensity=6)
    expect(_waiting(page)).to_contain_text("2 waiting to send")

    go_online(context)
    expect(page.locator("[data-outbox]")).to_be_hidden(timeout=15000)
    entries = Entry.objects.filter(user=user)
    assert sorted(entries.values_list("intensity", flat=True)) == [3, 4, 6]
    assert entries.get(intensity=3).pk == uuid.UUID(posted_online)


def test_a_replay_refused_with_400_is_shown_and_the_draft_kept_to_fix(phone, live_server, user):
    context, page = phone
    go_offline(context)
    # The phone's clock when it saves: the draft must keep this moment however late it is fixed.
    page.clock.set_fixed_time(datetime(2026, 11, 20, 9, 0, tzinfo=UTC))
    # Intensity without a place: the diary refuses it (only 0 may have no place).
    page.locator('label[for="intensity-6"]').tap()
    page.get_by_role("button", name="Save entry").tap()
    expect(_waiting(page)).to_contain_text("1 waiting to send")

    go_online(context)
    refused = page.locator(".outbox-refused")
    expect(refused).to_contain_text("Not saved")
    expect(refused).to_contain_text("Where it hurts: Choose at least one region")
    expect(_waiting(page)).to_be_hidden()
    assert not Entry.objects.filter(user=user).exists()

    # Still there on the next page: never silently dropped.
    page.goto(f"{live_server.url}/entries/")
    expect(page.locator(".outbox-refused")).to_contain_text("Where it hurts")
    page.get_by_role("link", name="Fix and save").click()
    expect(page.locator("[data-offline-notice]")).to_contain_text("was not accepted")
    expect(page.locator('input[name="intensity"][value="6"]')).to_be_checked()
    # Saved for "Now" back then: the draft keeps that moment, not the time it is fixed.
    expect(page.locator('input[name="when"][value="another_day"]')).to_be_checked()
    expect(page.locator('input[name="occurred_at"]')).to_have_value("2026-11-20T09:00")
    draft_id = page.locator('input[name="id"]').input_value()
    page.locator('svg [data-loc="calf:right"]').tap()
    page.get_by_role("button", name="Save entry").tap()
    page.wait_for_url(re.compile(r"/entries/\?saved="))
    entry = Entry.objects.get(user=user)
    assert str(entry.pk) == draft_id
    assert entry.intensity == 6
    assert entry.occurred_at == datetime(2026, 11, 20, 9, 0, tzinfo=UTC)
    expect(page.locator("[data-outbox]")).to_be_hidden()


def test_a_refused_entry_can_be_discarded(phone, live_server, user):
    context, page = phone
    go_offline(context)
    page.locator('label[for="intensity-6"]').tap()
    page.get_by_role("button", name="Save entry").tap()
    go_online(context)
    page.get_by_role("button", name="Discard").click()
    expect(page.locator("[data-outbox]")).to_be_hidden()
    page.reload()
    expect(page.locator("[data-outbox]")).to_be_hidden()


def _wait_until(condition, *, seconds: float) -> None:
    deadline = time.monotonic() + seconds
    while not condition():
        assert time.monotonic() < deadline, f"not true after {seconds} s"
        time.sleep(0.1)


def _server_unreachable(route: Route) -> None:
    # Every request, the page's own as well as the worker's: the page replays its queue as
    # soon as it loads, and a server that refused the worker must refuse that replay too.
    route.abort("connectionrefused")


def test_a_save_the_network_loses_while_the_phone_thinks_it_is_online_is_kept(
    phone, live_server, user
):
    context, page = phone
    form_id = page.locator('input[name="id"]').input_value()
    context.route("**/*", _server_unreachable)  # navigator.onLine stays true
    _log(page, place="calf:right", intensity=5)
    expect(page.locator("[data-offline-notice]")).to_contain_text("Saved on your phone")
    expect(_waiting(page)).to_contain_text("1 waiting to send")
    assert not Entry.objects.filter(user=user).exists()

    context.unroute("**/*", _server_unreachable)
    page.goto(f"{live_server.url}/entries/")  # the next page load sends it
    # The outbox line starts hidden on a fresh page, so its being hidden proves nothing yet:
    # wait for the diary itself to hold the entry, then for the line to stay empty.
    _wait_until(lambda: Entry.objects.filter(user=user).exists(), seconds=15)
    expect(page.locator("[data-outbox]")).to_be_hidden(timeout=15000)
    entry = Entry.objects.get(user=user)
    assert str(entry.pk) == form_id
    assert entry.intensity == 5


def _worker_version(page: Page) -> str:
    return page.evaluate(
        """() => new Promise(resolve => {
            const channel = new MessageChannel();
            channel.port1.onmessage = event => resolve(event.data);
            navigator.serviceWorker.controller.postMessage("version", [channel.port2]);
        })"""
    )


def _wait_for_worker_version(page: Page, expected: str) -> None:
    seen = None
    for _ in range(150):
        try:
            seen = page.evaluate("() => navigator.serviceWorker.controller !== null") and (
                _worker_version(page)
            )
        except PlaywrightError:  # the page reloaded under the new worker mid-question
            seen = None
        if seen == expected:
            return
        page.wait_for_timeout(200)
    raise AssertionError(f"the page is still controlled by worker version {seen}, not {expected}")


def test_a_new_deploys_worker_takes_over_the_open_page(phone, live_server, settings):
    from config import pwa

    context, page = phone
    old = _worker_version(page)
    settings.DEPLOY_VERSION = "next-deploy"
    new = pwa.shell_version()
    assert new != old
    # The next page load notices the new /sw.js; it installs, takes over and reloads the page.
    page.goto(f"{live_server.url}/entries/")
    _wait_for_worker_version(page, new)
    caches = page.evaluate("caches.keys()")
    assert f"diary-shell-{new}" in caches
    assert not any(old in name for name in caches)
    # And the new worker's cache serves the log page offline.
    go_offline(context)
    page.goto(f"{live_server.url}/")
    expect(page.get_by_role("heading", name="How is your pain now?")).to_be_visible()
