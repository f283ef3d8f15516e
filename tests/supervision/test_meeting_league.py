"""The members' satisfaction marks on a report count in the departments' league as
ratings of the reporting body (docs/dashboard.md, "承办单位"; issue #16), through the
real services.

海州区交通运输局 reports to 海州区's standing committee (27 members). The first vote:
10 满意, 3 基本满意, 5 不满意 (18 ballots, nine members absent) → 不满意, so the body
reports again at the next meeting, an item of its own; its vote: 2 满意, 4 不满意.

On the body's row of the reports' case type, in the month of the closes: 24 ratings,
15 satisfied (10 + 3 + 2), 9 unsatisfied (5 + 4) → 满意率 62.5%. The staff's loop
item of sending the report to the members is nobody's report and is not rated.

A 研究处理情况报告 heard at a later meeting rates the body's handling of the review
opinion, on the opinion's loop item: see the second test. At an inquiry, the askers' satisfaction with the officials' answers rates the answering
department (no loop item): see the third test.
"""

from __future__ import annotations

from collections.abc import Callable

from django.test import Client
from django.utils import timezone

from congress.models import HandlingCount, User
from supervision.meetings import services
from supervision.meetings.workflow import OPINION_CASE, QUESTION_CASE, REPORT_CASE
from supervision.models.meetings import EvaluationVote, ItemKind, Question
from tests.conftest import World
from tests.league_support import departments_panel, league_row, rated_rows, recounted_the_same
from tests.supervision.test_meeting_opinions import heard_report
from tests.supervision.test_meeting_services import (  # noqa: F401 - the fixtures
    B,
    D,
    S,
    ballot_keys,
    cast_all,
    members,
    schedule,
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
    assert rated_rows() == [(world.department.pk, REPORT_CASE, month, 24, 15, 9)]
    recounted_the_same()  # from the closed votes' published counts
    panel = departments_panel(client, district_staff, month)
    row = league_row(panel, "海州区交通运输局")
    assert row[5] == "62.5%"


def test_a_vote_on_a_handling_report_rates_the_bodys_handling_of_the_opinion(
    client: Client,
    world: World,
    members: list[User],  # noqa: F811 - the fixture
    ballot_keys: None,  # noqa: F811 - the fixture
    district_staff: User,
    clerk: User,
) -> None:
    """海州区交通运输局's report is heard; the review opinion on it is issued to the bureau,
    which sends its 研究处理情况报告; heard at the next meeting, the members rate it 9
    满意, 2 基本满意, 3 不满意: 14 ratings, 11 satisfied, 3 unsatisfied → 78.6%, on the
    opinion's loop item (the heard report has no report stage of its own)."""
    item = heard_report(world, district_staff, clerk)
    opinion = services.opinion_draft(
        item=item, department=world.department, text="加快农村公路建设。", by=district_staff
    )
    services.opinion_issue(opinion=opinion, by=district_staff)
    services.opinion_report_handling(opinion=opinion, text="已完成12公里改造。", by=clerk)
    later = schedule(world, district_staff, number=2)
    heard = services.opinion_schedule(opinion=opinion, meeting=later, by=district_staff)
    services.meeting_hold(meeting=later, by=district_staff)
    vote = services.evaluation_open(item=heard, by=district_staff)
    cast_all(vote, members, [S] * 9 + [B] * 2 + [D] * 3)
    services.evaluation_close(vote=vote, by=district_staff)

    month = timezone.localdate().replace(day=1)
    assert rated_rows() == [(world.department.pk, OPINION_CASE, month, 14, 11, 3)]
    recounted_the_same()
    row = league_row(departments_panel(client, district_staff, month), "海州区交通运输局")
    assert row[5] == "78.6%"


def test_an_askers_satisfaction_rates_the_answering_department(
    client: Client, world: World, district_staff: User
) -> None:
    """At 海州区's inquiry, with 海州区交通运输局 answering:

    | question | recorded | later | counts |
    | --- | --- | --- | --- |
    | 何时完工？ | 满意 | | satisfied |
    | 追问：资金落实了吗？ | 不满意 | corrected to 基本满意 | satisfied (the 不满意 taken out) |
    | 占道施工怎么管？ | 不满意 | | unsatisfied |
    | 工期为何拖延？ | (none) | answered, 基本满意 | satisfied |
    | 公交站何时恢复？ | 满意 | answered again, cleared | nothing |
    | 群众怎样监督？ (no department) | 满意 | | nothing |

    4 ratings, 3 satisfied, 1 unsatisfied → 满意率 75.0%.
    """
    meeting = schedule(world, district_staff)
    inquiry = services.agenda_add(
        meeting=meeting, kind=ItemKind.INQUIRY, title="交通建设专题询问", by=district_staff
    )

    def ask(text: str, satisfaction: str = "", **extra: object) -> Question:
        fields = {"department": world.department, **extra}
        return services.question_record(
            item=inquiry,
            asker="王委员",
            respondent="局长",
            text=text,
            answer="正在推进。",
            satisfaction=satisfaction,
            by=district_staff,
            **fields,  # type: ignore[arg-type]
        )

    first = ask("何时完工？", S)
    follow = ask("资金落实了吗？", D, follow_up_of=first)
    ask("占道施工怎么管？", D)
    late = ask("工期为何拖延？")
    cleared = ask("公交站何时恢复？", S)
    ask("群众怎样监督？", S, department=None)
    services.question_answer(question=follow, answer="已落实。", satisfaction=B, by=district_staff)
    services.question_answer(question=late, answer="因雨季。", satisfaction=B, by=district_staff)
    services.question_answer(question=cleared, answer="下月恢复。", by=district_staff)

    month = timezone.localdate().replace(day=1)
    rows = HandlingCount.objects.filter(case_type=QUESTION_CASE)
    assert [
        (r.department_id, r.area_id, r.month, r.rated, r.satisfied, r.unsatisfied) for r in rows
    ] == [(world.department.pk, world.district.pk, month, 4, 3, 1)]
    recounted_the_same(rows)  # from the questions themselves
    panel = departments_panel(client, district_staff, month)
    row = league_row(panel, "海州区交通运输局")
    assert row[5] == "75.0%"
