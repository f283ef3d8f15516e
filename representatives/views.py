"""Pages for staff and representatives. Each view: load through a scoped selector (404
outside scope), validate, call one service, respond."""

from __future__ import annotations

import datetime
from collections import defaultdict
from collections.abc import Callable
from functools import wraps
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.files.storage import default_storage
from django.core.paginator import Paginator
from django.db.models import Count, Q
from django.http import (
    FileResponse,
    Http404,
    HttpRequest,
    HttpResponse,
    HttpResponseBase,
    QueryDict,
)
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from congress.audit import audit_record
from congress.errors import DomainError
from congress.form_steps import post_step, submit
from congress.keyset import keyset_page
from congress.models import AuditAction, Region
from congress.scoping import (
    acting_user,
    get_visible_or_404,
    is_staff_or_admin,
    only_staff_region,
    visible_regions,
)
from representatives import card_jobs, forms, offline, points, selectors, services
from representatives.filters import (
    ContactLogFilter,
    DutyShiftFilter,
    RepresentativeFilter,
    VoterDelegateFilter,
)
from representatives.models import (
    ActivityStatus,
    CongressLevel,
    GridAssignment,
    MandateStatus,
    Representative,
    ShiftStatus,
)
from representatives.reports import annual_report
from representatives.seat_counts import serving_in_scope
from representatives.shift_actions import SHIFT_ACTIONS, may_take
from representatives.spreadsheet import COLUMNS, representatives_export
from representatives.workflow import ACTIVITY_TRANSITIONS

View = Callable[..., HttpResponseBase]


def manager_required(view: View) -> View:
    """Congress staff only; anyone else gets the same 404 as for an unknown page."""

    @wraps(view)
    @login_required
    def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:
        if not is_staff_or_admin(request.user):
            raise Http404
        return view(request, *args, **kwargs)

    return wrapper


def _back(request: HttpRequest, default: str) -> HttpResponse:
    target = request.POST.get("next") or default
    return redirect(target if target.startswith("/") and not target.startswith("//") else default)


def _fail(request: HttpRequest, exc: DomainError) -> None:
    messages.error(request, str(exc.message))


def _page(request: HttpRequest, queryset: Any, per_page: int = 50) -> Any:
    return Paginator(queryset, per_page).get_page(request.GET.get("page"))


def _querystring(request: HttpRequest) -> str:
    params = request.GET.copy()
    params.pop("page", None)
    return params.urlencode()


# --- representatives ----------------------------------------------------------------------


@login_required
def representative_list(request: HttpRequest) -> HttpResponse:
    if not is_staff_or_admin(request.user):
        own = selectors.representative_of(request.user)
        if own is None:
            raise Http404
        return redirect(own.get_absolute_url())
    base = selectors.with_active_mandates(selectors.visible_representatives(request.user))
    filterset = RepresentativeFilter(request.GET, queryset=base)
    representatives = filterset.qs.order_by("name", "pk")
    return render(
        request,
        "representatives/representative_list.html",
        {
            "page": _page(request, representatives),
            "filter": filterset,
            "levels": CongressLevel.choices,
            "regions": forms.region_choices(request.user),
            "querystring": _querystring(request),
            "export_form": forms.ExportForm(),
        },
    )


@manager_required
def representative_create(request: HttpRequest) -> HttpResponse:
    form = forms.RepresentativeForm(request.POST or None, request.FILES or None, user=request.user)
    sent = submit(
        request,
        form,
        lambda _data: services.representative_create(
            by=acting_user(request), **form.service_fields()
        ),
    )
    if sent.done:
        rep = sent.result
        messages.success(request, _("已登记代表 %(name)s，请添加其代表职务。") % {"name": rep})
        return redirect("mandate_create", pk=rep.pk)
    return render(
        request,
        "representatives/form.html",
        {"form": form, "title": _("登记代表"), "multipart": True},
        status=sent.status,
    )


@login_required
def representative_detail(request: HttpRequest, pk: int) -> HttpResponse:
    rep = get_visible_or_404(selectors.visible_representatives(request.user), pk=pk)
    today = timezone.localdate()
    year_start = datetime.date(today.year, 1, 1)
    return render(
        request,
        "representatives/representative_detail.html",
        {
            "rep": rep,
            "can_manage": is_staff_or_admin(request.user),
            "mandates": rep.mandates.select_related(
                "term__congress", "constituency", "delegation", "group", "electoral_unit"
            ).order_by("status", "level"),
            "memberships": rep.station_memberships.filter(is_active=True).select_related("station"),
            "grids": rep.grid_assignments.filter(is_active=True).select_related("grid__parent"),
            "shifts": selectors.upcoming_shifts(rep)[:10],
            "logs": rep.contact_logs.select_related("station")[:10],
            "points": points.points_for(rep, year_start, today),
            "year": today.year,
            "grid_form": forms.GridAssignForm(user=request.user, representative=rep),
            "login_form": forms.LoginCreateForm(),
        },
    )


@manager_required
def representative_edit(request: HttpRequest, pk: int) -> HttpResponse:
    rep = get_visible_or_404(selectors.visible_representatives(request.user), pk=pk)
    form = forms.RepresentativeForm(
        request.POST or None, request.FILES or None, instance=rep, user=request.user
    )
    sent = submit(
        request,
        form,
        lambda _data: services.representative_update(
            representative=rep, by=acting_user(request), **form.service_fields()
        ),
    )
    if sent.done:
        messages.success(request, _("已保存。"))
        return redirect(rep.get_absolute_url())
    return render(
        request,
        "representatives/form.html",
        {
            "form": form,
            "title": _("编辑代表信息"),
            "multipart": True,
            "cancel": rep.get_absolute_url(),
        },
        status=sent.status,
    )


@manager_required
def representative_photo(request: HttpRequest, pk: int) -> HttpResponseBase:
    rep = get_visible_or_404(selectors.visible_representatives(request.user), pk=pk)
    if not rep.photo:
        raise Http404
    return FileResponse(rep.photo.open("rb"))


@manager_required
def mandate_create(request: HttpRequest, pk: int) -> HttpResponse:
    rep = get_visible_or_404(selectors.visible_representatives(request.user), pk=pk)
    form = forms.MandateForm(request.POST or None, user=request.user, representative=rep)
    sent = submit(
        request,
        form,
        lambda data: services.mandate_add(representative=rep, by=acting_user(request), **data),
    )
    if sent.done:
        messages.success(request, _("已添加代表职务。"))
        return redirect(rep.get_absolute_url())
    return render(
        request,
        "representatives/form.html",
        {
            "form": form,
            "title": _("添加代表职务：%(name)s") % {"name": rep.name},
            "cancel": rep.get_absolute_url(),
        },
        status=sent.status,
    )


@manager_required
def mandate_end(request: HttpRequest, pk: int) -> HttpResponse:
    mandate = get_visible_or_404(selectors.visible_mandates(request.user), pk=pk)
    form = forms.MandateEndForm(request.POST or None)
    sent = submit(
        request,
        form,
        lambda data: services.mandate_end(mandate=mandate, by=acting_user(request), **data),
    )
    if sent.done:
        messages.success(request, _("代表职务已结束。"))
        return redirect(mandate.representative.get_absolute_url())
    return render(
        request,
        "representatives/form.html",
        {
            "form": form,
            "title": _("结束代表职务：%(mandate)s") % {"mandate": mandate},
            "cancel": mandate.representative.get_absolute_url(),
        },
        status=sent.status,
    )


@manager_required
@require_POST
def representative_login_create(request: HttpRequest, pk: int) -> HttpResponse:
    rep = get_visible_or_404(selectors.visible_representatives(request.user), pk=pk)
    post_step(
        request,
        forms.LoginCreateForm(request.POST),
        lambda data: services.representative_create_login(
            representative=rep, username=data["username"], by=acting_user(request)
        ),
        lambda made: (
            _(
                "已创建登录账号 %(username)s，初始密码：%(password)s"
                "（仅显示一次，请当面告知代表并提醒其修改）"
            )
            % {"username": made[0].username, "password": made[1]}
        ),
    )
    return redirect(rep.get_absolute_url())


@manager_required
@require_POST
def representative_rotate_token(request: HttpRequest, pk: int) -> HttpResponse:
    rep = get_visible_or_404(selectors.visible_representatives(request.user), pk=pk)
    services.representative_rotate_token(representative=rep, by=acting_user(request))
    messages.success(request, _("已更换二维码，旧的连心卡将显示“已停用”。请重新打印。"))
    return redirect(rep.get_absolute_url())


@manager_required
def representative_import(request: HttpRequest) -> HttpResponse:
    form = forms.ImportForm(request.POST or None, request.FILES or None)
    result = None
    if request.method == "POST" and form.is_valid():
        result = services.representatives_import(
            file=request.FILES["file"], by=acting_user(request)
        )
        if result.ok:
            messages.success(
                request,
                _(
                    "导入成功：%(rows)s行，新增代表%(created)s人，更新%(updated)s人，"
                    "新增职务%(mandates)s个。"
                )
                % {
                    "rows": result.rows,
                    "created": result.created,
                    "updated": result.updated,
                    "mandates": result.mandates_created,
                },
            )
            return redirect("representative_list")
    return render(
        request,
        "representatives/import.html",
        {"form": form, "result": result, "columns": [_(header) for _f, header in COLUMNS]},
    )


@manager_required
def representative_export(request: HttpRequest) -> HttpResponse:
    filterset = RepresentativeFilter(
        request.GET, queryset=selectors.visible_representatives(request.user)
    )
    full = forms.ExportForm(request.GET).is_valid() and request.GET.get("full_id_numbers") == "on"
    content = representatives_export(filterset.qs, full_id_numbers=full)
    audit_record(
        action=AuditAction.EXPORT,
        request=request,
        detail={"what": "representatives", "full_id_numbers": full, "filters": request.GET.dict()},
    )
    response = HttpResponse(
        content, content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    )
    response["Content-Disposition"] = 'attachment; filename="representatives.xlsx"'
    return response


@login_required
def representative_points(request: HttpRequest, pk: int) -> HttpResponse:
    rep = get_visible_or_404(selectors.visible_representatives(request.user), pk=pk)
    form = forms.RankingForm(request.GET or None, user=request.user)
    start, end = form.period()
    total = points.points_for(rep, start, end)
    rules = {line.rule.code: line.rule for line in total.lines}
    records = [
        (rules.get(record.rule_code), record)
        for record in points.records_for(rep, start, end, request.user)
    ]
    return render(
        request,
        "representatives/points_detail.html",
        {"rep": rep, "total": total, "records": records, "start": start, "end": end},
    )


@login_required
def representative_report(request: HttpRequest, pk: int, year: int) -> HttpResponse:
    rep = get_visible_or_404(selectors.visible_representatives(request.user), pk=pk)
    return render(request, "representatives/report.html", annual_report(rep, year))


def cards_selection(user: Any, query: QueryDict) -> list[Representative]:
    """The representatives whose 连心卡 the list's filters select, within ``user``'s scope."""
    base = selectors.with_active_mandates(
        selectors.visible_representatives(user).filter(selectors.has_active_mandate())
    )
    filterset = RepresentativeFilter(query, queryset=base)
    return list(filterset.qs.order_by("name")[:400])


@manager_required
def contact_cards(request: HttpRequest) -> HttpResponse:
    """连心卡 sheet for the representatives in the list's filters (a station's own sheet
    is ``station_views.station_cards``). Its PDF is made in the background
    (``card_jobs``): a district's sheet takes WeasyPrint too long for a click."""
    from representatives.public_views import render_cards

    query = request.GET.copy()
    query.pop("format", None)
    return render_cards(
        request,
        cards_selection(request.user, query),
        as_pdf=False,
        pdf_job_url=reverse("representative_cards_pdf"),
    )


@manager_required
@require_POST
def contact_cards_pdf(request: HttpRequest) -> HttpResponse:
    """Ask for the sheet's PDF; the answer is the job's page (生成中, then the file)."""
    query = QueryDict(request.POST.get("query", ""), mutable=True)
    query.pop("format", None)
    job = card_jobs.card_pdf_request(
        by=acting_user(request), query=query.urlencode(), language=translation.get_language()
    )
    return redirect("representative_cards_pdf_job", token=job.token)


@manager_required
def contact_cards_pdf_job(request: HttpRequest, token: str) -> HttpResponse:
    job = card_jobs.card_job(token, request.user)
    if job is None:
        raise Http404
    response = render(
        request,
        "representatives/cards_pdf_job.html",
        {"job": job, "state": job.state},
    )
    response.headers["Cache-Control"] = "private, no-store"
    return response


@manager_required
def contact_cards_pdf_download(request: HttpRequest, token: str) -> HttpResponseBase:
    job = card_jobs.card_job(token, request.user)
    if job is None or job.state != card_jobs.READY:
        raise Http404
    response = FileResponse(
        default_storage.open(job.pdf_name, "rb"),
        as_attachment=True,
        filename="lianxinka.pdf",
        content_type="application/pdf",
    )
    response.headers["Cache-Control"] = "private, no-store"
    response.headers["X-Content-Type-Options"] = "nosniff"
    return response


@manager_required
def voter_delegate_list(request: HttpRequest) -> HttpResponse:
    filterset = VoterDelegateFilter(
        request.GET, queryset=selectors.visible_voter_delegates(request.user)
    )
    return render(
        request,
        "representatives/voter_delegate_list.html",
        {
            "page": _page(request, filterset.qs.order_by("region__path", "name")),
            "regions": forms.region_choices(request.user),
            "querystring": _querystring(request),
        },
    )


@manager_required
def voter_delegate_edit(request: HttpRequest, pk: int | None = None) -> HttpResponse:
    delegate = (
        get_visible_or_404(selectors.visible_voter_delegates(request.user), pk=pk)
        if pk is not None
        else None
    )
    form = forms.VoterDelegateForm(request.POST or None, instance=delegate, user=request.user)
    sent = submit(
        request,
        form,
        lambda _data: services.voter_delegate_save(delegate=form.instance, by=acting_user(request)),
    )
    if sent.done:
        messages.success(request, _("已保存。"))
        return redirect("voter_delegate_list")
    return render(
        request,
        "representatives/form.html",
        {"form": form, "title": _("议政代表"), "cancel": reverse("voter_delegate_list")},
        status=sent.status,
    )


# --- grids ----------------------------------------------------------------------------


@manager_required
@require_POST
def grid_assign(request: HttpRequest, pk: int) -> HttpResponse:
    rep = get_visible_or_404(selectors.visible_representatives(request.user), pk=pk)
    post_step(
        request,
        forms.GridAssignForm(request.POST, user=request.user, representative=rep),
        lambda data: services.grid_assign(
            representative=rep, grid=data["grid"], by=acting_user(request)
        ),
        _("已分配责任田。"),
    )
    return _back(request, rep.get_absolute_url())


@manager_required
@require_POST
def grid_unassign(request: HttpRequest, pk: int) -> HttpResponse:
    assignment = get_visible_or_404(selectors.visible_grid_assignments(request.user), pk=pk)
    services.grid_unassign(assignment=assignment, by=acting_user(request))
    return _back(request, assignment.representative.get_absolute_url())


@manager_required
def grid_coverage(request: HttpRequest) -> HttpResponse:
    region_id = request.GET.get("region")
    within = None
    if region_id and region_id.isdigit():
        within = get_visible_or_404(visible_regions(request.user), pk=int(region_id))
    uncovered = selectors.grid_coverage(request.user, within)
    grids = selectors.visible_grids(request.user)
    if within is not None:
        grids = grids.filter(path__startswith=within.path)
    total = grids.count()
    missing = uncovered.count()
    return render(
        request,
        "representatives/grid_coverage.html",
        {
            "page": _page(request, uncovered.order_by("path"), 100),
            "total": total,
            "missing": missing,
            "covered": total - missing,
            "rate": round(100 * (total - missing) / total, 1) if total else 0,
            "within": within,
            "regions": forms.region_choices(request.user),
            "querystring": _querystring(request),
        },
    )


@login_required
def grid_detail(request: HttpRequest, pk: int) -> HttpResponse:
    # Staff see their region's grids; a representative also sees the grids they answer for.
    own = GridAssignment.objects.filter(representative__user=request.user.pk, is_active=True)
    grid = get_visible_or_404(
        Region.objects.filter(
            Q(pk__in=visible_regions(request.user).values("pk")) | Q(pk__in=own.values("grid_id"))
        ),
        pk=pk,
    )
    return render(
        request,
        "representatives/grid_detail.html",
        {
            "grid": grid,
            "assignments": selectors.grid_representatives(grid),
            "stations": grid.covering_stations.filter(is_active=True),
        },
    )


# --- contact logs ---------------------------------------------------------------------


@login_required
def contact_log_list(request: HttpRequest) -> HttpResponse:
    logs = selectors.visible_contact_logs(request.user)
    filterset = ContactLogFilter(request.GET, queryset=logs)
    return render(
        request,
        "representatives/contact_log_list.html",
        {
            # Keyset pages on the area index: no count of a city's contacts of two years.
            "page": keyset_page(filterset.qs, request.GET, ordering=("-contacted_on", "-pk")),
            "me": selectors.representative_of(request.user),
            "kinds": forms.ContactKind.choices,
            "querystring": _querystring(request),
        },
    )


@login_required
def contact_log_create(request: HttpRequest) -> HttpResponse:
    me = selectors.representative_of(request.user)
    if me is None:
        raise Http404
    form = forms.ContactLogCreateForm(
        request.POST or None, request.FILES or None, representative=me
    )
    sent = submit(
        request,
        form,
        lambda data: services.contact_log_record(
            representative=me,
            by=acting_user(request),
            idempotency_key=data["idempotency_key"],
            **form.log_fields(),
            photos=data["photos"],
        ),
    )
    if sent.done:
        log, created = sent.result
        messages.success(
            request, _("已记录。") if created else _("这条记录此前已保存，未重复记录。")
        )
        return redirect("contact_log_detail", pk=log.pk)
    return render(
        request,
        "representatives/contact_log_form.html",
        {"form": form, "title": _("记录联系选民"), "persist": "contact-log-new"},
        status=sent.status,
    )


@login_required
def contact_log_detail(request: HttpRequest, pk: int) -> HttpResponse:
    log = get_visible_or_404(selectors.visible_contact_logs(request.user), pk=pk)
    problems = list(log.problems.all())
    issue_url = _optional_url("citizen_issue_new")
    return render(
        request,
        "representatives/contact_log_detail.html",
        {
            "log": log,
            "problems": problems,
            "photos": offline.contact_log_photos(log),
            "issue_url": issue_url,
            "can_edit": log.representative.user_id == request.user.pk,
        },
    )


@login_required
def contact_log_edit(request: HttpRequest, pk: int) -> HttpResponse:
    log = get_visible_or_404(selectors.own_contact_logs(request.user), pk=pk)
    initial = {
        "idempotency_key": log.idempotency_key,
        "kind": log.kind,
        "contacted_on": log.contacted_on,
        "station": log.station,
        "place": log.place,
        "people_count": log.people_count,
        "summary": log.summary,
        "problems": "\n".join(p.text for p in log.problems.filter(case_id__isnull=True)),
    }
    form = forms.ContactLogForm(
        request.POST or None, initial=initial, representative=log.representative
    )
    sent = submit(
        request,
        form,
        lambda data: services.contact_log_update(
            log=log,
            by=acting_user(request),
            **form.log_fields(),
        ),
    )
    if sent.done:
        messages.success(request, _("已保存。"))
        return redirect("contact_log_detail", pk=log.pk)
    return render(
        request,
        "representatives/contact_log_form.html",
        {"form": form, "title": _("修改联系记录")},
        status=sent.status,
    )


def _optional_url(name: str) -> str:
    """A URL another app provides, or "" while it does not exist (the button is hidden)."""
    from django.urls import NoReverseMatch

    try:
        return reverse(name)
    except NoReverseMatch:
        return ""


# --- activities and points -------------------------------------------------------------


@login_required
def activity_list(request: HttpRequest) -> HttpResponse:
    activities = selectors.visible_activities(request.user).annotate(signed=Count("participations"))
    status = request.GET.get("status", "")
    if status:
        activities = activities.filter(status=status)
    return render(
        request,
        "representatives/activity_list.html",
        {
            "page": _page(request, activities.order_by("-starts_at")),
            "can_manage": is_staff_or_admin(request.user),
            "statuses": ActivityStatus.choices,
            "status": status,
            "querystring": _querystring(request),
        },
    )


@manager_required
def activity_create(request: HttpRequest) -> HttpResponse:
    form = forms.ActivityForm(request.POST or None, user=request.user)
    sent = submit(
        request, form, lambda data: services.activity_create(by=acting_user(request), **data)
    )
    if sent.done:
        return redirect(sent.result.get_absolute_url())
    return render(
        request,
        "representatives/form.html",
        {"form": form, "title": _("发布履职活动")},
        status=sent.status,
    )


@login_required
def activity_detail(request: HttpRequest, pk: int) -> HttpResponse:
    activity = get_visible_or_404(selectors.visible_activities(request.user), pk=pk)
    me = selectors.representative_of(request.user)
    mine = activity.participations.filter(representative=me).first() if me else None
    can_manage = selectors.manages_region(request.user, activity.region)
    return render(
        request,
        "representatives/activity_detail.html",
        {
            "activity": activity,
            "me": me,
            "mine": mine,
            "can_manage": can_manage,
            "participations": activity.participations.select_related("representative"),
            "attendance_form": forms.AttendanceForm(activity=activity) if can_manage else None,
            "actions": [
                a for a, (sources, _t) in ACTIVITY_TRANSITIONS.items() if activity.status in sources
            ],
            "attendance_open": activity.starts_at <= timezone.now()
            and activity.status != ActivityStatus.CANCELLED,
        },
    )


@login_required
@require_POST
def activity_sign_up(request: HttpRequest, pk: int) -> HttpResponse:
    activity = get_visible_or_404(selectors.visible_activities(request.user), pk=pk)
    me = selectors.representative_of(request.user)
    if me is None:
        raise Http404
    try:
        if request.POST.get("withdraw"):
            services.activity_withdraw(
                activity=activity, representative=me, by=acting_user(request)
            )
        else:
            services.activity_sign_up(activity=activity, representative=me, by=acting_user(request))
            messages.success(request, _("报名成功。"))
    except DomainError as exc:
        _fail(request, exc)
    return redirect(activity.get_absolute_url())


@manager_required
@require_POST
def activity_attendance(request: HttpRequest, pk: int) -> HttpResponse:
    activity = get_visible_or_404(selectors.visible_activities(request.user), pk=pk)
    form = forms.AttendanceForm(request.POST, activity=activity)
    post_step(
        request,
        form,
        lambda _data: services.activity_record_attendance(
            activity=activity, attendance=form.attendance(), by=acting_user(request)
        ),
        _("已登记出席情况。"),
    )
    return redirect(activity.get_absolute_url())


@manager_required
@require_POST
def activity_transition(request: HttpRequest, pk: int, action: str) -> HttpResponse:
    activity = get_visible_or_404(selectors.visible_activities(request.user), pk=pk)
    try:
        services.activity_transition(activity=activity, action=action, by=acting_user(request))
    except DomainError as exc:
        _fail(request, exc)
    return redirect(activity.get_absolute_url())


@manager_required
def points_ranking(request: HttpRequest) -> HttpResponse:
    form = forms.RankingForm(request.GET or None, user=request.user)
    start, end = form.period()
    chosen = form.cleaned_data if form.is_valid() else {}
    # Ranked in SQL a page at a time; only the page's people are read and counted.
    ranked = points.ranking_list(
        request.user, start, end, region=chosen.get("region"), level=chosen.get("level") or ""
    )
    page = _page(request, ranked, 100)
    # Each column's value as counted for the people shown: a congress (or a year) may
    # count another value than the installation's, and the heading says so.
    values: dict[str, set[int]] = defaultdict(set)
    for item in page:
        for line in item.lines:
            values[line.rule.code].add(line.rule.points)
    shown_rules = [
        (rule, sorted(values[rule.code]))
        for rule in points.active_rules().values()
        if values.get(rule.code)
    ]
    return render(
        request,
        "representatives/ranking.html",
        {
            "form": form,
            "page": page,
            "rules": shown_rules,
            "start": start,
            "end": end,
            "querystring": _querystring(request),
            "count": page.paginator.count,
        },
    )


# --- duty (the representative's own view) -------------------------------------------------


@manager_required
def duty_shift_list(request: HttpRequest) -> HttpResponse:
    """值班记录: the shifts at the stations a staff member sees, newest first, filtered as
    the API filters them (region, status, dates, 应值班, 到期未值班): the list behind
    the dashboard's duty figures. Without a region, a staff member's own (when they
    have one). Keyset pages on the shifts' area index: no count of a city's shifts of
    a term. Anyone but staff and administrators: 404 (a representative has 我的值班)."""
    params = request.GET.copy()
    own = only_staff_region(request.user)
    if not params.get("region") and own is not None:
        # Staff of one region read their own representatives' shifts, the dashboard's
        # set, on the shifts' area index (their stations' shifts of every region,
        # newest first, were a walk back through the whole province's dates).
        params["region"] = str(own.pk)
    filterset = DutyShiftFilter(params, queryset=selectors.visible_duty_shifts(request.user))
    region = filterset.form.cleaned_data.get("region") if filterset.is_valid() else None
    return render(
        request,
        "representatives/duty_shift_list.html",
        {
            "page": keyset_page(filterset.qs, params, ordering=("-date", "-pk")),
            "form": filterset.form,
            "region": region,
            "statuses": ShiftStatus.choices,
            "today": timezone.localdate(),
        },
    )


@login_required
def my_duty(request: HttpRequest) -> HttpResponse:
    me = selectors.representative_of(request.user)
    if me is None:
        raise Http404
    today = timezone.localdate()
    shifts = (
        me.duty_shifts.filter(date__gte=today - datetime.timedelta(days=30))
        .select_related("station")
        .order_by("date", "start_time")
    )
    return render(
        request,
        "representatives/my_duty.html",
        {
            "me": me,
            "shifts": shifts,
            "today": today,
            "memberships": me.station_memberships.filter(is_active=True).select_related("station"),
            "grids": me.grid_assignments.filter(is_active=True).select_related("grid__parent"),
        },
    )


@login_required
@require_POST
def shift_action(request: HttpRequest, pk: int, action: str) -> HttpResponse:
    """Staff record a sitting as served/absent, cancel or swap it; a representative may ask
    for leave on their own shift."""
    shift = get_visible_or_404(selectors.visible_duty_shifts(request.user), pk=pk)
    is_own = shift.representative.user_id == request.user.pk
    manages = selectors.manages_region(request.user, shift.station.region)
    if not may_take(action, manages=manages, is_own=is_own):
        raise Http404
    post_step(
        request,
        forms.ShiftActionForm(request.POST, station=shift.station),
        lambda data: SHIFT_ACTIONS[action].run(shift, data, acting_user(request)),
        _("已更新班次。"),
    )
    default = reverse("station_duty", args=[shift.station_id]) if manages else reverse("my_duty")
    return _back(request, default)


# --- the representative's home card ---------------------------------------------------


def home_card(request: HttpRequest) -> dict[str, Any] | None:
    me = selectors.representative_of(request.user)
    if me is None:
        return None
    today = timezone.localdate()
    year_start = datetime.date(today.year, 1, 1)
    return {
        "me": me,
        "next_shift": selectors.upcoming_shifts(me).first(),
        "logs_this_year": me.contact_logs.filter(contacted_on__gte=year_start).count(),
        "points": points.points_for(me, year_start, today).total,
        "year": today.year,
        "mandates": me.mandates.filter(status=MandateStatus.ACTIVE).order_by("level"),
    }


def staff_card(request: HttpRequest) -> dict[str, Any] | None:
    if not is_staff_or_admin(request.user):
        return None
    serving = serving_in_scope(request.user)
    if serving is None:
        reps = selectors.visible_representatives(request.user)
        serving = reps.filter(selectors.has_active_mandate()).count()
    stations = selectors.visible_stations(request.user).filter(is_active=True)
    return {
        # From the seats summary: counting through the representatives grew with them
        # (docs/benchmarks.md, the city staff's home at 5M problems).
        "representatives": serving,
        "stations": stations.count(),
        "uncovered": selectors.grid_coverage(request.user).count(),
        "shifts_today": selectors.visible_duty_shifts(request.user)
        .filter(date=timezone.localdate(), status=ShiftStatus.SCHEDULED)
        .count(),
    }
