"""/api/v1/supervision/…: the same scoped selectors, forms, action tables and services as
the pages (docs/supervision.md, "API").

Staff create and edit plans (``POST …/plans/``, ``PATCH …/plans/{id}/``, ``POST
…/plans/{id}/adopt/``) and topics (``POST …/topics/``, ``PATCH …/topics/{id}/``, every step
at ``POST …/topics/{id}/actions/{name}/`` from ``supervision.actions.TOPICS``), and list a
finding in a topic (``POST …/findings/``). Findings are listed and read (a clerk, their
department's only) and every step on a finding is ``POST …/findings/{id}/actions/{name}/``
with the fields of that action's form. Each write validates with the page's form (a 400
naming each field) and runs the page's service, which checks the jurisdiction. Refusals
are ``{"code", "message"}``; an object outside the scope is 404, and so is any of these
writes for someone who is not staff (as the pages).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from django import forms
from django.db.models import QuerySet
from django.http import Http404, QueryDict
from django.utils.translation import gettext as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import mixins, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import ValidationError
from rest_framework.request import Request
from rest_framework.response import Response

from congress.errors import InvalidTransition
from congress.keyset import KeysetPagination
from congress.models import User
from congress.scoping import acting_user, get_visible_or_404, is_staff_or_admin
from supervision import forms as f
from supervision import selectors, services
from supervision.actions import FINDING_ACTIONS, TOPIC_ACTIONS, TOPICS, action_named, may
from supervision.models.topics import Finding, SupervisionPlan, Topic, TopicKind


class PlanSerializer(serializers.ModelSerializer):
    congress_name = serializers.CharField(source="congress.name", read_only=True)

    class Meta:
        model = SupervisionPlan
        fields = [
            "id",
            "congress",
            "congress_name",
            "year",
            "title",
            "notes",
            "status",
            "adopted_on",
        ]
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
            "published_at",
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


# --- the input of the writes, for the schema (validated by supervision/forms.py) ---------


def _id(help_text: str) -> serializers.IntegerField:
    return serializers.IntegerField(help_text=help_text)


class PlanCreateInput(serializers.Serializer):
    congress = _id("人大（id）")
    year = serializers.IntegerField(min_value=2000, max_value=2100)
    title = serializers.CharField(max_length=200)
    notes = serializers.CharField(required=False, allow_blank=True)


class PlanEditInput(serializers.Serializer):
    title = serializers.CharField(max_length=200, required=False)
    notes = serializers.CharField(required=False, allow_blank=True)


class AdoptInput(serializers.Serializer):
    adopted_on = serializers.DateField(required=False, help_text="通过日期（默认今天）")


class TopicInput(serializers.Serializer):
    kind = serializers.ChoiceField(choices=TopicKind.choices, required=False)
    title = serializers.CharField(max_length=200, required=False)
    description = serializers.CharField(required=False, allow_blank=True)
    departments = serializers.ListField(child=_id("相关部门（id）"), required=False)
    committees = serializers.ListField(child=_id("牵头委员会（id）"), required=False)
    starts_on = serializers.DateField(required=False, allow_null=True)
    ends_on = serializers.DateField(required=False, allow_null=True)


class TopicCreateInput(TopicInput):
    plan = _id("监督工作计划（id）")


class FindingCreateInput(serializers.Serializer):
    topic = _id("议题（id）")
    title = serializers.CharField(max_length=300)
    department = _id("责任单位（id）")
    category = serializers.IntegerField(required=False, allow_null=True)
    description = serializers.CharField(required=False, allow_blank=True)
    measures = serializers.CharField(required=False, allow_blank=True)
    due_on = serializers.DateField(required=False, allow_null=True)
    is_long_term = serializers.BooleanField(required=False)
    target = serializers.CharField(required=False, allow_blank=True)
    milestones = serializers.CharField(required=False, allow_blank=True)
    is_flagged = serializers.BooleanField(required=False)


def staff_user(request: Request) -> User:
    """The acting user, if staff: these writes are the staff's, as the pages (404 else)."""
    user = acting_user(request)
    if not is_staff_or_admin(user):
        raise Http404
    return user


def merged(current: dict[str, Any], body: Mapping[str, Any]) -> Mapping[str, Any]:
    """A PATCH's fields over the object's current ones, for a form that takes them all
    (a form-encoded body keeps its lists)."""
    if isinstance(body, QueryDict):
        data = body.copy()
        for key, value in current.items():
            if key not in data:
                data.setlist(key, value if isinstance(value, list) else [value])
        return data
    return {**current, **body}


def visible_in_body(rows: QuerySet[Any], body: Mapping[str, Any], field: str) -> Any:
    """The object the body names by id in ``field``, through the user's scope (404
    outside it); a missing or malformed id is a 400 on that field."""
    value = body.get(field)
    if isinstance(value, bool) or not str(value or "").strip().isdigit():
        raise ValidationError({field: [_("请填写有效的编号。")]})
    return get_visible_or_404(rows, pk=int(str(value).strip()))


def _topic_form(plan: SupervisionPlan, data: Mapping[str, Any]) -> f.TopicForm:
    return f.TopicForm(
        data,
        departments=selectors.departments_for_region(plan.region),
        committees=selectors.committees_for(plan.congress),
    )


class SupervisionPlanViewSet(
    mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet
):
    """The plans in the user's scope; the staff create, edit and adopt them."""

    serializer_class = PlanSerializer
    pagination_class = KeysetPagination
    keyset_ordering = selectors.PLAN_ORDER

    def get_queryset(self) -> QuerySet[SupervisionPlan]:
        return selectors.visible_plans(self.request.user)

    def _answer(self, plan: SupervisionPlan, code: int = status.HTTP_200_OK) -> Response:
        plan.refresh_from_db()
        return Response(PlanSerializer(plan).data, status=code)

    @extend_schema(request=PlanCreateInput, responses={201: PlanSerializer})
    def create(self, request: Request) -> Response:
        user = staff_user(request)
        body = _body(request)
        congresses = selectors.congresses_managed(user)
        visible_in_body(congresses, body, "congress")  # another region's congress: 404
        form = f.PlanForm(body, congresses=congresses)
        plan = services.plan_create(by=user, **_valid(form))
        return self._answer(plan, status.HTTP_201_CREATED)

    @extend_schema(request=PlanEditInput, responses=PlanSerializer)
    def partial_update(self, request: Request, pk: str) -> Response:
        user = staff_user(request)
        plan = self.get_object()
        data = merged({"title": plan.title, "notes": plan.notes}, _body(request))
        services.plan_update(plan=plan, by=user, **_valid(f.PlanEditForm(data)))
        return self._answer(plan)

    @extend_schema(request=AdoptInput, responses=PlanSerializer)
    @action(detail=True, methods=["post"])
    def adopt(self, request: Request, pk: str) -> Response:
        """通过: the standing committee adopted the plan (409 if it is adopted already)."""
        user = staff_user(request)
        plan = self.get_object()
        services.plan_adopt(plan=plan, by=user, **_valid(f.AdoptForm(_body(request))))
        return self._answer(plan)


class SupervisionTopicViewSet(
    mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet
):
    """The topics in the user's scope; the staff list one in a plan, edit it and take its
    steps."""

    serializer_class = TopicSerializer
    pagination_class = KeysetPagination
    keyset_ordering = selectors.TOPIC_ORDER

    def get_queryset(self) -> QuerySet[Topic]:
        return selectors.topic_list(self.request.user)

    def _answer(self, topic: Topic, code: int = status.HTTP_200_OK) -> Response:
        topic.refresh_from_db()
        return Response(TopicSerializer(topic).data, status=code)

    @extend_schema(request=TopicCreateInput, responses={201: TopicSerializer})
    def create(self, request: Request) -> Response:
        user = staff_user(request)
        body = _body(request)
        plan = visible_in_body(selectors.visible_plans(user), body, "plan")
        topic = services.topic_create(plan=plan, by=user, **_valid(_topic_form(plan, body)))
        return self._answer(topic, status.HTTP_201_CREATED)

    @extend_schema(request=TopicInput, responses=TopicSerializer)
    def partial_update(self, request: Request, pk: str) -> Response:
        user = staff_user(request)
        topic = self.get_object()
        current = {
            "kind": topic.kind,
            "title": topic.title,
            "description": topic.description,
            "departments": [str(pk) for pk in topic.departments.values_list("pk", flat=True)],
            "committees": [str(pk) for pk in topic.committees.values_list("pk", flat=True)],
            "starts_on": topic.starts_on.isoformat() if topic.starts_on else "",
            "ends_on": topic.ends_on.isoformat() if topic.ends_on else "",
        }
        form = _topic_form(topic.plan, merged(current, _body(request)))
        services.topic_update(topic=topic, by=user, **_valid(form))
        return self._answer(topic)

    @extend_schema(
        parameters=[
            OpenApiParameter(
                "action_name", OpenApiTypes.STR, OpenApiParameter.PATH, enum=list(TOPIC_ACTIONS)
            )
        ],
        request=None,
        responses=TopicSerializer,
        description="Take one step on the topic: 启动 (start), 进入整改 (rectify), 完成 "
        "(complete), 取消 (cancel, only before any finding is listed), 向社会公布 (publish, "
        "once started with findings), 撤回公布 (unpublish). A step not open now is 409.",
    )
    @action(detail=True, methods=["post"], url_path=r"actions/(?P<action_name>[a-z_]+)")
    def act(self, request: Request, pk: str, action_name: str) -> Response:
        user = staff_user(request)
        topic = self.get_object()
        step = TOPICS.require(action_name, user, topic)
        step.run(topic, user)
        return self._answer(topic)


class FindingViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    """Findings in the user's scope (a department's clerk: their department's); the staff
    list a new one in a topic, handed to its department."""

    serializer_class = FindingSerializer
    pagination_class = KeysetPagination
    keyset_ordering = selectors.FINDING_ORDER

    def get_queryset(self) -> QuerySet[Finding]:
        params = self.request.query_params
        return selectors.finding_list(
            self.request.user, status=params.get("status", ""), flagged=bool(params.get("flagged"))
        )

    @extend_schema(
        request=FindingCreateInput,
        responses={201: FindingSerializer},
        description="列入问题清单: the finding is handed to its department at once (its "
        "deadline, unless given, by the statutory working calendar).",
    )
    def create(self, request: Request) -> Response:
        user = staff_user(request)
        body = _body(request)
        topic = visible_in_body(selectors.visible_topics(user), body, "topic")
        form = f.FindingForm(
            body, departments=selectors.departments_for(topic), categories=topic.categories.all()
        )
        finding = services.finding_create(topic=topic, by=user, **_valid(form))
        finding.refresh_from_db()
        return Response(FindingSerializer(finding).data, status=status.HTTP_201_CREATED)

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
