"""The allowed moves of this app's stateful records, as data (action → from, to).

``congress.workflow.apply_transition`` enforces them with a compare-and-set and
writes the timeline row; the services in ``services.py`` are the only callers.
"""

from __future__ import annotations

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from representatives.models import ActivityStatus, MandateStatus, ShiftStatus

MANDATE_CASE = "representatives.mandate"
SHIFT_CASE = "representatives.dutyshift"
ACTIVITY_CASE = "representatives.activity"

MANDATE_TRANSITIONS = {
    "end": (frozenset({MandateStatus.ACTIVE}), MandateStatus.ENDED),
    "terminate": (frozenset({MandateStatus.ACTIVE}), MandateStatus.TERMINATED),
}

SHIFT_TRANSITIONS = {
    "serve": (frozenset({ShiftStatus.SCHEDULED}), ShiftStatus.SERVED),
    "take_leave": (frozenset({ShiftStatus.SCHEDULED}), ShiftStatus.ON_LEAVE),
    "mark_absent": (frozenset({ShiftStatus.SCHEDULED}), ShiftStatus.ABSENT),
    "swap": (frozenset({ShiftStatus.SCHEDULED}), ShiftStatus.SWAPPED),
    "cancel": (frozenset({ShiftStatus.SCHEDULED}), ShiftStatus.CANCELLED),
}

ACTIVITY_TRANSITIONS = {
    "close_signup": (frozenset({ActivityStatus.OPEN}), ActivityStatus.CLOSED),
    "reopen": (frozenset({ActivityStatus.CLOSED}), ActivityStatus.OPEN),
    "complete": (frozenset({ActivityStatus.OPEN, ActivityStatus.CLOSED}), ActivityStatus.COMPLETED),
    "cancel": (frozenset({ActivityStatus.OPEN, ActivityStatus.CLOSED}), ActivityStatus.CANCELLED),
}


# Timeline words of this app's case types (registered in apps.py: the representative's
# case type is named in services.py). Actions recorded without a status change too.
REPRESENTATIVE_ACTION_LABELS: dict[str, str | Promise] = {
    "create": _("登记代表"),
    "update": _("修改代表信息"),
    "create_login": _("开通登录账号"),
    "rotate_token": _("更换连心卡二维码"),
}
MANDATE_ACTION_LABELS: dict[str, str | Promise] = {
    "add": _("登记代表资格"),
    "update": _("修改代表资格"),
    "end": _("任期届满"),
    "terminate": _("代表资格终止"),
}
SHIFT_ACTION_LABELS: dict[str, str | Promise] = {
    "schedule": _("排班"),
    "serve": _("已值班"),
    "take_leave": _("请假"),
    "mark_absent": _("缺勤"),
    "swap": _("调班"),
    "cancel": _("取消值班"),
}
ACTIVITY_ACTION_LABELS: dict[str, str | Promise] = {
    "create": _("发布活动"),
    "attendance": _("登记出勤"),
    "close_signup": _("截止报名"),
    "reopen": _("重新开放报名"),
    "complete": _("活动结束"),
    "cancel": _("取消活动"),
}
