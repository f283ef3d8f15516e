"""Staff see their region and below; handlers their own department; outside is a 404."""

from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from congress.models import User
from congress.scoping import visible_departments, visible_regions
from tests.conftest import World, login


def test_district_staff_see_their_district_and_below(world: World, district_staff: User) -> None:
    names = set(visible_regions(district_staff).values_list("name", flat=True))
    assert names == {"海州区", "新浦街道", "桃园社区", "桃园社区第1网格"}


def test_city_staff_see_both_districts(world: World, city_staff: User) -> None:
    assert visible_regions(city_staff).filter(pk=world.other_district.pk).exists()
    assert visible_departments(city_staff).filter(pk=world.other_department.pk).exists()


def test_clerk_sees_only_their_department(world: World, clerk: User) -> None:
    assert list(visible_departments(clerk)) == [world.department]


def test_a_user_without_roles_sees_nothing(world: World, representative_user: User) -> None:
    assert not visible_regions(representative_user).exists()
    assert not visible_departments(representative_user).exists()


def test_other_district_is_404_in_the_pages(
    client: Client, world: World, district_staff: User
) -> None:
    login(client, district_staff)
    assert client.get(f"/regions/{world.district.pk}/").status_code == 200
    assert client.get(f"/regions/{world.other_district.pk}/").status_code == 404
    assert client.get(f"/departments/{world.department.pk}/").status_code == 200
    assert client.get(f"/departments/{world.other_department.pk}/").status_code == 404


def test_other_district_is_404_in_the_api(
    client: Client, world: World, district_staff: User
) -> None:
    login(client, district_staff)
    assert client.get(f"/api/v1/regions/{world.district.pk}/").status_code == 200
    response = client.get(f"/api/v1/regions/{world.other_district.pk}/")
    assert response.status_code == 404
    assert response.json()["code"] == "not_found"
    assert client.get(f"/api/v1/departments/{world.other_department.pk}/").status_code == 404
    listed = {row["name"] for row in client.get("/api/v1/departments/").json()["results"]}
    assert "临江区住房和城乡建设局" not in listed and "海州区交通运输局" in listed


def test_other_department_is_404_for_a_clerk(client: Client, world: World, clerk: User) -> None:
    login(client, clerk)
    assert client.get(f"/departments/{world.department.pk}/").status_code == 200
    assert client.get(f"/departments/{world.other_department.pk}/").status_code == 404
    assert client.get(f"/api/v1/departments/{world.other_department.pk}/").status_code == 404


def test_region_list_query_count_does_not_grow(
    client: Client, world: World, city_staff: User
) -> None:
    login(client, city_staff)
    client.get("/regions/")  # warm the session
    with CaptureQueriesContext(connection) as few:
        assert client.get("/regions/").status_code == 200
    for n in range(30):
        world.town.children.create(name=f"新村{n}", level="village")
    with CaptureQueriesContext(connection) as many:
        assert client.get("/regions/").status_code == 200
    assert len(many) == len(few)
