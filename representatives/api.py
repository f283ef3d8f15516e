"""The /api/v1/ endpoints of this app: the same scoped selectors and services as the pages.

Lists filter with the FilterSets of ``filters.py`` (level, region, group, station,
active …). Writes go through ``services``, which also check that every place a
request names lies in the user's jurisdiction (404 otherwise); a refusal is a
domain error that the core's exception handler turns into ``{"code", "message"}``.
"""

from __future__ import annotations

import datetime
from typing import Any

from django.core.exceptions import ValidationError as DjangoValidationError
from django.db.models import QuerySet
from django.http import Http404
from django.utils import timezone
from drf_spectacular.utils import (
    OpenApiParameter,
    extend_schema,
    extend_schema_field,
    inline_serializer,
)
from rest_framework import mixins, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.pagination import PageNumberPagination
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from congress.models import CongressLevel
from congress.scoping import acting_user, get_visible_or_404, is_staff_or_admin, visible_regions
from representatives import filters, points, selectors, services
from representatives.models import (
    Activity,
    ActivityParticipation,
    ContactLog,
    DutyShift,
    GridAssignment,
    Mandate,
    Representative,
    Station,
    StationMember,
    VoterDelegate,
)


class IsManager:
    """Writes to the registry, stations, duty and activities are for congress staff."""

    @staticmethod
    def check(request: Request) -> None:
        if not is_staff_or_admin(request.user):
            raise Http404


# --- serializers ---------------------------------------------------------------------------


class MandateSerializer(serializers.ModelSerializer):
    congress = serializers.CharField(source="term.congress.name", read_only=True, default=None)

    class Meta:
        model = Mandate
        fields = [
            "id",
            "representative",
            "level",
            "term",
            "congress",
            "constituency",
            "electoral_unit",
            "delegation",
            "group",
            "starts_on",
            "ends_on",
            "status",
            "end_reason",
        ]
        read_only_fields = ["status", "end_reason", "ends_on"]
        # No unique-together check here: it ran before the service's jurisdiction check
        # and told another district's staff which seats a representative holds. The
        # service refuses a second seat itself (and the constraint stays the referee).
        validators: list[Any] = []


class MandateEndSerializer(serializers.Serializer):
    ends_on = serializers.DateField()
    reason = serializers.CharField(max_length=200, allow_blank=True, default="")
    terminate = serializers.BooleanField(default=False)


class ActiveMandateSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    level = serializers.CharField()
    term = serializers.IntegerField(allow_null=True)


class RepresentativeSerializer(serializers.ModelSerializer):
    """The ID number is write-only here: the API never returns it, not even masked in full."""

    id_number = serializers.CharField(
        write_only=True, required=False, allow_blank=True, max_length=18
    )
    id_number_masked = serializers.CharField(source="masked_id_number", read_only=True)
    mandates = serializers.SerializerMethodField()
    public_url = serializers.CharField(source="get_public_url", read_only=True)

    class Meta:
        model = Representative
        fields = [
            "id",
            "name",
            "gender",
            "ethnicity",
            "birth_year",
            "party",
            "sector",
            "occupation",
            "workplace",
            "mobile",
            "phone_policy",
            "public_note",
            "region",
            "user",
            "id_number",
            "id_number_masked",
            "mandates",
            "public_url",
        ]
        read_only_fields = ["user"]

    @extend_schema_field(ActiveMandateSerializer(many=True))
    def get_mandates(self, obj: Representative) -> list[dict[str, Any]]:
        active = getattr(obj, "active_mandates", None)
        mandates = active if active is not None else obj.mandates.filter(status="active")
        return [{"id": m.pk, "level": m.level, "term": m.term_id} for m in mandates]


class StationSerializer(serializers.ModelSerializer):
    public_url = serializers.CharField(source="get_public_url", read_only=True)

    class Meta:
        model = Station
        fields = [
            "id",
            "name",
            "kind",
            "specialty",
            "region",
            "address",
            "latitude",
            "longitude",
            "opening_hours",
            "facilities",
            "phone",
            "description",
            "grids",
            "is_active",
            "public_url",
        ]


class StationMemberSerializer(serializers.ModelSerializer):
    class Meta:
        model = StationMember
        fields = ["id", "station", "representative", "role", "joined_on", "left_on", "is_active"]
        read_only_fields = ["joined_on", "left_on", "is_active"]
        validators: list[Any] = []  # the service: jurisdiction first, then "already there"


class DutyShiftSerializer(serializers.ModelSerializer):
    class Meta:
        model = DutyShift
        fields = [
            "id",
            "station",
            "representative",
            "date",
            "start_time",
            "end_time",
            "status",
            "reason",
            "published_at",
            "swapped_from",
            "pattern",
        ]
        read_only_fields = ["status", "reason", "published_at", "swapped_from", "pattern"]


class ShiftActionSerializer(serializers.Serializer):
    action = serializers.ChoiceField(
        choices=["serve", "take_leave", "mark_absent", "swap", "cancel"]
    )
    reason = serializers.CharField(max_length=200, allow_blank=True, default="")
    to_representative = serializers.PrimaryKeyRelatedField(
        queryset=Representative.objects.all(), required=False, allow_null=True
    )


class GridAssignmentSerializer(serializers.ModelSerializer):
    class Meta:
        model = GridAssignment
        fields = ["id", "representative", "grid", "starts_on", "ends_on", "is_active"]
        read_only_fields = ["starts_on", "ends_on", "is_active"]
        validators: list[Any] = []  # the service: jurisdiction first, then "already there"


class ContactLogSerializer(serializers.ModelSerializer):
    problems = serializers.ListField(
        child=serializers.CharField(max_length=500), write_only=True, required=False
    )
    problem_list = serializers.SerializerMethodField()
    idempotency_key = serializers.UUIDField(required=False)

    class Meta:
        model = ContactLog
        fields = [
            "id",
            "representative",
            "kind",
            "contacted_on",
            "station",
            "place",
            "people_count",
            "summary",
            "idempotency_key",
            "problems",
            "problem_list",
            "created_at",
        ]
        read_only_fields = ["representative", "created_at"]

    @extend_schema_field(serializers.ListField(child=serializers.CharField()))
    def get_problem_list(self, obj: ContactLog) -> list[str]:
        return [problem.text for problem in obj.problems.all()]


class ActivitySerializer(serializers.ModelSerializer):
    class Meta:
        model = Activity
        fields = [
            "id",
            "title",
            "kind",
            "region",
            "starts_at",
            "half_days",
            "place",
            "description",
            "capacity",
            "status",
        ]
        read_only_fields = ["status"]


class ParticipationSerializer(serializers.ModelSerializer):
    class Meta:
        model = ActivityParticipation
        fields = ["id", "activity", "representative", "attendance", "signed_up_at"]


class VoterDelegateSerializer(serializers.ModelSerializer):
    class Meta:
        model = VoterDelegate
        fields = [
            "id",
            "name",
            "gender",
            "kind",
            "region",
            "workplace",
            "mobile",
            "starts_on",
            "ends_on",
            "is_active",
        ]


# --- viewsets ------------------------------------------------------------------------------


class RepresentativeViewSet(viewsets.ModelViewSet):
    serializer_class = RepresentativeSerializer
    filterset_class = filters.RepresentativeFilter
    http_method_names = ["get", "post", "patch", "head", "options"]

    def get_queryset(self) -> QuerySet[Representative]:
        return selectors.with_active_mandates(
            selectors.visible_representatives(self.request.user)
        ).order_by("name", "pk")

    def perform_create(self, serializer: Any) -> None:
        IsManager.check(self.request)
        data = dict(serializer.validated_data)
        serializer.instance = services.representative_create(by=acting_user(self.request), **data)

    def perform_update(self, serializer: Any) -> None:
        IsManager.check(self.request)
        data = dict(serializer.validated_data)
        if not data.get("id_number"):
            data.pop("id_number", None)
        serializer.instance = services.representative_update(
            representative=serializer.instance, by=acting_user(self.request), **data
        )


class MandateViewSet(viewsets.ModelViewSet):
    serializer_class = MandateSerializer
    filterset_class = filters.MandateFilter
    http_method_names = ["get", "post", "head", "options"]

    def get_queryset(self) -> QuerySet[Mandate]:
        return selectors.visible_mandates(self.request.user).order_by("pk")

    def perform_create(self, serializer: Any) -> None:
        IsManager.check(self.request)
        data = dict(serializer.validated_data)
        serializer.instance = services.mandate_add(by=acting_user(self.request), **data)

    @extend_schema(request=MandateEndSerializer, responses=MandateSerializer)
    @action(detail=True, methods=["post"])
    def end(self, request: Request, pk: str | None = None) -> Response:
        IsManager.check(request)
        mandate = self.get_object()
        payload = MandateEndSerializer(data=request.data)
        payload.is_valid(raise_exception=True)
        services.mandate_end(mandate=mandate, by=acting_user(request), **payload.validated_data)
        return Response(MandateSerializer(mandate).data)


class StationViewSet(viewsets.ModelViewSet):
    serializer_class = StationSerializer
    filterset_class = filters.StationFilter
    http_method_names = ["get", "post", "patch", "head", "options"]

    def get_queryset(self) -> QuerySet[Station]:
        return (
            selectors.visible_stations(self.request.user).prefetch_related("grids").order_by("pk")
        )

    def perform_create(self, serializer: Any) -> None:
        IsManager.check(self.request)
        data = dict(serializer.validated_data)
        grids = data.pop("grids", [])
        serializer.instance = services.station_create(
            by=acting_user(self.request), grids=grids, **data
        )

    def perform_update(self, serializer: Any) -> None:
        IsManager.check(self.request)
        data = dict(serializer.validated_data)
        grids = data.pop("grids", None)
        serializer.instance = services.station_update(
            station=serializer.instance, by=acting_user(self.request), grids=grids, **data
        )


class StationMemberViewSet(
    mixins.CreateModelMixin, mixins.DestroyModelMixin, viewsets.ReadOnlyModelViewSet
):
    serializer_class = StationMemberSerializer
    filterset_class = filters.StationMemberFilter

    def get_queryset(self) -> QuerySet[StationMember]:
        return selectors.visible_station_members(self.request.user).order_by("pk")

    def perform_create(self, serializer: Any) -> None:
        IsManager.check(self.request)
        data = serializer.validated_data
        serializer.instance = services.station_member_add(
            station=data["station"],
            representative=data["representative"],
            role=data.get("role", "member"),
            by=acting_user(self.request),
        )

    def perform_destroy(self, instance: StationMember) -> None:
        IsManager.check(self.request)
        services.station_member_remove(member=instance, by=acting_user(self.request))


class DutyShiftViewSet(mixins.CreateModelMixin, viewsets.ReadOnlyModelViewSet):
    serializer_class = DutyShiftSerializer
    filterset_class = filters.DutyShiftFilter

    def get_queryset(self) -> QuerySet[DutyShift]:
        return selectors.visible_duty_shifts(self.request.user).order_by("date", "start_time")

    def perform_create(self, serializer: Any) -> None:
        IsManager.check(self.request)
        serializer.instance = services.duty_shift_create(
            by=acting_user(self.request), **serializer.validated_data
        )

    @extend_schema(request=ShiftActionSerializer, responses=DutyShiftSerializer)
    @action(detail=True, methods=["post"])
    def transition(self, request: Request, pk: str | None = None) -> Response:
        """serve / take_leave / mark_absent / swap / cancel (a representative: take_leave on
        their own shift only)."""
        shift = self.get_object()
        payload = ShiftActionSerializer(data=request.data)
        payload.is_valid(raise_exception=True)
        name = payload.validated_data["action"]
        reason = payload.validated_data["reason"]
        manages = selectors.manages_region(request.user, shift.station.region)
        if not manages and not (
            name == "take_leave" and shift.representative.user_id == request.user.pk
        ):
            raise Http404
        result = shift
        if name == "serve":
            services.duty_shift_serve(shift=shift, by=acting_user(request))
        elif name == "take_leave":
            services.duty_shift_take_leave(shift=shift, reason=reason, by=acting_user(request))
        elif name == "mark_absent":
            services.duty_shift_mark_absent(shift=shift, reason=reason, by=acting_user(request))
        elif name == "cancel":
            services.duty_shift_cancel(shift=shift, reason=reason, by=acting_user(request))
        else:
            target = payload.validated_data.get("to_representative")
            if target is None:
                raise serializers.ValidationError({"to_representative": "required"})
            result = services.duty_shift_swap(
                shift=shift,
                to_representative=target,
                reason=reason,
                by=acting_user(request),
            )
        return Response(DutyShiftSerializer(result).data)


class GridAssignmentViewSet(
    mixins.CreateModelMixin, mixins.DestroyModelMixin, viewsets.ReadOnlyModelViewSet
):
    serializer_class = GridAssignmentSerializer
    filterset_class = filters.GridAssignmentFilter

    def get_queryset(self) -> QuerySet[GridAssignment]:
        return selectors.visible_grid_assignments(self.request.user).order_by("pk")

    def perform_create(self, serializer: Any) -> None:
        IsManager.check(self.request)
        data = serializer.validated_data
        serializer.instance = services.grid_assign(
            representative=data["representative"],
            grid=data["grid"],
            by=acting_user(self.request),
        )

    def perform_destroy(self, instance: GridAssignment) -> None:
        IsManager.check(self.request)
        services.grid_unassign(assignment=instance, by=acting_user(self.request))


class ContactLogViewSet(
    mixins.CreateModelMixin, mixins.UpdateModelMixin, viewsets.ReadOnlyModelViewSet
):
    """A representative logs and edits their own contacts; staff read their region's.

    POST is idempotent on ``idempotency_key``: a resend answers 200 with the first log.
    """

    serializer_class = ContactLogSerializer
    filterset_class = filters.ContactLogFilter
    http_method_names = ["get", "post", "patch", "head", "options"]

    def get_queryset(self) -> QuerySet[ContactLog]:
        if self.action in ("update", "partial_update"):
            return selectors.own_contact_logs(self.request.user).prefetch_related("problems")
        return (
            selectors.visible_contact_logs(self.request.user)
            .prefetch_related("problems")
            .order_by("-contacted_on", "-pk")
        )

    def create(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        me = selectors.representative_of(request.user)
        if me is None:
            raise Http404
        serializer = self.get_serializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = dict(serializer.validated_data)
        log, created = services.contact_log_record(
            representative=me,
            by=acting_user(request),
            problems=data.pop("problems", []),
            **data,
        )
        return Response(
            self.get_serializer(log).data,
            status=status.HTTP_201_CREATED if created else status.HTTP_200_OK,
        )

    def perform_update(self, serializer: Any) -> None:
        data = dict(serializer.validated_data)
        data.pop("idempotency_key", None)
        problems = data.pop("problems", None)
        serializer.instance = services.contact_log_update(
            log=serializer.instance,
            by=acting_user(self.request),
            problems=problems,
            **data,
        )


class ActivityViewSet(mixins.CreateModelMixin, viewsets.ReadOnlyModelViewSet):
    serializer_class = ActivitySerializer
    filterset_class = filters.ActivityFilter

    def get_queryset(self) -> QuerySet[Activity]:
        return selectors.visible_activities(self.request.user).order_by("-starts_at", "-pk")

    def perform_create(self, serializer: Any) -> None:
        IsManager.check(self.request)
        serializer.instance = services.activity_create(
            by=acting_user(self.request), **serializer.validated_data
        )

    @extend_schema(request=None, responses=ParticipationSerializer)
    @action(detail=True, methods=["post"], url_path="sign-up")
    def sign_up(self, request: Request, pk: str | None = None) -> Response:
        me = selectors.representative_of(request.user)
        if me is None:
            raise Http404
        participation = services.activity_sign_up(
            activity=self.get_object(), representative=me, by=acting_user(request)
        )
        return Response(ParticipationSerializer(participation).data)


class VoterDelegateViewSet(viewsets.ModelViewSet):
    serializer_class = VoterDelegateSerializer
    filterset_class = filters.VoterDelegateFilter
    http_method_names = ["get", "post", "patch", "head", "options"]

    def get_queryset(self) -> QuerySet[VoterDelegate]:
        return selectors.visible_voter_delegates(self.request.user).order_by("pk")

    def perform_create(self, serializer: Any) -> None:
        IsManager.check(self.request)
        serializer.instance = services.voter_delegate_save(
            delegate=VoterDelegate(**serializer.validated_data),
            by=acting_user(self.request),
        )

    def perform_update(self, serializer: Any) -> None:
        IsManager.check(self.request)
        delegate = serializer.instance
        for name, value in serializer.validated_data.items():
            setattr(delegate, name, value)
        serializer.instance = services.voter_delegate_save(
            delegate=delegate, by=acting_user(self.request)
        )


class RankingRowSerializer(serializers.Serializer):
    representative = serializers.IntegerField()
    name = serializers.CharField()
    total = serializers.IntegerField()
    breakdown = serializers.ListField(
        child=inline_serializer(
            "PointLine",
            {
                "code": serializers.CharField(),
                "label": serializers.CharField(),
                "count": serializers.IntegerField(),
                "points": serializers.IntegerField(),
            },
        )
    )


class RankingView(APIView):
    """活跃度排名 for the staff's region, with the breakdown behind every total."""

    @extend_schema(
        parameters=[
            OpenApiParameter("region", int, required=False),
            OpenApiParameter("level", str, required=False, enum=CongressLevel.values),
            OpenApiParameter("start", datetime.date, required=False),
            OpenApiParameter("end", datetime.date, required=False),
        ],
        responses=inline_serializer(
            "PaginatedRankingRowList",
            {
                "count": serializers.IntegerField(),
                "next": serializers.URLField(allow_null=True),
                "previous": serializers.URLField(allow_null=True),
                "results": RankingRowSerializer(many=True),
            },
        ),
    )
    def get(self, request: Request) -> Response:
        IsManager.check(request)
        today = timezone.localdate()
        try:
            start = datetime.date.fromisoformat(
                request.query_params.get("start", f"{today.year}-01-01")
            )
            end = datetime.date.fromisoformat(request.query_params.get("end", today.isoformat()))
        except ValueError:
            raise serializers.ValidationError({"start": "YYYY-MM-DD"}) from None
        try:
            points.check_ranking_period(start, end)
        except DjangoValidationError as error:
            raise serializers.ValidationError({"end": error.messages}) from None
        region = request.query_params.get("region")
        within = (
            get_visible_or_404(visible_regions(request.user), pk=int(region))
            if region and region.isdigit()
            else None
        )
        ranked = points.ranking_list(
            request.user, start, end, region=within, level=request.query_params.get("level", "")
        )
        # Numbered pages as the other lists of the API; each ranked in SQL on its own.
        pager = PageNumberPagination()
        shown: list[points.PointTotal] | None = pager.paginate_queryset(
            ranked,  # type: ignore[arg-type]
            request,
            view=self,
        )
        rows = [
            {
                "representative": item.representative.pk,
                "name": item.representative.name,
                "total": item.total,
                "breakdown": [
                    {
                        "code": line.rule.code,
                        "label": line.rule.label,
                        "count": line.count,
                        "points": line.points,
                    }
                    for line in item.lines
                ],
            }
            for item in shown or []
        ]
        return pager.get_paginated_response(rows)
