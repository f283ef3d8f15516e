"""约见: the citizen's request form and tracking page; the representative's and
staff's list and case page; a representative's request to meet a department head."""

from __future__ import annotations

import uuid
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.db.models import QuerySet
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from congress.errors import DomainError, InvalidTransition
from congress.form_steps import submit
from congress.models import Department, User
from congress.ratelimit import ratelimit
from congress.scoping import get_visible_or_404
from representatives.models import Representative, StationMember
from representatives.selectors import representative_of
from suggestions.citizen import appointment_actions, conf, selectors, services
from suggestions.citizen.forms import (
    AppointmentRequestForm,
    DepartmentAppointmentForm,
)
from suggestions.citizen.privacy import mask_mobile, mask_name
from suggestions.citizen.views import _no_store, origin_of
from suggestions.models.citizen import Appointment, AppointmentStatus


def _representatives_for(
    station_id: int | None, representative: Representative | None
) -> QuerySet[Representative]:
    if representative is not None:
        return Representative.objects.filter(pk=representative.pk)
    if station_id is not None:
        members = StationMember.objects.filter(station_id=station_id, is_active=True)
        return Representative.objects.filter(pk__in=members.values("representative_id")).order_by(
            "name"
        )
    return Representative.objects.none()


@ratelimit(group="citizen-submit", rate=conf.rate_per_ip)
def appointment_new(request: HttpRequest) -> HttpResponse:
    origin = origin_of(request)
    if origin.station is None and origin.representative is None:
        raise Http404  # an appointment is always with someone, reached by their QR code
    people = _representatives_for(
        origin.station.pk if origin.station else None, origin.representative
    )
    form = AppointmentRequestForm(
        request.POST or None,
        representatives=people,
        initial={"idempotency_key": uuid.uuid4(), "representative": origin.representative},
    )
    if request.method == "POST" and form.is_robot:
        return render(request, "suggestions/citizen/received.html")
    sent = submit(
        request,
        form,
        lambda data: services.appointment_request(
            idempotency_key=data["idempotency_key"],
            representative=data["representative"],
            topic=data["topic"],
            preferred_date=data["preferred_date"],
            preferred_times=data["preferred_times"],
            citizen_name=data["citizen_name"],
            mobile=data["mobile"],
            consent=data["consent"],
            station=origin.station,
        ),
    )
    if sent.done:
        appointment, _created = sent.result
        return redirect(f"{appointment.get_tracking_url()}?new=1")
    # Answered 200 with the message beside the form, as the citizen-problem form is: a
    # phone's browser shows the page either way, and nothing the citizen typed is lost.
    return _no_store(
        render(
            request,
            "suggestions/citizen/appointment_new.html",
            {
                "form": form,
                "origin": origin,
                "public_region": origin.region,
                "retention_days": conf.retention_days(origin.region),
            },
        )
    )


def appointment_track(request: HttpRequest, token: str) -> HttpResponse:
    appointment = selectors.tracked_appointment(token)
    events = selectors.appointment_public_timeline(appointment)
    return _no_store(
        render(
            request,
            "suggestions/citizen/appointment_track.html",
            {
                "appointment": appointment,
                "events": events,
                "masked_mobile": mask_mobile(appointment.mobile),
                "link_actions": appointment_actions.by_link(appointment),
            },
        )
    )


@require_POST
@ratelimit(group="citizen-track", rate=conf.rate_tracking)
def appointment_track_act(request: HttpRequest, token: str, action: str) -> HttpResponse:
    appointment = selectors.tracked_appointment(token)
    try:
        appointment_actions.take_by_link(appointment, action, request.POST)
    except DomainError as error:
        messages.error(request, str(error.message))
    else:
        messages.success(request, _("已提交。"))
    return redirect(appointment.get_tracking_url())


@login_required
def appointment_list(request: HttpRequest) -> HttpResponse:
    rows = selectors.visible_appointments(request.user)
    status = request.GET.get("status", "")
    if status in AppointmentStatus.values:
        rows = rows.filter(status=status)
    page = Paginator(rows.order_by("-created_at", "-pk"), 50).get_page(request.GET.get("page"))
    return render(
        request,
        "suggestions/citizen/appointment_list.html",
        {
            "page": page,
            "status": status,
            "statuses": AppointmentStatus.choices,
            "is_representative": representative_of(request.user) is not None,
        },
    )


def _detail(request: HttpRequest, appointment: Appointment, **extra: Any) -> dict[str, Any]:
    declared = appointment_actions.APPOINTMENT_ACTIONS
    actions = [
        (name, declared[name].label, declared[name].form())
        for name in appointment_actions.allowed(request.user, appointment)
    ]
    return {
        "appointment": appointment,
        "actions": actions,
        "events": selectors.appointment_timeline(appointment),
        "masked_name": mask_name(appointment.citizen_name),
        "masked_mobile": mask_mobile(appointment.mobile) if appointment.mobile else "",
        **extra,
    }


@login_required
def appointment_detail(request: HttpRequest, pk: int) -> HttpResponse:
    appointment = get_visible_or_404(selectors.visible_appointments(request.user), pk=pk)
    return render(
        request, "suggestions/citizen/appointment_detail.html", _detail(request, appointment)
    )


@login_required
@require_POST
def appointment_act(request: HttpRequest, pk: int, action: str) -> HttpResponse:
    appointment = get_visible_or_404(selectors.visible_appointments(request.user), pk=pk)
    user: User = request.user  # type: ignore[assignment]
    declared = appointment_actions.APPOINTMENT_ACTIONS.get(action)
    if declared is None:
        raise Http404  # a page address that names no action
    form = declared.form(request.POST)
    try:
        appointment_actions.take(appointment, action, user, form)
    except InvalidTransition:
        messages.error(request, _("当前状态下不能进行该操作，页面已刷新。"))
        return redirect(appointment.get_absolute_url())
    except DomainError as error:
        form.add_error(None, str(error.message))
    else:
        if form.is_valid():
            messages.success(request, _("已办理：%(action)s") % {"action": declared.label})
            return redirect(appointment.get_absolute_url())
    context = _detail(request, appointment, failed_action=action, failed_form=form)
    return render(request, "suggestions/citizen/appointment_detail.html", context, status=400)


@login_required
def appointment_department_new(request: HttpRequest) -> HttpResponse:
    """代表约见国家机关负责人: the representative's request, routed through staff."""
    representative = representative_of(request.user)
    if representative is None:
        raise Http404
    departments = Department.objects.filter(
        is_active=True, region_id__in=representative.region.ancestor_ids()
    ).order_by("-region__depth", "name")
    form = DepartmentAppointmentForm(
        request.POST or None, departments=departments, initial={"idempotency_key": uuid.uuid4()}
    )
    sent = submit(
        request,
        form,
        lambda data: services.appointment_request_department(
            idempotency_key=data["idempotency_key"],
            representative=representative,
            department=data["department"],
            topic=data["topic"],
            preferred_date=data["preferred_date"],
            preferred_times=data["preferred_times"],
            by=request.user,  # type: ignore[arg-type]
        ),
    )
    if sent.done:
        appointment, _created = sent.result
        messages.success(request, _("约见申请已提交，人大工作人员将与有关单位联系。"))
        return redirect(appointment.get_absolute_url())
    return render(
        request,
        "suggestions/citizen/appointment_department_new.html",
        {"form": form},
        status=sent.status,
    )
