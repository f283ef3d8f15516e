"""A case page's timeline reads its events without joining the accounts (issue 13).

陈静 (district staff) accepts and forwards a citizen's problem and opens it. The
timeline names her on each step; the events are read on their case's index and their
actors fetched by key afterwards, so the page's cost does not grow with the number of
accounts in the province (the join made PostgreSQL hash the whole table of accounts
on every case page: docs/benchmarks.md).
"""

from __future__ import annotations

import uuid

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from congress.models import User
from representatives.models import Station
from suggestions.citizen import services
from suggestions.models.citizen import CitizenIssue, IssueCategory
from tests.conftest import World, login
from tests.suggestions_citizen.conftest import submit


def _page(client: Client, issue: CitizenIssue) -> tuple[str, list[str]]:
    with CaptureQueriesContext(connection) as captured:
        response = client.get(f"/issues/{issue.pk}/")
    assert response.status_code == 200
    return response.content.decode(), [q["sql"] for q in captured]


@pytest.fixture
def forwarded_page(
    client: Client,
    world: World,
    district_staff: User,
    station: Station,
    categories: dict[str, IssueCategory],
) -> tuple[str, list[str]]:
    """A problem 陈静 accepted and forwarded to the department, its page as she opens it."""
    issue = submit(station=station, category=categories["roads"], key=uuid.uuid4())
    services.citizen_issue_accept(issue=issue, by=district_staff)
    services.citizen_issue_forward(
        issue=issue, department=world.department, by=district_staff, note="请办理"
    )
    login(client, district_staff)
    return _page(client, issue)


def test_the_timeline_names_its_actors_without_joining_the_accounts(
    forwarded_page: tuple[str, list[str]], district_staff: User
) -> None:
    body, queries = forwarded_page
    label = district_staff.display_name or district_staff.username
    assert body.count(label) >= 2  # 受理 and 转办, each named
    events = [sql for sql in queries if 'FROM "congress_caseevent"' in sql]
    joined = '("congress_caseevent"."actor_id" = "congress_user"."id")'
    assert events and all(joined not in sql for sql in events)


def test_the_steps_and_their_assignees_are_read_by_key_after_the_events(
    forwarded_page: tuple[str, list[str]], world: World
) -> None:
    """The events' query joins nothing: the steps (with their department, clerk or
    office) come from a second query on the steps' keys, which joins those few rows
    (a join from the events made PostgreSQL hash every account and every region of
    a province: 69 ms of a case page at 5 million problems)."""
    body, queries = forwarded_page
    assert world.department.name in body  # the 转办 step names its department
    events = [sql for sql in queries if 'FROM "congress_caseevent"' in sql]
    assert events and all(" JOIN " not in sql for sql in events)
    steps = [
        sql
        for sql in queries
        if sql.startswith('SELECT "congress_assignment"')
        and 'WHERE ("congress_assignment"."id"' in sql.replace('WHERE "', 'WHERE ("')
    ]
    assert len(steps) == 1
    assert 'JOIN "congress_department"' in steps[0]
