"""Region boundaries and populations (congress/boundaries.py, docs/dashboard.md
"下级区划地图"): what a load accepts and refuses, who may load, read and fetch them,
the audit rows, and the page's forms.

江海市's children in the world are 海州区 (990102000000) and 临江区 (990103000000).
"""

from __future__ import annotations

import json
from typing import Any

import pytest
from django.core.exceptions import PermissionDenied
from django.core.files.uploadedfile import SimpleUploadedFile
from django.http import Http404
from django.test import Client
from django.urls import reverse

from congress.boundaries import (
    MAX_BYTES,
    boundary_load,
    grids_below,
    population_set,
)
from congress.errors import RuleViolation
from congress.models import AuditAction, AuditEvent, Region, RegionLevel, User
from congress.models.boundaries import RegionBoundary
from tests.conftest import World, login
from tests.factories import RegionFactory


def square(x: float, y: float, size: float = 0.1) -> list[list[list[float]]]:
    return [[[x, y], [x + size, y], [x + size, y + size], [x, y + size], [x, y]]]


def feature(properties: dict[str, Any], geometry: dict[str, Any] | None = None) -> dict[str, Any]:
    return {
        "type": "Feature",
        "properties": properties,
        "geometry": geometry or {"type": "Polygon", "coordinates": square(120.0, 30.0)},
    }


def collection(*features: dict[str, Any]) -> str:
    return json.dumps({"type": "FeatureCollection", "features": list(features)})


def city_geojson() -> str:
    """海州区 by its 6-digit adcode (padded to 12), 临江区 by name only."""
    return collection(
        feature({"adcode": 990102, "name": "海州"}),
        feature(
            {"name": "临江区"},
            {
                "type": "MultiPolygon",
                "coordinates": [square(120.2, 30.0), square(120.4, 30.0)],
            },
        ),
    )


def refused(world: World, text: str | bytes) -> str:
    with pytest.raises(RuleViolation) as error:
        boundary_load(region=world.city, geojson_text=text, by=None)
    assert not RegionBoundary.objects.exists()
    return str(error.value.message)


# --- loading -----------------------------------------------------------------------------


def test_an_administrator_loads_the_city_s_boundaries(world: World, administrator: User) -> None:
    boundary = boundary_load(
        region=world.city, geojson_text=city_geojson(), by=administrator, source_name="city.json"
    )
    assert boundary.matched_ids == [world.district.pk, world.other_district.pk]
    assert boundary.feature_count == 2 and boundary.loaded_by == administrator
    stored = json.loads(boundary.geojson)
    # Properties reduced to the child each feature was matched to; geometry as loaded.
    assert [f["properties"] for f in stored["features"]] == [
        {"key": str(world.district.pk), "region_id": world.district.pk,
         "code": "990102000000", "name": "海州区"},
        {"key": str(world.other_district.pk), "region_id": world.other_district.pk,
         "code": "990103000000", "name": "临江区"},
    ]  # fmt: skip
    assert stored["features"][1]["geometry"]["type"] == "MultiPolygon"
    event = AuditEvent.objects.get(detail__event="boundary_loaded")
    assert event.action == AuditAction.ADMIN_CHANGE and event.actor == administrator
    assert event.object_id == str(world.city.pk)
    assert event.detail["features"] == 2 and event.detail["replaced"] is False


def test_a_new_load_replaces_the_previous_one(world: World, administrator: User) -> None:
    boundary_load(region=world.city, geojson_text=city_geojson(), by=administrator)
    boundary_load(
        region=world.city,
        geojson_text=collection(feature({"code": "990102000000"})),
        by=administrator,
    )
    only = RegionBoundary.objects.get()
    assert only.matched_ids == [world.district.pk]
    replaced = AuditEvent.objects.filter(detail__event="boundary_loaded").order_by("pk")
    assert [e.detail["replaced"] for e in replaced] == [False, True]


def test_bad_json_is_refused_with_its_place(world: World) -> None:
    assert refused(world, '{"type": "FeatureCollection",\n "features": [}') == (
        "文件不是有效的 JSON（第2行第15列附近有误）。"
    )


def test_not_a_feature_collection_nor_utf8_nor_empty(world: World) -> None:
    assert "FeatureCollection" in refused(world, json.dumps({"type": "Feature"}))
    assert "UTF-8" in refused(world, "海州区".encode("gb18030") + b"\xff")
    assert "没有要素" in refused(world, collection())


def test_the_first_unmatched_feature_is_named(world: World) -> None:
    message = refused(
        world,
        collection(
            feature({"code": "990102000000"}),
            feature({"name": "云台区", "code": "990104000000"}),
            feature({"name": "也对不上"}),
        ),
    )
    assert message == (
        "第2个要素（云台区）不对应江海市的任何下级区划：属性中的区划代码（code 或 adcode）"
        "和名称（name）都找不到。"
    )


def test_two_features_for_one_child_are_refused(world: World) -> None:
    message = refused(world, collection(feature({"name": "海州区"}), feature({"adcode": "990102"})))
    assert message.startswith("第2个要素（990102）与第1个要素都对应“海州区”")


def test_only_polygons_with_closed_rings_in_range(world: World) -> None:
    point = feature({"name": "海州区"}, {"type": "Point", "coordinates": [120, 30]})
    assert refused(world, collection(point)) == (
        "第1个要素（海州区）：几何类型须为 Polygon 或 MultiPolygon（此处为 Point）。"
    )
    open_ring = [[[120, 30], [121, 30], [121, 31], [120, 31]]]
    outside = [[[120, 30], [200, 30], [121, 31], [120, 30]]]
    for coordinates in (open_ring, outside, [], [[["120", "30"]] * 4]):
        geometry = {"type": "Polygon", "coordinates": coordinates}
        assert "坐标不完整" in refused(world, collection(feature({"name": "海州区"}, geometry)))


def test_a_file_over_the_limit_is_refused_before_it_is_read(world: World) -> None:
    padding = " " * (MAX_BYTES + 1)
    assert "超过 5 MB" in refused(world, collection(feature({"name": "海州区"})) + padding)


def test_a_name_shared_by_two_children_needs_the_code(world: World) -> None:
    RegionFactory(name="新浦街道", level=RegionLevel.TOWNSHIP, parent=world.district, code=None)
    with pytest.raises(RuleViolation) as error:
        boundary_load(
            region=world.district, geojson_text=collection(feature({"name": "新浦街道"})), by=None
        )
    assert "对应多个下级区划" in str(error.value.message)
    boundary = boundary_load(
        region=world.district,
        geojson_text=collection(feature({"name": "新浦街道", "code": "990102001000"})),
        by=None,
    )
    assert boundary.matched_ids == [world.town.pk]


def test_below_the_county_there_is_no_map(world: World) -> None:
    with pytest.raises(RuleViolation) as error:
        boundary_load(
            region=world.town, geojson_text=collection(feature({"name": "桃园社区"})), by=None
        )
    assert "数据看板到乡镇（街道）为止" in str(error.value.message)


def test_staff_may_not_load_and_others_find_nothing(
    world: World, district_staff: User, city_staff: User, other_district_staff: User, clerk: User
) -> None:
    district = world.district
    text = collection(feature({"name": "新浦街道"}))
    for reader in (district_staff, city_staff):
        with pytest.raises(PermissionDenied):
            boundary_load(region=district, geojson_text=text, by=reader)
        with pytest.raises(PermissionDenied):
            population_set(region=district, values={world.town.pk: 1000}, by=reader)
    for stranger in (other_district_staff, clerk):
        with pytest.raises(Http404):
            boundary_load(region=district, geojson_text=text, by=stranger)
        with pytest.raises(Http404):
            population_set(region=district, values={world.town.pk: 1000}, by=stranger)
    assert not RegionBoundary.objects.exists()
    world.town.refresh_from_db()
    assert world.town.population is None


# --- populations and grids ----------------------------------------------------------


def test_populations_are_set_checked_and_audited(world: World, administrator: User) -> None:
    changed = population_set(
        region=world.city,
        values={world.district.pk: 250_000, world.other_district.pk: None},
        by=administrator,
    )
    assert changed == [world.district.pk]
    assert population_set(region=world.city, values={world.district.pk: 250_000}, by=None) == []
    event = AuditEvent.objects.get(detail__event="population_set")
    assert event.detail == {"event": "population_set", "from": None, "to": 250_000}
    assert event.object_id == str(world.district.pk)
    for bad in (0, -5, 100_000_001):
        with pytest.raises(RuleViolation):
            population_set(region=world.city, values={world.district.pk: bad}, by=None)
    with pytest.raises(RuleViolation):  # a grandchild is not the city's to set here
        population_set(region=world.city, values={world.town.pk: 1000}, by=None)
    world.district.refresh_from_db()
    assert world.district.population == 250_000


def test_grids_are_counted_per_child_in_one_query(
    world: World, django_assert_num_queries: Any
) -> None:
    for n in range(3):
        RegionFactory(name=f"桃园社区第{n + 2}网格", level=RegionLevel.GRID, parent=world.village)
    village = RegionFactory(name="江边村", level=RegionLevel.VILLAGE, parent=world.other_district)
    RegionFactory(name="江边村第1网格", level=RegionLevel.GRID, parent=village)
    RegionFactory(name="微网格", level=RegionLevel.MICROGRID, parent=village)
    with django_assert_num_queries(1):
        grids = grids_below(world.city)
    assert grids == {world.district.pk: 4, world.other_district.pk: 1}


# --- the pages ---------------------------------------------------------------------------


def page(region: Region) -> str:
    return reverse("region_boundaries", args=[region.pk])


def test_the_region_page_links_to_its_boundaries_for_staff_and_administrators(
    client: Client, world: World, district_staff: User, clerk: User, administrator: User
) -> None:
    detail = reverse("region_detail", args=[world.district.pk])
    for user in (district_staff, administrator):
        login(client, user)
        assert page(world.district) in client.get(detail).content.decode()
    login(client, clerk)  # sees 海州区 (their department's region), not its boundaries
    response = client.get(detail)
    assert response.status_code == 200 and page(world.district) not in response.content.decode()


def test_an_administrator_uploads_and_sees_the_state(
    client: Client, world: World, administrator: User
) -> None:
    login(client, administrator)
    upload = SimpleUploadedFile("江海市.geojson", city_geojson().encode(), "application/geo+json")
    response = client.post(page(world.city), {"form": "upload", "geojson": upload})
    assert response.status_code == 302
    html = client.get(page(world.city)).content.decode()
    assert "江海市.geojson" in html and "2 / 2" in html


def test_a_refused_upload_shows_the_message_beside_the_field(
    client: Client, world: World, administrator: User
) -> None:
    login(client, administrator)
    upload = SimpleUploadedFile("bad.geojson", collection(feature({"name": "北湖县"})).encode())
    response = client.post(page(world.city), {"form": "upload", "geojson": upload})
    assert response.status_code == 400
    html = response.content.decode()
    assert 'data-testid="error-geojson"' in html and "第1个要素（北湖县）不对应江海市" in html
    assert not RegionBoundary.objects.exists()


def test_populations_from_the_page_keep_what_was_typed_on_an_error(
    client: Client, world: World, administrator: User
) -> None:
    login(client, administrator)
    district, other = world.district, world.other_district
    response = client.post(
        page(world.city),
        {
            "form": "population",
            f"population_{district.pk}": "380000",
            f"population_{other.pk}": "-3",
        },
    )
    assert response.status_code == 400
    html = response.content.decode()
    assert f'data-testid="error-population-{other.pk}"' in html
    assert 'value="380000"' in html and 'value="-3"' in html
    district.refresh_from_db()
    assert district.population is None  # nothing saved
    response = client.post(
        page(world.city),
        {"form": "population", f"population_{district.pk}": "380000", f"population_{other.pk}": ""},
    )
    assert response.status_code == 302
    district.refresh_from_db()
    assert district.population == 380_000


def test_staff_read_the_page_without_forms(
    client: Client, world: World, city_staff: User, district_staff: User
) -> None:
    population_set(region=world.city, values={world.district.pk: 380_000}, by=None)
    login(client, city_staff)
    html = client.get(page(world.city)).content.decode()
    assert "380000" in html and 'name="geojson"' not in html and "population_" not in html
    login(client, district_staff)  # the city is above them
    assert client.get(page(world.city)).status_code == 404


def test_the_geometry_is_served_to_readers_with_an_etag(
    client: Client, world: World, district_staff: User, city_staff: User, administrator: User
) -> None:
    url = reverse("region_boundaries_geojson", args=[world.city.pk])
    login(client, city_staff)
    assert client.get(url).status_code == 404  # no boundary yet
    boundary_load(region=world.city, geojson_text=city_geojson(), by=administrator)
    response = client.get(url)
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/geo+json")
    assert json.loads(response.content)["features"][0]["properties"]["name"] == "海州区"
    again = client.get(url, HTTP_IF_NONE_MATCH=response["ETag"])
    assert again.status_code == 304
    login(client, district_staff)
    assert client.get(url).status_code == 404
