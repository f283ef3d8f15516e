"""The departments' handling summary (``HandlingCount``; docs/dashboard.md,
"承办单位"), kept by the engine's one ``_move`` in the same transaction as the step.

An assignment of a department counts once it is *finished*: replied (已答复) or
closed (已办结) — on the month of its reply, else of its close; on time if that
day is on or before its due date; its handling time is the working days from
交办 to that day. A reopening after 不满意 clears the reply, so the assignment
leaves the summary until it is answered again. ``handling_share`` is that rule
for one row; ``_move`` takes the row's old share out and puts its new one in.
"""

from __future__ import annotations

import datetime
from collections import defaultdict
from typing import Any

from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone

from congress.models import HANDLING_FIGURES, Assignment, AssignmentStatus, HandlingCount
from congress.workdays import workdays_between

FINISHED_STATUSES = (AssignmentStatus.REPLIED, AssignmentStatus.CLOSED)

Key = tuple[int, int, datetime.date, str]  # (department, area, month, case type)
Share = tuple[Key, dict[str, int]]


def _share(row: dict[str, Any]) -> Share | None:
    if row["department_id"] is None or row["status"] not in FINISHED_STATUSES:
        return None
    finished_at = row["replied_at"] or row["closed_at"]
    area = row["area_3"] or row["area_2"] or row["area_1"] or row["area_0"]
    if finished_at is None or area is None:
        return None
    day = timezone.localdate(finished_at)
    days = workdays_between(timezone.localdate(row["assigned_at"]), day)
    key = (row["department_id"], area, day.replace(day=1), row["case_type"])
    return key, {"finished": 1, "on_time": int(day <= row["due_on"]), "workdays": max(days, 0)}


_FIELDS = (
    "department_id",
    "status",
    "replied_at",
    "closed_at",
    "assigned_at",
    "due_on",
    "case_type",
    "area_0",
    "area_1",
    "area_2",
    "area_3",
)


def handling_share(assignment: Assignment) -> Share | None:
    """What ``assignment`` adds to the summary as it stands (None: nothing)."""
    return _share({name: getattr(assignment, name) for name in _FIELDS})


def _add(key: Key, facts: dict[str, int], sign: int) -> None:
    department, area, month, case_type = key
    lookup = {"department_id": department, "area_id": area, "month": month, "case_type": case_type}
    rows = HandlingCount.objects.filter(**lookup)
    changes = {name: F(name) + sign * n for name, n in facts.items()}
    if rows.update(**changes):
        return
    try:
        with transaction.atomic():
            HandlingCount.objects.create(**lookup, **{n: sign * v for n, v in facts.items()})
    except IntegrityError:
        rows.update(**changes)


def handling_moved(before: Share | None, after: Share | None) -> None:
    """A step changed an assignment: move its share (nothing when it is the same)."""
    if before == after:
        return
    if before is not None:
        _add(*before, sign=-1)
    if after is not None:
        _add(*after, sign=1)


def _counted_from_table() -> dict[Key, dict[str, int]]:
    """Cost: one pass over the departments' finished assignments."""
    rows = (
        Assignment.objects.filter(department__isnull=False, status__in=FINISHED_STATUSES)
        .values(*_FIELDS)
        .order_by()
        .iterator(chunk_size=5000)
    )
    counted: dict[Key, dict[str, int]] = defaultdict(lambda: dict.fromkeys(HANDLING_FIGURES, 0))
    for row in rows:
        share = _share(row)
        if share is not None:
            totals = counted[share[0]]
            for name, n in share[1].items():
                totals[name] += n
    return dict(counted)


def handling_counts_rebuild() -> int:
    """Count the summary again from the assignments (repair, rows written in bulk)."""
    rows = [
        HandlingCount(
            department_id=department, area_id=area, month=month, case_type=case_type, **facts
        )
        for (department, area, month, case_type), facts in _counted_from_table().items()
    ]
    with transaction.atomic():
        HandlingCount.objects.all().delete()
        HandlingCount.objects.bulk_create(rows, batch_size=1000)
    return len(rows)


def handling_counts_differences() -> dict[Key, tuple[dict[str, int], dict[str, int]]]:
    """Summary rows that differ from a count of the assignments: {key: (kept, counted)}."""
    counted = _counted_from_table()
    zero = dict.fromkeys(HANDLING_FIGURES, 0)
    kept = {
        (row["department_id"], row["area_id"], row["month"], row["case_type"]): {
            n: row[n] for n in HANDLING_FIGURES
        }
        for row in HandlingCount.objects.values(
            "department_id", "area_id", "month", "case_type", *HANDLING_FIGURES
        )
    }
    return {
        key: (kept.get(key, zero), counted.get(key, zero))
        for key in set(kept) | set(counted)
        if kept.get(key, zero) != counted.get(key, zero)
    }
