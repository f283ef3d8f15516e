"""The departments' league counts the representatives' ratings of a department's
answer to a suggestion (docs/dashboard.md, "承办单位"; issue #16), through the real
services on a set clock.

刘红's suggestion is handed to 海州区交通运输局 in January 2026. In March:

- Mon 2 Mar: the department answers (A); 刘红 rates the result 不满意 (sent back);
- Fri 20 Mar: it answers again; 刘红 rates it 基本满意: the rating is complete, closed;
- Wed 25 Mar: 新浦街道代表小组's 二次评价 finds it 满意.

So in March, on 海州区交通运输局's row of the suggestions' case type: 3 ratings, 2
satisfied, 1 unsatisfied → 满意率 66.7%; one answer (the second: the first left
the count when it was sent back).
"""

from __future__ import annotations

import datetime

from django.test import Client

from congress.models import HandlingCount, User
from suggestions.formal import services
from suggestions.formal.workflow import SUGGESTION_CASE
from tests.conftest import World
from tests.league_support import departments_panel, league_row, recounted_the_same
from tests.suggestions_formal.conftest import Cast, Clock, assigned


def _reply(suggestion: object, clerk: User) -> None:
    services.suggestion_reply(
        suggestion=suggestion,  # type: ignore[arg-type]
        category="A",
        text="经研究，已于3月新开通128路公交，覆盖桃园社区。",
        signing_official="李明（局长）",
        by=clerk,
    )


def test_every_rating_of_the_answer_counts_in_the_league(
    client: Client, world: World, city_staff: User, clerk: User, cast: Cast, clock: Clock
) -> None:
    clock.set(datetime.date(2026, 1, 15))
    suggestion = assigned(cast, city_staff, world)
    lead = suggestion.lead_assignment
    assert lead is not None
    services.handling_accept(assignment=lead, by=clerk)
    clock.set(datetime.date(2026, 3, 2))
    _reply(suggestion, clerk)
    services.suggestion_rate(
        suggestion=suggestion,
        representative=cast.lead,
        attitude="satisfied",
        result="unsatisfied",
        comment="线路调整方案未征求居民意见",
        by=cast.lead_user,
    )
    clock.set(datetime.date(2026, 3, 20))
    suggestion.refresh_from_db()
    _reply(suggestion, clerk)
    services.suggestion_rate(
        suggestion=suggestion,
        representative=cast.lead,
        attitude="satisfied",
        result="basically",
        by=cast.lead_user,
    )
    clock.set(datetime.date(2026, 3, 25))
    suggestion.refresh_from_db()
    services.group_evaluation_record(
        suggestion=suggestion,
        group=cast.group,
        held_on=datetime.date(2026, 3, 24),
        participants=9,
        result="satisfied",
        by=city_staff,
    )

    rows = HandlingCount.objects.filter(case_type=SUGGESTION_CASE, department=world.department)
    assert [(r.month, r.finished, r.rated, r.satisfied, r.unsatisfied) for r in rows] == [
        (datetime.date(2026, 3, 1), 1, 3, 2, 1)
    ]
    recounted_the_same(rows)  # from the ratings' own tables
    panel = departments_panel(client, city_staff, datetime.date(2026, 3, 1))
    assert panel["tables"][0]["columns"][-1] == "满意率"
    row = league_row(panel, "海州区交通运输局")
    assert (row[2], row[5]) == (1, "66.7%")
    figures = {figure["key"]: figure["value"] for figure in panel["figures"]}
    assert figures["satisfaction_rate"] == 66.7
