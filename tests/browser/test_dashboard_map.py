"""The dashboard's map in Chromium (docs/dashboard.md, "下级区划地图") at 1366×768: the
geometry is fetched from the same origin, the areas are drawn and coloured on the
canvas (red pixels counted), its table stays one tap away, nothing breaks the CSP,
and a click on 海州区's area opens 海州区's dashboard. Screenshot:
test-results/dashboard-map-1366.png."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from playwright.sync_api import Page, expect

from congress.boundaries import boundary_load, population_set
from congress.models import User
from representatives.models import Station
from suggestions.models.citizen import IssueCategory
from tests.browser.conftest import _problems, assert_clean, log_in
from tests.conftest import World
from tests.suggestions_citizen.conftest import (  # noqa: F401 - fixtures
    categories,
    representative,
    station,
    submit,
)

pytestmark = pytest.mark.browser

RESULTS = Path(__file__).resolve().parents[2] / "test-results"

# Reddish pixels on the map's canvas: the areas' colours run from #fde0dc to #b71c1c.
COLOURED = """(selector) => {
  const canvas = document.querySelector(selector);
  if (!canvas || !canvas.width) { return 0; }
  const data = canvas.getContext("2d").getImageData(0, 0, canvas.width, canvas.height).data;
  let n = 0;
  for (let i = 0; i < data.length; i += 4) {
    if (data[i + 3] > 200 && data[i] > 150 && data[i] - data[i + 2] > 40) { n++; }
  }
  return n;
}"""


def _square(x: float) -> list[list[list[float]]]:
    return [[[x, 30.0], [x + 0.2, 30.0], [x + 0.2, 30.2], [x, 30.2], [x, 30.0]]]


def test_the_map_is_drawn_and_drills_down(
    desktop_page: Page,
    world: World,
    city_staff: User,
    station: Station,  # noqa: F811
    categories: dict[str, IssueCategory],  # noqa: F811
) -> None:
    page = desktop_page
    kinds = list(categories.values())
    for n in range(5):
        submit(station=station, category=kinds[n % 3], mobile=f"1390000000{n}")
    submit(region=world.other_district, category=kinds[0], mobile="13800000001")
    geojson = {
        "type": "FeatureCollection",
        "features": [
            {
                "type": "Feature",
                "properties": {"name": name},
                "geometry": {"type": "Polygon", "coordinates": _square(x)},
            }
            for name, x in (("海州区", 120.0), ("临江区", 120.2))
        ],
    }
    boundary_load(region=world.city, geojson_text=json.dumps(geojson), by=None)
    population_set(
        region=world.city,
        values={world.district.pk: 250_000, world.other_district.pk: 120_000},
        by=None,
    )
    page.set_viewport_size({"width": 1366, "height": 768})
    log_in(page, city_staff)
    page.goto("/dashboard/")
    expect(page.get_by_test_id("dashboard-title")).to_contain_text("江海市")

    canvas = '[data-chart="citizen-map"] canvas'
    expect(page.locator(canvas).first).to_be_attached()
    page.wait_for_function(f"() => ({COLOURED})({json.dumps(canvas)}) > 2000")
    box = page.locator(canvas).first.bounding_box()
    assert box is not None and box["width"] > 300 and box["height"] >= 400
    # The table view: folded once drawn, one tap away, every child with its figures.
    figure = page.get_by_test_id("chart-citizen-map")
    details = figure.locator("details.dash-table")
    expect(details).not_to_have_attribute("open", "")
    figure.locator("summary").click()
    table = details.locator("table")
    expect(table).to_contain_text("每万人口件数")
    expect(table.locator("tbody tr").first).to_contain_text("海州区")  # 0.2 > 0.0833
    expect(table.locator("tbody tr").first).to_contain_text("250000")
    figure.scroll_into_view_if_needed()
    assert_clean(page)
    RESULTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(RESULTS / "dashboard-map-1366.png"), full_page=True)

    # A click on 海州区's area (the middle of its square) opens 海州区's dashboard.
    point = page.evaluate(
        """() => {
          const node = document.querySelector('[data-chart="citizen-map"]');
          const chart = window.echarts.getInstanceByDom(node);
          const [x, y] = chart.convertToPixel({ seriesIndex: 0 }, [120.1, 30.1]);
          const box = node.getBoundingClientRect();
          return { x: box.left + x, y: box.top + y };
        }"""
    )
    page.mouse.click(point["x"], point["y"])
    expect(page.get_by_test_id("dashboard-title")).to_contain_text("海州区")
    expect(page).to_have_url(re.compile(rf"region={world.district.pk}"))


def test_an_administrator_loads_boundaries_and_populations_on_a_phone(
    phone_page: Page, world: World, administrator: User, tmp_path: Path
) -> None:
    """From 江海市's page at 390 px: 地图边界, a refused file with its message beside the
    field, the right file, then the populations; nothing wider than the screen."""
    page = phone_page
    bad = tmp_path / "bad.geojson"
    bad.write_text(json.dumps({"type": "FeatureCollection", "features": [
        {"type": "Feature", "properties": {"name": "北湖县"},
         "geometry": {"type": "Polygon", "coordinates": _square(120.0)}}]}), encoding="utf-8")  # fmt: skip
    good = tmp_path / "江海市.geojson"
    good.write_text(json.dumps({"type": "FeatureCollection", "features": [
        {"type": "Feature", "properties": {"adcode": code},
         "geometry": {"type": "Polygon", "coordinates": _square(x)}}
        for code, x in (("990102", 120.0), ("990103", 120.2))]}), encoding="utf-8")  # fmt: skip
    log_in(page, administrator)
    page.goto(f"/regions/{world.city.pk}/")
    page.get_by_test_id("region-boundaries-link").click()
    expect(page.get_by_test_id("boundaries-title")).to_contain_text("江海市")
    expect(page.get_by_test_id("boundary-none")).to_be_visible()

    upload = page.get_by_test_id("boundary-upload")
    upload.locator('input[type="file"]').set_input_files(str(bad))
    upload.get_by_role("button", name="加载").click()
    expect(page.get_by_test_id("error-geojson")).to_contain_text("第1个要素（北湖县）不对应江海市")
    upload.locator('input[type="file"]').set_input_files(str(good))
    upload.get_by_role("button", name="加载").click()
    expect(page.get_by_test_id("boundary-matched")).to_have_text("2 / 2")

    children = page.get_by_test_id("boundary-children")
    children.get_by_label("海州区常住人口").fill("250000")
    children.get_by_label("临江区常住人口").fill("0")
    children.get_by_role("button", name="保存常住人口").click()
    expect(page.get_by_test_id(f"error-population-{world.other_district.pk}")).to_be_visible()
    expect(children.get_by_label("海州区常住人口")).to_have_value("250000")  # kept
    children.get_by_label("临江区常住人口").fill("120000")
    children.get_by_role("button", name="保存常住人口").click()
    expect(page.get_by_role("alert").filter(has_text="已保存2个区划的常住人口")).to_be_visible()
    overflow = page.evaluate(
        "() => document.documentElement.scrollWidth - document.documentElement.clientWidth"
    )
    assert overflow <= 1
    # The two refusals are answered 400 on purpose (the form again, with its message).
    _problems[page][:] = [p for p in _problems[page] if "status of 400" not in p]
    assert_clean(page)
    RESULTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(RESULTS / "boundaries-phone-390.png"), full_page=True)
    world.district.refresh_from_db()
    assert world.district.population == 250_000
