"""Staff pages for stations (家站点): the station, who is stationed, its duty schedule,
and its printed poster and 连心卡 cards."""

from __future__ import annotations

import datetime

from django.contrib import messages
from django.db.models import Count, Q
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from congress.errors import DomainError
from congress.form_steps import post_step, submit
from congress.scoping import acting_user, get_visible_or_404
from representatives import conf, forms, printing, selectors, services
from representatives.filters import StationFilter
from representatives.models import ShiftStatus, StationKind
from representatives.public_views import render_cards, render_poster
from representatives.shift_actions import staff_steps_by_status
from representatives.views import _fail, _page, _querystring, manager_required


@manager_required
def station_list(request: HttpRequest) -> HttpResponse:
    stations = selectors.visible_stations(request.user).annotate(
        member_count=Count("members", filter=Q(members__is_active=True))
    )
    filterset = StationFilter(request.GET, queryset=stations)
    return render(
        request,
        "representatives/station_list.html",
        {
            "page": _page(request, filterset.qs.order_by("region__path", "kind", "name")),
            "kinds": StationKind.choices,
            "regions": forms.region_choices(request.user),
            "querystring": _querystring(request),
        },
    )


@manager_required
def station_create(request: HttpRequest) -> HttpResponse:
    form = forms.StationForm(request.POST or None, user=request.user)
    sent = submit(
        request, form, lambda data: services.station_create(by=acting_user(request), **data)
    )
    if sent.done:
        return redirect(sent.result.get_absolute_url())
    return render(
        request,
        "representatives/form.html",
        {"form": form, "title": _("新建家站点")},
        status=sent.status,
    )


@manager_required
def station_edit(request: HttpRequest, pk: int) -> HttpResponse:
    station = get_visible_or_404(selectors.visible_stations(request.user), pk=pk)
    form = forms.StationForm(request.POST or None, instance=station, user=request.user)
    sent = submit(
        request,
        form,
        lambda data: services.station_update(station=station, by=acting_user(request), **data),
    )
    if sent.done:
        return redirect(station.get_absolute_url())
    return render(
        request,
        "representatives/form.html",
        {"form": form, "title": _("编辑家站点"), "cancel": station.get_absolute_url()},
        status=sent.status,
    )


@manager_required
def station_detail(request: HttpRequest, pk: int) -> HttpResponse:
    station = get_visible_or_404(selectors.visible_stations(request.user), pk=pk)
    grids_form = forms.StationGridsForm(
        request.POST or None,
        user=request.user,
        station=station,
        initial={"grids": list(station.grids.all())},
    )
    if request.method == "POST" and grids_form.is_valid():
        services.station_update(
            station=station,
            by=acting_user(request),
            grids=grids_form.cleaned_data["grids"],
        )
        messages.success(request, _("已更新覆盖网格。"))
        return redirect(station.get_absolute_url())
    year = timezone.localdate().year
    evaluations = (
        station.evaluations.filter(year=year)
        .values("representative__name", "rating")
        .annotate(n=Count("pk"))
    )
    return render(
        request,
        "representatives/station_detail.html",
        {
            "station": station,
            "members": station.members.filter(is_active=True).select_related("representative"),
            "member_form": forms.StationMemberForm(user=request.user, station=station),
            "grids_form": grids_form,
            "grids": station.grids.all(),
            "evaluations": evaluations,
            "year": year,
            "public_url": printing.absolute_public_url(station.get_public_url()),
        },
    )


@manager_required
@require_POST
def station_member_add(request: HttpRequest, pk: int) -> HttpResponse:
    station = get_visible_or_404(selectors.visible_stations(request.user), pk=pk)
    post_step(
        request,
        forms.StationMemberForm(request.POST, user=request.user, station=station),
        lambda data: services.station_member_add(station=station, by=acting_user(request), **data),
        _("代表已进站。"),
    )
    return redirect(station.get_absolute_url())


@manager_required
@require_POST
def station_member_remove(request: HttpRequest, pk: int) -> HttpResponse:
    member = get_visible_or_404(
        selectors.visible_station_members(request.user).filter(is_active=True), pk=pk
    )
    # The service decides who may act on the station (OutOfJurisdiction is a 404).
    services.station_member_remove(member=member, by=acting_user(request))
    messages.success(
        request, _("%(name)s 已离站，其后续班次已取消。") % {"name": member.representative.name}
    )
    return redirect(member.station.get_absolute_url())


@manager_required
@require_POST
def station_rotate_token(request: HttpRequest, pk: int) -> HttpResponse:
    station = get_visible_or_404(selectors.visible_stations(request.user), pk=pk)
    services.station_rotate_token(station=station, by=acting_user(request))
    messages.success(request, _("已更换二维码，旧海报上的二维码将显示“已停用”。请重新打印海报。"))
    return redirect(station.get_absolute_url())


@manager_required
def station_poster(request: HttpRequest, pk: int) -> HttpResponse:
    station = get_visible_or_404(selectors.visible_stations(request.user), pk=pk)
    return render_poster(request, station, as_pdf=request.GET.get("format") == "pdf")


@manager_required
def station_cards(request: HttpRequest, pk: int) -> HttpResponse:
    station = get_visible_or_404(selectors.visible_stations(request.user), pk=pk)
    page = selectors.public_station_page(station)
    return render_cards(
        request,
        [m.representative for m in page.members],
        as_pdf=request.GET.get("format") == "pdf",
        station=station,
    )


@manager_required
def station_duty(request: HttpRequest, pk: int) -> HttpResponse:
    """The schedule: add a shift or a recurring pattern, publish, record what happened."""
    station = get_visible_or_404(selectors.visible_stations(request.user), pk=pk)
    today = timezone.localdate()
    shift_form = forms.DutyShiftForm(station=station)
    pattern_form = forms.DutyPatternForm(station=station)
    if request.method == "POST":
        form_name = request.POST.get("form")
        try:
            if form_name == "shift":
                shift_form = forms.DutyShiftForm(request.POST, station=station)
                if shift_form.is_valid():
                    services.duty_shift_create(
                        station=station,
                        by=acting_user(request),
                        **shift_form.cleaned_data,
                    )
                    messages.success(request, _("已排班。"))
                    return redirect("station_duty", pk=station.pk)
            elif form_name == "pattern":
                pattern_form = forms.DutyPatternForm(request.POST, station=station)
                if pattern_form.is_valid():
                    pattern = services.duty_pattern_create(
                        station=station,
                        by=acting_user(request),
                        rotation=pattern_form.cleaned_data["rotation"],
                        **pattern_form.service_fields(),
                    )
                    created = services.duty_pattern_generate(
                        pattern=pattern,
                        until=pattern_form.cleaned_data["generate_until"],
                        by=acting_user(request),
                        publish=pattern_form.cleaned_data["publish"],
                    )
                    messages.success(request, _("已生成%(count)s个班次。") % {"count": created})
                    return redirect("station_duty", pk=station.pk)
            elif form_name == "publish":
                publish_form = forms.PublishForm(request.POST)
                if publish_form.is_valid():
                    count = services.duty_schedule_publish(
                        station=station,
                        until=publish_form.cleaned_data["until"],
                        by=acting_user(request),
                    )
                    messages.success(request, _("已公示%(count)s个班次。") % {"count": count})
                    return redirect("station_duty", pk=station.pk)
        except DomainError as exc:
            _fail(request, exc)
    shifts = (
        station.shifts.filter(
            date__gte=today - datetime.timedelta(days=14),
            date__lte=today + datetime.timedelta(days=62),
        )
        .select_related("representative")
        .order_by("date", "start_time")
    )
    publish_days = conf.duty_publish_days_ahead(station.region)  # its congress's rule
    late = station.shifts.filter(
        published_at__isnull=True,
        status=ShiftStatus.SCHEDULED,
        date__gte=today,
        date__lte=today + datetime.timedelta(days=publish_days),
    ).count()
    return render(
        request,
        "representatives/station_duty.html",
        {
            "station": station,
            "shifts": shifts,
            "today": today,
            "shift_form": shift_form,
            "pattern_form": pattern_form,
            "publish_form": forms.PublishForm(
                initial={"until": today + datetime.timedelta(days=31)}
            ),
            "action_form": forms.ShiftActionForm(station=station),
            "patterns": station.duty_patterns.prefetch_related("rotation"),
            "late": late,
            "publish_days": publish_days,
            "actions": staff_steps_by_status(),
        },
    )
