"""/api/v1/supervision/monitoring-…: a campaign's points and its aggregated results, read
through the same scoped reads as the pages (staff of the topic's region and above; 404
outside the scope). Nothing about who answered, and no free text, is served here.

The staff set up points here as on the pages, through the same forms and services of
supervision/monitoring.py: ``POST …/monitoring-points/`` (one point of a topic), ``POST
…/monitoring-points/bulk/`` (pasted lines, all or none), ``POST …/{id}/deactivate/`` and
``…/{id}/reactivate/`` (停用 / 启用). Bad input is a 400 naming each field.

A topic's questionnaire questions are read at ``GET …/monitoring-questions/?topic={id}`` (in
order) and ``…/monitoring-questions/{id}/``; a question is added at ``POST
…/supervision/topics/{id}/questionnaire/`` (supervision/api.py), and changed here as on the
questionnaire page, until the first answer: ``PATCH …/{id}/`` (修改, the page's
``QuestionForm`` over the question's current fields), ``POST …/{id}/move/`` (``{"move":
"up"}`` or ``"down"``: 上移 / 下移) and ``DELETE …/{id}/`` (删除), through
``question_update``, ``question_move`` and ``question_remove``. Once answered, each is a
400 and nothing changes."""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_field
from rest_framework import mixins, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.request import Request
from rest_framework.response import Response

from congress.api.actions import request_fields, valid
from congress.keyset import KeysetPagination
from supervision import monitoring as m
from supervision import monitoring_forms as mf
from supervision import selectors
from supervision.api import QuestionSerializer, merged, staff_user, visible_in_body
from supervision.models.monitoring import (
    MonitoringPoint,
    PointKind,
    SurveyQuestion,
    SurveyQuestionKind,
)
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
        body = request_fields(request)
        topic = visible_in_body(selectors.visible_topics(user), body, "topic")
        form = mf.PointForm(
            body, regions=m.regions_for(topic), representatives=m.representatives_for(topic)
        )
        point = m.point_create(topic=topic, by=user, **valid(form))
        return Response(self._read(point.pk), status=status.HTTP_201_CREATED)

    @extend_schema(request=PointsBulkInput, responses={201: MonitoringPointSerializer(many=True)})
    @action(detail=False, methods=["post"])
    def bulk(self, request: Request) -> Response:
        """批量添加: every line a point; one bad line adds none (its message names it)."""
        user = staff_user(request)
        body = request_fields(request)
        topic = visible_in_body(selectors.visible_topics(user), body, "topic")
        lines = valid(mf.PointsBulkForm(body))["lines"]
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


class QuestionEditInput(serializers.Serializer):
    """The fields to change; those left out keep their value (the page's ``QuestionForm``
    validates the whole question)."""

    kind = serializers.ChoiceField(choices=SurveyQuestionKind.choices, required=False)
    text = serializers.CharField(max_length=200, required=False)
    options = serializers.CharField(
        required=False, allow_blank=True, help_text="单选题：每行一个选项"
    )
    required = serializers.BooleanField(required=False)  # type: ignore[assignment]


MOVES = [("up", _("上移")), ("down", _("下移"))]


# A pattern, not an enum, in the schema: drf-spectacular would make any enum a component
# named after the field, a bare "MoveEnum" that another app's "move" could take too
# (congress/api/enums.py names the models' choice sets, and this is none).
@extend_schema_field({"type": "string", "pattern": "^(up|down)$"})
class MoveField(serializers.ChoiceField):
    """上移 (``up``) or 下移 (``down``)."""


class QuestionMoveInput(serializers.Serializer):
    move = MoveField(choices=MOVES, help_text="up：上移；down：下移")


class MonitoringQuestionViewSet(mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    """The questions of the questionnaires of the topics in the user's scope (staff of
    the topic's region and above); the staff edit, reorder and remove them."""

    serializer_class = QuestionSerializer
    pagination_class = None  # one questionnaire's questions, all on one answer

    def get_queryset(self) -> QuerySet[SurveyQuestion]:
        return m.visible_questions(self.request.user)

    @extend_schema(
        parameters=[
            OpenApiParameter("topic", OpenApiTypes.INT, OpenApiParameter.QUERY, required=True)
        ],
        responses=QuestionSerializer(many=True),
    )
    def list(self, request: Request) -> Response:
        """The topic's questions in their order (``topic`` missing: 400; out of scope: 404)."""
        found = visible_in_body(
            selectors.visible_topics(request.user), request.query_params, "topic"
        )
        return self._in_order(found.pk)

    @extend_schema(request=QuestionEditInput, responses=QuestionSerializer)
    def partial_update(self, request: Request, pk: str) -> Response:
        """修改: the fields sent over the question's current ones."""
        user = staff_user(request)
        question = self.get_object()
        current = {
            "kind": question.kind,
            "text": question.text,
            "options": question.options,
            "required": question.required,
        }
        form = mf.QuestionForm(merged(current, request_fields(request)))
        done = m.question_update(question=question, by=user, **valid(form))
        return Response(QuestionSerializer(done).data)

    @extend_schema(request=QuestionMoveInput, responses=QuestionSerializer(many=True))
    @action(detail=True, methods=["post"])
    def move(self, request: Request, pk: str) -> Response:
        """上移 / 下移: swap with the question before or after it (the first up or the
        last down stays); answers the questionnaire's questions in their new order."""
        user = staff_user(request)
        question = self.get_object()
        step = QuestionMoveInput(data=request_fields(request))
        step.is_valid(raise_exception=True)
        m.question_move(question=question, up=step.validated_data["move"] == "up", by=user)
        return self._in_order(question.questionnaire.topic_id)

    @extend_schema(request=None, responses={204: None})
    def destroy(self, request: Request, pk: str) -> Response:
        """删除 (until the first answer)."""
        user = staff_user(request)
        question = self.get_object()
        m.question_remove(question=question, by=user)
        return Response(status=status.HTTP_204_NO_CONTENT)

    def _in_order(self, topic_id: int) -> Response:
        """The topic's questions, in the order the questionnaire shows them."""
        rows = self.get_queryset().filter(questionnaire__topic_id=topic_id)
        return Response(QuestionSerializer(rows.order_by("position", "pk"), many=True).data)


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
