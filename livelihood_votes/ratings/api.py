"""/api/v1/livelihood-ratings/: the same scoped selectors, actions table and services as
the pages. Rounds are read through ``visible_ratings``; a voter casts with ``POST
…/{id}/ballot/`` (``marks``: {project id: satisfied | basic | dissatisfied}) and gets the
receipt in the answer; ``GET …/{id}/results/`` is the counted result (409 while open).
The staff's steps are ``POST /api/v1/livelihood-ratings/cycles/{cycle id}/actions/{name}/``
(open, close, publish; no fields). ``GET /api/v1/public/livelihood-ratings/{id}/`` is a
published result for everyone, with no voter data. Refusals are ``{"code", "message"}``.
"""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet
from django.http import Http404
from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import mixins, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.permissions import AllowAny
from rest_framework.request import Request
from rest_framework.response import Response

from congress.api.actions import ActionRoute, action_schema, form_data
from congress.ballots.errors import ResultsNotPublished
from congress.ballots.http import session_untouched
from congress.keyset import KeysetPagination
from congress.models.ballots import Rating
from congress.ratelimit import check
from congress.scoping import acting_user, get_visible_or_404
from livelihood_votes.models.ratings import RatingResult, RatingRound
from livelihood_votes.ratings import actions, conf, selectors, services


class RatingRoundSerializer(serializers.ModelSerializer):
    cycle_title = serializers.CharField(source="cycle.title", read_only=True)
    year = serializers.IntegerField(source="cycle.year", read_only=True)

    class Meta:
        model = RatingRound
        fields = [
            "id",
            "cycle",
            "cycle_title",
            "year",
            "status",
            "outcome_rule",
            "electorate",
            "opens_on",
            "closes_on",
            "opened_at",
            "closed_at",
            "published_at",
        ]
        read_only_fields = fields


class RatingResultSerializer(serializers.ModelSerializer):
    project_title = serializers.CharField(source="project.title", read_only=True)
    department_name = serializers.CharField(source="project.department.name", read_only=True)

    class Meta:
        model = RatingResult
        fields = [
            "project",
            "project_title",
            "department_name",
            "satisfied",
            "basic",
            "dissatisfied",
            "decision",
        ]
        read_only_fields = fields


class RatingOutcomeSerializer(serializers.Serializer):
    round = RatingRoundSerializer()
    ballots = serializers.IntegerField()
    void = serializers.IntegerField()
    blank = serializers.IntegerField()
    results = RatingResultSerializer(many=True)


class RatingBallotSerializer(serializers.Serializer):
    marks = serializers.DictField(child=serializers.ChoiceField(Rating.choices), allow_empty=True)


class RatingReceiptSerializer(serializers.Serializer):
    receipt = serializers.CharField()


def _outcome(rating: RatingRound) -> dict[str, Any]:
    figures = selectors.round_figures(rating)
    if figures is None:
        raise ResultsNotPublished()
    return {
        "round": RatingRoundSerializer(rating).data,
        "ballots": figures.ballots,
        "void": figures.void,
        "blank": figures.blank,
        "results": RatingResultSerializer(selectors.rating_results(rating), many=True).data,
    }


class RatingViewSet(viewsets.ReadOnlyModelViewSet):
    lookup_value_regex = r"\d+"
    serializer_class = RatingRoundSerializer
    pagination_class = KeysetPagination
    keyset_ordering = ("-opened_at", "-pk")
    filterset_fields = ["status", "cycle"]

    def get_queryset(self) -> QuerySet[RatingRound]:
        return selectors.visible_ratings(self.request.user)

    @extend_schema(request=RatingBallotSerializer, responses={201: RatingReceiptSerializer})
    @action(detail=True, methods=["post"])
    @session_untouched
    def ballot(self, request: Request, pk: str) -> Response:
        """Cast the signed-in voter's ballot. Outside the frozen electorate: 403 with a
        clear message, nothing recorded."""
        rating = get_visible_or_404(self.get_queryset(), pk=pk)
        data = RatingBallotSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        receipt = services.rating_cast(
            rating=rating, choices=data.validated_data["marks"], by=acting_user(request)
        )
        return Response({"receipt": receipt}, status=status.HTTP_201_CREATED)

    @extend_schema(responses=RatingOutcomeSerializer)
    @action(detail=True, methods=["get"])
    def results(self, request: Request, pk: str) -> Response:
        rating = get_visible_or_404(self.get_queryset(), pk=pk)
        return Response(_outcome(rating))


@extend_schema_view(
    act=action_schema(
        actions.RATING_ACTIONS,
        request=None,
        responses=RatingRoundSerializer,
        description="Take a step by name (open, close, publish; no fields). An unknown "
        "name: 400; not allowed now: 409.",
    )
)
class RatingCycleViewSet(ActionRoute, viewsets.GenericViewSet):
    """The staff's steps on a cycle's rating, by name (open, close, publish)."""

    serializer_class = RatingRoundSerializer
    lookup_value_regex = r"\d+"

    def get_queryset(self) -> QuerySet[Any]:
        return selectors.rating_cycles(self.request.user)

    def take_action(self, obj: Any, name: str, request: Request) -> None:
        actions.take(obj, name, acting_user(request), form_data(request))

    def action_answer(self, obj: Any, request: Request) -> Response:
        """The cycle's rating round after the step (every step leaves one)."""
        rating = actions.round_of(obj)
        if rating is None:  # pragma: no cover - every step leaves a round
            raise Http404
        return Response(RatingRoundSerializer(rating).data)


class PublicRatingViewSet(mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    """A published rating's result, for everyone: projects, counts, decisions."""

    authentication_classes: list[Any] = []
    permission_classes = [AllowAny]
    serializer_class = RatingOutcomeSerializer
    lookup_value_regex = r"\d+"

    def get_queryset(self) -> QuerySet[RatingRound]:
        return selectors.published_ratings()

    @extend_schema(responses=RatingOutcomeSerializer, tags=["livelihood (public)"])
    def retrieve(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        check(request, group="livelihood-rating-public", rate=conf.public_rate())
        rating = get_visible_or_404(self.get_queryset(), pk=kwargs["pk"])
        return Response(_outcome(rating))
