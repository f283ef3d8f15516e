"""Stations and representatives keep their region's ancestors on the row (``area_N``,
``congress.models.AreaColumns``): staff find theirs by those columns, so the columns
must follow the record's region and the region's place in the tree
(docs/architecture.md, "The jurisdiction on the row")."""

from __future__ import annotations

from typing import Any

from django.test import Client
from django.urls import reverse

from congress.models import User
from representatives import selectors, services
from representatives.models import Representative, Station
from tests.conftest import World
from tests.representatives.factories import RepresentativeFactory, StationFactory


def _areas(record: Station | Representative) -> list[int | None]:
    record.refresh_from_db()
    return [record.area_0, record.area_1, record.area_2, record.area_3]


def test_a_station_carries_its_regions_ancestors(world: World) -> None:
    station = StationFactory(region=world.village)
    # 东海省 / 江海市 / 海州区 / 新浦街道: the village's ancestors at depths 0-3.
    expected = [world.city.parent_id, world.city.pk, world.district.pk, world.town.pk]
    assert _areas(station) == expected


def test_staff_see_and_count_the_stations_of_their_district_only(
    world: World, district_staff: User, other_district_staff: User, client: Client
) -> None:
    here = StationFactory(region=world.village, name="桃园社区联络站")
    there = StationFactory(region=world.other_district, name="临江区代表之家")
    StationFactory(region=world.village, name="已停用联络点", is_active=False)
    assert set(selectors.visible_stations(district_staff).values_list("name", flat=True)) == {
        "桃园社区联络站",
        "已停用联络点",
    }
    assert list(selectors.visible_stations(other_district_staff)) == [there]
    assert here not in selectors.visible_stations(other_district_staff)
    client.force_login(district_staff)
    cards = client.get(reverse("home")).context["cards"]
    staff = next(c["context"] for c in cards if c["template"] == "representatives/card_staff.html")
    assert staff["stations"] == 1  # the active one of the two in 海州区


def test_a_station_moved_to_another_district_changes_hands(
    world: World, city_staff: User, district_staff: User, other_district_staff: User
) -> None:
    station = StationFactory(region=world.village)
    services.station_update(station=station, by=city_staff, region=world.other_district)
    assert _areas(station) == [world.city.parent_id, world.city.pk, world.other_district.pk, None]
    assert not selectors.visible_stations(district_staff).filter(pk=station.pk).exists()
    assert selectors.visible_stations(other_district_staff).filter(pk=station.pk).exists()


def test_staff_see_the_representatives_of_their_district_only(
    world: World, district_staff: User, other_district_staff: User
) -> None:
    here = RepresentativeFactory(name="王芳", region=world.village)
    there = RepresentativeFactory(name="赵磊", region=world.other_district)
    assert _areas(here) == [world.city.parent_id, world.city.pk, world.district.pk, world.town.pk]
    assert list(selectors.visible_representatives(district_staff)) == [here]
    assert list(selectors.visible_representatives(other_district_staff)) == [there]


def test_a_representative_moved_to_another_district_changes_hands(
    world: World, city_staff: User, district_staff: User, other_district_staff: User
) -> None:
    rep = RepresentativeFactory(name="王芳", region=world.village)
    services.representative_update(representative=rep, by=city_staff, region=world.other_district)
    assert _areas(rep) == [world.city.parent_id, world.city.pk, world.other_district.pk, None]
    assert not selectors.visible_representatives(district_staff).filter(pk=rep.pk).exists()
    assert selectors.visible_representatives(other_district_staff).filter(pk=rep.pk).exists()


def test_a_moved_region_takes_its_stations_and_representatives_along(
    world: World,
    district_staff: User,
    other_district_staff: User,
    django_capture_on_commit_callbacks: Any,
) -> None:
    station = StationFactory(region=world.village)
    rep = RepresentativeFactory(name="王芳", region=world.village)
    with django_capture_on_commit_callbacks(execute=True):
        world.town.parent = world.other_district  # an administrator redraws the map
        world.town.save()
    moved = [world.city.parent_id, world.city.pk, world.other_district.pk, world.town.pk]
    assert _areas(station) == moved
    assert _areas(rep) == moved
    assert not selectors.visible_stations(district_staff).filter(pk=station.pk).exists()
    assert selectors.visible_stations(other_district_staff).filter(pk=station.pk).exists()
    assert not selectors.visible_representatives(district_staff).filter(pk=rep.pk).exists()
    assert selectors.visible_representatives(other_district_staff).filter(pk=rep.pk).exists()


def test_rows_written_in_bulk_carry_their_regions_ancestors(world: World) -> None:
    """``bulk_create`` skips ``save``; the manager fills the columns itself, reading the
    regions not already on the rows in one query."""
    village = type(world.village).objects.get(pk=world.village.pk)  # not cached on the rows
    reps = Representative.objects.bulk_create(
        [
            Representative(name="甲", gender="male", region=world.village),
            Representative(name="乙", gender="male", region_id=village.pk),
            Representative(name="丙", gender="male", region=world.other_district),
        ]
    )
    (station,) = Station.objects.bulk_create([Station(name="新站", kind="station", region=village)])
    expected = [world.city.parent_id, world.city.pk, world.district.pk, world.town.pk]
    assert [_areas(rep) for rep in reps] == [
        expected,
        expected,
        [world.city.parent_id, world.city.pk, world.other_district.pk, None],
    ]
    assert _areas(station) == expected


def test_saving_other_columns_does_not_read_the_region(world: World) -> None:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    rep = Representative.objects.get(pk=RepresentativeFactory(region=world.village).pk)
    rep.public_token = "t" * 43
    with CaptureQueriesContext(connection) as queries:
        rep.save(update_fields=["public_token"])
    # The UPDATE and its history row; nothing reads the regions.
    assert not [q["sql"] for q in queries if 'FROM "congress_region"' in q["sql"]]
    assert len(queries) == 2
    assert _areas(rep) == [world.city.parent_id, world.city.pk, world.district.pk, world.town.pk]
