"""Pages of plans, topics and findings (staff: desktop and phone; clerks: phone).

Each view loads through a scoped selector (404 outside the scope), validates, calls one
service and responds; a refusal (``DomainError``) comes back beside the form with what
was typed (status 400).
"""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.http.response import HttpResponseBase
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from congress.errors import DomainError, InvalidTransition
from congress.files import stream_file
from congress.form_steps import post_step, submit
from congress.keyset import keyset_page
from congress.models import Region
from congress.ratelimit import ratelimit
from congress.scoping import acting_user, get_visible_or_404, is_staff_or_admin
from congress.workflow import timeline
from supervision import conf, selectors, services
from supervision import forms as f
from supervision.actions import (
    action_named,
    finding_actions,
    may,
    topic_action_named,
    topic_actions,
)
from supervision.exports import findings_workbook, rates_workbook
from supervision.models.topics import (
    Finding,
    FindingStatus,
    InvestigationPhoto,
    SupervisionPlan,
    Topic,
)
from supervision.workflow import FINDING_CASE, PLAN_TRANSITIONS, TOPIC_CASE

View = Callable[..., HttpResponseBase]


def staff_required(view: View) -> View:
    """Congress staff (or administrators) only; anyone else gets a 404."""

    @wraps(view)
    @login_required
    def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:
        if not is_staff_or_admin(request.user):
            raise Http404
        return view(request, *args, **kwargs)

    return wrapper


def _plan(request: HttpRequest, pk: int) -> SupervisionPlan:
    return get_visible_or_404(selectors.visible_plans(request.user), pk=pk)


def _topic(request: HttpRequest, pk: int) -> Topic:
    return get_visible_or_404(selectors.visible_topics(request.user), pk=pk)


def _refused(request: HttpRequest, error: DomainError) -> None:
    messages.error(request, str(error.message))


def form_page(
    request: HttpRequest, form: Any, status: int, title: str, back: str, **extra: Any
) -> HttpResponse:
    """The shared page of one form (supervision/form.html), shown again with what was
    typed and the refusal when ``status`` says so."""
    context = {"form": form, "title": title, "back": back, **extra}
    return render(request, "supervision/form.html", context, status=status)


# --- plans --------------------------------------------------------------------------------


@staff_required
def plan_list(request: HttpRequest) -> HttpResponse:
    page = keyset_page(
        selectors.plan_list(request.user), request.GET, ordering=selectors.PLAN_ORDER
    )
    return render(request, "supervision/plan_list.html", {"page": page})


@staff_required
def plan_create(request: HttpRequest) -> HttpResponse:
    form = f.PlanForm(request.POST or None, congresses=selectors.congresses_managed(request.user))
    sent = submit(request, form, lambda data: services.plan_create(by=acting_user(request), **data))
    if sent.done:
        messages.success(request, _("监督工作计划已创建，请添加议题。"))
        return redirect(sent.result)
    return form_page(request, form, sent.status, _("新建监督工作计划"), "")


@staff_required
def plan_detail(request: HttpRequest, pk: int) -> HttpResponse:
    plan = _plan(request, pk)
    context = {
        "plan": plan,
        "topics": list(plan.topics.all()),
        "adopt_form": f.AdoptForm() if plan.status in PLAN_TRANSITIONS["adopt"][0] else None,
        "committees": list(selectors.committees_for(plan.congress)),
        "committee_form": f.CommitteeForm(),
    }
    return render(request, "supervision/plan_detail.html", context)


@staff_required
def plan_edit(request: HttpRequest, pk: int) -> HttpResponse:
    plan = _plan(request, pk)
    form = f.PlanEditForm(request.POST or None, initial={"title": plan.title, "notes": plan.notes})
    sent = submit(
        request,
        form,
        lambda data: services.plan_update(plan=plan, by=acting_user(request), **data),
    )
    if sent.done:
        return redirect(plan)
    return form_page(request, form, sent.status, plan.title, plan.get_absolute_url())


@staff_required
@require_POST
def plan_adopt(request: HttpRequest, pk: int) -> HttpResponse:
    plan = _plan(request, pk)
    post_step(
        request,
        f.AdoptForm(request.POST),
        lambda data: services.plan_adopt(plan=plan, by=acting_user(request), **data),
        _("计划已通过。"),
    )
    return redirect(plan)


@staff_required
@require_POST
def committee_add(request: HttpRequest, pk: int) -> HttpResponse:
    plan = _plan(request, pk)
    post_step(
        request,
        f.CommitteeForm(request.POST),
        lambda data: services.committee_create(
            congress=plan.congress, name=data["name"], by=acting_user(request)
        ),
        _("委员会已添加。"),
    )
    return redirect(plan)


# --- topics -------------------------------------------------------------------------------


def _topic_form(plan: SupervisionPlan, data: Any = None, **kwargs: Any) -> f.TopicForm:
    return f.TopicForm(
        data,
        departments=selectors.departments_for_region(plan.region),
        committees=selectors.committees_for(plan.congress),
        **kwargs,
    )


@staff_required
def topic_create(request: HttpRequest, pk: int) -> HttpResponse:
    plan = _plan(request, pk)
    form = _topic_form(plan, request.POST or None)
    sent = submit(
        request,
        form,
        lambda data: services.topic_create(plan=plan, by=acting_user(request), **data),
    )
    if sent.done:
        messages.success(request, _("议题已列入计划。"))
        return redirect(sent.result)
    return form_page(request, form, sent.status, _("新增监督议题"), plan.get_absolute_url())


@staff_required
def topic_edit(request: HttpRequest, pk: int) -> HttpResponse:
    topic = _topic(request, pk)
    initial = {
        "kind": topic.kind,
        "title": topic.title,
        "description": topic.description,
        "departments": list(topic.departments.all()),
        "committees": list(topic.committees.all()),
        "starts_on": topic.starts_on,
        "ends_on": topic.ends_on,
    }
    form = _topic_form(topic.plan, request.POST or None, initial=initial)
    sent = submit(
        request,
        form,
        lambda data: services.topic_update(topic=topic, by=acting_user(request), **data),
    )
    if sent.done:
        return redirect(topic)
    return form_page(request, form, sent.status, topic.title, topic.get_absolute_url())


@staff_required
def topic_list(request: HttpRequest) -> HttpResponse:
    page = keyset_page(
        selectors.topic_list(request.user), request.GET, ordering=selectors.TOPIC_ORDER
    )
    return render(request, "supervision/topic_list.html", {"page": page})


@staff_required
def topic_detail(request: HttpRequest, pk: int) -> HttpResponse:
    topic = _topic(request, pk)
    context = {
        "topic": topic,
        "progress": selectors.topic_progress(topic),
        "members": list(topic.members.all()),
        "departments": list(topic.departments.all()),
        "committees": list(topic.committees.all()),
        "categories": list(topic.categories.all()),
        "investigations": list(topic.investigations.prefetch_related("photos")),
        "reviews": list(topic.reviews.all()),
        "today": timezone.localdate(),
        "review_form": f.ReviewScheduleForm(),
        "moves": topic_actions(topic),
        "member_form": f.MemberForm(),
        "category_form": f.CategoryForm(),
        "events": timeline(TOPIC_CASE, topic.pk),
    }
    return render(request, "supervision/topic_detail.html", context)


@staff_required
@require_POST
def topic_act(request: HttpRequest, pk: int, action: str) -> HttpResponse:
    topic = _topic(request, pk)
    try:
        step = topic_action_named(action)
        if not step.when(topic):
            raise InvalidTransition()
        step.run(topic, acting_user(request))
    except DomainError as error:
        _refused(request, error)
    return redirect(topic)


@staff_required
@require_POST
def member_add(request: HttpRequest, pk: int) -> HttpResponse:
    topic = _topic(request, pk)
    post_step(
        request,
        f.MemberForm(request.POST),
        lambda data: services.topic_member_add(topic=topic, by=acting_user(request), **data),
        _("领导小组成员已添加。"),
    )
    return redirect(topic)


@staff_required
@require_POST
def member_remove(request: HttpRequest, pk: int, member_id: int) -> HttpResponse:
    topic = _topic(request, pk)
    member = get_visible_or_404(topic.members.all(), pk=member_id)
    services.topic_member_remove(member=member, by=acting_user(request))
    return redirect(topic)


@staff_required
@require_POST
def category_add(request: HttpRequest, pk: int) -> HttpResponse:
    topic = _topic(request, pk)
    post_step(
        request,
        f.CategoryForm(request.POST),
        lambda data: services.category_create(
            topic=topic, title=data["title"], by=acting_user(request)
        ),
        _("问题类别已添加。"),
    )
    return redirect("supervision_topic_findings", pk=topic.pk)


# --- findings -----------------------------------------------------------------------------


@staff_required
def topic_findings(request: HttpRequest, pk: int) -> HttpResponse:
    topic = _topic(request, pk)
    page = keyset_page(
        selectors.topic_findings(topic), request.GET, ordering=selectors.TOPIC_FINDING_ORDER
    )
    context = {
        "topic": topic,
        "page": page,
        "progress": selectors.topic_progress(topic),
        "categories": list(topic.categories.all()),
        "category_form": f.CategoryForm(),
    }
    return render(request, "supervision/topic_findings.html", context)


@staff_required
def finding_create(request: HttpRequest, pk: int) -> HttpResponse:
    topic = _topic(request, pk)
    form = f.FindingForm(
        request.POST or None,
        departments=selectors.departments_for(topic),
        categories=topic.categories.all(),
    )
    sent = submit(
        request,
        form,
        lambda data: services.finding_create(topic=topic, by=acting_user(request), **data),
    )
    if sent.done:
        messages.success(request, _("问题已列入清单并交办。"))
        if "another" in request.POST:
            return redirect("supervision_finding_create", pk=topic.pk)
        return redirect("supervision_topic_findings", pk=topic.pk)
    return form_page(
        request,
        form,
        sent.status,
        _("列入问题清单"),
        topic.get_absolute_url(),
        topic=topic,
        another=True,
    )


@login_required
def finding_list(request: HttpRequest) -> HttpResponse:
    """The staff's findings in their jurisdiction; a clerk's, their department's."""
    user = request.user
    if not is_staff_or_admin(user) and not getattr(user, "department_ids", None):
        raise Http404
    status = request.GET.get("status", "")
    if status not in FindingStatus.values:
        status = ""
    rows = selectors.finding_list(user, status=status, flagged=bool(request.GET.get("flagged")))
    page = keyset_page(rows, request.GET, ordering=selectors.FINDING_ORDER)
    context = {
        "page": page,
        "status": status,
        "statuses": FindingStatus.choices,
        "is_staff": is_staff_or_admin(user),
    }
    return render(request, "supervision/finding_list.html", context)


def _ids(name: str) -> str:
    """Each action's form has its own field ids: several sit on one page."""
    return f"id_{name}_%s"


def _finding_page(
    request: HttpRequest, finding: Finding, forms: dict[str, Any] | None = None, status: int = 200
) -> HttpResponse:
    user = acting_user(request)
    offered = finding_actions(user, finding)
    initial = {"expected_version": finding.version}
    action_forms = [
        (name, action, (forms or {}).get(name) or action.form(initial=initial, auto_id=_ids(name)))
        for name, action in offered
    ]
    context = {
        "finding": finding,
        "manages": selectors.manages(user, finding),
        "handles": selectors.handles(user, finding),
        "action_forms": action_forms,
        "events": timeline(FINDING_CASE, finding.pk),
        "milestones": [line for line in finding.milestones.splitlines() if line.strip()],
    }
    return render(request, "supervision/finding_detail.html", context, status=status)


@login_required
def finding_detail(request: HttpRequest, pk: int) -> HttpResponse:
    finding = get_visible_or_404(selectors.visible_findings(request.user), pk=pk)
    return _finding_page(request, finding)


@require_POST
@login_required
def finding_act(request: HttpRequest, pk: int, name: str) -> HttpResponse:
    finding = get_visible_or_404(selectors.visible_findings(request.user), pk=pk)
    user = acting_user(request)
    try:
        action = action_named(name)
    except DomainError as error:
        _refused(request, error)
        return _finding_page(request, finding, status=error.status)
    form = action.form(request.POST, request.FILES, auto_id=_ids(name))
    if not form.is_valid():
        return _finding_page(request, finding, {name: form}, status=400)
    if not may(user, finding, action):
        messages.error(request, _("当前状态下不能进行该操作。"))
        return _finding_page(request, finding, status=409)
    try:
        message = action.run(finding, user, form.cleaned_data)
    except DomainError as error:
        form.add_error(None, str(error.message))
        finding.refresh_from_db()
        return _finding_page(request, finding, {name: form}, status=error.status)
    messages.success(request, message)
    return redirect(finding)


# --- investigations -------------------------------------------------------------------------


@staff_required
def investigation_create(request: HttpRequest, pk: int) -> HttpResponse:
    topic = _topic(request, pk)
    form = f.InvestigationForm(request.POST or None, request.FILES or None)

    def record(data: Any) -> Any:
        data = dict(data)
        photo = data.pop("photo", None)
        return services.investigation_create(
            topic=topic, photos=[photo] if photo else [], by=acting_user(request), **data
        )

    sent = submit(request, form, record)
    if sent.done:
        messages.success(request, _("调研视察已记录。"))
        return redirect(topic)
    return form_page(
        request, form, sent.status, _("记录调研视察"), topic.get_absolute_url(), topic=topic
    )


@staff_required
def investigation_photo(request: HttpRequest, token: str) -> FileResponse:
    photo = get_visible_or_404(
        InvestigationPhoto.objects.filter(
            investigation__in=selectors.visible_investigations(request.user)
        ),
        token=token,
    )
    return stream_file(
        photo.file, content_type=photo.content_type, filename=photo.original_name, inline=True
    )


# --- follow-up reviews (回头看) ---------------------------------------------------------------


@staff_required
@require_POST
def review_schedule(request: HttpRequest, pk: int) -> HttpResponse:
    topic = _topic(request, pk)
    post_step(
        request,
        f.ReviewScheduleForm(request.POST),
        lambda data: services.review_schedule(topic=topic, by=acting_user(request), **data),
        _("回头看已安排。"),
    )
    return redirect(topic)


@staff_required
def review_hold(request: HttpRequest, pk: int) -> HttpResponse:
    review = get_visible_or_404(selectors.visible_reviews(request.user), pk=pk)
    closed = review.topic.findings.filter(status=FindingStatus.CLOSED_OFF)
    form = f.ReviewHoldForm(request.POST or None, findings=closed)
    sent = submit(
        request,
        form,
        lambda data: services.review_hold(review=review, by=acting_user(request), **data),
    )
    if sent.done:
        messages.success(request, _("回头看已记录。"))
        return redirect(review.topic)
    topic = review.topic
    return form_page(
        request, form, sent.status, _("开展回头看"), topic.get_absolute_url(), topic=topic
    )


@staff_required
def topic_findings_xlsx(request: HttpRequest, pk: int) -> HttpResponse:
    topic = _topic(request, pk)
    response = HttpResponse(
        findings_workbook(topic),
        content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    )
    response["Content-Disposition"] = f'attachment; filename="findings-{topic.pk}.xlsx"'
    response["Cache-Control"] = "private, no-store"
    return response


# --- the year's closed-off and on-time rates by department -----------------------------------


def _rates_year(request: HttpRequest, years: list[int]) -> int:
    """The year asked for (a plan year, 2000–2100), else the newest plan's, else this one."""
    try:
        year = int(request.GET.get("year", ""))
    except ValueError:
        year = 0
    if 2000 <= year <= 2100:
        return year
    return years[0] if years else timezone.localdate().year


@staff_required
def finding_rates(request: HttpRequest) -> HttpResponse:
    years = selectors.plan_years(request.user)
    year = _rates_year(request, years)
    rows, total = selectors.finding_rates(request.user, year)
    context = {"years": years, "year": year, "rows": rows, "total": total}
    return render(request, "supervision/finding_rates.html", context)


@staff_required
def finding_rates_xlsx(request: HttpRequest) -> HttpResponse:
    year = _rates_year(request, selectors.plan_years(request.user))
    rows, total = selectors.finding_rates(request.user, year)
    response = HttpResponse(
        rates_workbook(year, rows, total),
        content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    )
    response["Content-Disposition"] = f'attachment; filename="finding-rates-{year}.xlsx"'
    response["Cache-Control"] = "private, no-store"
    return response


# --- the public pages (no sign-in; only what the staff published) -------------------------


@ratelimit(group="supervision-public", rate=conf.public_rate, methods=("GET",))
def topic_public(request: HttpRequest, pk: int) -> HttpResponse:
    """A published topic's findings and their progress toward 销号清零, for anyone."""
    topic = get_visible_or_404(selectors.published_topics(), pk=pk)
    context = {
        "topic": topic,
        "progress": selectors.topic_progress(topic),
        "findings": list(selectors.public_findings(topic)),
        "public_region": topic.region,
    }
    return render(request, "supervision/topic_public.html", context)


@ratelimit(group="supervision-public", rate=conf.public_rate, methods=("GET",))
def public_region(request: HttpRequest, region_id: int) -> HttpResponse:
    """The published topics of one region's congress, newest first (keyset pages)."""
    region = get_object_or_404(Region, pk=region_id)
    rows = selectors.published_topics().filter(region=region)
    page = keyset_page(rows, request.GET, ordering=selectors.PUBLIC_ORDER)
    context = {"region": region, "page": page, "public_region": region}
    return render(request, "supervision/public_region.html", context)
