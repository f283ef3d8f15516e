"""The members' satisfaction marks on a report count in the departments' league as
ratings of the reporting body (docs/dashboard.md, "承办单位"; issue #16), through the
real services.

海州区交通运输局 reports to 海州区's standing committee (27 members). The first vote:
10 满意, 3 基本满意, 5 不满意 (18 ballots, nine members absent) → 不满意, so the body
reports again at the next meeting, an item of its own; its vote: 2 满意, 4 不满意.

On the body's row of the reports' case type, in the month of the closes: 24 ratings,
15 satisfied (10 + 3 + 2), 9 unsatisfied (5 + 4) → 满意率 62.5%. The staff's loop
item of sending the report to the members is nobody's report and is not rated.
"""

from __future__ import annotations

from collections.abc import Callable

from django.test import Client
from django.utils import timezone

from congress.models import HandlingCount, User
from supervision.meetings import services
from supervision.meetings.workflow import REPORT_CASE
from supervision.models.meetings import EvaluationVote
from tests.conftest import World
from tests.league_support import departments_panel, league_row, recounted_the_same
from tests.supervision.test_meeting_services import (  # noqa: F401 - the fixtures
    B,
    D,
    S,
    ballot_keys,
    cast_all,
    members,
    vote_on,
)


def test_every_mark_on_a_report_rates_the_reporting_body(
    client: Client,
    world: World,
    vote_on: Callable[..., EvaluationVote],  # noqa: F811 - the fixture
    members: list[User],  # noqa: F811 - the fixture
    district_staff: User,
) -> None:
    first = vote_on()
    cast_all(first, members, [S] * 10 + [B] * 3 + [D] * 5)
    services.evaluation_close(vote=first, by=district_staff)
    second = vote_on(re_report_of=first.item)
    cast_all(second, members, [S] * 2 + [D] * 4)
    services.evaluation_close(vote=second, by=district_staff)

    month = timezone.localdate().replace(day=1)
    rows = HandlingCount.objects.filter(rated__gt=0)
    assert [
        (r.department_id, r.case_type, r.month, r.rated, r.satisfied, r.unsatisfied) for r in rows
    ] == [(world.department.pk, REPORT_CASE, month, 24, 15, 9)]
    recounted_the_same(rows)  # from the closed votes' published counts
    panel = departments_panel(client, district_staff, month)
    row = league_row(panel, "海州区交通运输局")
    assert row[5] == "62.5%"
