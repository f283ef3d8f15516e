"""Pages of the year's projects (docs/livelihood-projects.md).

Staff: a cycle's projects with progress bars and late flags (and 开始实施), the list of
the projects they see, a project's page (plan, milestones, monthly reports, inspections,
inquiries, comments to moderate) and its steps. A department's clerk: the project page
and the monthly report form (phone first). A representative of the 1+1+N group: their
projects and the inspection form.

Each view loads through a scoped selector (404 outside the scope), validates, calls one
service (through the action table for a project's steps) and responds; a refusal is
shown beside the form, with what was typed kept.
"""

from __future__ import annotations

import datetime
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import FileResponse, Http404, HttpRequest, HttpResponse, HttpResponseBadRequest
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from congress.errors import DomainError
from congress.files import stream_file
from congress.form_steps import submit
from congress.keyset import keyset_page
from congress.scoping import (
    acting_user,
    get_visible_or_404,
    in_jurisdiction,
    is_staff_or_admin,
    region_scope_q,
)
from congress.workflow import timeline
from livelihood_votes import selectors as vote_selectors
from livelihood_votes.models import Cycle, VoteStatus
from livelihood_votes.models.projects import Project, ProjectPhoto
from livelihood_votes.projects import actions, selectors, services
from livelihood_votes.projects.workflow import PROJECT_CASE


def _cycle(request: HttpRequest, pk: int) -> Cycle:
    """A cycle its staff manage (404 for anyone else)."""
    query = region_scope_q(request.user, "region__path")
    rows = Cycle.objects.select_related("region", "congress", "vote")
    cycle = get_visible_or_404(rows if query is None else rows.filter(query), pk=pk)
    if not in_jurisdiction(request.user, cycle.region):
        raise Http404
    return cycle


@login_required
def project_list(request: HttpRequest) -> HttpResponse:
    """The projects the user sees, newest first (keyset pages)."""
    rows = selectors.visible_projects(request.user)
    page = keyset_page(rows, request.GET, ordering=("-created_at", "-pk"))
    cycles: list[Cycle] = []
    if is_staff_or_admin(request.user):
        # The latest cycles of their region and below, for 开始实施 and the cycle's list.
        query = region_scope_q(request.user, "region__path")
        found = Cycle.objects.select_related("region").order_by("-year", "region__path")
        cycles = list((found if query is None else found.filter(query))[:12])
    context = {"page": page, "cycles": cycles}
    return render(request, "livelihood_votes/projects/project_list.html", context)


@login_required
def cycle_projects(request: HttpRequest, pk: int) -> HttpResponse:
    """A cycle's projects for its staff: progress, money, late flags, and 开始实施 while
    elected candidates have no project yet. A fixed number of queries."""
    cycle = _cycle(request, pk)
    projects = selectors.cycle_projects(Project.objects.filter(cycle=cycle))
    vote = cycle.vote
    can_start = vote is not None and vote.status == VoteStatus.CLOSED
    if can_start and projects:
        can_start = len(projects) < len(selectors.elected_candidates(vote))  # type: ignore[arg-type]
    context = {
        "cycle": cycle,
        "projects": projects,
        "can_start": can_start,
        "behind": sum(1 for p in projects if p.behind_schedule),
    }
    return render(request, "livelihood_votes/projects/cycle_projects.html", context)


@login_required
@require_POST
def cycle_projects_start(request: HttpRequest, pk: int) -> HttpResponse:
    cycle = _cycle(request, pk)
    try:
        created = services.implementation_start(cycle=cycle, by=acting_user(request))
    except DomainError as error:
        messages.error(request, str(error.message))
    else:
        messages.success(request, _("已列入实施项目%(count)s个。") % {"count": len(created)})
    return redirect("livelihood_cycle_projects", pk=cycle.pk)


@login_required
@require_POST
def vote_start_implementation(request: HttpRequest, pk: int) -> HttpResponse:
    """开始实施 from a closed vote (old data without a cycle: the cycle is made)."""
    vote = get_visible_or_404(vote_selectors.visible_votes(request.user), pk=pk)
    if not vote_selectors.manages(request.user, vote):
        raise Http404
    try:
        created = services.implementation_start_from_vote(vote=vote, by=acting_user(request))
    except DomainError as error:
        messages.error(request, str(error.message))
        return redirect(vote)
    cycle = Cycle.objects.get(vote=vote)
    messages.success(request, _("已列入实施项目%(count)s个。") % {"count": len(created)})
    return redirect("livelihood_cycle_projects", pk=cycle.pk)


def _project(request: HttpRequest, pk: int) -> Project:
    return get_visible_or_404(selectors.visible_projects(request.user), pk=pk)


@login_required
def project_detail(request: HttpRequest, pk: int) -> HttpResponse:
    project = _project(request, pk)
    parties = selectors.project_parties(request.user, project)
    allowed = actions.allowed(request.user, project)
    context: dict[str, Any] = {
        "project": project,
        "parties": parties,
        "steps": [(name, actions.ACTIONS[name]) for name in allowed],
        "planned": services.planned_percent(project, _today()),
        "timeline": timeline(PROJECT_CASE, project.pk) if parties.staff else [],
        "pending": selectors.pending_comments(project) if parties.staff else [],
        **selectors.project_page(project),
    }
    return render(request, "livelihood_votes/projects/project_detail.html", context)


def _today() -> datetime.date:
    return timezone.localdate()


@login_required
def project_act(request: HttpRequest, pk: int, action: str) -> HttpResponse:
    """A step's own page (the form, phone first) and its POST."""
    project = _project(request, pk)
    try:
        declared = actions.action(action)
    except DomainError as error:
        return HttpResponseBadRequest(str(error.message))
    if action not in actions.allowed(request.user, project):
        # Seen but not theirs to take now (someone else's step, or not in this state).
        raise PermissionDenied(_("当前状态下不能进行该操作。"))
    if request.method == "POST":
        files = request.FILES if declared.files else None
        form = declared.form(request.POST, files, project=project)
    else:
        form = declared.form(project=project)
    sent = submit(
        request,
        form,
        lambda data: actions.take(action, project, dict(data), acting_user(request)),
    )
    if sent.done:
        messages.success(request, _("%(step)s：已完成。") % {"step": declared.label})
        return redirect(project)
    context = {"project": project, "form": form, "name": action, "step": declared}
    return render(request, "livelihood_votes/projects/step.html", context, status=sent.status)


@login_required
def project_photo(request: HttpRequest, token: str) -> FileResponse:
    """A report's or an inspection's photo, for whoever sees the project."""
    visible = selectors.visible_projects(request.user).values("pk")
    photo = get_visible_or_404(
        ProjectPhoto.objects.filter(report__project__in=visible)
        | ProjectPhoto.objects.filter(inspection__project__in=visible),
        token=token,
    )
    return stream_file(
        photo.file, content_type=photo.content_type, filename=photo.original_name, inline=True
    )
