"""Operator pages of the closed loop: overdue and due-soon lists, an assignment's
page with its timeline, reminder log and the actions its viewer may take."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from django import forms
from django.contrib.auth.decorators import login_required
from django.db.models import Count, Q, QuerySet
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from congress import loop
from congress.errors import InvalidTransition
from congress.form_steps import post_step
from congress.keyset import keyset_page
from congress.models import OPEN_STATUSES, Assignment, User
from congress.scoping import acting_user, get_visible_or_404
from congress.workdays import add_workdays
from congress.workflow import timeline

SOON_WORKDAYS = 3


class AssignmentFilter(forms.Form):
    state = forms.ChoiceField(
        label=gettext_lazy("范围"),
        required=False,
        choices=[
            ("overdue", gettext_lazy("已超期")),
            ("soon", gettext_lazy("3个工作日内到期")),
            ("open", gettext_lazy("全部在办")),
            ("all", gettext_lazy("全部")),
        ],
    )
    q = forms.CharField(label=gettext_lazy("事项或承办单位"), required=False, max_length=50)


def filtered_assignments(user: User, data: dict[str, Any]) -> QuerySet[Assignment]:
    """The one query behind the list page (and its summary)."""
    form = AssignmentFilter(data)
    form.is_valid()
    state = form.cleaned_data.get("state") or "overdue"
    rows = loop.visible_assignments(user)
    today = timezone.localdate()
    if state in ("overdue", "soon", "open"):
        rows = rows.filter(status__in=OPEN_STATUSES)
    if state == "overdue":
        rows = rows.filter(due_on__lt=today)
    elif state == "soon":
        rows = rows.filter(due_on__gte=today, due_on__lte=add_workdays(today, SOON_WORKDAYS))
    query = form.cleaned_data.get("q")
    if query:
        rows = rows.filter(Q(title__icontains=query) | Q(department__name__icontains=query))
    return rows.order_by(*LIST_ORDER)


# Most overdue first, in the (area_N, due_on, id) index of open assignments.
LIST_ORDER = ("due_on", "pk")
# The 按承办方 summary reads the list's first rows, the longest overdue: who is
# furthest behind shows there, and its cost does not follow the size of the backlog.
SUMMARY_ROWS = 1000


def assignee_summary(rows: QuerySet[Assignment]) -> list[dict[str, Any]]:
    """The assignees with the most of the first ``SUMMARY_ROWS`` rows (one query)."""
    first = Assignment.objects.filter(pk__in=rows.values("pk")[:SUMMARY_ROWS])
    return list(
        first.values("department__name", "user__display_name", "staff_region__name")
        .annotate(total=Count("pk"), escalated=Count("pk", filter=Q(escalation_level__gt=0)))
        .order_by("-total")[:15]
    )


@login_required
def assignment_list(request: HttpRequest) -> HttpResponse:
    rows = filtered_assignments(request.user, request.GET.dict())  # type: ignore[arg-type]
    summary = assignee_summary(rows)
    page = keyset_page(rows, request.GET, ordering=LIST_ORDER)
    today = timezone.localdate()
    return render(
        request,
        "congress/loop/list.html",
        {
            "page": page,
            "summary": summary,
            "filter": AssignmentFilter(request.GET or None),
            "today": today,
            "state": request.GET.get("state") or "overdue",
        },
    )


class ActionForm(forms.Form):
    version = forms.IntegerField(widget=forms.HiddenInput)
    action = forms.CharField(widget=forms.HiddenInput)
    note = forms.CharField(
        label=gettext_lazy("说明"),
        required=False,
        max_length=4000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    until = forms.DateField(
        label=gettext_lazy("延期至"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )


@login_required
def assignment_detail(request: HttpRequest, pk: int) -> HttpResponse:
    assignment = get_visible_or_404(loop.visible_assignments(request.user), pk=pk)
    kind = loop.case_types.get(assignment.case_type)
    actions = loop.actions_for(request.user, assignment)  # type: ignore[arg-type]
    return render(
        request,
        "congress/loop/detail.html",
        {
            "assignment": assignment,
            "kind": kind,
            "case_url": kind.url(assignment.case_id) if kind else "",
            "events": timeline(assignment.case_type, assignment.case_id),
            "reminders": assignment.reminders.all(),
            "actions": [(action, loop.ACTION_LABELS[action]) for action in actions],
            "form": ActionForm(initial={"version": assignment.version}),
            "overdue_days": _overdue_days(assignment),
        },
    )


def _overdue_days(assignment: Assignment) -> int:
    from congress.workdays import workdays_between

    if not assignment.is_open:
        return 0
    return max(0, workdays_between(assignment.due_on, timezone.localdate()))


@login_required
@require_POST
def assignment_act(request: HttpRequest, pk: int) -> HttpResponse:
    assignment = get_visible_or_404(loop.visible_assignments(request.user), pk=pk)
    user = acting_user(request)
    post_step(
        request,
        ActionForm(request.POST),
        lambda data: _perform(assignment, user, data),
        _("已保存。"),
    )
    return redirect("assignment_detail", pk=assignment.pk)


def _perform(assignment: Assignment, user: User, data: Mapping[str, Any]) -> None:
    """The page's step: only one the viewer may take now (the service runs any step of
    the table, its callers check who may)."""
    if data["action"] not in loop.actions_for(user, assignment):
        raise InvalidTransition  # its own message: 当前状态下不能进行该操作。
    loop.assignment_perform(
        assignment=assignment,
        action=data["action"],
        by=user,
        note=data["note"],
        until=data["until"],
        version=data["version"],
    )
