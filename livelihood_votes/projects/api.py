"""/api/v1/livelihood-projects/: the same scoped selectors, action table and services as
the pages (docs/livelihood-projects.md, "API").

- ``GET …/projects/`` and ``…/projects/{id}/``: the projects the user sees (staff of
  the cycle's region, the responsible or co-operating department's clerk, the 1+1+N
  group), keyset pages; ``POST …/projects/{id}/actions/{name}/`` takes a step of the
  action table (an unknown name: 400; not allowed now: 409; outside the scope: 404).
- ``GET …/reports/``: the monthly reports of those projects.
- ``GET …/public/projects/?cycle=`` and ``…/public/projects/{id}/``: without login, the
  public pages' data, nothing personal (no clerk, no group, no commenter).
"""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet
from django.urls import reverse
from drf_spectacular.utils import extend_schema_field, extend_schema_view
from rest_framework import serializers, viewsets
from rest_framework.permissions import AllowAny
from rest_framework.request import Request

from congress.api.actions import ActionRoute, action_schema, form_data, valid
from congress.keyset import KeysetPagination
from congress.scoping import acting_user
from livelihood_votes.models.projects import Milestone, ProgressReport, Project
from livelihood_votes.projects import actions, selectors


class MilestoneSerializer(serializers.ModelSerializer):
    class Meta:
        model = Milestone
        fields = ["id", "title", "due_on", "done_on"]
        read_only_fields = fields


class ProjectSerializer(serializers.ModelSerializer):
    department_name = serializers.CharField(source="department.name", read_only=True)

    class Meta:
        model = Project
        fields = [
            "id",
            "cycle",
            "title",
            "summary",
            "department",
            "department_name",
            "budget",
            "deadline",
            "starts_on",
            "place",
            "status",
            "percent_complete",
            "spent",
            "behind_schedule",
            "next_milestone_on",
            "last_report_on",
            "group_committee",
        ]
        read_only_fields = fields


class ReportSerializer(serializers.ModelSerializer):
    class Meta:
        model = ProgressReport
        fields = [
            "id",
            "project",
            "month",
            "due_on",
            "status",
            "percent_complete",
            "spent",
            "text",
            "problems",
            "backwards_reason",
            "filed_at",
            "late",
        ]
        read_only_fields = fields


@extend_schema_view(
    act=action_schema(
        actions.ACTIONS,
        request=None,
        responses=ProjectSerializer,
        description="Take a step by name (project_plan, milestone_add, project_start, "
        "report_file, milestone_done, inspection_record, inquiry_record, project_complete, "
        "comment_publish, comment_reject; their fields as on the step's page). An unknown "
        "name: 400; not allowed now: 409.",
    )
)
class ProjectViewSet(ActionRoute, viewsets.ReadOnlyModelViewSet):
    serializer_class = ProjectSerializer
    pagination_class = KeysetPagination
    keyset_ordering = ("-created_at", "-pk")
    filterset_fields = ["cycle", "status", "department", "behind_schedule"]

    def get_queryset(self) -> QuerySet[Project]:
        return selectors.visible_projects(self.request.user)

    def take_action(self, obj: Project, name: str, request: Request) -> None:
        declared = actions.action(name)
        form = declared.form(
            form_data(request), request.FILES if declared.files else None, project=obj
        )
        actions.take(name, obj, dict(valid(form)), acting_user(request))


class ReportViewSet(viewsets.ReadOnlyModelViewSet):
    serializer_class = ReportSerializer
    pagination_class = KeysetPagination
    keyset_ordering = ("-month", "-pk")
    filterset_fields = ["project", "status"]

    def get_queryset(self) -> QuerySet[ProgressReport]:
        return selectors.visible_reports(self.request.user)


# --- public -------------------------------------------------------------------------------


class PublicProjectSerializer(serializers.ModelSerializer):
    """What the public page shows: no person at all."""

    department_name = serializers.CharField(source="department.name", read_only=True)
    url = serializers.SerializerMethodField()

    class Meta:
        model = Project
        fields = [
            "id",
            "cycle",
            "title",
            "summary",
            "department_name",
            "budget",
            "deadline",
            "place",
            "status",
            "percent_complete",
            "spent",
            "behind_schedule",
            "last_report_on",
            "url",
        ]
        read_only_fields = fields

    @extend_schema_field(serializers.CharField())
    def get_url(self, project: Project) -> str:
        return reverse("livelihood_public_project", args=[project.pk])


class PublicReportSerializer(serializers.ModelSerializer):
    photos = serializers.SerializerMethodField()

    class Meta:
        model = ProgressReport
        fields = ["month", "percent_complete", "spent", "text", "photos"]
        read_only_fields = fields

    @extend_schema_field(serializers.ListField(child=serializers.CharField()))
    def get_photos(self, report: ProgressReport) -> list[str]:
        return [reverse("livelihood_public_photo", args=[p.token]) for p in report.photos.all()]


class PublicCommentSerializer(serializers.Serializer):
    text = serializers.CharField()
    created_at = serializers.DateTimeField()


class PublicProjectDetailSerializer(PublicProjectSerializer):
    milestones = serializers.SerializerMethodField()
    latest_report = serializers.SerializerMethodField()
    comments = serializers.SerializerMethodField()

    class Meta(PublicProjectSerializer.Meta):
        fields = [*PublicProjectSerializer.Meta.fields, "milestones", "latest_report", "comments"]
        read_only_fields = fields

    def _page(self, project: Project) -> dict[str, Any]:
        cached = self.context.setdefault("page", {})
        if project.pk not in cached:
            cached[project.pk] = selectors.public_page(project)
        return cached[project.pk]

    @extend_schema_field(MilestoneSerializer(many=True))
    def get_milestones(self, project: Project) -> Any:
        return MilestoneSerializer(self._page(project)["milestones"], many=True).data

    @extend_schema_field(PublicReportSerializer(allow_null=True))
    def get_latest_report(self, project: Project) -> Any:
        latest = self._page(project)["latest"]
        return None if latest is None else PublicReportSerializer(latest).data

    @extend_schema_field(PublicCommentSerializer(many=True))
    def get_comments(self, project: Project) -> Any:
        return PublicCommentSerializer(self._page(project)["comments"], many=True).data


class PublicProjectViewSet(viewsets.ReadOnlyModelViewSet):
    """The public list (``?cycle=`` required) and page data, without login."""

    permission_classes = [AllowAny]
    authentication_classes: list[Any] = []
    pagination_class = KeysetPagination
    keyset_ordering = ("order", "pk")

    def get_serializer_class(self) -> type[serializers.BaseSerializer]:
        if self.action == "retrieve":
            return PublicProjectDetailSerializer
        return PublicProjectSerializer

    def get_queryset(self) -> QuerySet[Project]:
        if self.action == "list":
            try:
                cycle = int(self.request.query_params.get("cycle", ""))
            except ValueError:
                return Project.objects.none()
            return selectors.public_projects(cycle)
        return Project.objects.select_related("department", "cycle__region")
