from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _

from congress.models import AuditEvent, Congress, Department, Region, RoleGrant, Session, Term, User


@admin.register(Region)
class RegionAdmin(admin.ModelAdmin[Region]):
    list_display = ["name", "level", "code", "parent"]
    list_filter = ["level"]
    search_fields = ["name", "code"]
    autocomplete_fields = ["parent"]
    list_select_related = ["parent"]


class TermInline(admin.TabularInline[Term, Congress]):
    model = Term
    extra = 0


@admin.register(Congress)
class CongressAdmin(admin.ModelAdmin[Congress]):
    list_display = ["name", "level", "region"]
    list_filter = ["level"]
    search_fields = ["name"]
    autocomplete_fields = ["region"]
    inlines = [TermInline]


@admin.register(Session)
class SessionAdmin(admin.ModelAdmin[Session]):
    list_display = ["__str__", "kind", "opens_on", "closes_on"]
    list_filter = ["kind"]
    list_select_related = ["term__congress"]


@admin.register(Department)
class DepartmentAdmin(admin.ModelAdmin[Department]):
    list_display = ["name", "kind", "region", "parent", "is_active"]
    list_filter = ["kind", "is_active"]
    search_fields = ["name", "short_name"]
    autocomplete_fields = ["region", "parent"]
    list_select_related = ["region", "parent"]


class RoleGrantInline(admin.TabularInline[RoleGrant, User]):
    model = RoleGrant
    extra = 0
    autocomplete_fields = ["region", "department"]


@admin.register(User)
class UserAdmin(DjangoUserAdmin):
    list_display = ["username", "display_name", "is_active", "is_superuser", "last_login"]
    search_fields = ["username", "display_name"]
    inlines = [RoleGrantInline]
    fieldsets = (
        *(DjangoUserAdmin.fieldsets or ()),
        (_("联系方式"), {"fields": ("display_name", "mobile")}),
    )


@admin.register(AuditEvent)
class AuditEventAdmin(admin.ModelAdmin[AuditEvent]):
    """Read-only: the audit trail is append-only, even for administrators."""

    list_display = ["at", "username", "action", "object_type", "object_repr", "ip"]
    list_filter = ["action", "object_type"]
    search_fields = ["username", "object_repr", "object_id"]
    date_hierarchy = "at"

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False
