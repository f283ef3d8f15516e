"""The allowed moves of an evaluation, as data (action → from, to).
``congress.workflow.apply_transition`` enforces them with a compare-and-set and writes
the event row; ``services.py`` is the only caller."""

from __future__ import annotations

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from congress.workflow import Transitions
from supervision.models.evaluation import EvaluationStatus

EVALUATION_CASE = "supervision.evaluation"

S = EvaluationStatus

EVALUATION_TRANSITIONS: Transitions = {
    "evaluation_open": (frozenset({S.DRAFT}), S.OPEN),
    "evaluation_close": (frozenset({S.OPEN}), S.CLOSED),
    "evaluation_publish": (frozenset({S.CLOSED}), S.PUBLISHED),
    "evaluation_cancel": (frozenset({S.DRAFT, S.OPEN}), S.CANCELLED),
}

# Prefixed names: the core's label registry is one dictionary for every app.
ACTION_LABELS: dict[str, str | Promise] = {
    "evaluation_create": _("创建工作评议"),
    "evaluation_open": _("开始评议"),
    "evaluation_close": _("结束评议并计分"),
    "evaluation_publish": _("公布评议结果"),
    "evaluation_cancel": _("取消工作评议"),
}
