"""Web pages for logging, listing, editing and deleting entries."""

from __future__ import annotations

import re
import uuid
from datetime import UTC, date, datetime, timedelta

import pytest
import time_machine
from django.urls import reverse

from diary import vocabulary as vocab
from diary.models import Entry
from tests.factories import EntryFactory

pytestmark = pytest.mark.django_db

LOG_URL = reverse("diary:log")
LIST_URL = reverse("diary:entry-list")
# 21:30 in London (GMT in November): the evening.
EVENING = datetime(2026, 11, 20, 21, 30, tzinfo=UTC)


def _post(**overrides: object) -> dict:
    data: dict[str, object] = {
        "id": str(uuid.uuid4()),
        "locations": ["foot_sole:left", "calf:left"],
        "pain_types": ["burning", "tingling"],
        "intensity": "6",
        "activity": "lying_down",
        "timing": "night",
        "when": "now",
        "notes": "",
    }
    data.update(overrides)
    return data


def _fieldset(html: str, name: str) -> str:
    """The HTML of the form section for one field, up to the next section."""
    start = html.index(f'id="field-{name}"')
    end = html.find('class="log-section', start)
    return html[start : end if end != -1 else len(html)]


def _error(html: str, name: str) -> str:
    """The error text shown inside a field's own section (empty when there is none)."""
    section = _fieldset(html, name)
    found = re.search(rf'<div class="field-error" id="error-{name}">(.*?)</div>', section, re.S)
    return re.sub(r"<[^>]+>", " ", found.group(1)) if found else ""


def _is_checked(html: str, name: str, value: str) -> bool:
    tag = re.search(rf'<input[^>]*name="{name}" value="{re.escape(value)}"[^>]*>', html)
    assert tag, f"no {name}={value} input"
    return " checked" in tag.group(0)


# -- logging page -------------------------------------------------------------------------


def test_the_log_page_needs_a_login(client):
    response = client.get(LOG_URL)
    assert response.status_code == 302
    assert response.url.startswith(reverse("diary:login"))


def test_the_log_page_offers_every_region_and_side_as_a_labelled_checkbox(web_client):
    html = web_client.get(LOG_URL).content.decode()
    assert 'value="foot_sole:left"' in html
    assert 'value="small_toes:right"' in html
    assert 'value="lower_back:center"' in html
    assert 'value="calf:center"' not in html  # centre only for lower back and saddle
    assert re.search(r'<label[^>]*for="locations-foot-sole-left"', html)
    assert "Sole of foot, </span>Left" in html


def _bodymap_state(html: str) -> dict[str, tuple[bool, bool]]:
    """Per drawing: (hidden, list open), as the server sent them."""
    views = re.findall(
        r'<div class="bm-view" id="bm-view-(\w+)" data-bm-view="\w+"( hidden)?>.*?'
        r'<details class="bm-list" data-bm-list( open)?>',
        html,
        re.S,
    )
    return {code: (bool(hidden), bool(opened)) for code, hidden, opened in views}


def test_the_body_map_arrives_as_the_script_leaves_it_first_drawing_lists_closed(web_client):
    html = web_client.get(LOG_URL).content.decode()

    # Tabs shown, only the first drawing, every list closed: log.js moves nothing.
    assert re.search(r'<div class="bm-tabs"[^>]*data-bm-tabs>', html)
    assert _bodymap_state(html) == {
        "back": (False, False),
        "leg": (True, False),
        "foot": (True, False),
    }
    assert 'data-bm-tab="back" aria-controls="bm-view-back" aria-pressed="true"' in html
    # Without JS every drawing's list shows again (css/nojs.css, only inside <noscript>).
    assert re.search(
        r'<noscript><link rel="stylesheet" href="[^"]*css/nojs\.css"></noscript>', html
    )


def test_the_body_map_opens_on_the_first_drawing_with_a_choice_with_its_list_open(web_client):
    html = web_client.post(
        LOG_URL, _post(intensity="", locations=["foot_sole:left"])
    ).content.decode()

    # The sole is only on the foot drawing: the form comes back showing it, its list open.
    assert _bodymap_state(html) == {
        "back": (True, False),
        "leg": (True, False),
        "foot": (False, True),
    }
    assert 'data-bm-tab="foot" aria-controls="bm-view-foot" aria-pressed="true"' in html
    assert 'data-bm-tab="back" aria-controls="bm-view-back" aria-pressed="false"' in html


def test_the_log_page_carries_a_fresh_hidden_id_for_safe_retries(web_client):
    first = re.search(
        r'name="id" value="([0-9a-f-]{36})"', web_client.get(LOG_URL).content.decode()
    )
    second = re.search(
        r'name="id" value="([0-9a-f-]{36})"', web_client.get(LOG_URL).content.decode()
    )
    assert first and second and first.group(1) != second.group(1)


def _when_summary(html: str) -> str:
    found = re.search(r"<p [^>]*data-when-summary[^>]*>(.*?)</p>", html, re.S)
    assert found, "no When? summary"
    return found.group(1).strip()


# CONTRACT §6: the page asks "When?" and shows the time of day it derives; it no longer offers
# a time-of-day choice of its own (these two tests used to check a pre-ticked timing radio).
@time_machine.travel(EVENING, tick=False)
def test_the_page_shows_the_time_of_day_of_now_in_the_patients_zone(web_client):
    html = web_client.get(LOG_URL).content.decode()
    assert _when_summary(html) == "Today 21:30 · Evening"
    assert 'name="timing"' not in html
    assert _is_checked(html, "when", "now")
    for choice in ("earlier_today", "last_night", "another_day"):
        assert not _is_checked(html, "when", choice)
    # No time pre-filled: "Last night" untouched means 23:00, not the clock time of now.
    assert re.search(r'<input type="time" name="when_time" id="when-time" value="">', html)


@time_machine.travel(EVENING, tick=False)
def test_the_time_of_day_follows_the_patients_own_zone(client, other_user):
    # 21:30 UTC is 16:30 in New York: the afternoon.
    client.force_login(other_user)
    html = client.get(LOG_URL).content.decode()
    assert _when_summary(html) == "Today 16:30 · Afternoon"


def test_the_log_page_has_no_inline_script_or_style(web_client):
    html = web_client.get(LOG_URL).content.decode()
    # The alerting signs' definition is a JSON data block (never executed, so CSP allows it);
    # apart from it, only external scripts.
    data = re.findall(r'<script id="alert-signs" type="application/json">[^<]*</script>', html)
    assert len(data) == 1
    html = html.replace(data[0], "")
    assert "<script>" not in html and "<script " not in html.replace('<script src="', "")
    assert " style=" not in html
    assert re.search(r" on[a-z]+=", html) is None
    assert re.search(r'<script src="[^"]*log\.js" defer>', html)


def test_the_log_page_takes_a_fixed_number_of_queries(web_client, user, django_assert_num_queries):
    for _ in range(3):
        EntryFactory(user=user, locations=[("calf", "left"), ("heel", "left")])
    # session, user, urgent-flag banner, latest entry, its locations, this week's check-in
    with django_assert_num_queries(6):
        response = web_client.get(LOG_URL)
    assert response.status_code == 200


def test_posting_the_form_creates_one_entry_with_its_locations(web_client, user):
    response = web_client.post(LOG_URL, _post(context=["poor_sleep"], notes="Bad night"))
    entry = Entry.objects.get(user=user)
    assert response.status_code == 302
    assert response.url == f"{LIST_URL}?saved={entry.pk}"
    assert entry.intensity == 6
    assert sorted((loc.region, loc.side) for loc in entry.locations.all()) == [
        ("calf", "left"),
        ("foot_sole", "left"),
    ]
    assert entry.pain_types == ["burning", "tingling"]
    assert entry.activity == "lying_down"
    # The posted "night" is ignored: the time of day follows the moment saved (CONTRACT §6).
    assert entry.timing == vocab.timing_for(entry.occurred_at.astimezone(user.zone))
    assert entry.context == ["poor_sleep"]
    assert entry.notes == "Bad night"


def test_saving_shows_a_success_message_on_the_diary(web_client):
    response = web_client.post(LOG_URL, _post(), follow=True)
    assert "Thank you for logging." in response.content.decode()


def test_a_retried_post_with_the_same_hidden_id_creates_no_duplicate(web_client, user):
    data = _post()
    first = web_client.post(LOG_URL, data)
    again = web_client.post(LOG_URL, data, follow=True)
    assert Entry.objects.filter(user=user).count() == 1
    assert first.status_code == 302
    assert "already saved" in again.content.decode()


def test_an_id_that_belongs_to_another_patient_is_refused_with_a_fresh_one(
    web_client, user, other_user
):
    theirs = EntryFactory(user=other_user)
    response = web_client.post(LOG_URL, _post(id=str(theirs.pk)))
    html = response.content.decode()
    assert response.status_code == 200
    assert not Entry.objects.filter(user=user).exists()
    assert "please save again" in html
    assert str(theirs.pk) not in html


@time_machine.travel(EVENING, tick=False)
def test_an_earlier_time_is_read_in_the_patients_zone(web_client, user):
    web_client.post(
        LOG_URL, _post(when="earlier", occurred_at="2026-11-20T08:15", timing="morning")
    )
    entry = Entry.objects.get(user=user)
    assert entry.occurred_at == datetime(2026, 11, 20, 8, 15, tzinfo=UTC)  # London = UTC now
    assert entry.local_date == date(2026, 11, 20)


@time_machine.travel(datetime(2026, 10, 25, 12, tzinfo=UTC), tick=False)
def test_an_earlier_time_on_the_autumn_clock_change_day_stays_on_that_day(web_client, user):
    # 01:30 happens twice in London that night; the first (summer time, UTC+1) is meant.
    web_client.post(LOG_URL, _post(when="earlier", occurred_at="2026-10-25T01:30"))
    entry = Entry.objects.get(user=user)
    assert entry.occurred_at == datetime(2026, 10, 25, 0, 30, tzinfo=UTC)
    assert entry.local_date == date(2026, 10, 25)


@time_machine.travel(datetime(2026, 11, 20, 13, 14, tzinfo=UTC), tick=False)
def test_a_posted_night_at_13_14_is_stored_as_the_afternoon(web_client, user):
    # "13:14 · Night" cannot be stored: the page's timing follows the moment chosen.
    web_client.post(LOG_URL, _post(when="now", timing="night"))
    entry = Entry.objects.get(user=user)
    assert entry.occurred_at == datetime(2026, 11, 20, 13, 14, tzinfo=UTC)
    assert entry.timing == "afternoon"


@time_machine.travel(EVENING, tick=False)
@pytest.mark.parametrize(
    ("when", "at", "stored", "timing"),
    [
        ("earlier_today", "13:14", datetime(2026, 11, 20, 13, 14, tzinfo=UTC), "afternoon"),
        ("earlier_today", "04:59", datetime(2026, 11, 20, 4, 59, tzinfo=UTC), "night"),
        ("earlier_today", "05:00", datetime(2026, 11, 20, 5, 0, tzinfo=UTC), "morning"),
        ("last_night", "", datetime(2026, 11, 19, 23, 0, tzinfo=UTC), "night"),
        ("last_night", "21:59", datetime(2026, 11, 19, 21, 59, tzinfo=UTC), "evening"),
        ("last_night", "03:10", datetime(2026, 11, 20, 3, 10, tzinfo=UTC), "night"),
    ],
)
def test_earlier_today_and_last_night_derive_the_moment_and_its_timing(
    web_client, user, when, at, stored, timing
):
    web_client.post(LOG_URL, _post(when=when, when_time=at, timing="morning"))
    entry = Entry.objects.get(user=user)
    assert (entry.occurred_at, entry.timing) == (stored, timing)


@time_machine.travel(EVENING, tick=False)
def test_another_day_takes_the_date_and_time(web_client, user):
    web_client.post(LOG_URL, _post(when="another_day", occurred_at="2026-11-17T06:45"))
    entry = Entry.objects.get(user=user)
    assert (entry.occurred_at, entry.timing) == (
        datetime(2026, 11, 17, 6, 45, tzinfo=UTC),
        "morning",
    )
    assert entry.local_date == date(2026, 11, 17)


@time_machine.travel(EVENING, tick=False)
def test_earlier_today_later_than_now_is_refused_next_to_the_time(web_client, user):
    html = web_client.post(LOG_URL, _post(when="earlier_today", when_time="23:50")).content.decode()
    assert "future" in _error(html, "occurred_at")
    assert _is_checked(html, "when", "earlier_today")
    assert not Entry.objects.filter(user=user).exists()


@time_machine.travel(EVENING, tick=False)
def test_earlier_today_without_a_readable_time_is_refused_next_to_the_time(web_client, user):
    html = web_client.post(LOG_URL, _post(when="earlier_today", when_time="noon")).content.decode()
    assert "Enter the time" in _error(html, "occurred_at")
    assert not Entry.objects.filter(user=user).exists()


@time_machine.travel(EVENING, tick=False)
def test_the_time_field_is_ignored_when_now_is_chosen(web_client, user):
    web_client.post(LOG_URL, _post(when="now", occurred_at="2026-11-01T08:15"))
    assert Entry.objects.get(user=user).occurred_at == EVENING


# -- validation errors ---------------------------------------------------------------------


def test_a_validation_error_shows_next_to_the_field_and_keeps_what_was_typed(web_client, user):
    response = web_client.post(
        LOG_URL,
        _post(locations=[], notes="Worse after the long drive", context=["long_sitting"]),
    )
    html = response.content.decode()
    assert response.status_code == 200
    assert not Entry.objects.filter(user=user).exists()
    assert "region" in _error(html, "locations")
    assert 'aria-describedby="error-locations"' in html
    assert _error(html, "pain_types") == ""
    assert "Worse after the long drive" in html
    assert _is_checked(html, "pain_types", "burning")
    assert _is_checked(html, "intensity", "6")
    assert _is_checked(html, "activity", "lying_down")
    assert _is_checked(html, "context", "long_sitting")


def test_a_missing_intensity_is_named_next_to_the_intensity_buttons(web_client):
    data = _post()
    del data["intensity"]
    html = web_client.post(LOG_URL, data).content.decode()
    assert "Choose how strong it is" in _error(html, "intensity")
    assert _is_checked(html, "locations", "foot_sole:left")


def test_notes_over_2000_characters_are_refused_next_to_the_notes(web_client, user):
    html = web_client.post(LOG_URL, _post(notes="x" * 2001)).content.decode()
    notes = html[html.index('id="field-notes"') :]
    assert "2,000 characters" in notes[: notes.index("</textarea>")]
    assert not Entry.objects.filter(user=user).exists()


@time_machine.travel(EVENING, tick=False)
def test_a_future_time_is_refused_next_to_the_time(web_client, user):
    html = web_client.post(
        LOG_URL, _post(when="earlier", occurred_at="2026-11-21T09:00")
    ).content.decode()
    assert "future" in _error(html, "occurred_at")
    assert 'value="2026-11-21T09:00"' in html
    assert not Entry.objects.filter(user=user).exists()


def test_an_unreadable_time_is_refused_next_to_the_time(web_client):
    html = web_client.post(LOG_URL, _post(when="earlier", occurred_at="yesterday")).content.decode()
    assert "Enter the date and time" in _error(html, "occurred_at")


def test_unknown_codes_are_refused_by_field(web_client, user):
    html = web_client.post(
        LOG_URL, _post(pain_types=["burning", "glowing"], locations=["elbow:left"])
    ).content.decode()
    assert "glowing" in _error(html, "pain_types")
    assert "elbow" in _error(html, "locations")
    assert not Entry.objects.filter(user=user).exists()


# -- red flags -----------------------------------------------------------------------------


def test_an_emergency_red_flag_leads_to_the_seek_urgent_care_message(web_client, user):
    response = web_client.post(LOG_URL, _post(red_flags=["saddle_numbness"]), follow=True)
    html = response.content.decode()
    assert Entry.objects.get(user=user).red_flags == ["saddle_numbness"]
    alert = html[html.index('role="alert"') :]
    assert "Seek emergency care now" in alert[:1500]
    assert "Call 112 or go to the emergency department (A&amp;E) now" in alert[:1500]
    assert 'href="tel:112"' in alert[:1500]
    assert "saddle numbness" in alert[:1500]


def test_a_motor_red_flag_leads_to_see_a_doctor_today(web_client):
    html = web_client.post(LOG_URL, _post(red_flags=["foot_drop"]), follow=True).content.decode()
    assert "See a doctor today" in html
    assert "Seek emergency care now" not in html


def test_an_entry_without_red_flags_shows_no_urgent_advice(web_client):
    html = web_client.post(LOG_URL, _post(), follow=True).content.decode()
    assert "Seek emergency care now" not in html
    assert "See a doctor today" not in html


def test_the_emergency_advice_shows_without_javascript_when_the_form_comes_back(web_client):
    # The form has an error elsewhere; the advice must not wait for it to be fixed.
    html = web_client.post(
        LOG_URL, _post(red_flags=["bladder_bowel"], locations=[])
    ).content.decode()
    slot = html[html.index("data-urgent-slot>") :]
    assert "Seek emergency care now" in slot[: slot.index("<template")]
    assert _is_checked(html, "red_flags", "bladder_bowel")


def test_the_compact_advice_in_the_save_bar_comes_back_with_the_form(web_client):
    # The sticky save bar carries the short advice and the call button (far from the slot).
    html = web_client.post(LOG_URL, _post(red_flags=["foot_drop"], locations=[])).content.decode()
    bar = html[html.index("data-urgent-bar>") :]
    bar = bar[: bar.index("<template")]
    assert "See a doctor today" in bar
    assert 'href="tel:112"' in bar
    assert 'href="#urgent-advice"' in bar
    assert 'id="urgent-advice"' in html


def test_the_save_bar_carries_no_advice_without_a_sign(web_client):
    html = web_client.get(LOG_URL).content.decode()
    assert "data-urgent-bar></div>" in html


def test_saddle_numbness_marked_on_the_body_map_gets_the_emergency_advice_after_saving(
    web_client, user
):
    # Without JavaScript: the body map says the same thing as the tick box (revised §5).
    data = _post(locations=["saddle:center"], pain_types=["tingling"])
    html = web_client.post(LOG_URL, data, follow=True).content.decode()
    alert = html[html.index('role="alert"') :][:2000]
    assert "Seek emergency care now" in alert
    assert "numbness or tingling marked in the saddle area" in alert
    assert 'href="tel:112"' in alert


def test_body_map_saddle_numbness_advice_shows_without_javascript_when_the_form_comes_back(
    web_client,
):
    data = _post(locations=["saddle:center"], pain_types=["numbness"], intensity="")
    html = web_client.post(LOG_URL, data).content.decode()
    slot = html[html.index("data-urgent-slot>") :]
    assert "Seek emergency care now" in slot[: slot.index("<template")]


def test_foot_heaviness_gets_the_urgent_advice_after_saving(web_client):
    data = _post(locations=["heel:left"], pain_types=["heaviness"])
    html = web_client.post(LOG_URL, data, follow=True).content.decode()
    assert "See a doctor today" in html
    assert "Seek emergency care now" not in html


def test_the_red_flag_question_asks_about_the_time_of_the_entry(web_client):
    html = web_client.get(LOG_URL).content.decode()
    assert "At the time of this entry, did you have any of these?" in html
    assert "Do you have any of these now?" not in html


def test_the_advice_is_not_shown_for_another_patients_saved_entry(web_client, other_user):
    theirs = EntryFactory(user=other_user, red_flags=["saddle_numbness"])
    html = web_client.get(f"{LIST_URL}?saved={theirs.pk}").content.decode()
    assert "Seek emergency care now" not in html


# -- same as last time ---------------------------------------------------------------------


def test_same_as_last_time_prefills_the_previous_entry(web_client, user):
    EntryFactory(
        user=user,
        occurred_at=EVENING - timedelta(days=2),
        locations=[("heel", "right")],
        intensity=3,
        pain_types=["aching"],
    )
    EntryFactory(
        user=user,
        occurred_at=EVENING - timedelta(days=1),
        locations=[("big_toe", "left"), ("foot_top", "left")],
        intensity=7,
        pain_types=["electric", "numbness"],
        activity="walking",
        context=["new_shoes"],
        red_flags=["foot_drop"],
        notes="private words",
    )
    html = web_client.get(f"{LOG_URL}?same=1").content.decode()
    assert _is_checked(html, "locations", "big_toe:left")
    assert _is_checked(html, "locations", "foot_top:left")
    assert not _is_checked(html, "locations", "heel:right")
    assert _is_checked(html, "pain_types", "electric")
    assert _is_checked(html, "intensity", "7")
    assert _is_checked(html, "activity", "walking")
    assert _is_checked(html, "context", "new_shoes")
    # Warning signs and notes are about that moment, not copied forward.
    assert not _is_checked(html, "red_flags", "foot_drop")
    assert "private words" not in html
    assert re.search(r'name="id" value="[0-9a-f-]{36}"', html)


def test_same_as_last_time_never_copies_another_patients_entry(web_client, other_user):
    EntryFactory(user=other_user, locations=[("knee", "right")], pain_types=["sharp"])
    html = web_client.get(f"{LOG_URL}?same=1").content.decode()
    assert not _is_checked(html, "locations", "knee:right")
    assert not _is_checked(html, "pain_types", "sharp")
    assert "no earlier entry to copy" in html


def test_the_same_as_last_time_link_shows_only_with_an_earlier_entry(web_client, user):
    assert "Same as last time" not in web_client.get(LOG_URL).content.decode()
    EntryFactory(user=user)
    assert "Same as last time" in web_client.get(LOG_URL).content.decode()


# -- diary list ----------------------------------------------------------------------------


@time_machine.travel(EVENING, tick=False)
def test_the_diary_groups_entries_by_local_day_newest_first(web_client, user):
    EntryFactory(user=user, occurred_at=EVENING - timedelta(days=3), intensity=2)
    EntryFactory(user=user, occurred_at=EVENING - timedelta(hours=10), intensity=4)
    EntryFactory(user=user, occurred_at=EVENING - timedelta(hours=1), intensity=8)
    html = web_client.get(LIST_URL).content.decode()
    headings = re.findall(r'<h2 id="day-(\d{4}-\d{2}-\d{2})"', html)
    assert headings == ["2026-11-20", "2026-11-17"]
    today = html[html.index('id="day-2026-11-20"') : html.index('id="day-2026-11-17"')]
    assert "Today" in today and "2 entries" in today
    assert today.index("20:30") < today.index("11:30")


def test_the_diary_shows_regions_types_and_intensity_at_a_glance(web_client, user):
    EntryFactory(
        user=user,
        locations=[("foot_sole", "left")],
        pain_types=["pins_needles"],
        intensity=7,
        red_flags=["sudden_weakness"],
    )
    html = web_client.get(LIST_URL).content.decode()
    assert "Sole of foot, left" in html
    assert "Pins and needles" in html
    assert 'class="intensity-badge band-severe"' in html
    assert "flag-emergency" in html and "Sudden severe weakness" in html


def test_the_diary_pages_by_30_days(web_client, user):
    now = datetime(2026, 11, 20, 12, tzinfo=UTC)
    with time_machine.travel(now, tick=False):
        for days_ago in range(35):
            EntryFactory(user=user, occurred_at=now - timedelta(days=days_ago))
        first = web_client.get(LIST_URL).content.decode()
        second = web_client.get(f"{LIST_URL}?page=2").content.decode()
    assert len(re.findall(r'<h2 id="day-', first)) == 30
    assert len(re.findall(r'<h2 id="day-', second)) == 5
    assert "Older days" in first and "Newer days" in second


def test_the_diary_shows_only_the_patients_own_entries(web_client, user, other_user):
    EntryFactory(user=other_user, notes="someone else's note")
    EntryFactory(user=user, notes="my own note")
    html = web_client.get(LIST_URL).content.decode()
    assert "my own note" in html
    assert "someone else" not in html


# -- edit ----------------------------------------------------------------------------------


def test_the_edit_form_is_prefilled_with_the_entry(web_client, user):
    entry = EntryFactory(
        user=user, locations=[("calf_outer", "right")], pain_types=["cramping"], notes="hm"
    )
    html = web_client.get(reverse("diary:entry-edit", args=[entry.pk])).content.decode()
    assert _is_checked(html, "locations", "calf_outer:right")
    assert _is_checked(html, "pain_types", "cramping")
    assert _is_checked(html, "intensity", "5")
    assert ">hm</textarea>" in html
    assert 'name="id"' not in html


def test_editing_changes_the_entry_in_place(web_client, user):
    entry = EntryFactory(user=user, locations=[("calf", "left")], intensity=5)
    local = entry.occurred_at.astimezone(user.zone).strftime("%Y-%m-%dT%H:%M")
    response = web_client.post(
        reverse("diary:entry-edit", args=[entry.pk]),
        _post(id="", locations=["heel:left"], intensity="2", occurred_at=local, activity=""),
    )
    entry.refresh_from_db()
    assert response.status_code == 302
    assert Entry.objects.filter(user=user).count() == 1
    assert entry.intensity == 2
    assert entry.activity == ""
    assert [(loc.region, loc.side) for loc in entry.locations.all()] == [("heel", "left")]


def test_editing_keeps_a_both_sides_location_from_the_api(web_client, user):
    entry = EntryFactory(user=user, locations=[("calf", "both")])
    html = web_client.get(reverse("diary:entry-edit", args=[entry.pk])).content.decode()
    assert _is_checked(html, "locations", "calf:both")


def test_an_edit_with_an_error_keeps_the_changes(web_client, user):
    entry = EntryFactory(user=user)
    html = web_client.post(
        reverse("diary:entry-edit", args=[entry.pk]),
        _post(locations=[], notes="changed my mind", occurred_at="2026-01-01T10:00"),
    ).content.decode()
    assert _error(html, "locations")
    assert "changed my mind" in html
    entry.refresh_from_db()
    assert entry.notes == ""


@pytest.mark.parametrize("method", ["get", "post"])
def test_another_patients_entry_cannot_be_edited(web_client, other_user, method):
    theirs = EntryFactory(user=other_user, intensity=4)
    response = getattr(web_client, method)(
        reverse("diary:entry-edit", args=[theirs.pk]), _post(intensity="9")
    )
    assert response.status_code == 404
    theirs.refresh_from_db()
    assert theirs.intensity == 4


# -- delete --------------------------------------------------------------------------------


def test_delete_asks_for_confirmation_first(web_client, user):
    entry = EntryFactory(user=user)
    response = web_client.get(reverse("diary:entry-delete", args=[entry.pk]))
    assert response.status_code == 200
    assert "Delete this entry?" in response.content.decode()
    assert Entry.objects.filter(pk=entry.pk).exists()


def test_confirming_deletes_the_entry(web_client, user):
    entry = EntryFactory(user=user)
    response = web_client.post(reverse("diary:entry-delete", args=[entry.pk]), follow=True)
    assert not Entry.objects.filter(pk=entry.pk).exists()
    assert "Entry deleted." in response.content.decode()


@pytest.mark.parametrize("method", ["get", "post"])
def test_another_patients_entry_cannot_be_deleted(web_client, other_user, method):
    theirs = EntryFactory(user=other_user)
    response = getattr(web_client, method)(reverse("diary:entry-delete", args=[theirs.pk]))
    assert response.status_code == 404
    assert Entry.objects.filter(pk=theirs.pk).exists()


@pytest.mark.parametrize("name", ["diary:entry-edit", "diary:entry-delete"])
def test_an_unknown_entry_is_not_found(web_client, name):
    assert web_client.get(reverse(name, args=[uuid.uuid4()])).status_code == 404
