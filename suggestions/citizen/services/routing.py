"""A public submission's 受理 step, made after the citizen has their answer.

The public form stores the problem, its idempotency key, its count and its
'submitted' event, commits and answers; the 受理 step for the staff (with its
deadline, reminder schedule, event and the clerks' notifications) is made by a
task sent after commit (``suggestions.tasks.route_citizen_issue``). The problem
row itself is the outbox: a problem still 'submitted' with no step of its own
and no due date is waiting for its step, and the citizen sweep
(``suggestions.tasks.citizen_sweep``) makes the steps no task made (broker down,
process killed after commit), as every outbox is caught up (congress/outbox.py).

The step's deadline runs from the day of the submission, not from the day the
step happened to be made; the problem is in the staff's list and counts from
its commit, since both read the problem's own row.
"""

from __future__ import annotations

import datetime

from django.db import transaction
from django.db.models import Exists, OuterRef
from django.utils import timezone

from congress import outbox
from congress.models import Assignment
from suggestions.citizen.services.steps import _route
from suggestions.citizen.workflow import ISSUE_CASE
from suggestions.models.citizen import CitizenIssue, IssueStatus


def _own_steps() -> Exists:
    return Exists(
        Assignment.objects.filter(
            case_type=ISSUE_CASE, case_id=OuterRef("pk"), department__isnull=True
        )
    )


def citizen_issue_route(*, issue_id: int) -> bool:
    """Make the 受理 step of a submitted problem that has none yet; True if made.

    Safe to run twice and concurrently (the task and the sweep): the problem's row
    is locked first and its steps read after the lock, so the second run finds the
    first one's step. A problem that moved on meanwhile (accepted, declined…) is
    left alone.
    """
    with transaction.atomic():
        issue = (
            CitizenIssue.objects.select_for_update(of=("self",))
            .select_related("region", "representative__user")
            .filter(pk=issue_id, status=IssueStatus.SUBMITTED)
            .first()
        )
        if issue is None:
            return False
        if Assignment.objects.filter(
            case_type=ISSUE_CASE, case_id=issue.pk, department__isnull=True
        ).exists():
            return False
        _route(issue, by=None, counted_from=timezone.localdate(issue.created_at))
    return True


def pending_route_issue_ids(*, now: datetime.datetime | None = None, limit: int = 500) -> list[int]:
    """Submitted problems whose step no task made, older than the sweep's delay.

    Cost: one query on the (status, created_at) index of the problems, bounded to the
    'submitted' ones (not yet accepted), each checked for a step by the steps' case
    index."""
    now = now or timezone.now()
    return list(
        CitizenIssue.objects.filter(
            status=IssueStatus.SUBMITTED,
            next_due_on__isnull=True,
            created_at__lt=outbox.sweep_cutoff(now),
        )
        .exclude(_own_steps())
        .order_by("created_at", "pk")
        .values_list("pk", flat=True)[:limit]
    )


def citizen_issues_route_pending(*, now: datetime.datetime | None = None, limit: int = 500) -> int:
    """The catch-up: make every missing 受理 step (see the module's docstring)."""
    return sum(
        citizen_issue_route(issue_id=issue_id)
        for issue_id in pending_route_issue_ids(now=now, limit=limit)
    )
