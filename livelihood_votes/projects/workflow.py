"""The moves of a project and of a monthly report, as data (action → from statuses, to
status), and their timeline words. ``congress.workflow.apply_transition`` enforces them;
``services.py`` is the only caller."""

from __future__ import annotations

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from congress.workflow import Transitions
from livelihood_votes.models.projects import ProjectStatus, ReportStatus

PROJECT_CASE = "livelihood_votes.project"
# A month's progress report: the loop item of the responsible department (case id: the
# report row).
REPORT_CASE = "livelihood_votes.project_report"

P, R = ProjectStatus, ReportStatus

PROJECT_TRANSITIONS: Transitions = {
    "project_start": (frozenset({P.PLANNING}), P.IMPLEMENTING),
    "project_complete": (frozenset({P.IMPLEMENTING}), P.COMPLETED),
}

REPORT_TRANSITIONS: Transitions = {
    "report_file": (frozenset({R.AWAITED}), R.FILED),
    "report_cancel": (frozenset({R.AWAITED}), R.CANCELLED),
}

# The project's steps that are no move of its status, and the states they are open in.
EDITABLE = frozenset({P.PLANNING, P.IMPLEMENTING})
RUNNING = frozenset({P.IMPLEMENTING, P.COMPLETED})

# Prefixed: the label registry is one dictionary for the whole product.
ACTION_LABELS: dict[str, str | Promise] = {
    "project_create": _("列入实施项目"),
    "project_plan": _("制定实施计划"),
    "project_start": _("开始实施"),
    "project_complete": _("项目完工"),
    "milestone_add": _("增加实施节点"),
    "milestone_done": _("节点完成"),
    "report_request": _("要求报送月度进度"),
    "report_file": _("报送月度进度"),
    "report_cancel": _("取消月度进度报告"),
    "inspection_record": _("记录视察"),
    "inquiry_record": _("记录询问"),
    "comment_publish": _("公开留言"),
    "comment_reject": _("不公开留言"),
    "behind_schedule": _("进度滞后"),
    "back_on_schedule": _("进度恢复正常"),
}
