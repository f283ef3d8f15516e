"""/api/v1/supervision/monitoring-…: a campaign's points and its aggregated results, read
through the same scoped reads as the pages (staff of the topic's region and above; 404
outside the scope). Nothing about who answered, and no free text, is served here."""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import serializers, viewsets
from rest_framework.request import Request
from rest_framework.response import Response

from congress.keyset import KeysetPagination
from supervision import monitoring as m
from supervision import selectors
from supervision.models.monitoring import MonitoringPoint
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


class MonitoringPointViewSet(viewsets.ReadOnlyModelViewSet):
    """The points of the topics in the user's scope (``?topic=`` for one topic's)."""

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
