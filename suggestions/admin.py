from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.http import HttpRequest

from suggestions.models.citizen import (
    Appointment,
    BannedPhone,
    CitizenIssue,
    CitizenMessage,
    IssueCategory,
)

# --- citizen channel (issue 5) ---------------------------------------------------------------
# Problems are read-only here: every change goes through the services (timeline,
# closed loop). Names and numbers are left out of the admin entirely.


ISSUE_FIELDS: tuple[str, ...] = (
    "tracking_code",
    "source",
    "category",
    "title",
    "description",
    "region",
    "station",
    "representative",
    "handler",
    "status",
    "rating",
    "reopen_count",
    "needs_supervision",
    "hidden_from_public",
    "created_at",
    "closed_at",
    "anonymised_at",
)
APPOINTMENT_FIELDS: tuple[str, ...] = (
    "kind",
    "representative",
    "department",
    "station",
    "topic",
    "status",
    "scheduled_at",
    "place",
)
# The text is left out: it may hold a confirmation code or a tracking link.
MESSAGE_FIELDS: tuple[str, ...] = (
    "dedupe_key",
    "status",
    "attempts",
    "created_at",
    "sent_at",
    "last_error",
)


@admin.register(IssueCategory)
class IssueCategoryAdmin(admin.ModelAdmin[IssueCategory]):
    list_display = ["name", "code", "sort_order", "is_active"]
    list_editable = ["sort_order", "is_active"]


@admin.register(CitizenIssue)
class CitizenIssueAdmin(admin.ModelAdmin[CitizenIssue]):
    list_display = ["tracking_code", "title", "category", "status", "region", "created_at"]
    list_filter = ["status", "category", "source", "needs_supervision"]
    search_fields = ["tracking_code", "title"]
    list_select_related = ["category", "region"]
    fields = ISSUE_FIELDS
    readonly_fields = ISSUE_FIELDS

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.register(BannedPhone)
class BannedPhoneAdmin(admin.ModelAdmin[BannedPhone]):
    """Bans are added from a problem's page (the number is never typed in here)."""

    list_display = ["__str__", "reason", "expires_at", "created_by", "created_at"]
    readonly_fields = ["mobile_hash", "created_by", "created_at"]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False


@admin.register(Appointment)
class AppointmentAdmin(admin.ModelAdmin[Appointment]):
    list_display = ["kind", "representative", "status", "preferred_date", "scheduled_at"]
    list_filter = ["kind", "status"]
    fields = APPOINTMENT_FIELDS
    readonly_fields = APPOINTMENT_FIELDS

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.register(CitizenMessage)
class CitizenMessageAdmin(admin.ModelAdmin[CitizenMessage]):
    list_display = ["dedupe_key", "status", "attempts", "created_at", "sent_at"]
    list_filter = ["status"]
    fields = MESSAGE_FIELDS
    readonly_fields = MESSAGE_FIELDS

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False


# --- end of citizen channel ------------------------------------------------------------------


# --- formal channel: representatives' suggestions (issue 6) ----------------------------------
# Read-only: every change goes through the services (transition table, timeline, the
# closed loop). Administrators look things up here; staff work on the pages.

from suggestions.models.formal import (  # noqa: E402 - this block is appended by its own owner
    Suggestion,
    SuggestionRating,
    SuggestionReply,
    SuggestionSigner,
)


class _ReadOnly:
    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


class SuggestionSignerInline(_ReadOnly, admin.TabularInline[SuggestionSigner, Suggestion]):
    model = SuggestionSigner
    extra = 0
    fields = ("representative", "role", "status", "responded_at")
    readonly_fields = ("representative", "role", "status", "responded_at")


@admin.register(Suggestion)
class SuggestionAdmin(_ReadOnly, admin.ModelAdmin[Suggestion]):
    list_display = ["number", "title", "kind", "status", "session", "lead", "reply_category"]
    list_filter = ["status", "kind", "category", "reply_category", "is_key"]
    search_fields = ["title", "lead__name"]
    list_select_related = ["session__term__congress", "lead"]
    inlines = [SuggestionSignerInline]


@admin.register(SuggestionReply)
class SuggestionReplyAdmin(_ReadOnly, admin.ModelAdmin[SuggestionReply]):
    list_display = ["suggestion", "department", "category", "round", "on_time", "replied_at"]
    list_filter = ["category", "is_follow_up", "on_time"]
    list_select_related = ["suggestion", "department"]


@admin.register(SuggestionRating)
class SuggestionRatingAdmin(_ReadOnly, admin.ModelAdmin[SuggestionRating]):
    list_display = ["reply", "representative", "attitude", "result", "channel", "rated_at"]
    list_filter = ["attitude", "result", "channel"]
    list_select_related = ["reply__suggestion", "representative"]


# --- end of formal channel -------------------------------------------------------------------
