"""Admin: votes and candidates may be corrected while a vote is a draft. Who voted and
what was voted are the core's ballot box, not in the admin at all: while a vote is open
its ballots are sealed, and after the close the published list is on the vote's pages."""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.http import HttpRequest

from livelihood_votes.models import Candidate, LivelihoodVote, VoteStatus


def _is_draft(obj: Any) -> bool:
    vote = obj.vote if isinstance(obj, Candidate) else obj
    return vote is None or vote.status == VoteStatus.DRAFT


def _is_runoff(obj: Any) -> bool:
    vote = obj.vote if isinstance(obj, Candidate) else obj
    return vote is not None and vote.runoff_of_id is not None


class CandidateInline(admin.TabularInline[Candidate, LivelihoodVote]):
    model = Candidate
    extra = 0
    autocomplete_fields = ["department"]

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        # A run-off's candidates are the projects that tied, copied when it was made
        # (``services.vote_runoff_create``): none added, none taken away, none renamed.
        return _is_draft(obj) and not _is_runoff(obj) and super().has_add_permission(request, obj)

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return _is_draft(obj) and super().has_change_permission(request, obj)

    def get_readonly_fields(self, request: HttpRequest, obj: Any = None) -> Any:
        if _is_runoff(obj):
            return ["title", "department"]
        return super().get_readonly_fields(request, obj)

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return (
            _is_draft(obj) and not _is_runoff(obj) and super().has_delete_permission(request, obj)
        )


@admin.register(LivelihoodVote)
class LivelihoodVoteAdmin(admin.ModelAdmin[LivelihoodVote]):
    list_display = ["title", "congress", "year", "seats", "ballot_form", "status"]
    list_filter = ["status", "year", "ballot_form"]
    search_fields = ["title"]
    list_select_related = ["congress"]
    autocomplete_fields = ["congress"]
    raw_id_fields = ["session"]
    # A run-off is made only by 发起补充票决 (``services.vote_runoff_create``), for the
    # seats its tie contends for.
    readonly_fields = ["status", "electorate", "opened_at", "closed_at", "created_by", "runoff_of"]
    inlines = [CandidateInline]

    def get_readonly_fields(self, request: HttpRequest, obj: Any = None) -> Any:
        fields = list(super().get_readonly_fields(request, obj))
        return [*fields, "seats"] if _is_runoff(obj) else fields

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        # Status moves only through the services (open/close/cancel on the vote's page).
        return _is_draft(obj) and super().has_change_permission(request, obj)

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return _is_draft(obj) and super().has_delete_permission(request, obj)
