"""The citizens' panel's map (suggestions/citizen/dashboard_map.py, docs/dashboard.md
"下级区划地图"): its values against a hand count, per 10,000 residents and per grid, its
absence without boundaries, the monthly report's table, and its queries.

This month, through the services: 5 problems in 海州区 (at 桃园社区's station) and 3 in
临江区. 海州区 has 250,000 residents and 4 grids (桃园社区 第1–4网格), 临江区 120,000
and 2 grids (江边村 第1–2网格). By hand:

- per 10,000 residents: 海州区 5 × 10000 ÷ 250000 = 0.2, 临江区 3 × 10000 ÷ 120000 = 0.25;
- per grid (临江区's population unknown): 海州区 5 ÷ 4 = 1.25, 临江区 3 ÷ 2 = 1.5.
"""

from __future__ import annotations

import json
from typing import Any

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from congress.boundaries import boundary_load, population_set
from congress.models import RegionLevel, User
from representatives.models import Station
from suggestions.models.citizen import IssueCategory
from tests.conftest import World, login
from tests.factories import RegionFactory
from tests.suggestions_citizen.conftest import submit


def _square(x: float) -> list[list[list[float]]]:
    return [[[x, 30.0], [x + 0.2, 30.0], [x + 0.2, 30.2], [x, 30.2], [x, 30.0]]]


def city_boundary() -> str:
    return json.dumps(
        {
            "type": "FeatureCollection",
            "features": [
                {
                    "type": "Feature",
                    "properties": {"code": code},
                    "geometry": {"type": "Polygon", "coordinates": _square(x)},
                }
                for code, x in (("990102000000", 120.0), ("990103000000", 120.2))
            ],
        }
    )


@pytest.fixture
def month(world: World, station: Station, categories: dict[str, IssueCategory]) -> dict[str, Any]:
    kinds = list(categories.values())
    for n in range(5):
        submit(station=station, category=kinds[n % 3], mobile=f"1390000000{n}")
    for n in range(3):
        submit(region=world.other_district, category=kinds[n % 3], mobile=f"1380000000{n}")
    for n in range(3):
        RegionFactory(name=f"桃园社区第{n + 2}网格", level=RegionLevel.GRID, parent=world.village)
    village = RegionFactory(name="江边村", level=RegionLevel.VILLAGE, parent=world.other_district)
    for n in range(2):
        RegionFactory(name=f"江边村第{n + 1}网格", level=RegionLevel.GRID, parent=village)
    population_set(
        region=world.city,
        values={world.district.pk: 250_000, world.other_district.pk: 120_000},
        by=None,
    )
    return {}


def citizen_charts(client: Client, region_id: int) -> list[dict[str, Any]]:
    """The citizens' panel's charts as the dashboard API gives them."""
    data = client.get(reverse("api-dashboard") + f"?region={region_id}").json()
    citizen = next(panel for panel in data["panels"] if panel["key"] == "citizen")
    charts: list[dict[str, Any]] = citizen["charts"]
    return charts


def the_map(client: Client, region_id: int) -> dict[str, Any] | None:
    return next(
        (chart for chart in citizen_charts(client, region_id) if chart["key"] == "map"), None
    )


def this_month_report(region: Any) -> str:
    today = timezone.localdate()
    return reverse(
        "report_month",
        kwargs={"region_id": region.pk, "year": today.year, "month": f"{today.month:02d}"},
    )


def drill(world: World, region: Any) -> str:
    return reverse("dashboard") + f"?region={region.pk}&period=this_month"


def test_per_10000_residents_when_every_child_has_a_population(
    client: Client, world: World, city_staff: User, month: dict[str, Any]
) -> None:
    login(client, city_staff)
    assert the_map(client, world.city.pk) is None  # no boundary: the ranking only
    boundary = boundary_load(region=world.city, geojson_text=city_boundary(), by=None)
    chart = the_map(client, world.city.pk)
    assert chart is not None
    assert chart["kind"] == "map"
    assert chart["rows"] == ["临江区", "海州区"]  # the larger value first
    assert chart["series"] == [
        {"name": "收到", "data": [3, 5]},
        {"name": "常住人口", "data": [120_000, 250_000]},
        {"name": "每万人口件数", "data": [0.25, 0.2]},
    ]
    assert "每万常住人口" in chart["definition"]
    assert chart["geo_keys"] == [str(world.other_district.pk), str(world.district.pk)]
    assert chart["links"] == [drill(world, world.other_district), drill(world, world.district)]
    geo = reverse("region_boundaries_geojson", args=[world.city.pk])
    assert chart["geo_url"].startswith(geo + "?v=" + str(boundary.pk) + "-")
    # The ranking is still there, with the same counts.
    ranking = next(c for c in citizen_charts(client, world.city.pk) if c["key"] == "regions")
    assert ranking["rows"] == ["海州区", "临江区"] and ranking["series"][0]["data"] == [5, 3]


def test_per_grid_when_a_child_has_no_population(
    client: Client, world: World, city_staff: User, month: dict[str, Any]
) -> None:
    boundary_load(region=world.city, geojson_text=city_boundary(), by=None)
    population_set(region=world.city, values={world.other_district.pk: None}, by=None)
    login(client, city_staff)
    chart = the_map(client, world.city.pk)
    assert chart is not None
    assert chart["rows"] == ["临江区", "海州区"]
    assert chart["series"] == [
        {"name": "收到", "data": [3, 5]},
        {"name": "常住人口", "data": [None, 250_000]},
        {"name": "网格数", "data": [2, 4]},
        {"name": "每网格件数", "data": [1.5, 1.25]},
    ]
    assert "每个网格的件数" in chart["definition"] and "未填常住人口" in chart["definition"]


def test_the_page_has_the_map_s_table_and_its_data(
    client: Client, world: World, city_staff: User, month: dict[str, Any]
) -> None:
    boundary_load(region=world.city, geojson_text=city_boundary(), by=None)
    login(client, city_staff)
    response = client.get(reverse("dashboard"))
    html = response.content.decode()
    assert 'data-chart="citizen-map"' in html and 'data-testid="chart-citizen-map"' in html
    charts = response.context["charts"]
    assert charts["citizen-map"]["geo_url"]
    table = next(c for p in response.context["panels"] for c in p.charts if c.key == "map")
    assert table.table()[0][2] == [3, 120_000, 0.25]
    # The page, where a region is a click away, says so under both charts of regions.
    assert html.count("点击进入该区划。") == 2


def test_the_report_and_the_api_say_nothing_of_clicking(
    client: Client, world: World, city_staff: User, month: dict[str, Any]
) -> None:
    """Paper and other systems have nothing to click: the definitions they carry are
    the figures' alone."""
    boundary_load(region=world.city, geojson_text=city_boundary(), by=None)
    login(client, city_staff)
    html = client.get(this_month_report(world.city)).content.decode()
    assert "颜色越深越多" in html and "多者在前" in html
    assert "点击" not in html
    definitions = [chart["definition"] for chart in citizen_charts(client, world.city.pk)]
    assert any("颜色越深越多" in text for text in definitions)
    assert not any("点击" in text for text in definitions)


def test_the_monthly_report_shows_the_map_as_a_table(
    client: Client, world: World, city_staff: User, month: dict[str, Any]
) -> None:
    boundary_load(region=world.city, geojson_text=city_boundary(), by=None)
    login(client, city_staff)
    html = client.get(this_month_report(world.city)).content.decode()
    assert 'data-testid="report-chart-citizen-map"' in html and "每万人口件数" in html


def test_a_district_without_boundaries_has_no_map(
    client: Client, world: World, district_staff: User, month: dict[str, Any]
) -> None:
    boundary_load(region=world.city, geojson_text=city_boundary(), by=None)
    login(client, district_staff)
    assert the_map(client, world.district.pk) is None


def _queries(client: Client, url: str) -> int:
    with CaptureQueriesContext(connection) as captured:
        assert client.get(url).status_code == 200
    return len(captured)


def test_the_map_runs_the_same_queries_for_3_and_30_problems(
    client: Client,
    world: World,
    city_staff: User,
    station: Station,
    categories: dict[str, IssueCategory],
) -> None:
    boundary_load(region=world.city, geojson_text=city_boundary(), by=None)
    population_set(region=world.city, values={world.district.pk: 250_000}, by=None)  # per grid
    login(client, city_staff)
    page, api = reverse("dashboard"), reverse("api-dashboard")
    kinds = list(categories.values())

    def add(count: int, start: int) -> None:
        for n in range(start, start + count):
            submit(
                station=station if n % 2 else None,
                region=None if n % 2 else world.other_district,
                category=kinds[n % len(kinds)],
                mobile=f"139{n:08d}",
            )

    add(3, 0)
    client.get(page)  # the session and the calendar read once
    few = (_queries(client, page), _queries(client, api))
    add(27, 3)
    assert (_queries(client, page), _queries(client, api)) == few
    assert the_map(client, world.city.pk) is not None
