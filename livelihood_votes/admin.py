"""Admin: votes and candidates may be corrected while a vote is a draft; who voted and
what was voted are read-only here (the services are the only writers of ballots)."""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.db.models import QuerySet
from django.http import HttpRequest

from congress.admin import ReadOnlyAdmin
from livelihood_votes.models import (
    Ballot,
    BallotMark,
    Candidate,
    LivelihoodVote,
    PaperBallotEntry,
    Participation,
    VoteStatus,
)


def _is_draft(obj: Any) -> bool:
    vote = obj.vote if isinstance(obj, Candidate) else obj
    return vote is None or vote.status == VoteStatus.DRAFT


class CandidateInline(admin.TabularInline[Candidate, LivelihoodVote]):
    model = Candidate
    extra = 0
    autocomplete_fields = ["department"]

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return _is_draft(obj) and super().has_add_permission(request, obj)

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return _is_draft(obj) and super().has_change_permission(request, obj)

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return _is_draft(obj) and super().has_delete_permission(request, obj)


@admin.register(LivelihoodVote)
class LivelihoodVoteAdmin(admin.ModelAdmin[LivelihoodVote]):
    list_display = ["title", "congress", "year", "seats", "ballot_form", "status"]
    list_filter = ["status", "year", "ballot_form"]
    search_fields = ["title"]
    list_select_related = ["congress"]
    autocomplete_fields = ["congress"]
    raw_id_fields = ["session", "runoff_of"]
    readonly_fields = ["status", "electorate", "opened_at", "closed_at", "created_by"]
    inlines = [CandidateInline]

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        # Status moves only through the services (open/close/cancel on the vote's page).
        return _is_draft(obj) and super().has_change_permission(request, obj)

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return _is_draft(obj) and super().has_delete_permission(request, obj)


@admin.register(Participation)
class ParticipationAdmin(ReadOnlyAdmin):
    list_display = ["representative", "vote"]
    list_filter = ["vote"]
    list_select_related = ["representative", "vote"]
    search_fields = ["representative__name"]


class BallotMarkInline(admin.TabularInline[BallotMark, Ballot]):
    model = BallotMark
    extra = 0
    can_delete = False
    readonly_fields = ["candidate", "choice"]

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.register(Ballot)
class BallotAdmin(ReadOnlyAdmin):
    """The published ballots only: while a vote is open its ballots are hidden here too
    (an administrator could count the marks otherwise)."""

    list_display = ["receipt", "vote", "source", "sheet", "void"]
    list_filter = ["vote", "source", "void"]
    search_fields = ["receipt"]
    ordering = ["vote", "receipt"]
    inlines = [BallotMarkInline]

    def get_queryset(self, request: HttpRequest) -> QuerySet[Ballot]:
        return super().get_queryset(request).filter(vote__status=VoteStatus.CLOSED)


@admin.register(PaperBallotEntry)
class PaperBallotEntryAdmin(ReadOnlyAdmin):
    """Who read which paper sheet how (双人录入), once the vote is closed: while it is open
    the readings would let an administrator count the paper ballots."""

    list_display = ["vote", "sheet", "entered_by", "created_at"]
    list_filter = ["vote"]
    list_select_related = ["vote", "entered_by"]
    ordering = ["vote", "sheet", "created_at"]

    def get_queryset(self, request: HttpRequest) -> QuerySet[PaperBallotEntry]:
        return super().get_queryset(request).filter(vote__status=VoteStatus.CLOSED)
