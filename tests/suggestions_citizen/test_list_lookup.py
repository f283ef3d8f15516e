"""The problem list's search-as-you-type filter fields (suggestions/citizen/lookups.py).

The filter form no longer lists every station, representative, department and
region of the user's scope: it renders a text field with the chosen id, and the
page's script asks ``/issues/lookup/<kind>/?q=`` for at most 20 names. What is
checked here: only names in the user's own scope are answered (陈静 of 海州区 never
learns a 临江区 name), the answer is cut at 20 whatever the scope holds and costs
the same number of queries, an unknown kind is a 404, and a chosen value comes
back after a reload with its name (the URL keeps the id; a saved filter too).
"""

from __future__ import annotations

import re
from typing import Any, cast

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from congress.models import Department, Region, RegionLevel, User
from representatives.models import Representative, Station, StationKind
from suggestions.citizen import services
from suggestions.models.citizen import IssueCategory, SavedIssueFilter
from tests.conftest import World, login
from tests.factories import RegionFactory
from tests.suggestions_citizen.conftest import make_representative, submit


def _names(client: Client, kind: str, q: str = "") -> list[str]:
    response = client.get(f"/issues/lookup/{kind}/", {"q": q})
    assert response.status_code == 200
    return [row["text"] for row in response.json()["results"]]


def _riverside(world: World) -> Region:
    return cast(
        Region,
        RegionFactory(name="江边社区", level=RegionLevel.VILLAGE, parent=world.other_district),
    )


def _stations(world: World, count: int, prefix: str = "联络站") -> None:
    Station.objects.bulk_create(
        Station(name=f"{prefix}{n:03d}", kind=StationKind.STATION, region=world.village)
        for n in range(count)
    )


def test_only_names_in_the_users_scope_are_answered(
    client: Client, world: World, district_staff: User, other_district_staff: User
) -> None:
    riverside = _riverside(world)
    Station.objects.create(name="桃园联络站", kind=StationKind.STATION, region=world.village)
    Station.objects.create(name="江边联络站", kind=StationKind.STATION, region=riverside)
    make_representative("刘红", world.village)
    make_representative("吴明", riverside)
    Department.objects.create(name="临江区水务局", region=world.other_district)

    login(client, district_staff)
    assert _names(client, "station", "联络站") == ["桃园联络站 · 桃园社区"]
    assert _names(client, "representative") == ["刘红 · 桃园社区"]
    assert _names(client, "representative", "吴") == []
    assert _names(client, "department", "水务") == []
    assert "江边社区 · 临江区" not in _names(client, "region", "社区")
    assert _names(client, "region", "桃园社区") == [
        "桃园社区 · 新浦街道",
        "桃园社区第1网格 · 桃园社区",
    ]

    login(client, other_district_staff)
    assert _names(client, "station", "联络站") == ["江边联络站 · 江边社区"]
    assert _names(client, "department", "水务") == ["临江区水务局 · 临江区"]


def test_at_most_twenty_names_in_name_order_and_the_same_queries_for_any_scope(
    client: Client, world: World, district_staff: User
) -> None:
    login(client, district_staff)
    _stations(world, 3)
    client.get("/issues/lookup/station/")  # the session warms
    with CaptureQueriesContext(connection) as few:
        assert _names(client, "station") == [
            "联络站000 · 桃园社区",
            "联络站001 · 桃园社区",
            "联络站002 · 桃园社区",
        ]
    _stations(world, 60, prefix="新站")
    with CaptureQueriesContext(connection) as many:
        answered = _names(client, "station", "站")
    assert len(answered) == 20
    assert answered[:3] == ["新站000 · 桃园社区", "新站001 · 桃园社区", "新站002 · 桃园社区"]
    # What every signed-in request reads here (session, user, grants, ...), then the one
    # search: the same for 3 stations and for 63.
    assert len(few) == len(many) == 5


def test_an_unknown_kind_is_a_404_and_a_visitor_is_sent_to_log_in(
    client: Client, district_staff: User
) -> None:
    assert client.get("/issues/lookup/station/").status_code == 302
    login(client, district_staff)
    assert client.get("/issues/lookup/citizen/").status_code == 404
    assert "no-store" in client.get("/issues/lookup/station/")["Cache-Control"]


def _field(body: str, name: str) -> str:
    found = re.search(rf'<input[^>]*name="{name}"[^>]*>', body)
    assert found, name
    return found.group(0)


def test_the_filter_form_lists_no_choices_and_a_chosen_name_comes_back_after_reload(
    client: Client,
    world: World,
    district_staff: User,
    station: Station,
    representative: Representative,
    categories: dict[str, IssueCategory],
) -> None:
    issue = submit(station=station, category=categories["roads"])
    services.citizen_issue_accept(issue=issue, by=district_staff)  # 刘红 handles it
    _stations(world, 30)
    login(client, district_staff)
    body = client.get("/issues/").content.decode()
    assert "联络站029" not in body and "<option" not in _field(body, "station")
    assert 'data-lookup="/issues/lookup/station/"' in _field(body, "station")

    query = f"station={station.pk}&representative={representative.pk}&region={world.town.pk}"
    body = client.get(f"/issues/?{query}").content.decode()
    assert issue.tracking_code in body
    assert f'value="{station.pk}"' in _field(body, "station")
    assert 'data-label="桃园社区代表联络站 · 桃园社区"' in _field(body, "station")
    assert 'data-label="刘红 · 桃园社区"' in _field(body, "representative")
    assert 'data-label="新浦街道 · 海州区"' in _field(body, "region")

    # A saved filter is the same query: it lists the same problem with the same names.
    client.post("/issues/filters/", {"name": "桃园", "query": query})
    saved = SavedIssueFilter.objects.get(owner=district_staff, name="桃园")
    body = client.get(f"/issues/?{saved.query}").content.decode()
    assert issue.tracking_code in body
    assert 'data-label="刘红 · 桃园社区"' in _field(body, "representative")


@pytest.mark.parametrize("name", ["station", "representative", "region", "department"])
def test_an_id_outside_the_scope_is_refused_by_the_filter(
    client: Client, world: World, district_staff: User, name: str
) -> None:
    riverside = _riverside(world)
    outside: Any = {
        "station": lambda: Station.objects.create(
            name="江边联络站", kind=StationKind.STATION, region=riverside
        ),
        "representative": lambda: make_representative("吴明", riverside),
        "region": lambda: riverside,
        "department": lambda: Department.objects.create(name="临江区水务局", region=riverside),
    }[name]()
    login(client, district_staff)
    body = client.get("/issues/", {name: outside.pk}).content.decode()
    assert "data-label" not in _field(body, name)
    assert outside.name not in body
    assert client.get("/api/v1/citizen-issues/", {name: outside.pk}).status_code == 400
