"""/api/v1/supervision/…: the same scoped selectors, forms, action tables and services as
the pages (docs/supervision.md, "API").

Staff create and edit plans (``POST …/plans/``, ``PATCH …/plans/{id}/``, ``POST
…/plans/{id}/adopt/``) and topics (``POST …/topics/``, ``PATCH …/topics/{id}/``, every step
at ``POST …/topics/{id}/actions/{name}/`` from ``supervision.actions.TOPICS``), and list a
finding in a topic (``POST …/findings/``). On a plan they add a committee (``POST
…/plans/{id}/committees/``); on a topic a member of its leadership group (``POST
…/topics/{id}/members/``, ``DELETE …/members/{member_id}/``), a category of findings
(``…/categories/``), a visit with its photo (``…/investigations/``, multipart), a 回头看
(``…/reviews/``, held at ``…/reviews/{review_id}/hold/``) and a question of its
monitoring questionnaire (``…/questionnaire/``, supervision/monitoring.py). Findings
are listed and read (a clerk, their department's only) and every step on a finding is
``POST …/findings/{id}/actions/{name}/`` with the fields of that action's form. Each write validates with the page's form (a 400
naming each field) and runs the page's service, which checks the jurisdiction. Refusals
are ``{"code", "message"}``; an object outside the scope is 404, and so is any of these
writes for someone who is not staff (as the pages).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from django.db.models import QuerySet
from django.http import Http404, QueryDict
from django.utils.translation import gettext as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import (
    OpenApiParameter,
    extend_schema,
    extend_schema_view,
    inline_serializer,
)
from rest_framework import mixins, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import ValidationError
from rest_framework.request import Request
from rest_framework.response import Response

from congress.api.actions import ActionRoute, action_schema, form_data, request_fields, valid
from congress.errors import InvalidTransition
from congress.keyset import KeysetPagination
from congress.models import User
from congress.scoping import acting_user, get_visible_or_404, is_staff_or_admin
from supervision import forms as f
from supervision import monitoring as m
from supervision import monitoring_forms as mf
from supervision import selectors, services
from supervision.actions import FINDING_ACTIONS, TOPIC_ACTIONS, TOPICS, action_named, may
from supervision.models.monitoring import SurveyQuestion, SurveyQuestionKind
from supervision.models.topics import (
    Committee,
    Finding,
    FindingCategory,
    FindingStatus,
    FollowUpReview,
    GroupRole,
    Investigation,
    InvestigationMethod,
    SupervisionPlan,
    Topic,
    TopicKind,
    TopicMember,
)


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


class CommitteeSerializer(serializers.ModelSerializer):
    class Meta:
        model = Committee
        fields = ["id", "congress", "name", "is_active"]
        read_only_fields = fields


class MemberSerializer(serializers.ModelSerializer):
    class Meta:
        model = TopicMember
        fields = ["id", "topic", "role", "name", "position"]
        read_only_fields = fields


class FindingCategorySerializer(serializers.ModelSerializer):
    class Meta:
        model = FindingCategory
        fields = ["id", "topic", "number", "title"]
        read_only_fields = fields


class InvestigationSerializer(serializers.ModelSerializer):
    photos = serializers.SerializerMethodField()

    class Meta:
        model = Investigation
        fields = [
            "id",
            "topic",
            "held_on",
            "place",
            "method",
            "participants",
            "notes",
            "photos",
            "created_at",
        ]
        read_only_fields = fields

    def get_photos(self, investigation: Investigation) -> int:
        """How many photos the visit has (each served by the staff's photo page)."""
        return investigation.photos.count()


class ReviewSerializer(serializers.ModelSerializer):
    class Meta:
        model = FollowUpReview
        fields = ["id", "topic", "scheduled_on", "held_on", "summary", "reopened", "created_at"]
        read_only_fields = fields


class QuestionSerializer(serializers.ModelSerializer):
    class Meta:
        model = SurveyQuestion
        fields = ["id", "position", "kind", "text", "options", "required"]
        read_only_fields = fields


class FindingActionInput(serializers.Serializer):
    text = serializers.CharField(required=False, allow_blank=True)
    expected_version = serializers.IntegerField(required=False)
    attachment = serializers.FileField(required=False)


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


class CommitteeInput(serializers.Serializer):
    name = serializers.CharField(max_length=100)


class MemberInput(serializers.Serializer):
    role = serializers.ChoiceField(choices=GroupRole.choices)
    name = serializers.CharField(max_length=50)
    position = serializers.CharField(max_length=100, required=False, allow_blank=True)


class CategoryInput(serializers.Serializer):
    title = serializers.CharField(max_length=200)


class InvestigationInput(serializers.Serializer):
    held_on = serializers.DateField()
    place = serializers.CharField(max_length=200)
    method = serializers.ChoiceField(choices=InvestigationMethod.choices)
    participants = serializers.CharField(required=False, allow_blank=True)
    notes = serializers.CharField(required=False, allow_blank=True)
    photo = serializers.FileField(required=False, help_text="照片（multipart，可选）")


class ReviewScheduleInput(serializers.Serializer):
    scheduled_on = serializers.DateField(required=False, allow_null=True)


class ReviewHoldInput(serializers.Serializer):
    summary = serializers.CharField()
    reopen = serializers.ListField(
        child=_id("重新整改的问题（id，已销号）"), required=False, help_text="重新整改的问题"
    )


class QuestionInput(serializers.Serializer):
    kind = serializers.ChoiceField(choices=SurveyQuestionKind.choices)
    text = serializers.CharField(max_length=200)
    options = serializers.CharField(
        required=False, allow_blank=True, help_text="单选题：每行一个选项"
    )
    # The input field "required" (a question must be answered), not Field.required.
    required = serializers.BooleanField(required=False)  # type: ignore[assignment]


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
        body = request_fields(request)
        congresses = selectors.congresses_managed(user)
        visible_in_body(congresses, body, "congress")  # another region's congress: 404
        form = f.PlanForm(body, congresses=congresses)
        plan = services.plan_create(by=user, **valid(form))
        return self._answer(plan, status.HTTP_201_CREATED)

    @extend_schema(request=PlanEditInput, responses=PlanSerializer)
    def partial_update(self, request: Request, pk: str) -> Response:
        user = staff_user(request)
        plan = self.get_object()
        data = merged({"title": plan.title, "notes": plan.notes}, request_fields(request))
        services.plan_update(plan=plan, by=user, **valid(f.PlanEditForm(data)))
        return self._answer(plan)

    @extend_schema(request=AdoptInput, responses=PlanSerializer)
    @action(detail=True, methods=["post"])
    def adopt(self, request: Request, pk: str) -> Response:
        """通过: the standing committee adopted the plan (409 if it is adopted already)."""
        user = staff_user(request)
        plan = self.get_object()
        services.plan_adopt(plan=plan, by=user, **valid(f.AdoptForm(request_fields(request))))
        return self._answer(plan)

    @extend_schema(request=CommitteeInput, responses={201: CommitteeSerializer})
    @action(detail=True, methods=["post"])
    def committees(self, request: Request, pk: str) -> Response:
        """A committee of the plan's congress, to lead its topics (one of that name: the
        same committee again)."""
        user = staff_user(request)
        plan = self.get_object()
        name = valid(f.CommitteeForm(request_fields(request)))["name"]
        committee = services.committee_create(congress=plan.congress, name=name, by=user)
        return Response(CommitteeSerializer(committee).data, status=status.HTTP_201_CREATED)


@extend_schema_view(
    act=action_schema(
        TOPIC_ACTIONS,
        request=None,
        responses=TopicSerializer,
        description="Take one step on the topic: 启动 (start), 进入整改 (rectify), 完成 "
        "(complete), 取消 (cancel, only before any finding is listed), 向社会公布 (publish, "
        "once started with findings), 撤回公布 (unpublish). A step not open now is 409.",
    )
)
class SupervisionTopicViewSet(
    ActionRoute, mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet
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
        body = request_fields(request)
        plan = visible_in_body(selectors.visible_plans(user), body, "plan")
        topic = services.topic_create(plan=plan, by=user, **valid(_topic_form(plan, body)))
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
        form = _topic_form(topic.plan, merged(current, request_fields(request)))
        services.topic_update(topic=topic, by=user, **valid(form))
        return self._answer(topic)

    def take_action(self, obj: Topic, name: str, request: Request) -> None:
        user = staff_user(request)
        TOPICS.require(name, user, obj).run(obj, user)

    @extend_schema(request=MemberInput, responses={201: MemberSerializer})
    @action(detail=True, methods=["post"])
    def members(self, request: Request, pk: str) -> Response:
        """A member of the topic's leadership group (组长, 副组长, 成员)."""
        user = staff_user(request)
        topic = self.get_object()
        data = valid(f.MemberForm(request_fields(request)))
        member = services.topic_member_add(topic=topic, by=user, **data)
        return Response(MemberSerializer(member).data, status=status.HTTP_201_CREATED)

    @extend_schema(
        parameters=[OpenApiParameter("member_id", OpenApiTypes.INT, OpenApiParameter.PATH)],
        request=None,
        responses={204: None},
    )
    @action(
        detail=True,
        methods=["delete"],
        url_path=r"members/(?P<member_id>[0-9]+)",
        url_name="member-remove",
    )
    def member_remove(self, request: Request, pk: str, member_id: str) -> Response:
        """Take a member off the leadership group (another topic's member: 404)."""
        user = staff_user(request)
        topic = self.get_object()
        member = get_visible_or_404(topic.members.all(), pk=int(member_id))
        services.topic_member_remove(member=member, by=user)
        return Response(status=status.HTTP_204_NO_CONTENT)

    @extend_schema(request=CategoryInput, responses={201: FindingCategorySerializer})
    @action(detail=True, methods=["post"])
    def categories(self, request: Request, pk: str) -> Response:
        """A category of the topic's findings, numbered after the last (a title already
        there is a 400)."""
        user = staff_user(request)
        topic = self.get_object()
        title = valid(f.CategoryForm(request_fields(request)))["title"]
        category = services.category_create(topic=topic, title=title, by=user)
        return Response(FindingCategorySerializer(category).data, status=status.HTTP_201_CREATED)

    @extend_schema(
        request={
            "multipart/form-data": InvestigationInput,
            "application/json": InvestigationInput,
        },
        responses={201: InvestigationSerializer},
    )
    @action(detail=True, methods=["post"])
    def investigations(self, request: Request, pk: str) -> Response:
        """调研视察: a visit of the topic's group, with one photo if sent (multipart;
        checked and re-encoded as on the page, no metadata kept)."""
        user = staff_user(request)
        topic = self.get_object()
        data = dict(valid(f.InvestigationForm(request_fields(request), request.FILES)))
        photo = data.pop("photo", None)
        visit = services.investigation_create(
            topic=topic, photos=[photo] if photo else [], by=user, **data
        )
        return Response(InvestigationSerializer(visit).data, status=status.HTTP_201_CREATED)

    @extend_schema(request=ReviewScheduleInput, responses={201: ReviewSerializer})
    @action(detail=True, methods=["post"])
    def reviews(self, request: Request, pk: str) -> Response:
        """安排回头看: by default after the configured months; handed to the staff of the
        topic's region as a loop item due on its date."""
        user = staff_user(request)
        topic = self.get_object()
        data = valid(f.ReviewScheduleForm(request_fields(request)))
        review = services.review_schedule(topic=topic, by=user, **data)
        return Response(ReviewSerializer(review).data, status=status.HTTP_201_CREATED)

    @extend_schema(
        parameters=[OpenApiParameter("review_id", OpenApiTypes.INT, OpenApiParameter.PATH)],
        request=ReviewHoldInput,
        responses=ReviewSerializer,
    )
    @action(
        detail=True,
        methods=["post"],
        url_path=r"reviews/(?P<review_id>[0-9]+)/hold",
        url_name="review-hold",
    )
    def review_hold(self, request: Request, pk: str, review_id: str) -> Response:
        """开展回头看: what changed, and the closed-off findings to reopen (``reopen``: their
        ids; another's or one not closed off is a 400). Held already: 409."""
        user = staff_user(request)
        topic = self.get_object()
        review = get_visible_or_404(selectors.topic_reviews(topic), pk=int(review_id))
        closed = topic.findings.filter(status=FindingStatus.CLOSED_OFF)
        form = f.ReviewHoldForm(request_fields(request), findings=closed)
        services.review_hold(review=review, by=user, **valid(form))
        review.refresh_from_db()
        return Response(ReviewSerializer(review).data)

    @extend_schema(request=QuestionInput, responses={201: QuestionSerializer})
    @action(detail=True, methods=["post"])
    def questionnaire(self, request: Request, pk: str) -> Response:
        """A question at the end of the topic's monitoring questionnaire (until its first
        answer: then a 400), as on the questionnaire page (docs/supervision-monitoring.md)."""
        user = staff_user(request)
        topic = self.get_object()
        question = m.question_add(
            topic=topic, by=user, **valid(mf.QuestionForm(request_fields(request)))
        )
        return Response(QuestionSerializer(question).data, status=status.HTTP_201_CREATED)

    @extend_schema(
        request=inline_serializer("QuestionnaireIntroInput", {"intro": serializers.CharField()}),
        responses=inline_serializer(
            "QuestionnaireIntro", {"intro": serializers.CharField(read_only=True)}
        ),
    )
    @action(detail=True, methods=["post"], url_path="questionnaire/intro")
    def questionnaire_intro(self, request: Request, pk: str) -> Response:
        """问卷说明: the words above the questions on the public page (empty: none), as on
        the questionnaire page; until the first answer (then a 400)."""
        user = staff_user(request)
        topic = self.get_object()
        data = valid(mf.IntroForm(request_fields(request)))
        found = m.questionnaire_set_intro(topic=topic, by=user, **data)
        return Response({"intro": found.intro})


@extend_schema_view(
    act=action_schema(
        FINDING_ACTIONS,
        request=FindingActionInput,
        responses=FindingSerializer,
        description="Take one step on the finding: the clerk's 报告进展 (progress), 申请销号 "
        "(claim_closure); the staff's 销号 (close_off, `text` is the evidence and is "
        "required), 退回整改 (reject_closure), 回头看重新整改 (review_reopen), 挂牌督办 "
        "(flag / unflag).",
    )
)
class FindingViewSet(
    ActionRoute, mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet
):
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
        body = request_fields(request)
        topic = visible_in_body(selectors.visible_topics(user), body, "topic")
        form = f.FindingForm(
            body, departments=selectors.departments_for(topic), categories=topic.categories.all()
        )
        finding = services.finding_create(topic=topic, by=user, **valid(form))
        finding.refresh_from_db()
        return Response(FindingSerializer(finding).data, status=status.HTTP_201_CREATED)

    def take_action(self, obj: Finding, name: str, request: Request) -> None:
        user = acting_user(request)
        step = action_named(name)
        data = valid(step.form(form_data(request), request.FILES))
        if not may(user, obj, step):
            raise InvalidTransition()
        step.run(obj, user, data)
