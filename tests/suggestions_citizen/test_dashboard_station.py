"""The citizens' panel by station and by department, and the league's 满意率
(docs/dashboard.md, "群众诉求" and "承办单位"; issue #16), on a fixed clock in
November 2026, through the real services.

Three stations: 桃园社区代表联络站 (S1, 桃园社区) and 新浦街道代表之家 (S2, 新浦街道) in
海州区, 临江区代表联络站 (S3) in 临江区; one problem without a station (P7, 海州区).
All submitted on Monday 2 November:

- P1 (S1): 交办 海州区交通运输局 on Mon 2; replied Tue 3, rated 不满意 (its step
  reopened at the department); replied again Wed 4, rated 满意: closed;
- P2 (S1): 交办 海州区交通运输局 on Mon 2; replied Tue 3, rated 基本满意: closed;
- P3 (S1): answered by the staff, rated 满意: closed (no department's answer);
- P4 (S2): 交办 江海市交通运输局 on Mon 2; replied Tue 3, rated 不满意: reopened
  at the department, not answered again;
- P5 (S2): accepted only;
- P6 (S3): answered by the staff, rated 满意: closed;
- P7 (no station): received only.

By hand, for 海州区 in November:

- 按家站点: S1 received 3, closed 3 → 办结率 100.0%; ratings P1 ×2, P2, P3 = 4, of
  them satisfied 3 → 满意率 75.0%. S2 received 2, closed 0 → 0.0%; one rating
  (P4 不满意) → 0.0%. S3 is 临江区's; P7 has no station.
- 按承办单位 (citizens' problems): 海州区交通运输局 answered P1 (its second answer,
  Wed 4: 2 working days) and P2 (Tue 3: 1 working day), both on time → 2, 100.0%,
  1.5 days; its answers were rated 3 times (P1 不满意, P1 满意, P2 基本满意) → 满意率
  66.7%. 江海市交通运输局: P4's answer was reopened, so nothing answered (—), one
  rating, 不满意 → 0.0%.
- The league (every case type): the same two departments and the same 满意率.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any
from unittest import mock
from zoneinfo import ZoneInfo

import pytest
from django.core.management import call_command
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from congress import loop
from congress.loop.handling import handling_counts_differences, handling_counts_rebuild
from congress.models import HandlingCount, Role, User
from representatives.models import Representative, Station, StationKind, StationMember
from suggestions.citizen import services
from suggestions.citizen.services.monthly import issue_station_counts_differences
from suggestions.citizen.workflow import ISSUE_CASE
from suggestions.models.citizen import CitizenIssue, IssueCategory, IssueRating
from suggestions.models.monthly import IssueStationMonthCount
from tests.conftest import World, login
from tests.factories import UserFactory, grant
from tests.suggestions_citizen.conftest import submit

SHANGHAI = ZoneInfo("Asia/Shanghai")
NOVEMBER = "period=months&from=2026-11&to=2026-11"


@contextmanager
def clock(day: int, hour: int = 10) -> Iterator[None]:
    moment = datetime.datetime(2026, 11, day, hour, tzinfo=SHANGHAI)
    with mock.patch("django.utils.timezone.now", return_value=moment):
        yield


@pytest.fixture
def stations(
    world: World,
    station: Station,
    representative: Representative,
    other_representative: Representative,
) -> list[Station]:
    s2 = Station.objects.create(name="新浦街道代表之家", kind=StationKind.HOME, region=world.town)
    StationMember.objects.create(station=s2, representative=representative, role="member")
    s3 = Station.objects.create(
        name="临江区代表联络站", kind=StationKind.STATION, region=world.other_district
    )
    StationMember.objects.create(station=s3, representative=other_representative, role="head")
    return [station, s2, s3]


@pytest.fixture
def city_clerk(world: World) -> User:
    return grant(
        UserFactory(username="qianjin", display_name="钱进"),
        Role.HANDLER,
        department=world.city_department,
    )


def _handed(issue: CitizenIssue, department: Any, staff: User, clerk: User) -> Any:
    services.citizen_issue_accept(issue=issue, by=staff)
    step = services.citizen_issue_forward(
        issue=issue, department=department, by=staff, note="请处理"
    )
    loop.assignment_accept(assignment=step, by=clerk)
    return step


def _answered(issue: CitizenIssue, step: Any, clerk: User, rep: User, text: str) -> None:
    step.refresh_from_db()
    services.citizen_issue_department_reply(issue=issue, assignment=step, by=clerk, reply=text)
    services.citizen_issue_report_back(issue=issue, by=rep, answer=text)


@pytest.fixture
def november(
    world: World,
    stations: list[Station],
    district_staff: User,
    city_staff: User,
    clerk: User,
    city_clerk: User,
    representative_user: User,
    categories: dict[str, IssueCategory],
) -> dict[str, CitizenIssue]:
    s1, s2, s3 = stations
    roads = categories["roads"]
    with clock(2, 9):
        p = {
            name: submit(station=where, category=roads, mobile=f"1390000000{n}")
            for n, (name, where) in enumerate(
                [("p1", s1), ("p2", s1), ("p3", s1), ("p4", s2), ("p5", s2), ("p6", s3)]
            )
        }
        p["p7"] = submit(region=world.district, category=roads, mobile="13900000009")
    with clock(2):
        step1 = _handed(p["p1"], world.department, district_staff, clerk)
        step2 = _handed(p["p2"], world.department, district_staff, clerk)
        step4 = _handed(p["p4"], world.city_department, district_staff, city_clerk)
        for issue in (p["p3"], p["p5"]):
            services.citizen_issue_accept(issue=issue, by=district_staff)
        services.citizen_issue_accept(issue=p["p6"], by=city_staff)
        services.citizen_issue_answer(issue=p["p3"], by=district_staff, answer="已处理")
        services.citizen_issue_answer(issue=p["p6"], by=city_staff, answer="已处理")
    with clock(3):
        _answered(p["p1"], step1, clerk, representative_user, "已修")
        _answered(p["p2"], step2, clerk, representative_user, "已修")
        _answered(p["p4"], step4, city_clerk, representative_user, "已修")
        services.citizen_issue_rate(issue=p["p1"], rating=IssueRating.UNSATISFIED, comment="没修好")
        services.citizen_issue_rate(issue=p["p2"], rating=IssueRating.BASICALLY)
        services.citizen_issue_rate(issue=p["p3"], rating=IssueRating.SATISFIED)
        services.citizen_issue_rate(issue=p["p4"], rating=IssueRating.UNSATISFIED, comment="没修")
        services.citizen_issue_rate(issue=p["p6"], rating=IssueRating.SATISFIED)
    with clock(4):
        _answered(p["p1"], step1, clerk, representative_user, "重修好了")
        services.citizen_issue_rate(issue=p["p1"], rating=IssueRating.SATISFIED)
    return p


def _panel(client: Client, key: str, query: str) -> dict[str, Any]:
    response = client.get(reverse("api-dashboard") + "?" + query)
    assert response.status_code == 200, response.content
    return next(panel for panel in response.json()["panels"] if panel["key"] == key)


def _table(panel: dict[str, Any], key: str) -> dict[str, Any]:
    return next(table for table in panel["tables"] if table["key"] == key)


def test_the_district_tables_equal_the_hand_count(
    client: Client, world: World, district_staff: User, november: dict[str, CitizenIssue]
) -> None:
    login(client, district_staff)
    with clock(5):
        citizen = _panel(client, "citizen", f"region={world.district.pk}&{NOVEMBER}")
        league = _panel(client, "departments", f"region={world.district.pk}&{NOVEMBER}")
    assert _table(citizen, "stations")["rows"] == [
        ["桃园社区代表联络站", 3, 3, "100.0%", "75.0%"],
        ["新浦街道代表之家", 2, 0, "0.0%", "0.0%"],
    ]
    by_department = [
        ["海州区交通运输局", 0, 2, "100.0%", 1.5, "66.7%"],
        ["江海市交通运输局", 0, 0, None, None, "0.0%"],
    ]
    assert _table(citizen, "departments")["rows"] == by_department
    assert _table(league, "league")["rows"] == by_department
    figures = {figure["key"]: figure["value"] for figure in league["figures"]}
    assert figures["satisfaction_rate"] == 50.0  # 2 of the 4 ratings of departments' answers


def test_a_stations_row_opens_its_problems_and_a_departments_row_its_problems(
    client: Client,
    world: World,
    district_staff: User,
    stations: list[Station],
    november: dict[str, CitizenIssue],
) -> None:
    login(client, district_staff)
    with clock(5):
        page = client.get(reverse("dashboard") + f"?region={world.district.pk}&{NOVEMBER}")
        html = page.content.decode()
        assert 'data-testid="table-citizen-stations"' in html
        station_link = (
            f"/issues/?region={world.district.pk}&amp;station={stations[0].pk}"
            "&amp;created_after=2026-11-01&amp;created_before=2026-11-30"
        )
        assert f'<a href="{station_link}">桃园社区代表联络站</a>' in html
        listed = client.get(station_link.replace("&amp;", "&")).content.decode()
        for name in ("p1", "p2", "p3"):
            assert november[name].tracking_code in listed
        for name in ("p4", "p7"):
            assert november[name].tracking_code not in listed
        department_link = (
            f"/issues/?region={world.district.pk}&amp;department={world.department.pk}"
        )
        assert f'<a href="{department_link}">海州区交通运输局</a>' in html
        listed = client.get(department_link.replace("&amp;", "&")).content.decode()
        assert november["p1"].tracking_code in listed and november["p2"].tracking_code in listed
        assert november["p4"].tracking_code not in listed


def test_the_city_sees_every_station_and_a_district_only_its_own(
    client: Client,
    world: World,
    city_staff: User,
    other_district_staff: User,
    november: dict[str, CitizenIssue],
) -> None:
    login(client, city_staff)
    with clock(5):
        rows = _table(_panel(client, "citizen", NOVEMBER), "stations")["rows"]
    assert [row[0] for row in rows] == [
        "桃园社区代表联络站",
        "新浦街道代表之家",
        "临江区代表联络站",
    ]
    assert rows[2] == ["临江区代表联络站", 1, 1, "100.0%", "100.0%"]
    login(client, other_district_staff)
    with clock(5):
        citizen = _panel(client, "citizen", NOVEMBER)
        assert _table(citizen, "stations")["rows"] == [
            ["临江区代表联络站", 1, 1, "100.0%", "100.0%"]
        ]
        assert _table(citizen, "departments")["rows"] == []  # no department had 临江区's
        assert (
            client.get(reverse("api-dashboard") + f"?region={world.district.pk}").status_code == 404
        )


def test_the_summaries_equal_a_recount_after_the_services(
    november: dict[str, CitizenIssue],
) -> None:
    assert issue_station_counts_differences() == {}
    assert services.issue_month_counts_differences() == {}
    assert handling_counts_differences() == {}
    kept = {
        (row.department_id, row.case_type): (row.rated, row.satisfied, row.unsatisfied)
        for row in HandlingCount.objects.filter(case_type=ISSUE_CASE)
    }
    assert sorted(kept.values()) == [(1, 0, 1), (3, 2, 1)]
    before = set(IssueStationMonthCount.objects.values_list("station_id", "received", "closed"))
    # Wiped and counted again from the tables: the same rows.
    IssueStationMonthCount.objects.all().delete()
    HandlingCount.objects.update(rated=0, satisfied=0, unsatisfied=0)
    assert issue_station_counts_differences() != {}
    assert handling_counts_differences() != {}
    services.issue_month_counts_rebuild()
    handling_counts_rebuild()
    assert issue_station_counts_differences() == {}
    assert handling_counts_differences() == {}
    after = set(IssueStationMonthCount.objects.values_list("station_id", "received", "closed"))
    assert after == before
    call_command("issue_reads_rebuild", check=True, stdout=open("/dev/null", "w"))  # noqa: SIM115


def _queries(client: Client, url: str) -> int:
    with CaptureQueriesContext(connection) as captured:
        assert client.get(url).status_code == 200
    return len(captured)


def test_the_tables_cost_the_same_for_3_and_30_problems(
    client: Client,
    world: World,
    city_staff: User,
    district_staff: User,
    clerk: User,
    representative_user: User,
    stations: list[Station],
    categories: dict[str, IssueCategory],
) -> None:
    login(client, city_staff)
    page = reverse("dashboard") + "?period=this_year"
    api = reverse("api-dashboard") + "?period=this_year"
    kinds = list(categories.values())

    def add(count: int, start: int) -> None:
        for n in range(start, start + count):
            issue = submit(
                station=stations[n % 3], category=kinds[n % len(kinds)], mobile=f"139{n:08d}"
            )
            if n % 3 == 0:  # at S1: handed to the department, answered and rated
                step = _handed(issue, world.department, district_staff, clerk)
                _answered(issue, step, clerk, representative_user, "已修")
                services.citizen_issue_rate(issue=issue, rating=IssueRating.SATISFIED)

    add(3, 0)
    client.get(page)  # the session and the calendar read once
    few = (_queries(client, page), _queries(client, api))
    add(27, 3)
    assert (_queries(client, page), _queries(client, api)) == few
    rows = _table(_panel(client, "citizen", "period=this_year"), "stations")["rows"]
    assert sorted(row[1] for row in rows) == [10, 10, 10]
