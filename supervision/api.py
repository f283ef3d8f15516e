"""/api/v1/supervision/…: the same scoped selectors, action table and services as the pages.

Plans and topics are read here (staff prepare them on their pages); findings are listed
and read (a clerk, their department's only) and every step on a finding is ``POST
…/findings/{id}/actions/{name}/`` with the fields of that action's form. Refusals are
``{"code", "message"}``; an object outside the scope is 404.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from django import forms
from django.db.models import QuerySet
from django.utils.translation import gettext as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import mixins, serializers, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import ValidationError
from rest_framework.request import Request
from rest_framework.response import Response

from congress.errors import InvalidTransition
from congress.keyset import KeysetPagination
from congress.scoping import acting_user
from supervision import selectors
from supervision.actions import FINDING_ACTIONS, action_named, may
from supervision.models.topics import Finding, SupervisionPlan, Topic


class PlanSerializer(serializers.ModelSerializer):
    congress_name = serializers.CharField(source="congress.name", read_only=True)

    class Meta:
        model = SupervisionPlan
        fields = ["id", "congress", "congress_name", "year", "title", "status", "adopted_on"]
        read_only_fields = fields


class TopicSerializer(serializers.ModelSerializer):
    class Meta:
        model = Topic
        fields = [
            "id",
            "plan",
            "congress",
            "kind",
            "title",
            "description",
            "status",
            "starts_on",
            "ends_on",
            "findings_count",
            "findings_closed_off",
        ]
        read_only_fields = fields


class FindingSerializer(serializers.ModelSerializer):
    topic_title = serializers.CharField(source="topic.title", read_only=True)
    department_name = serializers.CharField(source="department.name", read_only=True)
    category_title = serializers.CharField(source="category.title", read_only=True, default="")

    class Meta:
        model = Finding
        fields = [
            "id",
            "topic",
            "topic_title",
            "number",
            "category",
            "category_title",
            "title",
            "description",
            "department",
            "department_name",
            "measures",
            "is_long_term",
            "target",
            "milestones",
            "is_flagged",
            "status",
            "version",
            "due_on",
            "evidence",
            "closed_off_at",
            "created_at",
        ]
        read_only_fields = fields


class FindingActionInput(serializers.Serializer):
    text = serializers.CharField(required=False, allow_blank=True)
    expected_version = serializers.IntegerField(required=False)
    attachment = serializers.FileField(required=False)


def _body(request: Request) -> Mapping[str, Any]:
    if not isinstance(request.data, Mapping):
        raise ValidationError(_("请求内容应为对象（字段名：值）。"))
    return request.data


def _valid(form: forms.Form) -> dict[str, Any]:
    if not form.is_valid():
        raise ValidationError(
            {key: [str(message) for message in errors] for key, errors in form.errors.items()}
        )
    return form.cleaned_data


class SupervisionPlanViewSet(viewsets.ReadOnlyModelViewSet):
    serializer_class = PlanSerializer
    pagination_class = KeysetPagination
    keyset_ordering = selectors.PLAN_ORDER

    def get_queryset(self) -> QuerySet[SupervisionPlan]:
        return selectors.visible_plans(self.request.user)


class SupervisionTopicViewSet(viewsets.ReadOnlyModelViewSet):
    serializer_class = TopicSerializer
    pagination_class = KeysetPagination
    keyset_ordering = selectors.TOPIC_ORDER

    def get_queryset(self) -> QuerySet[Topic]:
        return selectors.topic_list(self.request.user)


class FindingViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    """Findings in the user's scope (a department's clerk: their department's)."""

    serializer_class = FindingSerializer
    pagination_class = KeysetPagination
    keyset_ordering = selectors.FINDING_ORDER

    def get_queryset(self) -> QuerySet[Finding]:
        params = self.request.query_params
        return selectors.finding_list(
            self.request.user, status=params.get("status", ""), flagged=bool(params.get("flagged"))
        )

    @extend_schema(
        parameters=[
            OpenApiParameter(
                "action_name", OpenApiTypes.STR, OpenApiParameter.PATH, enum=list(FINDING_ACTIONS)
            )
        ],
        request=FindingActionInput,
        responses=FindingSerializer,
        description="Take one step on the finding: the clerk's 报告进展 (progress), 申请销号 "
        "(claim_closure); the staff's 销号 (close_off, `text` is the evidence and is "
        "required), 退回整改 (reject_closure), 回头看重新整改 (review_reopen), 挂牌督办 "
        "(flag / unflag).",
    )
    @action(detail=True, methods=["post"], url_path=r"actions/(?P<action_name>[a-z_]+)")
    def act(self, request: Request, pk: str, action_name: str) -> Response:
        finding = self.get_object()
        user = acting_user(request)
        step = action_named(action_name)
        data = _valid(step.form(_body(request), request.FILES))
        if not may(user, finding, step):
            raise InvalidTransition()
        step.run(finding, user, data)
        finding.refresh_from_db()
        return Response(FindingSerializer(finding).data)
