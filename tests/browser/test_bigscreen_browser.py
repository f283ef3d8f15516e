"""The big screen in Chromium (docs/dashboard.md, "Big screen"): opened through a signed
link, without signing in, at 1920×1080 and 1366×768, its charts drawn (a canvas with
pixels in each chart's box), nothing outside the viewport, nothing against the CSP;
when the server does not answer, the last figures stay and the page says so; the next
answer clears it. Screenshots: var/screenshots/bigscreen-<width>.png."""

from __future__ import annotations

import pytest
from playwright.sync_api import Page, Route, expect

from congress import bigscreen
from congress.models import User
from representatives.models import Station
from suggestions.citizen import services
from suggestions.models.citizen import IssueCategory
from tests.browser.conftest import LABELS, _problems, assert_clean, screenshot
from tests.conftest import World
from tests.factories import SessionFactory
from tests.livelihood_votes.conftest import make_vote, opened
from tests.representatives.factories import RepresentativeFactory, seat
from tests.suggestions_citizen.conftest import (  # noqa: F401 - fixtures
    categories,
    representative,
    station,
    submit,
)

pytestmark = pytest.mark.browser

# A canvas is drawn when some pixel is not transparent.
DRAWN = """(node) => {
  const canvas = node.querySelector("canvas");
  if (!canvas || !canvas.width || !canvas.height) return false;
  const data = canvas.getContext("2d").getImageData(0, 0, canvas.width, canvas.height).data;
  for (let i = 3; i < data.length; i += 4) { if (data[i] !== 0) return true; }
  return false;
}"""


@pytest.mark.parametrize("size", [(1920, 1080), (1366, 768)], ids=["1920", "1366"])
def test_the_screen_draws_through_a_signed_link(
    desktop_page: Page,
    world: World,
    district_staff: User,
    station: Station,  # noqa: F811
    categories: dict[str, IssueCategory],  # noqa: F811
    size: tuple[int, int],
) -> None:
    # The server answers fresh figures at once: the tests run without the big screen's
    # cache (tests/conftest.py; the cache is tests/test_bigscreen.py's).
    page = desktop_page
    kinds = list(categories.values())
    for n in range(7):
        issue = submit(station=station, category=kinds[n % 3], mobile=f"1390000000{n}")
        if n % 2:
            services.citizen_issue_accept(issue=issue, by=district_staff)
    # One in each other category: a dozen bars, each of which must show its name.
    for n, kind in enumerate(kinds[3:]):
        submit(station=station, category=kind, mobile=f"1390000001{n}")
    today = 7 + len(kinds[3:])
    # The district's congress in session, and its livelihood vote open: 0 of 4 have voted.
    SessionFactory(term=world.district.congress.current_term())
    for n in range(4):
        seat(RepresentativeFactory(name=f"海州代表{n}", region=world.village), world.district)
    opened(make_vote(world.district, district_staff), district_staff)
    _link, token = bigscreen.bigscreen_link_create(
        region=world.district, label="代表之家大厅", by=district_staff
    )
    width, height = size
    page.set_viewport_size({"width": width, "height": height})
    page.goto(f"/bigscreen/s/{token}/")
    expect(page.get_by_test_id("bigscreen-title")).to_contain_text("海州区")
    expect(page.locator('[data-figure="today"] .bs-figure-value')).to_have_text(str(today))
    expect(page.locator('[data-figure="month_received"] .bs-figure-value')).to_have_text(str(today))
    expect(page.get_by_test_id("bigscreen-vote")).to_contain_text("0 / 应到 4")
    expect(page.locator(".bs-mini-figure").first).to_be_visible()
    for key in ("trend", "category", "regions"):
        chart = page.locator(f'[data-chart="{key}"]')
        expect(chart.locator("canvas")).to_be_attached()
        page.wait_for_function(f"({DRAWN})(document.querySelector('[data-chart=\"{key}\"]'))")
        box = chart.bounding_box()
        assert box is not None and box["width"] > 100 and box["height"] > 80, key
    # Every category's bar has its name under it, readable across the room.
    shown, named = page.evaluate(LABELS, "category")
    assert shown == named and len(named) == len(kinds)
    # One screen, no scrolling: the page fits the viewport.
    scroll = page.evaluate(
        "[document.documentElement.scrollWidth, document.documentElement.scrollHeight]"
    )
    assert scroll[0] <= width and scroll[1] <= height
    assert_clean(page)
    screenshot(page, f"bigscreen-{width}")

    # The server does not answer: the figures stay, the page says so.
    def down(route: Route) -> None:
        route.abort()

    page.route("**/data/", down)
    page.evaluate("document.dispatchEvent(new Event('bigscreen:refresh'))")
    expect(page.locator('[data-bind="offline"]')).to_be_visible()
    expect(page.locator('[data-figure="today"] .bs-figure-value')).to_have_text(str(today))
    # Chromium logs the refused request as a console error: that one was on purpose.
    seen = _problems.get(page, [])
    seen[:] = [p for p in seen if not ("net::ERR_FAILED" in p and "/data/)" in p)]
    assert_clean(page)
    # Back again: a new problem shows without a reload, the warning goes.
    page.unroute("**/data/")
    submit(station=station, category=kinds[0], mobile="13900000099")
    page.evaluate("document.dispatchEvent(new Event('bigscreen:refresh'))")
    expect(page.locator('[data-figure="today"] .bs-figure-value')).to_have_text(str(today + 1))
    expect(page.locator('[data-bind="offline"]')).to_be_hidden()
    expect(page.locator('[data-chart="trend"] canvas')).to_be_attached()


# A year's worth of elected projects, with names as long as the demo's: the first ten
# being implemented (every third behind its plan), the others not started yet.
MANY_PROJECTS = [
    {
        "name": f"第{n}项：实施老旧小区改造并加装电梯、建设社区嵌入式养老服务中心",
        "percent": n * 9 if n <= 10 else None,
        "behind": n % 3 == 0 and n <= 10,
    }
    for n in range(1, 21)
]

# Where each block of the two right-hand panels ends, against its panel's bottom edge.
SIDE_BLOCKS = """() => [...document.querySelectorAll(".bs-side > [data-bind], .bs-projects-panel > [data-bind]")]
  .filter((node) => !node.hidden)
  .map((node) => [
    node.getAttribute("data-bind"),
    node.getBoundingClientRect().bottom,
    node.parentElement.getBoundingClientRect().bottom,
  ])"""


def test_a_long_list_of_projects_rolls_inside_its_panel_at_1366(
    desktop_page: Page, world: World, district_staff: User
) -> None:
    """At 1366×768 the suggestions, an open vote and twenty elected projects all show:
    nothing runs out of its panel (the projects were cut off at the bottom when they
    shared one panel with the rest); the list takes its own panel and rolls, since
    nobody scrolls a wall screen."""
    page = desktop_page
    SessionFactory(term=world.district.congress.current_term())
    for n in range(4):
        seat(RepresentativeFactory(name=f"海州代表{n}", region=world.village), world.district)
    opened(make_vote(world.district, district_staff), district_staff)
    _link, token = bigscreen.bigscreen_link_create(
        region=world.district, label="代表之家大厅", by=district_staff
    )

    def with_projects(route: Route) -> None:
        response = route.fetch()
        data = response.json()
        data["projects"] = MANY_PROJECTS
        route.fulfill(response=response, json=data)

    page.set_viewport_size({"width": 1366, "height": 768})
    # A wall screen asks for no less motion (the suite's browsers do, to be steady).
    page.emulate_media(reduced_motion="no-preference")
    page.route("**/data/", with_projects)
    page.goto(f"/bigscreen/s/{token}/")
    page.evaluate("document.dispatchEvent(new Event('bigscreen:refresh'))")
    expect(page.locator(".bs-projects li")).to_have_count(20)
    expect(page.locator(".bs-projects progress")).to_have_count(10)
    expect(page.locator(".bs-projects li.bs-behind")).to_have_count(3)
    expect(page.locator(".bs-projects li").nth(4)).to_contain_text("45%")
    expect(page.get_by_test_id("bigscreen-vote")).to_be_visible()
    blocks = page.evaluate(SIDE_BLOCKS)
    assert {"suggestions", "votes", "projects"} <= {name for name, *_ in blocks}
    for name, bottom, panel_bottom in blocks:
        assert bottom <= panel_bottom + 1, (name, bottom, panel_bottom)
    # The list is longer than its room, so it rolls.
    page.wait_for_function("() => document.querySelector('.bs-projects').scrollTop > 5")
    scroll = page.evaluate(
        "[document.documentElement.scrollWidth, document.documentElement.scrollHeight]"
    )
    assert scroll[0] <= 1366 and scroll[1] <= 768
    assert_clean(page)
    screenshot(page, "bigscreen-1366-projects")
