"""The staff dashboard in Chromium (docs/dashboard.md): at 1366×768 and on a 390 px
phone the charts draw (a canvas of non-zero size in each chart's box), their tables
fold away once drawn, nothing breaks the CSP (the data is JSON, the script a static
file), and a district's staff open their township's dashboard from it."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import Page, expect

from congress.models import User
from representatives.models import Station
from suggestions.citizen import services
from suggestions.models.citizen import IssueCategory
from tests.browser.conftest import LABELS, assert_clean, log_in, screenshot
from tests.conftest import World
from tests.suggestions_citizen.conftest import (  # noqa: F401 - fixtures
    categories,
    representative,
    station,
    submit,
)

pytestmark = pytest.mark.browser


def test_the_charts_draw_on_a_desktop_and_a_phone(
    page: Page,
    world: World,
    district_staff: User,
    station: Station,  # noqa: F811
    categories: dict[str, IssueCategory],  # noqa: F811
) -> None:
    kinds = list(categories.values())
    for n in range(6):
        issue = submit(station=station, category=kinds[n % 3], mobile=f"1390000000{n}")
        if n % 2:
            services.citizen_issue_accept(issue=issue, by=district_staff)
    # One in each other category: a dozen bars, each of which must show its name.
    for n, kind in enumerate(kinds[3:]):
        submit(station=station, category=kind, mobile=f"1390000001{n}")
    received_count = str(6 + len(kinds[3:]))
    assert len(kinds) >= 10
    width = page.viewport_size["width"]  # type: ignore[index]
    if width > 1000:
        page.set_viewport_size({"width": 1366, "height": 768})
    log_in(page, district_staff)
    page.get_by_role("link", name=re.compile("数据看板")).first.click()
    expect(page.get_by_test_id("dashboard-title")).to_contain_text("海州区")

    received = page.locator('[data-figure="citizen.received"] [data-value]')
    expect(received).to_have_text(received_count)
    for key in ("citizen-trend", "citizen-category", "citizen-regions", "representatives-levels"):
        canvas = page.locator(f'[data-chart="{key}"] canvas').first
        expect(canvas).to_be_attached()
        box = canvas.bounding_box()
        assert box is not None and box["width"] > 0 and box["height"] > 0, key
    # Every category's bar has its name under it (none skipped for want of room).
    shown, named = page.evaluate(LABELS, "citizen-category")
    assert shown == named and len(named) == len(kinds)
    # Drawn: the tables fold away (one tap from view, read by screen readers).
    trend_table = page.locator('[data-testid="chart-citizen-trend"] details')
    expect(trend_table).not_to_have_attribute("open", "")
    # A tooltip (its markup carries inline styles) breaks nothing on the CSP.
    category = page.locator('[data-chart="citizen-category"]')
    category.hover()
    expect(category.locator("div").filter(has_text="收到").first).to_be_attached()
    assert_clean(page)
    name = "dashboard-desktop-1366" if width > 1000 else "dashboard-phone-390"
    screenshot(page, name)

    # Drill down to the township (新浦街道), where the same problems are.
    page.locator('[data-testid="dashboard-children"] a', has_text="新浦街道").click()
    expect(page.get_by_test_id("dashboard-title")).to_contain_text("新浦街道")
    expect(received).to_have_text(received_count)
