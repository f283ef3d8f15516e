"""Stories of a write that would move something out of the actor's jurisdiction
(docs/security.md, "Writes stay in the actor's jurisdiction").

陈静 works for 海州区. Whatever she names in a write (a region, a station, a
department, a congress, a representative) must lie in 海州区, or be one of the
bodies above it where the rule allows that. A place of 临江区 is answered like an
object that does not exist (404); a place she may see but the rule does not allow
(a grid as a station's site, the city's bureau for the district congress's
suggestion) is a 400 with a message. Either way nothing in the database changes,
and the same refusal comes from the service whichever interface called it.
"""

from __future__ import annotations

import datetime
import json
import uuid
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from congress.errors import OutOfJurisdiction, RuleViolation
from congress.models import (
    AuditAction,
    AuditEvent,
    Congress,
    Region,
    RegionLevel,
    Session,
    SessionKind,
    Term,
    User,
)
from livelihood_votes import services as vote_services
from representatives import services as rep_services
from representatives.models import (
    Activity,
    DutyShift,
    GridAssignment,
    Mandate,
    Representative,
    Station,
    StationMember,
    VoterDelegate,
)
from suggestions.citizen import services as issue_services
from suggestions.formal import services as suggestion_services
from suggestions.models.citizen import CitizenIssue, IssueCategory
from suggestions.models.formal import Suggestion, SuggestionStatus
from tests.conftest import World
from tests.factories import DepartmentFactory, RegionFactory, UserFactory
from tests.representatives.factories import RepresentativeFactory, id_number, seat, station_with
from tests.representatives.test_import_export import _row, _sheet


def api(user: User) -> Client:
    client = Client()
    client.force_login(user)
    return client


def send(client: Client, method: str, url: str, data: dict[str, Any]) -> Any:
    return client.generic(method, url, json.dumps(data), content_type="application/json")


@pytest.fixture
def linjiang_town(world: World) -> Region:
    return RegionFactory(name="临江街道", level=RegionLevel.TOWNSHIP, parent=world.other_district)


@pytest.fixture
def liu(world: World) -> Representative:
    rep = RepresentativeFactory(name="刘红", region=world.village)
    seat(rep, world.district)
    return rep


@pytest.fixture
def wu(world: World) -> Representative:
    rep = RepresentativeFactory(name="吴明", region=world.other_district)
    seat(rep, world.other_district)
    return rep


# --- the registry and the stations, through the API -------------------------------------


def test_a_station_cannot_be_moved_into_another_district(
    world: World, district_staff: User, liu: Representative, linjiang_town: Region
) -> None:
    station = station_with(world.town, [liu])
    url = f"/api/v1/stations/{station.pk}/"

    response = send(api(district_staff), "PATCH", url, {"region": linjiang_town.pk})

    assert response.status_code == 404
    assert Station.objects.get(pk=station.pk).region == world.town


def test_a_grid_is_no_place_for_a_station(
    world: World, district_staff: User, liu: Representative
) -> None:
    station = station_with(world.town, [liu])

    response = send(
        api(district_staff), "PATCH", f"/api/v1/stations/{station.pk}/", {"region": world.grid.pk}
    )

    assert response.status_code == 400
    assert "站点须设在村（社区）或以上的行政区划" in response.json()["message"]
    assert Station.objects.get(pk=station.pk).region == world.town


def test_a_station_is_not_created_in_another_district(
    district_staff: User, linjiang_town: Region
) -> None:
    response = send(
        api(district_staff),
        "POST",
        "/api/v1/stations/",
        {"name": "临江街道代表联络站", "kind": "station", "region": linjiang_town.pk},
    )

    assert response.status_code == 404
    assert not Station.objects.exists()


def test_a_voter_delegate_cannot_be_moved_into_another_district(
    world: World, district_staff: User, linjiang_town: Region
) -> None:
    delegate = VoterDelegate.objects.create(
        name="周平", gender="male", kind="subdistrict", region=world.town, starts_on="2026-01-01"
    )

    response = send(
        api(district_staff),
        "PATCH",
        f"/api/v1/voter-delegates/{delegate.pk}/",
        {"region": linjiang_town.pk},
    )

    assert response.status_code == 404
    assert VoterDelegate.objects.get(pk=delegate.pk).region == world.town


def test_a_voter_delegate_made_through_the_api_is_audited_like_one_made_on_the_page(
    world: World, district_staff: User
) -> None:
    response = send(
        api(district_staff),
        "POST",
        "/api/v1/voter-delegates/",
        {
            "name": "周平",
            "gender": "male",
            "kind": "subdistrict",
            "region": world.town.pk,
            "starts_on": "2026-01-01",
        },
    )

    assert response.status_code == 201
    delegate = VoterDelegate.objects.get()
    assert AuditEvent.objects.filter(
        action=AuditAction.ADMIN_ADD, actor=district_staff, object_id=str(delegate.pk)
    ).exists()


def test_a_voter_delegate_sits_in_a_township_or_village(world: World, district_staff: User) -> None:
    response = send(
        api(district_staff),
        "POST",
        "/api/v1/voter-delegates/",
        {
            "name": "周平",
            "gender": "male",
            "kind": "subdistrict",
            "region": world.district.pk,
            "starts_on": "2026-01-01",
        },
    )

    assert response.status_code == 400
    assert "议政代表须登记在乡镇（街道）或村（社区）" in response.json()["message"]
    assert not VoterDelegate.objects.exists()


def test_a_representative_cannot_be_moved_into_another_district(
    district_staff: User, liu: Representative, linjiang_town: Region, world: World
) -> None:
    response = send(
        api(district_staff),
        "PATCH",
        f"/api/v1/representatives/{liu.pk}/",
        {"region": linjiang_town.pk},
    )

    assert response.status_code == 404
    assert Representative.objects.get(pk=liu.pk).region == world.village


def test_another_districts_representative_cannot_be_stationed_here(
    world: World, district_staff: User, liu: Representative, wu: Representative
) -> None:
    station = station_with(world.town, [liu])

    response = send(
        api(district_staff),
        "POST",
        "/api/v1/station-members/",
        {"station": station.pk, "representative": wu.pk},
    )

    assert response.status_code == 404
    assert not StationMember.objects.filter(representative=wu).exists()


def test_no_duty_is_scheduled_at_another_districts_station(
    district_staff: User, wu: Representative, world: World
) -> None:
    station = station_with(world.other_district, [wu])

    response = send(
        api(district_staff),
        "POST",
        "/api/v1/duty-shifts/",
        {
            "station": station.pk,
            "representative": wu.pk,
            "date": str(timezone.localdate() + datetime.timedelta(days=7)),
            "start_time": "09:00",
            "end_time": "11:30",
        },
    )

    assert response.status_code == 404
    assert not DutyShift.objects.exists()


def test_no_grid_of_another_district_is_given_as_a_responsibility(
    district_staff: User, liu: Representative, world: World
) -> None:
    grid = RegionFactory(name="临江第1网格", level=RegionLevel.GRID, parent=world.other_district)

    response = send(
        api(district_staff),
        "POST",
        "/api/v1/grid-assignments/",
        {"representative": liu.pk, "grid": grid.pk},
    )

    assert response.status_code == 404
    assert not GridAssignment.objects.exists()


def test_no_activity_is_organised_in_another_district(district_staff: User, world: World) -> None:
    response = send(
        api(district_staff),
        "POST",
        "/api/v1/activities/",
        {
            "title": "集中视察",
            "kind": "inspection",
            "region": world.other_district.pk,
            "starts_at": (timezone.now() + datetime.timedelta(days=3)).isoformat(),
        },
    )

    assert response.status_code == 404
    assert not Activity.objects.exists()


def test_no_seat_is_recorded_for_another_districts_representative(
    district_staff: User, wu: Representative, world: World
) -> None:
    term = Term.objects.get(congress__region=world.district)

    response = send(
        api(district_staff),
        "POST",
        "/api/v1/mandates/",
        {"representative": wu.pk, "level": "county", "term": term.pk, "starts_on": "2026-01-01"},
    )

    assert response.status_code == 404
    assert list(Mandate.objects.filter(representative=wu).values_list("level", flat=True)) == [
        "county"
    ]


def test_a_sheet_does_not_take_over_another_districts_representative(
    district_staff: User, world: World
) -> None:
    number = id_number(area="990103")
    elsewhere = RepresentativeFactory(name="吴明", region=world.other_district, id_number=number)

    result = rep_services.representatives_import(
        file=_sheet([_row(id_number=number, name="吴明")]), by=district_staff
    )

    assert [(error.row, error.column) for error in result.errors] == [(2, "身份证号")]
    assert Representative.objects.get(pk=elsewhere.pk).region == world.other_district


# --- the same refusal from the pages ----------------------------------------------------------


def test_the_station_page_refuses_another_districts_township_and_saves_nothing(
    world: World, district_staff: User, liu: Representative, linjiang_town: Region
) -> None:
    station = station_with(world.town, [liu])

    response = api(district_staff).post(
        reverse("station_edit", args=[station.pk]),
        {"name": station.name, "kind": station.kind, "region": linjiang_town.pk},
    )

    # The page offers only 海州区's places: the choice is refused as not on the list, a
    # 400 with the form shown again (docs/architecture.md, "A page's POST").
    assert response.status_code == 400
    assert response.context["form"].errors["region"]
    assert Station.objects.get(pk=station.pk).region == world.town


# --- the services themselves, whoever calls them --------------------------------------------


def test_the_service_refuses_whichever_interface_calls_it(
    world: World, district_staff: User, liu: Representative, linjiang_town: Region
) -> None:
    station = station_with(world.town, [liu])

    with pytest.raises(OutOfJurisdiction):
        rep_services.station_update(station=station, region=linjiang_town, by=district_staff)
    with pytest.raises(OutOfJurisdiction):
        rep_services.representative_create(
            name="新代表", gender="male", region=linjiang_town, by=district_staff
        )

    assert Station.objects.get(pk=station.pk).region == world.town
    assert not Representative.objects.filter(name="新代表").exists()


@pytest.fixture
def liqiang(other_district_staff: User) -> User:
    return other_district_staff


def test_the_old_place_counts_as_much_as_the_new(
    world: World, liqiang: User, liu: Representative, linjiang_town: Region
) -> None:
    station = station_with(world.town, [liu])

    with pytest.raises(OutOfJurisdiction):
        rep_services.station_update(station=station, region=linjiang_town, by=liqiang)

    assert Station.objects.get(pk=station.pk).region == world.town


def test_a_livelihood_vote_is_held_only_for_a_congress_of_ones_own(
    world: World, district_staff: User
) -> None:
    linjiang = Congress.objects.get(region=world.other_district)

    with pytest.raises(OutOfJurisdiction):
        vote_services.vote_create(
            congress=linjiang,
            title="2027年临江区民生实事项目",
            year=2027,
            seats=10,
            by=district_staff,
        )


# --- citizen problems -----------------------------------------------------------------------


@pytest.fixture
def issue(world: World, liu: Representative) -> CitizenIssue:
    category = IssueCategory.objects.order_by("pk").first()
    assert category is not None
    created, _new = issue_services.citizen_issue_submit(
        submission=issue_services.Submission(
            category=category,
            description="幸福路路口有个大坑，电动车经过很危险",
            region=world.village,
            station=None,
            mobile="13812345678",
            citizen_name="张建国",
            consent=True,
        ),
        idempotency_key="6f1c9a7e-31b8-4a57-9a3c-5d2f3e1b7c40",
    )
    return created


def test_a_problem_is_not_given_to_another_districts_representative(
    issue: CitizenIssue, district_staff: User, wu: Representative
) -> None:
    version = CitizenIssue.objects.get(pk=issue.pk).version

    with pytest.raises(OutOfJurisdiction):
        issue_services.citizen_issue_accept(issue=issue, representative=wu, by=district_staff)

    stored = CitizenIssue.objects.get(pk=issue.pk)
    assert (stored.version, stored.handler_id) == (version, None)


def test_a_problem_goes_to_a_department_of_its_place_or_above(
    issue: CitizenIssue, district_staff: User, liu: Representative, world: World
) -> None:
    issue_services.citizen_issue_accept(issue=issue, representative=liu, by=district_staff)
    issue.refresh_from_db()
    version = issue.version
    other_town = RegionFactory(name="海州街道", level=RegionLevel.TOWNSHIP, parent=world.district)
    beside = DepartmentFactory(name="海州街道办事处", region=other_town)

    with pytest.raises(OutOfJurisdiction):
        issue_services.citizen_issue_forward(
            issue=issue, department=world.other_department, by=district_staff
        )
    with pytest.raises(RuleViolation, match="只能交办问题所在地区或上级地区的承办单位"):
        issue_services.citizen_issue_forward(issue=issue, department=beside, by=district_staff)

    assert CitizenIssue.objects.get(pk=issue.pk).version == version
    issue_services.citizen_issue_forward(
        issue=issue, department=world.city_department, by=district_staff
    )


# --- representatives' suggestions -----------------------------------------------------------


@pytest.fixture
def district_suggestion(
    world: World, district_staff: User, representative_user: User
) -> Suggestion:
    term = Term.objects.get(congress__region=world.district)
    today = timezone.localdate()
    session = Session.objects.create(
        term=term,
        kind=SessionKind.PLENARY,
        number=3,
        opens_on=today - datetime.timedelta(days=2),
        closes_on=today + datetime.timedelta(days=2),
    )
    lead = RepresentativeFactory(name="刘红", region=world.village, user=representative_user)
    Mandate.objects.create(
        representative=lead, level=term.congress.level, term=term, starts_on=term.starts_on
    )
    suggestion = suggestion_services.suggestion_create(
        lead=lead,
        session=session,
        title="关于增开公交线路的建议",
        content="城区东部新建小区多，公交线路少，群众出行不便。",
        category="transport",
        by=representative_user,
    )
    suggestion_services.suggestion_submit(suggestion=suggestion, by=representative_user)
    suggestion_services.suggestion_review(
        suggestion=suggestion, decision="register", by=district_staff
    )
    suggestion.refresh_from_db()
    return suggestion


def test_a_suggestion_is_not_assigned_to_another_districts_department(
    district_suggestion: Suggestion, district_staff: User, world: World
) -> None:
    url = f"/api/v1/suggestions/{district_suggestion.pk}/actions/assign/"
    client = api(district_staff)

    elsewhere = send(client, "POST", url, {"lead_department": world.other_department.pk})
    above = send(client, "POST", url, {"lead_department": world.city_department.pk})

    assert elsewhere.status_code == 404
    assert above.status_code == 400
    assert "不是本级人大可以交办的承办单位" in above.json()["message"]
    stored = Suggestion.objects.get(pk=district_suggestion.pk)
    assert stored.status == SuggestionStatus.REGISTERED
    assert stored.lead_assignment_id is None
    assert send(client, "POST", url, {"lead_department": world.department.pk}).status_code == 200


def test_a_representative_asks_to_meet_a_body_of_their_own_region_or_above_only(
    world: World, liu: Representative, representative_user: User
) -> None:
    # The page offers only those bodies; the service checked neither the body nor
    # that the representative asks for themself.
    from suggestions.models.citizen import Appointment

    liu.user = representative_user
    liu.save()
    wu = RepresentativeFactory(name="吴明", region=world.other_district, user=UserFactory())

    def ask(department: Any, by: User) -> Any:
        return issue_services.appointment_request_department(
            idempotency_key=uuid.uuid4(),
            representative=liu,
            department=department,
            topic="村道硬化项目资金落实情况",
            preferred_date=timezone.localdate() + datetime.timedelta(days=7),
            by=by,
        )

    with pytest.raises(OutOfJurisdiction):
        ask(world.other_department, representative_user)  # 临江区's bureau
    with pytest.raises(OutOfJurisdiction):
        ask(world.department, wu.user)  # in another representative's name
    assert not Appointment.objects.exists()

    appointment, created = ask(world.city_department, representative_user)  # a body above
    assert created and appointment.department == world.city_department
