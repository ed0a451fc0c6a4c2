"""The flags page, its Acknowledge button, and the urgent banner on every page."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.test import Client
from django.urls import reverse

from diary.models import AlertDelivery, Flag
from diary.services.flags import patterns_refresh
from tests.support.entries import TODAY, log, night_pattern


@pytest.fixture
def flags(user):
    night_pattern(user)
    log(user, TODAY, red_flags=["saddle_numbness"])
    patterns_refresh(user=user, as_of=TODAY)
    return {
        "red": Flag.objects.get(user=user, code="red_flag_saddle_numbness"),
        "night": Flag.objects.get(user=user, code="night_worse_nerve_pain"),
    }


def test_the_page_needs_a_login(client, db):
    response = client.get(reverse("diary:flag-list"))
    assert response.status_code == 302
    assert "/login/" in response["Location"]


def test_the_page_shows_each_flag_with_its_explanation_source_and_dates(web_client, flags):
    page = web_client.get(reverse("diary:flag-list")).content.decode()
    for flag in flags.values():
        assert flag.title in page
        assert flag.source in page
    assert "Seek emergency medical care now" in page
    assert "not a diagnosis" in page
    assert TODAY.strftime("%-d %b %Y") in page
    assert page.count('action="/flags/') == 2  # an Acknowledge form per active flag
    assert "csrfmiddlewaretoken" in page


def test_the_page_groups_flags_by_status(web_client, flags, user):
    web_client.post(reverse("diary:flag-acknowledge", args=[flags["red"].pk]))
    patterns_refresh(user=user, as_of=TODAY + timedelta(days=30))
    response = web_client.get(reverse("diary:flag-list"))
    groups = {key: items for key, _, _, items in response.context["groups"]}
    assert [i.flag.code for i in groups["active"]] == []
    assert [i.flag.code for i in groups["acknowledged"]] == ["red_flag_saddle_numbness"]
    assert [i.flag.code for i in groups["resolved"]] == ["night_worse_nerve_pain"]


def test_acknowledge_is_a_csrf_protected_post(user, flags):
    browser = Client(enforce_csrf_checks=True)
    browser.force_login(user)
    url = reverse("diary:flag-acknowledge", args=[flags["red"].pk])
    assert browser.post(url).status_code == 403
    assert browser.get(url).status_code == 405

    page = browser.get(reverse("diary:flag-list"))
    token = page.cookies["csrftoken"].value
    response = browser.post(url, {"csrfmiddlewaretoken": token})
    assert response.status_code == 302
    flags["red"].refresh_from_db()
    assert flags["red"].status == "acknowledged"


def test_an_outsider_cannot_acknowledge_and_gets_404(client, other_user, flags):
    client.force_login(other_user)
    url = reverse("diary:flag-acknowledge", args=[flags["red"].pk])
    assert client.post(url).status_code == 404
    assert flags["red"].title not in client.get(reverse("diary:flag-list")).content.decode()
    flags["red"].refresh_from_db()
    assert flags["red"].status == "active"


def test_delivery_problems_are_shown_on_the_flag(web_client, flags):
    delivery = AlertDelivery.objects.get(flag=flags["red"])
    AlertDelivery.objects.filter(pk=delivery.pk).update(status="gave_up", attempts=12)
    page = web_client.get(reverse("diary:flag-list")).content.decode()
    assert f"We could not e-mail {delivery.recipient}" in page


def test_an_e_mail_held_back_by_the_daily_cap_is_shown_to_the_patient(web_client, flags):
    delivery = AlertDelivery.objects.get(flag=flags["red"])
    AlertDelivery.objects.filter(pk=delivery.pk).update(status="capped")
    page = web_client.get(reverse("diary:flag-list")).content.decode()
    assert f"We did not e-mail {delivery.recipient} about this repeat alert" in page
    assert "daily limit" in page


def test_the_banner_gives_the_advice_once_with_a_call_button(web_client, user, flags):
    log(user, TODAY, red_flags=["foot_drop"])
    patterns_refresh(user=user, as_of=TODAY)
    page = web_client.get(reverse("diary:account")).content.decode()
    banner = page[page.index('class="urgent-banner"') : page.index("</aside>")]
    assert "Signs of weakness in the foot or ankle" in banner
    assert banner.count("Seek emergency medical care now") == 1
    assert "urgent same-day assessment" not in banner
    assert 'href="tel:112"' in banner


def test_the_banner_shows_urgent_advice_on_every_page_until_acknowledged(web_client, flags):
    page = web_client.get(reverse("diary:account")).content.decode()
    assert 'class="urgent-banner"' in page
    assert flags["red"].title in page
    assert "Seek emergency medical care now" in page
    assert flags["night"].title not in page.split('class="urgent-banner"')[1].split("</aside>")[0]

    web_client.post(reverse("diary:flag-acknowledge", args=[flags["red"].pk]))
    assert 'class="urgent-banner"' not in web_client.get(reverse("diary:account")).content.decode()


def test_an_urgent_flag_banner_says_to_contact_a_doctor_today(web_client, user):
    log(user, TODAY, red_flags=["heel_walk_difficulty"])
    patterns_refresh(user=user, as_of=TODAY)
    page = web_client.get(reverse("diary:account")).content.decode()
    assert "contact your doctor or an urgent care service today" in page


def test_the_banner_is_not_shown_to_anonymous_visitors(client, flags):
    assert 'class="urgent-banner"' not in client.get(reverse("diary:login")).content.decode()


def test_the_flags_page_gives_the_advice_once_with_a_call_button(web_client, user, flags):
    log(user, TODAY, red_flags=["heel_walk_difficulty"])
    patterns_refresh(user=user, as_of=TODAY)
    page = web_client.get(reverse("diary:flag-list")).content.decode()
    assert page.count('class="advice"') == 1
    assert page.count('href="tel:112"') == 1
    advice = page[page.index('class="advice"') :][:300]
    assert "Seek emergency medical care now" in advice  # the most serious flag's advice
