"""The read path of citizens' problems (docs/architecture.md, "Reads that do not grow
with the data").

District staff 陈静 and city staff 周文华 work a day of problems through the real
services: submissions in 海州区 and 临江区, one held for review, accepted,
forwarded, answered, rated, declined, merged, one reopened twice (督办). After every
step the kept summary equals a plain COUNT of the table, the home card's figures
equal counts made the slow way, and the rows carry their earliest open due date.
Then the lists: the same number of queries for 5 problems as for 50, keyset pages
that keep their filters and never repeat or skip a problem, and 已超期 read from
the row.
"""

from __future__ import annotations

import datetime
import re
from typing import Any

import pytest
from django.db import connection
from django.db.models import Min
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from congress import loop
from congress.models import Assignment, Region, RegionLevel, User
from representatives.models import Representative, Station
from suggestions.citizen import selectors, services
from suggestions.citizen.workflow import ISSUE_CASE
from suggestions.models.citizen import (
    OPEN_ISSUE_STATUSES,
    CitizenIssue,
    IssueCategory,
    IssueRating,
    IssueStatus,
)
from suggestions.models.monthly import IssueMonthCount, IssueStationMonthCount
from tests.conftest import World, login
from tests.factories import RegionFactory
from tests.suggestions_citizen.conftest import submit


def _plain_counts(region: Region) -> dict[str, int]:
    """The home card's figures counted the slow way: a join to the regions' paths."""
    rows = CitizenIssue.objects.filter(region__path__startswith=region.path)
    return {
        "submitted": rows.filter(status=IssueStatus.SUBMITTED).count(),
        "in_progress": rows.filter(status__in=OPEN_ISSUE_STATUSES).count(),
        "supervision": rows.filter(needs_supervision=True)
        .exclude(status__in=[IssueStatus.CLOSED, IssueStatus.MERGED])
        .count(),
        "review": rows.filter(status=IssueStatus.PENDING_REVIEW).count(),
    }


def _card(user: User) -> dict[str, int]:
    counts = selectors.home_counts(user)
    return {key: counts[key].value for key in ("submitted", "in_progress", "supervision", "review")}


def _earliest_open_due(issue: CitizenIssue) -> datetime.date | None:
    return Assignment.objects.filter(
        case_type=ISSUE_CASE, case_id=issue.pk, status__in=loop.OPEN_STATUSES
    ).aggregate(first=Min("due_on"))["first"]


def _check(world: World, district_staff: User, city_staff: User) -> None:
    assert services.issue_counts_differences() == {}
    assert _card(district_staff) == _plain_counts(world.district)
    assert _card(city_staff) == _plain_counts(world.city)
    for issue in CitizenIssue.objects.all():
        assert issue.next_due_on == _earliest_open_due(issue), issue.tracking_code


def test_a_day_of_services_keeps_the_summary_equal_to_a_plain_count(
    world: World,
    district_staff: User,
    city_staff: User,
    clerk: User,
    station: Station,
    representative: Representative,
    representative_user: User,
    categories: dict[str, IssueCategory],
) -> None:
    roads = categories["roads"]
    riverside = RegionFactory(
        name="江边社区", level=RegionLevel.VILLAGE, parent=world.other_district
    )
    pothole = submit(station=station, category=roads)
    lights = submit(station=station, category=roads, mobile="13900000001")
    noise = submit(region=riverside, category=categories["environment"], mobile="13900000002")
    held = submit(
        station=station,
        category=roads,
        mobile="13900000003",
        description="详见 http://x.example 和 www.y.example",
    )
    assert held.status == IssueStatus.PENDING_REVIEW
    _check(world, district_staff, city_staff)

    services.citizen_issue_moderate(issue=held, by=district_staff, approve=True)
    services.citizen_issue_accept(issue=pothole, by=district_staff)
    assignment = services.citizen_issue_forward(
        issue=pothole, department=world.department, by=district_staff, note="请修复"
    )
    loop.assignment_accept(assignment=assignment, by=clerk)
    _check(world, district_staff, city_staff)

    # Reopened twice after 不满意: the problem becomes a supervision matter (督办).
    for round_number in (1, 2):
        assignment.refresh_from_db()
        services.citizen_issue_department_reply(
            issue=pothole, assignment=assignment, by=clerk, reply=f"第{round_number}次答复"
        )
        services.citizen_issue_report_back(issue=pothole, by=representative_user, answer="已处理")
        services.citizen_issue_rate(issue=pothole, rating=IssueRating.UNSATISFIED, comment="没修好")
        _check(world, district_staff, city_staff)
    pothole.refresh_from_db()
    assert pothole.needs_supervision

    services.citizen_issue_merge(issue=held, into=lights, by=district_staff)
    services.citizen_issue_decline(
        issue=noise, by=city_staff, reason="属于民事纠纷。", channel="litigation"
    )
    services.citizen_issue_accept(issue=lights, by=district_staff)
    services.citizen_issue_answer(issue=lights, by=district_staff, answer="路灯已修好")
    services.citizen_issue_rate(issue=lights, rating=IssueRating.SATISFIED)
    _check(world, district_staff, city_staff)
    assert _card(city_staff)["supervision"] == 1

    # Repair: a rebuild from the table finds the same figures.
    before = sorted(services.issue_counts_differences().items())
    services.issue_reads_rebuild()
    assert before == [] and services.issue_counts_differences() == {}
    _check(world, district_staff, city_staff)


def test_an_extension_moves_the_problems_due_date_and_overdue_is_read_from_it(
    client: Client,
    world: World,
    district_staff: User,
    clerk: User,
    station: Station,
    categories: dict[str, IssueCategory],
) -> None:
    issue = submit(station=station, category=categories["roads"])
    services.citizen_issue_accept(issue=issue, by=district_staff)
    assignment = services.citizen_issue_forward(
        issue=issue, department=world.department, by=district_staff, note="请修复"
    )
    loop.assignment_accept(assignment=assignment, by=clerk)
    issue.refresh_from_db()
    assignment.refresh_from_db()
    assert issue.next_due_on == assignment.due_on
    later = assignment.due_on + datetime.timedelta(days=20)
    loop.assignment_request_extension(assignment=assignment, by=clerk, until=later, reason="施工")
    loop.assignment_decide_extension(assignment=assignment, by=district_staff, approve=True)
    issue.refresh_from_db()
    assert issue.next_due_on == later

    login(client, district_staff)
    assert issue.tracking_code not in client.get("/issues/", {"overdue": "true"}).content.decode()
    # The day after the extended deadline, the same problem is 已超期.
    tomorrow = later + datetime.timedelta(days=1)
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(timezone, "localdate", lambda *args: tomorrow)
        body = client.get("/issues/", {"overdue": "true"}).content.decode()
        assert issue.tracking_code in body
        assert selectors.home_counts(district_staff)["overdue"].value == 1


def _many(station: Station, category: IssueCategory, count: int, start: int) -> None:
    for n in range(start, start + count):
        submit(station=station, category=category, mobile=f"139{n:08d}")


@pytest.mark.parametrize(
    "url",
    [
        "/",
        "/issues/",
        "/issues/?status=submitted",
        "/issues/?overdue=true",
        "/api/v1/citizen-issues/",
        "/loop/",
    ],
)
def test_pages_run_the_same_queries_for_5_and_50_problems(
    client: Client,
    district_staff: User,
    station: Station,
    categories: dict[str, IssueCategory],
    url: str,
) -> None:
    login(client, district_staff)
    _many(station, categories["roads"], 5, 0)
    client.get(url)  # the session and caches warm
    with CaptureQueriesContext(connection) as few:
        assert client.get(url).status_code == 200
    _many(station, categories["roads"], 45, 5)
    with CaptureQueriesContext(connection) as many:
        assert client.get(url).status_code == 200
    assert len(many) == len(few)


def _codes(html: str) -> list[str]:
    return re.findall(r'class="font-monospace">([A-Z0-9]{8})</a>', html)


def _link(html: str, rel: str) -> str | None:
    found = re.search(rf'<a class="page-link" href="([^"]+)" rel="{rel}">', html)
    return found.group(1).replace("&amp;", "&") if found else None


def test_keyset_pages_keep_the_filter_and_show_every_problem_once(
    client: Client,
    district_staff: User,
    station: Station,
    categories: dict[str, IssueCategory],
) -> None:
    _many(station, categories["roads"], 120, 0)
    submit(station=station, category=categories["utilities"], mobile="13700000000")
    login(client, district_staff)
    query = f"?category={categories['roads'].pk}"
    first = client.get(f"/issues/{query}").content.decode()
    assert 'data-testid="issue-total">120<' in first.replace(" ", "")
    seen = _codes(first)
    pages = [seen]
    link = _link(first, "next")
    while link is not None:
        assert f"category={categories['roads'].pk}" in link and "after=" in link
        body = client.get(f"/issues/{link}").content.decode()
        pages.append(_codes(body))
        link = _link(body, "next")
    assert [len(page) for page in pages] == [50, 50, 20]
    listed = [code for page in pages for code in page]
    newest_first = CitizenIssue.objects.filter(category=categories["roads"]).order_by(
        "-created_at", "-pk"
    )
    assert listed == list(newest_first.values_list("tracking_code", flat=True))
    # 上一页 from the last page shows the second page again; 首页 the first.
    back = _link(body, "prev")
    assert back is not None and "before=" in back
    assert _codes(client.get(f"/issues/{back}").content.decode()) == pages[1]
    assert _link(body, "first") == f"?category={categories['roads'].pk}"


def test_a_broken_cursor_shows_the_first_page(
    client: Client, district_staff: User, station: Station, categories: dict[str, IssueCategory]
) -> None:
    _many(station, categories["roads"], 3, 0)
    login(client, district_staff)
    response = client.get("/issues/", {"after": "not-a-cursor"})
    assert response.status_code == 200 and len(_codes(response.content.decode())) == 3


def test_the_api_pages_by_cursor(
    client: Client, district_staff: User, station: Station, categories: dict[str, IssueCategory]
) -> None:
    _many(station, categories["roads"], 55, 0)
    login(client, district_staff)
    first = client.get("/api/v1/citizen-issues/").json()
    assert len(first["results"]) == 50 and first["previous"] is None
    second = client.get(first["next"]).json()
    assert len(second["results"]) == 5 and second["next"] is None
    ids = [row["id"] for row in first["results"] + second["results"]]
    assert len(set(ids)) == 55


def test_a_moved_region_takes_its_problems_along(
    world: World,
    district_staff: User,
    other_district_staff: User,
    station: Station,
    categories: dict[str, IssueCategory],
    django_capture_on_commit_callbacks: Any,
) -> None:
    issue = submit(station=station, category=categories["roads"])
    assert selectors.visible_issues(district_staff).filter(pk=issue.pk).exists()
    with django_capture_on_commit_callbacks(execute=True):
        world.town.parent = world.other_district  # an administrator redraws the map
        world.town.save()
    assert not selectors.visible_issues(district_staff).filter(pk=issue.pk).exists()
    assert selectors.visible_issues(other_district_staff).filter(pk=issue.pk).exists()
    assert services.issue_counts_differences() == {}
    # The dashboard's monthly row moved too: the other district's column holds it.
    row = IssueMonthCount.objects.get(area=issue.count_area_id)
    depth = world.other_district.depth
    assert getattr(row, f"area_{depth}") == world.other_district.pk and row.received == 1
    at_station = IssueStationMonthCount.objects.get(station=station)
    assert getattr(at_station, f"area_{depth}") == world.other_district.pk
    assert services.issue_month_areas_differences() == {}
