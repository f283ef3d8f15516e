"""The actions on one problem, as data: label, input form, and the one service it calls.

The HTML detail page and the API both look an action up here, validate with
its form and call its service, so a step is written once for both interfaces.
Who may take which action now is ``selectors.issue_actions``.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from congress import loop
from congress.errors import InvalidTransition
from congress.models import Assignment, User
from suggestions.citizen import forms, services
from suggestions.citizen.selectors import IssueRoles
from suggestions.models.citizen import CitizenIssue

Runner = Callable[[CitizenIssue, dict[str, Any], User, IssueRoles], Any]


@dataclass(frozen=True)
class IssueAction:
    label: str | Promise
    form: type[forms.ActionForm]
    run: Runner
    style: str = "outline-primary"
    multipart: bool = False


def _version(data: dict[str, Any]) -> int | None:
    value = data.get("version")
    return int(value) if value is not None else None


def _department(roles: IssueRoles) -> Assignment:
    if roles.department is None:
        raise InvalidTransition()
    return roles.department


def _staff_assignment(roles: IssueRoles) -> Assignment:
    if roles.any_department is None:
        raise InvalidTransition()
    return roles.any_department


ISSUE_ACTIONS: dict[str, IssueAction] = {
    "approve": IssueAction(
        _("审核通过"),
        forms.NoteForm,
        lambda issue, d, user, roles: services.citizen_issue_moderate(
            issue=issue, by=user, approve=True, note=d["note"]
        ),
        "success",
    ),
    "reject": IssueAction(
        _("屏蔽（垃圾或违法信息）"),
        forms.NoteForm,
        lambda issue, d, user, roles: services.citizen_issue_moderate(
            issue=issue, by=user, approve=False, note=d["note"]
        ),
        "outline-danger",
    ),
    "accept": IssueAction(
        _("受理并分派代表"),
        forms.AcceptForm,
        lambda issue, d, user, roles: services.citizen_issue_accept(
            issue=issue,
            by=user,
            representative=d["representative"],
            note=d["note"],
            expected_version=_version(d),
        ),
        "success",
    ),
    "decline": IssueAction(
        _("不予受理"),
        forms.DeclineForm,
        lambda issue, d, user, roles: services.citizen_issue_decline(
            issue=issue,
            by=user,
            reason=d["reason"],
            channel=d["channel"],
            expected_version=_version(d),
        ),
        "outline-danger",
    ),
    "assign": IssueAction(
        _("分派（改派）代表"),
        forms.AssignForm,
        lambda issue, d, user, roles: services.citizen_issue_assign(
            issue=issue,
            by=user,
            representative=d["representative"],
            note=d["note"],
            expected_version=_version(d),
        ),
    ),
    "answer": IssueAction(
        _("直接答复群众（当场解答/协调解决）"),
        forms.AnswerForm,
        lambda issue, d, user, roles: services.citizen_issue_answer(
            issue=issue, by=user, answer=d["answer"], note=d["note"], expected_version=_version(d)
        ),
        "success",
    ),
    "forward": IssueAction(
        _("交办部门"),
        forms.ForwardForm,
        lambda issue, d, user, roles: services.citizen_issue_forward(
            issue=issue,
            by=user,
            department=d["department"],
            note=d["note"],
            public_note=d["public_note"],
            expected_version=_version(d),
        ),
        "primary",
    ),
    "merge": IssueAction(
        _("并入同类问题"),
        forms.MergeForm,
        lambda issue, d, user, roles: services.citizen_issue_merge(
            issue=issue, into=d["into"], by=user, note=d["note"]
        ),
    ),
    "convert": IssueAction(
        _("转为代表建议/民生实事"),
        forms.ConvertForm,
        lambda issue, d, user, roles: services.citizen_issue_convert(
            issue=issue, by=user, to=d["to"], note=d["note"]
        ),
    ),
    "dept_accept": IssueAction(
        _("签收"),
        forms.NoteForm,
        lambda issue, d, user, roles: loop.assignment_accept(
            assignment=_department(roles), by=user, note=d["note"]
        ),
        "success",
    ),
    "dept_reply": IssueAction(
        _("答复办理情况"),
        forms.DepartmentReplyForm,
        lambda issue, d, user, roles: services.citizen_issue_department_reply(
            issue=issue,
            assignment=_department(roles),
            by=user,
            reply=d["reply"],
            attachments=d["attachments"],
        ),
        "primary",
        multipart=True,
    ),
    "dept_progress": IssueAction(
        _("报告进展"),
        forms.ReasonForm,
        lambda issue, d, user, roles: loop.assignment_report_progress(
            assignment=_department(roles), by=user, note=d["reason"]
        ),
    ),
    "dept_extension": IssueAction(
        _("申请延期"),
        forms.ExtensionForm,
        lambda issue, d, user, roles: loop.assignment_request_extension(
            assignment=_department(roles), by=user, until=d["until"], reason=d["reason"]
        ),
    ),
    "dept_return": IssueAction(
        _("申请退回（不属于本单位职责）"),
        forms.ReasonForm,
        lambda issue, d, user, roles: loop.assignment_request_return(
            assignment=_department(roles), by=user, reason=d["reason"]
        ),
        "outline-danger",
    ),
    "decide_return": IssueAction(
        _("审核退回申请"),
        forms.DecideForm,
        lambda issue, d, user, roles: services.citizen_issue_decide_return(
            issue=issue,
            assignment=_staff_assignment(roles),
            by=user,
            approve=d["approve"],
            note=d["note"],
        ),
    ),
    "decide_extension": IssueAction(
        _("审核延期申请"),
        forms.DecideExtensionForm,
        lambda issue, d, user, roles: loop.assignment_decide_extension(
            assignment=_staff_assignment(roles),
            by=user,
            approve=d["approve"],
            until=d["until"],
            note=d["note"],
        ),
    ),
    "report_back": IssueAction(
        _("核实并反馈群众"),
        forms.AnswerForm,
        lambda issue, d, user, roles: services.citizen_issue_report_back(
            issue=issue, by=user, answer=d["answer"], note=d["note"], expected_version=_version(d)
        ),
        "success",
    ),
    "send_back": IssueAction(
        _("退回部门继续办理"),
        forms.ReasonForm,
        lambda issue, d, user, roles: services.citizen_issue_send_back(
            issue=issue, by=user, reason=d["reason"]
        ),
        "outline-danger",
    ),
    "return_visit": IssueAction(
        _("记录回访"),
        forms.ReturnVisitForm,
        lambda issue, d, user, roles: services.citizen_issue_log_return_visit(
            issue=issue, by=user, summary=d["summary"]
        ),
    ),
    "hide_public": IssueAction(
        _("从公示栏隐藏"),
        forms.NoteForm,
        lambda issue, d, user, roles: services.citizen_issue_set_public(
            issue=issue, hidden=True, by=user, reason=d["note"]
        ),
        "outline-secondary",
    ),
    "show_public": IssueAction(
        _("在公示栏显示"),
        forms.NoteForm,
        lambda issue, d, user, roles: services.citizen_issue_set_public(
            issue=issue, hidden=False, by=user, reason=d["note"]
        ),
        "outline-secondary",
    ),
    "ban_phone": IssueAction(
        _("限制该手机号提交"),
        forms.BanForm,
        lambda issue, d, user, roles: services.citizen_issue_ban_phone(
            issue=issue, by=user, reason=d["reason"], days=d["days"]
        ),
        "outline-danger",
    ),
}
