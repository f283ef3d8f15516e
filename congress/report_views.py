"""The monthly and yearly reports' pages (docs/dashboard.md, "Reports"): the list of
a region's reports with the user's subscription, and a report as a printable page,
a PDF (``?format=pdf``) or an Excel workbook (``?format=xlsx``). Staff of the
region or above only; any other region, and anyone else, gets a 404."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from congress.dashboard import Period, breadcrumbs, drillable
from congress.models import Region
from congress.reports import (
    MONTH,
    YEAR,
    Report,
    listed_months,
    listed_years,
    month_period,
    own_report_region,
    pdf_available,
    report_build,
    report_pdf,
    report_region,
    report_subscribe,
    report_unsubscribe,
    report_url,
    report_workbook,
    subscriptions_of,
    year_period,
)
from congress.scoping import acting_user, in_jurisdiction

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


@login_required
def report_index(request: HttpRequest) -> HttpResponse:
    """The months and years of a region's reports (``?region=``, default the user's own)."""
    region_id = request.GET.get("region")
    region = (
        report_region(request.user, region_id) if region_id else own_report_region(request.user)
    )
    subscriptions = list(subscriptions_of(request.user).order_by("region__path"))
    children = [
        child
        for child in Region.objects.filter(parent=region).order_by("code", "name", "pk")
        if drillable(child)
    ]
    context = {
        "region": region,
        "crumbs": breadcrumbs(request.user, region),
        "children": children,
        "months": [(month, report_url(region, MONTH, month)) for month in listed_months()],
        "years": [
            (year, reverse("report_year", kwargs={"region_id": region.pk, "year": year}))
            for year in listed_years()
        ],
        "subscribed": any(s.region_id == region.pk for s in subscriptions),
        "subscriptions": [(s, in_jurisdiction(request.user, s.region)) for s in subscriptions],
        "pdf_available": pdf_available(),
    }
    return render(request, "congress/reports/index.html", context)


def _respond(request: HttpRequest, report: Report) -> HttpResponse:
    wanted = request.GET.get("format", "")
    if wanted == "xlsx":
        response = HttpResponse(report_workbook(report), content_type=XLSX)
        response["Content-Disposition"] = f'attachment; filename="{report.slug}.xlsx"'
        return response
    context: dict[str, Any] = {
        "report": report,
        "pdf_available": pdf_available(),
        "index_url": reverse("report_index") + f"?region={report.region.pk}",
    }
    if wanted == "pdf" and context["pdf_available"]:
        html = render_to_string("congress/reports/report.html", {**context, "as_pdf": True})
        response = HttpResponse(report_pdf(html), content_type="application/pdf")
        response["Content-Disposition"] = f'attachment; filename="{report.slug}.pdf"'
        return response
    return render(request, "congress/reports/report.html", context)


def _report(request: HttpRequest, region: Region, kind: str, period: Period) -> HttpResponse:
    return _respond(
        request, report_build(user=request.user, region=region, kind=kind, period=period)
    )


@login_required
def report_month(request: HttpRequest, region_id: int, year: int, month: int) -> HttpResponse:
    region = report_region(request.user, region_id)  # outside the jurisdiction: 404 first
    return _report(request, region, MONTH, month_period(year, month))


@login_required
def report_year(request: HttpRequest, region_id: int, year: int) -> HttpResponse:
    region = report_region(request.user, region_id)
    return _report(request, region, YEAR, year_period(year))


def _back(region: Region) -> HttpResponse:
    return redirect(reverse("report_index") + f"?region={region.pk}")


@login_required
@require_POST
def report_subscribe_view(request: HttpRequest, region_id: int) -> HttpResponse:
    region = report_region(request.user, region_id)
    report_subscribe(user=acting_user(request), region=region)
    messages.success(
        request,
        _("已订阅%(region)s的月度报告：每月1日通过站内消息和电子邮件发送上月报告。")
        % {"region": region.name},
    )
    return _back(region)


@login_required
@require_POST
def report_unsubscribe_view(request: HttpRequest, region_id: int) -> HttpResponse:
    """One's own subscription ends even for a region no longer in one's jurisdiction
    (the mailing skips it, but the row stays until removed); any other is the 404 of
    the region's reports."""
    own = subscriptions_of(request.user).filter(region_id=region_id).first()
    region = own.region if own is not None else report_region(request.user, region_id)
    report_unsubscribe(user=acting_user(request), region=region)
    messages.success(request, _("已取消订阅%(region)s的月度报告。") % {"region": region.name})
    if not in_jurisdiction(request.user, region):
        return redirect("report_index")
    return _back(region)
