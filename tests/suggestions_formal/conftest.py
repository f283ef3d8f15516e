"""The cast for suggestion stories.

The city congress (江海市) holds its annual session in January 2026. 刘红
(representative_user) is a city representative living in 桃园社区 (海州区); 张伟 and
王军 are city representatives too; 孙悦 sits only for 临江区 (another congress). City
staff (周文华) review and assign; 海州区交通运输局 (clerk 赵磊) leads the handling and
江海市交通运输局 (clerk 钱进) co-handles; 临江区住建局's clerk (孙丽) has nothing to do
with it. A ``clock`` lets a story move through the year: the services read the time from
``django.utils.timezone.now``.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterator
from dataclasses import dataclass

import pytest
from django.utils import timezone

from congress.models import Department, Role, Session, SessionKind, Term, User
from representatives.models import Mandate, Representative, RepresentativeGroup
from suggestions.formal import services
from suggestions.models.formal import Suggestion
from tests.conftest import World
from tests.factories import UserFactory, grant


class Clock:
    """A settable "now" for the services (and auto_now fields) under test."""

    def __init__(self, monkeypatch: pytest.MonkeyPatch) -> None:
        self.now = timezone.now()
        monkeypatch.setattr(timezone, "now", lambda: self.now)

    def set(self, day: datetime.date, hour: int = 10) -> None:
        self.now = timezone.make_aware(datetime.datetime.combine(day, datetime.time(hour)))

    def advance(self, days: int) -> None:
        self.now += datetime.timedelta(days=days)

    @property
    def today(self) -> datetime.date:
        return timezone.localdate(self.now)


@pytest.fixture
def clock(monkeypatch: pytest.MonkeyPatch) -> Iterator[Clock]:
    clock = Clock(monkeypatch)
    clock.set(datetime.date(2026, 1, 10))  # during the session
    yield clock


def city_term(world: World) -> Term:
    return Term.objects.get(congress__region=world.city)


def rep(
    name: str, world: World, *, user: User | None = None, terms: list[Term] | None = None
) -> Representative:
    person = Representative.objects.create(
        name=name, gender="female", region=world.village, user=user
    )
    for term in terms if terms is not None else [city_term(world)]:
        Mandate.objects.create(
            representative=person,
            level=term.congress.level,
            term=term,
            starts_on=datetime.date(2022, 1, 8),
        )
    return person


@dataclass
class Cast:
    session: Session
    lead: Representative
    cosigner: Representative
    third: Representative
    outsider: Representative
    cosigner_user: User
    third_user: User
    outsider_user: User
    city_clerk: User
    group: RepresentativeGroup

    @property
    def lead_user(self) -> User:
        assert self.lead.user is not None
        return self.lead.user


@pytest.fixture
def cast(world: World, representative_user: User) -> Cast:
    term = city_term(world)
    session = Session.objects.create(
        term=term,
        kind=SessionKind.PLENARY,
        number=5,
        opens_on=datetime.date(2026, 1, 8),
        closes_on=datetime.date(2026, 1, 12),
    )
    cosigner_user = UserFactory(username="zhangwei", display_name="张伟")
    third_user = UserFactory(username="wangjun", display_name="王军")
    outsider_user = UserFactory(username="sunyue", display_name="孙悦")
    other_term = Term.objects.get(congress__region=world.other_district)
    city_clerk = grant(
        UserFactory(username="qianjin", display_name="钱进"),
        Role.HANDLER,
        department=world.city_department,
    )
    return Cast(
        session=session,
        lead=rep("刘红", world, user=representative_user),
        cosigner=rep("张伟", world, user=cosigner_user),
        third=rep("王军", world, user=third_user),
        outsider=rep("孙悦", world, user=outsider_user, terms=[other_term]),
        cosigner_user=cosigner_user,
        third_user=third_user,
        outsider_user=outsider_user,
        city_clerk=city_clerk,
        group=RepresentativeGroup.objects.create(name="新浦街道代表小组", region=world.town),
    )


def draft(cast: Cast, title: str = "关于优化城区公交线网的建议", **kwargs: object) -> Suggestion:
    return services.suggestion_create(
        lead=cast.lead,
        session=cast.session,
        title=title,
        content="城区东部新建小区多，公交线路少，群众出行不便。建议新增线路并加密班次。",
        category="transport",
        research_basis="走访桃园社区居民，召开座谈会两次。",
        by=cast.lead_user,
        **kwargs,  # type: ignore[arg-type]
    )


def registered(cast: Cast, city_staff: User, **kwargs: object) -> Suggestion:
    suggestion = draft(cast, **kwargs)
    services.suggestion_submit(suggestion=suggestion, by=cast.lead_user)
    services.suggestion_review(suggestion=suggestion, decision="register", by=city_staff)
    return suggestion


def assigned(
    cast: Cast, city_staff: User, world: World, *, co_handler: Department | None = None
) -> Suggestion:
    suggestion = registered(cast, city_staff)
    services.suggestion_assign(
        suggestion=suggestion,
        lead_department=world.department,
        co_handlers=[co_handler] if co_handler else [],
        by=city_staff,
    )
    return suggestion


__all__ = ["Cast", "Clock", "assigned", "draft", "registered"]
