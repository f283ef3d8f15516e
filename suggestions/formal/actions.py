"""The actions on a suggestion and on its departments' assignments, as data: who may
take each, from which states, its form, and the one service it calls.

Everything else reads these two tables. The suggestion's page shows a form for each
action ``suggestion_actions`` / ``assignment_actions`` offer its viewer now; the page's
POST view and the API's one ``actions/<name>/`` route look the action up here, validate
with its form and call its service, so a step is written once for both interfaces. The
states come from the transition tables (``workflow.SUGGESTION_TRANSITIONS`` and the
engine's ``ASSIGNMENT_TRANSITIONS``) wherever the action is a move in them.

What the page offers is a courtesy: the services check who acts, the state and the
rules again, so a step posted by someone it was not offered to gets the service's
answer (403, 409 or 400), and a name that is not in the table is an error, never
ignored.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, Literal

from django.http import Http404
from django.utils import timezone
from django.utils.functional import Promise
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from congress.actions import ActionTable
from congress.loop import ASSIGNMENT_TRANSITIONS
from congress.models import OPEN_STATUSES, Assignment, AssignmentRole, User
from congress.scoping import get_visible_or_404
from congress.workflow import Transitions
from representatives.selectors import representative_of
from suggestions.formal import forms as f
from suggestions.formal import services
from suggestions.formal.selectors import (
    ANSWERED,
    PRIVATE,
    TAKEN_UP,
    Abilities,
    abilities,
    suggestion_assignments,
)
from suggestions.formal.workflow import EDITABLE, SIGNER_TRANSITIONS, SUGGESTION_TRANSITIONS
from suggestions.models.formal import Suggestion, SuggestionStatus

S = SuggestionStatus


@dataclass(frozen=True)
class Viewer:
    """Someone looking at one suggestion: what they are to it, and its assignments."""

    user: User
    suggestion: Suggestion
    assignments: list[Assignment]
    abilities: Abilities


def viewer_of(user: User, suggestion: Suggestion) -> Viewer:
    assignments = suggestion_assignments(suggestion)
    return Viewer(user, suggestion, assignments, abilities(user, suggestion, assignments))


def _from(table: Transitions, *moves: str) -> frozenset[str]:
    """The statuses the transition table lets these moves start from."""
    return frozenset().union(*(table[move][0] for move in moves))


def _always(viewer: Viewer) -> bool:
    return True


@dataclass(frozen=True)
class SuggestionAction:
    label: str | Promise
    form: type[f.ActionForm]
    run: Callable[[Viewer, dict[str, Any]], str]  # calls one service; says what was done
    states: frozenset[str]  # the suggestion's statuses it may be taken from
    who: Callable[[Abilities], bool]
    when: Callable[[Viewer], bool] = _always  # anything else it waits for
    multipart: bool = False


# --- the runners: one service each, and the message the page shows -------------------------


def _invite(v: Viewer, d: dict[str, Any]) -> str:
    s = v.suggestion
    services.suggestion_invite_cosigners(
        suggestion=s, representatives=d["representatives"], by=v.user
    )
    return _("已加入附议名单。") if s.status != S.CO_SIGNING else _("已发出附议邀请。")


def _uninvite(v: Viewer, d: dict[str, Any]) -> str:
    signers = v.suggestion.signers.select_related("representative", "suggestion")
    services.suggestion_uninvite(signer=get_visible_or_404(signers, pk=d["signer"]), by=v.user)
    return _("已撤回邀请。")


def _start_cosigning(v: Viewer, d: dict[str, Any]) -> str:
    services.suggestion_start_cosigning(
        suggestion=v.suggestion, by=v.user, expected_version=d.get("version")
    )
    return _("已向受邀代表发出附议邀请。")


def _cosign(v: Viewer, d: dict[str, Any]) -> str:
    # Only the viewer's own invitation can be answered: anyone else has none (404).
    signer = get_visible_or_404(
        v.suggestion.signers.select_related("suggestion__lead__user"),
        representative=representative_of(v.user),
    )
    confirm = d["answer"] == "confirm"
    services.signer_respond(signer=signer, confirm=confirm, by=v.user)
    return _("已确认附议。") if confirm else _("已谢绝附议。")


def _submit(v: Viewer, d: dict[str, Any]) -> str:
    s = v.suggestion
    services.suggestion_submit(suggestion=s, by=v.user, expected_version=d.get("version"))
    return _("已提交。") if not s.pre_submitted else _("已预提交，会前将由人大工作机构汇总把关。")


def _withdraw(v: Viewer, d: dict[str, Any]) -> str:
    services.suggestion_withdraw(suggestion=v.suggestion, by=v.user, reason=d["note"])
    return _("已撤回。")


def _pre_return(v: Viewer, d: dict[str, Any]) -> str:
    services.suggestion_pre_return(
        suggestion=v.suggestion,
        by=v.user,
        comment=d["comment"],
        expected_version=d.get("version"),
    )
    return _("已退回代表修改。")


def _review(v: Viewer, d: dict[str, Any]) -> str:
    services.suggestion_review(
        suggestion=v.suggestion,
        decision=d["decision"],
        note=d["note"],
        merge_into=d["merge_into"],
        by=v.user,
        expected_version=d.get("version"),
    )
    return _("审查结果已保存，代表会收到通知。")


def _assign(v: Viewer, d: dict[str, Any]) -> str:
    services.suggestion_assign(
        suggestion=v.suggestion,
        lead_department=d["lead_department"],
        co_handlers=list(d["co_handlers"]),
        note=d["note"],
        by=v.user,
        expected_version=d.get("version"),
    )
    return _("已交办，承办单位会收到通知。")


def _reassign(v: Viewer, d: dict[str, Any]) -> str:
    services.suggestion_reassign(
        suggestion=v.suggestion, department=d["department"], note=d["note"], by=v.user
    )
    return _("已重新交办。")


def _rate(v: Viewer, d: dict[str, Any]) -> str:
    representative = representative_of(v.user)
    if representative is None:
        raise Http404  # a rating online is a signer's own: nobody else has one to give
    rating = services.suggestion_rate(
        suggestion=v.suggestion,
        representative=representative,
        attitude=d["attitude"],
        result=d["result"],
        comment=d["comment"],
        by=v.user,
    )
    if rating.is_unsatisfied:
        return _("已提交测评。承办单位将根据您的意见重新办理。")
    return _("感谢您的测评。")


def _paper_rating(v: Viewer, d: dict[str, Any]) -> str:
    services.suggestion_rate(
        suggestion=v.suggestion,
        representative=d["representative"],
        attitude=d["attitude"],
        result=d["result"],
        comment=d["comment"],
        channel="paper",
        by=v.user,
    )
    return _("已录入纸质测评。")


def _close_rating(v: Viewer, d: dict[str, Any]) -> str:
    services.suggestion_close_rating(suggestion=v.suggestion, by=v.user, note=d["note"])
    return _("测评已结束。")


def _key(v: Viewer, d: dict[str, Any]) -> str:
    services.suggestion_mark_key(
        suggestion=v.suggestion,
        is_key=d["is_key"],
        leading_official=d["leading_official"],
        supervisor=d["supervisor"],
        committee=d["committee"],
        by=v.user,
    )
    return _("已保存重点督办设置。")


def _publish(v: Viewer, d: dict[str, Any]) -> str:
    consent = d["consent"]
    services.suggestion_set_publish_consent(suggestion=v.suggestion, consent=consent, by=v.user)
    return _("办理答复将在公开页面公布。") if consent else _("办理答复不公开。")


def _group_evaluation(v: Viewer, d: dict[str, Any]) -> str:
    services.group_evaluation_record(
        suggestion=v.suggestion,
        group=d["group"],
        held_on=d["held_on"],
        participants=d["participants"],
        result=d["result"],
        comment=d["comment"],
        by=v.user,
    )
    return _("已记录代表小组二次评价。")


def _contact(v: Viewer, d: dict[str, Any]) -> str:
    services.handling_contact_record(
        suggestion=v.suggestion,
        department=d["department"],
        stage=d["stage"],
        method=d["method"],
        contacted_on=d["contacted_on"],
        note=d["note"],
        by=v.user,
    )
    return _("已记录沟通情况。")


# --- who, and what else an action waits for -------------------------------------------------


def _filer(a: Abilities) -> bool:
    return a.is_filer


def _anyone(a: Abilities) -> bool:
    return True


def _staff(a: Abilities) -> bool:
    return a.is_staff


def _invited(a: Abilities) -> bool:
    answerable = _from(SIGNER_TRANSITIONS, "confirm_cosign", "decline_cosign")
    return a.signer is not None and a.signer.status in answerable


def _before_the_session(v: Viewer) -> bool:
    """会前预提交: returned for changes only while the session has not opened."""
    return v.suggestion.pre_submitted and timezone.localdate() < v.suggestion.session.opens_on


def _lead_returned(v: Viewer) -> bool:
    """重新交办 follows an approved return of the lead department."""
    lead = next((a for a in v.assignments if a.pk == v.suggestion.lead_assignment_id), None)
    return lead is not None and lead.status == ASSIGNMENT_TRANSITIONS["approve_return"][1]


def _has_handlers(v: Viewer) -> bool:
    """面商: a department on the suggestion, or staff once there is one."""
    return bool(v.abilities.my_assignments or (v.abilities.is_staff and v.assignments))


ANY_STATE = frozenset(S)
REVIEW = _from(
    SUGGESTION_TRANSITIONS,
    "register",
    "convert_to_suggestion",
    "merge",
    "convert_to_letter",
    "refuse",
)
RATING = _from(SUGGESTION_TRANSITIONS, "send_back", "complete_rating")

SUGGESTION_ACTIONS: dict[str, SuggestionAction] = {
    # 领衔代表 (or the staff member who typed in a paper one): the list of co-signers
    # changes only while the suggestion is the representatives' own.
    "invite": SuggestionAction(gettext_lazy("邀请附议"), f.InviteForm, _invite, EDITABLE, _filer),
    "uninvite": SuggestionAction(
        gettext_lazy("撤回附议邀请"), f.UninviteForm, _uninvite, EDITABLE, _filer
    ),
    "start_cosigning": SuggestionAction(
        gettext_lazy("征集附议"),
        f.VersionForm,
        _start_cosigning,
        _from(SUGGESTION_TRANSITIONS, "start_cosigning"),
        _filer,
    ),
    # An invited representative answers while signatures are collected.
    "cosign": SuggestionAction(
        gettext_lazy("确认或谢绝附议"),
        f.CosignForm,
        _cosign,
        frozenset({SUGGESTION_TRANSITIONS["start_cosigning"][1]}),
        _invited,
    ),
    "submit": SuggestionAction(
        gettext_lazy("提交"),
        f.VersionForm,
        _submit,
        _from(SUGGESTION_TRANSITIONS, "submit"),
        _filer,
    ),
    "withdraw": SuggestionAction(
        gettext_lazy("撤回"),
        f.OptionalNoteForm,
        _withdraw,
        _from(SUGGESTION_TRANSITIONS, "withdraw"),
        _filer,
    ),
    "pre_return": SuggestionAction(
        gettext_lazy("预审退回修改"),
        f.PreReturnForm,
        _pre_return,
        _from(SUGGESTION_TRANSITIONS, "pre_return"),
        lambda a: a.is_pre_reviewer,
        _before_the_session,
    ),
    # 审查, 交办 and the rest are the congress staff's.
    "review": SuggestionAction(gettext_lazy("审查"), f.ReviewForm, _review, REVIEW, _staff),
    "assign": SuggestionAction(
        gettext_lazy("交办"),
        f.AssignForm,
        _assign,
        _from(SUGGESTION_TRANSITIONS, "assign"),
        _staff,
    ),
    "reassign": SuggestionAction(
        gettext_lazy("重新交办"),
        f.ReassignForm,
        _reassign,
        _from(SUGGESTION_TRANSITIONS, "reassign"),
        _staff,
        _lead_returned,
    ),
    # 测评: each confirmed signer online (``can_rate`` knows who has not yet), or staff
    # entering a paper form for one of them; staff may end it.
    "rate": SuggestionAction(
        gettext_lazy("测评"), f.RatingForm, _rate, RATING, lambda a: a.can_rate
    ),
    "paper_rating": SuggestionAction(
        gettext_lazy("录入纸质测评"), f.PaperRatingForm, _paper_rating, RATING, _staff
    ),
    "close_rating": SuggestionAction(
        gettext_lazy("结束测评"), f.OptionalNoteForm, _close_rating, RATING, _staff
    ),
    "key": SuggestionAction(gettext_lazy("重点督办"), f.KeyForm, _key, frozenset(TAKEN_UP), _staff),
    "group_evaluation": SuggestionAction(
        gettext_lazy("代表小组二次评价"),
        f.GroupEvaluationForm,
        _group_evaluation,
        frozenset(ANSWERED),
        _staff,
    ),
    "contact": SuggestionAction(
        gettext_lazy("沟通联系（面商）"),
        f.ContactForm,
        _contact,
        ANY_STATE,
        _anyone,
        _has_handlers,
    ),
    # The lead decides whether the reply is published, once the suggestion is filed.
    "publish": SuggestionAction(
        gettext_lazy("公开答复"),
        f.PublishForm,
        _publish,
        ANY_STATE - set(PRIVATE) - {S.WITHDRAWN},
        lambda a: a.is_lead,
    ),
}


# The viewer (what the user is to the suggestion, read once) is the standing; the API
# and the pages run a step through its runner, whose service checks who acts again, so
# that the persona matrices test the services' own refusals.
SUGGESTIONS: ActionTable[Suggestion, SuggestionAction] = ActionTable(
    SUGGESTION_ACTIONS,
    lambda v, suggestion, a: suggestion.status in a.states and a.who(v.abilities) and a.when(v),
    standing=lambda viewer, suggestion: viewer,
)


def suggestion_actions(viewer: Viewer) -> list[str]:
    """The actions the viewer may take on the suggestion now, in the table's order."""
    return SUGGESTIONS.allowed(viewer, viewer.suggestion)


# --- a department's assignment -------------------------------------------------------------


@dataclass(frozen=True)
class AssignmentAction:
    label: str | Promise
    form: type[f.ActionForm]
    run: Callable[[Viewer, Assignment, dict[str, Any]], str]
    states: frozenset[str]  # the assignment's statuses it may be taken from
    # The department's clerk on their own assignment, or the congress staff deciding.
    by: Literal["handler", "staff"]
    when: Callable[[Viewer, Assignment], bool] = lambda v, a: True
    multipart: bool = False


def _accept(v: Viewer, a: Assignment, d: dict[str, Any]) -> str:
    services.handling_accept(assignment=a, by=v.user, expected_version=d.get("version"))
    return _("已签收。")


def _request_return(v: Viewer, a: Assignment, d: dict[str, Any]) -> str:
    services.handling_request_return(
        assignment=a, by=v.user, reason=d["reason"], expected_version=d.get("version")
    )
    return _("已申请退回，等待人大工作机构决定。")


def _request_extension(v: Viewer, a: Assignment, d: dict[str, Any]) -> str:
    services.handling_request_extension(
        assignment=a,
        by=v.user,
        until=d["until"],
        reason=d["reason"],
        expected_version=d.get("version"),
    )
    return _("已申请延期，等待批准。")


def _progress(v: Viewer, a: Assignment, d: dict[str, Any]) -> str:
    services.handling_report_progress(assignment=a, by=v.user, note=d["note"])
    return _("已报告进展。")


def _opinion(v: Viewer, a: Assignment, d: dict[str, Any]) -> str:
    services.handling_opinion(
        assignment=a,
        by=v.user,
        text=d["text"],
        uploads=d["attachments"],
        expected_version=d.get("version"),
    )
    return _("协办意见已送主办单位。")


def _reply(v: Viewer, a: Assignment, d: dict[str, Any]) -> str:
    services.suggestion_reply(
        suggestion=v.suggestion,
        by=v.user,
        category=d["category"],
        text=d["text"],
        signing_official=d["signing_official"],
        uploads=d["attachments"],
        expected_version=d.get("version"),
    )
    return _("答复已送达全体联名代表。")


def _follow_up(v: Viewer, a: Assignment, d: dict[str, Any]) -> str:
    services.suggestion_follow_up(
        suggestion=v.suggestion,
        by=v.user,
        category=d["category"],
        text=d["text"],
        signing_official=d["signing_official"],
        uploads=d["attachments"],
    )
    return _("跟踪办理情况已报送。")


def _decide_return(v: Viewer, a: Assignment, d: dict[str, Any]) -> str:
    approve = d["approve"]
    services.handling_decide_return(assignment=a, by=v.user, approve=approve, note=d["note"])
    return _("已同意退回，请重新交办。") if approve else _("已决定。")


def _decide_extension(v: Viewer, a: Assignment, d: dict[str, Any]) -> str:
    services.handling_decide_extension(
        assignment=a, by=v.user, approve=d["approve"], until=d["until"], note=d["note"]
    )
    return _("已决定。")


def _leads_in(*moves: str) -> Callable[[Viewer, Assignment], bool]:
    """The current lead department, while the suggestion is where these moves start."""
    states = _from(SUGGESTION_TRANSITIONS, *moves)

    def check(v: Viewer, a: Assignment) -> bool:
        s = v.suggestion
        return a.role == AssignmentRole.LEAD and a.pk == s.lead_assignment_id and s.status in states

    return check


# A department answers on its assignment (the engine's "reply" move) with the suggestion's
# own step: the lead with a reply (or a follow-up report), a co-handler with its opinion.
ANSWERING = _from(ASSIGNMENT_TRANSITIONS, "reply")

ASSIGNMENT_ACTIONS: dict[str, AssignmentAction] = {
    "accept": AssignmentAction(
        gettext_lazy("签收"),
        f.VersionForm,
        _accept,
        _from(ASSIGNMENT_TRANSITIONS, "accept"),
        "handler",
    ),
    "reply": AssignmentAction(
        gettext_lazy("答复"),
        f.ReplyForm,
        _reply,
        ANSWERING,
        "handler",
        _leads_in("reply"),
        multipart=True,
    ),
    "follow_up": AssignmentAction(
        gettext_lazy("跟踪办理报告"),
        f.ReplyForm,
        _follow_up,
        ANSWERING,
        "handler",
        _leads_in("follow_up"),
        multipart=True,
    ),
    "opinion": AssignmentAction(
        gettext_lazy("协办意见"),
        f.OpinionForm,
        _opinion,
        ANSWERING,
        "handler",
        lambda v, a: a.role == AssignmentRole.CO_HANDLER,
        multipart=True,
    ),
    "progress": AssignmentAction(
        gettext_lazy("报告进展"), f.ProgressForm, _progress, frozenset(OPEN_STATUSES), "handler"
    ),
    "request_extension": AssignmentAction(
        gettext_lazy("申请延期"),
        f.ExtensionForm,
        _request_extension,
        _from(ASSIGNMENT_TRANSITIONS, "request_extension"),
        "handler",
    ),
    "request_return": AssignmentAction(
        gettext_lazy("申请退回"),
        f.ReasonForm,
        _request_return,
        _from(ASSIGNMENT_TRANSITIONS, "request_return"),
        "handler",
        lambda v, a: v.suggestion.status in services.RETURNABLE,
    ),
    "decide_return": AssignmentAction(
        gettext_lazy("审核退回申请"),
        f.DecisionForm,
        _decide_return,
        _from(ASSIGNMENT_TRANSITIONS, "approve_return", "reject_return"),
        "staff",
    ),
    "decide_extension": AssignmentAction(
        gettext_lazy("审核延期申请"),
        f.DecisionForm,
        _decide_extension,
        _from(ASSIGNMENT_TRANSITIONS, "approve_extension", "reject_extension"),
        "staff",
    ),
}


@dataclass(frozen=True)
class _OnAssignment:
    viewer: Viewer
    roles: frozenset[str]  # "handler" (its department's clerk), "staff"

    def __bool__(self) -> bool:
        return bool(self.roles)


def _on(viewer: Viewer, assignment: Assignment) -> _OnAssignment:
    pairs = (
        ("handler", assignment in viewer.abilities.my_assignments),
        ("staff", viewer.abilities.is_staff),
    )
    return _OnAssignment(viewer, frozenset(role for role, on in pairs if on))


ASSIGNMENTS: ActionTable[Assignment, AssignmentAction] = ActionTable(
    ASSIGNMENT_ACTIONS,
    lambda on, assignment, a: (
        a.by in on.roles and assignment.status in a.states and a.when(on.viewer, assignment)
    ),
    standing=_on,
)


def assignment_actions(viewer: Viewer, assignment: Assignment) -> list[str]:
    """The actions the viewer may take on one of the suggestion's assignments now."""
    return ASSIGNMENTS.allowed(viewer, assignment)
