"""The allowed moves of a citizen's problem and of an appointment, as data.

``congress.workflow.apply_transition`` enforces them (compare-and-set + a
timeline row); ``services.py`` is the only caller. The departments' own steps
(签收, 申请退回, 答复…) are the engine's assignment transitions on the same
timeline.
"""

from __future__ import annotations

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from congress.workflow import Transitions
from suggestions.models.citizen import AppointmentStatus, IssueStatus

ISSUE_CASE = "suggestions.citizenissue"
APPOINTMENT_CASE = "suggestions.appointment"

S = IssueStatus
ISSUE_TRANSITIONS: Transitions = {
    "confirm": (frozenset({S.PENDING_CONFIRMATION}), S.SUBMITTED),
    # A confirmed submission that the content check held back waits for a person.
    "confirm_for_review": (frozenset({S.PENDING_CONFIRMATION}), S.PENDING_REVIEW),
    "approve": (frozenset({S.PENDING_REVIEW}), S.SUBMITTED),
    "reject": (frozenset({S.PENDING_REVIEW}), S.REJECTED),
    "accept": (frozenset({S.SUBMITTED}), S.ACCEPTED),
    "decline": (frozenset({S.SUBMITTED, S.ACCEPTED}), S.DECLINED),
    "assign": (frozenset({S.ACCEPTED, S.WITH_REPRESENTATIVE}), S.WITH_REPRESENTATIVE),
    "merge": (frozenset({S.SUBMITTED, S.ACCEPTED, S.WITH_REPRESENTATIVE}), S.MERGED),
    "answer": (frozenset({S.WITH_REPRESENTATIVE}), S.ANSWERED),
    "convert": (frozenset({S.WITH_REPRESENTATIVE}), S.CONVERTED),
    # From FORWARDED too: after a department's return was approved, to the right one.
    "forward": (frozenset({S.WITH_REPRESENTATIVE, S.FORWARDED}), S.FORWARDED),
    "department_returned": (frozenset({S.FORWARDED}), S.WITH_REPRESENTATIVE),
    "department_reply": (frozenset({S.FORWARDED}), S.DEPARTMENT_REPLIED),
    "send_back": (frozenset({S.DEPARTMENT_REPLIED}), S.FORWARDED),
    "report_back": (frozenset({S.DEPARTMENT_REPLIED}), S.ANSWERED),
    "rate": (frozenset({S.ANSWERED}), S.CLOSED),
    "reopen": (frozenset({S.ANSWERED}), S.WITH_REPRESENTATIVE),
    "reopen_department": (frozenset({S.ANSWERED}), S.FORWARDED),
    "close_unrated": (frozenset({S.ANSWERED}), S.CLOSED),
}

ISSUE_ACTION_LABELS: dict[str, str | Promise] = {
    "submit": _("提交"),
    "join": _("附议同类问题"),
    "supporter_joined": _("同类问题并入"),
    "confirm": _("短信确认"),
    "confirm_for_review": _("短信确认"),
    "approve": _("审核通过"),
    "reject": _("审核屏蔽"),
    "accept": _("受理"),
    "decline": _("不予受理"),
    "assign": _("分派代表"),
    "merge": _("合并办理"),
    "answer": _("代表答复"),
    "convert": _("转为建议"),
    "forward": _("交办部门"),
    "department_returned": _("部门退回"),
    "department_reply": _("部门答复"),
    "send_back": _("退回部门重办"),
    "report_back": _("反馈群众"),
    "rate": _("群众评价"),
    "reopen": _("不满意，重新办理"),
    "reopen_department": _("不满意，部门重新办理"),
    "close_unrated": _("逾期未评价办结"),
    "return_visit": _("代表回访"),
    "supervision": _("列入督办"),
    "hide_public": _("公示栏隐藏"),
    "show_public": _("公示栏显示"),
    "ban_phone": _("限制手机号提交"),
}

A = AppointmentStatus
APPOINTMENT_TRANSITIONS: Transitions = {
    "route": (frozenset({A.REQUESTED}), A.ROUTED),
    "confirm": (frozenset({A.REQUESTED, A.ROUTED}), A.CONFIRMED),
    "propose": (frozenset({A.REQUESTED, A.ROUTED, A.CONFIRMED}), A.PROPOSED),
    "accept_proposal": (frozenset({A.PROPOSED}), A.CONFIRMED),
    "decline": (frozenset({A.REQUESTED, A.ROUTED, A.PROPOSED}), A.DECLINED),
    "cancel": (frozenset({A.REQUESTED, A.ROUTED, A.PROPOSED, A.CONFIRMED}), A.CANCELLED),
    "record_meeting": (frozenset({A.CONFIRMED}), A.HELD),
}

APPOINTMENT_ACTION_LABELS: dict[str, str | Promise] = {
    "request": _("申请约见"),
    "route": _("转交承办单位"),
    "confirm": _("确认约见"),
    "propose": _("提议新时间"),
    "accept_proposal": _("同意新时间"),
    "decline": _("婉拒约见"),
    "cancel": _("取消约见"),
    "record_meeting": _("记录见面情况"),
    "reminder_sent": _("见面提醒"),
}
