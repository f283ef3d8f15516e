"""The problem lists cost a fixed number of queries (docs/architecture.md, "Reads that do
not grow with the data"; issue 13).

Each list is requested with 3 problems (and 3 extra stations and representatives in
the scope) and again with 30 of each: the page shows every problem both times, and
runs exactly the number of queries written here both times. A query added per row
(a name looked up for each problem), per station or per representative (a choice
list in the filter form) fails the test, and so does any query added for all: then
the figure below is changed on purpose, with the reason.

The problems go through the real services: submitted at 桃园社区代表联络站 (刘红's),
accepted by 海州区 staff and handed to 海州区交通运输局, whose clerk 赵磊 sees them.
"""

from __future__ import annotations

import datetime
from typing import Any

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from congress.models import User
from representatives.models import Representative, Station, StationKind
from suggestions.citizen import services
from suggestions.models.citizen import CitizenIssue, IssueCategory
from tests.conftest import World, login
from tests.suggestions_citizen.conftest import make_representative, submit
from tests.suggestions_citizen.test_read_path import _codes


def _grow(world: World, station: Station, category: IssueCategory, by: User, upto: int) -> None:
    """Problems (and stations, representatives) in 海州区 up to ``upto`` of each."""
    for n in range(CitizenIssue.objects.count(), upto):
        issue = submit(station=station, category=category, mobile=f"139{n:08d}")
        services.citizen_issue_accept(issue=issue, by=by)
        services.citizen_issue_forward(
            issue=issue, department=world.department, by=by, note="请处理"
        )
        Station.objects.create(
            name=f"联络站{n:03d}", kind=StationKind.STATION, region=world.village
        )
        make_representative(f"代表{n:03d}", world.village)


def _queries(client: Client, urls: dict[str, str]) -> dict[str, tuple[int, int]]:
    """(queries, rows shown) of each list, after a first request that warms the session,
    read a year after the problems were handed out (已超期 lists them all)."""
    future = timezone.localdate() + datetime.timedelta(days=365)
    found = {}
    for name, url in urls.items():
        client.get(url)
        with pytest.MonkeyPatch.context() as patch, CaptureQueriesContext(connection) as captured:
            patch.setattr(timezone, "localdate", lambda *args: future)
            response = client.get(url)
        assert response.status_code == 200, name
        if url.startswith("/api/"):
            shown = len(response.json()["results"])
        else:
            shown = len(_codes(response.content.decode()))
        found[name] = (len(captured), shown)
    return found


def _at_3_and_30(
    client: Client, world: World, station: Station, category: IssueCategory, by: User, urls: Any
) -> tuple[dict[str, tuple[int, int]], dict[str, tuple[int, int]]]:
    _grow(world, station, category, by, 3)
    few = _queries(client, urls)
    _grow(world, station, category, by, 30)
    many = _queries(client, urls)
    return few, many


def test_the_district_staffs_list_with_each_filter(
    client: Client,
    world: World,
    district_staff: User,
    station: Station,
    representative: Representative,
    categories: dict[str, IssueCategory],
) -> None:
    roads = categories["roads"]
    urls = {
        "no filter": "/issues/",
        "status": "/issues/?status=forwarded&status=accepted",
        "已超期": "/issues/?overdue=true",
        "category": f"/issues/?category={roads.pk}",
        "region": f"/issues/?region={world.town.pk}",
        "station": f"/issues/?station={station.pk}",
        "representative": f"/issues/?representative={representative.pk}",
        "department": f"/issues/?department={world.department.pk}",
        "keyword": "/issues/?q=幸福路",
        "needs supervision": "/issues/?supervision=false",
        "dates": "/issues/?created_after=2020-01-01&created_before=2099-12-31",
        "place": "/issues/?place=桃园",
        "representative's name": "/issues/?representative_name=刘",
        "all at once": (
            f"/issues/?status=forwarded&overdue=true&category={roads.pk}&region={world.town.pk}"
            f"&station={station.pk}&representative={representative.pk}"
            f"&department={world.department.pk}"
        ),
    }
    login(client, district_staff)
    few, many = _at_3_and_30(client, world, station, roads, district_staff, urls)
    # The page: session, user, grants, the list's page (LIMIT 51), the header's figure
    # (a bounded count, or the summary rows for the whole scope / a status), saved
    # filters, the navigation's badges and the base template's. A value chosen in a
    # search field adds its one look-up (its name, shown in the field).
    base = 11  # no page saves its session (its end moves forward every 5 minutes)
    expected = {
        "no filter": base,
        "status": base,
        "已超期": base,
        "category": base + 1,
        "region": base + 1,
        "station": base + 1,
        "representative": base + 1,
        "department": base + 1,
        "keyword": base,
        "needs supervision": base,
        "dates": base,
        "place": base,
        "representative's name": base,
        "all at once": base + 5,
    }
    assert {name: n for name, (n, _shown) in few.items()} == expected, few
    assert {name: n for name, (n, _shown) in many.items()} == expected, many
    assert {name: shown for name, (_n, shown) in few.items()} == dict.fromkeys(urls, 3)
    assert {name: shown for name, (_n, shown) in many.items()} == dict.fromkeys(urls, 30)


def test_the_city_staffs_and_the_clerks_lists(
    client: Client,
    world: World,
    district_staff: User,
    city_staff: User,
    clerk: User,
    station: Station,
    representative: Representative,
    categories: dict[str, IssueCategory],
) -> None:
    urls = {"no filter": "/issues/", "已超期": "/issues/?overdue=true"}
    few_city, many_city = _at_3_and_30(
        login(client, city_staff), world, station, categories["roads"], district_staff, urls
    )
    login(client, clerk)
    clerk_view = _queries(client, urls)
    assert few_city == {"no filter": (11, 3), "已超期": (11, 3)}, few_city
    assert many_city == {"no filter": (11, 30), "已超期": (11, 30)}, many_city
    # The clerk's scope is the cases handed to their department (their header is a
    # bounded count, not the summary rows), read through the engine's one rule of the
    # departments a clerk handles (congress.loop.handled_department_ids): those are
    # looked up first, one query, then the steps by an indexed IN. Two queries more
    # than staff's page, fixed.
    assert clerk_view == {"no filter": (13, 30), "已超期": (13, 30)}, clerk_view


def test_the_api_list(
    client: Client,
    world: World,
    district_staff: User,
    station: Station,
    representative: Representative,
    categories: dict[str, IssueCategory],
) -> None:
    urls = {
        "no filter": "/api/v1/citizen-issues/",
        "已超期": "/api/v1/citizen-issues/?overdue=true",
        "department": f"/api/v1/citizen-issues/?department={world.department.pk}",
    }
    login(client, district_staff)
    few, many = _at_3_and_30(client, world, station, categories["roads"], district_staff, urls)
    # Session, user, grants, the page (LIMIT 51); a chosen department adds its look-up.
    assert few == {"no filter": (5, 3), "已超期": (5, 3), "department": (6, 3)}, few
    assert many == {"no filter": (5, 30), "已超期": (5, 30), "department": (6, 30)}, many
