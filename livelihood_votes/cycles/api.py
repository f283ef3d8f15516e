"""The cycles' and proposals' API (docs/livelihood-call.md): scoped reads through the
selectors, steps through the action tables (``…/actions/<name>/``), and the public
counts of a call (no account, no proposer data, the core's rate limit)."""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet
from django.http import Http404
from drf_spectacular.utils import (
    OpenApiParameter,
    extend_schema,
    extend_schema_view,
    inline_serializer,
)
from rest_framework import serializers, viewsets
from rest_framework.decorators import action
from rest_framework.permissions import AllowAny
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from congress.api.actions import ActionRoute, action_schema, form_data
from congress.keyset import KeysetPagination
from congress.ratelimit import check
from congress.scoping import acting_user, get_visible_or_404
from livelihood_votes.cycles import actions, conf, selectors
from livelihood_votes.models import Cycle, Proposal
from livelihood_votes.models.cycles import ShortlistEntry


class CycleSerializer(serializers.ModelSerializer):
    phase = serializers.SerializerMethodField()
    region_name = serializers.CharField(source="region.name", read_only=True)

    class Meta:
        model = Cycle
        fields = [
            "id",
            "congress",
            "region",
            "region_name",
            "year",
            "title",
            "electorate",
            "phase",
            "call_opens_on",
            "call_closes_on",
            "screening_closes_on",
            "shortlist_closes_on",
            "vote_on",
            "implementation_starts_on",
            "midyear_on",
            "evaluation_opens_on",
            "evaluation_closes_on",
            "vote",
        ]
        read_only_fields = fields

    def get_phase(self, cycle: Cycle) -> str:
        return str(selectors.cycle_phase(cycle).value)


class ProposalSerializer(serializers.ModelSerializer):
    """A proposal for the staff who screen it: no proposer's phone or name."""

    class Meta:
        model = Proposal
        fields = [
            "id",
            "cycle",
            "channel",
            "theme",
            "region",
            "area",
            "title",
            "description",
            "place",
            "estimated_cost",
            "beneficiaries",
            "status",
            "screening_reason",
            "screening_note",
            "merged_into",
            "merged_count",
            "entry",
            "candidate",
            "created_at",
        ]
        read_only_fields = fields


class ShortlistEntrySerializer(serializers.ModelSerializer):
    proposal_count = serializers.IntegerField(read_only=True)

    class Meta:
        model = ShortlistEntry
        fields = [
            "id",
            "title",
            "description",
            "department",
            "budget",
            "deadline",
            "place",
            "order",
            "candidate",
            "proposal_count",
        ]
        read_only_fields = fields


class CountRowSerializer(serializers.Serializer):
    name = serializers.CharField()
    count = serializers.IntegerField()


class CallCountsSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    title = serializers.CharField()
    call_opens_on = serializers.DateField()
    call_closes_on = serializers.DateField()
    total = serializers.IntegerField()
    by_area = CountRowSerializer(many=True)
    by_theme = CountRowSerializer(many=True)


def _counts(cycle: Cycle) -> dict[str, Any]:
    counts = selectors.call_counts(cycle)
    return {
        "id": cycle.pk,
        "title": cycle.title,
        "call_opens_on": cycle.call_opens_on,
        "call_closes_on": cycle.call_closes_on,
        "total": counts.total,
        "by_area": [{"name": n, "count": c} for n, c in counts.by_area],
        "by_theme": [{"name": n, "count": c} for n, c in counts.by_theme],
    }


ACTION_INPUT = inline_serializer(
    "LivelihoodActionInput",
    {
        "note": serializers.CharField(required=False),
        "reason": serializers.CharField(required=False),
        "into": serializers.IntegerField(required=False),
    },
)


@extend_schema_view(
    act=action_schema(
        actions.CYCLE_ACTIONS,
        request=inline_serializer(
            "LivelihoodCycleActionInput",
            {
                "proposals": serializers.ListField(
                    child=serializers.IntegerField(), required=False
                ),
                "title": serializers.CharField(required=False),
                "description": serializers.CharField(required=False),
                "department": serializers.IntegerField(required=False),
                "budget": serializers.DecimalField(max_digits=12, decimal_places=2, required=False),
                "deadline": serializers.DateField(required=False),
                "place": serializers.CharField(required=False),
                "seats": serializers.IntegerField(required=False),
                "ballot_form": serializers.CharField(required=False),
            },
        ),
        responses=CycleSerializer,
        description="Take a step on the cycle: shortlist_add (列入候选项目, from accepted "
        "proposals), review_shortlist (候选项目清单审议: note) or create_vote "
        "(依候选项目清单创建票决, on a reviewed list). Open in the phases the action "
        "table names; an unknown name is 400, a step not allowed now 409.",
    )
)
class LivelihoodCycleViewSet(ActionRoute, viewsets.ReadOnlyModelViewSet):
    serializer_class = CycleSerializer
    filterset_fields = ["year", "congress"]

    def get_queryset(self) -> QuerySet[Cycle]:
        return selectors.cycle_list(self.request.user)

    def _cycle(self) -> Cycle:
        cycle = get_visible_or_404(
            selectors.visible_cycles(self.request.user), pk=self.kwargs["pk"]
        )
        return cycle

    @extend_schema(responses=ShortlistEntrySerializer(many=True))
    @action(detail=True, methods=["get"])
    def shortlist(self, request: Request, pk: str | None = None) -> Response:
        return Response(
            ShortlistEntrySerializer(selectors.shortlist(self._cycle()), many=True).data
        )

    @extend_schema(responses=CallCountsSerializer)
    @action(detail=True, methods=["get"])
    def counts(self, request: Request, pk: str | None = None) -> Response:
        return Response(CallCountsSerializer(_counts(self._cycle())).data)

    def action_object(self, pk: str) -> Cycle:
        cycle = self._cycle()
        if not selectors.manages(self.request.user, cycle):
            raise Http404
        return cycle

    def take_action(self, obj: Cycle, name: str, request: Request) -> None:
        actions.take_on_cycle(obj, name, acting_user(request), form_data(request))


@extend_schema_view(
    act=action_schema(
        actions.PROPOSAL_ACTIONS,
        request=ACTION_INPUT,
        responses=ProposalSerializer,
        description="Screen a proposal: accept (采纳), screen_out (不予采纳, with reason and "
        "note) or merge (合并, into: the id of the proposal kept). An unknown name is 400, "
        "a step not allowed now (or not yours) 409.",
    )
)
class LivelihoodProposalViewSet(ActionRoute, viewsets.ReadOnlyModelViewSet):
    serializer_class = ProposalSerializer
    pagination_class = KeysetPagination
    keyset_ordering = ("-created_at", "-pk")

    def get_queryset(self) -> QuerySet[Proposal]:
        rows = selectors.visible_proposals(self.request.user)
        cycle = self.request.query_params.get("cycle", "")
        if self.action == "list" and cycle.isdigit():
            found = selectors.visible_cycles(self.request.user).filter(pk=int(cycle)).first()
            if found is not None:
                rows = selectors.cycle_proposals(found, self.request.query_params)
        return rows

    @extend_schema(
        parameters=[
            OpenApiParameter("cycle", int, description="年度工作（筛选列表）"),
            OpenApiParameter("status", str),
            OpenApiParameter("channel", str),
            OpenApiParameter("theme", str),
            OpenApiParameter("area", int),
        ]
    )
    def list(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        return super().list(request, *args, **kwargs)

    def take_action(self, obj: Proposal, name: str, request: Request) -> None:
        actions.take_on_proposal(obj, name, acting_user(request), form_data(request))


class PublicCallList(APIView):
    """The calls open today (public: no account, no proposer data)."""

    authentication_classes: list[Any] = []
    permission_classes = [AllowAny]

    @extend_schema(responses=CallCountsSerializer(many=True), tags=["livelihood call (public)"])
    def get(self, request: Request) -> Response:
        check(request, group="livelihood-public", rate=conf.rate_tracking())
        rows = [_counts(cycle) for cycle in selectors.open_calls()[:50]]
        return Response(CallCountsSerializer(rows, many=True).data)


class PublicCallCounts(APIView):
    """How many proposals a call received, by area and theme (public)."""

    authentication_classes: list[Any] = []
    permission_classes = [AllowAny]

    @extend_schema(responses=CallCountsSerializer, tags=["livelihood call (public)"])
    def get(self, request: Request, pk: int) -> Response:
        check(request, group="livelihood-public", rate=conf.rate_tracking())
        cycle = selectors.public_cycle(pk)
        if cycle is None:
            raise Http404
        return Response(CallCountsSerializer(_counts(cycle)).data)
