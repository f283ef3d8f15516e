from __future__ import annotations

from rest_framework import serializers

from congress.models import Department, Region, RoleGrant, User


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
