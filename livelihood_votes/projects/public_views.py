"""Public pages of the year's projects (no login, phone first; docs/livelihood-projects.md,
"Public pages"): a cycle's projects with their progress, a project's page (progress,
milestones, the latest report's text and photos, published comments) where residents
may leave a comment, the QR code of a project's site, and the photos of filed reports.

Nothing personal is shown: no clerk, no group member, no commenter's phone; comments are
shown only after staff publish them, as text and date.
"""

from __future__ import annotations

import io

import segno
from django.conf import settings
from django.contrib import messages
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _

from congress.files import stream_file
from congress.form_steps import submit
from congress.ratelimit import ratelimit
from livelihood_votes.models import Cycle
from livelihood_votes.projects import conf, selectors, services
from livelihood_votes.projects.forms import CommentForm


def public_cycle(request: HttpRequest, pk: int) -> HttpResponse:
    cycle = Cycle.objects.select_related("region").filter(pk=pk).first()
    if cycle is None:
        raise Http404
    projects = list(selectors.public_projects(cycle.pk))
    if not projects:
        raise Http404
    return render(
        request,
        "livelihood_votes/projects/public_cycle.html",
        {"cycle": cycle, "projects": projects, "public_region": cycle.region},
    )


@ratelimit(group="livelihood-project-comment", rate=conf.comment_rate)
def public_project(request: HttpRequest, pk: int) -> HttpResponse:
    project = selectors.public_project(pk)
    if project is None:
        raise Http404
    form = CommentForm(request.POST or None)
    sent = submit(request, form, lambda data: services.comment_submit(project=project, **data))
    if sent.done:
        messages.success(request, _("留言已收到，审核后公开。"))
        return redirect("livelihood_public_project", pk=project.pk)
    context = {
        "project": project,
        "form": form,
        "public_region": project.cycle.region,
        **selectors.public_page(project),
    }
    return render(
        request, "livelihood_votes/projects/public_project.html", context, status=sent.status
    )


def public_project_qr(request: HttpRequest, pk: int, fmt: str) -> HttpResponse:
    """The QR code for a project's site board: the public page's absolute link (the
    public SITE_URL, never the request's host), as SVG or PNG."""
    if selectors.public_project(pk) is None:
        raise Http404
    url = f"{settings.SITE_URL}{reverse('livelihood_public_project', args=[pk])}"
    buffer = io.BytesIO()
    code = segno.make(url, error="m", micro=False)
    if fmt == "svg":
        code.save(buffer, kind="svg", scale=4, border=2, xmldecl=False)
        return HttpResponse(buffer.getvalue(), content_type="image/svg+xml")
    if fmt != "png":
        raise Http404
    code.save(buffer, kind="png", scale=8, border=2)
    response = HttpResponse(buffer.getvalue(), content_type="image/png")
    response["Content-Disposition"] = f'attachment; filename="qr-project-{pk}.png"'
    return response


def public_photo(request: HttpRequest, token: str) -> FileResponse:
    photo = selectors.public_photo(token)
    if photo is None:
        raise Http404
    return stream_file(
        photo.file, content_type=photo.content_type, filename=photo.original_name, inline=True
    )
