from __future__ import annotations

import django_filters
from django.db.models import QuerySet
from drf_spectacular.utils import extend_schema
from rest_framework import viewsets
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from congress.api.serializers import DepartmentSerializer, MeSerializer, RegionSerializer
from congress.models import Department, Region
from congress.scoping import visible_departments, visible_regions


class RegionFilter(django_filters.FilterSet):
    name = django_filters.CharFilter(lookup_expr="icontains")
    within = django_filters.ModelChoiceFilter(
        queryset=Region.objects.all(), method="filter_within", label="within"
    )

    class Meta:
        model = Region
        fields = ["level", "parent", "code"]

    def filter_within(
        self, queryset: QuerySet[Region], name: str, value: Region
    ) -> QuerySet[Region]:
        return queryset.filter(path__startswith=value.path)


class RegionViewSet(viewsets.ReadOnlyModelViewSet):
    serializer_class = RegionSerializer
    filterset_class = RegionFilter

    def get_queryset(self) -> QuerySet[Region]:
        return visible_regions(self.request.user).order_by("path")


class DepartmentViewSet(viewsets.ReadOnlyModelViewSet):
    serializer_class = DepartmentSerializer
    filterset_fields = ["kind", "region", "parent", "is_active"]

    def get_queryset(self) -> QuerySet[Department]:
        return visible_departments(self.request.user)


class MeView(APIView):
    """The signed-in user and their roles."""

    @extend_schema(responses=MeSerializer)
    def get(self, request: Request) -> Response:
        return Response(MeSerializer(request.user).data)
