"""The year-end rating's marks count in the departments' league as ratings of the
responsible department's reported work (docs/dashboard.md, "承办单位"; issue #16),
through the real services.

海州区's three projects (test_rating_support.py). The project 新建社区食堂5个 was first
the responsibility of 临江区住房和城乡建设局, which was asked for its October report;
from November it is 海州区交通运输局's, asked for November's. 整治积水点8处 was asked
for November's report by 海州区交通运输局; 改造老旧小区3个 was never asked for one.

Five of the ten representatives rate (one ballot blank):

| voter | 食堂 | 小区 | 积水点 |
| --- | --- | --- | --- |
| 刘红 | 满意 | 满意 | 不满意 |
| 张伟 | 基本满意 | 满意 | 不满意 |
| 海州代表0 | 满意 | 满意 | 基本满意 |
| 海州代表1 | 不满意 | 满意 | 满意 |
| 海州代表2 | (blank) | | |

So 海州区交通运输局 gets, in the month of the close, on the progress reports' case
type: 食堂's 4 marks (3 satisfied, 1 not) and 积水点's 4 (2 and 2): 8 ratings, 5
satisfied, 3 unsatisfied → 满意率 62.5%. 小区 has no department's report, so its five
满意 rate nobody; 临江区住房和城乡建设局 is no longer responsible and gets none.
"""

from __future__ import annotations

import datetime

import pytest
from django.test import Client
from django.utils import timezone

from congress.models import HandlingCount, User
from congress.models.ballots import Rating
from livelihood_votes.models import Project, ProjectStatus
from livelihood_votes.projects import services as projects
from livelihood_votes.projects.workflow import REPORT_CASE
from livelihood_votes.ratings import services
from tests.league_support import departments_panel, league_row, recounted_the_same
from tests.livelihood_votes.conftest import Cast
from tests.livelihood_votes.test_rating_support import cast_for, make_cycle, opened, projects_of

S, B, D = Rating.SATISFIED, Rating.BASIC, Rating.DISSATISFIED


def _asked_for(project: Project, month: datetime.date) -> None:
    """The month's report asked of the project's department while it is implemented
    (the support module makes the projects completed, as the year's end finds them)."""
    Project.objects.filter(pk=project.pk).update(status=ProjectStatus.IMPLEMENTING)
    project.refresh_from_db()
    projects.report_request(project=project, month=month)
    Project.objects.filter(pk=project.pk).update(status=ProjectStatus.COMPLETED)


@pytest.mark.django_db
def test_every_mark_rates_the_responsible_departments_reported_work(
    client: Client, cast: Cast, district_staff: User
) -> None:
    world = cast.world
    cycle = make_cycle(world.district, world.department)
    canteens, housing, drains = projects_of(cycle)
    year = timezone.localdate().year
    Project.objects.filter(pk=canteens.pk).update(department=world.other_department)
    canteens.refresh_from_db()
    _asked_for(canteens, datetime.date(year, 10, 1))
    Project.objects.filter(pk=canteens.pk).update(department=world.department)
    canteens.refresh_from_db()
    _asked_for(canteens, datetime.date(year, 11, 1))
    _asked_for(drains, datetime.date(year, 11, 1))

    rating = opened(cycle, district_staff)
    services.rating_cast(
        rating=rating, choices={canteens.pk: S, housing.pk: S, drains.pk: D}, by=cast.liu.user
    )
    services.rating_cast(
        rating=rating, choices={canteens.pk: B, housing.pk: S, drains.pk: D}, by=cast.zhang.user
    )
    cast_for(rating, cast.others[0].pk, {canteens: S, housing: S, drains: B})
    cast_for(rating, cast.others[1].pk, {canteens: D, housing: S, drains: S})
    cast_for(rating, cast.others[2].pk, {})
    services.rating_close(rating=rating, by=district_staff)

    month = timezone.localdate().replace(day=1)
    rows = HandlingCount.objects.filter(case_type=REPORT_CASE, rated__gt=0)
    assert [(r.department_id, r.month, r.rated, r.satisfied, r.unsatisfied) for r in rows] == [
        (world.department.pk, month, 8, 5, 3)
    ]
    recounted_the_same(rows)  # from the closed round's results
    panel = departments_panel(client, district_staff, month)
    row = league_row(panel, "海州区交通运输局")
    assert row[5] == "62.5%"
