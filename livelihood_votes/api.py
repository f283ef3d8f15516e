"""/api/v1/livelihood-votes/: the same scoped selectors and services as the pages.

Votes and their candidates are read-only here (staff prepare a vote on its page); the
managing staff take its steps (开始, 结束, 取消) with ``POST …/{id}/actions/<name>/``
from the one declaration in ``actions.py``; a representative (in a subdistrict's vote,
a voter delegate with a login) casts a ballot with ``POST …/{id}/ballot/`` and gets the
receipt in the answer; results and the published ballot list answer 409 (``results_not_published``)
until the vote is closed, for everyone. Refusals are ``{"code", "message"}``.
"""

from __future__ import annotations

from django.db.models import QuerySet
from django.http import Http404
from drf_spectacular.utils import (
    OpenApiParameter,
    extend_schema,
    extend_schema_view,
    inline_serializer,
)
from rest_framework import serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.request import Request
from rest_framework.response import Response

from congress.api.actions import ActionRoute, action_schema, form_data
from congress.api.throttling import BallotCastThrottle, count_refused
from congress.ballots.http import session_untouched
from congress.models import PublishedBallot
from congress.scoping import acting_user, get_visible_or_404
from livelihood_votes import actions, selectors, services
from livelihood_votes.errors import ResultsNotPublished
from livelihood_votes.models import BallotForm, Candidate, LivelihoodVote, Mark, VoteStatus
from representatives.models import Representative


class VoteSerializer(serializers.ModelSerializer):
    congress_name = serializers.CharField(source="congress.name", read_only=True)
    candidate_count = serializers.IntegerField(read_only=True)

    class Meta:
        model = LivelihoodVote
        fields = [
            "id",
            "congress",
            "congress_name",
            "session",
            "year",
            "title",
            "seats",
            "ballot_form",
            "pass_base",
            "runoff_of",
            "status",
            "electorate",
            "opened_at",
            "closed_at",
            "candidate_count",
        ]
        read_only_fields = fields


class CandidateSerializer(serializers.ModelSerializer):
    department_name = serializers.CharField(source="department.name", read_only=True, default="")

    class Meta:
        model = Candidate
        fields = [
            "id",
            "title",
            "summary",
            "department",
            "department_name",
            "budget",
            "deadline",
            "order",
        ]
        read_only_fields = fields


class BallotCastSerializer(serializers.Serializer):
    """``selected``: the ids of the approved projects (select forms);
    ``choices``: {candidate id: approve/oppose/abstain} for every project (per-project form)."""

    selected = serializers.ListField(child=serializers.IntegerField(), required=False)
    choices = serializers.DictField(child=serializers.ChoiceField(Mark.choices), required=False)

    def marks(self, vote: LivelihoodVote) -> dict[int, str]:
        data = self.validated_data
        if vote.ballot_form == BallotForm.PER_CANDIDATE:
            if "choices" not in data:
                raise serializers.ValidationError({"choices": "required for this ballot form"})
            try:
                return {int(pk): choice for pk, choice in data["choices"].items()}
            except ValueError:
                raise serializers.ValidationError({"choices": "keys are candidate ids"}) from None
        if "selected" not in data:
            raise serializers.ValidationError({"selected": "required for this ballot form"})
        if len(set(data["selected"])) != len(data["selected"]):
            raise serializers.ValidationError({"selected": "a project is listed twice"})
        return dict.fromkeys(data["selected"], Mark.APPROVE)


class ReceiptSerializer(serializers.Serializer):
    receipt = serializers.CharField()


class ResultRowSerializer(serializers.Serializer):
    candidate = serializers.IntegerField(source="candidate.pk")
    title = serializers.CharField(source="candidate.title")
    approvals = serializers.IntegerField()
    opposes = serializers.IntegerField()
    abstains = serializers.IntegerField()
    passed = serializers.BooleanField()
    elected = serializers.BooleanField()
    tied = serializers.BooleanField()


class ResultsSerializer(serializers.Serializer):
    electorate = serializers.IntegerField()
    participants = serializers.IntegerField()
    ballots = serializers.IntegerField()
    void_ballots = serializers.IntegerField()
    quorum_needed = serializers.IntegerField()
    quorate = serializers.BooleanField()
    pass_base = serializers.CharField()
    approvals_needed = serializers.IntegerField()
    runoff_seats = serializers.IntegerField()
    tied = serializers.SerializerMethodField()
    rows = ResultRowSerializer(many=True)

    def get_tied(self, tally: selectors.Tally) -> list[int]:
        return [candidate.pk for candidate in tally.tied]


class PublishedBallotSerializer(serializers.ModelSerializer):
    """A ballot as published: its receipt and its marks ({candidate id: mark}), so that
    anyone who may read the list can recount it."""

    class Meta:
        model = PublishedBallot
        fields = ["receipt", "source", "sheet", "marks", "void", "void_reason"]


@extend_schema_view(
    act=action_schema(
        actions.VOTE_ACTIONS,
        request=inline_serializer(
            "VoteActionInput",
            {"reason": serializers.CharField(required=False, max_length=200)},
        ),
        responses=VoteSerializer,
        description="Take one of the managing staff's steps on the vote: open (开始投票), "
        "close (结束投票并计票) or cancel (取消票决; reason optional). An unknown name is 400 "
        "(unknown_action), a step not allowed now (or not yours) 409.",
    )
)
class LivelihoodVoteViewSet(ActionRoute, viewsets.ReadOnlyModelViewSet):
    serializer_class = VoteSerializer
    filterset_fields = ["status", "year", "congress"]

    def get_queryset(self) -> QuerySet[LivelihoodVote]:
        return selectors.vote_list(self.request.user)

    def _vote(self, *related: str) -> LivelihoodVote:
        rows = selectors.visible_votes(self.request.user)
        return get_visible_or_404(
            rows.select_related(*related) if related else rows, pk=self.kwargs["pk"]
        )

    @extend_schema(responses=CandidateSerializer(many=True))
    @action(detail=True, methods=["get"])
    def candidates(self, request: Request, pk: str | None = None) -> Response:
        vote = self._vote()
        rows = selectors.vote_candidates(vote)
        return Response(CandidateSerializer(rows, many=True).data)

    def action_object(self, pk: str) -> LivelihoodVote:
        return self._vote()

    def take_action(self, obj: LivelihoodVote, name: str, request: Request) -> None:
        actions.take(obj, name, acting_user(request), form_data(request))

    @extend_schema(request=BallotCastSerializer, responses={201: ReceiptSerializer})
    # Not added to the per-user and per-token histories (a cast dated beside its voter);
    # a refused attempt is counted as any other call.
    @action(detail=True, methods=["post"], throttle_classes=[BallotCastThrottle])
    @session_untouched  # a session cookie sent beside the token: its row is not re-dated
    def ballot(self, request: Request, pk: str | None = None) -> Response:
        try:
            vote = self._vote("box")  # the ballot box in the same read: a cast is the hot path
            voter = selectors.voter_of(request.user, vote)
            # A seat now (one read of the seats), or a subdistrict's delegate; the frozen
            # electorate is the service's check.
            if voter is None or (
                isinstance(voter, Representative) and not selectors.holds_seat(voter, vote.congress)
            ):
                raise Http404
            serializer = BallotCastSerializer(data=request.data)
            serializer.is_valid(raise_exception=True)
            receipt = services.ballot_cast(
                vote=vote,
                voter=voter,
                choices=serializer.marks(vote),
                by=request.user,  # type: ignore[arg-type]
            )
        except Exception:
            count_refused(request, self)
            raise
        response = Response({"receipt": receipt}, status=status.HTTP_201_CREATED)
        response["Cache-Control"] = "no-store"
        return response

    @extend_schema(responses=ResultsSerializer)
    @action(detail=True, methods=["get"])
    def results(self, request: Request, pk: str | None = None) -> Response:
        tally = selectors.vote_tally(self._vote())  # ResultsNotPublished (409) unless closed
        return Response(ResultsSerializer(tally).data)

    @extend_schema(
        responses=PublishedBallotSerializer(many=True),
        parameters=[OpenApiParameter("receipt", str, description="核对回执：回执码")],
    )
    @action(detail=True, methods=["get"])
    def ballots(self, request: Request, pk: str | None = None) -> Response:
        vote = self._vote()
        if vote.status != VoteStatus.CLOSED:
            raise ResultsNotPublished()
        rows = selectors.visible_ballots(request.user).filter(box=vote.box_id)
        receipt = request.query_params.get("receipt", "")
        if receipt:
            rows = rows.filter(receipt=services.normalise_receipt(receipt))
        page = self.paginate_queryset(rows)
        return self.get_paginated_response(PublishedBallotSerializer(page, many=True).data)
