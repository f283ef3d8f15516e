"""The allowed moves of a suggestion and of a co-signer, as data (action → from, to).

``congress.workflow.apply_transition`` enforces them with a compare-and-set and writes
the timeline row; the services in ``services.py`` are the only callers. The departments'
own steps (签收, 退回, 延期, 答复) are the engine's assignment table (congress.loop).
"""

from __future__ import annotations

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from congress.workflow import Transitions
from suggestions.models.formal import SignerStatus, SuggestionStatus

SUGGESTION_CASE = "suggestions.suggestion"
SIGNER_CASE = "suggestions.suggestionsigner"

S = SuggestionStatus

EDITABLE = frozenset({S.DRAFT, S.CO_SIGNING, S.PRE_RETURNED})

SUGGESTION_TRANSITIONS: Transitions = {
    # Filing (领衔代表)
    "start_cosigning": (frozenset({S.DRAFT, S.PRE_RETURNED}), S.CO_SIGNING),
    "submit": (EDITABLE, S.SUBMITTED),
    "withdraw": (EDITABLE | {S.SUBMITTED}, S.WITHDRAWN),
    # Pre-submission review before the session opens (会前预提交、镇街人大汇总把关)
    "pre_return": (frozenset({S.SUBMITTED}), S.PRE_RETURNED),
    # Review (审查) by congress staff
    "register": (frozenset({S.SUBMITTED}), S.REGISTERED),
    "convert_to_suggestion": (frozenset({S.SUBMITTED}), S.REGISTERED),
    "merge": (frozenset({S.SUBMITTED}), S.MERGED),
    "convert_to_letter": (frozenset({S.SUBMITTED}), S.CONVERTED),
    "refuse": (frozenset({S.SUBMITTED}), S.DECLINED),
    # 交办; after an approved return the same suggestion goes to the right department
    "assign": (frozenset({S.REGISTERED}), S.HANDLING),
    "reassign": (frozenset({S.HANDLING}), S.HANDLING),
    # The lead department's answer, and the signers' rating (测评)
    "reply": (frozenset({S.HANDLING, S.REHANDLING}), S.REPLIED),
    "send_back": (frozenset({S.REPLIED}), S.REHANDLING),
    "complete_rating": (frozenset({S.REPLIED}), S.RATED),
    "carry_over": (frozenset({S.RATED}), S.CARRIED_OVER),
    "follow_up": (frozenset({S.CARRIED_OVER}), S.CARRIED_OVER),
    "close": (frozenset({S.RATED, S.CARRIED_OVER}), S.CLOSED),
    # 二次评价 by a representative group found the result wanting: 二次交办
    "second_assign": (frozenset({S.CLOSED}), S.REHANDLING),
}

SIGNER_TRANSITIONS: Transitions = {
    "confirm_cosign": (frozenset({SignerStatus.INVITED}), SignerStatus.CONFIRMED),
    "decline_cosign": (frozenset({SignerStatus.INVITED}), SignerStatus.DECLINED),
}

# Timeline words for this app's actions and statuses. The core's label registry is one
# dictionary for every case type, so these names are chosen not to collide with the
# engine's own (its "accept" is 签收; a suggestion's is "register", 立案).
ACTION_LABELS: dict[str, str | Promise] = {
    "create": _("起草建议"),
    "edit": _("修改建议"),
    "invite": _("邀请附议"),
    "uninvite": _("撤回附议邀请"),
    "start_cosigning": _("征集附议"),
    "confirm_cosign": _("确认附议"),
    "decline_cosign": _("谢绝附议"),
    "submit": _("提交"),
    "withdraw": _("撤回"),
    "pre_return": _("预审退回修改"),
    "register": _("立案"),
    "convert_to_suggestion": _("议案转为建议"),
    "merge": _("并案"),
    "convert_to_letter": _("转来信处理"),
    "refuse": _("不予立案"),
    "assign": _("交办"),
    "reassign": _("重新交办"),
    "reply": _("答复"),
    "send_back": _("不满意，重新办理"),
    "complete_rating": _("测评完成"),
    "carry_over": _("转入跨年度跟踪"),
    "follow_up": _("跟踪办理报告"),
    "close": _("办结"),
    "second_assign": _("二次交办"),
    "contact": _("沟通联系（面商）"),
    "rate": _("测评"),
    "mark_key": _("列为重点督办"),
    "unmark_key": _("取消重点督办"),
    "publish": _("同意公开答复"),
    "unpublish": _("不公开答复"),
    "group_evaluation": _("代表小组二次评价"),
}
