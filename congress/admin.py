from __future__ import annotations

from typing import Any

import knox.admin  # noqa: F401 - registers knox's admin, replaced at the end
from django.contrib import admin, messages
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin
from django.db.models import Max, QuerySet
from django.http import HttpRequest, HttpResponse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from knox.models import AuthToken

from congress.api.tokens import api_token_revoke
from congress.auth import end_api_tokens
from congress.models import (
    OPEN_STATUSES,
    Assignment,
    AuditEvent,
    CaseEvent,
    Congress,
    Department,
    HolidayOverride,
    Region,
    Reminder,
    ReminderPolicy,
    RoleGrant,
    Session,
    Term,
    User,
)
from congress.models.regions import WorkingCommittee
from congress.scoping import acting_user
from congress.workdays import known_years, unknown_years_reached


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


@admin.register(WorkingCommittee)
class WorkingCommitteeAdmin(admin.ModelAdmin[WorkingCommittee]):
    list_display = ["name", "region", "congress"]
    search_fields = ["name"]
    autocomplete_fields = ["region", "congress"]
    list_select_related = ["region", "congress"]


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
    """A password an administrator types (a new account, a reset) is known to them,
    so its owner must change it at the next sign-in (congress.auth)."""

    list_display = ["username", "display_name", "is_active", "is_superuser", "last_login"]
    search_fields = ["username", "display_name"]
    inlines = [RoleGrantInline]
    fieldsets = (
        *(DjangoUserAdmin.fieldsets or ()),
        (_("联系方式"), {"fields": ("display_name", "mobile")}),
        (_("密码"), {"fields": ("must_change_password",)}),
    )

    def save_model(self, request: HttpRequest, obj: User, form: Any, change: bool) -> None:
        if not change:
            obj.must_change_password = True
        super().save_model(request, obj, form, change)

    def user_change_password(
        self, request: HttpRequest, id: str, form_url: str = ""
    ) -> HttpResponse:
        response = super().user_change_password(request, id, form_url)
        reset_done = request.method == "POST" and response.status_code == 302
        if reset_done:
            end_api_tokens(User.objects.get(pk=id))
        if reset_done and str(request.user.pk) != str(id):
            User.objects.filter(pk=id).update(must_change_password=True)
        return response


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


@admin.register(HolidayOverride)
class HolidayOverrideAdmin(admin.ModelAdmin[HolidayOverride]):
    """Holidays and make-up working days the calendar package lacks or gets wrong."""

    list_display = ["date", "is_workday", "note"]
    list_filter = ["is_workday"]
    date_hierarchy = "date"

    def changelist_view(self, request: HttpRequest, extra_context: Any = None) -> Any:
        today = timezone.localdate()
        latest = Assignment.objects.filter(status__in=OPEN_STATUSES, due_on__gte=today).aggregate(
            latest=Max("due_on")
        )["latest"]
        years = unknown_years_reached(latest, today)
        if years:
            messages.warning(
                request,
                _(
                    "%(years)s的放假安排尚未录入（节假日日历包只收录到%(last)s年）。这些年份暂按法定节假日"
                    "（元旦、春节、清明、劳动节、端午、中秋、国庆）和周末计算工作日，不含调休，相关期限"
                    "标注为“按暂定日历计算”。国务院办公厅公布放假安排后，请在此录入该年的放假日和调休"
                    "上班日，未到期的期限将自动重新计算。"
                )
                % {
                    "years": str(_("、")).join(str(_("%(year)s年") % {"year": y}) for y in years),
                    "last": known_years()[-1],
                },
            )
        return super().changelist_view(request, extra_context)


@admin.register(ReminderPolicy)
class ReminderPolicyAdmin(admin.ModelAdmin[ReminderPolicy]):
    list_display = [
        "case_type",
        "days_before",
        "remind_on_due",
        "escalate_after",
        "escalate_again_after",
    ]


class ReadOnlyAdmin(admin.ModelAdmin[Any]):
    """History is written by services, never edited by hand."""

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.register(Assignment)
class AssignmentAdmin(ReadOnlyAdmin):
    list_display = ["title", "case_type", "department", "status", "due_on", "escalation_level"]
    list_filter = ["status", "case_type", "role"]
    search_fields = ["title", "department__name"]
    list_select_related = ["department", "user", "staff_region"]
    date_hierarchy = "assigned_at"


@admin.register(Reminder)
class ReminderAdmin(ReadOnlyAdmin):
    list_display = ["assignment", "stage", "sent_at", "recipients"]
    list_select_related = ["assignment"]


@admin.register(CaseEvent)
class CaseEventAdmin(ReadOnlyAdmin):
    list_display = [
        "at",
        "case_type",
        "case_id",
        "action",
        "from_status",
        "to_status",
        "actor_label",
    ]
    list_filter = ["case_type", "action"]


# API tokens. Knox's own admin (imported above, so that it has registered) lets an
# administrator mint a token for anybody, which would skip that user's second
# factor; this one lists and revokes (deletes) only. Owners issue their own tokens
# on the "API 令牌" page (congress/api/tokens.py).
admin.site.unregister(AuthToken)


@admin.register(AuthToken)
class ApiTokenAdmin(admin.ModelAdmin[AuthToken]):
    list_display = ["prefix", "user", "created", "expiry"]
    list_select_related = ["user"]
    search_fields = ["user__username", "user__display_name"]
    date_hierarchy = "created"
    readonly_fields = ("prefix", "user", "created", "expiry")
    fields = readonly_fields

    @admin.display(description=_("令牌开头"))
    def prefix(self, token: AuthToken) -> str:
        return f"{token.token_key[:8]}…"

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    # Revoking goes through the service, as on the owner's page: the audit trail
    # names the administrator, their address and the token's owner.
    def delete_model(self, request: HttpRequest, obj: AuthToken) -> None:
        api_token_revoke(token=obj, by=acting_user(request))

    def delete_queryset(self, request: HttpRequest, queryset: QuerySet[AuthToken]) -> None:
        for token in queryset.select_related("user"):
            api_token_revoke(token=token, by=acting_user(request))
