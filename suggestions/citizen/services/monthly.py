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
from the tables, with the same rules, in one grouped statement per summary
(``_counted_sql``, congress/loop/recount.py: nothing read row by row into Python),
for repair and after rows were written in bulk; ``issue_month_counts_differences`` is ``--check``. The station rows
take the same deltas in the same ``_add``, so they are counted by the same rules.

The department whose answer a citizen rated (docs/dashboard.md, "承办单位") is told
by ``rating.py`` through the engine's ``handling_rated``; ``issue_handling_ratings``
finds those ratings again in the tables for the engine's rebuild.
"""

from __future__ import annotations

import datetime
from collections.abc import Callable, Iterator
from typing import Any

from django.db import IntegrityError, transaction
from django.db.models import (
    Count,
    DateField,
    Exists,
    F,
    Max,
    Min,
    OuterRef,
    Q,
    Subquery,
    Value,
)
from django.db.models.functions import Coalesce, TruncDate, TruncMonth
from django.utils import timezone

from congress.areas import AREA_FIELDS, area_columns, fill_area_columns
from congress.loop import recount
from congress.loop.handling import Rating
from congress.models import Assignment, AssignmentStatus, CaseEvent, Region
from congress.summary import count_differences
from congress.workdays import workdays_between
from suggestions.citizen.workflow import ISSUE_CASE
from suggestions.models.citizen import CitizenIssue, IssueRating, IssueStatus
from suggestions.models.monthly import (
    MONTH_FIGURES,
    HandledMonthCount,
    IssueMonthCount,
    IssueStationMonthCount,
)

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
    # A new monthly row (and a station's) takes the problem's area columns: its area
    # is the deepest of them (``count_area_id``), so they are the area's ancestors
    # and itself.
    areas = {name: getattr(issue, name) for name in AREA_FIELDS}
    _add_row(
        IssueMonthCount,
        {"area_id": area, "month": month, "category_id": issue.category_id},
        deltas,
        areas,
    )
    if issue.station_id is not None:
        key = {"station_id": issue.station_id, "area_id": area, "month": month}
        _add_row(IssueStationMonthCount, key, deltas, areas)


def _add_row(
    model: Any, key: dict[str, Any], deltas: dict[str, int], new: dict[str, Any] | None = None
) -> None:
    """Add ``deltas`` to ``model``'s row at ``key``; a row created has ``new`` too."""
    rows = model.objects.filter(**key)
    changes = {name: F(name) + n for name, n in deltas.items()}
    if rows.update(**changes):
        return
    try:
        with transaction.atomic():
            model.objects.create(**key, **deltas, **(new or {}))
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
        if issue.handler_id is not None and issue.closed_at is not None:
            key = {"representative_id": issue.handler_id, "month": month_of(issue.closed_at)}
            _add_row(HandledMonthCount, key, {"closed": 1})
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


_KEYS = {
    "monthly": ("key_area", "month", "category_id"),
    "station": ("station_id", "key_area", "month"),
}


def _problem_rows() -> Any:
    """Each problem with its summary key and the local days its figures need."""
    return (
        CitizenIssue.objects.filter(area_0__isnull=False)
        .annotate(
            key_area=Coalesce("area_3", "area_2", "area_1", "area_0"),
            month=TruncMonth("created_at", output_field=DateField()),
            created_day=TruncDate("created_at"),
            closed_day=TruncDate("closed_at"),
        )
        .values(
            "id",
            "key_area",
            "month",
            "category_id",
            "station_id",
            "status",
            "rating",
            "reopen_count",
            "created_day",
            "closed_day",
        )
        .order_by()
    )


def _late_problems() -> Any:
    """The problems with a step finished (replied, else closed) after its due date."""
    return (
        Assignment.objects.filter(case_type=ISSUE_CASE)
        .annotate(finished_on=TruncDate(Coalesce("replied_at", "closed_at")))
        .filter(finished_on__gt=F("due_on"))
        .values("case_id")
        .distinct()
        .order_by()
    )


def _accepted_early() -> Any:
    """The declined and merged problems that had been accepted (受理) before: the
    problem's own 受理 event (an assignment's 签收 is the same word on a step's
    event). Every other status says itself whether it was accepted."""
    return (
        CaseEvent.objects.filter(
            case_type=ISSUE_CASE,
            action="accept",
            assignment__isnull=True,
            case_id__in=CitizenIssue.objects.filter(
                status__in=[IssueStatus.DECLINED, IssueStatus.MERGED]
            ).values("pk"),
        )
        .values("case_id")
        .distinct()
        .order_by()
    )


def _calendar_range() -> tuple[datetime.date | None, datetime.date | None]:
    """The local days from the first problem received to the last received or closed."""
    span = CitizenIssue.objects.filter(area_0__isnull=False).aggregate(
        first=Min("created_at"), last=Max("created_at"), closed=Max("closed_at")
    )
    if span["first"] is None:
        return None, None
    last = max(moment for moment in (span["last"], span["closed"]) if moment is not None)
    return timezone.localdate(span["first"]), timezone.localdate(last)


def _counted_sql(summary: str) -> tuple[str, list[Any]]:
    """One statement that counts a summary (``monthly`` or ``station``) from the
    tables, by the rules the services add by (the module's docstring): its key
    columns, then ``MONTH_FIGURES`` in order. Cost: one grouped pass over the
    problems, hash-joined to the late steps and the declined problems' 受理 events
    (congress/loop/recount.py)."""
    cal, params = recount.workday_calendar(*_calendar_range())
    rows, rows_params = recount.compiled(_problem_rows())
    late, late_params = recount.compiled(_late_problems())
    early, early_params = recount.compiled(_accepted_early())
    accepted = ", ".join(["%s"] * len(_ACCEPTED_BY_STATUS))
    satisfied = ", ".join(["%s"] * len(SATISFIED_RATINGS))
    closed = "p.status = %s"
    facts = f"""
        SELECT p.key_area, p.month, p.category_id, p.station_id,
          CASE WHEN p.status IN ({accepted}) OR e.case_id IS NOT NULL THEN 1 ELSE 0 END
            AS accepted,
          p.reopen_count AS unsatisfied,
          CASE WHEN {closed} THEN 1 ELSE 0 END AS closed,
          CASE WHEN {closed} AND l.case_id IS NULL THEN 1 ELSE 0 END AS on_time,
          CASE WHEN {closed} AND p.rating IN ({satisfied}) THEN 1 ELSE 0 END AS satisfied,
          CASE WHEN {closed} THEN {recount.workdays_sql("c1", "c2")} ELSE 0 END AS workdays
        FROM ({rows}) p
        LEFT JOIN ({late}) l ON l.case_id = p.id
        LEFT JOIN ({early}) e ON e.case_id = p.id
        LEFT JOIN cal c1 ON c1.day = p.created_day
        LEFT JOIN cal c2 ON c2.day = p.closed_day"""  # noqa: S608 - compiled querysets, values as parameters
    closing = IssueStatus.CLOSED
    params += [*sorted(_ACCEPTED_BY_STATUS), closing, closing, closing, *SATISFIED_RATINGS]
    params += [closing, *rows_params, *late_params, *early_params]
    keys = ", ".join(f"f.{name}" for name in _KEYS[summary])
    where = "WHERE f.station_id IS NOT NULL" if summary == "station" else ""
    # In MONTH_FIGURES' order: received, accepted, closed, closed_on_time, rated,
    # satisfied, unsatisfied, reopened, workdays_to_close.
    sql = f"""{cal}
        SELECT {keys}, COUNT(*), SUM(f.accepted), SUM(f.closed), SUM(f.on_time),
          SUM(f.unsatisfied) + SUM(f.satisfied), SUM(f.satisfied), SUM(f.unsatisfied),
          SUM(f.unsatisfied), SUM(f.workdays)
        FROM ({facts}) f {where}
        GROUP BY {keys}"""  # noqa: S608 - compiled querysets, values as parameters
    return sql, params


def _counted(summary: str) -> dict[Any, dict[str, int]]:
    """A summary counted from the tables: {key: figures}, keys as the model's."""
    sql, params = _counted_sql(summary)
    month = _KEYS[summary].index("month")
    counted = {}
    for row in recount.fetch(sql, params):
        key = list(row[:3])
        key[month] = recount.as_date(key[month])
        counted[tuple(key)] = {name: int(n) for name, n in zip(MONTH_FIGURES, row[3:], strict=True)}
    return counted


def _handled_counted(*columns: str) -> Any:
    """The closes per handler and local month, counted from the problems (on the
    partial index of closes by handler): (handler, month, ``columns``…, n)."""
    return (
        CitizenIssue.objects.filter(status=IssueStatus.CLOSED, handler__isnull=False)
        .annotate(closed_month=TruncMonth("closed_at", output_field=DateField()))
        .values("handler_id", "closed_month", *columns)
        .annotate(n=Count("handler_id"))
        .order_by()
    )


def handled_month_counts_differences() -> dict[tuple[int, datetime.date], tuple[int, int]]:
    """(representative, month) rows that differ from a count: {key: (kept, counted)}."""
    kept = {
        (row["representative_id"], row["month"]): row["closed"]
        for row in HandledMonthCount.objects.values("representative_id", "month", "closed")
    }
    counted = {(row["handler_id"], row["closed_month"]): row["n"] for row in _handled_counted()}
    return count_differences(kept, counted)


def issue_month_counts_rebuild() -> int:
    """Count the monthly summaries (by area and category, by station, and the closes
    per handler) again from the tables, each with one ``INSERT … SELECT``. Returns
    the number of monthly rows."""
    figures = ", ".join(MONTH_FIGURES)
    with transaction.atomic():
        HandledMonthCount.objects.all().delete()
        # Each row with its representative's area (``HolderAreaColumns``).
        holder_areas = (f"handler__{name}" for name in AREA_FIELDS)
        sql, params = _handled_counted(*holder_areas).query.sql_with_params()
        table = HandledMonthCount._meta.db_table
        columns = f"representative_id, month, {', '.join(AREA_FIELDS)}, closed"
        recount.execute(f"INSERT INTO {table} ({columns}) {sql}", params)
        IssueMonthCount.objects.all().delete()
        sql, params = _counted_sql("monthly")
        table = IssueMonthCount._meta.db_table
        columns = f"area_id, month, category_id, {figures}"
        recount.execute(_insert(sql, table, columns), params)
        IssueStationMonthCount.objects.all().delete()
        sql, params = _counted_sql("station")
        table = IssueStationMonthCount._meta.db_table
        recount.execute(_insert(sql, table, f"station_id, area_id, month, {figures}"), params)
        # Each row's area columns from its area (a township or shallower: a city's
        # hundred regions, a province's thousand or so, one UPDATE each per table).
        for model in (IssueMonthCount, IssueStationMonthCount):
            fill_area_columns(model.objects.all(), Region.objects.all(), field="area")
    return IssueMonthCount.objects.count()


def _insert(counted: str, table: str, columns: str) -> str:
    """``counted`` (``WITH cal … SELECT``) as an ``INSERT … SELECT`` into ``table``."""
    cal, select = counted.split("\n", 1)
    return f"{cal}\nINSERT INTO {table} ({columns}) {select}"


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
    kept = {
        (row["area_id"], row["month"], row["category_id"]): {n: row[n] for n in MONTH_FIGURES}
        for row in IssueMonthCount.objects.values("area_id", "month", "category_id", *MONTH_FIGURES)
    }
    return _differences(kept, _counted("monthly"))


def issue_month_areas_differences() -> dict[tuple[str, int], tuple[list[Any], tuple[Any, ...]]]:
    """Areas whose monthly rows (of ``IssueMonthCount`` or the stations') do not all
    keep the area's own ``area_N``: {(table, area): (the column values kept, the
    area's)}. Three queries: the distinct values kept in each table, and the areas."""
    kept: dict[tuple[str, int], set[tuple[Any, ...]]] = {}
    for model in (IssueMonthCount, IssueStationMonthCount):
        table = model._meta.db_table
        for area, *columns in model.objects.values_list("area_id", *AREA_FIELDS).distinct():
            kept.setdefault((table, area), set()).add(tuple(columns))
    regions = Region.objects.only("pk", "path").in_bulk({area for _table, area in kept})
    differ = {}
    for (table, area), found in kept.items():
        expected = tuple(area_columns(regions[area]).values())
        if found != {expected}:
            differ[(table, area)] = (sorted(found, key=repr), expected)
    return differ


def issue_station_counts_differences() -> dict[StationKey, tuple[dict[str, int], dict[str, int]]]:
    """Station rows that differ from a count of the tables: {key: (kept, counted)}."""
    fields = ("station_id", "area_id", "month", *MONTH_FIGURES)
    kept = {
        (row["station_id"], row["area_id"], row["month"]): {n: row[n] for n in MONTH_FIGURES}
        for row in IssueStationMonthCount.objects.values(*fields)
    }
    return _differences(kept, _counted("station"))


def _department_steps() -> Any:
    return Assignment.objects.filter(
        case_type=ISSUE_CASE, case_id=OuterRef("case_id"), department__isnull=False
    )


def _closed_ratings() -> Any:
    """The department steps whose answer a 满意/基本满意 rating was given to: each
    closed by the rating, the latest department step of its problem."""
    later = _department_steps().filter(
        Q(assigned_at__gt=OuterRef("assigned_at"))
        | Q(assigned_at=OuterRef("assigned_at"), pk__gt=OuterRef("pk"))
    )
    rated = CitizenIssue.objects.filter(
        pk=OuterRef("case_id"), status=IssueStatus.CLOSED, rating__in=SATISFIED_RATINGS
    )
    return (
        Assignment.objects.filter(
            case_type=ISSUE_CASE, department__isnull=False, status=AssignmentStatus.CLOSED
        )
        .annotate(rated_at=Subquery(rated.order_by().values("rated_at")[:1]))
        .filter(rated_at__isnull=False, closed_at__gte=F("rated_at"))
        .exclude(Exists(later))
        .order_by()
    )


def _reopen_ratings() -> Any:
    """The 不满意 ratings (``reopen_department`` events) with the department step they
    rated: the latest assigned before the event."""
    step = (
        _department_steps()
        .filter(assigned_at__lte=OuterRef("at"))
        .order_by("-assigned_at", "-pk")
        .values("pk")[:1]
    )
    return (
        CaseEvent.objects.filter(
            case_type=ISSUE_CASE, action="reopen_department", assignment__isnull=True
        )
        .annotate(step=Subquery(step))
        .filter(step__isnull=False)
        .order_by()
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
    events, each row's problem or step found on its index (a repair, not a page).
    The rebuild counts the same rows in the database (``issue_handling_rating_rows``)."""
    for pk, at in _closed_ratings().values_list("pk", "rated_at").iterator(chunk_size=5000):
        yield Rating(assignment=pk, at=at, satisfied=True, unsatisfied=False)
    for pk, at in _reopen_ratings().values_list("step", "at").iterator(chunk_size=5000):
        yield Rating(assignment=pk, at=at, satisfied=False, unsatisfied=True)


def issue_handling_rating_rows() -> list[Any]:
    """The same ratings as ``issue_handling_ratings``, as the querysets the engine's
    rebuild counts in the database (``RatingSource.rows``): each with the rated
    step's department and area, so that the count needs no join back to the steps."""
    area = Coalesce("area_3", "area_2", "area_1", "area_0")
    closed = _closed_ratings().annotate(
        rated_department=F("department_id"), rated_area=area, rated_at_=F("rated_at")
    )
    step = (
        _department_steps()
        .filter(assigned_at__lte=OuterRef("at"))
        .order_by("-assigned_at", "-pk")
        .annotate(key_area=area)
    )
    reopened = _reopen_ratings().annotate(
        rated_department=Subquery(step.values("department_id")[:1]),
        rated_area=Subquery(step.values("key_area")[:1]),
        rated_at_=F("at"),
    )

    def as_rows(queryset: Any, satisfied: int) -> Any:
        return queryset.annotate(
            month=TruncMonth("rated_at_", output_field=DateField()),
            satisfied=Value(satisfied),
            unsatisfied=Value(1 - satisfied),
        ).values("rated_department", "rated_area", "month", "satisfied", "unsatisfied")

    return [as_rows(closed, 1), as_rows(reopened, 0)]
