"""Home pages, the overdue list and the suggestion lists cost a fixed number of queries
(docs/architecture.md, "Reads that do not grow with the data"; issue 13).

Each persona opens its home page and its lists with 3 cases of each kind in the city,
then with 30: citizens' problems submitted at 桃园社区's station and handed to
海州区交通运输局, and city suggestions handed to the same department. The number of
queries is stated here for each page and persona, and is the same at both sizes.
"""

from __future__ import annotations

import datetime
from typing import Any

from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from congress.models import User
from representatives.models import Station, StationKind, StationMember
from suggestions.citizen import services as citizen
from suggestions.models.citizen import IssueCategory
from tests.conftest import World, login
from tests.suggestions_citizen.conftest import submit
from tests.suggestions_formal.conftest import Cast, Clock, assigned, cast, clock

__all__ = ["cast", "clock"]  # fixtures used below

# The queries of one request, per persona and page: stated, not measured by the test.
EXPECTED: dict[str, dict[str, int]] = {
    # No page saves the session (a refresh is due every 5 minutes, not on every
    # request). Staff homes: the suggestions card counts the few waiting rows exactly and
    # 跨年度跟踪 to a bound (two reads); suggestion lists are keyset pages (no COUNT).
    # The supervision card (findings overdue and awaiting 销号) is one bounded read.
    "city_staff": {
        "/": 20,
        "/loop/": 8,
        "/loop/?state=soon": 9,
        "/loop/?state=open": 8,
        "/suggestions/": 7,
    },
    "district_staff": {
        "/": 20,
        "/loop/": 8,
        "/loop/?state=open": 8,
        "/suggestions/": 7,
    },
    # A clerk of one department: the 群众诉求 card's four figures are each a bounded
    # read of the department's IssueDepartment rows; the reports awaited from the
    # clerk's bodies (supervision meetings) are one read; the livelihood projects'
    # monthly reports awaited from the department (本月进度报告) are one read.
    "clerk": {
        "/": 14,
        "/loop/": 9,
        "/loop/?state=open": 9,
        "/suggestions/": 6,
        "/suggestions/workspace/": 8,
        "/suggestions/workspace/?state=all": 8,
    },
    # The open department evaluations the representative may score: one read. The points
    # card reads the representative's region and the point rules in force there (a
    # congress may set its own values: docs/rules.md, "Point rules").
    "representative": {
        "/": 23,
        "/suggestions/": 8,
    },
}


def _station(world: World, cast: Cast) -> Station:
    station = Station.objects.create(
        name="桃园社区代表联络站", kind=StationKind.STATION, region=world.village
    )
    StationMember.objects.create(station=station, representative=cast.lead, role="head")
    return station


def _cases(
    world: World, cast: Cast, city_staff: User, district_staff: User, station: Station, n: int
) -> None:
    citizen.categories_ensure_defaults()
    roads = IssueCategory.objects.get(code="roads")
    for number in range(n):
        issue = submit(station=station, category=roads, mobile=f"1390000{number:04d}")
        if number % 3:  # two in three are handed on, one waits to be accepted
            citizen.citizen_issue_accept(issue=issue, by=district_staff)
            citizen.citizen_issue_forward(
                issue=issue, department=world.department, by=district_staff, note="请处理"
            )
        assigned(cast, city_staff, world)


def _queries(client: Client, url: str) -> int:
    with CaptureQueriesContext(connection) as captured:
        assert client.get(url).status_code == 200, url
    return len(captured)


def test_home_and_lists_run_a_fixed_number_of_queries(
    world: World,
    cast: Cast,
    clock: Clock,
    city_staff: User,
    district_staff: User,
    clerk: User,
) -> None:
    people: dict[str, Any] = {
        "city_staff": city_staff,
        "district_staff": district_staff,
        "clerk": clerk,
        "representative": cast.lead_user,
    }
    clients = {persona: Client() for persona in people}
    station = _station(world, cast)

    def measured() -> dict[str, dict[str, int]]:
        clock.set(datetime.date(2026, 6, 1))  # the suggestions' replies are overdue by now
        found = {}
        for persona, pages in EXPECTED.items():
            login(clients[persona], people[persona])
            for url in pages:
                clients[persona].get(url)  # the session and per-process caches warm
            found[persona] = {url: _queries(clients[persona], url) for url in pages}
        clock.set(datetime.date(2026, 1, 10))
        return found

    _cases(world, cast, city_staff, district_staff, station, 3)
    few = measured()
    _cases(world, cast, city_staff, district_staff, station, 27)
    many = measured()
    assert few == EXPECTED
    assert many == EXPECTED
