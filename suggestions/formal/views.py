"""Pages of representatives' suggestions: list, filing, the suggestion's page with every
step its viewer may take, the department workspace, the session report and the public
disclosure page.

Each view loads through a scoped selector (404 outside the scope), validates a form,
calls one service and responds. The actions on a suggestion's page share two views
(``suggestion_act`` and ``assignment_act``) that read the tables of ``actions.py``.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.db.models import QuerySet
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from congress.audit import audit_record
from congress.errors import DomainError
from congress.form_steps import submit
from congress.keyset import keyset_page
from congress.models import (
    OPEN_STATUSES,
    Assignment,
    AuditAction,
    Session,
)
from congress.scoping import acting_user, get_visible_or_404, is_staff_or_admin
from congress.workdays import workdays_between
from representatives.selectors import representative_of, visible_representatives
from suggestions.formal import conf, services
from suggestions.formal import forms as f
from suggestions.formal.actions import (
    ASSIGNMENT_ACTIONS,
    SUGGESTION_ACTIONS,
    Viewer,
    assignment_actions,
    suggestion_actions,
    viewer_of,
)
from suggestions.formal.filters import SuggestionFilter
from suggestions.formal.reports import report_workbook, session_report
from suggestions.formal.selectors import (
    awaiting_rating,
    department_workspace,
    key_suggestions,
    plenary_sessions_for,
    public_suggestions,
    sessions_in_scope,
    suggested_departments,
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
from suggestions.models.formal import Suggestion, SuggestionStatus

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
    # Newest first on the jurisdiction's (area, created_at, id) index, a keyset page
    # at a time (docs/architecture.md, "Reads that do not grow with the data").
    page = keyset_page(with_list_columns(filterset.qs), request.GET, ordering=LIST_ORDER)
    return render(
        request,
        "suggestions/formal/list.html",
        {
            "page": page,
            "filter": filterset,
            "session_choices": _session_choices(session_filter.queryset, request),
            "can_file": representative is not None or user.is_congress_staff,
            "to_rate": awaiting_rating(user).count() if representative else 0,
        },
    )


LIST_ORDER = ("-created_at", "-pk")
# The session filter offers the newest sessions: a city's staff cover some 500 plenary
# sessions over a term (the city's, its districts' and towns'), too many to render on
# every page; an older one stays reachable by its link (``?session=``), and a chosen
# one is always offered. The filter itself accepts any session in the user's scope.
SESSION_CHOICES = 40


def _session_choices(sessions: QuerySet[Session], request: HttpRequest) -> list[Session]:
    choices = list(sessions[:SESSION_CHOICES])
    chosen = request.GET.get("session", "")
    if chosen.isdigit() and all(str(session.pk) != chosen for session in choices):
        choices += list(sessions.filter(pk=int(chosen)))
    return choices


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

    def create(data: Any) -> Suggestion:
        lead = data.get("lead") or representative  # staff enter one for a representative
        assert lead is not None
        return services.suggestion_create(
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

    sent = submit(request, form, create)
    if sent.done:
        messages.success(request, _("草稿已保存。可以邀请其他代表附议，或直接提交。"))
        return redirect(sent.result)
    return _form_page(request, form, None, sent.status)


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

    def update(data: Any) -> None:
        data = dict(data)
        version = data.pop("version")
        if version is not None:
            suggestion.version = version  # an edit made on a page that is now stale loses
        services.suggestion_update(suggestion=suggestion, by=acting_user(request), **data)

    # Refused (not the filer: 403; stale or submitted meanwhile: 409), not a success.
    sent = submit(request, form, update)
    if sent.done:
        messages.success(request, _("已保存修改。"))
        return redirect(suggestion)
    return _form_page(request, form, suggestion, sent.status)


def _form_page(
    request: HttpRequest, form: forms.Form, suggestion: Suggestion | None, status: int
) -> HttpResponse:
    """A new suggestion's or a draft's form, again with what was typed and the refusal."""
    context = {"form": form, "suggestion": suggestion}
    return render(request, "suggestions/formal/form.html", context, status=status)


# --- the suggestion's page ---------------------------------------------------------------


@dataclass
class AssignmentPanel:
    """One of the viewer's own assignments on this suggestion, with the forms it allows."""

    assignment: Assignment
    forms: dict[str, forms.Form] = field(default_factory=dict)
    overdue_days: int = 0


def _auto_id(name: str) -> str:
    """Field ids unique on a page that carries many small forms."""
    return f"id_{name.replace('-', '_')}_%s"


@login_required
def suggestion_detail(request: HttpRequest, pk: int) -> HttpResponse:
    suggestion = get_visible_or_404(visible_suggestions(request.user), pk=pk)
    return _render_detail(request, viewer_of(acting_user(request), suggestion))


def _render_detail(
    request: HttpRequest,
    viewer: Viewer,
    bound: dict[str, forms.Form] | None = None,
    status: int = 200,
) -> HttpResponse:
    """The suggestion with a form for every action ``actions.py`` offers this viewer now;
    ``bound`` holds a refused form, shown again as it was typed."""
    bound = bound or {}
    suggestion = viewer.suggestion
    step_forms = {
        name: bound.get(name)
        or SUGGESTION_ACTIONS[name].form(viewer=viewer, auto_id=_auto_id(name))
        for name in suggestion_actions(viewer)
    }
    context = {
        "suggestion": suggestion,
        "signers": suggestion_signers(suggestion),
        "assignments": viewer.assignments,
        "replies": suggestion_replies(suggestion),
        "contacts": suggestion.contacts.select_related("department"),
        "evaluations": suggestion.group_evaluations.select_related("group"),
        "events": suggestion_timeline(suggestion),
        "ability": viewer.abilities,
        "forms": step_forms,
        "panels": [_panel(viewer, a, bound) for a in viewer.abilities.my_assignments],
        "decisions": _decisions(viewer, bound),
        "suggested": suggested_departments(suggestion) if "assign" in step_forms else [],
        "today": timezone.localdate(),
    }
    return render(request, "suggestions/formal/detail.html", context, status=status)


def _assignment_form(
    viewer: Viewer, a: Assignment, name: str, bound: dict[str, forms.Form]
) -> forms.Form:
    key = f"{name}-{a.pk}"
    form_class = ASSIGNMENT_ACTIONS[name].form
    return bound.get(key) or form_class(viewer=viewer, assignment=a, auto_id=_auto_id(key))


def _panel(viewer: Viewer, a: Assignment, bound: dict[str, forms.Form]) -> AssignmentPanel:
    """The forms of one of the viewer's own assignments."""
    panel = AssignmentPanel(assignment=a)
    for name in assignment_actions(viewer, a):
        if ASSIGNMENT_ACTIONS[name].by == "handler":
            panel.forms[name] = _assignment_form(viewer, a, name, bound)
    if a.is_open:
        panel.overdue_days = max(0, workdays_between(a.due_on, timezone.localdate()))
    return panel


def _decisions(
    viewer: Viewer, bound: dict[str, forms.Form]
) -> list[tuple[Assignment, str, forms.Form]]:
    """Return and extension requests waiting for the staff's decision."""
    return [
        (a, name, _assignment_form(viewer, a, name, bound))
        for a in viewer.assignments
        for name in assignment_actions(viewer, a)
        if ASSIGNMENT_ACTIONS[name].by == "staff"
    ]


@login_required
@require_POST
def suggestion_act(request: HttpRequest, pk: int, action: str) -> HttpResponse:
    suggestion = get_visible_or_404(visible_suggestions(request.user), pk=pk)
    step = SUGGESTION_ACTIONS.get(action)
    if step is None:
        raise Http404
    viewer = viewer_of(acting_user(request), suggestion)
    form = step.form(request.POST, request.FILES, viewer=viewer, auto_id=_auto_id(action))
    return _perform(request, viewer, action, form, lambda: step.run(viewer, form.cleaned_data))


@login_required
@require_POST
def assignment_act(request: HttpRequest, pk: int, action: str) -> HttpResponse:
    assignment = get_visible_or_404(visible_suggestion_assignments(request.user), pk=pk)
    suggestion = get_visible_or_404(visible_suggestions(request.user), pk=assignment.case_id)
    step = ASSIGNMENT_ACTIONS.get(action)
    if step is None:
        raise Http404
    viewer = viewer_of(acting_user(request), suggestion)
    key = f"{action}-{assignment.pk}"
    form = step.form(
        request.POST, request.FILES, viewer=viewer, assignment=assignment, auto_id=_auto_id(key)
    )
    return _perform(
        request, viewer, key, form, lambda: step.run(viewer, assignment, form.cleaned_data)
    )


def _perform(
    request: HttpRequest,
    viewer: Viewer,
    name: str,
    form: forms.Form,
    run: Callable[[], str],
) -> HttpResponse:
    """Validate, call the service, respond: on a refusal the page comes back with the
    form as it was typed and the reason, and nothing was changed."""
    if not form.is_valid():
        messages.error(request, f.first_error(form))
        return _render_detail(request, viewer, {name: form}, status=400)
    try:
        message = run()
    except DomainError as error:
        messages.error(request, str(error.message))
        viewer.suggestion.refresh_from_db()
        fresh = viewer_of(acting_user(request), viewer.suggestion)
        return _render_detail(request, fresh, {name: form}, status=error.status)
    messages.success(request, message)
    return redirect(viewer.suggestion)


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
