"""The moves of a rating round and of a rated project, as data (action → from statuses,
to status), and their timeline words. ``congress.workflow.apply_transition`` enforces
them; ``services.py`` is the only caller."""

from __future__ import annotations

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from congress.workflow import Transitions
from livelihood_votes.models import ProjectStatus
from livelihood_votes.models.ratings import RatingStatus

RATING_CASE = "livelihood_votes.rating"
# A project rated 不满意: its department rectifies and reports again (case id: the
# Rectification row).
RECTIFY_CASE = "livelihood_votes.rectification"
# The rated project's own timeline (case id: the Project row).
PROJECT_CASE = "livelihood_votes.project"
# The year's cycle (its own timeline is the call's; this package only makes next year's
# cycle for a carried project).
CYCLE_CASE = "livelihood_votes.cycle"

R, P = RatingStatus, ProjectStatus

RATING_TRANSITIONS: Transitions = {
    "rating_close": (frozenset({R.OPEN}), R.CLOSED),
    "rating_publish": (frozenset({R.CLOSED}), R.PUBLISHED),
}

# What the rating's close does to a project: 满意 or 基本满意 ends the year's work on it
# (已办结); 不满意 sends it back to its department (整改中). A project is rated in the
# state the year left it in.
RATED_FROM = frozenset({P.PLANNING, P.IMPLEMENTING, P.COMPLETED})
PROJECT_RATING_TRANSITIONS: Transitions = {
    "project_rated_closed": (RATED_FROM, P.CLOSED),
    "project_rated_rectify": (RATED_FROM, P.RECTIFYING),
}

# Prefixed: the label registry is one dictionary for the whole product.
ACTION_LABELS: dict[str, str | Promise] = {
    "rating_open": _("开始满意度测评"),
    "rating_close": _("结束测评并计票"),
    "rating_publish": _("公布测评结果"),
    "project_rated_closed": _("测评满意或基本满意，项目办结"),
    "project_rated_rectify": _("测评不满意，交责任单位整改"),
    "project_carried_over": _("结转下一年度跟踪"),
    "cycle_created_for_carry_over": _("为结转项目建立下一年度工作"),
}
