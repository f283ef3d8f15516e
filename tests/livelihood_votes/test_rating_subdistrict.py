"""A subdistrict's year-end rating: 新浦街道 (world.town) has no congress; its 议政会's
voter delegates rate the year's projects. Four delegates of its community are the
electorate (赵敏 with a login, three who rate on paper); 郑洁 left the 议政会 and is not
in it; 刘红, a representative, is nobody in this rating. 王芳 (town staff) runs it."""

from __future__ import annotations

import datetime

import pytest

from congress.ballots import errors as ballot_errors
from congress.models import Elector, Notification, User
from congress.models.ballots import Rating
from livelihood_votes.models import Electorate, Project
from livelihood_votes.ratings import services
from representatives.models import VoterDelegate
from tests.factories import UserFactory
from tests.livelihood_votes.conftest import Cast
from tests.livelihood_votes.test_rating_support import make_cycle, projects_of

S, B, D = Rating.SATISFIED, Rating.BASIC, Rating.DISSATISFIED


def _delegate(name: str, cast: Cast, *, active: bool = True) -> VoterDelegate:
    return VoterDelegate.objects.create(
        name=name,
        gender="female",
        region=cast.world.village,
        starts_on=datetime.date(2022, 1, 10),
        is_active=active,
    )


@pytest.mark.django_db
def test_voter_delegates_rate_a_subdistricts_projects(
    cast: Cast, town_staff: User, district_staff: User
) -> None:
    zhao, qian, sun, li = (_delegate(n, cast) for n in ("赵敏", "钱芳", "孙强", "李娜"))
    former = _delegate("郑洁", cast, active=False)
    zhao.user = UserFactory(username="zhaomin", display_name="赵敏")
    zhao.save(update_fields=["user"])
    cycle = make_cycle(
        cast.world.town, cast.world.department, electorate=Electorate.VOTER_DELEGATES
    )
    a, b, c = projects_of(cycle)
    rating = services.rating_open(cycle=cycle, by=town_staff)
    assert sorted(Elector.objects.filter(box=rating.box).values_list("voter", flat=True)) == sorted(
        d.pk for d in (zhao, qian, sun, li)
    )
    assert former.pk not in Elector.objects.filter(box=rating.box).values_list("voter", flat=True)

    with pytest.raises(ballot_errors.NotAnElector):  # a representative is nobody here
        services.rating_cast(rating=rating, choices={a.pk: S, b.pk: S, c.pk: S}, by=cast.liu.user)
    services.rating_cast(rating=rating, choices={a.pk: S, b.pk: B, c.pk: D}, by=zhao.user)
    # 钱芳 in the hall: one paper sheet, read alike by 王芳 and 陈静.
    services.rating_sign_in(rating=rating, voter=qian.pk, by=town_staff)
    with pytest.raises(ballot_errors.NotAnElector):
        services.rating_sign_in(rating=rating, voter=former.pk, by=town_staff)
    sheet = {a.pk: S, b.pk: S, c.pk: D}
    services.rating_paper_enter(rating=rating, sheet=1, choices=sheet, by=town_staff)
    services.rating_paper_enter(rating=rating, sheet=1, choices=sheet, by=district_staff)
    services.rating_close(rating=rating, by=town_staff)

    # Four delegates: A 2 满意 (4 ≥ 4) 满意; B 1 满意 + 1 基本满意 (2 < 4, 4 ≥ 4) 基本满意;
    # C none → 不满意.
    ratings = dict(Project.objects.filter(cycle=cycle).values_list("title", "rating"))
    assert ratings == {a.title: S, b.title: B, c.title: D}
    assert Project.objects.get(carried_from=c).cycle.region == cast.world.town
    told = set(
        Notification.objects.filter(kind="livelihood.rating_result").values_list(
            "recipient", flat=True
        )
    )
    assert told == {zhao.user_id}
