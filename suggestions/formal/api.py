"""The API of representatives' suggestions: the same scoped selectors and the same services
as the pages. The actions on a suggestion and on an assignment are the tables of
``actions.py``, each taken at ``…/actions/<name>/``: load through the scope (404 outside
it), validate with the action's form, call its service, answer with the suggestion (or
assignment) as it now stands. Domain errors become {"code", "message"} through the
project's exception handler.
"""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet
from django.http import Http404
from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import mixins, permissions, status, viewsets
from rest_framework.decorators import action
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.serializers import Serializer
from rest_framework.views import APIView

from congress.api.actions import ActionRoute, action_schema, form_data, valid
from congress.keyset import KeysetPagination
from congress.models import Assignment, User
from congress.scoping import acting_user, get_visible_or_404
from representatives.selectors import representative_of
from suggestions.formal import serializers as s
from suggestions.formal import services
from suggestions.formal.actions import (
    ASSIGNMENT_ACTIONS,
    ASSIGNMENTS,
    SUGGESTION_ACTIONS,
    SUGGESTIONS,
    viewer_of,
)
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
from suggestions.models.formal import Suggestion

SUGGESTION_INPUT, SUGGESTION_FIELDS = s.action_input_serializer(
    "SuggestionActionInput", {name: a.form for name, a in SUGGESTION_ACTIONS.items()}
)
ASSIGNMENT_INPUT, ASSIGNMENT_FIELDS = s.action_input_serializer(
    "SuggestionAssignmentActionInput", {name: a.form for name, a in ASSIGNMENT_ACTIONS.items()}
)


@extend_schema_view(
    act=action_schema(
        SUGGESTION_ACTIONS,
        request=SUGGESTION_INPUT,
        responses=s.SuggestionSerializer,
        description="Take one action on the suggestion, with its form's fields; the "
        "suggestion's page offers the same actions.\n\n" + SUGGESTION_FIELDS,
    )
)
class SuggestionViewSet(
    ActionRoute, mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet
):
    """Suggestions and motions in the user's scope, and every step on them."""

    filterset_class = SuggestionFilter
    # Newest first, a keyset page at a time on the jurisdiction's index: the list costs
    # the same at any depth and any size (docs/architecture.md, "Keyset pages").
    pagination_class = KeysetPagination
    keyset_ordering = ("-created_at", "-pk")

    def get_queryset(self) -> QuerySet[Suggestion]:
        rows = visible_suggestions(self.request.user)
        if self.action == "retrieve":
            rows = rows.prefetch_related("signers__representative", "replies__ratings")
        return rows

    def get_serializer_class(self) -> type[Serializer]:
        return s.SuggestionDetailSerializer if self.action == "retrieve" else s.SuggestionSerializer

    @property
    def user(self) -> User:
        return acting_user(self.request)

    def _answer(self, suggestion: Suggestion, code: int = status.HTTP_200_OK) -> Response:
        suggestion.refresh_from_db()
        return Response(s.SuggestionSerializer(suggestion).data, status=code)

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
        suggestion = self.get_object()
        serializer = s.SuggestionUpdateSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = dict(serializer.validated_data)
        version = data.pop("version", None)
        if version is not None:
            suggestion.version = version  # a stale client loses (StaleState)
        services.suggestion_update(suggestion=suggestion, by=self.user, **data)
        return self._answer(suggestion)

    @extend_schema(responses=s.SuggestionEventSerializer(many=True))
    @action(detail=True, methods=["get"])
    def timeline(self, request: Request, pk: str) -> Response:
        suggestion = self.get_object()
        return Response(
            s.SuggestionEventSerializer(suggestion_timeline(suggestion), many=True).data
        )

    def take_action(self, obj: Suggestion, name: str, request: Request) -> None:
        step = SUGGESTIONS.named(name)
        viewer = viewer_of(self.user, obj)
        step.run(viewer, valid(step.form(form_data(request), request.FILES, viewer=viewer)))


@extend_schema_view(
    act=action_schema(
        ASSIGNMENT_ACTIONS,
        request=ASSIGNMENT_INPUT,
        responses=s.SuggestionAssignmentSerializer,
        description="Take one action on the assignment: the department's (签收, 答复, "
        "延期, 退回 …) or the staff's decision on a request.\n\n" + ASSIGNMENT_FIELDS,
    )
)
class SuggestionAssignmentViewSet(
    ActionRoute, mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet
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

    def take_action(self, obj: Assignment, name: str, request: Request) -> None:
        user = acting_user(request)
        suggestion = get_visible_or_404(visible_suggestions(user), pk=obj.case_id)
        step = ASSIGNMENTS.named(name)
        viewer = viewer_of(user, suggestion)
        form = step.form(form_data(request), request.FILES, viewer=viewer, assignment=obj)
        step.run(viewer, obj, valid(form))


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
