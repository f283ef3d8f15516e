"""Demo meetings of 海州区人大常委会, made by calling the services (seed 003: 海州's
satisfaction vote on a report, 满意 26 票、基本满意 0 票、不满意 0 票).

- a held meeting with its special work report (received), the inquiry on public security
  with questions, answers and a follow-up, and the closed satisfaction vote (26/0/0 of 27
  members, one absent);
- its review opinion (审议意见) issued to the police bureau, its handling report received
  and put on the upcoming meeting's agenda;
- an upcoming meeting, 第22次 in eight days, whose agenda was set a month before (the
  stages' due dates as they were counted then): the city management report's draft came on
  time, the report on time and the office sent it to the members; the housing report's
  draft came on time (with the committee's comments) but the report is past its date and
  still awaited; the education report came in late (flagged), not yet sent to the members.
"""

from __future__ import annotations

import datetime
from typing import Any

from django.utils import timezone

from congress.models import Assignment, Department, Role, RoleGrant, User
from congress.models.ballots import Rating
from supervision.meetings import conf, services
from supervision.meetings.workflow import DRAFT_CASE, REPORT_CASE
from supervision.models.meetings import AgendaItem, ItemKind
from supervision.models.topics import Topic

MEMBERS = 27
SURNAMES = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩"


def _members(ctx: Any, region: Any) -> list[User]:
    """海州区人大常委会's 27 members; the first one can sign in (committee_haizhou)."""
    first = ctx.add_account("committee_haizhou", "王海峰", f"{region.name}人大常委会 组成人员")
    users = [first]
    for n in range(1, MEMBERS):
        user = User(username=f"hz_member_{n:02d}", display_name=f"{SURNAMES[n]}委员")
        user.set_unusable_password()
        user.save()
        users.append(user)
    RoleGrant.objects.bulk_create(
        [RoleGrant(user=user, role=Role.COMMITTEE, region=region) for user in users]
    )
    return users


def _department(region: Any, short: str) -> Department:
    return Department.objects.get(region=region, short_name=short)


def _agenda_set_a_month_before(item: AgendaItem) -> datetime.date:
    """The demo is built today; this agenda was set a month before its meeting. The draft's
    and the report's due dates become the ones counted then (on the row and the body's
    loop items, as the calendar would have left them); returns the report's."""
    held = item.meeting.held_on
    dates = {
        DRAFT_CASE: conf.days_before(held, conf.draft_days_before()),
        REPORT_CASE: conf.days_before(held, conf.report_days_before()),
    }
    AgendaItem.objects.filter(pk=item.pk).update(
        draft_due_on=dates[DRAFT_CASE], due_on=dates[REPORT_CASE]
    )
    for case_type, due_on in dates.items():
        Assignment.objects.filter(case_type=case_type, case_id=item.pk).update(due_on=due_on)
    return dates[REPORT_CASE]


def _at(day: datetime.date) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(10)))


def _draft_came(item: AgendaItem, text: str) -> AgendaItem:
    """The body's draft, sent (through the service) two days before its date."""
    services.draft_submit(item=item, text=text, by=None)
    _agenda_set_a_month_before(item)
    item.refresh_from_db()
    assert item.draft_due_on is not None
    sent = _at(item.draft_due_on - datetime.timedelta(days=2))
    AgendaItem.objects.filter(pk=item.pk).update(draft_received_at=sent)
    item.refresh_from_db()
    return item


def _upcoming_meeting(ctx: Any, congress: Any, region: Any) -> Any:
    """第22次: one report through every stage on time, one draft on time and its report
    overdue, one report late."""
    today: datetime.date = ctx.today
    upcoming = services.meeting_schedule(
        congress=congress,
        number=22,
        held_on=today + datetime.timedelta(days=8),
        venue="海州区人大常委会第一会议室",
        by=None,
    )
    received = services.agenda_add(
        meeting=upcoming,
        kind=ItemKind.REPORT,
        title="海州区人民政府关于城市管理工作情况的报告",
        department=_department(region, "城管局"),
        by=None,
    )
    services.draft_submit(item=received, text="城市管理工作情况报告（征求意见稿）。", by=None)
    services.report_submit(item=received, text="全区城市管理工作情况报告（正文略）。", by=None)
    services.members_send(item=received, by=None)
    due = _agenda_set_a_month_before(received)
    received.refresh_from_db()
    assert received.draft_due_on is not None
    AgendaItem.objects.filter(pk=received.pk).update(
        draft_received_at=_at(received.draft_due_on - datetime.timedelta(days=3)),
        received_at=_at(due - datetime.timedelta(days=1)),
    )
    housing = services.agenda_add(
        meeting=upcoming,
        kind=ItemKind.REPORT,
        title="海州区人民政府关于老旧小区改造工作情况的报告",
        department=_department(region, "住建局"),
        by=None,
    )
    housing = _draft_came(housing, "老旧小区改造工作情况报告（征求意见稿）。")
    services.draft_comment(
        item=housing,
        comments="请补充资金使用情况和居民满意度调查结果。",
        by=None,
    )
    education = services.agenda_add(
        meeting=upcoming,
        kind=ItemKind.REPORT,
        title="海州区人民政府关于义务教育优质均衡发展工作情况的报告",
        department=_department(region, "教育局"),
        by=None,
    )
    education = _draft_came(education, "义务教育优质均衡发展工作情况报告（征求意见稿）。")
    services.report_submit(item=education, text="义务教育优质均衡发展工作情况报告。", by=None)
    return upcoming


def build(ctx: Any) -> None:
    region = ctx.counties[0]  # 海州区
    congress = ctx.congresses[region.pk]
    today: datetime.date = ctx.today
    members = _members(ctx, region)
    police = _department(region, "公安分局")
    topic = (
        Topic.objects.filter(region=region, kind="inquiry").order_by("pk").first()
        if Topic.objects.exists()
        else None
    )

    held = services.meeting_schedule(
        congress=congress,
        number=21,
        held_on=today - datetime.timedelta(days=20),
        venue="海州区人大常委会第一会议室",
        by=None,
    )
    report = services.agenda_add(
        meeting=held,
        kind=ItemKind.REPORT,
        title="海州区人民政府关于社会治安综合治理工作情况的报告",
        department=police,
        topic=topic,
        by=None,
    )
    inquiry = services.agenda_add(
        meeting=held,
        kind=ItemKind.INQUIRY,
        title="关于社会治安综合治理工作的专题询问",
        topic=topic,
        by=None,
    )
    services.draft_submit(item=report, text="社会治安综合治理工作情况报告（征求意见稿）。", by=None)
    services.report_submit(
        item=report,
        text=(
            "一、基本情况：全区刑事案件立案数同比下降12.6%，电信网络诈骗案件同比下降21.3%。\n"
            "二、主要做法：网格化管理全覆盖，重点部位视频监控联网。\n"
            "三、存在问题和下一步打算：基层警力不足，老旧小区技防设施薄弱。"
        ),
        by=None,
    )
    services.members_send(item=report, by=None)
    services.meeting_hold(meeting=held, by=None)
    services.meeting_attendance(meeting=held, present=[u.pk for u in members[:26]], by=None)
    qa = [
        (
            "王海峰",
            "区公安分局局长",
            "老旧小区技防设施薄弱的问题，今年有什么具体改造计划？",
            "今年完成36个老旧小区视频监控和门禁改造，年底前全部联网。",
            Rating.SATISFIED,
        ),
        (
            "李委员",
            "区公安分局局长",
            "社区民警配备不足，如何保证每个社区都有专职民警？",
            "通过警力下沉，每个社区配备1名专职民警和2名辅警。",
            Rating.BASIC,
        ),
    ]
    first = None
    for asker, respondent, text, answer, mark in qa:
        question = services.question_record(
            item=inquiry,
            asker=asker,
            respondent=respondent,
            department=police,
            text=text,
            answer=answer,
            satisfaction=mark,
            by=None,
        )
        first = first or question
    services.question_record(
        item=inquiry,
        asker="王海峰",
        respondent="区公安分局局长",
        department=police,
        text="36个小区的改造资金是否已经落实？",
        answer="资金已列入年度预算，共计1,280万元。",
        follow_up_of=first,
        by=None,
    )
    vote = services.evaluation_open(item=report, by=None)
    for user in members[:26]:
        services.evaluation_cast(vote=vote, choices={report.pk: Rating.SATISFIED}, by=user)
    services.evaluation_close(vote=vote, by=None)

    upcoming = _upcoming_meeting(ctx, congress, region)
    # The review opinion on the security report, handled and heard at the next meeting.
    opinion = services.opinion_draft(
        item=report,
        department=police,
        text="一、加大老旧小区技防设施投入；二、充实社区警力；三、深化电信网络诈骗源头治理。",
        by=None,
    )
    services.opinion_issue(opinion=opinion, by=None)
    services.opinion_report_handling(
        opinion=opinion,
        text="已制定老旧小区技防改造三年计划，今年完成36个小区；新增社区民警18名。",
        by=None,
    )
    services.opinion_schedule(opinion=opinion, meeting=upcoming, by=None)
