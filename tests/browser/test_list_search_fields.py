"""The problem list's search-as-you-type filter in Chromium (static/js/lookup.js).

A district's staff member types part of a station's name into the 家站点 filter,
picks it from the names the server answers (only her district's), filters, and
after the reload the field still shows the station's name, not its id.
"""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import Page, expect

from congress.models import Region, RegionLevel, User
from representatives.models import Station, StationKind
from tests.browser.conftest import log_in, screenshot
from tests.conftest import World
from tests.factories import RegionFactory

pytestmark = pytest.mark.browser


def test_staff_find_a_station_by_typing_and_the_filter_keeps_its_name(
    page: Page, world: World, district_staff: User
) -> None:
    peach = Station.objects.create(
        name="桃园联络站", kind=StationKind.STATION, region=world.village
    )
    Station.objects.create(name="幸福联络站", kind=StationKind.STATION, region=world.village)
    riverside: Region = RegionFactory(  # type: ignore[assignment]
        name="江边社区", level=RegionLevel.VILLAGE, parent=world.other_district
    )
    Station.objects.create(name="桃园江边联络站", kind=StationKind.STATION, region=riverside)
    log_in(page, district_staff)
    page.goto("/issues/?status=")  # a query opens the filter panel

    form = page.get_by_test_id("issue-filter")
    field = form.locator("#id_station + .ts-wrapper")  # the 家站点 filter
    search = field.locator(".ts-control input")
    search.click()
    search.fill("桃园")
    options = field.locator(".ts-dropdown .option")
    # Only her district's station: the other district's 桃园江边联络站 is never offered.
    expect(options).to_have_text(["桃园联络站 · 桃园社区"])  # the name and where it is
    options.first.click()
    form.locator("button[type=submit]").click()

    expect(page).to_have_url(re.compile(rf"[?&]station={peach.pk}(&|$)"))
    chosen = page.get_by_test_id("issue-filter").locator("#id_station + .ts-wrapper .item")
    expect(chosen).to_contain_text("桃园联络站")
    screenshot(page, f"issue-list-station-search-{page.viewport_size['width']}")  # type: ignore[index]
