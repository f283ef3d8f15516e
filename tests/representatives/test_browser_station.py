"""A citizen scans a station poster's QR code on a phone (390 px wide, no login)."""

from __future__ import annotations

import datetime

import pytest
from django.urls import NoReverseMatch, reverse
from django.utils import timezone
from playwright.sync_api import Page, expect

from congress.models import User
from representatives import services
from representatives.models import Representative, Station
from tests.browser.conftest import _problems, assert_clean, screenshot

pytestmark = pytest.mark.browser


def _exists(name: str) -> bool:
    try:
        reverse(name)
    except NoReverseMatch:
        return False
    return True


def test_a_citizen_sees_who_represents_them_and_when(
    phone_page: Page, station: Station, representative: Representative, district_staff: User
) -> None:
    tomorrow = timezone.localdate() + datetime.timedelta(days=1)
    services.duty_shift_create(
        station=station,
        representative=representative,
        date=tomorrow,
        start_time=datetime.time(9),
        end_time=datetime.time(11, 30),
        by=district_staff,
        publish=True,
    )

    phone_page.goto(station.get_public_url())

    expect(phone_page.get_by_test_id("station-name")).to_have_text("新浦街道人大代表联络站")
    reps = phone_page.get_by_test_id("public-rep")
    expect(reps).to_have_count(2)
    expect(reps.first).to_contain_text("刘红")
    expect(reps.first).to_contain_text("县级")
    expect(phone_page.get_by_test_id("rep-phone")).to_have_attribute("href", "tel:13900000001")
    expect(phone_page.get_by_test_id("public-schedule")).to_contain_text("09:00–11:30")
    if _exists("citizen_issue_new"):
        issue = phone_page.get_by_test_id("btn-issue")
        expect(issue).to_be_visible()
        expect(issue).to_have_attribute(
            "href", f"{reverse('citizen_issue_new')}?station={station.public_token}"
        )
        box = issue.bounding_box()
        assert box is not None and box["width"] > 300  # a full-width button on a phone
    if _exists("appointment_new"):
        expect(phone_page.get_by_test_id("btn-appointment")).to_be_visible()
    # Nothing is wider than the phone: no sideways scrolling.
    assert phone_page.evaluate("document.documentElement.scrollWidth") <= 390
    screenshot(phone_page, "public-station-phone")
    assert_clean(phone_page)


def test_an_old_qr_code_opens_a_friendly_page(
    phone_page: Page, station: Station, district_staff: User
) -> None:
    old = station.get_public_url()
    services.station_rotate_token(station=station, by=district_staff)
    response = phone_page.goto(old)
    assert response is not None and response.status == 410
    expect(phone_page.get_by_test_id("token-gone")).to_contain_text("这个二维码已经停用")
    # Chromium logs every 4xx document as a console error; this 410 is the point here.
    _problems[phone_page][:] = [p for p in _problems[phone_page] if "(Gone)" not in p]
