"""Treatment pages, the weekly check-in page and the log page's check-in card (CONTRACT §8)."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest
import time_machine

from diary.models import CheckIn, TreatmentEvent
from diary.views.outcomes import CHECKIN_DISMISS_COOKIE
from tests.factories import CheckInFactory, TreatmentEventFactory

pytestmark = pytest.mark.django_db

NOW = datetime(2026, 12, 2, 12, 0, tzinfo=UTC)  # Wednesday; the week began Monday 30 Nov
MONDAY = date(2026, 11, 30)
CARD = 'id="checkin-card-title"'


@pytest.fixture(autouse=True)
def _frozen_clock():
    with time_machine.travel(NOW, tick=False):
        yield


def treatment_post(**overrides: str) -> dict[str, str]:
    body = {"kind": "injection", "name": "Epidural", "started_on": "2026-11-20", "notes": ""}
    body.update(overrides)
    return body


def checkin_post(**overrides: str) -> dict[str, str]:
    body = {
        "leg_pain": "4",
        "numbness_tingling": "3",
        "weakness": "0",
        "sitting_pain": "5",
        "global_change": "better",
    }
    body.update(overrides)
    return body


# --- treatments ------------------------------------------------------------------------


def test_the_log_page_links_to_recording_a_treatment(web_client):
    html = web_client.get("/").content.decode()
    assert html.count('href="/treatments/add/"') == 1
    assert "Something changed: a new medicine, a session, an injection…" in html


def test_adding_a_treatment_saves_it_and_lists_it(web_client, user):
    form = web_client.get("/treatments/add/")
    assert form.status_code == 200
    assert 'max="2026-12-02"' in form.content.decode()
    response = web_client.post("/treatments/add/", treatment_post(notes="Right side"))
    assert response.status_code == 302
    assert response.url == "/treatments/"
    event = TreatmentEvent.objects.get(user=user)
    assert (event.kind, event.name, event.started_on, event.notes) == (
        "injection",
        "Epidural",
        date(2026, 11, 20),
        "Right side",
    )
    listing = web_client.get("/treatments/").content.decode()
    assert "Epidural" in listing and "Injection" in listing and "20 Nov 2026" in listing


@pytest.mark.parametrize(
    ("field", "value"),
    [("kind", "massage"), ("name", "x" * 201), ("name", ""), ("started_on", "2026-12-03")],
)
def test_a_bad_treatment_form_is_shown_again_with_the_field_marked(web_client, field, value):
    response = web_client.post("/treatments/add/", treatment_post(**{field: value}))
    assert response.status_code == 400
    assert f'id="error-{field}"' in response.content.decode()
    assert TreatmentEvent.objects.count() == 0


def test_editing_a_treatment_changes_it(web_client, user):
    event = TreatmentEventFactory(user=user, name="Naproxen", kind="medication_start")
    page = web_client.get(f"/treatments/{event.pk}/edit/").content.decode()
    assert 'value="Naproxen"' in page
    response = web_client.post(
        f"/treatments/{event.pk}/edit/",
        treatment_post(kind="medication_stop", name="Naproxen", started_on="2026-11-29"),
    )
    assert response.status_code == 302
    event.refresh_from_db()
    assert (event.kind, event.started_on) == ("medication_stop", date(2026, 11, 29))


def test_deleting_a_treatment_asks_first(web_client, user):
    event = TreatmentEventFactory(user=user, name="Physio")
    confirm = web_client.get(f"/treatments/{event.pk}/delete/")
    assert confirm.status_code == 200
    assert TreatmentEvent.objects.filter(pk=event.pk).exists()
    assert web_client.post(f"/treatments/{event.pk}/delete/").status_code == 302
    assert not TreatmentEvent.objects.filter(pk=event.pk).exists()


@pytest.mark.parametrize("action", ["edit", "delete"])
def test_an_outsider_gets_404_for_a_treatment(client, other_user, user, action):
    event = TreatmentEventFactory(user=user, name="Mine")
    client.force_login(other_user)
    assert client.get(f"/treatments/{event.pk}/{action}/").status_code == 404
    assert client.post(f"/treatments/{event.pk}/{action}/", treatment_post()).status_code == 404
    event.refresh_from_db()
    assert event.name == "Mine"


def test_the_list_shows_only_the_patients_own(web_client, other_user):
    TreatmentEventFactory(user=other_user, name="zebra-theirs")
    assert "zebra-theirs" not in web_client.get("/treatments/").content.decode()


def test_treatment_pages_need_a_log_in(client):
    assert client.get("/treatments/").status_code == 302
    assert client.post("/treatments/add/", treatment_post()).status_code == 302
    assert TreatmentEvent.objects.count() == 0


# --- weekly check-in -------------------------------------------------------------------


def test_the_log_page_offers_the_check_in_until_it_is_answered(web_client, user):
    assert CARD in web_client.get("/").content.decode()
    response = web_client.post("/checkin/", checkin_post())
    assert response.status_code == 302
    assert response.url == "/"
    stored = CheckIn.objects.get(user=user)
    assert (stored.week_of, stored.total, stored.global_change) == (MONDAY, 12, "better")
    assert CARD not in web_client.get("/").content.decode()


def test_the_card_comes_back_next_week(web_client, user):
    CheckInFactory(user=user, week_of=MONDAY)
    assert CARD not in web_client.get("/").content.decode()
    with time_machine.travel(datetime(2026, 12, 7, 9, 0, tzinfo=UTC), tick=False):
        assert CARD in web_client.get("/").content.decode()


def test_the_week_is_the_patients_own(web_client, user):
    # Sunday 23:30 in London is already Monday in Tokyo: a new week there.
    CheckInFactory(user=user, week_of=MONDAY)
    sunday_night = datetime(2026, 12, 6, 15, 30, tzinfo=UTC)
    with time_machine.travel(sunday_night, tick=False):
        assert CARD not in web_client.get("/").content.decode()
        user.timezone = "Asia/Tokyo"
        user.save()
        assert CARD in web_client.get("/").content.decode()


def test_not_this_week_hides_the_card_for_the_week_only(web_client):
    response = web_client.post("/checkin/dismiss/")
    assert response.status_code == 302
    assert response.cookies[CHECKIN_DISMISS_COOKIE].value == MONDAY.isoformat()
    assert CARD not in web_client.get("/").content.decode()
    with time_machine.travel(datetime(2026, 12, 7, 9, 0, tzinfo=UTC), tick=False):
        assert CARD in web_client.get("/").content.decode()


def test_the_card_never_replaces_the_pain_entry_form(web_client):
    html = web_client.get("/").content.decode()
    assert CARD in html
    assert 'name="intensity"' in html


def test_dismissing_needs_a_post(web_client):
    assert web_client.get("/checkin/dismiss/").status_code == 405


def test_answering_again_updates_this_weeks_check_in(web_client, user):
    CheckInFactory(user=user, week_of=MONDAY, leg_pain=6)
    page = web_client.get("/checkin/").content.decode()
    assert "already answered this week" in page
    assert 'name="leg_pain" value="6" id="id_leg_pain_6" checked' in page
    web_client.post("/checkin/", checkin_post(leg_pain="1"))
    stored = CheckIn.objects.get(user=user)
    assert stored.leg_pain == 1


def test_the_check_in_page_uses_the_apps_own_words_with_both_ends_named(web_client):
    page = web_client.get("/checkin/").content.decode()
    assert "How much did pain in your leg bother you?" in page
    assert "Not at all" in page and "Extremely bothersome" in page
    assert "Worse than ever" in page


@pytest.mark.parametrize("field", ["leg_pain", "sitting_pain", "global_change"])
def test_a_missing_answer_is_shown_again_with_the_field_marked(web_client, field):
    response = web_client.post("/checkin/", checkin_post(**{field: ""}))
    assert response.status_code == 400
    assert f'id="error-{field}"' in response.content.decode()
    assert CheckIn.objects.count() == 0


def test_an_out_of_range_answer_is_refused(web_client):
    response = web_client.post("/checkin/", checkin_post(weakness="7"))
    assert response.status_code == 400
    assert CheckIn.objects.count() == 0


def test_an_outsiders_answer_never_touches_the_patients_week(client, other_user, user):
    CheckInFactory(user=user, week_of=MONDAY, leg_pain=6)
    client.force_login(other_user)
    client.post("/checkin/", checkin_post(leg_pain="0"))
    assert CheckIn.objects.get(user=user).leg_pain == 6
    assert CheckIn.objects.get(user=other_user).leg_pain == 0


def test_check_in_pages_need_a_log_in(client):
    assert client.get("/checkin/").status_code == 302
    assert client.post("/checkin/", checkin_post()).status_code == 302
    assert CheckIn.objects.count() == 0
