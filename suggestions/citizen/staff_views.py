"""Pages for the people who work on problems: congress staff, representatives and
department clerks, each seeing only their scope (``selectors.visible_issues``).

List with filters, saved filters, bulk assignment, Excel export, the case page
with its timeline and actions, a printable case sheet, and the audited reveal
of the citizen's name and number.
"""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseBase
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from congress.errors import DomainError
from congress.files import stream_file
from congress.keyset import AFTER, BEFORE, keyset_page
from congress.scoping import acting_user, get_visible_or_404, is_staff_or_admin
from suggestions.citizen import selectors, services
from suggestions.citizen.actions import ISSUE_ACTIONS, allowed
from suggestions.citizen.filters import CitizenIssueFilter, list_ordering
from suggestions.citizen.privacy import mask_mobile, mask_name
from suggestions.models.citizen import CitizenIssue, IssuePhoto, SavedIssueFilter

PAGE_SIZE = 50
BULK_LIMIT = 200


def _filtered(request: HttpRequest) -> CitizenIssueFilter:
    return CitizenIssueFilter(
        request.GET or None, queryset=selectors.visible_issues(request.user), user=request.user
    )


def _query_without_page(request: HttpRequest) -> str:
    params = request.GET.copy()
    for key in ("page", AFTER, BEFORE):
        params.pop(key, None)
    return params.urlencode()


@login_required
def citizen_issue_list(request: HttpRequest) -> HttpResponse:
    filterset = _filtered(request)
    rows = selectors.with_list_columns(filterset.qs)
    filters = filterset.form.cleaned_data if filterset.is_bound and filterset.is_valid() else {}
    ordering = list_ordering(filters.get("overdue"))
    page = keyset_page(rows, request.GET, ordering=ordering, size=PAGE_SIZE)
    user = acting_user(request)
    return render(
        request,
        "suggestions/citizen/list.html",
        {
            "filter": filterset,
            "page": page,
            "total": selectors.list_total(user, filters, filterset.qs),
            "query": _query_without_page(request),
            "saved": SavedIssueFilter.objects.filter(owner=user),
            "can_bulk": is_staff_or_admin(user),
            "can_export_personal": user.has_perm("suggestions.export_personal_data"),
        },
    )


def _detail_context(request: HttpRequest, issue: CitizenIssue, **extra: Any) -> dict[str, Any]:
    user = acting_user(request)
    roles = selectors.issue_roles(user, issue)
    actions = [
        (name, ISSUE_ACTIONS[name], ISSUE_ACTIONS[name].form(issue=issue, user=user))
        for name in allowed(user, issue, roles)
    ]
    assignments = list(selectors.issue_assignments(issue))
    return {
        "issue": issue,
        "roles": roles,
        "actions": actions,
        "events": selectors.issue_timeline(issue),
        "assignments": assignments,
        "photos": list(issue.photos.all()),
        "merged": list(issue.merged_issues.only("pk", "tracking_code", "title", "status")),
        "masked_name": mask_name(issue.citizen_name),
        "masked_mobile": mask_mobile(issue.mobile) if issue.mobile else "",
        "today": timezone.localdate(),
        **extra,
    }


@login_required
def citizen_issue_detail(request: HttpRequest, pk: int) -> HttpResponse:
    issue = get_visible_or_404(selectors.visible_issues(request.user), pk=pk)
    return render(request, "suggestions/citizen/detail.html", _detail_context(request, issue))


@login_required
@require_POST
def citizen_issue_act(request: HttpRequest, pk: int, action: str) -> HttpResponse:
    issue = get_visible_or_404(selectors.visible_issues(request.user), pk=pk)
    user = acting_user(request)
    spec = ISSUE_ACTIONS.get(action)
    roles = selectors.issue_roles(user, issue)
    if spec is None or action not in allowed(user, issue, roles):
        messages.error(request, _("当前状态下不能进行该操作，页面已刷新。"))
        return redirect(issue.get_absolute_url())
    form = spec.form(request.POST, request.FILES, issue=issue, user=user)
    if form.is_valid():
        try:
            spec.run(issue, form.cleaned_data, user, roles)
        except DomainError as error:
            form.add_error(None, str(error.message))
        else:
            messages.success(request, _("已办理：%(action)s") % {"action": spec.label})
            return redirect(issue.get_absolute_url())
    context = _detail_context(request, issue, failed_action=action, failed_form=form)
    return render(request, "suggestions/citizen/detail.html", context, status=400)


@login_required
@require_POST
def citizen_issue_reveal(request: HttpRequest, pk: int) -> HttpResponse:
    """Show the full name and number once, to whoever needs them, and audit it.

    Rendered in the answer to this POST (never stored in a URL or a redirect)."""
    issue = get_visible_or_404(selectors.visible_issues(request.user), pk=pk)
    user = acting_user(request)
    if not selectors.issue_roles(user, issue).may_see_contact:
        raise Http404
    revealed = services.citizen_issue_reveal_contact(issue=issue, by=user, request=request)
    response = render(
        request,
        "suggestions/citizen/detail.html",
        _detail_context(request, issue, revealed=revealed),
    )
    response["Cache-Control"] = "no-store"
    return response


@login_required
def citizen_issue_print(request: HttpRequest, pk: int) -> HttpResponse:
    issue = get_visible_or_404(selectors.visible_issues(request.user), pk=pk)
    return render(
        request,
        "suggestions/citizen/print.html",
        {
            "issue": issue,
            "events": selectors.issue_timeline(issue),
            "assignments": list(selectors.issue_assignments(issue)),
            "masked_name": mask_name(issue.citizen_name),
            "masked_mobile": mask_mobile(issue.mobile) if issue.mobile else "",
            "printed_at": timezone.now(),
        },
    )


@login_required
def citizen_issue_photo(request: HttpRequest, pk: int, photo: str) -> HttpResponseBase:
    issue = get_visible_or_404(selectors.visible_issues(request.user), pk=pk)
    item = get_object_or_404(IssuePhoto, issue=issue, token=photo)
    return stream_file(
        item.file, content_type=item.content_type, filename=f"{photo}{item.extension}", inline=True
    )


@login_required
def citizen_issue_export(request: HttpRequest) -> HttpResponse:
    filterset = _filtered(request)
    personal = request.GET.get("personal") == "1"
    try:
        content = services.citizen_issues_export(
            issues=filterset.qs,
            by=acting_user(request),
            include_personal=personal,
            request=request,
            filters=_query_without_page(request),
        )
    except DomainError as error:
        messages.error(request, str(error.message))
        return redirect(f"{_list_url()}?{_query_without_page(request)}")
    name = f"citizen-issues-{timezone.localdate():%Y%m%d}.xlsx"
    response = HttpResponse(
        content,
        content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    )
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    response["Cache-Control"] = "no-store"
    return response


def _list_url() -> str:
    from django.urls import reverse

    return reverse("citizen_issue_list")


@login_required
@require_POST
def citizen_issue_bulk_assign(request: HttpRequest) -> HttpResponse:
    user = acting_user(request)
    if not is_staff_or_admin(user):
        raise Http404
    ids = [value for value in request.POST.getlist("issues") if value.isdigit()][:BULK_LIMIT]
    representative = (
        selectors.representative_choices(user)
        .filter(pk=request.POST.get("representative") or 0)
        .first()
    )
    back = f"{_list_url()}?{request.POST.get('query', '')}"
    if representative is None or not ids:
        messages.error(request, _("请选择问题和办理代表。"))
        return redirect(back)
    issues = selectors.visible_issues(user).filter(pk__in=ids)
    result = services.citizen_issues_bulk_assign(
        issues=issues, representative=representative, by=user
    )
    messages.success(
        request,
        _("已分派 %(done)s 件给%(name)s代表。")
        % {"done": len(result.done), "name": representative.name},
    )
    if result.skipped:
        messages.warning(
            request,
            _("以下问题状态已变化，未分派：%(codes)s") % {"codes": "、".join(result.skipped)},
        )
    return redirect(back)


@login_required
@require_POST
def saved_filter_save(request: HttpRequest) -> HttpResponse:
    name = request.POST.get("name", "").strip()[:40]
    query = request.POST.get("query", "")[:1000]
    if not name:
        messages.error(request, _("请为筛选条件命名。"))
    else:
        SavedIssueFilter.objects.update_or_create(
            owner=acting_user(request), name=name, defaults={"query": query}
        )
        messages.success(request, _("已保存常用筛选“%(name)s”。") % {"name": name})
    return redirect(f"{_list_url()}?{query}")


@login_required
@require_POST
def saved_filter_delete(request: HttpRequest, pk: int) -> HttpResponse:
    saved = get_object_or_404(SavedIssueFilter, pk=pk, owner=acting_user(request))
    saved.delete()
    return redirect(_list_url())
