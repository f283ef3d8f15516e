"""The staff dashboard page and its JSON (docs/dashboard.md): the panels that the
apps register (``congress.dashboard``), for a region the user may see and a period."""

from __future__ import annotations

from typing import Any
from urllib.parse import urlencode

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from drf_spectacular.utils import OpenApiParameter, extend_schema, inline_serializer
from rest_framework import serializers
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from congress.dashboard import (
    Scope,
    breadcrumbs,
    dashboard_panels_for,
    dashboard_scope,
    drillable,
    period_choices,
)


def _region_json(scope: Scope) -> dict[str, Any]:
    region = scope.region
    return {"id": region.pk, "name": region.name, "level": region.level, "code": region.code}


@login_required
def dashboard(request: HttpRequest) -> HttpResponse:
    """Outside the user's jurisdiction (a region sideways or above) is a 404, as is
    the page for anyone but congress staff and administrators."""
    scope = dashboard_scope(request.user, request.GET)
    panels = dashboard_panels_for(scope)
    charts = {
        f"{panel.key}-{chart.key}": chart.as_json() for panel in panels for chart in panel.charts
    }
    context = {
        "scope": scope,
        "panels": panels,
        "charts": charts,
        "crumbs": breadcrumbs(request.user, scope.region),
        "children": [(child, scope.drill_url(child)) for child in scope.children],
        "drillable": drillable,
        "periods": period_choices(),
        "query": urlencode(scope.period.query()),
    }
    return render(request, "congress/dashboard.html", context)


_figure_fields: tuple[str, dict[str, Any]] = (
    "DashboardFigure",
    {
        "key": serializers.CharField(),
        "label": serializers.CharField(),
        "value": serializers.FloatField(allow_null=True),
        "unit": serializers.CharField(help_text="'%' for a rate, else a word or empty"),
        "more": serializers.BooleanField(help_text="a bounded count that reached its bound"),
        "definition": serializers.CharField(),
        "url": serializers.CharField(help_text="the filtered list behind it, or empty"),
    },
)
_series_fields: tuple[str, dict[str, Any]] = (
    "DashboardSeries",
    {
        "name": serializers.CharField(),
        "data": serializers.ListField(child=serializers.FloatField(allow_null=True)),
    },
)
_chart_fields: tuple[str, dict[str, Any]] = (
    "DashboardChart",
    {
        "key": serializers.CharField(),
        "title": serializers.CharField(),
        "kind": serializers.ChoiceField(choices=["line", "bar", "ranking", "map"]),
        "rows": serializers.ListField(child=serializers.CharField()),
        "series": inline_serializer(_series_fields[0], _series_fields[1], many=True),
        "definition": serializers.CharField(),
        "links": serializers.ListField(child=serializers.CharField()),
        "geo_url": serializers.CharField(
            required=False, help_text="a map's GeoJSON (same origin), only on kind 'map'"
        ),
        "geo_keys": serializers.ListField(
            child=serializers.CharField(), required=False, help_text="each row's area key"
        ),
    },
)
_table_fields: tuple[str, dict[str, Any]] = (
    "DashboardTable",
    {
        "key": serializers.CharField(),
        "title": serializers.CharField(),
        "columns": serializers.ListField(child=serializers.CharField()),
        "rows": serializers.ListField(child=serializers.ListField()),
        "definition": serializers.CharField(),
    },
)
_panel_fields: tuple[str, dict[str, Any]] = (
    "DashboardPanel",
    {
        "key": serializers.CharField(),
        "title": serializers.CharField(),
        "note": serializers.CharField(),
        "figures": inline_serializer(_figure_fields[0], _figure_fields[1], many=True),
        "charts": inline_serializer(_chart_fields[0], _chart_fields[1], many=True),
        "tables": inline_serializer(_table_fields[0], _table_fields[1], many=True),
    },
)
_dashboard = inline_serializer(
    "Dashboard",
    {
        "region": inline_serializer(
            "DashboardRegion",
            {
                "id": serializers.IntegerField(),
                "name": serializers.CharField(),
                "level": serializers.CharField(),
                "code": serializers.CharField(),
            },
        ),
        "period": inline_serializer(
            "DashboardPeriod",
            {
                "key": serializers.CharField(),
                "start": serializers.DateField(),
                "end": serializers.DateField(),
                "label": serializers.CharField(),
            },
        ),
        "children": serializers.ListField(child=serializers.DictField()),
        "panels": inline_serializer(_panel_fields[0], _panel_fields[1], many=True),
    },
)


class DashboardAPIView(APIView):
    """The dashboard's figures as JSON: the same panels, region and period as the page."""

    @extend_schema(
        operation_id="dashboard",
        summary="Staff dashboard figures for a region and period (docs/dashboard.md)",
        parameters=[
            OpenApiParameter(
                "region", int, description="a region in the user's jurisdiction (default: theirs)"
            ),
            OpenApiParameter(
                "period",
                str,
                enum=["this_month", "last_month", "this_year", "months"],
                description="default this_month",
            ),
            OpenApiParameter("from", str, description="YYYY-MM, with period=months"),
            OpenApiParameter("to", str, description="YYYY-MM, with period=months"),
        ],
        responses={200: _dashboard},
    )
    def get(self, request: Request) -> Response:
        scope = dashboard_scope(request.user, request.query_params)
        period = scope.period
        return Response(
            {
                "region": _region_json(scope),
                "period": {
                    "key": period.key,
                    "start": period.start,
                    "end": period.end,
                    "label": period.label,
                },
                "children": [
                    {"id": child.pk, "name": child.name, "drillable": drillable(child)}
                    for child in scope.children
                ],
                "panels": [panel.as_json() for panel in dashboard_panels_for(scope)],
            }
        )
