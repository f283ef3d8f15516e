"""Registration of meetings, reports, inquiries and satisfaction votes with the core
(imported by SupervisionConfig.ready; docs/supervision-meetings.md)."""

from __future__ import annotations

from typing import Any

from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from congress.api.enums import register_api_enums
from congress.loop import CaseType, register_case_type
from congress.loop.handling import RatingSource, register_rating_source
from congress.registry import (
    DemoBuilder,
    HomeCard,
    NavGroup,
    NavItem,
    register_demo_builder,
    register_home_card,
    register_labels,
    register_nav,
    register_nav_group,
)
from congress.scoping import is_staff_or_admin
from congress.workdays import Deadline
from supervision.meetings import cards, conf, demo
from supervision.meetings.handling_ratings import question_rating_rows, report_handling_ratings
from supervision.meetings.workflow import (
    ACTION_LABELS,
    DRAFT_CASE,
    EVALUATION_CASE,
    MEETING_CASE,
    MEMBERS_CASE,
    OPINION_CASE,
    QUESTION_CASE,
    RE_REPORT_CASE,
    REPORT_CASE,
)
from supervision.models.meetings import MeetingStatus, OpinionStatus, ReportStatus, VoteStatus


def _can_view_item(user: Any, case_id: int) -> bool:
    from supervision.meetings.selectors import visible_items

    return visible_items(user).filter(pk=case_id).exists()


def _can_view_opinion(user: Any, case_id: int) -> bool:
    from supervision.meetings.selectors import visible_opinions

    return visible_opinions(user).filter(pk=case_id).exists()


def _can_view_draft(user: Any, case_id: int) -> bool:
    """The draft for comments is between the reporting body and the committee's staff: a
    member reads the report once the office sends it."""
    from supervision.meetings.selectors import item_parties, visible_items

    item = visible_items(user).filter(pk=case_id).first()
    return item is not None and bool(item_parties(user, item).names() & {"staff", "clerk"})


def _item_url(case_id: int) -> str:
    return reverse("supervision_agenda_item", args=[case_id])


# A report's three stages before the meeting (监督法 2024): each due date is given by the
# meeting's date (conf.days_before), so the defaults below only bound them; the steps are
# taken on the item's page (送交征求意见稿, 报送报告, 发送组成人员).
register_case_type(
    CaseType(
        key=DRAFT_CASE,
        label=_("征求意见稿送交"),
        url=_item_url,
        can_view=_can_view_draft,
        default_deadline=Deadline(conf.draft_days_before(), "days"),
        generic_reply=False,
        generic_actions=frozenset({"progress"}),
        policy_defaults={"days_before": "5,2,1"},
    )
)
register_case_type(
    CaseType(
        key=MEMBERS_CASE,
        label=_("报告发送组成人员"),
        url=_item_url,
        can_view=_can_view_draft,
        default_deadline=Deadline(conf.members_days_before(), "days"),
        generic_reply=False,
        generic_actions=frozenset(),
        policy_defaults={"days_before": "2,1"},
    )
)
register_case_type(
    CaseType(
        key=REPORT_CASE,
        label=_("专项工作报告报送"),
        url=_item_url,
        can_view=_can_view_item,
        default_deadline=Deadline(conf.report_days_before(), "days"),
        generic_reply=False,
        generic_actions=frozenset({"progress"}),
        policy_defaults={"days_before": "5,2,1"},
    )
)
register_case_type(
    CaseType(
        key=RE_REPORT_CASE,
        label=_("整改后再次报告"),
        url=_item_url,
        can_view=_can_view_item,
        default_deadline=conf.re_report_deadline(),
        generic_reply=False,
        generic_actions=frozenset({"progress", "accept"}),
    )
)
register_case_type(
    CaseType(
        key=OPINION_CASE,
        label=_("审议意见研究处理"),
        url=lambda case_id: reverse("supervision_opinion_detail", args=[case_id]),
        can_view=_can_view_opinion,
        default_deadline=conf.opinion_handling_deadline(),
        generic_reply=False,
        generic_actions=frozenset({"progress", "accept"}),
    )
)
# The members' satisfaction marks count as ratings of the reporting body's report (the
# departments' league; meetings/handling_ratings.py).
register_rating_source(RatingSource(REPORT_CASE, report_handling_ratings))
# The asker's satisfaction with an official's answer at an inquiry: on no loop item.
register_rating_source(RatingSource(QUESTION_CASE, rows=question_rating_rows))
register_labels(case_type=OPINION_CASE, actions=ACTION_LABELS, statuses=dict(OpinionStatus.choices))
register_labels(case_type=MEETING_CASE, actions=ACTION_LABELS, statuses=dict(MeetingStatus.choices))
register_labels(case_type=REPORT_CASE, actions=ACTION_LABELS, statuses=dict(ReportStatus.choices))
register_labels(case_type=DRAFT_CASE, actions=ACTION_LABELS)
register_labels(case_type=MEMBERS_CASE, actions=ACTION_LABELS)
register_labels(case_type=RE_REPORT_CASE, actions=ACTION_LABELS)
register_labels(case_type=EVALUATION_CASE, actions=ACTION_LABELS, statuses=dict(VoteStatus.choices))

# The supervision menu (its key and words as supervision/setup.py registers them; the
# first registration wins, so either module may come first).
register_nav_group(NavGroup(key="supervision", label=_("监督"), icon="clipboard-check"))


def _meeting_people(user: Any) -> bool:
    return bool(user.is_authenticated and (is_staff_or_admin(user) or user.is_committee_member))


register_nav(
    NavItem(
        _("常委会会议"),
        "supervision_meeting_list",
        _meeting_people,
        order=420,
        icon="people",
        group="supervision",
    )
)
register_home_card(HomeCard("supervision/meetings/card_member.html", cards.member_card, order=22))
register_home_card(HomeCard("supervision/meetings/card_clerk.html", cards.clerk_card, order=44))
register_api_enums(
    {
        "SupervisionMeetingStatusEnum": "supervision.models.meetings.MeetingStatus",
        "SupervisionAgendaItemKindEnum": "supervision.models.meetings.ItemKind",
        "SupervisionReportStatusEnum": "supervision.models.meetings.ReportStatus",
        "SupervisionEvaluationVoteStatusEnum": "supervision.models.meetings.VoteStatus",
        "SupervisionOpinionStatusEnum": "supervision.models.meetings.OpinionStatus",
    }
)
# After the supervision builder (plans and topics), which comes after the representatives.
register_demo_builder(DemoBuilder("supervision meetings", demo.build, order=75))
