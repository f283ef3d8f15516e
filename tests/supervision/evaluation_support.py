"""The cast for department-evaluation stories (tests/supervision/test_evaluation*.py).

海州区's congress evaluates three of its departments (交通运输局, 水务局, 住建局) on two
criteria, 工作作风 70 % and 服务质量 30 %. 刘红 (representative_user) and 张伟, 王军, 李娜
are 海州区 representatives with logins; 赵敏 has a seat and a login but does not score;
吴明 sits only for 临江区.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.utils import timezone

from congress.models import Department, Region, User
from representatives.models import Representative
from supervision.evaluation import services
from supervision.models.evaluation import Evaluation
from tests.conftest import World
from tests.factories import DepartmentFactory, UserFactory
from tests.representatives.factories import RepresentativeFactory, seat


@dataclass
class EvalCast:
    world: World
    voters: list[Representative]  # 刘红, 张伟, 王军, 李娜
    idle: Representative  # 赵敏: seated, does not score
    outsider: Representative  # 吴明, 临江区
    departments: list[Department]  # 交通, 水务, 住建 (海州区)
    other_departments: list[Department]  # 临江区


def make_cast(world: World, representative_user: User) -> EvalCast:
    names = [("刘红", representative_user), ("张伟", None), ("王军", None), ("李娜", None)]
    voters = []
    for n, (name, user) in enumerate(names):
        user = user or UserFactory(username=f"evalrep{n}", display_name=name)
        rep = RepresentativeFactory(name=name, region=world.village, user=user)
        seat(rep, world.district)
        voters.append(rep)
    idle = RepresentativeFactory(
        name="赵敏", region=world.village, user=UserFactory(username="zhaomin", display_name="赵敏")
    )
    seat(idle, world.district)
    outsider = RepresentativeFactory(
        name="吴明",
        region=world.other_district,
        user=UserFactory(username="wuming_e", display_name="吴明"),
    )
    seat(outsider, world.other_district)
    departments = [
        world.department,  # 海州区交通运输局
        DepartmentFactory(name="海州区水务局", region=world.district),
        DepartmentFactory(name="海州区住房和城乡建设局", region=world.district),
    ]
    other_departments = [
        world.other_department,
        DepartmentFactory(name="临江区水务局", region=world.other_district),
    ]
    return EvalCast(world, voters, idle, outsider, departments, other_departments)


def make_evaluation(
    region: Region,
    departments: list[Department],
    by: User,
    *,
    criteria: list[tuple[str, int]] | None = None,
    title: str = "2026年度政府部门工作评议",
) -> Evaluation:
    now = timezone.now()
    return services.evaluation_create(
        congress=region.congress,
        title=title,
        year=2026,
        opens_at=now - datetime.timedelta(hours=1),
        closes_at=now + datetime.timedelta(days=7),
        criteria=[("工作作风", 70), ("服务质量", 30)] if criteria is None else criteria,
        departments=departments,
        by=by,
    )
