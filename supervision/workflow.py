"""Transition tables, case-type keys and timeline labels of plans, topics and findings.

A finding's own moves (docs/supervision.md, "A finding's life"): the department's clerk
claims completion (申请销号); the congress staff close it off (销号), with evidence, or
send it back to rectifying (退回整改) with a reason; a follow-up review (回头看) reopens
a closed-off finding whose problem came back. The department's work in between
(签收, 报告进展, 申请延期) is its assignment in the closed-loop engine.
"""

from __future__ import annotations

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from congress.workflow import Transitions
from supervision.models.topics import FindingStatus, PlanStatus, TopicStatus

PLAN_CASE = "supervision.plan"
TOPIC_CASE = "supervision.topic"
FINDING_CASE = "supervision.finding"
# A follow-up review (回头看): a loop item of the congress staff, due on its date.
REVIEW_CASE = "supervision.review"

P, T, F = PlanStatus, TopicStatus, FindingStatus

PLAN_TRANSITIONS: Transitions = {
    "adopt": (frozenset({P.DRAFT}), P.ADOPTED),
}
TOPIC_TRANSITIONS: Transitions = {
    "start": (frozenset({T.PLANNED}), T.ACTIVE),
    "rectify": (frozenset({T.ACTIVE}), T.RECTIFYING),
    "complete": (frozenset({T.ACTIVE, T.RECTIFYING}), T.COMPLETED),
    "cancel": (frozenset({T.PLANNED, T.ACTIVE}), T.CANCELLED),
}
FINDING_TRANSITIONS: Transitions = {
    "claim_closure": (frozenset({F.RECTIFYING}), F.CLAIMED),
    "close_off": (frozenset({F.CLAIMED}), F.CLOSED_OFF),
    "reject_closure": (frozenset({F.CLAIMED}), F.RECTIFYING),
    "review_reopen": (frozenset({F.CLOSED_OFF}), F.RECTIFYING),
}

PLAN_LABELS: dict[str, str | Promise] = {"create": _("制定计划"), "adopt": _("通过计划")}
TOPIC_LABELS: dict[str, str | Promise] = {
    "create": _("列入计划"),
    "start": _("启动监督"),
    "rectify": _("进入整改"),
    "complete": _("监督完成"),
    "cancel": _("取消议题"),
    "investigation": _("调研视察"),
    "review": _("回头看"),
    "publish": _("向社会公布问题清单"),
    "unpublish": _("撤回公布"),
}
FINDING_LABELS: dict[str, str | Promise] = {
    "create": _("列入问题清单"),
    "claim_closure": _("申请销号"),
    "close_off": _("销号"),
    "reject_closure": _("退回整改"),
    "review_reopen": _("回头看重新整改"),
    "flag": _("挂牌督办"),
    "unflag": _("取消挂牌督办"),
}
