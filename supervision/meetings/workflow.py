"""The moves of a meeting, a report and a satisfaction vote, as data (action → from
statuses, to status), and their timeline words. ``congress.workflow.apply_transition``
enforces them; ``services.py`` is the only caller."""

from __future__ import annotations

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from congress.workflow import Transitions
from supervision.models.meetings import MeetingStatus, OpinionStatus, ReportStatus, VoteStatus

MEETING_CASE = "supervision.meeting"
# The three stages of a report before the meeting (监督法 2024), each a loop item whose
# case id is the agenda item: the draft for comments reaches the committee (the reporting
# body's, 20 days before), the report reaches the standing committee (the body's, 10
# days before), the committee's office sends it to the members (the staff's, 7 days).
DRAFT_CASE = "supervision.report_draft"
REPORT_CASE = "supervision.meeting_report"
MEMBERS_CASE = "supervision.report_to_members"
# After 不满意: rectify and report again at a later meeting (case id: the agenda item).
RE_REPORT_CASE = "supervision.re_report"
EVALUATION_CASE = "supervision.evaluation_vote"
# An official's answer at an inquiry rated by the asker: no loop item, a case type of
# the departments' league only (meetings/handling_ratings.py; case id: the question).
QUESTION_CASE = "supervision.inquiry_answer"
# 审议意见 and its handling report: a loop item of the body (case id: the opinion).
OPINION_CASE = "supervision.review_opinion"

M, R, V, OP = MeetingStatus, ReportStatus, VoteStatus, OpinionStatus

MEETING_TRANSITIONS: Transitions = {
    "meeting_hold": (frozenset({M.SCHEDULED}), M.HELD),
    "meeting_cancel": (frozenset({M.SCHEDULED}), M.CANCELLED),
}

REPORT_TRANSITIONS: Transitions = {
    "report_submit": (frozenset({R.AWAITED}), R.RECEIVED),
}

EVALUATION_TRANSITIONS: Transitions = {
    "evaluation_close": (frozenset({V.OPEN}), V.CLOSED),
}

OPINION_TRANSITIONS: Transitions = {
    "opinion_issue": (frozenset({OP.DRAFT}), OP.ISSUED),
    "opinion_report_handling": (frozenset({OP.ISSUED}), OP.HANDLED),
    "opinion_schedule": (frozenset({OP.HANDLED}), OP.SCHEDULED),
}

# Prefixed: the label registry is one dictionary for the whole product.
ACTION_LABELS: dict[str, str | Promise] = {
    "meeting_schedule": _("安排常委会会议"),
    "meeting_hold": _("会议已召开"),
    "meeting_cancel": _("取消会议"),
    "meeting_attendance": _("登记出席"),
    "agenda_add": _("列入议程"),
    "agenda_edit": _("修改议程"),
    "draft_submit": _("送交征求意见稿"),
    "draft_comment": _("提出对征求意见稿的意见"),
    "report_submit": _("报送报告"),
    "members_send": _("发送组成人员"),
    "evaluation_open": _("开始满意度测评"),
    "evaluation_close": _("结束测评并公布结果"),
    "question_record": _("记录询问"),
    "question_answer": _("记录回答"),
    "opinion_draft": _("起草审议意见"),
    "opinion_edit": _("修改审议意见"),
    "opinion_issue": _("交办审议意见"),
    "opinion_report_handling": _("报送研究处理情况报告"),
    "opinion_schedule": _("研究处理情况报告列入会议议程"),
}
