"""The work on a problem as closed-loop steps (engine ``Assignment``s) and the staff's
notices: starting a step for a representative or the staff office, ending the
problem's own steps, and routing a submission that is through to 受理.
"""

from __future__ import annotations

import datetime

from django.utils import timezone
from django.utils.translation import gettext as _

from congress import loop
from congress.models import OPEN_STATUSES, Assignment, AssignmentStatus, User
from congress.notifications import notify
from congress.workdays import Deadline, add_deadline
from representatives.models import Representative
from suggestions.citizen import conf
from suggestions.citizen.selectors import staff_of, staff_region_for
from suggestions.citizen.services.base import issue_rules
from suggestions.citizen.workflow import ISSUE_CASE
from suggestions.models.citizen import CitizenIssue


def _title(issue: CitizenIssue) -> str:
    return f"{issue.tracking_code} {issue.title}"


def _open_steps(issue: CitizenIssue) -> list[Assignment]:
    """The issue's own open steps (staff or representative; departments' are separate)."""
    return list(
        Assignment.objects.filter(
            case_type=ISSUE_CASE,
            case_id=issue.pk,
            department__isnull=True,
            status__in=OPEN_STATUSES,
        ).select_related("user", "staff_region", "region")
    )


def _finish(assignment: Assignment, *, by: User | None, note: str) -> None:
    """End a step because its work is done: 签收 if need be, then 答复 (not open any more)."""
    if assignment.status == AssignmentStatus.ASSIGNED:
        loop.assignment_accept(assignment=assignment, by=by)  # type: ignore[arg-type]
    if assignment.status in (AssignmentStatus.ACCEPTED, AssignmentStatus.IN_PROGRESS):
        loop.assignment_reply(assignment=assignment, by=by, note=note or "—")  # type: ignore[arg-type]
    elif assignment.status in OPEN_STATUSES:  # paused: nothing left to wait for
        loop.assignment_cancel(assignment=assignment, by=by, reason=note or "—")


def _finish_own_steps(issue: CitizenIssue, *, by: User | None, note: str) -> None:
    for step in _open_steps(issue):
        _finish(step, by=by, note=note)


def _start_step(
    issue: CitizenIssue,
    *,
    by: User | None,
    deadline: Deadline,
    representative: Representative | None = None,
    note: str = "",
    counted_from: datetime.date | None = None,
) -> Assignment:
    """A step for the representative (through their login) or, without one, for the
    staff office of the issue's region. ``counted_from``: the day the deadline runs
    from when that is not today (a step made after the fact, see ``routing``); a date
    already past is given today, the earliest the engine accepts."""
    user = representative.user if representative is not None else None
    today = timezone.localdate()
    due_on = None
    if counted_from is not None and counted_from != today:
        due_on = max(add_deadline(counted_from, deadline), today)
    if user is not None and user.is_active:
        return loop.assignment_create(
            case_type=ISSUE_CASE,
            case_id=issue.pk,
            title=_title(issue),
            region=issue.region,
            by=by,
            user=user,
            deadline=deadline,
            due_on=due_on,
            note=note,
        )
    return loop.assignment_create(
        case_type=ISSUE_CASE,
        case_id=issue.pk,
        title=_title(issue),
        region=issue.region,
        by=by,
        staff_region=staff_region_for(issue.region),
        deadline=deadline,
        due_on=due_on,
        note=note,
    )


def _route(
    issue: CitizenIssue, *, by: User | None, counted_from: datetime.date | None = None
) -> None:
    """A submission is through: the 受理 step for the staff of its region; the
    representative it was addressed to hears of it too."""
    _start_step(
        issue,
        by=by,
        deadline=conf.accept_deadline(recorded=issue_rules(issue)),
        note=_("请受理群众反映的问题"),
        counted_from=counted_from,
    )
    addressed = issue.representative
    if addressed is not None and addressed.user is not None:
        notify(
            recipients=[addressed.user],
            kind="citizen_issue.addressed",
            title=_("群众向您反映问题：%(title)s") % {"title": issue.title},
            url=issue.get_absolute_url(),
            case_type=ISSUE_CASE,
            case_id=issue.pk,
        )


def _notify_staff(issue: CitizenIssue, *, kind: str, title: str) -> None:
    notify(
        recipients=staff_of(staff_region_for(issue.region)),
        kind=kind,
        title=title % {"title": issue.title, "code": issue.tracking_code},
        url=issue.get_absolute_url(),
        case_type=ISSUE_CASE,
        case_id=issue.pk,
    )
