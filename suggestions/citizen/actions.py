"""The actions on one problem, as data: one declaration per action with who may take
it (per party), from which states, its form and the one service it calls
(docs/architecture.md, "Checklist: add a new case type", step 5; the pattern of
``suggestions/formal/actions.py`` and ``appointment_actions.py``).

The problem's from-states are ``ISSUE_TRANSITIONS`` (``workflow.py``); a department's
own steps (签收, 申请退回, 答复 …) and staff's decisions on them also wait for the
department's step (an engine assignment) to be in a state ``ASSIGNMENT_TRANSITIONS``
lets its move start from. The citizen's own steps through the tracking link (短信确认,
评价) are ``LINK_ACTIONS``, offered by ``by_link``. ``allowed`` derives what a user may do now from this table
and nothing else restates it: the case page's buttons and its POST view read
``allowed``, the API's one ``actions/<name>/`` route ``take``. A name not in the table
is an error (400 in the API); an action the user may not take now is refused (409).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, Literal

from django import forms as django_forms
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from congress import loop
from congress.actions import ActionTable
from congress.errors import InvalidTransition
from congress.models import Assignment, AssignmentStatus, User
from congress.scoping import AnyUser
from suggestions.citizen import forms, services
from suggestions.citizen.selectors import IssueRoles, issue_roles
from suggestions.citizen.workflow import ISSUE_TRANSITIONS
from suggestions.models.citizen import CitizenIssue, IssueStatus

Runner = Callable[[CitizenIssue, dict[str, Any], User, IssueRoles], Any]
Check = Callable[[CitizenIssue, IssueRoles], bool]

# What a signed-in user can be to one problem (``selectors.issue_roles``): staff of its
# region (or an administrator), the representative it was addressed to, the
# representative given it to handle, a clerk of a department it was handed to. The
# citizen has no account: their steps (短信确认, 评价) are on the tracking link.
Party = Literal["staff", "addressed", "handler", "clerk"]

STAFF: frozenset[Party] = frozenset({"staff"})
INTAKE: frozenset[Party] = frozenset({"staff", "addressed"})  # 受理 / 不予受理
HANDLING: frozenset[Party] = frozenset({"staff", "handler"})  # the handling representative's
CLERK: frozenset[Party] = frozenset({"clerk"})


def parties(roles: IssueRoles) -> frozenset[Party]:
    found: set[Party] = set()
    if roles.staff:
        found.add("staff")
    if roles.addressed:
        found.add("addressed")
    if roles.handler:
        found.add("handler")
    if roles.department is not None:
        found.add("clerk")
    return frozenset(found)


@dataclass(frozen=True)
class Step:
    """The action works on the problem's department step: the user's own department's
    (``own``) or the latest one, whoever's. It is offered while that step's status is
    one the engine's ``move`` starts from."""

    move: str
    own: bool

    def assignment(self, roles: IssueRoles) -> Assignment | None:
        return roles.department if self.own else roles.any_department

    def open_for(self, roles: IssueRoles) -> bool:
        assignment = self.assignment(roles)
        return (
            assignment is not None
            and assignment.status in loop.ASSIGNMENT_TRANSITIONS[self.move][0]
        )


def _always(issue: CitizenIssue, roles: IssueRoles) -> bool:
    return True


@dataclass(frozen=True)
class IssueAction:
    label: str | Promise
    form: type[forms.ActionForm]
    run: Runner
    who: frozenset[Party]
    # The problem's statuses it may be taken from; None: any (a step that moves no status).
    states: frozenset[str] | None
    step: Step | None = None
    when: Check = _always  # anything else it waits for
    style: str = "outline-primary"
    multipart: bool = False


def _from(*moves: str) -> frozenset[str]:
    """The statuses the transition table lets these moves start from."""
    return frozenset().union(*(ISSUE_TRANSITIONS[move][0] for move in moves))


def _version(data: dict[str, Any]) -> int | None:
    value = data.get("version")
    return int(value) if value is not None else None


def _assignment(step: Step, roles: IssueRoles) -> Assignment:
    assignment = step.assignment(roles)
    if assignment is None:
        raise InvalidTransition()
    return assignment


OWN = {
    move: Step(move, own=True)
    for move in ("accept", "reply", "request_extension", "request_return")
}
LATEST = {move: Step(move, own=False) for move in ("approve_return", "approve_extension")}
# A department's own steps are taken while the problem is with departments (交办).
WITH_DEPARTMENT = _from("department_reply")


def _not_with_a_department(issue: CitizenIssue, roles: IssueRoles) -> bool:
    """交办 again only once the department it went to has let it go (a return approved):
    never handed on twice."""
    latest = roles.any_department
    return not (issue.status == IssueStatus.FORWARDED and latest is not None and latest.is_open)


def _department_replied(issue: CitizenIssue, roles: IssueRoles) -> bool:
    latest = roles.any_department
    return latest is not None and latest.status == AssignmentStatus.REPLIED


def _hidden(issue: CitizenIssue, roles: IssueRoles) -> bool:
    return issue.hidden_from_public


def _shown(issue: CitizenIssue, roles: IssueRoles) -> bool:
    return not issue.hidden_from_public


def _has_phone(issue: CitizenIssue, roles: IssueRoles) -> bool:
    return bool(issue.mobile_hash)


ISSUE_ACTIONS: dict[str, IssueAction] = {
    "approve": IssueAction(
        _("审核通过"),
        forms.NoteForm,
        lambda issue, d, user, roles: services.citizen_issue_moderate(
            issue=issue, by=user, approve=True, note=d["note"]
        ),
        who=STAFF,
        states=_from("approve"),
        style="success",
    ),
    "reject": IssueAction(
        _("屏蔽（垃圾或违法信息）"),
        forms.NoteForm,
        lambda issue, d, user, roles: services.citizen_issue_moderate(
            issue=issue, by=user, approve=False, note=d["note"]
        ),
        who=STAFF,
        states=_from("reject"),
        style="outline-danger",
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
        who=INTAKE,
        states=_from("accept"),
        style="success",
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
        who=INTAKE,
        states=_from("decline"),
        style="outline-danger",
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
        who=STAFF,
        states=_from("assign"),
    ),
    "answer": IssueAction(
        _("直接答复群众（当场解答/协调解决）"),
        forms.AnswerForm,
        lambda issue, d, user, roles: services.citizen_issue_answer(
            issue=issue, by=user, answer=d["answer"], note=d["note"], expected_version=_version(d)
        ),
        who=HANDLING,
        states=_from("answer"),
        style="success",
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
        who=HANDLING,
        states=_from("forward"),
        when=_not_with_a_department,
        style="primary",
    ),
    "merge": IssueAction(
        _("并入同类问题"),
        forms.MergeForm,
        lambda issue, d, user, roles: services.citizen_issue_merge(
            issue=issue, into=d["into"], by=user, note=d["note"]
        ),
        who=HANDLING,
        states=_from("merge"),
    ),
    "convert": IssueAction(
        _("转为代表建议/民生实事"),
        forms.ConvertForm,
        lambda issue, d, user, roles: services.citizen_issue_convert(
            issue=issue, by=user, to=d["to"], note=d["note"]
        ),
        who=HANDLING,
        states=_from("convert"),
    ),
    "dept_accept": IssueAction(
        _("签收"),
        forms.NoteForm,
        lambda issue, d, user, roles: loop.assignment_accept(
            assignment=_assignment(OWN["accept"], roles), by=user, note=d["note"]
        ),
        who=CLERK,
        states=WITH_DEPARTMENT,
        step=OWN["accept"],
        style="success",
    ),
    "dept_reply": IssueAction(
        _("答复办理情况"),
        forms.DepartmentReplyForm,
        lambda issue, d, user, roles: services.citizen_issue_department_reply(
            issue=issue,
            assignment=_assignment(OWN["reply"], roles),
            by=user,
            reply=d["reply"],
            attachments=d["attachments"],
        ),
        who=CLERK,
        states=WITH_DEPARTMENT,
        step=OWN["reply"],
        style="primary",
        multipart=True,
    ),
    "dept_progress": IssueAction(
        _("报告进展"),
        forms.ReasonForm,
        lambda issue, d, user, roles: loop.assignment_report_progress(
            assignment=_assignment(OWN["reply"], roles), by=user, note=d["reason"]
        ),
        who=CLERK,
        states=WITH_DEPARTMENT,
        step=OWN["reply"],  # while the department may still reply
    ),
    "dept_extension": IssueAction(
        _("申请延期"),
        forms.ExtensionForm,
        lambda issue, d, user, roles: loop.assignment_request_extension(
            assignment=_assignment(OWN["request_extension"], roles),
            by=user,
            until=d["until"],
            reason=d["reason"],
        ),
        who=CLERK,
        states=WITH_DEPARTMENT,
        step=OWN["request_extension"],
    ),
    "dept_return": IssueAction(
        _("申请退回（不属于本单位职责）"),
        forms.ReasonForm,
        lambda issue, d, user, roles: loop.assignment_request_return(
            assignment=_assignment(OWN["request_return"], roles), by=user, reason=d["reason"]
        ),
        who=CLERK,
        states=WITH_DEPARTMENT,
        step=OWN["request_return"],
        style="outline-danger",
    ),
    "decide_return": IssueAction(
        _("审核退回申请"),
        forms.DecideForm,
        lambda issue, d, user, roles: services.citizen_issue_decide_return(
            issue=issue,
            assignment=_assignment(LATEST["approve_return"], roles),
            by=user,
            approve=d["approve"],
            note=d["note"],
        ),
        who=STAFF,
        states=None,
        step=LATEST["approve_return"],
    ),
    "decide_extension": IssueAction(
        _("审核延期申请"),
        forms.DecideExtensionForm,
        lambda issue, d, user, roles: loop.assignment_decide_extension(
            assignment=_assignment(LATEST["approve_extension"], roles),
            by=user,
            approve=d["approve"],
            until=d["until"],
            note=d["note"],
        ),
        who=STAFF,
        states=None,
        step=LATEST["approve_extension"],
    ),
    "report_back": IssueAction(
        _("核实并反馈群众"),
        forms.AnswerForm,
        lambda issue, d, user, roles: services.citizen_issue_report_back(
            issue=issue, by=user, answer=d["answer"], note=d["note"], expected_version=_version(d)
        ),
        who=HANDLING,
        states=_from("report_back"),
        style="success",
    ),
    "send_back": IssueAction(
        _("退回部门继续办理"),
        forms.ReasonForm,
        lambda issue, d, user, roles: services.citizen_issue_send_back(
            issue=issue, by=user, reason=d["reason"]
        ),
        who=HANDLING,
        states=_from("send_back"),
        when=_department_replied,
        style="outline-danger",
    ),
    "return_visit": IssueAction(
        _("记录回访"),
        forms.ReturnVisitForm,
        lambda issue, d, user, roles: services.citizen_issue_log_return_visit(
            issue=issue, by=user, summary=d["summary"]
        ),
        who=frozenset({"handler"}),
        # 回访 records an event and moves nothing: after the citizen was answered.
        states=frozenset({IssueStatus.ANSWERED, IssueStatus.CLOSED}),
    ),
    "hide_public": IssueAction(
        _("从公示栏隐藏"),
        forms.NoteForm,
        lambda issue, d, user, roles: services.citizen_issue_set_public(
            issue=issue, hidden=True, by=user, reason=d["note"]
        ),
        who=STAFF,
        states=None,
        when=_shown,
        style="outline-secondary",
    ),
    "show_public": IssueAction(
        _("在公示栏显示"),
        forms.NoteForm,
        lambda issue, d, user, roles: services.citizen_issue_set_public(
            issue=issue, hidden=False, by=user, reason=d["note"]
        ),
        who=STAFF,
        states=None,
        when=_hidden,
        style="outline-secondary",
    ),
    "ban_phone": IssueAction(
        _("限制该手机号提交"),
        forms.BanForm,
        lambda issue, d, user, roles: services.citizen_issue_ban_phone(
            issue=issue, by=user, reason=d["reason"], days=d["days"]
        ),
        who=STAFF,
        states=None,
        when=_has_phone,
        style="outline-danger",
    ),
}


@dataclass(frozen=True)
class LinkAction:
    """A step the citizen takes through the tracking link of their own problem (they
    have no account: the secret link is their whole scope): its form, the one service
    it calls and the problem's statuses it may be taken from."""

    form: type[django_forms.Form]
    run: Callable[[CitizenIssue, dict[str, Any]], Any]
    states: frozenset[str]


LINK_ACTIONS: dict[str, LinkAction] = {
    # 短信确认: the code sent to the number the problem was submitted from.
    "confirm": LinkAction(
        forms.ConfirmForm,
        lambda issue, d: services.citizen_issue_confirm(issue=issue, code=d["code"]),
        _from("confirm"),
    ),
    # 评价: 满意 or 基本满意 closes it, 不满意 reopens it.
    "rate": LinkAction(
        forms.RateForm,
        lambda issue, d: services.citizen_issue_rate(
            issue=issue, rating=d["rating"], comment=d["comment"]
        ),
        _from("rate"),
    ),
}


def by_link(issue: CitizenIssue) -> list[str]:
    """What the citizen may do now through the tracking link, in the table's order."""
    return [name for name, action in LINK_ACTIONS.items() if issue.status in action.states]


def _may(
    action: IssueAction, issue: CitizenIssue, roles: IssueRoles, who: frozenset[Party]
) -> bool:
    return (
        bool(action.who & who)
        and (action.states is None or issue.status in action.states)
        and (action.step is None or action.step.open_for(roles))
        and action.when(issue, roles)
    )


@dataclass(frozen=True)
class _Standing:
    roles: IssueRoles
    who: frozenset[Party]

    def __bool__(self) -> bool:
        return bool(self.who)


def _standing(roles: IssueRoles) -> _Standing:
    return _Standing(roles, parties(roles))


TABLE: ActionTable[CitizenIssue, IssueAction] = ActionTable(
    ISSUE_ACTIONS,
    lambda s, issue, action: _may(action, issue, s.roles, s.who),
    standing=lambda user, issue: _standing(issue_roles(user, issue)),
)


def issue_action(name: str) -> IssueAction:
    """The declaration of ``name``; an unknown name is an error (400), never ignored."""
    return TABLE.named(name)


def allowed(user: AnyUser, issue: CitizenIssue, roles: IssueRoles | None = None) -> list[str]:
    """The actions the user may take on the problem now, in the table's order."""
    standing = _standing(roles) if roles is not None else None
    return TABLE.allowed(user, issue, standing)


def take(
    issue: CitizenIssue,
    name: str,
    user: User,
    form: forms.ActionForm,
    roles: IssueRoles | None = None,
) -> forms.ActionForm:
    """Take one action for the page or the API (congress/actions.py: an unknown name 400,
    one the user may not take now 409); else the form is checked and, if valid, the
    action's service is called. The form comes back (its errors, if any)."""
    standing = _standing(roles or issue_roles(user, issue))
    declared = TABLE.require(name, user, issue, standing)
    if form.is_valid():
        declared.run(issue, form.cleaned_data, user, standing.roles)
    return form
