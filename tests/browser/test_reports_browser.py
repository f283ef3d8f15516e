"""The monthly report in Chromium (docs/dashboard.md, "Reports"): a district's staff
go from the dashboard to the report list and open this month's report, on a 390 px
phone and a desktop; the page is readable without sideways scrolling of the page
(wide tables scroll in their own box) and breaks nothing on the CSP."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import Page, expect

from congress.models import User
from representatives.models import Station
from suggestions.models.citizen import IssueCategory
from tests.browser.conftest import assert_clean, log_in, screenshot, viewport_of
from tests.conftest import World
from tests.suggestions_citizen.conftest import (  # noqa: F401 - fixtures
    categories,
    representative,
    station,
    submit,
)

pytestmark = pytest.mark.browser


def test_from_the_dashboard_to_this_months_report(
    page: Page,
    world: World,
    district_staff: User,
    station: Station,  # noqa: F811
    categories: dict[str, IssueCategory],  # noqa: F811
) -> None:
    kinds = list(categories.values())
    for n in range(4):
        submit(station=station, category=kinds[n % 3], mobile=f"1390000001{n}")
    log_in(page, district_staff)
    page.goto("/dashboard/")
    page.get_by_test_id("dashboard-reports-link").get_by_role("link").click()
    expect(page.get_by_test_id("reports-title")).to_contain_text("海州区")
    page.get_by_test_id("reports-months").get_by_role("link", name=re.compile("月$")).first.click()
    expect(page.get_by_test_id("report")).to_contain_text("海州区")
    received = page.locator('[data-figure="citizen.received"] td.num')
    expect(received).to_have_text("4")
    width = page.evaluate("document.documentElement.scrollWidth")
    viewport = page.viewport_size["width"]  # type: ignore[index]
    assert width <= viewport, (width, viewport)
    screenshot(page, f"report-month-{viewport_of(page)}")
    assert_clean(page)
