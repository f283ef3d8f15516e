from __future__ import annotations

from rest_framework import serializers

from congress.models import Assignment, CaseEvent, Department, Region, RoleGrant, User


class RegionSerializer(serializers.ModelSerializer):
    class Meta:
        model = Region
        fields = ["id", "name", "level", "code", "parent", "depth"]


class DepartmentSerializer(serializers.ModelSerializer):
    class Meta:
        model = Department
        fields = ["id", "name", "short_name", "kind", "region", "parent", "is_active"]


class RoleGrantSerializer(serializers.ModelSerializer):
    class Meta:
        model = RoleGrant
        fields = ["role", "region", "department"]


class MeSerializer(serializers.ModelSerializer):
    grants = RoleGrantSerializer(many=True, read_only=True)

    class Meta:
        model = User
        fields = ["id", "username", "display_name", "is_superuser", "grants"]


class AssignmentSerializer(serializers.ModelSerializer):
    assignee = serializers.CharField(source="assignee_label", read_only=True)
    status_label = serializers.CharField(source="get_status_display", read_only=True)

    class Meta:
        model = Assignment
        fields = [
            "id",
            "case_type",
            "case_id",
            "title",
            "region",
            "department",
            "user",
            "staff_region",
            "assignee",
            "role",
            "status",
            "status_label",
            "version",
            "assigned_at",
            "due_on",
            "due_provisional",
            "original_due_on",
            "latest_due_on",
            "replied_at",
            "closed_at",
            "escalation_level",
        ]
        read_only_fields = fields


class AssignmentActionSerializer(serializers.Serializer):
    action = serializers.CharField()
    version = serializers.IntegerField()
    note = serializers.CharField(required=False, allow_blank=True, max_length=4000, default="")
    until = serializers.DateField(required=False, allow_null=True, default=None)


class CaseEventSerializer(serializers.ModelSerializer):
    actor = serializers.CharField(source="actor_label", read_only=True)

    class Meta:
        model = CaseEvent
        fields = ["id", "at", "actor", "action", "from_status", "to_status", "note", "data"]
        read_only_fields = fields
