"""Pages of representatives' suggestions: list, filing, the suggestion's page with every
step its viewer may take, the department workspace, the session report and the public
disclosure page.

Each view loads through a scoped selector (404 outside the scope), validates a form,
calls one service and responds. The many small steps on a suggestion's page share two
views (``suggestion_act`` and ``assignment_act``) driven by the ``STEPS`` tables below.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from congress.audit import audit_record
from congress.errors import DomainError
from congress.models import (
    OPEN_STATUSES,
    Assignment,
    AssignmentRole,
    AssignmentStatus,
    AuditAction,
    Department,
)
from congress.scoping import acting_user, get_visible_or_404, is_staff_or_admin
from congress.workdays import workdays_between
from representatives.models import Representative, RepresentativeGroup
from representatives.selectors import representative_of, visible_representatives
from suggestions.formal import conf, services
from suggestions.formal import forms as f
from suggestions.formal.filters import SuggestionFilter
from suggestions.formal.reports import report_workbook, session_report
from suggestions.formal.selectors import (
    Abilities,
    abilities,
    awaiting_rating,
    department_workspace,
    key_suggestions,
    latest_main_reply,
    plenary_sessions_for,
    public_suggestions,
    sessions_in_scope,
    suggested_departments,
    suggestion_assignments,
    suggestion_attachment,
    suggestion_replies,
    suggestion_signers,
    suggestion_timeline,
    suggestions_by_id,
    visible_suggestion_assignments,
    visible_suggestions,
    with_list_columns,
)
from suggestions.formal.workflow import EDITABLE
from suggestions.models.formal import SignerStatus, Suggestion, SuggestionStatus

S = SuggestionStatus


# --- list and filing -----------------------------------------------------------------------


@login_required
def suggestion_list(request: HttpRequest) -> HttpResponse:
    user = acting_user(request)
    filterset = SuggestionFilter(request.GET or None, queryset=visible_suggestions(user))
    session_filter = filterset.filters["session"]
    representative = representative_of(user)
    session_filter.queryset = (
        plenary_sessions_for(representative)
        if representative is not None and not user.is_congress_staff
        else sessions_in_scope(user)
    )
    rows = with_list_columns(filterset.qs).order_by("-session__opens_on", "number", "-pk")
    page = Paginator(rows, 50).get_page(request.GET.get("page"))
    return render(
        request,
        "suggestions/formal/list.html",
        {
            "page": page,
            "filter": filterset,
            "query": _query_without_page(request),
            "can_file": representative is not None or user.is_congress_staff,
            "to_rate": awaiting_rating(user).count() if representative else 0,
        },
    )


def _query_without_page(request: HttpRequest) -> str:
    query = request.GET.copy()
    query.pop("page", None)
    return query.urlencode()


@login_required
def suggestion_create(request: HttpRequest) -> HttpResponse:
    user = acting_user(request)
    representative = representative_of(user)
    form: forms.Form
    if representative is not None:
        form = f.SuggestionForm(request.POST or None, lead=representative)
    elif is_staff_or_admin(user):
        form = f.StaffEntryForm(
            request.POST or None,
            representatives=visible_representatives(user),
            sessions=sessions_in_scope(user),
        )
    else:
        raise Http404
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        lead = data.get("lead") or representative
        assert lead is not None
        try:
            suggestion = services.suggestion_create(
                lead=lead,
                session=data["session"],
                kind=data["kind"],
                title=data["title"],
                content=data["content"],
                category=data["category"],
                research_basis=data["research_basis"],
                by_delegation=data["by_delegation"],
                by=user,
            )
        except DomainError as error:
            messages.error(request, str(error.message))
        else:
            messages.success(request, _("草稿已保存。可以邀请其他代表附议，或直接提交。"))
            return redirect(suggestion)
    return render(request, "suggestions/formal/form.html", {"form": form, "suggestion": None})


@login_required
def suggestion_edit(request: HttpRequest, pk: int) -> HttpResponse:
    suggestion = get_visible_or_404(visible_suggestions(request.user), pk=pk)
    if suggestion.status not in EDITABLE:
        messages.error(request, _("建议已提交，不能再修改。"))
        return redirect(suggestion)
    initial = {name: getattr(suggestion, name) for name in services.EDITABLE_FIELDS}
    form = f.SuggestionEditForm(
        request.POST or None, initial={**initial, "version": suggestion.version}
    )
    status = 200
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        version = data.pop("version")
        if version is not None:
            suggestion.version = version  # an edit made on a page that is now stale loses
        try:
            services.suggestion_update(suggestion=suggestion, by=acting_user(request), **data)
        except DomainError as error:
            # Refused (not the filer: 403; stale or submitted meanwhile: 409), not a success.
            messages.error(request, str(error.message))
            status = error.status
        else:
            messages.success(request, _("已保存修改。"))
            return redirect(suggestion)
    return render(
        request,
        "suggestions/formal/form.html",
        {"form": form, "suggestion": suggestion},
        status=status,
    )


# --- the suggestion's page ---------------------------------------------------------------


@dataclass
class AssignmentPanel:
    """One of the viewer's own assignments on this suggestion, with the forms it allows."""

    assignment: Assignment
    forms: dict[str, forms.Form] = field(default_factory=dict)
    overdue_days: int = 0


@dataclass
class Step:
    """A step on a suggestion page: its form, and the service call it feeds."""

    form: type[forms.Form]
    run: Callable[[HttpRequest, Any, forms.Form], str]
    kwargs: Callable[[Suggestion, Abilities], dict[str, Any]] = lambda s, a: {}


def _auto_id(name: str) -> str:
    """Field ids unique on a page that carries many small forms."""
    return f"id_{name.replace('-', '_')}_%s"


def _version(form: forms.Form) -> int | None:
    return form.cleaned_data.get("version")


# Steps on the suggestion itself. Each returns the message shown on success.


def _invite(request: HttpRequest, s: Suggestion, form: forms.Form) -> str:
    services.suggestion_invite_cosigners(
        suggestion=s, representatives=form.cleaned_data["representatives"], by=acting_user(request)
    )
    return _("已加入附议名单。") if s.status != S.CO_SIGNING else _("已发出附议邀请。")


def _uninvite(request: HttpRequest, s: Suggestion, form: forms.Form) -> str:
    signer = get_visible_or_404(
        s.signers.select_related("representative", "suggestion"), pk=form.cleaned_data["signer"]
    )
    services.suggestion_uninvite(signer=signer, by=acting_user(request))
    return _("已撤回邀请。")


def _start_cosigning(request: HttpRequest, s: Suggestion, form: forms.Form) -> str:
    services.suggestion_start_cosigning(
        suggestion=s, by=acting_user(request), expected_version=_version(form)
    )
    return _("已向受邀代表发出附议邀请。")


def _cosign(request: HttpRequest, s: Suggestion, form: forms.Form) -> str:
    representative = representative_of(acting_user(request))
    signer = get_visible_or_404(
        s.signers.select_related("suggestion__lead__user"), representative=representative
    )
    confirm = form.cleaned_data["answer"] == "confirm"
    services.signer_respond(signer=signer, confirm=confirm, by=acting_user(request))
    return _("已确认附议。") if confirm else _("已谢绝附议。")


def _submit(request: HttpRequest, s: Suggestion, form: forms.Form) -> str:
    services.suggestion_submit(
        suggestion=s, by=acting_user(request), expected_version=_version(form)
    )
    return _("已提交。") if not s.pre_submitted else _("已预提交，会前将由人大工作机构汇总把关。")


def _withdraw(request: HttpRequest, s: Suggestion, form: forms.Form) -> str:
    services.suggestion_withdraw(
        suggestion=s, by=acting_user(request), reason=form.cleaned_data["note"]
    )
    return _("已撤回。")


def _pre_return(request: HttpRequest, s: Suggestion, form: forms.Form) -> str:
    services.suggestion_pre_return(
        suggestion=s,
        by=acting_user(request),
        comment=form.cleaned_data["comment"],
        expected_version=_version(form),
    )
    return _("已退回代表修改。")


def _review(request: HttpRequest, s: Suggestion, form: forms.Form) -> str:
    assert isinstance(form, f.ReviewForm)
    services.suggestion_review(
        suggestion=s,
        decision=form.cleaned_data["decision"],
        note=form.cleaned_data["note"],
        merge_into=form.merge_target(),
        by=acting_user(request),
        expected_version=_version(form),
    )
    return _("审查结果已保存，代表会收到通知。")


def _assign(request: HttpRequest, s: Suggestion, form: forms.Form) -> str:
    services.suggestion_assign(
        suggestion=s,
        lead_department=form.cleaned_data["lead_department"],
        co_handlers=list(form.cleaned_data["co_handlers"]),
        note=form.cleaned_data["note"],
        by=acting_user(request),
        expected_version=_version(form),
    )
    return _("已交办，承办单位会收到通知。")


def _reassign(request: HttpRequest, s: Suggestion, form: forms.Form) -> str:
    services.suggestion_reassign(
        suggestion=s,
        department=form.cleaned_data["department"],
        note=form.cleaned_data["note"],
        by=acting_user(request),
    )
    return _("已重新交办。")


def _rate(request: HttpRequest, s: Suggestion, form: forms.Form) -> str:
    representative = representative_of(acting_user(request))
    if representative is None:
        raise Http404
    rating = services.suggestion_rate(
        suggestion=s, representative=representative, by=acting_user(request), **form.cleaned_data
    )
    if rating.is_unsatisfied:
        return _("已提交测评。承办单位将根据您的意见重新办理。")
    return _("感谢您的测评。")


def _paper_rating(request: HttpRequest, s: Suggestion, form: forms.Form) -> str:
    services.suggestion_rate(
        suggestion=s, by=acting_user(request), channel="paper", **form.cleaned_data
    )
    return _("已录入纸质测评。")


def _close_rating(request: HttpRequest, s: Suggestion, form: forms.Form) -> str:
    services.suggestion_close_rating(
        suggestion=s, by=acting_user(request), note=form.cleaned_data["note"]
    )
    return _("测评已结束。")


def _key(request: HttpRequest, s: Suggestion, form: forms.Form) -> str:
    services.suggestion_mark_key(suggestion=s, by=acting_user(request), **form.cleaned_data)
    return _("已保存重点督办设置。")


def _publish(request: HttpRequest, s: Suggestion, form: forms.Form) -> str:
    consent = form.cleaned_data["consent"]
    services.suggestion_set_publish_consent(suggestion=s, consent=consent, by=acting_user(request))
    return _("办理答复将在公开页面公布。") if consent else _("办理答复不公开。")


def _group_evaluation(request: HttpRequest, s: Suggestion, form: forms.Form) -> str:
    services.group_evaluation_record(suggestion=s, by=acting_user(request), **form.cleaned_data)
    return _("已记录代表小组二次评价。")


def _contact(request: HttpRequest, s: Suggestion, form: forms.Form) -> str:
    services.handling_contact_record(suggestion=s, by=acting_user(request), **form.cleaned_data)
    return _("已记录沟通情况。")


def _signers_to_rate(s: Suggestion) -> Any:
    reply = latest_main_reply(s)
    rated = reply.ratings.values("representative_id") if reply else []
    return Representative.objects.filter(
        signed_suggestions__suggestion=s, signed_suggestions__status=SignerStatus.CONFIRMED
    ).exclude(pk__in=rated)


def _groups(s: Suggestion, ability: Abilities) -> dict[str, Any]:
    return {
        "groups": RepresentativeGroup.objects.filter(
            region__path__startswith=s.congress.region.path
        )
    }


def _contact_departments(s: Suggestion, ability: Abilities) -> dict[str, Any]:
    ids = {a.department_id for a in ability.my_assignments}
    if ability.is_staff:
        ids |= {a.department_id for a in suggestion_assignments(s)}
    return {"departments": Department.objects.filter(pk__in=[i for i in ids if i])}


SUGGESTION_STEPS: dict[str, Step] = {
    "invite": Step(f.InviteForm, _invite, lambda s, a: {"suggestion": s}),
    "uninvite": Step(f.UninviteForm, _uninvite),
    "start_cosigning": Step(f.VersionForm, _start_cosigning),
    "cosign": Step(f.CosignForm, _cosign),
    "submit": Step(f.VersionForm, _submit),
    "withdraw": Step(f.OptionalNoteForm, _withdraw),
    "pre_return": Step(f.PreReturnForm, _pre_return),
    "review": Step(f.ReviewForm, _review, lambda s, a: {"suggestion": s}),
    "assign": Step(f.AssignForm, _assign, lambda s, a: {"suggestion": s}),
    "reassign": Step(f.ReassignForm, _reassign, lambda s, a: {"suggestion": s}),
    "rate": Step(f.RatingForm, _rate),
    "paper_rating": Step(
        f.PaperRatingForm, _paper_rating, lambda s, a: {"signers": _signers_to_rate(s)}
    ),
    "close_rating": Step(f.OptionalNoteForm, _close_rating),
    "key": Step(f.KeyForm, _key),
    "publish": Step(f.PublishForm, _publish),
    "group_evaluation": Step(f.GroupEvaluationForm, _group_evaluation, _groups),
    "contact": Step(f.ContactForm, _contact, _contact_departments),
}


def _suggestion_forms(
    s: Suggestion, ability: Abilities, assignments: list[Assignment]
) -> list[str]:
    """Which of SUGGESTION_STEPS this viewer may take now (the services check again)."""
    names: list[str] = []
    if ability.is_filer and s.status in EDITABLE:
        names += ["invite", "submit", "withdraw"]
        if s.status != S.CO_SIGNING:
            names.append("start_cosigning")
    if ability.is_filer and s.status == S.SUBMITTED:
        names.append("withdraw")
    signer = ability.signer
    if signer is not None and signer.status == SignerStatus.INVITED and s.status == S.CO_SIGNING:
        names.append("cosign")
    opens_later = timezone.localdate() < s.session.opens_on
    if ability.is_pre_reviewer and s.status == S.SUBMITTED and s.pre_submitted and opens_later:
        names.append("pre_return")
    if ability.is_staff:
        names += _staff_steps(s, assignments)
    if ability.can_rate:
        names.append("rate")
    if ability.is_lead and s.status not in (S.DRAFT, S.CO_SIGNING, S.WITHDRAWN):
        names.append("publish")
    if ability.my_assignments or (ability.is_staff and assignments):
        names.append("contact")
    return names


def _staff_steps(s: Suggestion, assignments: list[Assignment]) -> list[str]:
    names = []
    if s.status == S.SUBMITTED:
        names.append("review")
    if s.status == S.REGISTERED:
        names.append("assign")
    lead = next((a for a in assignments if a.pk == s.lead_assignment_id), None)
    if s.status == S.HANDLING and lead is not None and lead.status == AssignmentStatus.RETURNED:
        names.append("reassign")
    if s.status == S.REPLIED:
        names += ["paper_rating", "close_rating"]
    if s.status not in (
        S.DRAFT,
        S.CO_SIGNING,
        S.SUBMITTED,
        S.PRE_RETURNED,
        S.WITHDRAWN,
        S.MERGED,
        S.CONVERTED,
        S.DECLINED,
    ):
        names.append("key")
    if s.first_replied_at is not None:
        names.append("group_evaluation")
    return names


def _initial(name: str, s: Suggestion) -> dict[str, Any]:
    if name == "key":
        return {
            "is_key": True,  # the form is opened to mark (or to edit a marked one)
            "leading_official": s.key_leading_official,
            "supervisor": s.key_supervisor,
            "committee": s.key_committee,
        }
    if name == "publish":
        return {"consent": not s.publish_consent}
    return {"version": s.version}


@login_required
def suggestion_detail(request: HttpRequest, pk: int) -> HttpResponse:
    suggestion = get_visible_or_404(visible_suggestions(request.user), pk=pk)
    return _render_detail(request, suggestion)


def _render_detail(
    request: HttpRequest,
    suggestion: Suggestion,
    bound: dict[str, forms.Form] | None = None,
    status: int = 200,
) -> HttpResponse:
    user = acting_user(request)
    assignments = suggestion_assignments(suggestion)
    ability = abilities(user, suggestion, assignments)
    bound = bound or {}
    step_forms = {}
    for name in _suggestion_forms(suggestion, ability, assignments):
        step = SUGGESTION_STEPS[name]
        step_forms[name] = bound.get(name) or step.form(
            initial=_initial(name, suggestion),
            auto_id=_auto_id(name),
            **step.kwargs(suggestion, ability),
        )
    panels = [_panel(suggestion, a, bound) for a in ability.my_assignments]
    decisions = _decisions(suggestion, assignments) if ability.is_staff else []
    context = {
        "suggestion": suggestion,
        "signers": suggestion_signers(suggestion),
        "assignments": assignments,
        "replies": suggestion_replies(suggestion),
        "contacts": suggestion.contacts.select_related("department"),
        "evaluations": suggestion.group_evaluations.select_related("group"),
        "events": suggestion_timeline(suggestion),
        "ability": ability,
        "forms": step_forms,
        "panels": panels,
        "decisions": decisions,
        "suggested": suggested_departments(suggestion) if "assign" in step_forms else [],
        "today": timezone.localdate(),
    }
    return render(request, "suggestions/formal/detail.html", context, status=status)


@login_required
@require_POST
def suggestion_act(request: HttpRequest, pk: int, action: str) -> HttpResponse:
    suggestion = get_visible_or_404(visible_suggestions(request.user), pk=pk)
    step = SUGGESTION_STEPS.get(action)
    if step is None:
        raise Http404
    assignments = suggestion_assignments(suggestion)
    ability = abilities(acting_user(request), suggestion, assignments)
    form = step.form(
        request.POST, request.FILES, auto_id=_auto_id(action), **step.kwargs(suggestion, ability)
    )
    return _perform(request, suggestion, action, form, lambda: step.run(request, suggestion, form))


def _perform(
    request: HttpRequest,
    suggestion: Suggestion,
    name: str,
    form: forms.Form,
    run: Callable[[], str],
) -> HttpResponse:
    """Validate, call the service, respond: on a refusal the page comes back with the
    form as it was typed and the reason, and nothing was changed."""
    if not form.is_valid():
        messages.error(request, f.first_error(form))
        return _render_detail(request, suggestion, {name: form}, status=400)
    try:
        message = run()
    except DomainError as error:
        messages.error(request, str(error.message))
        suggestion.refresh_from_db()
        return _render_detail(request, suggestion, {name: form}, status=error.status)
    messages.success(request, message)
    return redirect(suggestion)


@login_required
def attachment(request: HttpRequest, pk: int, token: str) -> FileResponse:
    """A document of this suggestion (reply letter, opinion) for whoever may see it."""
    suggestion = get_visible_or_404(visible_suggestions(request.user), pk=pk)
    found = suggestion_attachment(suggestion, token)
    if found is None:
        raise Http404
    response = FileResponse(
        found.file.open("rb"),
        as_attachment=not found.content_type.startswith("image/"),
        filename=found.original_name,
        content_type=found.content_type,
    )
    response.headers["Cache-Control"] = "private, no-store"
    response.headers["X-Content-Type-Options"] = "nosniff"
    return response


# --- the department's steps on its own assignment ----------------------------------------


def _a_accept(request: HttpRequest, a: Assignment, form: forms.Form) -> str:
    services.handling_accept(assignment=a, by=acting_user(request), expected_version=None)
    return _("已签收。")


def _a_return(request: HttpRequest, a: Assignment, form: forms.Form) -> str:
    services.handling_request_return(
        assignment=a, by=acting_user(request), reason=form.cleaned_data["reason"]
    )
    return _("已申请退回，等待人大工作机构决定。")


def _a_extension(request: HttpRequest, a: Assignment, form: forms.Form) -> str:
    services.handling_request_extension(
        assignment=a,
        by=acting_user(request),
        until=form.cleaned_data["until"],
        reason=form.cleaned_data["reason"],
    )
    return _("已申请延期，等待批准。")


def _a_progress(request: HttpRequest, a: Assignment, form: forms.Form) -> str:
    services.handling_report_progress(
        assignment=a, by=acting_user(request), note=form.cleaned_data["note"]
    )
    return _("已报告进展。")


def _a_opinion(request: HttpRequest, a: Assignment, form: forms.Form) -> str:
    services.handling_opinion(
        assignment=a,
        by=acting_user(request),
        text=form.cleaned_data["text"],
        uploads=form.cleaned_data["attachments"],
    )
    return _("协办意见已送主办单位。")


def _a_reply(request: HttpRequest, a: Assignment, form: forms.Form) -> str:
    suggestion = Suggestion.objects.get(pk=a.case_id)
    data = form.cleaned_data
    if data.get("version") is not None:
        suggestion.version = data["version"]
    services.suggestion_reply(
        suggestion=suggestion,
        by=acting_user(request),
        category=data["category"],
        text=data["text"],
        signing_official=data["signing_official"],
        uploads=data["attachments"],
        expected_version=data.get("version"),
    )
    return _("答复已送达全体联名代表。")


def _a_follow_up(request: HttpRequest, a: Assignment, form: forms.Form) -> str:
    suggestion = Suggestion.objects.get(pk=a.case_id)
    data = form.cleaned_data
    services.suggestion_follow_up(
        suggestion=suggestion,
        by=acting_user(request),
        category=data["category"],
        text=data["text"],
        signing_official=data["signing_official"],
        uploads=data["attachments"],
    )
    return _("跟踪办理情况已报送。")


def _a_decide_return(request: HttpRequest, a: Assignment, form: forms.Form) -> str:
    services.handling_decide_return(
        assignment=a,
        by=acting_user(request),
        approve=form.cleaned_data["approve"],
        note=form.cleaned_data["note"],
    )
    return _("已决定。") if not form.cleaned_data["approve"] else _("已同意退回，请重新交办。")


def _a_decide_extension(request: HttpRequest, a: Assignment, form: forms.Form) -> str:
    services.handling_decide_extension(assignment=a, by=acting_user(request), **form.cleaned_data)
    return _("已决定。")


ASSIGNMENT_STEPS: dict[
    str, tuple[type[forms.Form], Callable[[HttpRequest, Assignment, forms.Form], str]]
] = {
    "accept": (f.VersionForm, _a_accept),
    "request_return": (f.ReasonForm, _a_return),
    "request_extension": (f.ExtensionForm, _a_extension),
    "progress": (f.ProgressForm, _a_progress),
    "opinion": (f.OpinionForm, _a_opinion),
    "reply": (f.ReplyForm, _a_reply),
    "follow_up": (f.ReplyForm, _a_follow_up),
    "decide_return": (f.DecisionForm, _a_decide_return),
    "decide_extension": (f.DecisionForm, _a_decide_extension),
}


def _panel(s: Suggestion, a: Assignment, bound: dict[str, forms.Form]) -> AssignmentPanel:
    """The forms of one of the viewer's own assignments, by its status and role."""
    names: list[str] = []
    working = a.status in (AssignmentStatus.ACCEPTED, AssignmentStatus.IN_PROGRESS)
    is_current_lead = a.pk == s.lead_assignment_id
    if a.status == AssignmentStatus.ASSIGNED:
        names += ["accept", "request_return"]
    if working and a.role == AssignmentRole.LEAD and is_current_lead:
        if s.status in (S.HANDLING, S.REHANDLING):
            names.append("reply")
        if s.status == S.CARRIED_OVER:
            names.append("follow_up")
    if working and a.role == AssignmentRole.CO_HANDLER:
        names.append("opinion")
    if working:
        names += ["request_return", "request_extension", "progress"]
    panel = AssignmentPanel(assignment=a)
    for name in dict.fromkeys(names):
        key = f"{name}-{a.pk}"
        form_class = ASSIGNMENT_STEPS[name][0]
        panel.forms[name] = bound.get(key) or form_class(
            initial={"version": s.version if name == "reply" else a.version},
            auto_id=_auto_id(key),
        )
    if a.is_open:
        panel.overdue_days = max(0, workdays_between(a.due_on, timezone.localdate()))
    return panel


def _decisions(
    s: Suggestion, assignments: list[Assignment]
) -> list[tuple[Assignment, str, forms.Form]]:
    """Return and extension requests waiting for the staff's decision."""
    waiting: dict[str, str] = {
        AssignmentStatus.RETURN_REQUESTED: "decide_return",
        AssignmentStatus.EXTENSION_REQUESTED: "decide_extension",
    }
    return [
        (a, waiting[a.status], f.DecisionForm(auto_id=_auto_id(f"{waiting[a.status]}-{a.pk}")))
        for a in assignments
        if a.status in waiting
    ]


@login_required
@require_POST
def assignment_act(request: HttpRequest, pk: int, action: str) -> HttpResponse:
    assignment = get_visible_or_404(visible_suggestion_assignments(request.user), pk=pk)
    suggestion = get_visible_or_404(visible_suggestions(request.user), pk=assignment.case_id)
    if action not in ASSIGNMENT_STEPS:
        raise Http404
    form_class, run = ASSIGNMENT_STEPS[action]
    key = f"{action}-{assignment.pk}"
    form = form_class(request.POST, request.FILES, auto_id=_auto_id(key))
    return _perform(request, suggestion, key, form, lambda: run(request, assignment, form))


# --- the department workspace ------------------------------------------------------------


@login_required
def workspace(request: HttpRequest) -> HttpResponse:
    """A clerk's suggestions: due dates, the overdue first, and a link to reply."""
    user = acting_user(request)
    if not user.is_handler:
        raise Http404
    rows = department_workspace(user)
    state = request.GET.get("state", "open")
    if state == "open":
        rows = rows.filter(status__in=OPEN_STATUSES)
    page = Paginator(rows, 50).get_page(request.GET.get("page"))
    by_id = suggestions_by_id(a.case_id for a in page)
    today = timezone.localdate()
    items = [
        {
            "assignment": a,
            "suggestion": by_id.get(a.case_id),
            "overdue": a.is_open and a.due_on < today,
            "days_left": (a.due_on - today).days,
        }
        for a in page
    ]
    return render(
        request,
        "suggestions/formal/workspace.html",
        {"page": page, "items": items, "state": state, "today": today},
    )


# --- reports -----------------------------------------------------------------------------


def _report_session(request: HttpRequest, session_id: int | None) -> Any:
    sessions = sessions_in_scope(request.user)
    if session_id is None:
        session = sessions.filter(opens_on__lte=timezone.localdate()).first() or sessions.first()
        if session is None:
            raise Http404
        return session, sessions
    return get_visible_or_404(sessions, pk=session_id), sessions


@login_required
def report(request: HttpRequest) -> HttpResponse:
    raw = request.GET.get("session")
    session, sessions = _report_session(request, int(raw) if raw and raw.isdigit() else None)
    return render(
        request,
        "suggestions/formal/report.html",
        {"report": session_report(session, user=request.user), "sessions": sessions},
    )


@login_required
def report_print(request: HttpRequest, session_id: int) -> HttpResponse:
    session, _sessions = _report_session(request, session_id)
    return render(
        request,
        "suggestions/formal/report_print.html",
        {"report": session_report(session, user=request.user), "today": timezone.localdate()},
    )


@login_required
def report_xlsx(request: HttpRequest, session_id: int) -> HttpResponse:
    session, _sessions = _report_session(request, session_id)
    content = report_workbook(session_report(session, user=request.user))
    audit_record(
        action=AuditAction.EXPORT,
        request=request,
        obj=session,
        detail={"report": "suggestion_handling", "format": "xlsx"},
    )
    response = HttpResponse(
        content,
        content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    )
    # An ASCII file name (the session id), so no header encoding trouble on old clients.
    response["Content-Disposition"] = f'attachment; filename="suggestions-report-{session.pk}.xlsx"'
    return response


@login_required
def key_list(request: HttpRequest) -> HttpResponse:
    """重点督办: the key suggestions in scope, with their leading officials and progress."""
    rows = key_suggestions(request.user)
    page = Paginator(rows, 50).get_page(request.GET.get("page"))
    return render(request, "suggestions/formal/key_list.html", {"page": page})


# --- the public disclosure page (no login) -------------------------------------------------


def public_list(request: HttpRequest) -> HttpResponse:
    page = Paginator(public_suggestions(), conf.public_page_size()).get_page(
        request.GET.get("page")
    )
    return render(request, "suggestions/formal/public_list.html", {"page": page})


def public_detail(request: HttpRequest, pk: int) -> HttpResponse:
    suggestion = get_visible_or_404(public_suggestions(), pk=pk)
    return render(request, "suggestions/formal/public_detail.html", {"suggestion": suggestion})
