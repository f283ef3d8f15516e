"""The closed-loop engine: case types, assignments, deadlines, reminders, escalation.

Feature apps register their case types here (in ``AppConfig.ready``) and hand
work to assignees with ``assignment_create``; every later step is one of the
named ``assignment_*`` services below, each a row in the transition table.
The periodic ``reminders_sweep`` turns due reminder stages into notifications.
"""

from __future__ import annotations

import datetime
import logging
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Any

from django.conf import settings
from django.db import transaction
from django.db.models import (
    Case,
    DateTimeField,
    F,
    PositiveSmallIntegerField,
    Q,
    QuerySet,
    Value,
    When,
)
from django.db.models.functions import Greatest
from django.utils import timezone
from django.utils.functional import Promise
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from congress.areas import area_columns, area_q
from congress.bulk import db_value, insert_rows
from congress.errors import InvalidTransition, RuleViolation
from congress.models import (
    OPEN_STATUSES,
    Assignment,
    AssignmentRole,
    AssignmentStatus,
    CalendarState,
    CaseEvent,
    Department,
    Region,
    Reminder,
    ReminderPolicy,
    Role,
    RoleGrant,
    User,
)
from congress.notifications import Message, notify, notify_many
from congress.registry import register_labels
from congress.workdays import (
    Deadline,
    add_deadline,
    add_workdays,
    basis_is_provisional,
    due_basis,
    due_from_basis,
    is_workday,
    known_years,
    workdays_between,
)
from congress.workflow import Transitions, apply_transition, record_event

logger = logging.getLogger(__name__)

S = AssignmentStatus
RESUME = "<resume>"  # back to the status the assignment had before the pause

ASSIGNMENT_TRANSITIONS: Transitions = {
    "accept": (frozenset({S.ASSIGNED}), S.ACCEPTED),
    "start": (frozenset({S.ACCEPTED}), S.IN_PROGRESS),
    "request_return": (frozenset({S.ASSIGNED, S.ACCEPTED}), S.RETURN_REQUESTED),
    "approve_return": (frozenset({S.RETURN_REQUESTED}), S.RETURNED),
    "reject_return": (frozenset({S.RETURN_REQUESTED}), RESUME),
    "request_extension": (frozenset({S.ACCEPTED, S.IN_PROGRESS}), S.EXTENSION_REQUESTED),
    "approve_extension": (frozenset({S.EXTENSION_REQUESTED}), RESUME),
    "reject_extension": (frozenset({S.EXTENSION_REQUESTED}), RESUME),
    "hold": (frozenset({S.ACCEPTED, S.IN_PROGRESS}), S.ON_HOLD),
    "resume": (frozenset({S.ON_HOLD}), RESUME),
    "reply": (frozenset({S.ACCEPTED, S.IN_PROGRESS}), S.REPLIED),
    "reopen": (frozenset({S.REPLIED, S.CLOSED}), S.IN_PROGRESS),
    "close": (frozenset({S.REPLIED}), S.CLOSED),
    "cancel": (frozenset(OPEN_STATUSES), S.CANCELLED),
}
ACTION_LABELS: dict[str, str | Promise] = {
    "assign": gettext_lazy("交办"),
    "accept": gettext_lazy("签收"),
    "start": gettext_lazy("开始办理"),
    "request_return": gettext_lazy("申请退回"),
    "approve_return": gettext_lazy("同意退回"),
    "reject_return": gettext_lazy("不同意退回"),
    "request_extension": gettext_lazy("申请延期"),
    "approve_extension": gettext_lazy("批准延期"),
    "reject_extension": gettext_lazy("不批准延期"),
    "hold": gettext_lazy("暂停办理"),
    "resume": gettext_lazy("恢复办理"),
    "reply": gettext_lazy("答复"),
    "reopen": gettext_lazy("重新办理"),
    "close": gettext_lazy("办结"),
    "cancel": gettext_lazy("撤销"),
    "progress": gettext_lazy("报告进展"),
    "reminder": gettext_lazy("提醒"),
    "escalation": gettext_lazy("升级督办"),
    "recalculate_due": gettext_lazy("重新计算期限"),
}
FIFTEEN_WORKDAYS = Deadline(15, "workdays")
ONE_MONTH = Deadline(1, "months")  # re-handling after 不满意 (docs/architecture.md, 'Satisfaction')
register_labels(actions=ACTION_LABELS, statuses=dict(AssignmentStatus.choices))
PAUSING = {S.ON_HOLD, S.EXTENSION_REQUESTED, S.RETURN_REQUESTED}


@dataclass(frozen=True)
class CaseType:
    """A kind of case a feature app hands out (a citizen issue, a suggestion, a finding…)."""

    key: str
    label: str | Promise
    url: Callable[[int], str]
    can_view: Callable[[User, int], bool]
    default_deadline: Deadline = FIFTEEN_WORKDAYS
    longest: Deadline | None = None  # extensions may not pass this, counted from assignment
    policy_defaults: dict[str, Any] = field(default_factory=dict)
    # False where the reply needs more than a text (a suggestion's A/B/C/D
    # category): the generic assignment page then links to the case's own page.
    generic_reply: bool = True
    # The actions the generic assignment page and API may take for this case type;
    # None allows all. A case type whose steps carry its own rules (deadline
    # windows, notifications) lists only what is safe to do generically.
    generic_actions: frozenset[str] | None = None
    # Told the case's id whenever one of its assignments is created or changes its
    # status or due date, inside the same transaction: a case that keeps facts about
    # its open steps on its own row (the earliest due date, which the overdue lists
    # read from an index) refreshes them here.
    on_steps_changed: Callable[[int], None] | None = None


case_types: dict[str, CaseType] = {}


def register_case_type(case_type: CaseType) -> None:
    case_types[case_type.key] = case_type


def _tell_case(assignment: Assignment) -> None:
    kind = case_types.get(assignment.case_type)
    if kind is not None and kind.on_steps_changed is not None:
        kind.on_steps_changed(assignment.case_id)


def case_type_of(key: str) -> CaseType:
    try:
        return case_types[key]
    except KeyError:
        raise RuleViolation(f"Unknown case type {key!r}.") from None


# --- who -----------------------------------------------------------------


@dataclass
class People:
    """Active clerks by department and congress staff by region, read in one query
    for a whole batch of assignments (the sweep), or for one."""

    handlers: dict[int, list[User]] = field(default_factory=dict)
    staff: dict[int, list[User]] = field(default_factory=dict)

    @classmethod
    def of(cls, *, departments: Iterable[int], regions: Iterable[int]) -> People:
        people = cls()
        departments, regions = set(departments) - {0}, set(regions) - {0}
        if not departments and not regions:
            return people
        grants = RoleGrant.objects.filter(
            Q(role=Role.HANDLER, department_id__in=departments)
            | Q(role=Role.STAFF, region_id__in=regions),
            user__is_active=True,
        ).select_related("user")
        for grant in grants.order_by("user_id"):
            if grant.role == Role.HANDLER:
                found = people.handlers.setdefault(grant.department_id or 0, [])
            else:
                found = people.staff.setdefault(grant.region_id or 0, [])
            if all(user.pk != grant.user_id for user in found):  # two grants, one person
                found.append(grant.user)
        return people

    @classmethod
    def for_stages(cls, stages: Iterable[tuple[Assignment, int]]) -> People:
        """Everyone who may hear of these (assignment, escalation level) pairs."""
        departments: set[int] = set()
        regions: set[int] = set()
        for assignment, level in stages:
            if level:
                department_id, region_id = _escalation_to(assignment, level)
                departments.add(department_id or 0)
                regions.add(region_id or 0)
            else:
                departments.add(assignment.department_id or 0)
                regions.add(assignment.staff_region_id or 0)
        return cls.of(departments=departments, regions=regions)

    def recipients(self, assignment: Assignment, level: int) -> list[User]:
        """Who hears of ``assignment`` at escalation ``level`` (0: a plain reminder)."""
        if level:
            department_id, region_id = _escalation_to(assignment, level)
            found = self.handlers.get(department_id or 0) or self.staff.get(region_id or 0)
            return found or []
        if assignment.department_id:
            return self.handlers.get(assignment.department_id, [])
        if assignment.user_id:
            return [assignment.user] if assignment.user and assignment.user.is_active else []
        return self.staff.get(assignment.staff_region_id or 0, [])


def _escalation_to(assignment: Assignment, level: int) -> tuple[int | None, int | None]:
    """Whose people hear escalation ``level`` (1, then 2 = a level up): a supervising
    department's clerks, else (no such department, or none of its clerks active) the
    congress staff of a region.

    A department escalates to its parent department (then the parent's parent);
    a department without a parent, a representative or a staff unit escalates to
    the congress staff of the region concerned, then of the region above.
    """
    department = assignment.department
    for _step in range(level):
        if department is None or department.parent_id is None:
            break
        department = department.parent
    above = department.pk if department and department.pk != assignment.department_id else None
    if assignment.department_id and assignment.department is not None:
        region: Region | None = assignment.department.region
    elif assignment.staff_region_id:
        region = assignment.staff_region.parent if assignment.staff_region else None
    else:
        region = assignment.region
    for _step in range(level - 1):
        region = region.parent if region is not None else None
    return above, region.pk if region is not None else None


def assignees(assignment: Assignment) -> list[User]:
    """The people who must act on an assignment."""
    return People.for_stages([(assignment, 0)]).recipients(assignment, 0)


def supervisors(assignment: Assignment, level: int) -> list[User]:
    """Who hears of an overdue assignment at escalation ``level`` (see ``_escalation_to``)."""
    return People.for_stages([(assignment, level)]).recipients(assignment, level)


def visible_assignments(user: Any) -> QuerySet[Assignment]:
    """Staff: cases in their regions and below. Handlers: their department's, and the
    departments they supervise. Anyone: what is assigned to them personally."""
    rows = Assignment.objects.select_related("department", "user", "staff_region", "region")
    if not user.is_authenticated:
        return rows.none()
    if user.is_superuser:
        return rows
    # Staff read the row's own area columns (congress/areas.py). The "assigned to
    # them personally" arm is left out when there is nothing there, so a staff
    # list is one index range in due-date order rather than an OR to be sorted.
    query = Q(user=user) if Assignment.objects.filter(user=user).exists() else Q(pk__in=[])
    for region in user.staff_regions:
        query |= area_q(region)
    if user.department_ids:
        query |= Q(department_id__in=user.department_ids)
        query |= Q(department__parent_id__in=user.department_ids)
    return rows.filter(query)


# --- reminders schedule --------------------------------------------------


def policy_for(case_type: str) -> ReminderPolicy:
    policy = ReminderPolicy.objects.filter(case_type=case_type).first()
    if policy is not None:
        return policy
    defaults = case_types[case_type].policy_defaults if case_type in case_types else {}
    return ReminderPolicy(case_type=case_type, **defaults)


def _at(day: datetime.date) -> datetime.datetime:
    hour = settings.LOOP_REMINDER_HOUR
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(hour)))


def _fixed_stages(
    assignment: Assignment, policy: ReminderPolicy
) -> list[tuple[str, datetime.datetime]]:
    due = assignment.due_on
    stages = [(f"before:{n}@{due}", _at(add_workdays(due, -n))) for n in policy.days_before_list]
    if policy.remind_on_due:
        stages.append((f"due@{due}", _at(due)))
    if policy.escalate_after:
        stages.append((f"escalate:1@{due}", _at(add_workdays(due, policy.escalate_after))))
    if policy.escalate_again_after and policy.escalate_again_after > policy.escalate_after:
        stages.append((f"escalate:2@{due}", _at(add_workdays(due, policy.escalate_again_after))))
    return stages


def _overdue_stage(
    assignment: Assignment, policy: ReminderPolicy, day: datetime.date
) -> tuple[str, datetime.datetime] | None:
    """The daily overdue reminder for the first working day on or after ``day``."""
    if not policy.remind_daily_when_overdue:
        return None
    day = max(day, assignment.due_on + datetime.timedelta(days=1))
    while not is_workday(day):
        day += datetime.timedelta(days=1)
    return (f"overdue@{day}", _at(day))


def stages_between(
    assignment: Assignment,
    policy: ReminderPolicy,
    start: datetime.datetime | None,
    end: datetime.datetime,
) -> list[tuple[str, datetime.datetime]]:
    """Stages whose time falls in (start, end], in time order."""
    found = [
        (name, at)
        for name, at in _fixed_stages(assignment, policy)
        if (start is None or at > start) and at <= end
    ]
    if policy.remind_daily_when_overdue:
        local_end = timezone.localtime(end).date()
        day = timezone.localtime(start).date() if start else assignment.due_on
        # At most the last few days: a long outage is reported once, not day by day.
        day = max(day, local_end - datetime.timedelta(days=7))
        while day <= local_end:
            stage = _overdue_stage(assignment, policy, day)
            if stage and (start is None or stage[1] > start) and stage[1] <= end:
                found.append(stage)
            day += datetime.timedelta(days=1)
    return sorted(set(found), key=lambda item: item[1])


def next_reminder_time(
    assignment: Assignment, policy: ReminderPolicy, after: datetime.datetime
) -> datetime.datetime | None:
    if assignment.status not in OPEN_STATUSES or assignment.status in PAUSING:
        return None
    times = [at for _name, at in _fixed_stages(assignment, policy) if at > after]
    overdue = _overdue_stage(assignment, policy, timezone.localtime(after).date())
    if overdue is not None:
        if overdue[1] <= after:
            overdue = _overdue_stage(
                assignment, policy, timezone.localtime(after).date() + datetime.timedelta(days=1)
            )
        if overdue is not None:
            times.append(overdue[1])
    return min(times) if times else None


def _reschedule_updates(assignment: Assignment, *, now: datetime.datetime) -> dict[str, Any]:
    policy = policy_for(assignment.case_type)
    return {
        "next_reminder_at": next_reminder_time(assignment, policy, now),
        "reminded_until": now,
    }


# --- services --------------------------------------------------------------


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


# --- when the calendar changes ---------------------------------------------------


def assignment_recalculate_due(
    *, assignment: Assignment, by: User | None, today: datetime.date | None = None
) -> CaseEvent | None:
    """Count a counted due date again on today's calendar (the holiday notice of its
    year came out, or an override changed), and say so on the timeline.

    Only an open assignment not yet due: a passed deadline stays what it was when it
    passed. A new date never falls before today. The UPDATE is conditional on the
    date and basis read, so an extension approved meanwhile wins and this is skipped.
    Returns the event, or None when the date stayed (the provisional flag may still
    have been cleared, without an event: nothing changed for the people on the case).
    """
    today = today or timezone.localdate()
    basis = assignment.due_basis
    old = assignment.due_on
    if not basis or assignment.status not in OPEN_STATUSES or old < today:
        return None
    new = max(due_from_basis(basis), today)
    provisional = basis_is_provisional(basis, new)
    if new == old and provisional == assignment.due_provisional:
        return None
    changes: dict[str, Any] = {"due_on": new, "due_provisional": provisional}
    if new != old:
        if assignment.latest_due_on == old:  # re-handling: the period is the limit
            changes["latest_due_on"] = new
        elif assignment.latest_due_on is not None and assignment.case_type in case_types:
            longest = case_types[assignment.case_type].longest
            if longest is not None:
                assigned_on = timezone.localdate(assignment.assigned_at)
                changes["latest_due_on"] = max(add_deadline(assigned_on, longest), new)
        if assignment.status not in PAUSING:
            preview = Assignment(**{**_fields(assignment), **changes})
            changes.update(_reschedule_updates(preview, now=timezone.now()))
    with transaction.atomic():
        claimed = Assignment.objects.filter(
            pk=assignment.pk, due_on=old, due_basis=basis, status__in=OPEN_STATUSES
        ).update(**changes)
        if claimed:
            _tell_case(assignment)
        if not claimed or new == old:
            return None
        event = record_event(
            case_type=assignment.case_type,
            case_id=assignment.case_id,
            action="recalculate_due",
            by=by,
            actor_label="" if by is not None else _("系统"),
            assignment=assignment,
            note=_("节假日安排变更，办理期限由%(old)s调整为%(new)s。")
            % {"old": old.isoformat(), "new": new.isoformat()},
            public_note=_("按国家公布的节假日安排，办理期限调整为%(new)s。")
            % {"new": new.isoformat()},
            data={"from": old.isoformat(), "to": new.isoformat()},
        )
    assignment.refresh_from_db()
    return event


@dataclass
class RecalculationResult:
    examined: int = 0
    changed: list[tuple[int, datetime.date, datetime.date]] = field(default_factory=list)


def deadlines_recalculate(
    *, since: datetime.date, by: User | None = None, batch: int = 500
) -> RecalculationResult:
    """Count again every open, counted due date on or after ``since`` and today.

    Cost: the rows come in primary-key batches from the (status, due_on) index;
    each is a few hundred in-memory calendar look-ups, and one UPDATE and one event
    only where something changed. A new holiday notice touches the deadlines of
    the coming months, typically a few thousand rows.
    """
    today = timezone.localdate()
    rows = Assignment.objects.filter(
        status__in=OPEN_STATUSES, due_on__gte=max(since, today), due_basis__isnull=False
    ).order_by("pk")
    result = RecalculationResult()
    last_pk = 0
    while True:
        page = list(rows.filter(pk__gt=last_pk)[:batch])
        if not page:
            return result
        for assignment in page:
            result.examined += 1
            old = assignment.due_on
            if assignment_recalculate_due(assignment=assignment, by=by, today=today):
                result.changed.append((assignment.pk, old, assignment.due_on))
        last_pk = page[-1].pk


def deadlines_settle_calendar(*, by: User | None = None) -> RecalculationResult | None:
    """Recalculate if the calendar changed since the last time: overrides edited (a
    lost task is caught here), or a calendar package that now knows more years.
    None when nothing changed; safe to run twice and concurrently."""
    state, _created = CalendarState.objects.get_or_create(pk=1)
    package_year = known_years()[-1]
    if state.settled_package_year is None:  # first run: nothing to compare with
        CalendarState.objects.filter(pk=1, settled_package_year__isnull=True).update(
            settled_package_year=package_year
        )
        state.settled_package_year = package_year
    starts = []
    if state.pending_from is not None and state.revision != state.settled_revision:
        starts.append(state.pending_from)
    if package_year > state.settled_package_year:
        starts.append(datetime.date(state.settled_package_year + 1, 1, 1))
    if not starts:
        return None
    result = deadlines_recalculate(since=min(starts), by=by)
    # Settled only as far as was seen: a change made meanwhile stays pending.
    CalendarState.objects.filter(pk=1, revision=state.revision).update(
        settled_revision=state.revision, pending_from=None, settled_package_year=package_year
    )
    return result


@dataclass(frozen=True)
class GenericAction:
    """One action of the generic assignment page and API: who takes it, the one service
    it calls, and which of the generic form's fields (``note``, ``until``, ``version``)
    become which of the service's arguments."""

    service: Callable[..., Any]
    fields: dict[str, str]  # the service's argument ← the form's field
    fixed: dict[str, Any] = field(default_factory=dict)
    supervises: bool = False  # staff over the assignment decide; otherwise the assignee
    requires: tuple[str, ...] = ()  # form fields that may not be empty
    states: frozenset[str] | None = None  # None: wherever ASSIGNMENT_TRANSITIONS allows it


_NOTE = {"note": "note"}
_VERSIONED_NOTE = {"note": "note", "expected_version": "version"}
_REASON = {"reason": "note"}

GENERIC_ACTIONS: dict[str, GenericAction] = {
    "accept": GenericAction(assignment_accept, _VERSIONED_NOTE),
    "start": GenericAction(assignment_start, _NOTE),
    "request_return": GenericAction(
        assignment_request_return, {**_REASON, "expected_version": "version"}
    ),
    "approve_return": GenericAction(
        assignment_decide_return, _NOTE, {"approve": True}, supervises=True
    ),
    "reject_return": GenericAction(
        assignment_decide_return, _NOTE, {"approve": False}, supervises=True
    ),
    "request_extension": GenericAction(
        assignment_request_extension,
        {**_REASON, "until": "until", "expected_version": "version"},
        requires=("until",),
    ),
    "approve_extension": GenericAction(
        assignment_decide_extension, {**_NOTE, "until": "until"}, {"approve": True}, True
    ),
    "reject_extension": GenericAction(
        assignment_decide_extension, {**_NOTE, "until": "until"}, {"approve": False}, True
    ),
    "hold": GenericAction(assignment_hold, _REASON),
    "resume": GenericAction(assignment_resume, _NOTE),
    "reply": GenericAction(assignment_reply, {**_VERSIONED_NOTE, "public_note": "note"}),
    # Not a move: reported on any open assignment.
    "progress": GenericAction(assignment_report_progress, _NOTE, states=frozenset(OPEN_STATUSES)),
}
REQUIRED_MESSAGES = {"until": gettext_lazy("请填写延期后的办理期限。")}


def actions_for(user: User, assignment: Assignment) -> list[str]:
    """What this user may do now: assignees work the case; staff decide requests."""
    is_assignee = (
        assignment.user_id == user.pk
        or (assignment.department_id in user.department_ids)
        or (
            assignment.staff_region_id
            and any(r.pk == assignment.staff_region_id for r in user.staff_regions)
        )
    )
    is_staff = user.is_superuser or any(
        assignment.region.is_within(region) for region in user.staff_regions
    )
    kind = case_types.get(assignment.case_type)

    def may(name: str, action: GenericAction) -> bool:
        states = action.states or ASSIGNMENT_TRANSITIONS[name][0]
        if assignment.status not in states:
            return False
        if action.supervises:
            return bool(is_staff)
        if kind is not None and not kind.generic_reply and name == "reply":
            return False  # answered on the case's own page (e.g. with a category)
        generic = kind is None or kind.generic_actions is None or name in kind.generic_actions
        return bool(is_assignee) and generic

    return [name for name, action in GENERIC_ACTIONS.items() if may(name, action)]


def assignment_perform(
    *,
    assignment: Assignment,
    action: str,
    by: User,
    note: str = "",
    until: datetime.date | None = None,
    version: int | None = None,
) -> None:
    """Run one action of ``GENERIC_ACTIONS`` for the HTML page and the API alike (the
    caller checked ``actions_for``). A name not in the table is refused, never ignored."""
    spec = GENERIC_ACTIONS.get(action)
    if spec is None:
        raise InvalidTransition()
    given: dict[str, Any] = {"note": note, "until": until, "version": version}
    for name in spec.requires:
        if given[name] in (None, ""):
            raise RuleViolation(REQUIRED_MESSAGES[name])
    arguments = {argument: given[name] for argument, name in spec.fields.items()}
    spec.service(assignment=assignment, by=by, **spec.fixed, **arguments)


# --- the sweep --------------------------------------------------------------

# Assignments per transaction. Each batch costs about a dozen statements and one
# commit whatever its size (see ``reminders_sweep``): a batch of 1,000 holds its row
# locks for about half a second, and 10,000 due are ten batches.
SWEEP_BATCH = 1000
EVENT_FIELDS = (  # a timeline row as record_event writes it, for the sweep's bulk INSERT
    "case_type",
    "case_id",
    "assignment",
    "at",
    "actor_label",
    "action",
    "note",
    "public_note",
    "from_status",
    "to_status",
    "data",
)


@dataclass
class SweepResult:
    examined: int = 0
    reminders: list[str] = field(default_factory=list)


def due_for_reminder(now: datetime.datetime, limit: int) -> QuerySet[Assignment]:
    # Uses the partial index on next_reminder_at: cost follows the number due.
    return Assignment.objects.filter(
        next_reminder_at__isnull=False, next_reminder_at__lte=now, status__in=OPEN_STATUSES
    ).order_by("next_reminder_at")[:limit]


def _with_people_around(rows: list[Assignment]) -> list[Assignment]:
    """Attach each row's department (its parents and region), representative and
    regions, from one read of the distinct ones each: a batch's thousand rows share
    a few dozen departments, and a join per row would build them a thousand times."""
    departments = Department.objects.select_related("parent__parent", "region__parent").in_bulk(
        {row.department_id for row in rows if row.department_id}
    )
    regions = Region.objects.select_related("parent__parent").in_bulk(
        {row.region_id for row in rows}
        | {row.staff_region_id for row in rows if row.staff_region_id}
    )
    users = User.objects.in_bulk({row.user_id for row in rows if row.user_id})
    for row in rows:
        row.region = regions[row.region_id]
        row.department = departments.get(row.department_id) if row.department_id else None
        row.staff_region = regions.get(row.staff_region_id) if row.staff_region_id else None
        row.user = users.get(row.user_id) if row.user_id else None
    return rows


def reminders_sweep(
    *,
    now: datetime.datetime | None = None,
    limit: int = 20_000,
    batch: int = SWEEP_BATCH,
    dry_run: bool = False,
) -> SweepResult:
    """Send every reminder stage that has fallen due, up to ``limit`` assignments in
    batches of ``batch``, one transaction each. Safe to run concurrently and twice.

    A batch is claimed by locking its rows: on PostgreSQL with FOR UPDATE SKIP
    LOCKED, so a concurrent sweep takes the next rows instead of the same ones
    (SQLite runs write transactions one at a time); the rows leave the due set
    when their next_reminder_at moves on in the same transaction. Each stage is
    a unique Reminder row, inserted with ON CONFLICT DO NOTHING, and only the
    stages really inserted are sent: a second line of defence.

    Cost per batch, whatever its size: the locking read, one read each of the
    distinct departments, regions and representatives it names, a policy read per
    new case type, one read of everyone who may hear of it, one INSERT each of
    reminders, timeline events, inbox rows and outbox rows, one UPDATE of the
    assignments, one commit, and one broker publish per 200 outbox rows after it.
    """
    now = now or timezone.now()
    result = SweepResult()
    schedule = _Schedule(now)
    if dry_run:
        for assignment in _with_people_around(list(due_for_reminder(now, limit))):
            result.examined += 1
            for name in schedule.of(assignment)[0]:
                result.reminders.append(f"{assignment.pk}:{name}")
        return result
    while result.examined < limit:
        size = min(batch, limit - result.examined)
        with transaction.atomic():
            rows = _with_people_around(
                list(due_for_reminder(now, size).select_for_update(skip_locked=True))
            )
            result.examined += len(rows)
            result.reminders += _sweep_batch(rows, schedule, now=now)
        if len(rows) < size:
            break
    return result


class _Schedule:
    """The stages to send now and the next reminder time, worked out once per sweep
    for each (case type, due date, last reminded, status): a city's due rows share a
    few hundred due dates and the moment of the sweep before, so 10,000 rows are a
    few dozen walks through the calendar, not 10,000."""

    def __init__(self, now: datetime.datetime) -> None:
        self.now = now
        self.policies: dict[str, ReminderPolicy] = {}
        self.known: dict[tuple[Any, ...], tuple[list[str], datetime.datetime | None]] = {}

    def of(self, assignment: Assignment) -> tuple[list[str], datetime.datetime | None]:
        key = (
            assignment.case_type,
            assignment.due_on,
            assignment.reminded_until,
            assignment.status,
        )
        if key not in self.known:
            self.known[key] = self._work_out(assignment)
        return self.known[key]

    def _work_out(self, assignment: Assignment) -> tuple[list[str], datetime.datetime | None]:
        if assignment.case_type not in self.policies:
            self.policies[assignment.case_type] = policy_for(assignment.case_type)
        policy = self.policies[assignment.case_type]
        stages = stages_between(assignment, policy, assignment.reminded_until, self.now)
        # After an outage only the latest plain reminder goes out; escalations all do.
        plain = [name for name, _at in stages if not name.startswith("escalate")]
        chosen = [name for name, _at in stages if name.startswith("escalate")] + plain[-1:]
        return chosen, next_reminder_time(assignment, policy, self.now)


def _level(stage: str) -> int:
    """The escalation level of a stage name ("escalate:2@2026-12-01" → 2); 0 otherwise."""
    return int(stage.split("@")[0].split(":")[1]) if stage.startswith("escalate") else 0


def _sweep_batch(
    rows: list[Assignment], schedule: _Schedule, *, now: datetime.datetime
) -> list[str]:
    """Send the due stages of locked ``rows`` and move each to its next reminder time."""
    stages: list[tuple[Assignment, str]] = []
    next_at: dict[datetime.datetime | None, list[int]] = {}
    for assignment in rows:
        chosen, after = schedule.of(assignment)
        stages += [(assignment, name) for name in chosen]
        next_at.setdefault(after, []).append(assignment.pk)
    sent = _send_stages(stages, now=now)
    levels: dict[int, list[int]] = {}
    for assignment, stage in sent:
        if _level(stage):
            levels.setdefault(_level(stage), []).append(assignment.pk)
    if rows:
        Assignment.objects.filter(pk__in=[assignment.pk for assignment in rows]).update(
            next_reminder_at=Case(
                *(When(pk__in=pks, then=Value(at)) for at, pks in next_at.items()),
                output_field=DateTimeField(),
            ),
            reminded_until=now,
            escalation_level=Greatest(
                F("escalation_level"),
                Case(
                    *(When(pk__in=pks, then=Value(n)) for n, pks in sorted(levels.items())[::-1]),
                    default=Value(0),
                    output_field=PositiveSmallIntegerField(),
                ),
            ),
        )
    return [f"{assignment.pk}:{stage}" for assignment, stage in sent]


def _send_stages(
    stages: list[tuple[Assignment, str]], *, now: datetime.datetime
) -> list[tuple[Assignment, str]]:
    """Record and notify each stage not sent before; returns the ones sent now."""
    people = People.for_stages((assignment, _level(stage)) for assignment, stage in stages)
    recipients = {
        (assignment.pk, stage): people.recipients(assignment, _level(stage))
        for assignment, stage in stages
    }
    inserted = _insert_reminders(
        [
            (assignment.pk, stage, len(recipients[assignment.pk, stage]))
            for assignment, stage in stages
        ]
    )
    sent = [
        (assignment, stage) for assignment, stage in stages if (assignment.pk, stage) in inserted
    ]
    events: list[tuple[Any, ...]] = []
    messages: list[Message] = []
    today = timezone.localdate(now)
    at = db_value(CaseEvent, "at", timezone.now())
    system = str(_("系统"))
    for assignment, stage in sent:
        people_told = recipients[assignment.pk, stage]
        action, title = _reminder_title(assignment, _level(stage), today)
        kind = case_types.get(assignment.case_type)
        data = {"stage": stage, "recipients": len(people_told)}
        events.append(
            (
                assignment.case_type,
                assignment.case_id,
                assignment.pk,
                at,
                system,
                action,
                title,
                "",
                "",
                "",
                db_value(CaseEvent, "data", data),
            )
        )
        body = _("%(kind)s · 承办：%(assignee)s · 办理期限 %(due)s") % {
            "kind": kind.label if kind else assignment.case_type,
            "assignee": assignment.assignee_label,
            "due": assignment.due_on,
        }
        messages.append(
            Message(
                recipients=people_told,
                kind=f"assignment.{action}",
                title=title,
                body=body,
                url=kind.url(assignment.case_id) if kind else "",
                case_type=assignment.case_type,
                case_id=assignment.case_id,
            )
        )
    insert_rows(CaseEvent, EVENT_FIELDS, events)
    notify_many(messages)
    return sent


def _insert_reminders(rows: list[tuple[int, str, int]]) -> set[tuple[int, str]]:
    """INSERT the Reminder rows (assignment id, stage, number of recipients), skipping
    any stage already recorded (ON CONFLICT DO NOTHING); returns the (assignment id,
    stage) pairs this statement inserted: only those are sent."""
    sent_at = db_value(Reminder, "sent_at", timezone.now())
    inserted = insert_rows(
        Reminder,
        ("assignment", "stage", "sent_at", "recipients"),
        [(pk, stage, sent_at, count) for pk, stage, count in rows],
        returning=("assignment", "stage"),
        skip_conflicts_on=("assignment", "stage"),
    )
    return {(pk, stage) for pk, stage in inserted}


def _reminder_title(assignment: Assignment, level: int, today: datetime.date) -> tuple[str, str]:
    """The timeline action and the message title of a stage, by where the deadline stands."""
    overdue = workdays_between(assignment.due_on, today)
    if level:
        return "escalation", _("督办：%(assignee)s办理的“%(title)s”已超期%(days)s个工作日") % {
            "assignee": assignment.assignee_label,
            "title": assignment.title,
            "days": overdue,
        }
    if overdue > 0:
        return "reminder", _("已超期：“%(title)s”超过办理期限%(days)s个工作日") % {
            "title": assignment.title,
            "days": overdue,
        }
    if overdue == 0:
        return "reminder", _("今日到期：“%(title)s”") % {"title": assignment.title}
    return "reminder", _("即将到期：“%(title)s”还有%(days)s个工作日") % {
        "title": assignment.title,
        "days": -overdue,
    }
