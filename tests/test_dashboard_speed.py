"""What one dashboard request reads (issue 16, the speed budget's second pass;
docs/dashboard.md): the departments' 当前超期 and league from one bounded read, the
handling summary read once for the two panels that show it, and the page's queries
held to a budget that may only go down.

The overdue steps are the engine's own (``tests.case``), created through
``loop.assignment_create`` on a fixed day and read on 10 November 2026.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterator
from unittest import mock
from zoneinfo import ZoneInfo

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from congress import dashboard_panels, loop
from congress.dashboard import Period, Scope
from congress.dashboard_panels import departments_panel
from congress.models import Department, User
from suggestions.citizen.dashboard import citizen_panel
from tests.conftest import World, login
from tests.loop_support import TEST_CASE

SHANGHAI = ZoneInfo("Asia/Shanghai")
NOVEMBER = Period("months", datetime.date(2026, 11, 1), datetime.date(2026, 11, 1))
READ_ON = datetime.date(2026, 11, 10)

# The city staff's dashboard in the test world after the second pass (the generated
# city's page: 38 queries before it, 30 after). Lower it when a panel reads less.
PAGE_BUDGET = 27


@pytest.fixture
def on_the_second() -> Iterator[None]:
    moment = datetime.datetime(2026, 11, 2, 10, tzinfo=SHANGHAI)
    with mock.patch("django.utils.timezone.now", return_value=moment):
        yield


def _overdue(world: World, by: User, department: Department, count: int) -> None:
    """``count`` open steps of ``department`` in the district, due Tue 3 November."""
    for n in range(count):
        loop.assignment_create(
            case_type=TEST_CASE,
            case_id=1000 + n,
            title=f"井盖缺失{n}",
            region=world.village,
            by=by,
            department=department,
            due_on=datetime.date(2026, 11, 3),
        )


def _figure(panel: object, key: str) -> object:
    return next(figure for figure in panel.figures if figure.key == key)  # type: ignore[attr-defined]


def test_the_overdue_figure_and_column_come_from_one_bounded_read(
    world: World,
    district_staff: User,
    city_staff: User,
    on_the_second: None,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """With a bound of 3: three overdue steps are "3", four are "3+" and the league
    counts the three longest overdue; the panel reads the user's steps, the summary and
    the overdue rows (three queries, no separate count)."""
    monkeypatch.setattr(dashboard_panels, "COUNT_BOUND", 3)
    _overdue(world, district_staff, world.department, 2)
    _overdue(world, district_staff, world.other_department, 1)
    scope = Scope(city_staff, world.city, NOVEMBER, [], READ_ON)
    assert city_staff.staff_regions  # the user's grants, read once per request
    with CaptureQueriesContext(connection) as queries:
        panel = departments_panel(scope)
    overdue = _figure(panel, "overdue")
    assert (overdue.value, overdue.more, overdue.display) == (3, False, "3")  # type: ignore[attr-defined]
    assert len(queries) == 3, [q["sql"][:90] for q in queries.captured_queries]
    league = {row[0]: row[1] for row in panel.tables[0].rows}
    assert league == {world.department.name: 2, world.other_department.name: 1}

    _overdue(world, district_staff, world.other_department, 1)
    panel = departments_panel(Scope(city_staff, world.city, NOVEMBER, [], READ_ON))
    overdue = _figure(panel, "overdue")
    assert (overdue.value, overdue.more, overdue.display) == (3, True, "3+")  # type: ignore[attr-defined]
    # The three longest overdue (all due the same day: the first created first).
    assert sum(row[1] for row in panel.tables[0].rows) == 3


def test_the_handling_summary_is_read_once_for_both_panels(
    world: World, district_staff: User, city_staff: User, on_the_second: None
) -> None:
    _overdue(world, district_staff, world.department, 1)
    scope = Scope(city_staff, world.city, NOVEMBER, [world.district, world.other_district], READ_ON)
    with CaptureQueriesContext(connection) as queries:
        citizen_panel(scope)
        departments_panel(scope)
    sql = [query["sql"] for query in queries.captured_queries]
    assert sum('FROM "congress_handlingcount"' in text for text in sql) == 1
    # The user's steps are scoped once: one probe of their personal assignments.
    assert sum(text.startswith('SELECT 1 AS "a" FROM "congress_assignment"') for text in sql) <= 1


def test_the_city_dashboard_keeps_to_its_query_budget(
    client: Client, world: World, city_staff: User
) -> None:
    login(client, city_staff)
    url = reverse("dashboard")
    client.get(url)  # the session's first reads
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    assert len(queries) <= PAGE_BUDGET, "\n".join(q["sql"][:120] for q in queries)
