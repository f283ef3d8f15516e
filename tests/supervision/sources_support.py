"""A year of problems and suggestions in 江海市 for topic selection from the data
(docs/supervision-sources.md), made through the real services on a fixed clock.

Today is Friday 20 November 2026 (Asia/Shanghai); the window is December 2025 to
November 2026. By hand:

- a (道路交通, 海州区, Nov): handed to 海州区交通运输局, answered, reported back,
  rated 不满意 (one rating, one 不满意), answered again by the department (its step
  counts once, in November);
- b (道路交通, 海州区, Nov): answered by the staff, rated 基本满意 (one rating);
- c (生态环境, 海州区, Oct): never accepted;
- f (道路交通, 临江区, Nov): accepted only;
- two suggestions on 交通运输 by 刘红 (桃园社区, 海州区) to the city's congress,
  submitted on 10 January 2026; the first registered (第1号).

So 道路交通 and 交通运输 are one cluster (交通运输). At the city: 交通运输 3 problems
and 2 suggestions, trend January 2, November 3, 不满意率 1 ÷ 2 = 50.0%; 生态环境 1
problem in October, nothing rated (—); places 海州区 3 + 2 and 临江区 1 + 0; the
department 海州区交通运输局 1 answered problem, its answer rated once, 不满意 (100.0%;
b was answered by the staff, so its rating is no department's). At 海州区: 交通运输 2
problems (the city congress's suggestions are not the district's), 生态环境 1; place
新浦街道 3.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any
from unittest import mock
from zoneinfo import ZoneInfo

from congress import loop
from congress.models import Session, SessionKind, Term, User
from representatives.models import Mandate, Representative, Station
from suggestions.citizen import services as citizen
from suggestions.formal import services as formal
from suggestions.models.citizen import IssueCategory, IssueRating
from suggestions.models.formal import Suggestion
from tests.conftest import World
from tests.suggestions_citizen.conftest import submit

SHANGHAI = ZoneInfo("Asia/Shanghai")
TODAY = datetime.date(2026, 11, 20)


@contextmanager
def clock(month: int, day: int, hour: int = 10, year: int = 2026) -> Iterator[None]:
    moment = datetime.datetime(year, month, day, hour, tzinfo=SHANGHAI)
    with mock.patch("django.utils.timezone.now", return_value=moment):
        yield


def today() -> Any:
    """The page's clock: 20 November 2026."""
    return clock(11, 20, 15)


def city_session(world: World) -> Session:
    term = Term.objects.get(congress__region=world.city)
    return Session.objects.create(
        term=term,
        kind=SessionKind.PLENARY,
        number=5,
        opens_on=datetime.date(2026, 1, 8),
        closes_on=datetime.date(2026, 1, 12),
    )


def lead(world: World, user: User) -> Representative:
    person = Representative.objects.create(
        name="刘红", gender="female", region=world.village, user=user
    )
    term = Term.objects.get(congress__region=world.city)
    Mandate.objects.create(
        representative=person,
        level=term.congress.level,
        term=term,
        starts_on=datetime.date(2022, 1, 8),
    )
    return person


def raise_suggestions(
    world: World, user: User, city_staff: User, count: int = 2
) -> list[Suggestion]:
    session = city_session(world)
    person = lead(world, user)
    made = []
    with clock(1, 10):
        for n in range(count):
            suggestion = formal.suggestion_create(
                lead=person,
                session=session,
                title=f"关于优化城区公交线网的建议{n}",
                content="城区东部新建小区多，公交线路少，群众出行不便。",
                category="transport",
                research_basis="走访桃园社区居民。",
                by=user,
            )
            formal.suggestion_submit(suggestion=suggestion, by=user)
            made.append(suggestion)
        formal.suggestion_review(suggestion=made[0], decision="register", by=city_staff)
    for suggestion in made:
        suggestion.refresh_from_db()
    return made


def build_year(
    world: World,
    *,
    district_staff: User,
    city_staff: User,
    clerk: User,
    station: Station,
    representative_user: User,
    categories: dict[str, IssueCategory],
    lead_user: User,
) -> dict[str, Any]:
    roads, environment = categories["roads"], categories["environment"]
    with clock(10, 12):
        c = submit(station=station, category=environment, mobile="13900000003")
    with clock(11, 2, 7):
        a = submit(station=station, category=roads, mobile="13900000001")
    with clock(11, 2, 8):
        b = submit(station=station, category=roads, mobile="13900000002")
    with clock(11, 2, 9):
        f = submit(region=world.other_district, category=roads, mobile="13900000006")
    with clock(11, 2):
        citizen.citizen_issue_accept(issue=a, by=district_staff)
        citizen.citizen_issue_accept(issue=b, by=district_staff)
        citizen.citizen_issue_accept(issue=f, by=city_staff)
        step = citizen.citizen_issue_forward(
            issue=a, department=world.department, by=district_staff, note="请修复"
        )
        loop.assignment_accept(assignment=step, by=clerk)
        citizen.citizen_issue_answer(issue=b, by=district_staff, answer="已处理")
    with clock(11, 3):
        step.refresh_from_db()
        citizen.citizen_issue_department_reply(issue=a, assignment=step, by=clerk, reply="已修")
        citizen.citizen_issue_report_back(issue=a, by=representative_user, answer="已修好")
        citizen.citizen_issue_rate(issue=a, rating=IssueRating.UNSATISFIED, comment="没修好")
    with clock(11, 4):  # handled again after 不满意: answered once more, counted once
        step.refresh_from_db()
        citizen.citizen_issue_department_reply(issue=a, assignment=step, by=clerk, reply="重修")
    with clock(11, 6):
        citizen.citizen_issue_rate(issue=b, rating=IssueRating.BASICALLY)
    suggestions = raise_suggestions(world, lead_user, city_staff)
    for issue in (a, b, c, f):
        issue.refresh_from_db()
    return {"a": a, "b": b, "c": c, "f": f, "suggestions": suggestions}
