"""The assignment's transition table, its timeline labels, and the statuses that pause the clock."""

from __future__ import annotations

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy

from congress.models import (
    OPEN_STATUSES,
    AssignmentStatus,
)
from congress.registry import register_labels
from congress.workdays import (
    Deadline,
)
from congress.workflow import Transitions

S = AssignmentStatus
RESUME = "<resume>"  # back to the status the assignment had before the pause

ASSIGNMENT_TRANSITIONS: Transitions = {
    "accept": (frozenset({S.ASSIGNED}), S.ACCEPTED),
    "start": (frozenset({S.ACCEPTED}), S.IN_PROGRESS),
    "request_return": (frozenset({S.ASSIGNED, S.ACCEPTED}), S.RETURN_REQUESTED),
    "approve_return": (frozenset({S.RETURN_REQUESTED}), S.RETURNED),
    "reject_return": (frozenset({S.RETURN_REQUESTED}), RESUME),
    "request_extension": (frozenset({S.ACCEPTED, S.IN_PROGRESS}), S.EXTENSION_REQUESTED),
    "approve_extension": (frozenset({S.EXTENSION_REQUESTED}), RESUME),
    "reject_extension": (frozenset({S.EXTENSION_REQUESTED}), RESUME),
    "hold": (frozenset({S.ACCEPTED, S.IN_PROGRESS}), S.ON_HOLD),
    "resume": (frozenset({S.ON_HOLD}), RESUME),
    "reply": (frozenset({S.ACCEPTED, S.IN_PROGRESS}), S.REPLIED),
    "reopen": (frozenset({S.REPLIED, S.CLOSED}), S.IN_PROGRESS),
    "close": (frozenset({S.REPLIED}), S.CLOSED),
    "cancel": (frozenset(OPEN_STATUSES), S.CANCELLED),
}
ACTION_LABELS: dict[str, str | Promise] = {
    "assign": gettext_lazy("交办"),
    "accept": gettext_lazy("签收"),
    "start": gettext_lazy("开始办理"),
    "request_return": gettext_lazy("申请退回"),
    "approve_return": gettext_lazy("同意退回"),
    "reject_return": gettext_lazy("不同意退回"),
    "request_extension": gettext_lazy("申请延期"),
    "approve_extension": gettext_lazy("批准延期"),
    "reject_extension": gettext_lazy("不批准延期"),
    "hold": gettext_lazy("暂停办理"),
    "resume": gettext_lazy("恢复办理"),
    "reply": gettext_lazy("答复"),
    "reopen": gettext_lazy("重新办理"),
    "close": gettext_lazy("办结"),
    "cancel": gettext_lazy("撤销"),
    "progress": gettext_lazy("报告进展"),
    "reminder": gettext_lazy("提醒"),
    "escalation": gettext_lazy("升级督办"),
    "recalculate_due": gettext_lazy("重新计算期限"),
}
FIFTEEN_WORKDAYS = Deadline(15, "workdays")
ONE_MONTH = Deadline(1, "months")  # re-handling after 不满意 (docs/architecture.md, 'Satisfaction')
register_labels(actions=ACTION_LABELS, statuses=dict(AssignmentStatus.choices))
PAUSING = {S.ON_HOLD, S.EXTENSION_REQUESTED, S.RETURN_REQUESTED}
