"""Edit history of the registry: who changed what, from which value to which.

District staff (陈静) corrects a representative's mobile number on the edit page.
The history keeps the change, masked, with her name and address; an auditor
(district staff holding the audit permission, 孙梅) reads it on the
representative's page and on the audit page; staff without the permission and
department clerks do not; nobody finds the numbers in clear anywhere in the
history tables. A change made without a page request (a script with an API
token, a Celery task or the shell calling a service) names its author too. Old
history goes with the retention job.
"""

from __future__ import annotations

import datetime

import pytest
from django.contrib.auth.models import Permission
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from knox.models import AuthToken

from congress.models import HolidayOverride, Role, RoleGrant, User
from congress.retention import personal_data_anonymise_expired
from representatives import services
from representatives.models import Constituency, Mandate, Representative, Station, VoterDelegate
from tests.conftest import World, login
from tests.factories import UserFactory, grant
from tests.representatives.factories import (
    RepresentativeFactory,
    StationFactory,
    id_number,
    seat,
)
from tests.representatives.test_import_export import _row, _sheet

OLD_MOBILE, NEW_MOBILE = "13912345678", "13887654321"
ADDRESS = "新浦街道桃园路18号3单元501室"


@pytest.fixture
def auditor(world: World) -> User:
    user = grant(
        UserFactory(username="sunmei", display_name="孙梅"), Role.STAFF, region=world.district
    )
    user.user_permissions.add(Permission.objects.get(codename="view_auditevent"))
    return User.objects.get(pk=user.pk)  # a fresh object: no stale permission cache


@pytest.fixture
def representative(world: World) -> Representative:
    rep = RepresentativeFactory(
        name="吴建华", region=world.village, mobile=OLD_MOBILE, id_number="32070219800101123X"
    )
    seat(rep, world.district)
    return rep


def _edit_form(rep: Representative, **changes: str) -> dict[str, object]:
    form: dict[str, object] = {
        "name": rep.name,
        "gender": rep.gender,
        "ethnicity": rep.ethnicity,
        "party": rep.party,
        "sector": rep.sector,
        "phone_policy": rep.phone_policy,
        "region": rep.region_id,
        "mobile": rep.mobile,
    }
    form.update(changes)
    return form


def _change_mobile(client: Client, rep: Representative) -> None:
    response = client.post(
        f"/representatives/{rep.pk}/edit/",
        _edit_form(rep, mobile=NEW_MOBILE),
        REMOTE_ADDR="198.51.100.7",
    )
    assert response.status_code == 302, response.content.decode()[:1500]


def test_changing_a_mobile_writes_a_masked_history_row_with_the_actor_and_address(
    client: Client, district_staff: User, representative: Representative
) -> None:
    login(client, district_staff)
    _change_mobile(client, representative)

    representative.refresh_from_db()
    assert representative.mobile == NEW_MOBILE  # the record itself keeps the real number
    latest = Representative.history.filter(id=representative.pk).latest("history_id")
    assert latest.history_type == "~"
    assert latest.history_user == district_staff
    assert latest.history_ip == "198.51.100.7"
    assert latest.mobile == "138****4321"
    assert latest.id_number == "320***********123X"
    assert latest.history_masked_changes == ["mobile"]
    previous = latest.prev_record
    assert previous is not None and previous.mobile == "139****5678"


def test_an_api_edit_with_a_token_names_its_author(
    district_staff: User, representative: Representative
) -> None:
    # A token is no session: the history middleware sees an anonymous request, and
    # only the service knows who acted.
    _row, token = AuthToken.objects.create(user=district_staff)
    response = Client().patch(
        f"/api/v1/representatives/{representative.pk}/",
        data={"mobile": NEW_MOBILE},
        content_type="application/json",
        HTTP_AUTHORIZATION=f"Token {token}",
    )
    assert response.status_code == 200, response.content.decode()[:500]

    latest = Representative.history.filter(id=representative.pk).latest("history_id")
    assert latest.history_type == "~" and latest.mobile == "138****4321"
    assert latest.history_user == district_staff


def test_a_service_called_outside_a_request_names_its_author(
    district_staff: User, city_staff: User, world: World, representative: Representative
) -> None:
    # A nightly import or a shell session: no request at all.
    station = StationFactory(region=world.town)
    services.station_update(station=station, by=district_staff, name="新浦街道代表之家")
    services.representative_update(
        representative=representative, by=city_staff, occupation="种粮大户"
    )

    assert Station.history.filter(id=station.pk).latest("history_id").history_user == district_staff
    updated = Representative.history.filter(id=representative.pk).latest("history_id")
    assert updated.occupation == "种粮大户" and updated.history_user == city_staff
    # Nothing of the service's author lingers for the next save in the same thread.
    station.save()
    assert Station.history.filter(id=station.pk).latest("history_id").history_user is None


def test_no_history_table_holds_a_personal_field_in_clear(
    client: Client, district_staff: User, representative: Representative, world: World
) -> None:
    login(client, district_staff)
    _change_mobile(client, representative)
    station = StationFactory(region=world.village, address=ADDRESS, phone="13700001111")
    services.station_update(station=station, by=district_staff, address="桃园路20号")
    secrets = [OLD_MOBILE, NEW_MOBILE, "32070219800101123X", ADDRESS, "桃园路20号", "13700001111"]
    with connection.cursor() as cursor:
        for table in connection.introspection.table_names():
            if "historical" not in table:
                continue
            cursor.execute(f"SELECT * FROM {table}")  # noqa: S608 - names from the schema
            dump = repr(cursor.fetchall())
            for secret in secrets:
                assert secret not in dump, f"{secret} in clear in {table}"
    assert (
        Station.history.filter(id=station.pk).latest("history_id").address == "桃园****"
    )  # a third of it, at most six characters


def test_an_auditor_reads_the_change_on_the_page_and_staff_without_the_permission_do_not(
    client: Client, district_staff: User, auditor: User, representative: Representative
) -> None:
    login(client, district_staff)
    _change_mobile(client, representative)
    url = f"/representatives/{representative.pk}/"

    page = client.get(url).content.decode()
    assert 'data-testid="edit-history"' not in page and "139****5678" not in page

    login(client, auditor)
    section = client.get(url).content.decode().split('data-testid="edit-history"')[1]
    assert "手机号" in section and "139****5678" in section and "138****4321" in section
    assert '<span data-testid="history-actor">陈静</span>' in section and "198.51.100.7" in section
    assert NEW_MOBILE not in section and OLD_MOBILE not in section


def test_an_admin_edit_of_a_department_is_read_by_auditors_not_by_its_clerk(
    client: Client, clerk: User, administrator: User, world: World
) -> None:
    department = world.department
    login(client, administrator)
    response = client.post(
        f"/admin/congress/department/{department.pk}/change/",
        {
            "name": department.name,
            "short_name": "区交通局",
            "kind": department.kind,
            "region": department.region_id,
            "parent": department.parent_id or "",
            "is_active": "on",
        },
    )
    assert response.status_code == 302, response.content.decode()[:1500]
    url = f"/departments/{department.pk}/"

    section = client.get(url).content.decode().split('data-testid="edit-history"')[1]
    assert "简称" in section and "区交通局" in section
    assert '<span data-testid="history-actor">管理员</span>' in section

    login(client, clerk)
    page = client.get(url)
    assert page.status_code == 200 and 'data-testid="edit-history"' not in page.content.decode()


def test_the_audit_page_lists_changes_of_the_auditors_own_district_only(
    client: Client,
    district_staff: User,
    other_district_staff: User,
    auditor: User,
    representative: Representative,
    world: World,
) -> None:
    theirs = RepresentativeFactory(name="郑丽", region=world.other_district)
    services.representative_update(
        representative=theirs, by=other_district_staff, workplace="临江区医院"
    )
    login(client, district_staff)
    _change_mobile(client, representative)
    assert client.get("/audit/history/").status_code == 404

    login(client, auditor)
    page = client.get("/audit/history/?kind=representatives.representative").content.decode()
    assert "吴建华" in page and "138****4321" in page
    assert "郑丽" not in page and "临江区医院" not in page
    filtered = client.get("/audit/history/?kind=representatives.representative&username=nobody")
    assert "吴建华" not in filtered.content.decode()


def test_grants_point_rules_and_holidays_are_tracked_too(
    client: Client, administrator: User, auditor: User, world: World
) -> None:
    login(client, administrator)
    newcomer = UserFactory(username="hewei")
    client.post(
        "/admin/congress/holidayoverride/add/",
        {"date": "2031-10-08", "is_workday": "on", "note": "调休上班"},
    )
    holiday = HolidayOverride.objects.get(date=datetime.date(2031, 10, 8))
    row = HolidayOverride.history.get(id=holiday.pk)
    assert row.history_user == administrator and row.history_type == "+"
    RoleGrant.objects.create(user=newcomer, role=Role.STAFF, region=world.town)
    assert RoleGrant.history.filter(user=newcomer).count() == 1

    login(client, auditor)
    page = client.get("/audit/history/?kind=congress.holidayoverride").content.decode()
    assert "2031-10-08" in page and "调休上班" in page
    grants = client.get("/audit/history/?kind=congress.rolegrant").content.decode()
    assert newcomer.display_name in grants and "人大工作人员" in grants and "新浦街道" in grants


def test_the_audit_history_page_costs_the_same_for_many_rows(
    client: Client, administrator: User, world: World
) -> None:
    def add(count: int) -> None:
        for n in range(count):
            rep = RepresentativeFactory(region=world.village)
            services.representative_update(
                representative=rep, by=administrator, workplace=f"单位{n}"
            )

    def queries() -> int:
        with CaptureQueriesContext(connection) as captured:
            assert (
                client.get("/audit/history/?kind=representatives.representative").status_code == 200
            )
        return len(captured)

    login(client, administrator)
    add(3)
    few = queries()
    add(20)
    assert queries() == few


def test_history_older_than_the_retention_period_is_deleted_by_the_retention_job(
    district_staff: User, representative: Representative
) -> None:
    services.representative_update(
        representative=representative, by=district_staff, workplace="海州区人民医院"
    )
    rows = Representative.history.filter(id=representative.pk)
    assert rows.count() == 2
    later = timezone.now() + datetime.timedelta(days=3 * 365 + 1)
    result = personal_data_anonymise_expired(now=later)
    assert result.counts["history representatives.representative"] == 2
    assert not rows.exists()
    assert Representative.objects.filter(pk=representative.pk).exists()


def test_a_spreadsheet_that_moves_a_seat_to_another_constituency_is_in_its_history(
    world: World, district_staff: User
) -> None:
    # The import updated an existing seat with a queryset update(), which writes no
    # historical row: the sheet's change had no history and no author.
    first = Constituency.objects.create(congress=world.district.congress, name="新浦第1选区")
    second = Constituency.objects.create(congress=world.district.congress, name="新浦第2选区")
    number = id_number()
    for constituency in ("新浦第1选区", "新浦第2选区"):
        result = services.representatives_import(
            file=_sheet([_row(id_number=number, constituency=constituency)]), by=district_staff
        )
        assert result.ok, result.errors

    mandate = Mandate.objects.get()
    assert mandate.constituency == second
    rows = list(Mandate.history.filter(id=mandate.pk).order_by("history_id"))
    assert [row.history_type for row in rows] == ["+", "~"]
    assert rows[0].constituency_id == first.pk and rows[1].constituency_id == second.pk
    assert rows[1].history_user == district_staff


def test_ending_a_seat_on_the_page_is_in_its_history_with_the_actor_and_address(
    client: Client, district_staff: User, representative: Representative
) -> None:
    # A status change is a compare-and-set update() (congress.workflow), which
    # sends no post_save: the seat's end had no historical row.
    mandate = Mandate.objects.get(representative=representative)
    login(client, district_staff)
    response = client.post(
        f"/mandates/{mandate.pk}/end/",
        {"ends_on": "2026-06-30", "reason": "调离本行政区域", "terminate": "on"},
        REMOTE_ADDR="198.51.100.7",
    )
    assert response.status_code == 302, response.content.decode()[:1500]

    latest = Mandate.history.filter(id=mandate.pk).latest("history_id")
    assert latest.history_type == "~"
    assert (latest.status, latest.ends_on, latest.end_reason) == (
        "terminated",
        datetime.date(2026, 6, 30),
        "调离本行政区域",
    )
    assert latest.history_user == district_staff and latest.history_ip == "198.51.100.7"
    assert latest.prev_record is not None and latest.prev_record.status == "active"


def test_an_auditor_finds_a_seats_and_a_voter_delegates_history_from_their_pages(
    client: Client,
    district_staff: User,
    auditor: User,
    representative: Representative,
    world: World,
) -> None:
    # A seat is shown inside its representative's page and a voter delegate in a list:
    # neither has a 修改记录 section of its own, so the auditor is linked to the audit page.
    mandate = Mandate.objects.get(representative=representative)
    services.mandate_end(mandate=mandate, ends_on=datetime.date(2026, 6, 30), reason="", by=None)
    delegate = services.voter_delegate_save(
        delegate=VoterDelegate(
            name="周平",
            gender="male",
            kind="subdistrict",
            region=world.town,
            starts_on="2026-01-01",
        ),
        by=district_staff,
    )
    seat_link = f"/audit/history/?kind=representatives.mandate&amp;object_id={mandate.pk}"
    delegate_link = (
        f"/audit/history/?kind=representatives.voterdelegate&amp;object_id={delegate.pk}"
    )

    login(client, district_staff)  # staff without the audit permission: no link
    assert (
        'data-testid="mandate-history"'
        not in client.get(f"/representatives/{representative.pk}/").content.decode()
    )
    assert 'data-testid="delegate-history"' not in client.get("/voter-delegates/").content.decode()

    login(client, auditor)
    assert seat_link in client.get(f"/representatives/{representative.pk}/").content.decode()
    assert delegate_link in client.get("/voter-delegates/").content.decode()
    history = client.get(seat_link.replace("&amp;", "&")).content.decode()
    assert "任期届满" in history and "2026-06-30" in history
    assert "周平" in client.get(delegate_link.replace("&amp;", "&")).content.decode()
