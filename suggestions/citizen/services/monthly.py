"""The monthly summaries the staff dashboard reads (``IssueMonthCount`` and, for the
problems of a station, ``IssueStationMonthCount``; each figure's definition is in
docs/dashboard.md), kept in step with the problems.

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
written in bulk; ``issue_month_counts_differences`` is ``--check``. The station rows
take the same deltas in the same ``_add``, so they are counted by the same rules.

The department whose answer a citizen rated (docs/dashboard.md, "承办单位") is told
by ``rating.py`` through the engine's ``handling_rated``; ``issue_handling_ratings``
finds those ratings again in the tables for the engine's rebuild.
"""

from __future__ import annotations

import datetime
from collections import defaultdict
from collections.abc import Callable, Iterable, Iterator
from typing import Any

from django.db import IntegrityError, transaction
from django.db.models import Exists, F, OuterRef, Q, Subquery
from django.db.models.functions import Coalesce, TruncDate
from django.utils import timezone

from congress.loop.handling import Rating
from congress.models import Assignment, AssignmentStatus, CaseEvent
from congress.workdays import workdays_between
from suggestions.citizen.workflow import ISSUE_CASE
from suggestions.models.citizen import CitizenIssue, IssueRating, IssueStatus
from suggestions.models.monthly import MONTH_FIGURES, IssueMonthCount, IssueStationMonthCount

Key = tuple[int, datetime.date, int]  # (area, month, category)
StationKey = tuple[int, int, datetime.date]  # (station, area, month)

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
    month = month_of(issue.created_at)
    _add_row(
        IssueMonthCount, {"area_id": area, "month": month, "category_id": issue.category_id}, deltas
    )
    if issue.station_id is not None:
        key = {"station_id": issue.station_id, "area_id": area, "month": month}
        _add_row(IssueStationMonthCount, key, deltas)


def _add_row(model: Any, key: dict[str, Any], deltas: dict[str, int]) -> None:
    rows = model.objects.filter(**key)
    changes = {name: F(name) + n for name, n in deltas.items()}
    if rows.update(**changes):
        return
    try:
        with transaction.atomic():
            model.objects.create(**key, **deltas)
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


Counted = tuple[dict[Key, dict[str, int]], dict[StationKey, dict[str, int]]]


def _counted_from_table() -> Counted:
    """Both summaries (monthly, per station). Cost: one pass over the problems, one over the assignments finished late, one
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
            "station_id",
            "status",
            "rating",
            "reopen_count",
            "closed_at",
        )
        .order_by()
        .iterator(chunk_size=5000)
    )
    counted: dict[Key, dict[str, int]] = defaultdict(lambda: dict.fromkeys(MONTH_FIGURES, 0))
    by_station: dict[StationKey, dict[str, int]] = defaultdict(
        lambda: dict.fromkeys(MONTH_FIGURES, 0)
    )
    for row in rows:
        area = row["area_3"] or row["area_2"] or row["area_1"] or row["area_0"]
        month = month_of(row["created_at"])
        accepted = row["status"] in _ACCEPTED_BY_STATUS or row["pk"] in accepted_early
        facts = _facts(row, accepted, row["pk"] in late, days)
        totals = counted[(area, month, row["category_id"])]
        for name, n in facts.items():
            totals[name] += n
        if row["station_id"] is not None:
            totals = by_station[(row["station_id"], area, month)]
            for name, n in facts.items():
                totals[name] += n
    return dict(counted), dict(by_station)


def issue_month_counts_rebuild() -> int:
    """Count the monthly summaries (by area and category, and by station) again from
    the tables. Returns the number of monthly rows."""
    counted, by_station = _counted_from_table()
    rows = [
        IssueMonthCount(area_id=area, month=month, category_id=category, **figures)
        for (area, month, category), figures in counted.items()
    ]
    stations = [
        IssueStationMonthCount(station_id=station, area_id=area, month=month, **figures)
        for (station, area, month), figures in by_station.items()
    ]
    with transaction.atomic():
        IssueMonthCount.objects.all().delete()
        IssueMonthCount.objects.bulk_create(rows, batch_size=1000)
        IssueStationMonthCount.objects.all().delete()
        IssueStationMonthCount.objects.bulk_create(stations, batch_size=1000)
    return len(rows)


def _differences(
    kept: dict[Any, dict[str, int]], counted: dict[Any, dict[str, int]]
) -> dict[Any, tuple[dict[str, int], dict[str, int]]]:
    zero = dict.fromkeys(MONTH_FIGURES, 0)
    return {
        key: (kept.get(key, zero), counted.get(key, zero))
        for key in set(kept) | set(counted)
        if kept.get(key, zero) != counted.get(key, zero)
    }


def issue_month_counts_differences() -> dict[Key, tuple[dict[str, int], dict[str, int]]]:
    """Monthly rows that differ from a count of the tables: {key: (kept, counted)}."""
    counted, _by_station = _counted_from_table()
    kept = {
        (row["area_id"], row["month"], row["category_id"]): {n: row[n] for n in MONTH_FIGURES}
        for row in IssueMonthCount.objects.values("area_id", "month", "category_id", *MONTH_FIGURES)
    }
    return _differences(kept, counted)


def issue_station_counts_differences() -> dict[StationKey, tuple[dict[str, int], dict[str, int]]]:
    """Station rows that differ from a count of the tables: {key: (kept, counted)}."""
    _counted, by_station = _counted_from_table()
    fields = ("station_id", "area_id", "month", *MONTH_FIGURES)
    kept = {
        (row["station_id"], row["area_id"], row["month"]): {n: row[n] for n in MONTH_FIGURES}
        for row in IssueStationMonthCount.objects.values(*fields)
    }
    return _differences(kept, by_station)


def _department_steps() -> Any:
    return Assignment.objects.filter(
        case_type=ISSUE_CASE, case_id=OuterRef("case_id"), department__isnull=False
    )


def issue_handling_ratings() -> Iterator[Rating]:
    """The citizens' ratings of a department's answer, found again in the tables for
    the engine's rebuild of ``HandlingCount`` (docs/dashboard.md, "承办单位"). A
    rating is the department's when the problem's latest department step had been
    replied when it came (``rating.py``):

    - 不满意: each ``reopen_department`` event of a problem (the department's step is
      reopened), on the latest department step assigned before it, at the event;
    - 满意/基本满意: a problem closed with that rating whose latest department step
      was closed by the rating (closed at or after it), at the rating.

    Cost: two passes, over the department steps closed and over the reopening
    events, each row's problem or step found on its index (a repair, not a page)."""
    later = _department_steps().filter(
        Q(assigned_at__gt=OuterRef("assigned_at"))
        | Q(assigned_at=OuterRef("assigned_at"), pk__gt=OuterRef("pk"))
    )
    rated = CitizenIssue.objects.filter(
        pk=OuterRef("case_id"), status=IssueStatus.CLOSED, rating__in=SATISFIED_RATINGS
    )
    closed = (
        Assignment.objects.filter(
            case_type=ISSUE_CASE, department__isnull=False, status=AssignmentStatus.CLOSED
        )
        .annotate(rated_at=Subquery(rated.values("rated_at")[:1]))
        .filter(rated_at__isnull=False, closed_at__gte=F("rated_at"))
        .exclude(Exists(later))
        .values_list("pk", "rated_at")
        .order_by()
    )
    for pk, at in closed.iterator(chunk_size=5000):
        yield Rating(assignment=pk, at=at, satisfied=True, unsatisfied=False)
    step = (
        _department_steps()
        .filter(assigned_at__lte=OuterRef("at"))
        .order_by("-assigned_at", "-pk")
        .values("pk")[:1]
    )
    reopened = (
        CaseEvent.objects.filter(
            case_type=ISSUE_CASE, action="reopen_department", assignment__isnull=True
        )
        .annotate(step=Subquery(step))
        .filter(step__isnull=False)
        .values_list("step", "at")
        .order_by()
    )
    for pk, at in reopened.iterator(chunk_size=5000):
        yield Rating(assignment=pk, at=at, satisfied=False, unsatisfied=True)
