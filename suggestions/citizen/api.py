"""The citizen channel's API (/api/v1/): public submission and tracking (no login,
rate-limited per client address), and the scoped lists, details and actions of
staff, representatives and departments.

Input is validated with the same Django forms as the HTML pages and every step
calls the same service, so both interfaces behave alike; domain errors become
{"code", "message"} through the project's exception handler.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from django import forms as django_forms
from django.db.models import QuerySet
from django.utils.translation import gettext as _
from drf_spectacular.utils import (
    extend_schema,
    extend_schema_field,
    extend_schema_view,
    inline_serializer,
)
from rest_framework import serializers, status, viewsets
from rest_framework.parsers import FormParser, JSONParser, MultiPartParser
from rest_framework.permissions import AllowAny
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from congress.api.actions import ActionRoute, action_schema, form_data, form_errors
from congress.errors import RuleViolation
from congress.keyset import KeysetPagination
from congress.ratelimit import check
from congress.scoping import acting_user
from suggestions.citizen import actions, appointment_actions, conf, selectors, services
from suggestions.citizen.filters import CitizenIssueFilter, list_ordering
from suggestions.citizen.forms import IssueSubmitForm
from suggestions.citizen.privacy import mask_mobile, mask_name, mobile_hash
from suggestions.citizen.views import origin_of
from suggestions.models.citizen import Appointment, CitizenIssue, IssueSource, IssueStatus


class CategorySerializer(serializers.Serializer):
    id = serializers.IntegerField()
    code = serializers.CharField()
    name = serializers.CharField()


class TimelineEntrySerializer(serializers.Serializer):
    at = serializers.DateTimeField()
    text = serializers.CharField()


class PublicIssueSerializer(serializers.ModelSerializer):
    """What the citizen's tracking link shows: their own problem, plain-language progress."""

    # Plain strings, not enums: "status" and "rating" mean other choice sets in
    # other apps' components, and the schema must name each enum once.
    status = serializers.CharField(read_only=True)
    rating = serializers.CharField(read_only=True)
    status_label = serializers.SerializerMethodField()
    category = serializers.CharField(source="category.name")
    masked_mobile = serializers.SerializerMethodField()
    timeline = serializers.SerializerMethodField()
    can_rate = serializers.SerializerMethodField()

    class Meta:
        model = CitizenIssue
        fields = [
            "tracking_code",
            "status",
            "status_label",
            "category",
            "title",
            "description",
            "address",
            "answer",
            "rating",
            "created_at",
            "masked_mobile",
            "can_rate",
            "timeline",
        ]

    def get_status_label(self, issue: CitizenIssue) -> str:
        return str(IssueStatus(issue.status).label)

    def get_masked_mobile(self, issue: CitizenIssue) -> str:
        return mask_mobile(issue.mobile) if issue.mobile else ""

    def get_can_rate(self, issue: CitizenIssue) -> bool:
        return issue.status == IssueStatus.ANSWERED

    @extend_schema_field(TimelineEntrySerializer(many=True))
    def get_timeline(self, issue: CitizenIssue) -> list[dict[str, Any]]:
        return [{"at": e.at, "text": e.public_note} for e in selectors.public_timeline(issue)]


class SubmissionSerializer(serializers.Serializer):
    """The public submission (multipart for photos; JSON without)."""

    idempotency_key = serializers.UUIDField(
        help_text="A uuid4 the client makes once per problem: a retry returns the same case."
    )
    station = serializers.CharField(required=False, help_text="A station's public token.")
    rep = serializers.CharField(required=False, help_text="A representative's public token.")
    region = serializers.IntegerField(required=False, help_text="A township, without a token.")
    category = serializers.IntegerField()
    description = serializers.CharField()
    address = serializers.CharField(required=False)
    latitude = serializers.DecimalField(max_digits=9, decimal_places=6, required=False)
    longitude = serializers.DecimalField(max_digits=9, decimal_places=6, required=False)
    photos = serializers.ListField(child=serializers.ImageField(), required=False)
    citizen_name = serializers.CharField(required=False)
    mobile = serializers.CharField(required=False)
    wants_sms = serializers.BooleanField(required=False)
    public_anonymous = serializers.BooleanField(required=False)
    consent = serializers.BooleanField()


class SubmittedSerializer(serializers.Serializer):
    tracking_code = serializers.CharField()
    tracking_url = serializers.CharField()
    status = serializers.CharField()
    created = serializers.BooleanField()


class PublicCategoryList(APIView):
    authentication_classes: list[Any] = []
    permission_classes = [AllowAny]

    @extend_schema(responses=CategorySerializer(many=True), tags=["citizen (public)"])
    def get(self, request: Request) -> Response:
        rows = selectors.categories().values("id", "code", "name")
        return Response(CategorySerializer(rows, many=True).data)


class PublicIssueSubmit(APIView):
    """Submit a problem without an account (rate-limited per address and per phone)."""

    authentication_classes: list[Any] = []
    permission_classes = [AllowAny]
    parser_classes = [MultiPartParser, FormParser, JSONParser]

    @extend_schema(
        request=SubmissionSerializer,
        responses={201: SubmittedSerializer, 200: SubmittedSerializer},
        tags=["citizen (public)"],
    )
    def post(self, request: Request) -> Response:
        # A retry of a stored submission answers with its case and costs nothing:
        # it is looked up before the limits (as on the HTML form).
        data = request.data if isinstance(request.data, Mapping) else {}
        stored = selectors.stored_submission(data.get("idempotency_key", ""))
        if stored is not None:
            return Response(self._answer(request, stored, created=False), status=status.HTTP_200_OK)
        check(request, group="citizen-submit", rate=conf.rate_per_ip())
        origin = origin_of(request, request.data)
        form = IssueSubmitForm(request.data, request.FILES)
        if form.is_robot:
            return Response({"detail": "ok"}, status=status.HTTP_202_ACCEPTED)
        if not form.is_valid():
            raise form_errors(form)
        region = origin.region
        if region is None:
            from congress.models import Region, RegionLevel

            region = Region.objects.filter(
                pk=request.data.get("region") or 0, level=RegionLevel.TOWNSHIP
            ).first()
        if region is None:
            raise RuleViolation(_("请指定家站点、代表或问题所在的乡镇（街道）。"))
        if form.cleaned_data["mobile"]:
            check(
                request,
                group="citizen-submit-phone",
                rate=conf.rate_per_phone(),
                key=lambda group, req: mobile_hash(form.cleaned_data["mobile"]),
            )
        issue, created = services.citizen_issue_submit(
            submission=form.submission(
                region=region,
                station=origin.station,
                representative=origin.representative,
                source=IssueSource.API,
            ),
            idempotency_key=form.cleaned_data["idempotency_key"],
        )
        body = self._answer(request, issue, created=created)
        return Response(body, status=status.HTTP_201_CREATED if created else status.HTTP_200_OK)

    @staticmethod
    def _answer(request: Request, issue: CitizenIssue, *, created: bool) -> dict[str, Any]:
        return {
            "tracking_code": issue.tracking_code,
            "tracking_url": request.build_absolute_uri(issue.get_tracking_url()),
            "status": issue.status,
            "created": created,
        }


class PublicIssueTrack(APIView):
    authentication_classes: list[Any] = []
    permission_classes = [AllowAny]

    @extend_schema(responses=PublicIssueSerializer, tags=["citizen (public)"])
    def get(self, request: Request, token: str) -> Response:
        issue = selectors.tracked_issue(token)
        response = Response(PublicIssueSerializer(issue).data)
        response["Cache-Control"] = "no-store"
        return response


class RatingSerializer(serializers.Serializer):
    rating = serializers.CharField(help_text="satisfied | basically | unsatisfied")
    comment = serializers.CharField(required=False, allow_blank=True)


class PublicIssueRate(APIView):
    authentication_classes: list[Any] = []
    permission_classes = [AllowAny]

    @extend_schema(
        request=RatingSerializer, responses=PublicIssueSerializer, tags=["citizen (public)"]
    )
    def post(self, request: Request, token: str) -> Response:
        check(request, group="citizen-track", rate=conf.rate_tracking())
        issue = selectors.tracked_issue(token)
        rate = actions.LINK_ACTIONS["rate"]  # the tracking page's own step (actions.py)
        form = rate.form(request.data)
        if not form.is_valid():
            raise form_errors(form)
        rate.run(issue, form.cleaned_data)
        return Response(PublicIssueSerializer(issue).data)


# --- staff, representatives, departments -------------------------------------------------


class IssueListSerializer(serializers.ModelSerializer):
    """A list row: no name, no number (see the detail's masked fields and reveal)."""

    category = serializers.CharField(source="category.name")
    status = serializers.CharField(read_only=True)
    rating = serializers.CharField(read_only=True)
    region = serializers.CharField(source="region.name")
    station = serializers.CharField(source="station.name", default="")
    handler = serializers.CharField(source="handler.name", default="")
    status_label = serializers.SerializerMethodField()
    department = serializers.CharField(source="department_name", default="", read_only=True)
    is_overdue = serializers.BooleanField(read_only=True, default=False)
    next_due = serializers.DateField(read_only=True, default=None)
    next_due_provisional = serializers.BooleanField(
        read_only=True,
        default=False,
        help_text="next_due counts a year whose holiday notice is not out yet (provisional).",
    )

    class Meta:
        model = CitizenIssue
        fields = [
            "id",
            "tracking_code",
            "title",
            "category",
            "status",
            "status_label",
            "region",
            "station",
            "handler",
            "department",
            "is_overdue",
            "next_due",
            "next_due_provisional",
            "supporters",
            "rating",
            "needs_supervision",
            "created_at",
        ]

    def get_status_label(self, issue: CitizenIssue) -> str:
        return str(IssueStatus(issue.status).label)


class EventSerializer(serializers.Serializer):
    at = serializers.DateTimeField()
    action = serializers.CharField()
    actor = serializers.CharField(source="actor_label")
    from_status = serializers.CharField()
    to_status = serializers.CharField()
    note = serializers.CharField()
    public_note = serializers.CharField()


class IssueDetailSerializer(IssueListSerializer):
    masked_name = serializers.SerializerMethodField()
    masked_mobile = serializers.SerializerMethodField()
    timeline = serializers.SerializerMethodField()
    actions = serializers.SerializerMethodField()

    class Meta(IssueListSerializer.Meta):
        fields = [
            *IssueListSerializer.Meta.fields,
            "description",
            "address",
            "latitude",
            "longitude",
            "answer",
            "rating_comment",
            "reopen_count",
            "masked_name",
            "masked_mobile",
            "timeline",
            "actions",
        ]

    def get_masked_name(self, issue: CitizenIssue) -> str:
        return mask_name(issue.citizen_name)

    def get_masked_mobile(self, issue: CitizenIssue) -> str:
        return mask_mobile(issue.mobile) if issue.mobile else ""

    @extend_schema_field(EventSerializer(many=True))
    def get_timeline(self, issue: CitizenIssue) -> Any:
        return EventSerializer(selectors.issue_timeline(issue), many=True).data

    def get_actions(self, issue: CitizenIssue) -> list[str]:
        return actions.allowed(self.context["request"].user, issue)


@extend_schema_view(
    act=action_schema(
        actions.ISSUE_ACTIONS,
        request=inline_serializer(
            "IssueActionInput", {"version": serializers.IntegerField(required=False)}
        ),
        responses=IssueDetailSerializer,
        description="Take one step on the problem. The fields are those of the step's form "
        "(e.g. forward: department, note; answer: answer; dept_reply: reply, attachments).",
    )
)
class CitizenIssueViewSet(ActionRoute, viewsets.ReadOnlyModelViewSet):
    """Problems in the caller's scope (staff region, own representative work, own
    department), filtered like the HTML list."""

    filterset_class = CitizenIssueFilter
    # Keyset pages (?after=, ?before=): page 1,000 costs what page 1 does.
    pagination_class = KeysetPagination

    @property
    def keyset_ordering(self) -> tuple[str, str]:
        """Newest first; 已超期 (``?overdue=true``) the longest overdue first."""
        return list_ordering(self.request.query_params.get("overdue", ""))

    def get_queryset(self) -> QuerySet[CitizenIssue]:
        rows = selectors.visible_issues(self.request.user)
        return selectors.with_list_columns(rows).order_by(*self.keyset_ordering)

    def get_serializer_class(self) -> type[serializers.BaseSerializer]:
        return IssueDetailSerializer if self.action != "list" else IssueListSerializer

    def take_action(self, obj: CitizenIssue, name: str, request: Request) -> None:
        user = acting_user(request)
        declared = actions.issue_action(name)
        form = declared.form(form_data(request), request.FILES, issue=obj, user=user)
        if not actions.take(obj, name, user, form).is_valid():
            raise form_errors(form)


class AppointmentSerializer(serializers.ModelSerializer):
    kind = serializers.CharField(read_only=True)
    status = serializers.CharField(read_only=True)
    representative = serializers.CharField(source="representative.name")
    department = serializers.CharField(source="department.name", default="")
    masked_mobile = serializers.SerializerMethodField()
    actions = serializers.SerializerMethodField()

    class Meta:
        model = Appointment
        fields = [
            "id",
            "kind",
            "status",
            "representative",
            "department",
            "topic",
            "preferred_date",
            "preferred_times",
            "scheduled_at",
            "place",
            "masked_mobile",
            "created_at",
            "actions",
        ]

    def get_masked_mobile(self, appointment: Appointment) -> str:
        return mask_mobile(appointment.mobile) if appointment.mobile else ""

    def get_actions(self, appointment: Appointment) -> list[str]:
        return appointment_actions.allowed(self.context["request"].user, appointment)


def _schema_field(field: django_forms.Field) -> serializers.Field:
    if isinstance(field, django_forms.DateTimeField):
        return serializers.DateTimeField(required=False)
    if isinstance(field, django_forms.ModelChoiceField):
        return serializers.IntegerField(required=False, help_text=_("编号（id）"))
    return serializers.CharField(required=False, allow_blank=True)


def _appointment_input() -> tuple[serializers.Serializer, str]:
    """The schema of the action route's body: every field of the actions' forms, and
    which action takes which (the forms are what checks them)."""
    fields: dict[str, serializers.Field] = {}
    lines = []
    for name, declared in appointment_actions.APPOINTMENT_ACTIONS.items():
        for key, field in declared.form.base_fields.items():
            fields.setdefault(key, _schema_field(field))
        taken = [f"{k}{'*' if f.required else ''}" for k, f in declared.form.base_fields.items()]
        lines.append(f"- `{name}`: {', '.join(taken)}")
    shape = inline_serializer("AppointmentActionInput", fields)
    return shape, "Fields of each action (* required):\n" + "\n".join(lines)


APPOINTMENT_INPUT, APPOINTMENT_FIELDS = _appointment_input()


@extend_schema_view(
    act=action_schema(
        appointment_actions.APPOINTMENT_ACTIONS,
        request=APPOINTMENT_INPUT,
        responses=AppointmentSerializer,
        description="Take one action on the appointment, with its form's fields; the "
        "appointment's page offers the same actions (its `actions` lists those the caller "
        "may take now). Outside the caller's scope: 404; a name that is no action: 400; an "
        "action the caller may not take now: 409.\n\n" + APPOINTMENT_FIELDS,
    )
)
class AppointmentViewSet(ActionRoute, viewsets.ReadOnlyModelViewSet):
    serializer_class = AppointmentSerializer
    filterset_fields = ["status", "kind"]

    def get_queryset(self) -> QuerySet[Appointment]:
        return selectors.visible_appointments(self.request.user).order_by("-created_at", "-pk")

    def take_action(self, obj: Appointment, name: str, request: Request) -> None:
        declared = appointment_actions.appointment_action(name)
        form = appointment_actions.take(
            obj, name, acting_user(request), declared.form(form_data(request))
        )
        if not form.is_valid():
            raise form_errors(form)
