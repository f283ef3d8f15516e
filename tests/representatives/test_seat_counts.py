"""The dashboard's seats summary (issue 16; representatives/seat_counts.py): the
services that add and end seats and move representatives keep ``SeatCount`` equal to
a plain count, ``seat_counts_rebuild --check`` finds a row that drifted (seats written
past the services) and the rebuild repairs it; the 代表工作 panel reads the summary,
so its queries are the same for 3 representatives as for 30.

The fixture, counted by hand: in 海州区, 王一 (registered in 桃园社区, a village of
新浦街道) holds a county and a township seat, 王二 (registered in 海州区 itself) a
county seat; in 临江区, 王三 a county seat. So 海州区 has 3 seats (county 2,
township 1) held by 2 people, 新浦街道 1 seat and 1 person, the city 4 seats and 3
people.
"""

from __future__ import annotations

import datetime
import io
from dataclasses import dataclass

import pytest
from django.core.management import CommandError, call_command
from django.db import connection
from django.test import Client, RequestFactory
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from congress.dashboard import Period, Scope
from congress.models import CongressLevel, Role, User
from representatives import services
from representatives.dashboard import representatives_panel
from representatives.models import Mandate, Representative, SeatCount
from representatives.seat_counts import (
    count_area_id,
    seat_counts_differences,
    seat_counts_rebuild,
    seat_figures,
    serving_differences,
    serving_in_scope,
)
from representatives.views import staff_card
from tests.conftest import World
from tests.factories import UserFactory, grant
from tests.representatives.factories import RepresentativeFactory, seat

START = datetime.date(2022, 1, 1)


@dataclass
class Seats:
    wang1: Representative
    wang2: Representative
    wang3: Representative
    wang1_township: Mandate


def _add(rep: Representative, region_congress: object, by: User) -> Mandate:
    congress = region_congress.congress  # type: ignore[attr-defined]
    return services.mandate_add(
        representative=rep,
        level=congress.level,
        term=congress.current_term(),
        starts_on=START,
        by=by,
    )


@pytest.fixture
def seats(world: World, district_staff: User, city_staff: User) -> Seats:
    wang1 = services.representative_create(by=district_staff, **_person("王一", world.village))
    wang2 = services.representative_create(by=district_staff, **_person("王二", world.district))
    wang3 = services.representative_create(by=city_staff, **_person("王三", world.other_district))
    _add(wang1, world.district, district_staff)
    township = _add(wang1, world.town, district_staff)
    _add(wang2, world.district, district_staff)
    _add(wang3, world.other_district, city_staff)
    return Seats(wang1, wang2, wang3, township)


def _person(name: str, region: object) -> dict[str, object]:
    built = RepresentativeFactory.build(name=name, region=region)
    return {
        "name": built.name,
        "gender": built.gender,
        "region": region,
        "mobile": built.mobile,
        "id_number": built.id_number,
    }


def _figures(region: object) -> dict[str, int]:
    found = seat_figures(region)  # type: ignore[arg-type]
    return {name: value for name, value in found.items() if value}


def test_the_areas_are_the_township_or_the_shallower_region_itself(world: World) -> None:
    assert count_area_id(world.grid) == world.town.pk
    assert count_area_id(world.village) == world.town.pk
    assert count_area_id(world.town) == world.town.pk
    assert count_area_id(world.district) == world.district.pk
    assert count_area_id(world.city) == world.city.pk


def test_the_services_keep_the_summary_equal_to_a_hand_count(world: World, seats: Seats) -> None:
    assert _figures(world.district) == {"county": 2, "township": 1, "people": 2}
    assert _figures(world.town) == {"county": 1, "township": 1, "people": 1}
    assert _figures(world.other_district) == {"county": 1, "people": 1}
    assert _figures(world.city) == {"county": 3, "township": 1, "people": 3}
    assert seat_counts_differences() == {}


def _serving() -> set[str]:
    return set(Representative.objects.filter(serving=True).values_list("name", flat=True))


def test_the_services_mark_who_is_serving_on_the_row(
    world: World, seats: Seats, district_staff: User, city_staff: User
) -> None:
    # A person entered without a seat yet is not serving.
    wang4 = services.representative_create(by=district_staff, **_person("王四", world.town))
    assert _serving() == {"王一", "王二", "王三"}
    _add(wang4, world.town, district_staff)
    assert _serving() == {"王一", "王二", "王三", "王四"}
    # 王一 keeps his county seat when his township seat ends: still serving.
    services.mandate_end(
        mandate=seats.wang1_township,
        ends_on=datetime.date(2026, 1, 1),
        reason="",
        by=district_staff,
    )
    services.mandate_end(
        mandate=seats.wang3.mandates.get(),
        ends_on=datetime.date(2026, 1, 1),
        reason="代表资格终止",
        by=city_staff,
        terminate=True,
    )
    assert _serving() == {"王一", "王二", "王四"}
    assert serving_differences() == 0


def test_the_check_finds_a_serving_flag_set_past_the_services(world: World, seats: Seats) -> None:
    Representative.objects.filter(pk=seats.wang3.pk).update(serving=False)
    out = io.StringIO()
    with pytest.raises(CommandError, match="0 seat summary rows and 1 serving flags differ"):
        call_command("seat_counts_rebuild", check=True, stdout=out)
    assert "1 representatives' serving flag is wrong" in out.getvalue()
    call_command("seat_counts_rebuild", stdout=io.StringIO())
    assert _serving() == {"王一", "王二", "王三"}


def test_ending_and_terminating_seats_take_them_off(
    world: World, seats: Seats, district_staff: User, city_staff: User
) -> None:
    services.mandate_end(
        mandate=seats.wang1_township,
        ends_on=datetime.date(2026, 1, 1),
        reason="",
        by=district_staff,
    )
    assert _figures(world.district) == {"county": 2, "people": 2}
    assert _figures(world.town) == {"county": 1, "people": 1}
    only = seats.wang3.mandates.get()
    services.mandate_end(
        mandate=only,
        ends_on=datetime.date(2026, 1, 1),
        reason="代表资格终止",
        by=city_staff,
        terminate=True,
    )
    # 临江区 has no serving representative left: its row is gone, not a row of zeros.
    assert _figures(world.other_district) == {}
    assert not SeatCount.objects.filter(area=world.other_district).exists()
    assert _figures(world.city) == {"county": 2, "people": 2}
    assert seat_counts_differences() == {}


def test_a_representative_moved_takes_the_seats_along(
    world: World, seats: Seats, city_staff: User
) -> None:
    services.representative_update(
        representative=seats.wang1, by=city_staff, region=world.other_district
    )
    assert _figures(world.town) == {}
    assert _figures(world.district) == {"county": 1, "people": 1}
    assert _figures(world.other_district) == {"county": 2, "township": 1, "people": 2}
    assert _figures(world.city) == {"county": 3, "township": 1, "people": 3}
    assert seat_counts_differences() == {}


def test_the_check_finds_seats_written_past_the_services_and_the_rebuild_repairs(
    world: World, seats: Seats
) -> None:
    call_command("seat_counts_rebuild", check=True, stdout=io.StringIO())
    # Seats written in bulk (an import script, the admin): the summary does not know.
    Mandate.objects.bulk_create(
        [Mandate(representative=seats.wang2, level=CongressLevel.NATIONAL, starts_on=START)]
    )
    out = io.StringIO()
    with pytest.raises(CommandError, match="1 seat summary rows and 0 serving flags differ"):
        call_command("seat_counts_rebuild", check=True, stdout=out)
    assert f"area {world.district.pk}: {{'national': (0, 1)}}" in out.getvalue()
    call_command("seat_counts_rebuild", stdout=io.StringIO())
    call_command("seat_counts_rebuild", check=True, stdout=io.StringIO())
    assert _figures(world.district) == {"national": 1, "county": 2, "township": 1, "people": 2}
    assert seat_counts_rebuild() == 3  # 新浦街道, 海州区 and 临江区


def test_the_panel_shows_the_summary_and_its_queries_do_not_grow(
    world: World, city_staff: User
) -> None:
    scope = Scope(
        user=city_staff,
        region=world.city,
        period=Period("this_month", START, START),
        children=[],
        today=START,
    )

    def seated(count: int) -> None:
        for _n in range(count):
            seat(RepresentativeFactory(region=world.village), world.town)

    def queries() -> tuple[int, dict[str, object]]:
        with CaptureQueriesContext(connection) as captured:
            panel = representatives_panel(scope)
        return len(captured), {figure.key: figure.value for figure in panel.figures}

    seated(3)
    queries()  # what a process reads once (the point rules' cache)
    few, figures = queries()
    assert (figures["representatives"], figures["seats"]) == (3, 3)
    seated(27)
    many, figures = queries()
    assert (figures["representatives"], figures["seats"]) == (30, 30)
    assert many == few


def test_seats_added_and_deleted_in_the_admin_are_counted(
    client: Client, world: World, seats: Seats, administrator: User
) -> None:
    client.force_login(administrator)
    added = client.post(
        reverse("admin:representatives_mandate_add"),
        {
            "representative": seats.wang2.pk,
            "level": CongressLevel.NATIONAL,
            "starts_on": "2023-03-05",
        },
    )
    assert added.status_code == 302, added.content.decode()[:2000]
    assert _figures(world.district) == {"national": 1, "county": 2, "township": 1, "people": 2}
    seat = seats.wang3.mandates.get()
    deleted = client.post(
        reverse("admin:representatives_mandate_delete", args=[seat.pk]), {"post": "yes"}
    )
    assert deleted.status_code == 302
    assert _figures(world.other_district) == {}
    assert seat_counts_differences() == {}


def test_the_staff_homes_serving_count_is_the_summarys_and_equals_a_plain_count(
    world: World,
    seats: Seats,
    city_staff: User,
    district_staff: User,
    other_district_staff: User,
    town_staff: User,
    administrator: User,
) -> None:
    """The home's card (代表 N) reads the summary: the city 3 people, 海州区 2, 临江区 1,
    新浦街道 1, everyone 3 for an administrator; a staff member of a village (below the
    summary's areas) is counted from the representatives instead, 王一 alone."""
    expected = {city_staff: 3, district_staff: 2, other_district_staff: 1, town_staff: 1}
    for user, people in expected.items():
        assert serving_in_scope(user) == people, user.username
    assert serving_in_scope(administrator) == 3
    village_staff = grant(UserFactory(username="taoyuan"), Role.STAFF, region=world.village)
    assert serving_in_scope(village_staff) is None
    request = RequestFactory().get("/")
    request.user = village_staff
    assert staff_card(request)["representatives"] == 1  # type: ignore[index]
