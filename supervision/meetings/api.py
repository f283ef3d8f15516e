"""/api/v1/supervision/meetings/, …/agenda-items/ and …/opinions/: the same scoped
selectors, forms (supervision/meetings/forms.py), action tables and services as the pages
(docs/supervision-meetings.md, "API").

Staff schedule a meeting (``POST …/meetings/``), list and add its members (``GET``/``POST
…/meetings/{id}/members/``), record attendance (``…/attendance/``), take its steps (``POST
…/meetings/{id}/actions/{name}/``: ``meeting_hold``; ``meeting_cancel`` with ``reason``)
and put an item on its agenda (``…/agenda/``); they edit an item (``PATCH
…/agenda-items/{id}/``), record an inquiry's questions as they are asked (``POST
…/agenda-items/{id}/questions/``, the meeting mode's form; ``GET`` lists them for whoever
sees the item) and their answers (``…/questions/{question_id}/answer/``), and draft and
edit review opinions (``POST …/opinions/``, ``PATCH …/opinions/{id}/``). An agenda item's
steps are ``POST …/agenda-items/{id}/actions/{name}/`` (``report_submit``: ``text``;
``evaluation_open``, ``evaluation_close``: no fields), a member casts a ballot with ``POST
…/{id}/ballot/`` (``mark``: one of the three levels) and gets the receipt in the answer,
and an opinion's steps are ``POST …/opinions/{id}/actions/{name}/``.

Each write validates with the page's form (a 400 naming each field) and runs the page's
service, which checks the jurisdiction again. An object outside the user's scope is 404;
a member or a reporting body's clerk who sees the object, or anyone who is not congress
staff creating one, is refused with 403 (these writes are the staff's). Refusals are
``{"code", "message"}``.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from django.db.models import QuerySet
from django.http import Http404
from django.utils.translation import gettext_lazy
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_view
from rest_framework import mixins, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.request import Request
from rest_framework.response import Response

from congress.api.actions import ActionRoute, action_schema, form_data, request_fields, valid
from congress.ballots.http import session_untouched
from congress.keyset import KeysetPagination
from congress.models import Department, Region, User
from congress.models.ballots import Rating
from congress.scoping import (
    acting_user,
    get_visible_or_404,
    in_jurisdiction,
    is_staff_or_admin,
    within_reach,
)
from supervision import selectors as supervision_selectors
from supervision.api import merged, visible_in_body
from supervision.meetings import actions, selectors, services
from supervision.meetings.forms import (
    AgendaEditForm,
    AgendaItemForm,
    AnswerForm,
    AttendanceForm,
    MeetingForm,
    OpinionForm,
    QuestionForm,
)
from supervision.models.meetings import (
    AgendaItem,
    EvaluationVote,
    ItemKind,
    Meeting,
    MeetingMember,
    Question,
    ReviewOpinion,
)
from supervision.models.topics import Topic
from supervision.services import NotPermitted


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
            # The three stages before the meeting (docs/supervision-meetings.md): the draft
            # for comments, the report (due_on, received_at, late above), and the office's
            # sending to the members, each with its due date and late flag.
            "draft_due_on",
            "draft_received_at",
            "draft_late",
            "draft_text",
            "draft_comments",
            "members_due_on",
            "sent_to_members_at",
            "members_late",
        ]
        read_only_fields = fields

    draft_text = serializers.SerializerMethodField()
    draft_comments = serializers.SerializerMethodField()

    def _reads_draft(self) -> bool:
        """The draft and the comments on it are between the body and the committee's
        staff: given on one item's read to them only (the view says so)."""
        return bool(self.context.get("reads_draft"))

    def get_draft_text(self, item: AgendaItem) -> str | None:
        return item.draft_text if self._reads_draft() else None

    def get_draft_comments(self, item: AgendaItem) -> str | None:
        return item.draft_comments if self._reads_draft() else None

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


class MeetingMemberSerializer(serializers.ModelSerializer):
    name = serializers.CharField(source="user.__str__", read_only=True)

    class Meta:
        model = MeetingMember
        fields = ["user", "name", "attended"]
        read_only_fields = fields


class MeetingQuestionSerializer(serializers.ModelSerializer):
    department_name = serializers.CharField(source="department.name", read_only=True, default="")

    class Meta:
        model = Question
        fields = [
            "id",
            "item",
            "asker",
            "asked_by",
            "respondent",
            "department",
            "department_name",
            "text",
            "answer",
            "satisfaction",
            "follow_up_of",
            "created_at",
        ]
        read_only_fields = fields


# --- the input of the writes, for the schema (validated by the pages' forms) -------------


def _id(help_text: str, **kwargs: Any) -> serializers.IntegerField:
    return serializers.IntegerField(help_text=help_text, **kwargs)


class MeetingScheduleInput(serializers.Serializer):
    congress = _id("人大（id）")
    number = serializers.IntegerField(min_value=1, max_value=999, help_text="第N次会议")
    held_on = serializers.DateField()
    venue = serializers.CharField(max_length=100, required=False, allow_blank=True)


class MeetingMemberInput(serializers.Serializer):
    """A user holding a committee grant of the meeting's region (常委会组成人员); anyone
    else, or an id that is no one, is the same 400 on ``user``."""

    user = serializers.PrimaryKeyRelatedField(
        queryset=User.objects.none(),
        error_messages={
            "does_not_exist": gettext_lazy("请选择本级人大常委会的组成人员。"),
            "incorrect_type": gettext_lazy("请选择本级人大常委会的组成人员。"),
        },
    )

    def __init__(self, *args: Any, meeting: Meeting | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if meeting is not None:
            members = services.committee_members(meeting.congress)
            field: Any = self.fields["user"]
            field.queryset = User.objects.filter(pk__in=members)


class MeetingAttendanceInput(serializers.Serializer):
    present = serializers.ListField(
        child=_id("出席的组成人员（用户 id）"),
        required=False,
        help_text="出席的组成人员；其余组成人员记为缺席",
    )


class MeetingStepInput(serializers.Serializer):
    reason = serializers.CharField(
        max_length=500, required=False, help_text="取消会议（meeting_cancel）的原因"
    )


class AgendaItemAddInput(serializers.Serializer):
    kind = serializers.ChoiceField(choices=ItemKind.choices)
    title = serializers.CharField(max_length=200)
    department = _id("报告单位（id；听取审议报告必填）", required=False, allow_null=True)
    topic = _id("监督议题（id）", required=False, allow_null=True)
    re_report_of = _id("整改后再次报告的原报告（议程 id）", required=False, allow_null=True)


class AgendaItemEditInput(serializers.Serializer):
    title = serializers.CharField(max_length=200, required=False)
    topic = _id("监督议题（id）", required=False, allow_null=True)


class MeetingQuestionInput(serializers.Serializer):
    asked_by = _id("询问的组成人员（用户 id，本次会议的组成人员）", required=False, allow_null=True)
    asker = serializers.CharField(max_length=50, required=False, allow_blank=True)
    respondent = serializers.CharField(max_length=80)
    department = _id("应询单位（id）", required=False, allow_null=True)
    text = serializers.CharField()
    answer = serializers.CharField(required=False, allow_blank=True)
    satisfaction = serializers.ChoiceField(choices=Rating.choices, required=False, allow_blank=True)
    follow_up_of = _id("追问针对的询问（id）", required=False, allow_null=True)


class MeetingAnswerInput(serializers.Serializer):
    answer = serializers.CharField()
    satisfaction = serializers.ChoiceField(choices=Rating.choices, required=False, allow_blank=True)


class ReviewOpinionEditInput(serializers.Serializer):
    department = _id("交办单位（id）", required=False)
    text = serializers.CharField(required=False)


class ReviewOpinionDraftInput(ReviewOpinionEditInput):
    item = _id("已召开会议上听取的报告（议程 id）")
    department = _id("交办单位（id）")
    text = serializers.CharField()


# --- who writes, and the forms' choices (as on the pages) --------------------------------


def staff_of(request: Request, region: Region) -> User:
    """The acting user, if staff of the object's region (or above): the meetings' writes
    are the staff's, as the pages. A member or clerk who sees the object: 403."""
    user = acting_user(request)
    if not in_jurisdiction(user, region):
        raise NotPermitted()
    return user


def staff_creating(request: Request) -> User:
    """The acting user, if congress staff: only they create meetings and opinions (403
    else; where, their scope says: 404 outside it)."""
    user = acting_user(request)
    if not is_staff_or_admin(user):
        raise NotPermitted()
    return user


def departments_in(region: Region) -> QuerySet[Department]:
    """The active bodies of the region: who answers an inquiry, who gets an opinion."""
    return Department.objects.filter(region=region, is_active=True).order_by("name")


def departments_within_reach(user: User) -> QuerySet[Department]:
    """The bodies a report may come from: in the user's jurisdiction or above it."""
    rows = Department.objects.filter(is_active=True).select_related("region")
    reachable = [d.pk for d in rows if within_reach(user, d.region)]
    return rows.filter(pk__in=reachable).order_by("region__path", "name")


def member_choices(meeting: Meeting) -> list[tuple[int, str]]:
    return [
        (m.user_id, str(m.user))
        for m in meeting.members.select_related("user").order_by("user__username")
    ]


def agenda_form(user: User, meeting: Meeting, data: Mapping[str, Any]) -> AgendaItemForm:
    return AgendaItemForm(
        data,
        departments=departments_within_reach(user),
        topics=Topic.objects.filter(region=meeting.region).order_by("-pk"),
        earlier=AgendaItem.objects.filter(region=meeting.region, kind=ItemKind.REPORT)
        .exclude(meeting=meeting)
        .order_by("-pk"),
    )


def question_form(item: AgendaItem, data: Mapping[str, Any]) -> QuestionForm:
    return QuestionForm(
        data,
        departments=departments_in(item.region),
        questions=Question.objects.filter(item=item),
        members=member_choices(item.meeting),
    )


def _members(meeting: Meeting) -> Any:
    rows = meeting.members.select_related("user").order_by("user__username")
    return MeetingMemberSerializer(rows, many=True).data


@extend_schema_view(
    act=action_schema(
        actions.MEETING_ACTIONS,
        request=MeetingStepInput,
        responses=MeetingSerializer,
        description="Take one step on the meeting: 会议已召开 (meeting_hold), 取消会议 "
        "(meeting_cancel, `reason` required; the reports still awaited are cancelled). An "
        "unknown name: 400; a step not open now: 409.",
    )
)
class MeetingViewSet(
    ActionRoute, mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet
):
    """The meetings in the user's scope; their staff schedule and run them."""

    serializer_class = MeetingSerializer
    pagination_class = KeysetPagination
    keyset_ordering = ("-held_on", "-pk")
    filterset_fields = ["status", "congress"]

    def get_queryset(self) -> QuerySet[Meeting]:
        return selectors.visible_meetings(self.request.user)

    def _answer(self, meeting: Meeting, code: int = status.HTTP_200_OK) -> Response:
        return Response(MeetingSerializer(self.get_queryset().get(pk=meeting.pk)).data, status=code)

    @extend_schema(request=MeetingScheduleInput, responses={201: MeetingSerializer})
    def create(self, request: Request) -> Response:
        """安排会议: 第N次会议 of a congress in the staff's scope (another's: 404); its
        members are the committee's members now."""
        user = staff_creating(request)
        body = request_fields(request)
        congresses = supervision_selectors.congresses_managed(user)
        visible_in_body(congresses, body, "congress")
        form = MeetingForm(body, congresses=congresses)
        meeting = services.meeting_schedule(by=user, **valid(form))
        return self._answer(meeting, status.HTTP_201_CREATED)

    @extend_schema(methods=["GET"], request=None, responses=MeetingMemberSerializer(many=True))
    @extend_schema(
        methods=["POST"], request=MeetingMemberInput, responses={201: MeetingMemberSerializer}
    )
    @action(detail=True, methods=["get", "post"], pagination_class=None, filter_backends=[])
    def members(self, request: Request, pk: str) -> Response:
        """The meeting's members and their attendance; POST adds a member of the
        congress's standing committee granted since the meeting was scheduled."""
        meeting = self.get_object()
        user = staff_of(request, meeting.region)
        if request.method != "POST":
            return Response(_members(meeting))
        data = MeetingMemberInput(data=request_fields(request), meeting=meeting)
        data.is_valid(raise_exception=True)
        seat = services.meeting_member_add(
            meeting=meeting, user=data.validated_data["user"], by=user
        )
        return Response(MeetingMemberSerializer(seat).data, status=status.HTTP_201_CREATED)

    @extend_schema(request=MeetingAttendanceInput, responses=MeetingMemberSerializer(many=True))
    @action(detail=True, methods=["post"], pagination_class=None, filter_backends=[])
    def attendance(self, request: Request, pk: str) -> Response:
        """登记出席: the members present (user ids); every other member is recorded
        absent. Someone who is no member of the meeting: 400 on ``present``."""
        meeting = self.get_object()
        user = staff_of(request, meeting.region)
        form = AttendanceForm(request_fields(request), members=member_choices(meeting))
        present = [int(value) for value in valid(form)["present"]]
        services.meeting_attendance(meeting=meeting, present=present, by=user)
        return Response(_members(meeting))

    def take_action(self, obj: Meeting, name: str, request: Request) -> None:
        user = staff_of(request, obj.region)
        step = actions.meeting_action(name)
        actions.take_meeting(name, obj, valid(step.form(form_data(request))), user)

    @extend_schema(request=AgendaItemAddInput, responses={201: AgendaItemSerializer})
    @action(detail=True, methods=["post"])
    def agenda(self, request: Request, pk: str) -> Response:
        """列入议程 of a meeting still to be held: a report (its body gets a loop item due
        before the meeting) or an inquiry."""
        meeting = self.get_object()
        user = staff_of(request, meeting.region)
        form = agenda_form(user, meeting, request_fields(request))
        item = services.agenda_add(meeting=meeting, by=user, **valid(form))
        fresh = selectors.visible_items(user).select_related("vote").get(pk=item.pk)
        return Response(AgendaItemSerializer(fresh).data, status=status.HTTP_201_CREATED)


@extend_schema_view(
    act=action_schema(
        actions.ITEM_ACTIONS,
        request=None,
        responses=AgendaItemSerializer,
        description="Take a step by name (report_submit: text and/or attachment, a file sent as "
        "multipart; evaluation_open, "
        "evaluation_close: no fields). An unknown name: 400; not allowed now: 409.",
    )
)
class AgendaItemViewSet(
    ActionRoute, mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet
):
    serializer_class = AgendaItemSerializer
    pagination_class = KeysetPagination
    keyset_ordering = ("-id", "-pk")
    filterset_fields = ["meeting", "kind", "status"]

    def get_queryset(self) -> QuerySet[AgendaItem]:
        return selectors.visible_items(self.request.user).select_related("vote")

    def retrieve(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        """One item; its staff and the reporting body's clerk also read the draft for
        comments and the comments on it (null for anyone else, and in lists)."""
        item = self.get_object()
        parties = selectors.item_parties(request.user, item)
        context = {**self.get_serializer_context(), "reads_draft": parties.staff or parties.clerk}
        return Response(AgendaItemSerializer(item, context=context).data)

    @extend_schema(request=AgendaItemEditInput, responses=AgendaItemSerializer)
    def partial_update(self, request: Request, pk: str) -> Response:
        """修改议程 while the meeting is still to be held: ``title`` and ``topic`` (those
        not sent stay); the kind and the reporting body stay."""
        item = self.get_object()
        user = staff_of(request, item.region)
        current = {"title": item.title, "topic": str(item.topic_id) if item.topic_id else ""}
        form = AgendaEditForm(
            merged(current, request_fields(request)),
            topics=Topic.objects.filter(region=item.region).order_by("-pk"),
        )
        services.agenda_update(item=item, by=user, **valid(form))
        return Response(AgendaItemSerializer(self.get_queryset().get(pk=item.pk)).data)

    @extend_schema(methods=["GET"], request=None, responses=MeetingQuestionSerializer(many=True))
    @extend_schema(
        methods=["POST"], request=MeetingQuestionInput, responses={201: MeetingQuestionSerializer}
    )
    @action(detail=True, methods=["get", "post"], pagination_class=None, filter_backends=[])
    def questions(self, request: Request, pk: str) -> Response:
        """An inquiry's questions in the order asked (whoever sees the item); POST records
        one as it is asked, as meeting mode does (the staff's)."""
        item = self.get_object()
        if request.method != "POST":
            rows = selectors.inquiry_questions(item)
            return Response(MeetingQuestionSerializer(rows, many=True).data)
        user = staff_of(request, item.region)
        data = valid(question_form(item, request_fields(request)))
        question = services.question_record(item=item, by=user, **data)
        return Response(MeetingQuestionSerializer(question).data, status=status.HTTP_201_CREATED)

    @extend_schema(
        parameters=[OpenApiParameter("question_id", OpenApiTypes.INT, OpenApiParameter.PATH)],
        request=MeetingAnswerInput,
        responses=MeetingQuestionSerializer,
    )
    @action(
        detail=True,
        methods=["post"],
        url_path=r"questions/(?P<question_id>[0-9]+)/answer",
        url_name="question-answer",
    )
    def question_answer(self, request: Request, pk: str, question_id: str) -> Response:
        """The answer to a question (and the asker's mark), written or corrected later;
        another item's question: 404."""
        item = self.get_object()
        user = staff_of(request, item.region)
        question = get_visible_or_404(item.questions.all(), pk=int(question_id))
        data = valid(AnswerForm(request_fields(request)))
        question = services.question_answer(question=question, by=user, **data)
        return Response(MeetingQuestionSerializer(question).data)

    def take_action(self, obj: AgendaItem, name: str, request: Request) -> None:
        declared = actions.item_action(name)
        form = declared.form(form_data(request), request.FILES)
        actions.take_item(name, obj, valid(form), acting_user(request))

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


@extend_schema_view(
    act=action_schema(
        actions.OPINION_ACTIONS,
        request=None,
        responses=ReviewOpinionSerializer,
        description="Take a step by name. An unknown name: 400; not allowed now: 409.",
    )
)
class OpinionViewSet(
    ActionRoute, mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet
):
    """审议意见: staff see their region's, a clerk those issued to their bodies. Staff draft
    one (``POST``) and edit it while a draft (``PATCH``). Steps: ``POST
    …/{id}/actions/{name}/`` (opinion_issue; opinion_report_handling: text;
    opinion_schedule: meeting, its number 第N次)."""

    serializer_class = ReviewOpinionSerializer
    pagination_class = KeysetPagination
    keyset_ordering = ("-created_at", "-pk")
    filterset_fields = ["status", "department"]

    def get_queryset(self) -> QuerySet[ReviewOpinion]:
        return selectors.visible_opinions(self.request.user)

    def _answer(self, opinion: ReviewOpinion, code: int = status.HTTP_200_OK) -> Response:
        fresh = self.get_queryset().get(pk=opinion.pk)
        return Response(ReviewOpinionSerializer(fresh).data, status=code)

    @extend_schema(request=ReviewOpinionDraftInput, responses={201: ReviewOpinionSerializer})
    def create(self, request: Request) -> Response:
        """起草审议意见 on a report heard at a held meeting (``item``), for the body that
        will handle it (``department``, of the meeting's region)."""
        user = staff_creating(request)
        body = request_fields(request)
        item = visible_in_body(selectors.visible_items(user), body, "item")
        staff_of(request, item.region)
        form = OpinionForm(body, departments=departments_in(item.region))
        opinion = services.opinion_draft(item=item, by=user, **valid(form))
        return self._answer(opinion, status.HTTP_201_CREATED)

    @extend_schema(request=ReviewOpinionEditInput, responses=ReviewOpinionSerializer)
    def partial_update(self, request: Request, pk: str) -> Response:
        """修改审议意见 while it is a draft (issued: 409): ``department``, ``text``."""
        opinion = self.get_object()
        user = staff_of(request, opinion.region)
        current = {"department": str(opinion.department_id), "text": opinion.text}
        form = OpinionForm(
            merged(current, request_fields(request)), departments=departments_in(opinion.region)
        )
        services.opinion_update(opinion=opinion, by=user, **valid(form))
        return self._answer(opinion)

    def take_action(self, obj: ReviewOpinion, name: str, request: Request) -> None:
        form = actions.opinion_action(name).form(form_data(request))
        actions.take_opinion(name, obj, valid(form), acting_user(request))
