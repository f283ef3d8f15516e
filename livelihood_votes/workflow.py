"""The allowed moves of a vote, as data (action → from, to). ``congress.workflow.
apply_transition`` enforces them with a compare-and-set and writes the event row; the
services in ``services.py`` are the only callers."""

from __future__ import annotations

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from congress.workflow import Transitions
from livelihood_votes.models import VoteStatus

VOTE_CASE = "livelihood_votes.vote"

V = VoteStatus

VOTE_TRANSITIONS: Transitions = {
    "vote_open": (frozenset({V.DRAFT}), V.OPEN),
    "vote_close": (frozenset({V.OPEN}), V.CLOSED),
    "vote_cancel": (frozenset({V.DRAFT, V.OPEN}), V.CANCELLED),
}

# Prefixed names: the core's label registry is one dictionary for every app (a bare
# "close" is a suggestion's 办结). Statuses are not registered for the same reason.
ACTION_LABELS: dict[str, str | Promise] = {
    "vote_create": _("创建票决"),
    "vote_edit": _("修改票决"),
    "candidate_add": _("增加候选项目"),
    "candidate_edit": _("修改候选项目"),
    "candidate_remove": _("删除候选项目"),
    "vote_open": _("开始投票"),
    "vote_close": _("结束投票"),
    "vote_cancel": _("取消票决"),
}
