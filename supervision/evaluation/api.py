"""/api/v1/evaluations/: the same scoped selectors, actions and services as the pages.

Evaluations are listed and read through ``visible_evaluations`` (keyset pages, newest
first); staff take the steps of ``actions.EVALUATION_ACTIONS`` with
``POST …/{id}/actions/{name}/``; a representative scores with ``POST …/{id}/ballot/``
(``{"scores": [{"subject", "criterion", "score"}, …]}``) and gets the receipt in the
answer; ``…/{id}/results/`` answers 409 (``results_not_published``) until the close.
Creating an evaluation is on its page only. Refusals are ``{"code", "message"}``.
"""

from __future__ import annotations

from django.db.models import QuerySet
from django.http import Http404
from drf_spectacular.utils import extend_schema
from rest_framework import serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.request import Request
from rest_framework.response import Response

from congress.api.throttling import BallotCastThrottle, count_refused
from congress.ballots.errors import ResultsNotPublished
from congress.ballots.http import session_untouched
from congress.keyset import KeysetPagination
from congress.scoping import get_visible_or_404
from representatives.selectors import representative_of
from supervision.evaluation import actions, selectors, services
from supervision.models.evaluation import (
    Evaluation,
    EvaluationCriterion,
    EvaluationStatus,
    EvaluationSubject,
)


class EvaluationCriterionSerializer(serializers.ModelSerializer):
    class Meta:
        model = EvaluationCriterion
        fields = ["id", "name", "weight", "order"]
        read_only_fields = fields


class EvaluationSubjectSerializer(serializers.ModelSerializer):
    class Meta:
        model = EvaluationSubject
        fields = ["id", "kind", "department", "name", "post", "order"]
        read_only_fields = fields


class EvaluationResultSerializer(serializers.ModelSerializer):
    class Meta:
        model = EvaluationSubject
        fields = ["id", "kind", "department", "name", "post", "score", "scored", "rank"]
        read_only_fields = fields


class EvaluationSerializer(serializers.ModelSerializer):
    congress_name = serializers.CharField(source="congress.name", read_only=True)

    class Meta:
        model = Evaluation
        fields = [
            "id",
            "congress",
            "congress_name",
            "title",
            "year",
            "opens_at",
            "closes_at",
            "delegation",
            "status",
            "electorate",
            "voted",
            "created_at",
            "published_at",
        ]
        read_only_fields = fields


class EvaluationDetailSerializer(EvaluationSerializer):
    criteria = EvaluationCriterionSerializer(many=True, read_only=True)
    subjects = EvaluationSubjectSerializer(many=True, read_only=True)

    class Meta(EvaluationSerializer.Meta):
        fields = [*EvaluationSerializer.Meta.fields, "criteria", "subjects"]
        read_only_fields = fields


class EvaluationScoreSerializer(serializers.Serializer):
    subject = serializers.IntegerField()
    criterion = serializers.IntegerField()
    score = serializers.IntegerField()


class EvaluationBallotSerializer(serializers.Serializer):
    scores = EvaluationScoreSerializer(many=True)

    def scores_by_cell(self) -> dict[tuple[int, int], int]:
        rows = self.validated_data["scores"]
        cells = {(row["subject"], row["criterion"]): row["score"] for row in rows}
        if len(cells) != len(rows):
            raise serializers.ValidationError({"scores": "a cell is listed twice"})
        return cells


class EvaluationReceiptSerializer(serializers.Serializer):
    receipt = serializers.CharField()


class EvaluationViewSet(viewsets.ReadOnlyModelViewSet):
    pagination_class = KeysetPagination
    keyset_ordering = selectors.LIST_ORDER

    def get_serializer_class(self) -> type[serializers.BaseSerializer]:
        return EvaluationDetailSerializer if self.action == "retrieve" else EvaluationSerializer

    def get_queryset(self) -> QuerySet[Evaluation]:
        rows = selectors.visible_evaluations(self.request.user)
        if self.action == "retrieve":
            rows = rows.prefetch_related("criteria", "subjects")
        return rows

    def _evaluation(self) -> Evaluation:
        return get_visible_or_404(
            selectors.visible_evaluations(self.request.user), pk=self.kwargs["pk"]
        )

    @extend_schema(request=None, responses=EvaluationSerializer)
    @action(detail=True, methods=["post"], url_path=r"actions/(?P<name>[a-z_]+)")
    def act(self, request: Request, pk: str | None = None, name: str = "") -> Response:
        evaluation = self._evaluation()  # 404 outside the scope; a step not theirs: 409
        done = actions.take(name, evaluation, request.user)  # type: ignore[arg-type]
        return Response(EvaluationSerializer(done).data)

    @extend_schema(request=EvaluationBallotSerializer, responses={201: EvaluationReceiptSerializer})
    # Not added to the per-user and per-token histories (a cast dated beside its voter).
    @action(detail=True, methods=["post"], throttle_classes=[BallotCastThrottle])
    @session_untouched
    def ballot(self, request: Request, pk: str | None = None) -> Response:
        try:
            evaluation = self._evaluation()
            representative = representative_of(request.user)
            if representative is None or not selectors.is_elector(evaluation, representative):
                raise Http404
            serializer = EvaluationBallotSerializer(data=request.data)
            serializer.is_valid(raise_exception=True)
            receipt = services.evaluation_score(
                evaluation=evaluation,
                representative=representative,
                scores=serializer.scores_by_cell(),
                by=request.user,  # type: ignore[arg-type]
            )
        except Exception:
            count_refused(request, self)
            raise
        response = Response({"receipt": receipt}, status=status.HTTP_201_CREATED)
        response["Cache-Control"] = "no-store"
        return response

    @extend_schema(responses=EvaluationResultSerializer(many=True))
    @action(detail=True, methods=["get"])
    def results(self, request: Request, pk: str | None = None) -> Response:
        evaluation = self._evaluation()
        if evaluation.status not in (EvaluationStatus.CLOSED, EvaluationStatus.PUBLISHED):
            raise ResultsNotPublished()
        return Response(EvaluationResultSerializer(selectors.ranking(evaluation), many=True).data)
