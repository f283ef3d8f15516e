"""Intake by the staff: letting a held submission through (or blocking it), 受理, and
不予受理 with the channel the citizen should use instead.
"""

from __future__ import annotations

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from congress import loop
from congress.errors import RuleViolation
from congress.models import AssignmentStatus, User
from congress.scoping import require_in_jurisdiction
from representatives.models import Representative
from suggestions.citizen.selectors import default_representative
from suggestions.citizen.services.assignment import _assign
from suggestions.citizen.services.base import _require_place, _transition
from suggestions.citizen.services.messages import _link, _text_citizen
from suggestions.citizen.services.steps import _finish_own_steps, _open_steps, _route
from suggestions.models.citizen import CitizenIssue


def citizen_issue_moderate(
    *, issue: CitizenIssue, by: User, approve: bool, note: str = ""
) -> CitizenIssue:
    """A person looked at a held submission: let it through, or block it."""
    require_in_jurisdiction(by, issue.region)  # 审核 is the staff's, of the problem's region
    with transaction.atomic():
        if approve:
            _transition(issue, "approve", by=by, note=note)
            _route(issue, by=by)
        else:
            _transition(
                issue,
                "reject",
                by=by,
                note=note,
                updates={"closed_at": timezone.now()},
                public_note=_("您提交的内容未通过审核。如有实际问题，请如实描述后重新反映。"),
            )
    return issue


def citizen_issue_accept(
    *,
    issue: CitizenIssue,
    by: User,
    representative: Representative | None = None,
    note: str = "",
    expected_version: int | None = None,
) -> CitizenIssue:
    """受理, and hand it to a representative (the chosen one, else the default)."""
    _require_place(by, issue, representative)
    with transaction.atomic():
        _transition(
            issue,
            "accept",
            by=by,
            note=note,
            expected_version=expected_version,
            public_note=_("您反映的问题已受理。"),
        )
        for step in _open_steps(issue):
            if step.status == AssignmentStatus.ASSIGNED:
                loop.assignment_accept(assignment=step, by=by)
        chosen = representative or default_representative(issue)
        if chosen is not None:
            # The default handler is the system's choice (the addressed representative,
            # the grid's, the station's), not the user's: only a chosen one was checked.
            _assign(issue, chosen, by=by)
    return issue


def citizen_issue_decline(
    *,
    issue: CitizenIssue,
    by: User,
    reason: str,
    channel: str,
    expected_version: int | None = None,
) -> CitizenIssue:
    """Not for representatives (a lawsuit, a petition…): say why and where to go."""
    if not reason.strip():
        raise RuleViolation(_("请说明不予受理的理由。"))
    from suggestions.models.citizen import DeclineChannel

    channel_label = DeclineChannel(channel).label if channel else _("其他渠道")
    with transaction.atomic():
        _transition(
            issue,
            "decline",
            by=by,
            note=reason,
            expected_version=expected_version,
            updates={
                "decline_reason": reason.strip(),
                "decline_channel": channel,
                "closed_at": timezone.now(),
            },
            public_note=_(
                "经审核，该事项不属于人大代表受理范围：%(reason)s 建议您通过%(channel)s反映。"
            )
            % {"reason": reason.strip(), "channel": channel_label},
        )
        _finish_own_steps(issue, by=by, note=_("不予受理"))
        _text_citizen(
            issue=issue,
            key=f"issue:{issue.pk}:declined",
            text=_("您反映的问题（%(code)s）已有处理意见，请查看：%(url)s")
            % {"code": issue.tracking_code, "url": _link(issue.get_tracking_url())},
        )
    return issue
