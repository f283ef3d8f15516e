"""The monthly summary the staff dashboard reads (``IssueMonthCount``; each figure's
definition is in docs/dashboard.md), kept in step with the problems.

Every figure sits on the row of the month the problem was *received* (and its
area and category), so the services add to it where the fact happens, in the
same transaction:

- received: the submission (``_create``);
- accepted: the ``accept`` move (受理);
- closed, closed on time, working days to close: ``rate`` (满意/基本满意) and
  ``close_unrated`` (评价期满未评价);
- rated, satisfied: ``rate``; rated, unsatisfied, reopened: ``reopen`` and
  ``reopen_department`` (不满意 always reopens, so each is one rating given).

All of those moves go through the channel's one ``_transition``, which calls
``month_count_moved``. ``issue_month_counts_rebuild`` counts the same facts again
from the tables, with the same rules (``_facts``), for repair and after rows were
written in bulk; ``issue_month_counts_differences`` is ``--check``.
"""

from __future__ import annotations

import datetime
from collections import defaultdict
from collections.abc import Callable, Iterable
from typing import Any

from django.db import IntegrityError, transaction
from django.db.models import Exists, F, OuterRef
from django.db.models.functions import Coalesce, TruncDate
from django.utils import timezone

from congress.models import Assignment, CaseEvent
from congress.workdays import workdays_between
from suggestions.citizen.workflow import ISSUE_CASE
from suggestions.models.citizen import CitizenIssue, IssueRating, IssueStatus
from suggestions.models.monthly import MONTH_FIGURES, IssueMonthCount

Key = tuple[int, datetime.date, int]  # (area, month, category)

SATISFIED_RATINGS = (IssueRating.SATISFIED, IssueRating.BASICALLY)
CLOSING_ACTIONS = ("rate", "close_unrated")
REOPENING_ACTIONS = ("reopen", "reopen_department")


def month_of(moment: datetime.datetime) -> datetime.date:
    """The first day of the month ``moment`` falls in, on the local calendar."""
    return timezone.localtime(moment).date().replace(day=1)


def _add(issue: CitizenIssue, deltas: dict[str, int]) -> None:
    """Add ``deltas`` to the problem's row, creating it if need be (as ``counter_add``:
    an UPDATE of ``x = x + d`` first, so concurrent changes queue on the row's lock)."""
    deltas = {name: n for name, n in deltas.items() if n}
    area = issue.count_area_id
    if not deltas or area is None:
        return
    key = {"area_id": area, "month": month_of(issue.created_at), "category_id": issue.category_id}
    rows = IssueMonthCount.objects.filter(**key)
    changes = {name: F(name) + n for name, n in deltas.items()}
    if rows.update(**changes):
        return
    try:
        with transaction.atomic():
            IssueMonthCount.objects.create(**key, **deltas)
    except IntegrityError:
        rows.update(**changes)


def _late_steps() -> Any:
    """The problem's steps finished (replied, else closed) after their due date."""
    finished = TruncDate(Coalesce("replied_at", "closed_at"))
    return (
        Assignment.objects.filter(case_type=ISSUE_CASE, case_id=OuterRef("pk"))
        .annotate(finished_on=finished)
        .filter(finished_on__gt=F("due_on"))
    )


def _closing_facts(
    created: datetime.datetime,
    closed: datetime.datetime | None,
    late: bool,
    days: Callable[[datetime.date, datetime.date], int] = workdays_between,
) -> dict[str, int]:
    facts = {"closed": 1, "closed_on_time": int(not late)}
    if closed is not None:
        spent = days(timezone.localdate(created), timezone.localdate(closed))
        facts["workdays_to_close"] = max(spent, 0)
    return facts


def month_count_received(issue: CitizenIssue) -> None:
    """A problem was stored (any way in: QR form, contact log, API, a join)."""
    _add(issue, {"received": 1})


def month_count_moved(issue: CitizenIssue, action: str) -> None:
    """After ``_transition`` moved ``issue`` by ``action`` (the row is refreshed)."""
    if action == "accept":
        _add(issue, {"accepted": 1})
    elif action in CLOSING_ACTIONS:
        late = CitizenIssue.objects.filter(pk=issue.pk).filter(Exists(_late_steps())).exists()
        facts = _closing_facts(issue.created_at, issue.closed_at, late)
        if action == "rate":
            facts |= {"rated": 1, "satisfied": int(issue.rating in SATISFIED_RATINGS)}
        _add(issue, facts)
    elif action in REOPENING_ACTIONS:
        _add(issue, {"rated": 1, "unsatisfied": 1, "reopened": 1})


# Statuses reached only through 受理 (ISSUE_TRANSITIONS): every later move starts
# from 已受理 or beyond. 不予受理 and 已合并办理 may come before or after it.
_ACCEPTED_BY_STATUS = frozenset(
    {
        IssueStatus.ACCEPTED,
        IssueStatus.WITH_REPRESENTATIVE,
        IssueStatus.FORWARDED,
        IssueStatus.DEPARTMENT_REPLIED,
        IssueStatus.ANSWERED,
        IssueStatus.CLOSED,
        IssueStatus.CONVERTED,
    }
)


def _facts(
    row: dict[str, Any], accepted: bool, late: bool, days: Callable[..., int]
) -> dict[str, int]:
    """The figures one problem adds to its row, from its stored state: what the
    services added over its life (see the module's docstring)."""
    facts = {"received": 1, "accepted": int(accepted)}
    unsatisfied = row["reopen_count"]
    facts |= {"rated": unsatisfied, "unsatisfied": unsatisfied, "reopened": unsatisfied}
    if row["status"] == IssueStatus.CLOSED:
        facts |= _closing_facts(row["created_at"], row["closed_at"], late, days)
        if row["rating"] in SATISFIED_RATINGS:
            facts["rated"] += 1
            facts["satisfied"] = 1
    return facts


def _counted_from_table() -> dict[Key, dict[str, int]]:
    """Cost: one pass over the problems, one over the assignments finished late, one
    over the declined and merged problems' 受理 events; no lookup per row, so it runs
    as well before the indexes exist (``generate_city``). Working days are counted
    in Python, as the services do, once per (received, closed) pair of dates."""
    late = set(
        Assignment.objects.filter(case_type=ISSUE_CASE)
        .annotate(finished_on=TruncDate(Coalesce("replied_at", "closed_at")))
        .filter(finished_on__gt=F("due_on"))
        .order_by()
        .values_list("case_id", flat=True)
        .distinct()
    )
    # The problem's own 受理 (an assignment's 签收 is the same word on a step's event),
    # looked up only where the status does not say it.
    events = CaseEvent.objects.filter(
        case_type=ISSUE_CASE, action="accept", assignment__isnull=True
    ).values("case_id")
    accepted_early = set(
        CitizenIssue.objects.filter(
            status__in=[IssueStatus.DECLINED, IssueStatus.MERGED], pk__in=events
        ).values_list("pk", flat=True)
    )
    memo: dict[tuple[datetime.date, datetime.date], int] = {}

    def days(start: datetime.date, end: datetime.date) -> int:
        if (start, end) not in memo:
            memo[start, end] = workdays_between(start, end)
        return memo[start, end]

    rows: Iterable[Any] = (
        CitizenIssue.objects.filter(area_0__isnull=False)
        .values(
            "pk",
            "area_0",
            "area_1",
            "area_2",
            "area_3",
            "created_at",
            "category_id",
            "status",
            "rating",
            "reopen_count",
            "closed_at",
        )
        .order_by()
        .iterator(chunk_size=5000)
    )
    counted: dict[Key, dict[str, int]] = defaultdict(lambda: dict.fromkeys(MONTH_FIGURES, 0))
    for row in rows:
        area = row["area_3"] or row["area_2"] or row["area_1"] or row["area_0"]
        totals = counted[(area, month_of(row["created_at"]), row["category_id"])]
        accepted = row["status"] in _ACCEPTED_BY_STATUS or row["pk"] in accepted_early
        for name, n in _facts(row, accepted, row["pk"] in late, days).items():
            totals[name] += n
    return dict(counted)


def issue_month_counts_rebuild() -> int:
    """Count the monthly summary again from the tables. Returns its number of rows."""
    rows = [
        IssueMonthCount(area_id=area, month=month, category_id=category, **figures)
        for (area, month, category), figures in _counted_from_table().items()
    ]
    with transaction.atomic():
        IssueMonthCount.objects.all().delete()
        IssueMonthCount.objects.bulk_create(rows, batch_size=1000)
    return len(rows)


def issue_month_counts_differences() -> dict[Key, tuple[dict[str, int], dict[str, int]]]:
    """Monthly rows that differ from a count of the tables: {key: (kept, counted)}."""
    counted = _counted_from_table()
    zero = dict.fromkeys(MONTH_FIGURES, 0)
    kept = {
        (row["area_id"], row["month"], row["category_id"]): {n: row[n] for n in MONTH_FIGURES}
        for row in IssueMonthCount.objects.values("area_id", "month", "category_id", *MONTH_FIGURES)
    }
    return {
        key: (kept.get(key, zero), counted.get(key, zero))
        for key in set(kept) | set(counted)
        if kept.get(key, zero) != counted.get(key, zero)
    }
