"""The assignment services: ``assignment_create`` hands a case out; every later step is a
named service that goes through ``ASSIGNMENT_TRANSITIONS``."""

from __future__ import annotations

import datetime
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from congress.areas import area_columns
from congress.errors import RuleViolation
from congress.loop.cases import (
    _tell_case,
    case_type_of,
)
from congress.loop.escalation import (
    assignees,
)
from congress.loop.handling import handling_moved, handling_share
from congress.loop.schedule import (
    _reschedule_updates,
    next_reminder_time,
    policy_for,
)
from congress.loop.workflow import (
    ASSIGNMENT_TRANSITIONS,
    ONE_MONTH,
    PAUSING,
    RESUME,
    S,
)
from congress.models import (
    OPEN_STATUSES,
    Assignment,
    AssignmentRole,
    CaseEvent,
    Department,
    Region,
    User,
)
from congress.notifications import notify
from congress.workdays import (
    Deadline,
    add_deadline,
    add_workdays,
    basis_is_provisional,
    due_basis,
    due_from_basis,
    workdays_between,
)
from congress.workflow import apply_transition, record_event


def assignment_create(
    *,
    case_type: str,
    case_id: int,
    title: str,
    region: Region,
    by: User | None,
    department: Department | None = None,
    user: User | None = None,
    staff_region: Region | None = None,
    role: str = AssignmentRole.LEAD,
    due_on: datetime.date | None = None,
    deadline: Deadline | None = None,
    note: str = "",
    public_note: str = "",
) -> Assignment:
    """Hand a case to one assignee with a due date (given, or counted from a deadline)."""
    kind = case_type_of(case_type)
    if sum(x is not None for x in (department, user, staff_region)) != 1:
        raise RuleViolation(_("请指定一个承办单位或承办人。"))
    now = timezone.now()
    today = timezone.localdate(now)
    basis = _counted_basis(today, due_on, [deadline or kind.default_deadline, kind.longest])
    if due_on is None:
        assert basis is not None  # a case type always has a default deadline
        due_on = due_from_basis(basis)
    if due_on < today:
        raise RuleViolation(_("办理期限不能早于交办日期。"))
    latest = add_deadline(today, kind.longest) if kind.longest else None
    if latest is not None and due_on > latest:
        raise RuleViolation(_("办理期限不能晚于最长期限 %(date)s。") % {"date": latest})
    with transaction.atomic():
        assignment = Assignment(
            case_type=case_type,
            case_id=case_id,
            title=title[:200],
            region=region,
            department=department,
            user=user,
            staff_region=staff_region,
            role=role,
            assigned_at=now,
            original_due_on=due_on,
            latest_due_on=latest,
            **_due_fields(due_on, basis),
            **area_columns(region),
        )
        assignment.next_reminder_at = next_reminder_time(assignment, policy_for(case_type), now)
        assignment.reminded_until = now
        assignment.save()
        _tell_case(assignment)
        record_event(
            case_type=case_type,
            case_id=case_id,
            action="assign",
            by=by,
            assignment=assignment,
            note=note,
            public_note=public_note,
            to_status=assignment.status,
            data={"assignee": assignment.assignee_label, "due_on": str(due_on), "role": role},
        )
        notify(
            recipients=assignees(assignment),
            kind="assignment.new",
            title=_("新交办：%(title)s") % {"title": assignment.title},
            body=_("%(kind)s，办理期限 %(due)s。") % {"kind": kind.label, "due": due_on},
            url=kind.url(case_id),
            case_type=case_type,
            case_id=case_id,
        )
    return assignment


def _counted_basis(
    start: datetime.date, due_on: datetime.date | None, deadlines: list[Deadline | None]
) -> dict[str, Any] | None:
    """The deadline a due date was counted from: the given one when there is no date,
    else the first of ``deadlines`` that gives exactly that date (a caller may count
    it first to show it, or cap it at the longest deadline); None for a chosen date."""
    for deadline in deadlines:
        if deadline is None:
            continue
        if due_on is None or add_deadline(start, deadline) == due_on:
            return due_basis(start, deadline)
    return None


def _due_fields(due_on: datetime.date, basis: dict[str, Any] | None) -> dict[str, Any]:
    return {
        "due_on": due_on,
        "due_basis": basis,
        "due_provisional": basis_is_provisional(basis, due_on),
    }


def _move(
    assignment: Assignment,
    action: str,
    *,
    by: User | None,
    note: str = "",
    public_note: str = "",
    expected_version: int | None = None,
    updates: dict[str, Any] | None = None,
    data: dict[str, Any] | None = None,
) -> CaseEvent:
    sources, target = ASSIGNMENT_TRANSITIONS[action]
    now = timezone.now()
    today = timezone.localdate(now)
    changes: dict[str, Any] = dict(updates or {})
    if target == RESUME:
        target = assignment.status_before_pause or S.ACCEPTED
        if assignment.paused_on and action in ("resume", "reject_extension", "reject_return"):
            # The clock stood still while paused: push the due date by the lost days.
            lost = max(0, workdays_between(assignment.paused_on, today))
            basis = assignment.due_basis
            if basis:
                basis = {**basis, "shift": int(basis.get("shift", 0)) + lost}
            changes.update(_due_fields(add_workdays(assignment.due_on, lost), basis))
        changes.update(status_before_pause="", paused_on=None)
    if target in PAUSING:
        changes.update(
            status_before_pause=assignment.status, paused_on=today, next_reminder_at=None
        )
    if target == S.REPLIED:
        changes.update(replied_at=now, next_reminder_at=None)
    if target in (S.CLOSED, S.CANCELLED, S.RETURNED):
        changes.update(closed_at=now, next_reminder_at=None)
    if target not in PAUSING and target in OPEN_STATUSES:
        preview = Assignment(**{**_fields(assignment), **changes, "status": target})
        changes.update(_reschedule_updates(preview, now=now))
    before = handling_share(assignment)
    with transaction.atomic():
        event = apply_transition(
            instance=assignment,
            transitions={action: (sources, target)},
            action=action,
            by=by,
            case_type=assignment.case_type,
            note=note,
            public_note=public_note,
            updates=changes,
            expected_version=assignment.version if expected_version is None else expected_version,
            data=data,
            assignment=assignment,
            case_id=assignment.case_id,
        )
        # The departments' league table (docs/dashboard.md): same transaction.
        handling_moved(before, handling_share(assignment))
        _tell_case(assignment)
    return event


def _fields(assignment: Assignment) -> dict[str, Any]:
    return {f.attname: getattr(assignment, f.attname) for f in Assignment._meta.concrete_fields}


def assignment_accept(
    *, assignment: Assignment, by: User, note: str = "", expected_version: int | None = None
) -> CaseEvent:
    return _move(assignment, "accept", by=by, note=note, expected_version=expected_version)


def assignment_start(*, assignment: Assignment, by: User, note: str = "") -> CaseEvent:
    return _move(assignment, "start", by=by, note=note)


def assignment_request_return(
    *, assignment: Assignment, by: User, reason: str, expected_version: int | None = None
) -> CaseEvent:
    if not reason.strip():
        raise RuleViolation(_("申请退回须说明理由。"))
    return _move(
        assignment, "request_return", by=by, note=reason, expected_version=expected_version
    )


def assignment_decide_return(
    *, assignment: Assignment, by: User, approve: bool, note: str = ""
) -> CaseEvent:
    """Staff decide a return request; an approved return ends this assignment
    (the case is then handed to the right department with a new assignment)."""
    return _move(assignment, "approve_return" if approve else "reject_return", by=by, note=note)


def assignment_request_extension(
    *,
    assignment: Assignment,
    by: User,
    until: datetime.date,
    reason: str,
    expected_version: int | None = None,
) -> CaseEvent:
    _check_new_due(assignment, until)
    if not reason.strip():
        raise RuleViolation(_("申请延期须说明理由。"))
    return _move(
        assignment,
        "request_extension",
        by=by,
        note=reason,
        expected_version=expected_version,
        data={"until": str(until)},
    )


def assignment_decide_extension(
    *,
    assignment: Assignment,
    by: User,
    approve: bool,
    until: datetime.date | None = None,
    note: str = "",
) -> CaseEvent:
    if not approve:
        return _move(assignment, "reject_extension", by=by, note=note)
    requested = _requested_extension(assignment)
    new_due = until or requested
    if new_due is None:
        raise RuleViolation(_("请填写延期后的办理期限。"))
    _check_new_due(assignment, new_due)
    return _move(
        assignment,
        "approve_extension",
        by=by,
        note=note,
        updates=_due_fields(new_due, None),  # a date staff chose: no count to redo
        data={"until": str(new_due)},
    )


def _requested_extension(assignment: Assignment) -> datetime.date | None:
    event = (
        CaseEvent.objects.filter(assignment=assignment, action="request_extension")
        .order_by("-at", "-pk")
        .first()
    )
    if event is None or "until" not in event.data:
        return None
    return datetime.date.fromisoformat(event.data["until"])


def _check_new_due(assignment: Assignment, until: datetime.date) -> None:
    if until <= assignment.due_on:
        raise RuleViolation(
            _("延期后的期限应晚于当前期限 %(date)s。") % {"date": assignment.due_on}
        )
    if assignment.latest_due_on and until > assignment.latest_due_on:
        raise RuleViolation(
            _("延期不能超过最长办理期限 %(date)s。") % {"date": assignment.latest_due_on}
        )


def assignment_hold(*, assignment: Assignment, by: User, reason: str) -> CaseEvent:
    return _move(assignment, "hold", by=by, note=reason)


def assignment_resume(*, assignment: Assignment, by: User, note: str = "") -> CaseEvent:
    return _move(assignment, "resume", by=by, note=note)


def assignment_reply(
    *,
    assignment: Assignment,
    by: User,
    note: str,
    public_note: str = "",
    expected_version: int | None = None,
    data: dict[str, Any] | None = None,
) -> CaseEvent:
    if not note.strip():
        raise RuleViolation(_("答复内容不能为空。"))
    return _move(
        assignment,
        "reply",
        by=by,
        note=note,
        public_note=public_note,
        expected_version=expected_version,
        data=data,
    )


def assignment_reopen(
    *,
    assignment: Assignment,
    by: User | None,
    reason: str,
    deadline: Deadline = ONE_MONTH,
    public_note: str = "",
) -> CaseEvent:
    """Re-handling after 不满意: the same assignee, a new due date (default one month)."""
    basis = due_basis(timezone.localdate(), deadline)
    due = due_from_basis(basis)
    # The re-handling period is itself the limit: no extension past it.
    return _move(
        assignment,
        "reopen",
        by=by,
        note=reason,
        public_note=public_note,
        updates={
            **_due_fields(due, basis),
            "escalation_level": 0,
            "replied_at": None,
            "closed_at": None,
            "latest_due_on": due,
        },
    )


def assignment_close(
    *, assignment: Assignment, by: User | None, note: str = "", public_note: str = ""
) -> CaseEvent:
    return _move(assignment, "close", by=by, note=note, public_note=public_note)


def assignment_cancel(*, assignment: Assignment, by: User | None, reason: str) -> CaseEvent:
    return _move(assignment, "cancel", by=by, note=reason)


def assignment_report_progress(
    *, assignment: Assignment, by: User, note: str, public_note: str = ""
) -> CaseEvent:
    if assignment.status not in OPEN_STATUSES:
        raise RuleViolation(_("该事项已结束，不能再报告进展。"))
    if not note.strip():
        raise RuleViolation(_("进展内容不能为空。"))
    return record_event(
        case_type=assignment.case_type,
        case_id=assignment.case_id,
        action="progress",
        by=by,
        note=note,
        public_note=public_note,
        assignment=assignment,
    )
