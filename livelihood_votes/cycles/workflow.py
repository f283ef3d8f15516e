"""A proposal's moves, as data (action → from, to), and the cycle's phases.

``congress.workflow.apply_transition`` enforces the moves with a compare-and-set and
writes the event row; ``cycles/services.py`` is the only caller. A cycle has no status:
its phase on a day is read from its dated columns by ``phase`` (docs/livelihood-call.md,
"The cycle and its phases")."""

from __future__ import annotations

import datetime

from django.db import models
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from congress.workflow import Transitions
from livelihood_votes.models import Cycle, ProposalStatus

CYCLE_CASE = "livelihood_votes.cycle"
PROPOSAL_CASE = "livelihood_votes.proposal"

P = ProposalStatus

PROPOSAL_TRANSITIONS: Transitions = {
    "proposal_accept": (frozenset({P.SUBMITTED, P.SCREENED_OUT}), P.ACCEPTED),
    "proposal_screen_out": (frozenset({P.SUBMITTED, P.ACCEPTED}), P.SCREENED_OUT),
    "proposal_merge": (frozenset({P.SUBMITTED, P.ACCEPTED, P.SCREENED_OUT}), P.MERGED),
    "proposal_shortlist": (frozenset({P.ACCEPTED}), P.SHORTLISTED),
    "proposal_unshortlist": (frozenset({P.SHORTLISTED}), P.ACCEPTED),
}


class Phase(models.TextChoices):
    PREPARING = "preparing", _("筹备")
    CALL = "call", _("征集项目建议")
    SCREENING = "screening", _("筛选建议")
    SHORTLIST = "shortlist", _("确定候选项目")
    VOTE = "vote", _("代表票决")
    RESULTS = "results", _("公布票决结果")
    IMPLEMENTATION = "implementation", _("组织实施")
    MIDYEAR = "midyear", _("年中视察")
    EVALUATION = "evaluation", _("年终测评")
    FINISHED = "finished", _("已结束")


def phase(cycle: Cycle, day: datetime.date) -> Phase:
    """The cycle's phase on ``day``, from its dates (each inclusive of its last day). A
    date not set yet ends no phase: the cycle stays in the phase before it."""
    bounds: list[tuple[datetime.date | None, Phase]] = [
        # (the last day of the phase, the phase)
        (cycle.call_closes_on, Phase.CALL),
        (cycle.screening_closes_on, Phase.SCREENING),
        (cycle.shortlist_closes_on, Phase.SHORTLIST),
        (cycle.vote_on, Phase.VOTE),
    ]
    if cycle.call_opens_on is None or day < cycle.call_opens_on:
        return Phase.PREPARING
    for last_day, this in bounds:
        if last_day is None or day <= last_day:
            return this
    if cycle.implementation_starts_on is None or day < cycle.implementation_starts_on:
        return Phase.RESULTS
    if cycle.midyear_on is None or day < cycle.midyear_on:
        return Phase.IMPLEMENTATION
    if cycle.evaluation_opens_on is None or day < cycle.evaluation_opens_on:
        return Phase.MIDYEAR
    if cycle.evaluation_closes_on is None or day <= cycle.evaluation_closes_on:
        return Phase.EVALUATION
    return Phase.FINISHED


ACTION_LABELS: dict[str, str | Promise] = {
    "cycle_create": _("创建年度工作"),
    "cycle_edit": _("修改年度工作"),
    "proposal_submit": _("提交项目建议"),
    "proposal_duplicate": _("同一手机号重复提交，已合并"),
    "proposal_adopt": _("列入新一轮征集"),
    "proposal_accept": _("采纳建议"),
    "proposal_screen_out": _("不予采纳"),
    "proposal_merge": _("合并建议"),
    "proposal_shortlist": _("列入候选项目"),
    "proposal_unshortlist": _("移出候选项目"),
    "shortlist_add": _("增加候选项目"),
    "shortlist_review": _("候选项目清单审议"),
    "shortlist_remove": _("删除候选项目"),
    "cycle_vote_create": _("依候选项目清单创建票决"),
}
