"""交办: forwarding a problem to a department, deciding its request to return it, its
reply, and sending an insufficient reply back.
"""

from __future__ import annotations

from collections.abc import Sequence

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from congress import loop
from congress.errors import InvalidTransition, RuleViolation
from congress.files import attach_to_event
from congress.models import Assignment, AssignmentStatus, Department, User
from congress.uploads import CleanUpload
from congress.workdays import add_deadline
from suggestions.citizen import conf
from suggestions.citizen.selectors import department_assignment
from suggestions.citizen.services.base import (
    _require_department,
    _require_place,
    _transition,
    issue_rules,
)
from suggestions.citizen.services.steps import _finish_own_steps, _start_step, _title
from suggestions.citizen.workflow import ISSUE_CASE
from suggestions.models.citizen import CitizenIssue, IssueStatus


def citizen_issue_forward(
    *,
    issue: CitizenIssue,
    department: Department,
    by: User,
    note: str = "",
    public_note: str = "",
    expected_version: int | None = None,
) -> Assignment:
    """交办: hand the problem to a department with a working-day deadline."""
    _require_place(by, issue)
    _require_department(by, issue, department)
    current = department_assignment(issue)
    if current is not None and current.is_open:
        raise RuleViolation(_("该问题已交办，承办单位正在办理。"))
    if not department.is_active:
        raise RuleViolation(_("该承办单位已停用。"))
    due = add_deadline(timezone.localdate(), conf.department_deadline(recorded=issue_rules(issue)))
    with transaction.atomic():
        _transition(
            issue,
            "forward",
            by=by,
            note=note,
            expected_version=expected_version,
            data={"department": department.name, "due_on": str(due)},
            public_note=public_note
            or _("已交有关部门办理，办理期限至%(due)s。") % {"due": due.isoformat()},
        )
        _finish_own_steps(issue, by=by, note=_("已交办%(name)s") % {"name": department.name})
        return loop.assignment_create(
            case_type=ISSUE_CASE,
            case_id=issue.pk,
            title=_title(issue),
            region=issue.region,
            by=by,
            department=department,
            due_on=due,
            note=note,
        )


def citizen_issue_decide_return(
    *, issue: CitizenIssue, assignment: Assignment, by: User, approve: bool, note: str = ""
) -> CitizenIssue:
    """Staff decide a department's request to return a mis-assigned problem."""
    with transaction.atomic():
        loop.assignment_decide_return(assignment=assignment, by=by, approve=approve, note=note)
        if approve and issue.status == IssueStatus.FORWARDED:
            _transition(
                issue,
                "department_returned",
                by=by,
                note=note,
                public_note=_("正在重新确定承办部门。"),
            )
            _start_step(
                issue,
                by=by,
                representative=issue.handler,
                deadline=conf.handling_deadline(recorded=issue_rules(issue)),
                note=_("承办单位退回，请重新交办"),
            )
    return issue


def citizen_issue_department_reply(
    *,
    issue: CitizenIssue,
    assignment: Assignment,
    by: User,
    reply: str,
    attachments: Sequence[CleanUpload] = (),
    expected_version: int | None = None,
) -> CitizenIssue:
    """The department answers; the representative then reviews it and reports back."""
    with transaction.atomic():
        event = loop.assignment_reply(
            assignment=assignment, by=by, note=reply, expected_version=expected_version
        )
        for upload in attachments:
            attach_to_event(event=event, upload=upload)
        _transition(
            issue,
            "department_reply",
            by=by,
            data={"department": str(assignment.department)},
            public_note=_("承办部门已答复，代表正在核实办理情况。"),
        )
        _start_step(
            issue,
            by=by,
            representative=issue.handler,
            deadline=conf.review_deadline(recorded=issue_rules(issue)),
            note=_("请核实承办部门的答复，并向群众反馈"),
        )
    return issue


def citizen_issue_send_back(*, issue: CitizenIssue, by: User, reason: str) -> CitizenIssue:
    """The department's reply does not answer the problem: it handles it again."""
    if not reason.strip():
        raise RuleViolation(_("请说明退回重办的理由。"))
    assignment = department_assignment(issue)
    if assignment is None or assignment.status != AssignmentStatus.REPLIED:
        raise InvalidTransition()
    with transaction.atomic():
        loop.assignment_reopen(
            assignment=assignment,
            by=by,
            reason=reason,
            deadline=conf.department_deadline(recorded=issue_rules(issue)),
        )
        _transition(
            issue,
            "send_back",
            by=by,
            note=reason,
            public_note=_("代表要求承办部门继续办理。"),
        )
        _finish_own_steps(issue, by=by, note=reason)
    return issue
