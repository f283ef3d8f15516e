"""Turning a problem into a representative's draft suggestion or a livelihood-project
lead.
"""

from __future__ import annotations

from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from congress import registry
from congress.errors import RuleViolation
from congress.models import User
from suggestions.citizen.services.base import _transition
from suggestions.citizen.services.steps import _finish_own_steps
from suggestions.models.citizen import CitizenIssue, ConversionKind

# Citizen categories → the subject of a representative's suggestion.
SUGGESTION_CATEGORY_OF = {
    "roads": "transport",
    "environment": "environment",
    "utilities": "urban",
    "housing": "urban",
    "education": "education",
    "health": "health",
    "social_security": "social",
    "employment": "social",
    "public_safety": "legal",
    "business": "economy",
    "rural": "agriculture",
}


def _draft_suggestion(issue: CitizenIssue, by: User) -> int:
    """The representative's draft suggestion for their next congress session.

    The draft stays the representative's to edit, invite co-signers to and submit
    (the suggestions channel's own workflow); the citizen's case records its id.
    """
    from suggestions.formal.selectors import session_for_new_suggestion
    from suggestions.formal.services import suggestion_create

    # The representative handling the case files it; else the one it was addressed to.
    representative = issue.handler or issue.representative
    if representative is None:
        raise RuleViolation(_("请先把问题交给一位代表：代表建议须由代表提出。"))
    session = session_for_new_suggestion(representative)
    if session is None:
        raise RuleViolation(
            _("%(name)s目前没有可以提出建议的人民代表大会会议，请工作人员先登记下一次会议。")
            % {"name": representative}
        )
    category = SUGGESTION_CATEGORY_OF.get(issue.category.code if issue.category else "", "other")
    suggestion = suggestion_create(
        lead=representative,
        session=session,
        title=_("关于%(title)s的建议") % {"title": issue.title},
        content=_("群众反映（%(code)s）：%(text)s")
        % {"code": issue.tracking_code, "text": issue.description},
        category=category,
        by=by,
        research_basis=_("由群众反映的问题 %(code)s 转来") % {"code": issue.tracking_code},
    )
    return int(suggestion.pk)


def _livelihood_proposal(issue: CitizenIssue, by: User) -> str:
    """The problem as a proposal of the livelihood call (the app running the call files
    it through ``congress.registry``): in the open call of its region's congress, or
    waiting for the next one. The answer is the sentence the citizen is shown, which
    says which of the two it is."""
    if not registry.livelihood_proposers:
        raise RuleViolation(_("民生实事项目征集尚未启用，暂不能转为民生实事项目建议。"))
    return registry.livelihood_proposers[0](
        problem_id=issue.pk,
        region=issue.region,
        title=issue.title,
        description=issue.description,
        place=issue.address or issue.region.name,
        by=by,
    )


def citizen_issue_convert(
    *, issue: CitizenIssue, by: User, to: str, note: str = ""
) -> CitizenIssue:
    """Turn the problem into a formal suggestion for the next session, or a proposal of
    the livelihood-project call. A suggestion becomes a real draft in the
    representative's name (the suggestions channel takes it from there); a livelihood
    proposal goes into the open call of the problem's region, or waits for the next
    call of its region, and the citizen is told which (docs/livelihood-call.md)."""
    kind = ConversionKind(to)
    with transaction.atomic():
        data: dict[str, Any] = {"to": kind.value}
        if kind == ConversionKind.SUGGESTION:
            data["suggestion_id"] = _draft_suggestion(issue, by)
            public = _(
                "代表已将您反映的问题转为代表建议，将在人民代表大会会议期间提出，交有关部门研究办理。"
            )
        else:
            public = _livelihood_proposal(issue, by)
        _transition(
            issue,
            "convert",
            by=by,
            note=note,
            updates={"converted_to": kind, "closed_at": timezone.now()},
            data=data,
            public_note=public,
        )
        _finish_own_steps(issue, by=by, note=str(kind.label))
    return issue
