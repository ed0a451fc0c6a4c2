from tests.support.browser import assert_no_horizontal_scroll, assert_no_serious_axe_violations


def test_a_patient_logs_in_on_a_phone_without_sideways_scrolling(phone_page, live_server, log_in):
    log_in(phone_page)
    assert phone_page.url.rstrip("/") == live_server.url
    assert_no_horizontal_scroll(phone_page)
    assert_no_serious_axe_violations(phone_page)


def test_the_login_page_is_accessible_at_phone_size(phone_page, live_server, db):
    phone_page.goto(f"{live_server.url}/login/")
    assert_no_horizontal_scroll(phone_page)
    assert_no_serious_axe_violations(phone_page)
