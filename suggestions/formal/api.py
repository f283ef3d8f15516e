"""The API of representatives' suggestions: the same scoped selectors and the same services
as the pages. Each action loads through the scope (404 outside it), validates its input,
calls one service and answers with the suggestion (or assignment) as it now stands.
Domain errors become {"code", "message"} through the project's exception handler.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.db.models import QuerySet
from django.http import Http404
from drf_spectacular.utils import extend_schema
from rest_framework import mixins, permissions, status, viewsets
from rest_framework.decorators import action
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.serializers import Serializer
from rest_framework.views import APIView

from congress.models import Assignment, User
from congress.scoping import acting_user, get_visible_or_404
from representatives.selectors import representative_of
from suggestions.formal import serializers as s
from suggestions.formal import services
from suggestions.formal.filters import SuggestionFilter
from suggestions.formal.reports import Row, session_report
from suggestions.formal.selectors import (
    department_workspace,
    public_suggestions,
    sessions_in_scope,
    suggestion_timeline,
    visible_suggestion_assignments,
    visible_suggestions,
)
from suggestions.models.formal import Suggestion, SuggestionSigner

Run = Callable[[Suggestion, dict[str, Any], User], Any]


class SuggestionViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    """Suggestions and motions in the user's scope, and every step on them."""

    filterset_class = SuggestionFilter

    def get_queryset(self) -> QuerySet[Suggestion]:
        rows = visible_suggestions(self.request.user)
        if self.action == "retrieve":
            rows = rows.prefetch_related("signers__representative", "replies__ratings")
        return rows.order_by("-session__opens_on", "number", "-pk")

    def get_serializer_class(self) -> type[Serializer]:
        return s.SuggestionDetailSerializer if self.action == "retrieve" else s.SuggestionSerializer

    @property
    def user(self) -> User:
        return acting_user(self.request)

    def _answer(self, suggestion: Suggestion, code: int = status.HTTP_200_OK) -> Response:
        suggestion.refresh_from_db()
        return Response(s.SuggestionSerializer(suggestion).data, status=code)

    def _step(self, serializer_class: type[Serializer], run: Run) -> Response:
        suggestion = self.get_object()
        serializer = serializer_class(
            data=self.request.data, context={"suggestion": suggestion, "request": self.request}
        )
        serializer.is_valid(raise_exception=True)
        data = dict(serializer.validated_data)
        if data.get("version") is not None:
            suggestion.version = data["version"]  # a stale client loses (StaleState)
        run(suggestion, data, self.user)
        return self._answer(suggestion)

    @extend_schema(request=s.SuggestionCreateSerializer, responses=s.SuggestionSerializer)
    def create(self, request: Request) -> Response:
        serializer = s.SuggestionCreateSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = dict(serializer.validated_data)
        lead = data.pop("lead", None) or representative_of(self.user)
        if lead is None:
            raise Http404
        suggestion = services.suggestion_create(lead=lead, by=self.user, **data)
        return self._answer(suggestion, status.HTTP_201_CREATED)

    @extend_schema(request=s.SuggestionUpdateSerializer, responses=s.SuggestionSerializer)
    def partial_update(self, request: Request, pk: str) -> Response:
        def run(suggestion: Suggestion, data: dict[str, Any], user: User) -> Any:
            data.pop("version", None)
            return services.suggestion_update(suggestion=suggestion, by=user, **data)

        return self._step(s.SuggestionUpdateSerializer, run)

    @extend_schema(responses=s.SuggestionEventSerializer(many=True))
    @action(detail=True, methods=["get"])
    def timeline(self, request: Request, pk: str) -> Response:
        suggestion = self.get_object()
        return Response(
            s.SuggestionEventSerializer(suggestion_timeline(suggestion), many=True).data
        )

    @extend_schema(request=s.SuggestionInviteSerializer, responses=s.SuggestionSerializer)
    @action(detail=True, methods=["post"])
    def invite(self, request: Request, pk: str) -> Response:
        return self._step(
            s.SuggestionInviteSerializer,
            lambda x, d, u: services.suggestion_invite_cosigners(
                suggestion=x, representatives=d["representatives"], by=u
            ),
        )

    @extend_schema(request=s.SuggestionVersionSerializer, responses=s.SuggestionSerializer)
    @action(detail=True, methods=["post"], url_path="start-cosigning")
    def start_cosigning(self, request: Request, pk: str) -> Response:
        return self._step(
            s.SuggestionVersionSerializer,
            lambda x, d, u: services.suggestion_start_cosigning(
                suggestion=x, by=u, expected_version=d.get("version")
            ),
        )

    @extend_schema(request=s.SuggestionCosignSerializer, responses=s.SuggestionSerializer)
    @action(detail=True, methods=["post"])
    def cosign(self, request: Request, pk: str) -> Response:
        def run(suggestion: Suggestion, data: dict[str, Any], user: User) -> Any:
            signer = get_visible_or_404(
                SuggestionSigner.objects.select_related("suggestion__lead__user"),
                suggestion=suggestion,
                representative=representative_of(user),
            )
            return services.signer_respond(signer=signer, confirm=data["confirm"], by=user)

        return self._step(s.SuggestionCosignSerializer, run)

    @extend_schema(request=s.SuggestionVersionSerializer, responses=s.SuggestionSerializer)
    @action(detail=True, methods=["post"])
    def submit(self, request: Request, pk: str) -> Response:
        return self._step(
            s.SuggestionVersionSerializer,
            lambda x, d, u: services.suggestion_submit(
                suggestion=x, by=u, expected_version=d.get("version")
            ),
        )

    @extend_schema(request=s.SuggestionNoteSerializer, responses=s.SuggestionSerializer)
    @action(detail=True, methods=["post"])
    def withdraw(self, request: Request, pk: str) -> Response:
        return self._step(
            s.SuggestionNoteSerializer,
            lambda x, d, u: services.suggestion_withdraw(suggestion=x, by=u, reason=d["note"]),
        )

    @extend_schema(request=s.SuggestionCommentSerializer, responses=s.SuggestionSerializer)
    @action(detail=True, methods=["post"], url_path="pre-return")
    def pre_return(self, request: Request, pk: str) -> Response:
        return self._step(
            s.SuggestionCommentSerializer,
            lambda x, d, u: services.suggestion_pre_return(
                suggestion=x, by=u, comment=d["comment"], expected_version=d.get("version")
            ),
        )

    @extend_schema(request=s.SuggestionReviewSerializer, responses=s.SuggestionSerializer)
    @action(detail=True, methods=["post"])
    def review(self, request: Request, pk: str) -> Response:
        return self._step(
            s.SuggestionReviewSerializer,
            lambda x, d, u: services.suggestion_review(
                suggestion=x,
                decision=d["decision"],
                note=d["note"],
                merge_into=d.get("merge_into"),
                by=u,
                expected_version=d.get("version"),
            ),
        )

    @extend_schema(request=s.SuggestionAssignSerializer, responses=s.SuggestionSerializer)
    @action(detail=True, methods=["post"])
    def assign(self, request: Request, pk: str) -> Response:
        return self._step(
            s.SuggestionAssignSerializer,
            lambda x, d, u: services.suggestion_assign(
                suggestion=x,
                lead_department=d["lead_department"],
                co_handlers=d["co_handlers"],
                note=d["note"],
                by=u,
                expected_version=d.get("version"),
            ),
        )

    @extend_schema(request=s.SuggestionReassignSerializer, responses=s.SuggestionSerializer)
    @action(detail=True, methods=["post"])
    def reassign(self, request: Request, pk: str) -> Response:
        return self._step(
            s.SuggestionReassignSerializer,
            lambda x, d, u: services.suggestion_reassign(
                suggestion=x, department=d["department"], note=d["note"], by=u
            ),
        )

    @extend_schema(request=s.SuggestionRateSerializer, responses=s.SuggestionSerializer)
    @action(detail=True, methods=["post"])
    def rate(self, request: Request, pk: str) -> Response:
        def run(suggestion: Suggestion, data: dict[str, Any], user: User) -> Any:
            paper = data.pop("representative", None)
            representative = paper or representative_of(user)
            if representative is None:
                raise Http404
            return services.suggestion_rate(
                suggestion=suggestion,
                representative=representative,
                by=user,
                channel="paper" if paper is not None else "online",
                **data,
            )

        return self._step(s.SuggestionRateSerializer, run)

    @extend_schema(request=s.SuggestionNoteSerializer, responses=s.SuggestionSerializer)
    @action(detail=True, methods=["post"], url_path="close-rating")
    def close_rating(self, request: Request, pk: str) -> Response:
        return self._step(
            s.SuggestionNoteSerializer,
            lambda x, d, u: services.suggestion_close_rating(suggestion=x, by=u, note=d["note"]),
        )

    @extend_schema(request=s.SuggestionKeySerializer, responses=s.SuggestionSerializer)
    @action(detail=True, methods=["post"])
    def key(self, request: Request, pk: str) -> Response:
        return self._step(
            s.SuggestionKeySerializer,
            lambda x, d, u: services.suggestion_mark_key(suggestion=x, by=u, **d),
        )

    @extend_schema(request=s.SuggestionPublishSerializer, responses=s.SuggestionSerializer)
    @action(detail=True, methods=["post"])
    def publish(self, request: Request, pk: str) -> Response:
        return self._step(
            s.SuggestionPublishSerializer,
            lambda x, d, u: services.suggestion_set_publish_consent(
                suggestion=x, consent=d["consent"], by=u
            ),
        )

    @extend_schema(request=s.SuggestionGroupEvaluationSerializer, responses=s.SuggestionSerializer)
    @action(detail=True, methods=["post"], url_path="group-evaluation")
    def group_evaluation(self, request: Request, pk: str) -> Response:
        return self._step(
            s.SuggestionGroupEvaluationSerializer,
            lambda x, d, u: services.group_evaluation_record(suggestion=x, by=u, **d),
        )

    @extend_schema(request=s.SuggestionContactSerializer, responses=s.SuggestionSerializer)
    @action(detail=True, methods=["post"])
    def contact(self, request: Request, pk: str) -> Response:
        return self._step(
            s.SuggestionContactSerializer,
            lambda x, d, u: services.handling_contact_record(suggestion=x, by=u, **d),
        )


AssignmentRun = Callable[[Assignment, dict[str, Any], User], Any]


class SuggestionAssignmentViewSet(
    mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet
):
    """Departments' assignments on suggestions. ``?mine=1``: the clerk's workspace order
    (overdue first)."""

    serializer_class = s.SuggestionAssignmentSerializer
    filterset_fields = ["status", "role", "department"]

    def get_queryset(self) -> QuerySet[Assignment]:
        user = self.request.user
        if self.request.query_params.get("mine"):
            return department_workspace(user)
        return visible_suggestion_assignments(user).order_by("due_on", "pk")

    def _step(self, serializer_class: type[Serializer], run: AssignmentRun) -> Response:
        assignment = self.get_object()
        get_visible_or_404(visible_suggestions(self.request.user), pk=assignment.case_id)
        serializer = serializer_class(data=self.request.data)
        serializer.is_valid(raise_exception=True)
        run(assignment, dict(serializer.validated_data), self.request.user)  # type: ignore[arg-type]
        assignment.refresh_from_db()
        return Response(s.SuggestionAssignmentSerializer(assignment).data)

    @extend_schema(
        request=s.SuggestionVersionSerializer, responses=s.SuggestionAssignmentSerializer
    )
    @action(detail=True, methods=["post"])
    def accept(self, request: Request, pk: str) -> Response:
        return self._step(
            s.SuggestionVersionSerializer,
            lambda a, d, u: services.handling_accept(
                assignment=a, by=u, expected_version=d.get("version")
            ),
        )

    @extend_schema(request=s.SuggestionReasonSerializer, responses=s.SuggestionAssignmentSerializer)
    @action(detail=True, methods=["post"], url_path="request-return")
    def request_return(self, request: Request, pk: str) -> Response:
        return self._step(
            s.SuggestionReasonSerializer,
            lambda a, d, u: services.handling_request_return(
                assignment=a, by=u, reason=d["reason"], expected_version=d.get("version")
            ),
        )

    @extend_schema(
        request=s.SuggestionDecisionSerializer, responses=s.SuggestionAssignmentSerializer
    )
    @action(detail=True, methods=["post"], url_path="decide-return")
    def decide_return(self, request: Request, pk: str) -> Response:
        return self._step(
            s.SuggestionDecisionSerializer,
            lambda a, d, u: services.handling_decide_return(
                assignment=a, approve=d["approve"], note=d["note"], by=u
            ),
        )

    @extend_schema(
        request=s.SuggestionExtensionSerializer, responses=s.SuggestionAssignmentSerializer
    )
    @action(detail=True, methods=["post"], url_path="request-extension")
    def request_extension(self, request: Request, pk: str) -> Response:
        return self._step(
            s.SuggestionExtensionSerializer,
            lambda a, d, u: services.handling_request_extension(
                assignment=a,
                until=d["until"],
                reason=d["reason"],
                by=u,
                expected_version=d.get("version"),
            ),
        )

    @extend_schema(
        request=s.SuggestionDecisionSerializer, responses=s.SuggestionAssignmentSerializer
    )
    @action(detail=True, methods=["post"], url_path="decide-extension")
    def decide_extension(self, request: Request, pk: str) -> Response:
        return self._step(
            s.SuggestionDecisionSerializer,
            lambda a, d, u: services.handling_decide_extension(assignment=a, by=u, **d),
        )

    @extend_schema(
        request=s.SuggestionProgressSerializer, responses=s.SuggestionAssignmentSerializer
    )
    @action(detail=True, methods=["post"])
    def progress(self, request: Request, pk: str) -> Response:
        return self._step(
            s.SuggestionProgressSerializer,
            lambda a, d, u: services.handling_report_progress(assignment=a, note=d["note"], by=u),
        )

    @extend_schema(
        request=s.SuggestionOpinionSerializer, responses=s.SuggestionAssignmentSerializer
    )
    @action(detail=True, methods=["post"])
    def opinion(self, request: Request, pk: str) -> Response:
        return self._step(
            s.SuggestionOpinionSerializer,
            lambda a, d, u: services.handling_opinion(
                assignment=a,
                text=d["text"],
                uploads=d["attachments"],
                by=u,
                expected_version=d.get("version"),
            ),
        )

    @extend_schema(
        request=s.SuggestionReplyInputSerializer, responses=s.SuggestionAssignmentSerializer
    )
    @action(detail=True, methods=["post"])
    def reply(self, request: Request, pk: str) -> Response:
        def run(assignment: Assignment, data: dict[str, Any], user: User) -> Any:
            suggestion = Suggestion.objects.get(pk=assignment.case_id)
            if data.get("version") is not None:
                suggestion.version = data["version"]
            return services.suggestion_reply(
                suggestion=suggestion,
                category=data["category"],
                text=data["text"],
                signing_official=data["signing_official"],
                uploads=data["attachments"],
                by=user,
                expected_version=data.get("version"),
            )

        return self._step(s.SuggestionReplyInputSerializer, run)

    @extend_schema(
        request=s.SuggestionReplyInputSerializer, responses=s.SuggestionAssignmentSerializer
    )
    @action(detail=True, methods=["post"], url_path="follow-up")
    def follow_up(self, request: Request, pk: str) -> Response:
        return self._step(
            s.SuggestionReplyInputSerializer,
            lambda a, d, u: services.suggestion_follow_up(
                suggestion=Suggestion.objects.get(pk=a.case_id),
                category=d["category"],
                text=d["text"],
                signing_official=d["signing_official"],
                uploads=d["attachments"],
                by=u,
            ),
        )


def _row(row: Row) -> dict[str, Any]:
    return {
        "label": row.label,
        "received": row.received,
        "registered": row.registered,
        "assigned": row.assigned,
        "replied": row.replied,
        "on_time": row.on_time,
        "on_time_rate": row.on_time_rate,
        "categories": row.categories,
        "shares": {c: share for c, _n, share in row.shares},
        "satisfied": row.satisfied,
        "basically": row.basically,
        "unsatisfied": row.unsatisfied,
        "satisfaction_rate": row.satisfaction_rate,
    }


class SessionReportView(APIView):
    """The session's handling report: totals, shares, breakdowns, key and carry-over items."""

    @extend_schema(responses=dict)
    def get(self, request: Request, session_id: int) -> Response:
        session = get_visible_or_404(sessions_in_scope(request.user), pk=session_id)
        report = session_report(session, user=request.user)
        return Response(
            {
                "session": session.pk,
                "title": report.title,
                "total": _row(report.total),
                "motions": report.motions,
                "merged": report.merged,
                "converted": report.converted,
                "declined": report.declined,
                "by_department": [_row(r) for r in report.by_department],
                "by_category": [_row(r) for r in report.by_category],
                "by_delegation": [_row(r) for r in report.by_delegation],
                "key": [x.pk for x in report.key],
                "carried_over": [x.pk for x in report.carried_over],
                "earlier_carried_over": [x.pk for x in report.earlier_carried_over],
            }
        )


class PublicSuggestionViewSet(viewsets.ReadOnlyModelViewSet):
    """Replies the representatives agreed to publish. No login."""

    serializer_class = s.SuggestionPublicSuggestionSerializer
    permission_classes = [permissions.AllowAny]
    authentication_classes: list[Any] = []

    def get_queryset(self) -> QuerySet[Suggestion]:
        return public_suggestions()
