"""Account services: an allow-list on updates, nothing else can be set through them."""

from __future__ import annotations

import pytest

from diary.services.accounts import contact_update, user_update
from tests.factories import ContactFactory

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("field", ["email", "is_staff", "is_superuser", "password", "is_active"])
def test_user_update_takes_only_its_three_settings(user, field):
    with pytest.raises(TypeError):
        user_update(user=user, **{field: "x"})
    user.refresh_from_db()
    assert (user.email, user.is_staff, user.is_active) == ("patient@example.com", False, True)


def test_user_update_changes_only_what_is_given(user):
    user_update(user=user, timezone="Asia/Tokyo")
    user.refresh_from_db()
    assert (user.timezone, user.alert_email, user.reminder_time) == ("Asia/Tokyo", "", None)


@pytest.mark.parametrize("field", ["user", "user_id", "alerts_stopped_at", "notice_sent_to"])
def test_contact_update_takes_only_name_email_and_alerts(user, other_user, field):
    contact = ContactFactory(user=user)
    with pytest.raises(TypeError):
        contact_update(contact=contact, **{field: other_user})
    contact.refresh_from_db()
    assert contact.user == user


def test_the_account_page_shows_who_stopped_alerts(web_client, user):
    from diary.services.accounts import contact_alerts_stop

    contact_alerts_stop(contact=ContactFactory(user=user, name="Dr Stopped"))
    page = web_client.get("/account/").content.decode()
    assert "Dr Stopped" in page and "they stopped your alerts" in page
    assert "A contact stopped your alerts" in page  # the security log says so too
