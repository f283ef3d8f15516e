"""/api/v1/supervision/topic-ideas/ and a topic's sources (docs/supervision-sources.md):
the same scoped reads and services as the pages. A region or a topic outside the
user's jurisdiction is a 404; a refusal is ``{"code", "message"}``."""

from __future__ import annotations

from typing import Any

from drf_spectacular.utils import OpenApiParameter, extend_schema, inline_serializer
from rest_framework import serializers, status
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from congress.scoping import acting_user, get_visible_or_404
from supervision import selectors, sources
from supervision.models.sources import TopicSource
from supervision.sources import services as source_services


class TopicSourceSerializer(serializers.ModelSerializer):
    url = serializers.SerializerMethodField()

    class Meta:
        model = TopicSource
        fields = ["id", "case_type", "case_id", "number", "title", "case_created_at", "url"]
        read_only_fields = fields

    def get_url(self, obj: TopicSource) -> str:
        return sources.source_lines([obj])[0].url


class LinkSerializer(serializers.Serializer):
    number = serializers.CharField(
        max_length=30, help_text="a problem's tracking code or a suggestion's number"
    )


_row = inline_serializer(
    "TopicIdeaRow",
    {
        "key": serializers.CharField(),
        "label": serializers.CharField(),
        "issues": serializers.IntegerField(),
        "suggestions": serializers.IntegerField(),
        "trend": serializers.ListField(child=serializers.IntegerField()),
        "unsatisfied_share": serializers.FloatField(allow_null=True),
    },
    many=True,
)
_ideas = inline_serializer(
    "TopicIdeas",
    {
        "region": serializers.DictField(),
        "months": serializers.ListField(child=serializers.CharField()),
        "category": _row,
        "place": _row,
        "department": _row,
    },
)


class TopicIdeasAPIView(APIView):
    """选题参考: the past twelve months' clusters of a region (the user's or below)."""

    @extend_schema(
        operation_id="supervision_topic_ideas",
        summary="Topic selection from the data (docs/supervision-sources.md)",
        parameters=[
            OpenApiParameter(
                "region", int, description="a region in the user's jurisdiction (default: theirs)"
            )
        ],
        responses={200: _ideas},
    )
    def get(self, request: Request) -> Response:
        scope = sources.idea_scope(request.user, request.query_params.get("region"))
        tables = sources.topic_ideas(scope)
        body: dict[str, Any] = {
            "region": {"id": scope.region.pk, "name": scope.region.name},
            "months": [f"{month:%Y-%m}" for month in scope.months],
        }
        for dimension, rows in tables.items():
            body[dimension] = [
                {
                    "key": row.key,
                    "label": row.label,
                    "issues": row.counts.get("issues", 0),
                    "suggestions": row.counts.get("suggestions", 0),
                    "trend": row.trend,
                    "unsatisfied_share": row.unsatisfied_share,
                }
                for row in rows
            ]
        return Response(body)


class TopicSourceListAPIView(APIView):
    """A topic's sources, newest first (at most 500), and linking one more by its number."""

    @extend_schema(
        operation_id="supervision_topic_sources",
        responses={200: TopicSourceSerializer(many=True)},
    )
    def get(self, request: Request, pk: int) -> Response:
        topic = get_visible_or_404(selectors.visible_topics(request.user), pk=pk)
        rows = sources.topic_sources(topic)[:500]
        return Response(TopicSourceSerializer(rows, many=True).data)

    @extend_schema(
        operation_id="supervision_topic_source_link",
        request=LinkSerializer,
        responses={201: TopicSourceSerializer},
    )
    def post(self, request: Request, pk: int) -> Response:
        topic = get_visible_or_404(selectors.visible_topics(request.user), pk=pk)
        data = LinkSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        source = source_services.topic_source_link_number(
            topic=topic, number=data.validated_data["number"], by=acting_user(request)
        )
        return Response(TopicSourceSerializer(source).data, status=status.HTTP_201_CREATED)


class TopicSourceDetailAPIView(APIView):
    @extend_schema(operation_id="supervision_topic_source_unlink", responses={204: None})
    def delete(self, request: Request, pk: int, source_id: int) -> Response:
        topic = get_visible_or_404(selectors.visible_topics(request.user), pk=pk)
        source = get_visible_or_404(
            sources.visible_sources(request.user), pk=source_id, topic=topic
        )
        source_services.topic_source_unlink(source=source, by=acting_user(request))
        return Response(status=status.HTTP_204_NO_CONTENT)
