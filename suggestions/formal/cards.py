"""Home-page cards of representatives' suggestions (registered in setup.py)."""

from __future__ import annotations

from typing import Any

from django.db.models import Count, Q
from django.http import HttpRequest
from django.utils import timezone

from congress.models import OPEN_STATUSES
from congress.scoping import is_staff_or_admin
from congress.summary import bounded_count
from congress.workdays import add_workdays
from representatives.selectors import representative_of
from suggestions.formal.selectors import (
    awaiting_rating,
    department_workspace,
    key_suggestions,
    visible_suggestion_assignments,
    visible_suggestions,
)
from suggestions.models.formal import WAITING_ON_STAFF, SuggestionStatus

S = SuggestionStatus


def representative_card(request: HttpRequest) -> dict[str, Any] | None:
    """A representative's own suggestions: drafts, in handling, replies to rate."""
    representative = representative_of(request.user)
    if representative is None:
        return None
    mine = visible_suggestions(request.user).filter(signers__representative=representative)
    counts = mine.aggregate(
        drafts=Count("pk", filter=Q(status__in=[S.DRAFT, S.CO_SIGNING, S.PRE_RETURNED])),
        handling=Count("pk", filter=Q(status__in=[S.REGISTERED, S.HANDLING, S.REHANDLING])),
        closed=Count("pk", filter=Q(status__in=[S.CLOSED, S.CARRIED_OVER])),
    )
    invitations = mine.filter(
        status=S.CO_SIGNING,
        signers__representative=representative,
        signers__status="invited",
    ).count()
    return {**counts, "to_rate": awaiting_rating(request.user).count(), "invitations": invitations}


def staff_card(request: HttpRequest) -> dict[str, Any] | None:
    """Congress staff: what waits for review and 交办, and replies overdue."""
    user = request.user
    if not is_staff_or_admin(user):
        return None
    today = timezone.localdate()
    # Only the few rows waiting on the office are read (a partial index per area);
    # 跨年度跟踪 accumulates over the years and is counted up to a bound.
    visible = visible_suggestions(user).order_by()
    counts = visible.filter(status__in=WAITING_ON_STAFF).aggregate(
        to_review=Count("pk", filter=Q(status=S.SUBMITTED)),
        to_assign=Count("pk", filter=Q(status=S.REGISTERED)),
        assign_late=Count("pk", filter=Q(status=S.REGISTERED, assign_by__lt=today)),
        to_rate=Count("pk", filter=Q(status=S.REPLIED)),
    )
    counts["carried"] = bounded_count(visible.filter(status=S.CARRIED_OVER))
    late = visible_suggestion_assignments(user).filter(
        status__in=OPEN_STATUSES, due_on__lt=today, department__isnull=False
    )
    # Read up to a bound on the (area, due_on) index of open steps, not the backlog.
    return {**counts, "replies_late": bounded_count(late)}


def clerk_card(request: HttpRequest) -> dict[str, Any] | None:
    """A department clerk: open suggestion assignments, overdue, due within 5 working days."""
    user = request.user
    if not getattr(user, "is_handler", False):
        return None
    today = timezone.localdate()
    rows = department_workspace(user).filter(status__in=OPEN_STATUSES).order_by()
    return rows.aggregate(
        open=Count("pk"),
        overdue=Count("pk", filter=Q(due_on__lt=today)),
        soon=Count("pk", filter=Q(due_on__gte=today, due_on__lte=add_workdays(today, 5))),
    )


def key_card(request: HttpRequest) -> dict[str, Any] | None:
    """一对一重点督办: the key suggestions in scope and how far each has got."""
    user = request.user
    if not (is_staff_or_admin(user) or getattr(user, "is_committee_member", False)):
        return None
    rows = key_suggestions(user)
    # The card shows four columns: without the list's dozen joins, planning the
    # query took ten times longer than running it (docs/benchmarks.md).
    shown = rows.select_related(None).only("title", "key_leading_official", "status")
    items = list(shown[:6])
    if not items:
        return None
    return {"items": items, "total": rows.count()}
