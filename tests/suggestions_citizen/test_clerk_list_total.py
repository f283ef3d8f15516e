"""The figure in a department clerk's list header (issue 13).

赵磊 is the clerk of one department. 陈静 (district staff) forwards 53 problems to it
and 4 to the city's transport bureau, and one problem is handed to no one. His list's
header shows his 53 — counted on his department's ``IssueDepartment`` rows, which
carry each problem's status, without reading the problems' own rows (at 5 million
problems that read was the list's slowest query, docs/benchmarks.md) — and, narrowed
by status, the problems of that status only.
"""

from __future__ import annotations

import re
import uuid

from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from congress.models import User
from representatives.models import Station
from suggestions.citizen import services
from suggestions.models.citizen import IssueCategory
from tests.conftest import World, login
from tests.suggestions_citizen.conftest import submit


def _forward(
    staff: User, station: Station, category: IssueCategory, department: object, n: int
) -> None:
    for _ in range(n):
        issue = submit(station=station, category=category, key=uuid.uuid4())
        services.citizen_issue_accept(issue=issue, by=staff)
        services.citizen_issue_forward(issue=issue, department=department, by=staff, note="请办理")


def _header(client: Client, url: str) -> tuple[str, list[str]]:
    with CaptureQueriesContext(connection) as captured:
        body = client.get(url).content.decode()
    found = re.search(r'data-testid="issue-total">([^<]*)<', body)
    assert found is not None
    return found.group(1), [q["sql"] for q in captured]


def test_a_clerks_header_counts_his_departments_problems_on_their_kept_rows(
    client: Client,
    world: World,
    district_staff: User,
    clerk: User,
    station: Station,
    categories: dict[str, IssueCategory],
) -> None:
    roads = categories["roads"]
    _forward(district_staff, station, roads, world.department, 53)
    _forward(district_staff, station, roads, world.city_department, 4)
    submit(station=station, category=roads, mobile="13600000001")  # handed to no one

    login(client, clerk)
    total, queries = _header(client, "/issues/")
    assert total == "53"
    counts = [sql for sql in queries if "COUNT(" in sql.upper()]
    assert counts and all("suggestions_citizenissue" not in sql for sql in counts)
    assert any("suggestions_issuedepartment" in sql for sql in counts)

    assert _header(client, "/issues/?status=forwarded")[0] == "53"
    assert _header(client, "/issues/?status=submitted")[0] == "0"
