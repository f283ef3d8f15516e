"""/api/v1/evaluations/: the same scoped selectors, actions and services as the pages.

Evaluations are listed and read through ``visible_evaluations`` (keyset pages, newest
first); staff take the steps of ``actions.EVALUATION_ACTIONS`` with
``POST …/{id}/actions/{name}/``; a representative scores with ``POST …/{id}/ballot/``
(``{"scores": [{"subject", "criterion", "score"}, …]}``) and gets the receipt in the
answer; ``…/{id}/results/`` answers 409 (``results_not_published``) until the close.

Staff create a draft with ``POST …/evaluations/`` (docs/supervision-evaluation.md, "API"):
the new-evaluation page's form (``forms.EvaluationForm``: the criteria and the appointed
officials as its lines of text, the departments by id) and its service
(``services.evaluation_create``, which checks the jurisdiction). Bad input is a 400
naming each field (weights that do not add up to 100 name ``criteria``, a window that
ends before it starts names ``closes_at``); another region's congress is a 404, and so
is the write for anyone who is not staff (as the page). Refusals are ``{"code",
"message"}``.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from django.db.models import QuerySet
from django.http import Http404
from django.utils.translation import gettext as _
from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import ValidationError
from rest_framework.request import Request
from rest_framework.response import Response

from congress.api.actions import ActionRoute, action_schema, request_fields, valid
from congress.api.throttling import BallotCastThrottle, count_refused
from congress.ballots.errors import ResultsNotPublished
from congress.ballots.http import session_untouched
from congress.errors import RuleViolation
from congress.keyset import KeysetPagination
from congress.models import Congress, User
from congress.scoping import get_visible_or_404
from representatives.selectors import representative_of
from supervision import selectors as supervision_selectors
from supervision.api import staff_user, visible_in_body
from supervision.evaluation import actions, selectors, services
from supervision.evaluation.forms import EvaluationForm
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


class EvaluationCreateInput(serializers.Serializer):
    """The new-evaluation page's fields (validated by ``forms.EvaluationForm``)."""

    congress = serializers.IntegerField(help_text="人大（id）")
    title = serializers.CharField(max_length=200)
    year = serializers.IntegerField(min_value=2000, max_value=2100)
    opens_at = serializers.DateTimeField(help_text="开始评议时间")
    closes_at = serializers.DateTimeField(help_text="截止评议时间，须晚于开始评议时间")
    criteria = serializers.CharField(
        help_text="评议内容及权重：每行一项“名称 权重”，如“工作作风 30”，权重之和须为100"
    )
    departments = serializers.ListField(
        child=serializers.IntegerField(),
        required=False,
        help_text="评议部门（id，该人大所在行政区划及以下的部门）",
    )
    officials = serializers.CharField(
        required=False, allow_blank=True, help_text="评议的任命人员：每行一人“姓名，职务”"
    )
    delegation = serializers.IntegerField(
        required=False, allow_null=True, help_text="限定代表团（id）；不填则由全体在任代表评议"
    )


def _creation_form(user: User, congress: Congress, body: Mapping[str, Any]) -> EvaluationForm:
    """The page's form, its choices narrowed to the named congress: its region's
    departments (and below) and its own delegations."""
    return EvaluationForm(
        body,
        congresses=selectors.congresses_managed(user),
        departments=supervision_selectors.departments_for_region(congress.region),
        delegations=selectors.delegations_managed(user).filter(congress=congress),
    )


def _check_named_fields(data: dict[str, Any]) -> None:
    """The service's two rules that belong to one field, answered on that field (the
    service checks them again, for the page and every other caller)."""
    if data["closes_at"] <= data["opens_at"]:
        raise ValidationError({"closes_at": [_("截止评议时间须晚于开始评议时间。")]})
    try:
        services._check_criteria(data["criteria"])  # the service's own check, not a copy
    except RuleViolation as error:
        raise ValidationError({"criteria": [str(error.message)]}) from None


@extend_schema_view(
    act=action_schema(
        actions.EVALUATION_ACTIONS,
        request=None,
        responses=EvaluationSerializer,
    )
)
class EvaluationViewSet(ActionRoute, viewsets.ReadOnlyModelViewSet):
    pagination_class = KeysetPagination
    keyset_ordering = selectors.LIST_ORDER

    def get_serializer_class(self) -> type[serializers.BaseSerializer]:
        return EvaluationDetailSerializer if self.action == "retrieve" else EvaluationSerializer

    def get_queryset(self) -> QuerySet[Evaluation]:
        rows = selectors.visible_evaluations(self.request.user)
        if self.action == "retrieve":
            rows = rows.prefetch_related("criteria", "subjects")
        return rows

    @extend_schema(request=EvaluationCreateInput, responses={201: EvaluationDetailSerializer})
    def create(self, request: Request) -> Response:
        """A draft evaluation, as the new-evaluation page makes it (opened later with the
        ``evaluation_open`` step)."""
        user = staff_user(request)
        body = request_fields(request)
        congress = visible_in_body(selectors.congresses_managed(user), body, "congress")
        data = valid(_creation_form(user, congress, body))
        _check_named_fields(data)
        evaluation = services.evaluation_create(by=user, **data)
        created = (
            selectors.visible_evaluations(user)
            .prefetch_related("criteria", "subjects")
            .get(pk=evaluation.pk)
        )
        return Response(EvaluationDetailSerializer(created).data, status=status.HTTP_201_CREATED)

    def _evaluation(self) -> Evaluation:
        return get_visible_or_404(
            selectors.visible_evaluations(self.request.user), pk=self.kwargs["pk"]
        )

    def action_object(self, pk: str) -> Evaluation:
        return self._evaluation()  # 404 outside the scope; a step not theirs: 409

    def take_action(self, obj: Evaluation, name: str, request: Request) -> None:
        actions.take(name, obj, request.user)  # type: ignore[arg-type]

    def action_answer(self, obj: Evaluation, request: Request) -> Response:
        return Response(EvaluationSerializer(self._evaluation()).data)

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
