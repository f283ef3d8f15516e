"""A department clerk's problems read from ``IssueDepartment`` (docs/architecture.md,
"Reads that do not grow with the data").

陈静 (district staff) accepts citizens' problems and forwards them: some to 赵磊's
department, some to the city's transport bureau. Every department a problem was given a step of gets its
row in the same transaction as the step, and a rebuild from the steps finds the same
rows. 赵磊's list shows exactly his department's problems, newest first, page by page
with none repeated or skipped, and costs the same queries for 5 problems as for 50.
"""

from __future__ import annotations

import re
import uuid
from datetime import timedelta

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from congress import loop
from congress.models import Assignment, Department, User
from representatives.models import Station
from suggestions.citizen import home, services
from suggestions.citizen.services.counts import issue_steps_changed
from suggestions.citizen.workflow import ISSUE_CASE
from suggestions.models.citizen import (
    OPEN_ISSUE_STATUSES,
    CitizenIssue,
    IssueCategory,
    IssueDepartment,
    IssueStatus,
)
from tests.conftest import World, login
from tests.suggestions_citizen.conftest import submit


def _handed(
    station: Station,
    category: IssueCategory,
    department: Department,
    staff: User,
    count: int,
    start: int,
) -> list[CitizenIssue]:
    """``count`` problems submitted, accepted and forwarded to ``department``."""
    issues = []
    for n in range(start, start + count):
        issue = submit(station=station, category=category, mobile=f"137{n:08d}", key=uuid.uuid4())
        services.citizen_issue_accept(issue=issue, by=staff)
        services.citizen_issue_forward(issue=issue, department=department, by=staff, note="请办理")
        issues.append(issue)
    return issues


def _kept() -> set[tuple[int, int]]:
    return set(IssueDepartment.objects.values_list("issue_id", "department_id"))


def _facts_follow_the_problems() -> None:
    for row in IssueDepartment.objects.select_related("issue"):
        issue = row.issue
        assert (row.status, row.needs_supervision, row.next_due_on, row.issue_created_at) == (
            issue.status,
            issue.needs_supervision,
            issue.next_due_on,
            issue.created_at,
        ), issue.tracking_code


def _card_counted_the_slow_way(department: Department) -> dict[str, int]:
    """The clerk's card from the steps and the problems' rows, without the kept table."""
    handed = Assignment.objects.filter(case_type=ISSUE_CASE, department=department)
    rows = CitizenIssue.objects.filter(pk__in=handed.values("case_id"))
    return {
        "submitted": rows.filter(status=IssueStatus.SUBMITTED).count(),
        "in_progress": rows.filter(status__in=OPEN_ISSUE_STATUSES).count(),
        "overdue": rows.filter(next_due_on__lt=timezone.localdate()).count(),
        "supervision": rows.filter(needs_supervision=True)
        .exclude(status__in=[IssueStatus.CLOSED, IssueStatus.MERGED])
        .count(),
        "review": 0,
    }


def _card(clerk: User) -> dict[str, int]:
    return {key: figure.value for key, figure in home.home_counts(clerk).items()}


def _codes(html: str) -> list[str]:
    return re.findall(r'class="font-monospace">([A-Z0-9]{8})</a>', html)


def _link(html: str, rel: str) -> str | None:
    found = re.search(rf'<a class="page-link" href="([^"]+)" rel="{rel}">', html)
    return found.group(1).replace("&amp;", "&") if found else None


def test_every_department_given_a_step_has_its_row_and_a_rebuild_finds_the_same(
    world: World,
    district_staff: User,
    clerk: User,
    station: Station,
    categories: dict[str, IssueCategory],
) -> None:
    roads = categories["roads"]
    ours = _handed(station, roads, world.department, district_staff, 2, 0)
    theirs = _handed(station, roads, world.city_department, district_staff, 1, 2)
    waiting = submit(station=station, category=roads, mobile="13600000009")
    services.citizen_issue_accept(issue=waiting, by=district_staff)
    expected = {(i.pk, world.department.pk) for i in ours} | {
        (theirs[0].pk, world.city_department.pk)
    }
    assert _kept() == expected
    _facts_follow_the_problems()
    assert _card(clerk) == _card_counted_the_slow_way(world.department)

    # The department's clerk accepts and replies: the step moves, no second row.
    step = loop.visible_assignments(clerk).get(case_id=ours[0].pk)
    loop.assignment_accept(assignment=step, by=clerk)
    step.refresh_from_db()
    services.citizen_issue_department_reply(
        issue=ours[0], assignment=step, by=clerk, reply="已修复"
    )
    assert _kept() == expected
    _facts_follow_the_problems()
    assert _card(clerk) == _card_counted_the_slow_way(world.department)

    # The other problem's step is two days past its due date (written straight to the
    # row, then the engine's hook told, as the engine does after moving a due date).
    late = loop.visible_assignments(clerk).get(case_id=ours[1].pk)
    Assignment.objects.filter(pk=late.pk).update(due_on=timezone.localdate() - timedelta(days=2))
    issue_steps_changed(ours[1].pk)
    _facts_follow_the_problems()
    assert _card(clerk) == _card_counted_the_slow_way(world.department)
    assert _card(clerk)["overdue"] == 1
    assert IssueDepartment.objects.get(issue=ours[0]).issue_created_at == ours[0].created_at

    IssueDepartment.objects.all().delete()
    assert services.issue_reads_rebuild()["departments"] == 3
    assert _kept() == expected


def test_a_clerks_pages_show_their_departments_problems_newest_first_each_once(
    client: Client,
    world: World,
    district_staff: User,
    clerk: User,
    station: Station,
    categories: dict[str, IssueCategory],
) -> None:
    roads = categories["roads"]
    ours = _handed(station, roads, world.department, district_staff, 53, 0)
    _handed(station, roads, world.city_department, district_staff, 4, 53)
    submit(station=station, category=roads, mobile="13600000001")  # not handed to anyone

    login(client, clerk)
    first = client.get("/issues/").content.decode()
    pages = [_codes(first)]
    link = _link(first, "next")
    while link is not None:
        body = client.get(f"/issues/{link}").content.decode()
        pages.append(_codes(body))
        link = _link(body, "next")
    assert [len(page) for page in pages] == [50, 3]
    newest_first = sorted(ours, key=lambda issue: (issue.created_at, issue.pk), reverse=True)
    assert [code for page in pages for code in page] == [i.tracking_code for i in newest_first]
    back = _link(body, "prev")
    assert back is not None and _codes(client.get(f"/issues/{back}").content.decode()) == pages[0]

    api = client.get("/api/v1/citizen-issues/").json()
    following = client.get(api["next"]).json()
    listed = [row["id"] for row in api["results"] + following["results"]]
    assert listed == [i.pk for i in newest_first]


@pytest.mark.parametrize("url", ["/issues/", "/issues/?overdue=true", "/api/v1/citizen-issues/"])
def test_a_clerks_list_runs_the_same_queries_for_5_and_50_problems(
    client: Client,
    world: World,
    district_staff: User,
    clerk: User,
    station: Station,
    categories: dict[str, IssueCategory],
    url: str,
) -> None:
    _handed(station, categories["roads"], world.department, district_staff, 5, 0)
    login(client, clerk)
    client.get(url)  # the session and caches warm
    with CaptureQueriesContext(connection) as few:
        assert client.get(url).status_code == 200
    _handed(station, categories["roads"], world.department, district_staff, 45, 5)
    with CaptureQueriesContext(connection) as many:
        assert client.get(url).status_code == 200
    assert len(many) == len(few)
