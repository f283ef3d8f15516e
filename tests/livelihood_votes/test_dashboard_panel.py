"""The livelihood projects' dashboard panel (livelihood_votes/dashboard.py): figures
worked out by hand from the facts on the projects' rows, the region's subtree only,
and the same queries for few and many projects."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from congress.models import Region, User
from livelihood_votes.models import Cycle, Project, ProjectStatus
from tests.conftest import World, login
from tests.factories import DepartmentFactory

API = reverse("api-dashboard") + "?period=this_year"


def _project(region: Region, title: str, **facts: Any) -> Project:
    cycle, _new = Cycle.objects.get_or_create(
        region=region,
        year=timezone.localdate().year,
        defaults={"congress": region.congress, "title": f"{region.name}民生实事"},
    )
    return Project.objects.create(
        cycle=cycle, title=title, department=DepartmentFactory(region=region), **facts
    )


def _panel(client: Client) -> dict[str, Any] | None:
    panels = {panel["key"]: panel for panel in client.get(API).json()["panels"]}
    return panels.get("livelihood")


def test_the_figures_are_the_hand_count_of_the_regions_projects(
    client: Client, world: World, district_staff: User, city_staff: User
) -> None:
    _project(
        world.district,
        "改造老旧小区",
        percent_complete=50,
        spent=Decimal("30"),
        budget=Decimal("100"),
        behind_schedule=True,
    )
    _project(
        world.district,
        "新建城市书房",
        percent_complete=100,
        spent=Decimal("70"),
        budget=Decimal("100"),
        status=ProjectStatus.COMPLETED,
        rating="satisfied",
    )
    _project(world.other_district, "整治易涝点", percent_complete=10, budget=Decimal("50"))

    login(client, district_staff)
    panel = _panel(client)
    assert panel is not None
    figures = {figure["key"]: figure["value"] for figure in panel["figures"]}
    # 海州区's two: one done, one behind; (50 + 100) / 2; (30 + 70) / (100 + 100).
    assert figures == {
        "projects": 2,
        "done": 1,
        "behind": 1,
        "mean_percent": 75.0,
        "spent_share": 50.0,
        "satisfied": 1,
    }
    rows = panel["tables"][0]["rows"]
    assert [row[0] for row in rows] == ["改造老旧小区", "新建城市书房"]  # the late one first
    assert rows[0][2:5] == ["50%", "30", "100"]
    assert rows[0][5] == "制定计划（滞后）"  # which rows the 进度滞后 figure counts
    assert rows[1][5] == "满意"
    assert "整治易涝点" not in str(panel)  # 临江区's is not 海州区 staff's

    login(client, city_staff)
    panel = _panel(client)
    assert panel is not None
    assert {f["key"]: f["value"] for f in panel["figures"]}["projects"] == 3


def test_no_projects_this_year_no_panel(client: Client, world: World, district_staff: User) -> None:
    login(client, district_staff)
    assert _panel(client) is None


def test_the_panel_reads_the_same_queries_for_few_and_many_projects(
    client: Client, world: World, city_staff: User
) -> None:
    login(client, city_staff)
    _project(world.district, "项目0", percent_complete=5)
    client.get(API)  # the session and the calendar read once

    def queries() -> int:
        with CaptureQueriesContext(connection) as seen:
            assert client.get(API).status_code == 200
        return len(seen)

    few = queries()
    for n in range(1, 25):
        _project(world.district if n % 2 else world.other_district, f"项目{n}", percent_complete=n)
    assert queries() == few
