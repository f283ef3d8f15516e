"""When an assignment's reminders fall due: the stages of a reminder policy on the
official calendar."""

from __future__ import annotations

import datetime
from typing import Any

from django.conf import settings
from django.utils import timezone

from congress.loop.cases import (
    case_types,
)
from congress.loop.workflow import (
    PAUSING,
)
from congress.models import (
    OPEN_STATUSES,
    Assignment,
    ReminderPolicy,
)
from congress.workdays import (
    add_workdays,
    is_workday,
)


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
