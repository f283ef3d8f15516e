from __future__ import annotations

import django_filters
from django.db.models import QuerySet
from django.utils import timezone
from drf_spectacular.utils import extend_schema
from rest_framework import viewsets
from rest_framework.decorators import action
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from congress import loop
from congress.api.serializers import (
    AssignmentActionSerializer,
    AssignmentSerializer,
    CaseEventSerializer,
    DepartmentSerializer,
    MeSerializer,
    RegionSerializer,
)
from congress.errors import InvalidTransition, UnknownAction
from congress.models import OPEN_STATUSES, Assignment, Department, Region
from congress.scoping import acting_user, visible_departments, visible_regions
from congress.workflow import timeline


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


class AssignmentFilter(django_filters.FilterSet):
    overdue = django_filters.BooleanFilter(method="filter_overdue", label="overdue")
    due_before = django_filters.DateFilter(field_name="due_on", lookup_expr="lte")

    class Meta:
        model = Assignment
        fields = ["status", "case_type", "department", "role", "escalation_level"]

    def filter_overdue(
        self, queryset: QuerySet[Assignment], name: str, value: bool
    ) -> QuerySet[Assignment]:
        today = timezone.localdate()
        open_rows = queryset.filter(status__in=OPEN_STATUSES)
        return open_rows.filter(due_on__lt=today) if value else open_rows.filter(due_on__gte=today)


class AssignmentViewSet(viewsets.ReadOnlyModelViewSet):
    """Assignments the user may see (the same scope as the overdue page)."""

    serializer_class = AssignmentSerializer
    filterset_class = AssignmentFilter

    def get_queryset(self) -> QuerySet[Assignment]:
        return loop.visible_assignments(self.request.user).order_by("due_on", "pk")

    @extend_schema(responses=CaseEventSerializer(many=True))
    @action(detail=True, methods=["get"])
    def timeline(self, request: Request, pk: str | None = None) -> Response:
        assignment = self.get_object()
        events = timeline(assignment.case_type, assignment.case_id)
        return Response(CaseEventSerializer(events, many=True).data)

    @extend_schema(request=AssignmentActionSerializer, responses=AssignmentSerializer)
    @action(detail=True, methods=["post"])
    def act(self, request: Request, pk: str | None = None) -> Response:
        """Take one action (accept, request_return, reply, …) with the version you read."""
        assignment = self.get_object()
        data = AssignmentActionSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        user = acting_user(request)
        name = data.validated_data["action"]
        if name not in loop.GENERIC_ACTIONS:  # not a name of the table: an error, not a 409
            raise UnknownAction(name, loop.GENERIC_ACTIONS)
        if name not in loop.actions_for(user, assignment):
            raise InvalidTransition()
        loop.assignment_perform(
            assignment=assignment,
            by=user,
            **{key: data.validated_data[key] for key in ("action", "note", "until", "version")},
        )
        assignment.refresh_from_db()
        return Response(AssignmentSerializer(assignment).data)
