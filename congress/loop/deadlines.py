"""When the calendar changes: counted due dates are counted again and the change is
written on the timeline."""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from congress.loop.cases import (
    _tell_case,
    case_types,
)
from congress.loop.schedule import (
    _reschedule_updates,
)
from congress.loop.services import (
    _fields,
)
from congress.loop.workflow import (
    PAUSING,
)
from congress.models import (
    OPEN_STATUSES,
    Assignment,
    CalendarState,
    CaseEvent,
    User,
)
from congress.workdays import (
    add_deadline,
    basis_is_provisional,
    due_from_basis,
    known_years,
)
from congress.workflow import record_event


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
