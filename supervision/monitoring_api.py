"""/api/v1/supervision/monitoring-…: a campaign's points and its aggregated results, read
through the same scoped reads as the pages (staff of the topic's region and above; 404
outside the scope). Nothing about who answered, and no free text, is served here.

The staff set up points here as on the pages, through the same forms and services of
supervision/monitoring.py: ``POST …/monitoring-points/`` (one point of a topic), ``POST
…/monitoring-points/bulk/`` (pasted lines, all or none), ``POST …/{id}/deactivate/`` and
``…/{id}/reactivate/`` (停用 / 启用). Bad input is a 400 naming each field."""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import mixins, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.request import Request
from rest_framework.response import Response

from congress.keyset import KeysetPagination
from supervision import monitoring as m
from supervision import monitoring_forms as mf
from supervision import selectors
from supervision.api import _body, _valid, staff_user, visible_in_body
from supervision.models.monitoring import MonitoringPoint, PointKind
from supervision.models.topics import Topic


class MonitoringPointSerializer(serializers.ModelSerializer):
    region_name = serializers.CharField(source="region.name", read_only=True)
    representative_name = serializers.CharField(
        source="representative.name", read_only=True, default=""
    )

    class Meta:
        model = MonitoringPoint
        fields = [
            "id",
            "topic",
            "kind",
            "name",
            "region",
            "region_name",
            "representative",
            "representative_name",
            "is_active",
            "answers",
            "last_answer_at",
            "created_at",
        ]
        read_only_fields = fields


class OptionResultSerializer(serializers.Serializer):
    option = serializers.CharField(source="label")
    count = serializers.IntegerField()
    percent = serializers.DecimalField(max_digits=4, decimal_places=1, allow_null=True)


class QuestionResultSerializer(serializers.Serializer):
    id = serializers.IntegerField(source="question.pk")
    text = serializers.CharField(source="question.text")
    kind = serializers.CharField(source="question.kind")
    total = serializers.IntegerField()
    options = OptionResultSerializer(many=True)
    satisfied = serializers.DecimalField(max_digits=4, decimal_places=1, allow_null=True)


class MonitoringResultsSerializer(serializers.Serializer):
    topic = serializers.IntegerField()
    responses = serializers.IntegerField()
    questions = QuestionResultSerializer(many=True)


class PointCreateInput(serializers.Serializer):
    topic = serializers.IntegerField(help_text="议题（id）")
    name = serializers.CharField(max_length=100)
    kind = serializers.ChoiceField(choices=PointKind.choices)
    region = serializers.IntegerField(help_text="所在地区（id，乡镇街道或村社区）")
    representative = serializers.IntegerField(
        required=False, allow_null=True, help_text="联系代表（id）"
    )


class PointsBulkInput(serializers.Serializer):
    topic = serializers.IntegerField(help_text="议题（id）")
    lines = serializers.CharField(
        help_text="每行一个：名称, 类型（联系点、调查点、观察点）, 区划代码"
    )


class MonitoringPointViewSet(
    mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet
):
    """The points of the topics in the user's scope (``?topic=`` for one topic's); the
    staff add them and switch them off and on."""

    serializer_class = MonitoringPointSerializer
    pagination_class = KeysetPagination
    keyset_ordering = m.POINT_ORDER

    @extend_schema(parameters=[OpenApiParameter("topic", OpenApiTypes.INT, OpenApiParameter.QUERY)])
    def list(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        return super().list(request, *args, **kwargs)

    def get_queryset(self) -> QuerySet[MonitoringPoint]:
        rows = m.visible_points(self.request.user)
        topic = self.request.query_params.get("topic", "")
        if self.action == "list" and topic.isdigit():
            rows = rows.filter(topic_id=int(topic))
        return rows

    @extend_schema(request=PointCreateInput, responses={201: MonitoringPointSerializer})
    def create(self, request: Request) -> Response:
        user = staff_user(request)
        body = _body(request)
        topic = visible_in_body(selectors.visible_topics(user), body, "topic")
        form = mf.PointForm(
            body, regions=m.regions_for(topic), representatives=m.representatives_for(topic)
        )
        point = m.point_create(topic=topic, by=user, **_valid(form))
        return Response(self._read(point.pk), status=status.HTTP_201_CREATED)

    @extend_schema(request=PointsBulkInput, responses={201: MonitoringPointSerializer(many=True)})
    @action(detail=False, methods=["post"])
    def bulk(self, request: Request) -> Response:
        """批量添加: every line a point; one bad line adds none (its message names it)."""
        user = staff_user(request)
        body = _body(request)
        topic = visible_in_body(selectors.visible_topics(user), body, "topic")
        lines = _valid(mf.PointsBulkForm(body))["lines"]
        created = m.points_bulk_create(topic=topic, text=lines, by=user)
        rows = self.get_queryset().filter(pk__in=[point.pk for point in created])
        data = MonitoringPointSerializer(rows.order_by(*m.POINT_ORDER), many=True).data
        return Response(data, status=status.HTTP_201_CREATED)

    @extend_schema(request=None, responses=MonitoringPointSerializer)
    @action(detail=True, methods=["post"])
    def deactivate(self, request: Request, pk: str) -> Response:
        """停用: the point's QR code opens the "closed" page (409 if already off)."""
        user = staff_user(request)
        point = self.get_object()
        m.point_set_active(point=point, active=False, by=user)
        return Response(self._read(point.pk))

    @extend_schema(request=None, responses=MonitoringPointSerializer)
    @action(detail=True, methods=["post"])
    def reactivate(self, request: Request, pk: str) -> Response:
        """启用 again (409 if already on)."""
        user = staff_user(request)
        point = self.get_object()
        m.point_set_active(point=point, active=True, by=user)
        return Response(self._read(point.pk))

    def _read(self, pk: int) -> dict[str, Any]:
        return dict(MonitoringPointSerializer(self.get_queryset().get(pk=pk)).data)


class MonitoringResultsViewSet(viewsets.GenericViewSet):
    """A topic's questionnaire results: counts and shares per option, the satisfaction
    share of each 满意度 question, the number of texts of a free-text question."""

    serializer_class = MonitoringResultsSerializer
    pagination_class = None

    def get_queryset(self) -> QuerySet[Topic]:
        return selectors.visible_topics(self.request.user)

    def retrieve(self, request: Request, pk: str) -> Response:
        topic = self.get_object()
        found = m.questionnaire_of(topic)
        data = {
            "topic": topic.pk,
            "responses": found.responses if found else 0,
            "questions": m.question_results(found),
        }
        return Response(MonitoringResultsSerializer(data).data)
