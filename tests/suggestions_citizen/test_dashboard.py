"""The staff dashboard (docs/dashboard.md): its figures against a hand count, its
scope, its queries and the summaries it reads.

A week of November 2026 in 海州区 on a fixed clock, through the real services:
five problems at 桃园社区's station (and one in 临江区) on Monday 2 November:

- A (roads): accepted, handed to 海州区交通运输局, replied, reported back, rated
  不满意 (reopened at the department), replied again, rated 满意 on Wed 4 Nov:
  closed after 2 working days, every step on time;
- B (roads): accepted, answered, rated 基本满意 on Fri 6 Nov: 4 working days;
- C (environment): its 受理 step (due Wed 4 Nov) taken on Thu 5 Nov, late;
  answered, closed unrated on Mon 9 Nov: 5 working days, not on time;
- D (environment): never accepted: its 受理 step is overdue now;
- E (roads): declined.

So for 海州区 in November, by hand: received 5, accepted 3, closed 3, 办结率
3/5 = 60.0%, on time 2 of 3 = 66.7%, average (2 + 4 + 5) / 3 = 3.7 working days,
ratings 3 (A 不满意, A 满意, B 基本满意), satisfied 2 → 满意率 66.7%, 不满意 1,
reopened 1, overdue now 1 (D). And 海州区交通运输局: A's step answered once (the
second answer, after the reopening), on time, in 2 working days; one step of
another case type overdue now.
"""

from __future__ import annotations

import datetime
import json
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any
from unittest import mock
from zoneinfo import ZoneInfo

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from congress import loop
from congress.loop.handling import handling_counts_differences, handling_counts_rebuild
from congress.models import Region, User
from representatives.models import Representative, Station
from suggestions.citizen import services
from suggestions.models.citizen import IssueCategory, IssueRating
from suggestions.models.monthly import IssueMonthCount, IssueStationMonthCount
from tests.conftest import World, login
from tests.loop_support import TEST_CASE
from tests.suggestions_citizen.conftest import submit

SHANGHAI = ZoneInfo("Asia/Shanghai")
NOVEMBER = "period=months&from=2026-11&to=2026-11"


@contextmanager
def clock(day: int, hour: int = 10) -> Iterator[None]:
    """The services run at a fixed moment of November 2026 (Asia/Shanghai)."""
    moment = datetime.datetime(2026, 11, day, hour, tzinfo=SHANGHAI)
    with mock.patch("django.utils.timezone.now", return_value=moment):
        yield


@pytest.fixture
def november(
    world: World,
    district_staff: User,
    city_staff: User,
    clerk: User,
    station: Station,
    representative: Representative,
    representative_user: User,
    categories: dict[str, IssueCategory],
) -> dict[str, Any]:
    roads, environment = categories["roads"], categories["environment"]
    with clock(2, 9):
        a = submit(station=station, category=roads, mobile="13900000001")
        b = submit(station=station, category=roads, mobile="13900000002")
        c = submit(station=station, category=environment, mobile="13900000003")
        d = submit(station=station, category=environment, mobile="13900000004")
        e = submit(station=station, category=roads, mobile="13900000005")
        f = submit(region=world.other_district, category=roads, mobile="13900000006")
    with clock(2):
        services.citizen_issue_accept(issue=a, by=district_staff)
        services.citizen_issue_accept(issue=b, by=district_staff)
        services.citizen_issue_accept(issue=f, by=city_staff)
        services.citizen_issue_decline(
            issue=e, by=district_staff, reason="属于民事纠纷。", channel="litigation"
        )
        step = services.citizen_issue_forward(
            issue=a, department=world.department, by=district_staff, note="请修复"
        )
        loop.assignment_accept(assignment=step, by=clerk)
        services.citizen_issue_answer(issue=b, by=district_staff, answer="已处理")
        # Another case type's step for the same department, due Tue 3 Nov, still open.
        loop.assignment_create(
            case_type=TEST_CASE,
            case_id=99,
            title="井盖缺失",
            region=world.village,
            by=district_staff,
            department=world.department,
            due_on=datetime.date(2026, 11, 3),
        )
    with clock(3):
        step.refresh_from_db()
        services.citizen_issue_department_reply(issue=a, assignment=step, by=clerk, reply="已修")
        services.citizen_issue_report_back(issue=a, by=representative_user, answer="已修好")
        services.citizen_issue_rate(issue=a, rating=IssueRating.UNSATISFIED, comment="没修好")
    with clock(4):
        step.refresh_from_db()
        services.citizen_issue_department_reply(issue=a, assignment=step, by=clerk, reply="重修")
        services.citizen_issue_report_back(issue=a, by=representative_user, answer="重修好了")
        services.citizen_issue_rate(issue=a, rating=IssueRating.SATISFIED)
    with clock(5):
        services.citizen_issue_accept(issue=c, by=district_staff)
        services.citizen_issue_answer(issue=c, by=district_staff, answer="已协调")
    with clock(6):
        services.citizen_issue_rate(issue=b, rating=IssueRating.BASICALLY)
    with clock(9):
        services.citizen_issue_close_unrated(issue=c)
    return {"a": a, "b": b, "c": c, "d": d, "e": e, "f": f, "roads": roads, "env": environment}


def _figures(client: Client, query: str) -> dict[str, Any]:
    response = client.get(reverse("api-dashboard") + "?" + query)
    assert response.status_code == 200, response.content
    return {
        f"{panel['key']}.{figure['key']}": figure["value"]
        for panel in response.json()["panels"]
        for figure in panel["figures"]
    }


def test_the_district_figures_equal_the_hand_count(
    client: Client, world: World, district_staff: User, november: dict[str, Any]
) -> None:
    login(client, district_staff)
    figures = _figures(client, f"region={world.district.pk}&{NOVEMBER}")
    citizen = {k.split(".", 1)[1]: v for k, v in figures.items() if k.startswith("citizen.")}
    assert citizen == {
        "received": 5,
        "accepted": 3,
        "closed": 3,
        "handling_rate": 60.0,
        "on_time_rate": 66.7,
        "average_workdays": 3.7,
        "satisfaction_rate": 66.7,
        "unsatisfied": 1,
        "reopened": 1,
        "overdue": 1,
    }
    # 海州区交通运输局 answered A twice; after the reopening only the second reply
    # (Wed 4 Nov, 2 working days after 交办 on Mon 2 Nov, before its due date) counts.
    assert figures["departments.finished"] == 1
    assert figures["departments.on_time_rate"] == 100.0
    assert figures["departments.average_workdays"] == 2.0
    assert figures["departments.overdue"] == 1  # the other case type's step, due 3 Nov
    data = client.get(reverse("api-dashboard") + f"?region={world.district.pk}&{NOVEMBER}").json()
    league = next(p for p in data["panels"] if p["key"] == "departments")["tables"][0]
    # Its answer to A was rated twice (不满意, then 满意): 满意率 1 of 2.
    assert figures["departments.satisfaction_rate"] == 50.0
    assert league["rows"] == [["海州区交通运输局", 1, 1, "100.0%", 2.0, "50.0%"]]


def test_the_city_ranks_its_districts_and_a_bar_drills_down(
    client: Client, world: World, city_staff: User, november: dict[str, Any]
) -> None:
    login(client, city_staff)
    data = client.get(reverse("api-dashboard") + f"?{NOVEMBER}").json()
    assert data["region"]["id"] == world.city.pk
    citizen = next(panel for panel in data["panels"] if panel["key"] == "citizen")
    charts = {chart["key"]: chart for chart in citizen["charts"]}
    assert charts["regions"]["rows"] == ["海州区", "临江区"]
    assert charts["regions"]["series"][0]["data"] == [5, 1]
    assert f"region={world.district.pk}" in charts["regions"]["links"][0]
    # The twelve months up to November; the problems are all November's.
    assert charts["trend"]["rows"] == ["2025-12", *[f"2026-{m:02d}" for m in range(1, 12)]]
    assert charts["trend"]["series"][0]["data"] == [0] * 11 + [6]  # received
    assert charts["trend"]["series"][1]["data"] == [0] * 11 + [3]  # of them closed
    received = dict(
        zip(charts["category"]["rows"], charts["category"]["series"][0]["data"], strict=True)
    )
    assert received == {november["roads"].name: 4, november["env"].name: 2}


def test_the_page_shows_the_figures_their_definitions_and_the_tables(
    client: Client, world: World, district_staff: User, november: dict[str, Any]
) -> None:
    login(client, district_staff)
    response = client.get(reverse("dashboard") + f"?region={world.district.pk}&{NOVEMBER}")
    assert response.status_code == 200
    html = response.content.decode()
    assert 'data-figure="citizen.handling_rate"' in html and "60.0%" in html
    assert "办结 ÷ 收到" in html  # the definition beside the number
    assert 'data-chart="citizen-trend"' in html
    # The list behind 收到: the district, November's submission dates.
    assert (
        f"/issues/?region={world.district.pk}&amp;created_after=2026-11-01"
        "&amp;created_before=2026-11-30" in html
    )
    # The data for the charts is JSON, not a script (the CSP allows no inline script).
    assert '<script id="dashboard-charts" type="application/json">' in html
    charts = json.loads(
        html.split('id="dashboard-charts" type="application/json">')[1].split("</script>")[0]
    )
    assert charts["citizen-trend"]["series"][0]["data"] == [0] * 11 + [5]
    # The table view of the by-category chart, read without JavaScript.
    assert f'<th scope="row" class="fw-normal"><a href="/issues/?region={world.district.pk}' in html


def test_the_summaries_equal_a_count_of_the_tables_after_the_week(
    november: dict[str, Any],
) -> None:
    assert services.issue_month_counts_differences() == {}
    assert handling_counts_differences() == {}
    assert services.issue_counts_differences() == {}
    assert _areas_kept() == _areas_walked()
    assert _areas_kept(IssueStationMonthCount) == _areas_walked(IssueStationMonthCount)
    # A rebuild from the tables writes the same rows again.
    services.issue_month_counts_rebuild()
    handling_counts_rebuild()
    assert services.issue_month_counts_differences() == {}
    assert handling_counts_differences() == {}
    assert _areas_kept() == _areas_walked()
    assert _areas_kept(IssueStationMonthCount) == _areas_walked(IssueStationMonthCount)
    assert services.issue_month_areas_differences() == {}


def _areas_kept(model: Any = IssueMonthCount) -> dict[int, set[tuple[int | None, ...]]]:
    """The area columns ``model``'s monthly rows keep, per area."""
    kept: dict[int, set[tuple[int | None, ...]]] = {}
    for area, *columns in model.objects.values_list(
        "area_id", "area_0", "area_1", "area_2", "area_3"
    ):
        kept.setdefault(area, set()).add(tuple(columns))
    return kept


def _areas_walked(model: Any = IssueMonthCount) -> dict[int, set[tuple[int | None, ...]]]:
    """Each area's own ids from the root down, found by walking up its parents."""
    walked = {}
    for area in set(model.objects.values_list("area_id", flat=True)):
        ids: list[int | None] = []
        region: Region | None = Region.objects.get(pk=area)
        while region is not None:
            ids.insert(0, region.pk)
            region = region.parent
        walked[area] = {tuple((ids + [None] * 4)[:4])}
    assert walked  # the week's problems have rows
    return walked


def test_a_district_sees_only_itself_and_below(
    client: Client, world: World, district_staff: User, november: dict[str, Any]
) -> None:
    login(client, district_staff)
    page, api = reverse("dashboard"), reverse("api-dashboard")
    assert client.get(page).context["scope"].region == world.district
    for sideways_or_up in (world.other_district, world.city):
        assert client.get(f"{page}?region={sideways_or_up.pk}").status_code == 404
        assert client.get(f"{api}?region={sideways_or_up.pk}").status_code == 404
    assert client.get(f"{page}?region={world.town.pk}").status_code == 200
    # Below the township the summaries have no finer area: not a dashboard.
    assert client.get(f"{page}?region={world.village.pk}").status_code == 404
    assert client.get(f"{page}?region=not-a-number").status_code == 404
    figures = _figures(client, f"region={world.town.pk}&{NOVEMBER}")
    assert figures["citizen.received"] == 5  # 桃园社区 is in 新浦街道


@pytest.mark.parametrize("persona", ["clerk", "representative_user", "committee_member"])
def test_only_congress_staff_have_a_dashboard(
    client: Client, world: World, persona: str, request: pytest.FixtureRequest
) -> None:
    login(client, request.getfixturevalue(persona))
    assert client.get(reverse("dashboard")).status_code == 404
    assert client.get(reverse("api-dashboard")).status_code == 404


def test_anonymous_is_sent_to_sign_in(client: Client, world: World) -> None:
    assert client.get(reverse("dashboard")).status_code == 302
    assert client.get(reverse("api-dashboard")).status_code == 401


def test_a_malformed_or_too_long_period_is_this_month(
    client: Client, world: World, district_staff: User
) -> None:
    login(client, district_staff)
    for query in ("period=months&from=2020-01&to=2026-11", "period=months&from=x", "period=no"):
        data = client.get(reverse("api-dashboard") + "?" + query).json()
        assert data["period"]["key"] == "this_month"


def _queries(client: Client, url: str) -> int:
    with CaptureQueriesContext(connection) as captured:
        assert client.get(url).status_code == 200
    return len(captured)


def test_the_page_and_the_api_run_the_same_queries_for_few_and_many_problems(
    client: Client,
    world: World,
    city_staff: User,
    station: Station,
    categories: dict[str, IssueCategory],
) -> None:
    login(client, city_staff)
    page = reverse("dashboard") + "?period=this_year"
    api = reverse("api-dashboard") + "?period=this_year"
    kinds = list(categories.values())

    def add(count: int, start: int) -> None:
        for n in range(start, start + count):
            issue = submit(
                station=station if n % 2 else None,
                region=None if n % 2 else world.other_district,
                category=kinds[n % len(kinds)],
                mobile=f"139{n:08d}",
            )
            if n % 3 == 0:
                services.citizen_issue_accept(issue=issue, by=city_staff)

    add(3, 0)
    client.get(page)  # the session and the calendar read once
    few = (_queries(client, page), _queries(client, api))
    add(27, 3)
    assert (_queries(client, page), _queries(client, api)) == few


def test_staff_find_it_in_the_navigation_and_on_the_home_page(
    client: Client, district_staff: User, clerk: User
) -> None:
    from congress.registry import navigation_for

    def links(user: User) -> list[str]:
        return [item.url_name for entry in navigation_for(user) for item in entry.items]

    assert "dashboard" in links(district_staff)
    assert "dashboard" not in links(clerk)
    login(client, district_staff)
    assert 'data-testid="home-dashboard-link"' in client.get(reverse("home")).content.decode()


@pytest.mark.django_db
def test_the_demo_citys_staff_see_real_figures(client: Client) -> None:
    import os

    from django.core.management import call_command

    call_command("seed_demo", scale=0.25, stdout=open(os.devnull, "w"))  # noqa: SIM115
    # The summaries the demo wrote in bulk equal a recount of its tables.
    call_command("issue_reads_rebuild", check=True, stdout=open(os.devnull, "w"))  # noqa: SIM115
    login(client, User.objects.get(username="city_staff"))
    figures = _figures(client, "period=this_year")
    assert figures["citizen.received"] > 0
    assert figures["citizen.closed"] > 0
    assert figures["citizen.satisfaction_rate"] is not None
    assert figures["departments.finished"] > 0
    assert figures["representatives.seats"] > 0
    page = client.get(reverse("dashboard") + "?period=this_year")
    assert page.status_code == 200 and 'data-chart="citizen-regions"' in page.content.decode()


def test_the_page_works_in_english(
    client: Client, world: World, district_staff: User, november: dict[str, Any]
) -> None:
    from django.conf import settings

    login(client, district_staff)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    response = client.get(reverse("dashboard") + f"?region={world.district.pk}&{NOVEMBER}")
    assert response.status_code == 200
    assert '<html lang="en"' in response.content.decode()
    assert 'data-figure="citizen.handling_rate"' in response.content.decode()


def test_every_link_opens_a_list_the_user_may_see(
    client: Client, world: World, district_staff: User, november: dict[str, Any]
) -> None:
    login(client, district_staff)
    data = client.get(reverse("api-dashboard") + f"?region={world.district.pk}&{NOVEMBER}").json()
    links = [f["url"] for p in data["panels"] for f in p["figures"] if f["url"]]
    links += [url for p in data["panels"] for c in p["charts"] for url in c["links"] if url]
    assert len(links) >= 6
    for url in links:
        assert client.get(url).status_code == 200, url
    # The overdue list behind 当前超期 shows the one overdue problem, D.
    overdue = next(
        f["url"] for p in data["panels"] for f in p["figures"] if f["key"] == "overdue" and f["url"]
    )
    assert november["d"].tracking_code in client.get(overdue).content.decode()


def test_the_trend_shows_the_year_up_to_the_period_and_the_figures_only_the_period(
    client: Client, world: World, district_staff: User, november: dict[str, Any]
) -> None:
    roads = november["roads"]
    for moment in (
        datetime.datetime(2026, 5, 12, 10, tzinfo=SHANGHAI),  # in the trend's year
        datetime.datetime(2026, 5, 20, 10, tzinfo=SHANGHAI),
        datetime.datetime(2025, 11, 30, 10, tzinfo=SHANGHAI),  # thirteen months before
    ):
        with mock.patch("django.utils.timezone.now", return_value=moment):
            submit(region=world.village, category=roads, mobile="")
    login(client, district_staff)
    data = client.get(reverse("api-dashboard") + f"?region={world.district.pk}&{NOVEMBER}").json()
    citizen = next(panel for panel in data["panels"] if panel["key"] == "citizen")
    trend = next(chart for chart in citizen["charts"] if chart["key"] == "trend")
    received = dict(zip(trend["rows"], trend["series"][0]["data"], strict=True))
    assert list(received) == ["2025-12", *[f"2026-{m:02d}" for m in range(1, 12)]]
    assert received["2026-05"] == 2 and received["2026-11"] == 5
    assert sum(received.values()) == 7  # not November 2025's
    # The figures and the categories stay November's.
    figures = {figure["key"]: figure["value"] for figure in citizen["figures"]}
    assert figures["received"] == 5
    category = next(chart for chart in citizen["charts"] if chart["key"] == "category")
    assert dict(zip(category["rows"], category["series"][0]["data"], strict=True))[roads.name] == 3
    # A period longer than a year is its own trend.
    longer = client.get(
        reverse("api-dashboard")
        + f"?region={world.district.pk}&period=months&from=2025-10&to=2026-11"
    ).json()
    citizen = next(panel for panel in longer["panels"] if panel["key"] == "citizen")
    trend = next(chart for chart in citizen["charts"] if chart["key"] == "trend")
    assert trend["rows"][0] == "2025-10" and len(trend["rows"]) == 14
    assert sum(trend["series"][0]["data"]) == 8
