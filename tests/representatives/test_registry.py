"""The registry: one person, seats at several levels; staff see their district only."""

from __future__ import annotations

import datetime

import pytest
from django.test import Client

from congress.errors import InvalidTransition, RuleViolation
from congress.models import CaseEvent, CongressLevel, User
from representatives import services
from representatives.models import Mandate, MandateStatus, Representative
from representatives.selectors import visible_representatives
from tests.conftest import World, login
from tests.representatives.factories import RepresentativeFactory, national_seat, seat


def test_one_person_holds_seats_at_several_levels(
    world: World, representative: Representative
) -> None:
    seat(representative, world.city)
    national_seat(representative)
    levels = set(
        representative.mandates.filter(status=MandateStatus.ACTIVE).values_list("level", flat=True)
    )
    assert levels == {
        CongressLevel.NATIONAL,
        CongressLevel.CITY,
        CongressLevel.COUNTY,
        CongressLevel.TOWNSHIP,
    }


def test_a_second_live_seat_at_the_same_level_is_refused(
    world: World, representative: Representative, district_staff: User
) -> None:
    term = world.district.congress.current_term()
    with pytest.raises(RuleViolation):
        services.mandate_add(
            representative=representative,
            level=CongressLevel.COUNTY,
            term=term,
            starts_on=datetime.date(2023, 1, 1),
            by=district_staff,
        )


def test_the_level_must_match_the_congress_of_the_term(world: World, district_staff: User) -> None:
    rep = RepresentativeFactory(region=world.village)
    with pytest.raises(RuleViolation):
        services.mandate_add(
            representative=rep,
            level=CongressLevel.CITY,
            term=world.district.congress.current_term(),
            starts_on=datetime.date(2023, 1, 1),
            by=district_staff,
        )


def test_ending_a_mandate_is_a_transition_with_an_event(
    world: World, representative: Representative, district_staff: User
) -> None:
    mandate = representative.mandates.get(level=CongressLevel.TOWNSHIP)
    services.mandate_end(
        mandate=mandate,
        ends_on=datetime.date(2026, 1, 1),
        reason="调离本行政区域",
        terminate=True,
        by=district_staff,
    )
    mandate.refresh_from_db()
    assert mandate.status == MandateStatus.TERMINATED
    event = CaseEvent.objects.get(
        case_type="representatives.mandate", case_id=mandate.pk, action="terminate"
    )
    assert event.actor == district_staff and event.to_status == MandateStatus.TERMINATED
    with pytest.raises(InvalidTransition):
        services.mandate_end(
            mandate=mandate, ends_on=datetime.date(2026, 2, 1), reason="", by=district_staff
        )
    # A new seat at that level is possible again once the old one has ended.
    assert (
        Mandate.objects.filter(representative=representative, status=MandateStatus.ACTIVE).count()
        == 1
    )


def test_staff_see_their_district_and_below_only(
    world: World,
    representative: Representative,
    far_representative: Representative,
    district_staff: User,
    city_staff: User,
) -> None:
    assert list(visible_representatives(district_staff)) == [representative]
    assert set(visible_representatives(city_staff)) == {representative, far_representative}


def test_a_representative_sees_only_themself(
    world: World,
    representative: Representative,
    other_representative: Representative,
    representative_user: User,
) -> None:
    assert list(visible_representatives(representative_user)) == [representative]


def test_another_districts_representative_is_404(
    client: Client,
    world: World,
    representative: Representative,
    far_representative: Representative,
    district_staff: User,
) -> None:
    login(client, district_staff)
    assert client.get(f"/representatives/{representative.pk}/").status_code == 200
    assert client.get(f"/representatives/{far_representative.pk}/").status_code == 404
    assert client.get(f"/api/v1/representatives/{far_representative.pk}/").status_code == 404


def test_pages_never_show_the_full_id_number(
    client: Client, world: World, representative: Representative, district_staff: User
) -> None:
    login(client, district_staff)
    body = client.get(f"/representatives/{representative.pk}/").content.decode()
    assert representative.id_number not in body
    assert representative.masked_id_number in body
    api = client.get(f"/api/v1/representatives/{representative.pk}/").json()
    assert "id_number" not in api and api["id_number_masked"] == representative.masked_id_number


def test_staff_register_a_representative_and_give_them_a_login(
    client: Client, world: World, district_staff: User
) -> None:
    login(client, district_staff)
    response = client.post(
        "/representatives/new/",
        {
            "name": "周敏",
            "gender": "female",
            "ethnicity": "汉族",
            "party": "cpc",
            "sector": "farmer",
            "phone_policy": "station",
            "region": world.village.pk,
            "mobile": "13800000000",
        },
    )
    assert response.status_code == 302
    rep = Representative.objects.get(name="周敏")
    response = client.post(
        f"/representatives/{rep.pk}/mandates/new/",
        {
            "level": "county",
            "term": world.district.congress.current_term().pk,
            "starts_on": "2022-01-01",
        },
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    client.post(f"/representatives/{rep.pk}/login/", {"username": "zhoumin"})
    rep.refresh_from_db()
    assert rep.user is not None and rep.user.username == "zhoumin"


def test_the_api_lists_by_level_region_and_active(
    client: Client,
    world: World,
    representative: Representative,
    other_representative: Representative,
    far_representative: Representative,
    city_staff: User,
) -> None:
    login(client, city_staff)

    def names(query: str) -> set[str]:
        return {
            row["name"] for row in client.get(f"/api/v1/representatives/?{query}").json()["results"]
        }

    assert names("level=township") == {"刘红"}
    assert names(f"region={world.other_district.pk}") == {"孙悦"}
    assert names("active=true") == {"刘红", "张伟", "孙悦"}
    other_representative.mandates.update(status=MandateStatus.ENDED)
    assert names("active=false") == {"张伟"}


def test_voter_delegates_are_kept_apart_from_representatives(
    client: Client, world: World, district_staff: User, other_district_staff: User
) -> None:
    """街道议政代表 take part in the 议政会 but hold no seat."""
    login(client, district_staff)
    response = client.post(
        "/voter-delegates/new/",
        {
            "name": "钱芳",
            "gender": "female",
            "kind": "subdistrict",
            "region": world.town.pk,
            "starts_on": "2022-01-10",
            "is_active": "on",
        },
    )
    assert response.status_code == 302
    assert "钱芳" in client.get("/voter-delegates/").content.decode()
    assert not Representative.objects.filter(name="钱芳").exists()
    login(client, other_district_staff)
    assert "钱芳" not in client.get("/voter-delegates/").content.decode()
    assert client.get("/api/v1/voter-delegates/").json()["count"] == 0


def test_the_list_and_ranking_query_counts_do_not_grow(
    client: Client, world: World, city_staff: User
) -> None:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    def add(count: int) -> None:
        for _n in range(count):
            rep = RepresentativeFactory(region=world.village)
            seat(rep, world.district)
            seat(rep, world.town)

    def queries(url: str) -> int:
        with CaptureQueriesContext(connection) as captured:
            assert client.get(url).status_code == 200
        return len(captured)

    login(client, city_staff)
    add(5)
    few = (queries("/representatives/"), queries("/points/"))
    add(25)
    assert (queries("/representatives/"), queries("/points/")) == few
