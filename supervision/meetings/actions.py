"""The steps on a meeting and on an agenda item, as data: one declaration per action with
its label, who may take it (parties from ``selectors.item_parties``; a meeting's steps are
staff's), when (from the transition tables of ``workflow.py`` and the item's facts), the
input form and the one service it calls (docs/architecture.md, "Checklist: add a new case
type", step 5).

The pages' buttons, their POST views and the API's ``actions/<name>/`` routes read these
tables through ``take``: a name not in a table is ``UnknownAction`` (400), one the user
may not take now ``InvalidTransition`` (409); an object outside the scope is a 404 before
the name is read (the views load through the selectors).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django import forms as django_forms
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from congress.actions import ActionTable
from congress.errors import RuleViolation
from congress.models import User
from congress.scoping import AnyUser, in_jurisdiction
from supervision.meetings import selectors, services
from supervision.meetings.forms import (
    DraftCommentForm,
    DraftForm,
    HandlingReportForm,
    NothingForm,
    ReasonForm,
    ReportForm,
    ScheduleForm,
)
from supervision.meetings.workflow import (
    EVALUATION_TRANSITIONS,
    MEETING_TRANSITIONS,
    OPINION_TRANSITIONS,
    REPORT_TRANSITIONS,
)
from supervision.models.meetings import (
    AgendaItem,
    EvaluationVote,
    ItemKind,
    Meeting,
    MeetingStatus,
    ReportStatus,
    ReviewOpinion,
)


def _from(table: Any, action: str) -> frozenset[str]:
    return frozenset(table[action][0])


def _vote(item: AgendaItem) -> EvaluationVote | None:
    try:
        return item.vote
    except EvaluationVote.DoesNotExist:
        return None


@dataclass(frozen=True)
class ItemAction:
    label: str | Promise
    form: type[django_forms.Form]
    run: Callable[[AgendaItem, dict[str, Any], User], Any]
    who: frozenset[str]
    when: Callable[[AgendaItem], bool]


ITEM_ACTIONS: dict[str, ItemAction] = {
    # The draft for comments (20 days before): the body sends it while the report is
    # awaited; the staff may write comments on it until the report comes.
    "draft_submit": ItemAction(
        _("送交征求意见稿"),
        DraftForm,
        lambda i, d, u: services.draft_submit(
            item=i, text=d["text"], by=u, upload=d.get("attachment")
        ),
        frozenset({"clerk", "staff"}),
        lambda i: (
            i.status == ReportStatus.AWAITED
            and i.draft_due_on is not None
            and i.draft_received_at is None
        ),
    ),
    "draft_comment": ItemAction(
        _("提出对征求意见稿的意见"),
        DraftCommentForm,
        lambda i, d, u: services.draft_comment(item=i, comments=d["comments"], by=u),
        frozenset({"staff"}),
        lambda i: i.status == ReportStatus.AWAITED and i.draft_received_at is not None,
    ),
    "report_submit": ItemAction(
        _("报送报告"),
        ReportForm,
        lambda i, d, u: services.report_submit(
            item=i, text=d["text"], by=u, upload=d.get("attachment")
        ),
        frozenset({"clerk", "staff"}),
        lambda i: i.status in _from(REPORT_TRANSITIONS, "report_submit"),
    ),
    # The office sends the received report to the members (7 days before), late or not.
    "members_send": ItemAction(
        _("发送组成人员"),
        NothingForm,
        lambda i, d, u: services.members_send(item=i, by=u),
        frozenset({"staff"}),
        lambda i: (
            i.status == ReportStatus.RECEIVED
            and i.sent_to_members_at is None
            and i.meeting.status != MeetingStatus.CANCELLED
        ),
    ),
    "evaluation_open": ItemAction(
        _("开始满意度测评"),
        NothingForm,
        lambda i, d, u: services.evaluation_open(item=i, by=u),
        frozenset({"staff"}),
        lambda i: (
            i.kind == ItemKind.REPORT
            and i.status == ReportStatus.RECEIVED
            and i.meeting.status == MeetingStatus.HELD
            and _vote(i) is None
        ),
    ),
    "evaluation_close": ItemAction(
        _("结束测评并公布结果"),
        NothingForm,
        lambda i, d, u: services.evaluation_close(vote=i.vote, by=u),
        frozenset({"staff"}),
        lambda i: (
            (vote := _vote(i)) is not None
            and vote.status in _from(EVALUATION_TRANSITIONS, "evaluation_close")
        ),
    ),
}


@dataclass(frozen=True)
class MeetingAction:
    move: str  # of MEETING_TRANSITIONS: its from-states say when
    label: str | Promise
    form: type[django_forms.Form]
    run: Callable[[Meeting, dict[str, Any], User], Any]


# Every step on a meeting is staff's (of the congress's region), from the table's states.
MEETING_ACTIONS: dict[str, MeetingAction] = {
    "meeting_hold": MeetingAction(
        "meeting_hold",
        _("会议已召开"),
        NothingForm,
        lambda m, d, u: services.meeting_hold(meeting=m, by=u),
    ),
    "meeting_cancel": MeetingAction(
        "meeting_cancel",
        _("取消会议"),
        ReasonForm,
        lambda m, d, u: services.meeting_cancel(meeting=m, by=u, reason=d["reason"]),
    ),
}


ITEMS: ActionTable[AgendaItem, ItemAction] = ActionTable(
    ITEM_ACTIONS,
    lambda parties, item, a: bool(parties & a.who) and a.when(item),
    standing=lambda user, item: selectors.item_parties(user, item).names(),
)
MEETINGS: ActionTable[Meeting, MeetingAction] = ActionTable(
    MEETING_ACTIONS,
    lambda staff, meeting, a: meeting.status in _from(MEETING_TRANSITIONS, a.move),
    standing=lambda user, meeting: in_jurisdiction(user, meeting.region),
)


def item_allowed(user: AnyUser, item: AgendaItem) -> list[str]:
    return ITEMS.allowed(user, item)


def meeting_allowed(user: AnyUser, meeting: Meeting) -> list[str]:
    return MEETINGS.allowed(user, meeting)


def item_action(name: str) -> ItemAction:
    return ITEMS.named(name)


def meeting_action(name: str) -> MeetingAction:
    return MEETINGS.named(name)


def take_item(name: str, item: AgendaItem, data: dict[str, Any], user: User) -> Any:
    return ITEMS.require(name, user, item).run(item, data, user)


def take_meeting(name: str, meeting: Meeting, data: dict[str, Any], user: User) -> Any:
    return MEETINGS.require(name, user, meeting).run(meeting, data, user)


@dataclass(frozen=True)
class OpinionAction:
    move: str  # of OPINION_TRANSITIONS: its from-states say when
    label: str | Promise
    form: type[django_forms.Form]
    run: Callable[[ReviewOpinion, dict[str, Any], User], Any]
    who: frozenset[str]


def _schedule(opinion: ReviewOpinion, data: dict[str, Any], user: User) -> Any:
    # The staff type the meeting's number (第N次), as on the meeting's page, not a row id.
    congress_id = Meeting.objects.filter(pk=opinion.item.meeting_id).values("congress_id")
    meeting = Meeting.objects.filter(
        region=opinion.region, congress_id=congress_id[:1], number=data["meeting"]
    ).first()
    if meeting is None:
        raise RuleViolation(_("没有这次会议。"))
    return services.opinion_schedule(opinion=opinion, meeting=meeting, by=user)


# From the states of OPINION_TRANSITIONS (the action's name is its move).
OPINION_ACTIONS: dict[str, OpinionAction] = {
    "opinion_issue": OpinionAction(
        "opinion_issue",
        _("交办审议意见"),
        NothingForm,
        lambda o, d, u: services.opinion_issue(opinion=o, by=u),
        frozenset({"staff"}),
    ),
    "opinion_report_handling": OpinionAction(
        "opinion_report_handling",
        _("报送研究处理情况报告"),
        HandlingReportForm,
        lambda o, d, u: services.opinion_report_handling(opinion=o, text=d["text"], by=u),
        frozenset({"clerk", "staff"}),
    ),
    "opinion_schedule": OpinionAction(
        "opinion_schedule", _("列入会议议程"), ScheduleForm, _schedule, frozenset({"staff"})
    ),
}


OPINIONS: ActionTable[ReviewOpinion, OpinionAction] = ActionTable(
    OPINION_ACTIONS,
    lambda parties, opinion, a: (
        bool(parties & a.who) and opinion.status in _from(OPINION_TRANSITIONS, a.move)
    ),
    standing=selectors.opinion_parties,
)


def opinion_allowed(user: AnyUser, opinion: ReviewOpinion) -> list[str]:
    return OPINIONS.allowed(user, opinion)


def opinion_action(name: str) -> OpinionAction:
    return OPINIONS.named(name)


def take_opinion(name: str, opinion: ReviewOpinion, data: dict[str, Any], user: User) -> Any:
    return OPINIONS.require(name, user, opinion).run(opinion, data, user)
