"""The cast for representatives stories.

刘红 (representative_user) is a representative of 海州区 (county) and 新浦街道's
township congress, living in 桃园社区 and stationed at the 新浦 station. 张伟 is
another 海州区 representative; 孙悦 sits for 临江区, the other district.
"""

from __future__ import annotations

import pytest

from congress.models import User
from representatives.models import Representative, Station
from tests.browser.conftest import browser, new_page, phone_page  # noqa: F401 - fixtures
from tests.conftest import World
from tests.factories import UserFactory
from tests.representatives.factories import RepresentativeFactory, seat, station_with


@pytest.fixture
def representative(world: World, representative_user: User) -> Representative:
    rep = RepresentativeFactory(
        name="刘红",
        region=world.village,
        user=representative_user,
        mobile="13900000001",
        phone_policy="public",
    )
    seat(rep, world.district)
    seat(rep, world.town)
    return rep


@pytest.fixture
def other_representative(world: World) -> Representative:
    user = UserFactory(username="zhangwei", display_name="张伟")
    rep = RepresentativeFactory(name="张伟", region=world.village, user=user)
    seat(rep, world.district)
    return rep


@pytest.fixture
def far_representative(world: World) -> Representative:
    rep = RepresentativeFactory(name="孙悦", region=world.other_district)
    seat(rep, world.other_district)
    return rep


@pytest.fixture
def station(
    world: World, representative: Representative, other_representative: Representative
) -> Station:
    return station_with(
        world.town, [representative, other_representative], name="新浦街道人大代表联络站"
    )
