"""Shared set-up of the year-end rating's tests (no tests here): 海州区's cycle of this
year with three completed projects of 海州区's department, its evaluation window open
today, and ways to fill its ballot box.

The electorate is the livelihood vote's cast (conftest.py): 刘红 and 张伟 (with logins)
and eight more 海州区 representatives, ten in all; 吴明 sits only for 临江区.
"""

from __future__ import annotations

import datetime
from decimal import Decimal
from typing import Any

from django.utils import timezone

from congress.ballots import services as ballots
from congress.models import Department, Region, User
from livelihood_votes.models import Cycle, Project, ProjectStatus
from livelihood_votes.models.ratings import RatingRound
from livelihood_votes.ratings import services

PROJECTS = ("新建社区食堂5个", "改造老旧小区3个", "整治积水点8处")


def make_cycle(
    region: Region,
    department: Department,
    *,
    projects: tuple[str, ...] = PROJECTS,
    year: int | None = None,
    opens: datetime.date | None = None,
    closes: datetime.date | None = None,
    **fields: Any,
) -> Cycle:
    today = timezone.localdate()
    cycle = Cycle.objects.create(
        congress=region.congress,
        region=region,
        year=year or today.year,
        title=f"{region.name}{year or today.year}年度民生实事项目",
        evaluation_opens_on=opens or today - datetime.timedelta(days=1),
        evaluation_closes_on=closes or today + datetime.timedelta(days=10),
        **fields,
    )
    for n, title in enumerate(projects, start=1):
        Project.objects.create(
            cycle=cycle,
            title=title,
            department=department,
            budget=Decimal(100 * n),
            order=n,
            status=ProjectStatus.COMPLETED,
        )
    return cycle


def projects_of(cycle: Cycle) -> list[Project]:
    return list(cycle.projects.order_by("order"))


def opened(cycle: Cycle, by: User) -> RatingRound:
    return services.rating_open(cycle=cycle, by=by)


def cast_for(rating: RatingRound, voter: int, marks: dict[Project, str]) -> str:
    """A voter's ballot straight into the core's box (the voters without a login)."""
    return ballots.ballot_cast(
        box=rating.box, voter=voter, choices={p.pk: mark for p, mark in marks.items()}
    )
