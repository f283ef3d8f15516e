"""值班记录 from the dashboard on a phone (docs/dashboard.md, "代表工作"): the 值班率
figure opens the shifts it counts as not served, and the list fits a 390 px screen."""

from __future__ import annotations

import datetime
from collections.abc import Callable

import pytest
from django.utils import timezone
from playwright.sync_api import Page, expect

from congress.models import User
from representatives import services
from tests.browser.conftest import assert_clean, log_in, screenshot
from tests.conftest import World
from tests.representatives.factories import RepresentativeFactory, seat, station_with

pytestmark = pytest.mark.browser


def test_the_duty_rate_opens_the_missed_shifts_on_a_phone(
    new_page: Callable[[str], Page], world: World, district_staff: User
) -> None:
    absent = RepresentativeFactory(name="王海", region=world.town)
    present = RepresentativeFactory(name="刘洋", region=world.town)
    for rep in (absent, present):
        seat(rep, world.district)
    station = station_with(world.town, [absent, present], name="新浦代表联络站")
    today = timezone.localdate()
    shifts = [
        services.duty_shift_create(
            station=station,
            representative=rep,
            date=today,
            start_time=datetime.time(hour),
            end_time=datetime.time(hour + 2),
            by=district_staff,
        )
        for rep, hour in ((absent, 9), (present, 14))
    ]
    services.duty_shift_mark_absent(shift=shifts[0], reason="未到站", by=district_staff)
    services.duty_shift_serve(shift=shifts[1], by=district_staff)

    page = new_page("phone")
    log_in(page, district_staff)
    page.goto("/dashboard/")
    rate = page.locator('[data-figure="representatives.duty_rate"]')
    expect(rate).to_contain_text("50")
    rate.locator("a").click()
    listed = page.get_by_test_id("duty-shift-row")
    expect(listed).to_have_count(1)
    expect(listed.first).to_contain_text("王海")
    expect(listed.first).to_contain_text("缺勤")
    expect(listed.first).to_contain_text("未到站")
    expect(page.locator("#duty-missed")).to_be_checked()
    widths = page.evaluate("[document.documentElement.scrollWidth, window.innerWidth]")
    assert widths[0] <= widths[1], widths
    screenshot(page, "duty-list-missed-phone")
    # Unticking 到期未值班 shows the day's two shifts, the filters kept.
    page.locator("#duty-missed").uncheck()
    page.get_by_role("button", name="筛选").click()
    expect(page.get_by_test_id("duty-shift-row")).to_have_count(2)
    assert_clean(page)
