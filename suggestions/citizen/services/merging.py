"""One problem reported twice: merging it into the open one, with both voices."""

from __future__ import annotations

from django.db import transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from congress.errors import RuleViolation
from congress.models import User
from congress.workflow import record_event
from suggestions.citizen.services.base import _transition
from suggestions.citizen.services.steps import _finish_own_steps
from suggestions.citizen.workflow import ISSUE_CASE
from suggestions.models.citizen import OPEN_ISSUE_STATUSES, CitizenIssue


def citizen_issue_merge(
    *, issue: CitizenIssue, into: CitizenIssue, by: User, note: str = ""
) -> CitizenIssue:
    """The same problem was reported before: handle it once, with both voices."""
    if into.pk == issue.pk or into.status not in OPEN_ISSUE_STATUSES:
        raise RuleViolation(_("只能并入正在办理中的其他问题。"))
    if into.merged_into_id is not None:
        raise RuleViolation(_("不能并入已被合并的问题。"))
    with transaction.atomic():
        _transition(
            issue,
            "merge",
            by=by,
            note=note,
            updates={"merged_into": into, "closed_at": timezone.now()},
            data={"into": into.tracking_code},
            public_note=_("您反映的问题与其他群众反映的同一问题合并办理，办理进展将在此一并显示。"),
        )
        _finish_own_steps(issue, by=by, note=_("并入 %(code)s") % {"code": into.tracking_code})
        CitizenIssue.objects.filter(pk=into.pk).update(
            supporters=F("supporters") + issue.supporters
        )
        record_event(
            case_type=ISSUE_CASE,
            case_id=into.pk,
            action="supporter_joined",
            by=by,
            note=_("%(code)s 并入本件") % {"code": issue.tracking_code},
        )
    return issue
