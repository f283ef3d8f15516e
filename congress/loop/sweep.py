"""The periodic reminder sweep: due reminder stages become notifications and escalations."""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field
from typing import Any

from django.db import transaction
from django.db.models import (
    Case,
    DateTimeField,
    F,
    PositiveSmallIntegerField,
    QuerySet,
    Value,
    When,
)
from django.db.models.functions import Greatest
from django.utils import timezone
from django.utils.translation import gettext as _

from congress.bulk import db_value, insert_rows
from congress.loop.cases import (
    case_types,
)
from congress.loop.escalation import (
    People,
)
from congress.loop.schedule import (
    next_reminder_time,
    policy_for,
    stages_between,
)
from congress.models import (
    OPEN_STATUSES,
    Assignment,
    CaseEvent,
    Department,
    Region,
    Reminder,
    ReminderPolicy,
    User,
)
from congress.notifications import Message, notify_many
from congress.workdays import (
    workdays_between,
)

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
