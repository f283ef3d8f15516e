"""/api/v1/supervision/meetings/ and /api/v1/supervision/agenda-items/: the same scoped
selectors, action table and services as the pages. Meetings are read-only here (staff
schedule them on their page); an agenda item's steps are ``POST …/{id}/actions/{name}/``
(``report_submit``: ``text``; ``evaluation_open``, ``evaluation_close``: no fields), and a
member casts a ballot with ``POST …/{id}/ballot/`` (``mark``: one of the three levels) and
gets the receipt in the answer. Refusals are ``{"code", "message"}``.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from django.db.models import QuerySet
from django.http import Http404
from drf_spectacular.utils import extend_schema
from rest_framework import serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.request import Request
from rest_framework.response import Response

from congress.ballots.http import session_untouched
from congress.keyset import KeysetPagination
from congress.models.ballots import Rating
from congress.scoping import acting_user, get_visible_or_404
from supervision.meetings import actions, selectors, services
from supervision.models.meetings import AgendaItem, EvaluationVote, Meeting, ReviewOpinion


class MeetingSerializer(serializers.ModelSerializer):
    congress_name = serializers.CharField(source="congress.name", read_only=True)

    class Meta:
        model = Meeting
        fields = ["id", "congress", "congress_name", "number", "held_on", "venue", "status"]
        read_only_fields = fields


class AgendaItemSerializer(serializers.ModelSerializer):
    department_name = serializers.CharField(source="department.name", read_only=True, default="")
    vote_status = serializers.SerializerMethodField()
    vote_outcome = serializers.SerializerMethodField()

    class Meta:
        model = AgendaItem
        fields = [
            "id",
            "meeting",
            "kind",
            "title",
            "position",
            "topic",
            "department",
            "department_name",
            "due_on",
            "status",
            "received_at",
            "late",
            "re_report_of",
            "vote_status",
            "vote_outcome",
        ]
        read_only_fields = fields

    def _vote(self, item: AgendaItem) -> EvaluationVote | None:
        try:
            return item.vote
        except EvaluationVote.DoesNotExist:
            return None

    def get_vote_status(self, item: AgendaItem) -> str | None:
        vote = self._vote(item)
        return None if vote is None else vote.status

    def get_vote_outcome(self, item: AgendaItem) -> str | None:
        vote = self._vote(item)
        return None if vote is None or not vote.outcome else vote.outcome


class MeetingRatingBallotSerializer(serializers.Serializer):
    mark = serializers.ChoiceField(Rating.choices)


class MeetingReceiptSerializer(serializers.Serializer):
    receipt = serializers.CharField()


class MeetingViewSet(viewsets.ReadOnlyModelViewSet):
    serializer_class = MeetingSerializer
    pagination_class = KeysetPagination
    keyset_ordering = ("-held_on", "-pk")
    filterset_fields = ["status", "congress"]

    def get_queryset(self) -> QuerySet[Meeting]:
        return selectors.visible_meetings(self.request.user)


class AgendaItemViewSet(viewsets.ReadOnlyModelViewSet):
    serializer_class = AgendaItemSerializer
    pagination_class = KeysetPagination
    keyset_ordering = ("-id", "-pk")
    filterset_fields = ["meeting", "kind", "status"]

    def get_queryset(self) -> QuerySet[AgendaItem]:
        return selectors.visible_items(self.request.user).select_related("vote")

    @extend_schema(
        request=None,
        responses=AgendaItemSerializer,
        description="Take a step by name (report_submit: text and/or attachment, a file sent as "
        "multipart; evaluation_open, "
        "evaluation_close: no fields). An unknown name: 400; not allowed now: 409.",
    )
    @action(detail=True, methods=["post"], url_path=r"actions/(?P<action_name>[a-z_]+)")
    def act(self, request: Request, pk: str, action_name: str) -> Response:
        item = get_visible_or_404(selectors.visible_items(request.user), pk=pk)
        declared = actions.item_action(action_name)
        if not isinstance(request.data, Mapping):
            raise serializers.ValidationError("a JSON object is expected")
        form = declared.form(request.data, request.FILES)
        if not form.is_valid():
            raise serializers.ValidationError(
                {name: [str(e) for e in errors] for name, errors in form.errors.items()}
            )
        actions.take_item(action_name, item, form.cleaned_data, acting_user(request))
        fresh = self.get_queryset().get(pk=item.pk)
        return Response(AgendaItemSerializer(fresh).data)

    @extend_schema(request=MeetingRatingBallotSerializer, responses={201: MeetingReceiptSerializer})
    @action(detail=True, methods=["post"])
    @session_untouched
    def ballot(self, request: Request, pk: str) -> Response:
        item = get_visible_or_404(selectors.visible_items(request.user), pk=pk)
        vote: Any = getattr(item, "vote", None)
        if vote is None or not selectors.item_parties(request.user, item).member:
            raise Http404
        data = MeetingRatingBallotSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        receipt = services.evaluation_cast(
            vote=vote, choices={item.pk: data.validated_data["mark"]}, by=acting_user(request)
        )
        return Response({"receipt": receipt}, status=status.HTTP_201_CREATED)


class ReviewOpinionSerializer(serializers.ModelSerializer):
    department_name = serializers.CharField(source="department.name", read_only=True)

    class Meta:
        model = ReviewOpinion
        fields = [
            "id",
            "item",
            "department",
            "department_name",
            "text",
            "status",
            "due_on",
            "handling_report",
            "handled_at",
            "late",
            "heard_at",
        ]
        read_only_fields = fields


class OpinionViewSet(viewsets.ReadOnlyModelViewSet):
    """审议意见: staff see their region's, a clerk those issued to their bodies. Steps:
    ``POST …/{id}/actions/{name}/`` (opinion_issue; opinion_report_handling: text;
    opinion_schedule: meeting, its number 第N次)."""

    serializer_class = ReviewOpinionSerializer
    pagination_class = KeysetPagination
    keyset_ordering = ("-created_at", "-pk")
    filterset_fields = ["status", "department"]

    def get_queryset(self) -> QuerySet[ReviewOpinion]:
        return selectors.visible_opinions(self.request.user)

    @extend_schema(
        request=None,
        responses=ReviewOpinionSerializer,
        description="Take a step by name. An unknown name: 400; not allowed now: 409.",
    )
    @action(detail=True, methods=["post"], url_path=r"actions/(?P<action_name>[a-z_]+)")
    def act(self, request: Request, pk: str, action_name: str) -> Response:
        opinion = get_visible_or_404(self.get_queryset(), pk=pk)
        declared = actions.opinion_action(action_name)
        if not isinstance(request.data, Mapping):
            raise serializers.ValidationError("a JSON object is expected")
        form = declared.form(request.data)
        if not form.is_valid():
            raise serializers.ValidationError(
                {name: [str(e) for e in errors] for name, errors in form.errors.items()}
            )
        actions.take_opinion(action_name, opinion, form.cleaned_data, acting_user(request))
        return Response(ReviewOpinionSerializer(self.get_queryset().get(pk=opinion.pk)).data)
