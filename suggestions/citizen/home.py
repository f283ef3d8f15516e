"""The 群众诉求 home card's figures (docs/architecture.md, "Reads that do not grow with
the data").

Staff read the summary rows (``selectors.home_counts``). A department clerk or a
representative sees only their own cases, which no summary row holds; the old read
counted them five times over a scope of the department's cases written as an ``OR``
through a join to the departments (``department_id IN … OR department.parent_id
IN …``), which no index serves: every figure scanned the whole table of closed-loop
steps. A clerk of one department (the usual case) counts each figure up to the
bound on an index of the department's ``IssueDepartment`` rows, which carry the
problem's status, flag and due date: the cost is the bound, not the department's
history. Others (a supervising office's clerk, a representative who is also a
clerk) get one grouped read of their cases.
"""

from __future__ import annotations

from typing import Any

from django.db.models import Count, Q
from django.utils import timezone

from congress import loop
from congress.scoping import AnyUser
from congress.summary import COUNT_BOUND, BoundedCount, bounded_count
from representatives.selectors import representative_of
from suggestions.citizen import selectors
from suggestions.models.citizen import (
    GATED_ISSUE_STATUSES,
    OPEN_ISSUE_STATUSES,
    CitizenIssue,
    IssueDepartment,
    IssueStatus,
)


def _bounded(n: int) -> BoundedCount:
    """The same display as ``bounded_count``: "1,000+" above the bound."""
    return BoundedCount(min(n, COUNT_BOUND), more=n > COUNT_BOUND)


def home_counts(user: AnyUser) -> dict[str, Any]:
    """The card's figures: staff (and mixed roles) as ``selectors.home_counts``; a
    clerk's or a representative's own cases in one grouped query."""
    if (
        not user.is_authenticated
        or user.is_superuser
        or user.staff_regions
        or selectors.counted_regions(user) is not None
    ):
        return selectors.home_counts(user)
    representative = representative_of(user)
    departments = loop.handled_department_ids(user)
    if representative is None and len(departments) == 1:
        return _one_department_counts(departments[0])
    own = Q(pk__in=[])
    if representative is not None:
        own |= Q(representative=representative) | Q(handler=representative)
    if departments:
        handed = IssueDepartment.objects.filter(department_id__in=departments)
        own |= Q(pk__in=handed.values("issue_id"))
    rows = (
        CitizenIssue.objects.filter(own)
        .exclude(status__in=GATED_ISSUE_STATUSES)
        .values("status", "needs_supervision")
        .annotate(n=Count("pk"), late=Count("pk", filter=selectors.overdue_q()))
        .order_by()
    )
    submitted = in_progress = overdue = supervision = review = 0
    finished = (IssueStatus.CLOSED, IssueStatus.MERGED)
    for row in rows:
        status, n = row["status"], row["n"]
        overdue += row["late"]
        if status == IssueStatus.SUBMITTED:
            submitted += n
        if status in OPEN_ISSUE_STATUSES:
            in_progress += n
        if row["needs_supervision"] and status not in finished:
            supervision += n
        if status == IssueStatus.PENDING_REVIEW:
            review += n
    return {
        "submitted": _bounded(submitted),
        "in_progress": _bounded(in_progress),
        "overdue": _bounded(overdue),
        "supervision": _bounded(supervision),
        "review": _bounded(review),
    }


def _one_department_counts(department: int) -> dict[str, Any]:
    """A clerk of one department (the usual case): each figure counted up to the
    bound on an index of the department's ``IssueDepartment`` rows, which carry the
    problem's status, 需督办 flag and due date. A clerk never sees problems held for
    review, so 待审核 is nil."""
    rows = IssueDepartment.objects.filter(department_id=department)
    finished = (IssueStatus.CLOSED, IssueStatus.MERGED)
    return {
        "submitted": bounded_count(rows.filter(status=IssueStatus.SUBMITTED)),
        "in_progress": bounded_count(rows.filter(status__in=OPEN_ISSUE_STATUSES)),
        "overdue": bounded_count(rows.filter(next_due_on__lt=timezone.localdate())),
        "supervision": bounded_count(
            rows.filter(needs_supervision=True).exclude(status__in=finished)
        ),
        "review": BoundedCount(0),
    }
