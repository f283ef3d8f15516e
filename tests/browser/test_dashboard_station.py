"""The citizens' panel's 按家站点 and 按承办单位 tables in Chromium at a 375 px phone
width (docs/dashboard.md, "群众诉求"): they scroll inside their own box and never
widen the page, their figures and column names each stay on one line, and a
station's row opens that station's problems."""

from __future__ import annotations

import re
from collections.abc import Callable

import pytest
from playwright.sync_api import Page, expect

from congress.models import User
from representatives.models import Station
from suggestions.models.citizen import IssueCategory
from tests.browser.conftest import assert_clean, log_in, screenshot
from tests.conftest import World
from tests.suggestions_citizen.conftest import (  # noqa: F401 - fixtures
    categories,
    representative,
    station,
    submit,
)

pytestmark = pytest.mark.browser

# Each right-aligned cell's text and the number of lines it is laid out on.
LINES = """(testid) => Array.from(
  document.querySelectorAll(`[data-testid="${testid}"] .text-end`)
).filter((cell) => cell.textContent.trim()).map((cell) => {
  const range = document.createRange();
  range.selectNodeContents(cell);
  const tops = new Set(Array.from(range.getClientRects()).map((box) => Math.round(box.top)));
  return [cell.textContent.trim(), tops.size];
})"""
# The first column's width and the table's font size, in px.
FIRST_COLUMN = """(testid) => {
  const cell = document.querySelector(`[data-testid="${testid}"] tr > :first-child`);
  return [cell.getBoundingClientRect().width, parseFloat(getComputedStyle(cell).fontSize)];
}"""


def test_the_station_table_fits_a_phone_and_opens_the_stations_problems(
    new_page: Callable[[str], Page],
    world: World,
    district_staff: User,
    station: Station,  # noqa: F811
    categories: dict[str, IssueCategory],  # noqa: F811
) -> None:
    kinds = list(categories.values())
    codes = [
        submit(station=station, category=kinds[n % 3], mobile=f"1390000000{n}").tracking_code
        for n in range(4)
    ]
    page = new_page("phone")
    page.set_viewport_size({"width": 375, "height": 812})
    log_in(page, district_staff)
    page.goto("/dashboard/")
    table = page.get_by_test_id("table-citizen-stations")
    expect(table).to_contain_text("桃园社区代表联络站")
    expect(page.get_by_test_id("table-citizen-departments")).to_be_attached()
    widths = page.evaluate("[document.documentElement.scrollWidth, window.innerWidth]")
    assert widths[0] <= widths[1], widths  # nothing wider than the phone
    # A figure or a column's name on one line, a row's name kept at least 7em wide
    # (before, 当前超期 and the departments' names stood one character per line).
    lines = page.evaluate(LINES, "table-citizen-departments")
    assert lines and all(count == 1 for _text, count in lines), lines
    assert any(text == "当前超期" for text, _count in lines), lines
    first, size = page.evaluate(FIRST_COLUMN, "table-citizen-stations")
    assert first >= 7 * size - 1, (first, size)
    screenshot(page, "dashboard-stations-phone-375")
    table.get_by_role("link", name="桃园社区代表联络站").click()
    expect(page).to_have_url(
        re.compile(rf"/issues/\?region={world.district.pk}&station={station.pk}&")
    )
    for code in codes:
        expect(page.locator("main")).to_contain_text(code)
    assert_clean(page)
