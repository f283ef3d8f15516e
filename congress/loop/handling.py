"""The departments' handling summary (``HandlingCount``; docs/dashboard.md,
"承办单位"), kept by the engine's one ``_move`` in the same transaction as the step.

An assignment of a department counts once it is *finished*: replied (已答复) or
closed (已办结) — on the month of its reply, else of its close; on time if that
day is on or before its due date; its handling time is the working days from
交办 to that day. A reopening after 不满意 clears the reply, so the assignment
leaves the summary until it is answered again. ``handling_share`` is that rule
for one row; ``_move`` takes the row's old share out and puts its new one in.

The ratings of a department's answers (docs/dashboard.md, "承办单位") are not a
function of the assignment's row: a case type calls ``handling_rated`` in the same
transaction as the rating, naming the assignment whose answer was rated, and the
rating counts in its month on that assignment's department, area and case type (a
vote by secret ballot calls ``handling_marks_rated`` when its box closes: each mark
one rating). Each case type also registers a ``RatingSource`` (in its app's ``setup.py``) that
finds the same ratings again in its own tables, so that the rebuild and ``--check``
recount them (the core imports no feature app).
"""

from __future__ import annotations

import datetime
from collections import defaultdict
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from itertools import chain, islice
from typing import Any

from django.db import IntegrityError, transaction
from django.db.models import Case, DateField, F, Max, Min, QuerySet, Value, When
from django.db.models.functions import Coalesce, TruncDate, TruncMonth
from django.utils import timezone

from congress.loop import recount
from congress.models import HANDLING_FIGURES, Assignment, AssignmentStatus, HandlingCount
from congress.models import Rating as BallotRating
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


@dataclass(frozen=True)
class Rating:
    """One rating of the answer of ``assignment`` (an assignment id), given at ``at``."""

    assignment: int
    at: datetime.datetime
    satisfied: bool
    unsatisfied: bool


@dataclass(frozen=True)
class RatingSource:
    """Where a case type keeps its ratings: ``ratings()`` yields every rating of a
    department's answer found in its tables, by the rule its services follow when they
    call ``handling_rated``. ``rows()``, when given, finds the same ratings as
    querysets the database counts without reading them out (the rebuild's fast way):
    each with the columns ``rated_department`` and ``rated_area`` (the rated
    assignment's department and area, as ``handling_rated`` keys them), ``month`` (the
    first day of the rating's local month, ``TruncMonth(…, output_field=DateField())``),
    ``satisfied`` and ``unsatisfied`` (0 or 1). They carry the key rather than the
    assignment's id: a join back to the steps, on a planner's estimate of a few rows,
    was a nested loop over every step (docs/benchmarks.md). A case type whose ratings
    are on no assignment (``handling_rated_on``) gives ``rows()`` only."""

    case_type: str
    ratings: Callable[[], Iterable[Rating]] | None = None
    rows: Callable[[], Sequence[QuerySet[Any]]] | None = None


_RATING_SOURCES: dict[str, RatingSource] = {}


def register_rating_source(source: RatingSource) -> None:
    _RATING_SOURCES[source.case_type] = source


def rating_sources() -> list[RatingSource]:
    return list(_RATING_SOURCES.values())


def _rating_facts(satisfied: bool, unsatisfied: bool) -> dict[str, int]:
    return {"rated": 1, "satisfied": int(satisfied), "unsatisfied": int(unsatisfied)}


def _rating_key(assignment: dict[str, Any], at: datetime.datetime) -> Key | None:
    area = (
        assignment["area_3"] or assignment["area_2"] or assignment["area_1"] or assignment["area_0"]
    )
    if assignment["department_id"] is None or area is None:
        return None
    month = timezone.localdate(at).replace(day=1)
    return (assignment["department_id"], area, month, assignment["case_type"])


_KEY_FIELDS = ("department_id", "case_type", "area_0", "area_1", "area_2", "area_3")


def handling_rated(
    *, assignment: Assignment, satisfied: bool, unsatisfied: bool, at: datetime.datetime
) -> None:
    """A rating was given to the answer of ``assignment`` (a department's): one more
    rating of its department, area and case type in the month of ``at``. Call it in
    the transaction that records the rating; 满意 and 基本满意 are ``satisfied``."""
    key = _rating_key({name: getattr(assignment, name) for name in _KEY_FIELDS}, at)
    if key is not None:
        _add(key, _rating_facts(satisfied, unsatisfied), sign=1)


def handling_rated_on(
    *,
    department_id: int,
    area_id: int,
    case_type: str,
    satisfied: bool,
    unsatisfied: bool,
    at: datetime.datetime,
    sign: int = 1,
) -> None:
    """A rating of a department's answer given on no loop item (an official's answer at
    an inquiry): counted on the department, area and case type named, in the month of
    ``at``; ``sign=-1`` takes a corrected rating back out, in its own month."""
    month = timezone.localdate(at).replace(day=1)
    key = (department_id, area_id, month, case_type)
    _add(key, _rating_facts(satisfied, unsatisfied), sign=sign)


def marks_rated(marks: Mapping[str, int]) -> tuple[int, int]:
    """A secret ballot's marks on one answer (``box.counts["marks"]`` of its option):
    each mark is one rating. (满意 + 基本满意, 不满意)."""
    satisfied = marks.get(BallotRating.SATISFIED, 0) + marks.get(BallotRating.BASIC, 0)
    return satisfied, marks.get(BallotRating.DISSATISFIED, 0)


def handling_marks_rated(
    *, assignment: Assignment, marks: Mapping[str, int], at: datetime.datetime
) -> None:
    """A vote by secret ballot (满意度测评) rated the answer of ``assignment``: every
    mark given counts as one rating, as ``handling_rated`` counts one, in the month of
    ``at`` (the close of the box). Call it in the transaction that closes the box."""
    satisfied, unsatisfied = marks_rated(marks)
    key = _rating_key({name: getattr(assignment, name) for name in _KEY_FIELDS}, at)
    if key is not None and satisfied + unsatisfied:
        facts = {"rated": satisfied + unsatisfied, "satisfied": satisfied}
        _add(key, {**facts, "unsatisfied": unsatisfied}, sign=1)


def marked_ratings(
    assignment: int, at: datetime.datetime, marks: Mapping[str, int]
) -> Iterator[Rating]:
    """The ratings ``handling_marks_rated`` counted, one per mark (a ``RatingSource``'s
    ``ratings()`` for a vote)."""
    satisfied, unsatisfied = marks_rated(marks)
    for n in range(satisfied + unsatisfied):
        yield Rating(
            assignment=assignment, at=at, satisfied=n < satisfied, unsatisfied=n >= satisfied
        )


def _ratings_counted() -> Iterator[tuple[Key, dict[str, int]]]:
    """The ratings of the case types that give no ``rows()``, keyed as
    ``handling_rated`` keys them. Cost: each source's reads (streamed), and one read
    of the rated assignments per 5,000 ratings."""
    found = [source.ratings for source in rating_sources() if source.rows is None]
    ratings = chain.from_iterable(ratings() for ratings in found if ratings is not None)
    while chunk := list(islice(ratings, 5000)):
        assignments = {
            row["pk"]: row
            for row in Assignment.objects.filter(pk__in={r.assignment for r in chunk})
            .values("pk", *_KEY_FIELDS)
            .order_by()
        }
        for rating in chunk:
            row = assignments.get(rating.assignment)
            key = None if row is None else _rating_key(row, rating.at)
            if key is not None:
                yield key, _rating_facts(rating.satisfied, rating.unsatisfied)


def _ratings_grouped() -> Iterator[tuple[Key, dict[str, int]]]:
    """The ratings of the case types that give ``rows()``, counted by the database:
    one grouped statement over all of them."""
    parts: list[str] = []
    params: list[Any] = []
    for source in rating_sources():
        for queryset in source.rows() if source.rows is not None else ():
            sql, more = recount.compiled(queryset)
            columns = "r.rated_department, r.rated_area, r.month, %s AS case_type"
            columns += ", r.satisfied, r.unsatisfied"
            parts.append(f"SELECT {columns} FROM ({sql}) r")  # noqa: S608 - compiled queryset
            params += [source.case_type, *more]
    if not parts:
        return
    union = " UNION ALL ".join(parts)
    sql = f"""
        SELECT g.rated_department, g.rated_area, g.month, g.case_type,
          COUNT(*), SUM(g.satisfied), SUM(g.unsatisfied)
        FROM ({union}) g
        WHERE g.rated_department IS NOT NULL AND g.rated_area IS NOT NULL
        GROUP BY g.rated_department, g.rated_area, g.month, g.case_type"""  # noqa: S608 - compiled
    for department, area, month, case_type, rated, satisfied, unsatisfied in recount.fetch(
        sql, params
    ):
        key = (department, area, recount.as_date(month), case_type)
        yield key, {"rated": rated, "satisfied": satisfied, "unsatisfied": unsatisfied}


def _finished_steps() -> QuerySet[Any]:
    """The departments' finished assignments with their key and the local days their
    figures need (``_share``'s rule)."""
    finished = Coalesce("replied_at", "closed_at")
    return (
        Assignment.objects.filter(department__isnull=False, status__in=FINISHED_STATUSES)
        .annotate(
            key_area=Coalesce("area_3", "area_2", "area_1", "area_0"),
            finished_day=TruncDate(finished),
            month=TruncMonth(finished, output_field=DateField()),
            assigned_day=TruncDate("assigned_at"),
        )
        .filter(key_area__isnull=False, finished_day__isnull=False)
        .annotate(
            on_time=Case(When(finished_day__lte=F("due_on"), then=Value(1)), default=Value(0))
        )
        .values(
            "department_id",
            "key_area",
            "month",
            "case_type",
            "on_time",
            "assigned_day",
            "finished_day",
        )
        .order_by()
    )


def _steps_grouped() -> Iterator[tuple[Key, dict[str, int]]]:
    """The finished assignments counted by the database: one grouped statement, the
    working days from the calendar table (congress/loop/recount.py)."""
    span = Assignment.objects.filter(
        department__isnull=False, status__in=FINISHED_STATUSES
    ).aggregate(
        first=Min("assigned_at"),
        last=Max("assigned_at"),
        replied=Max("replied_at"),
        closed=Max("closed_at"),
        replied_first=Min("replied_at"),
        closed_first=Min("closed_at"),
    )
    moments = [moment for moment in span.values() if moment is not None]
    days = [timezone.localdate(moment) for moment in moments]
    cal, params = recount.workday_calendar(min(days, default=None), max(days, default=None))
    steps, more = recount.compiled(_finished_steps())
    sql = f"""{cal}
        SELECT s.department_id, s.key_area, s.month, s.case_type,
          COUNT(*), SUM(s.on_time), SUM({recount.workdays_sql("c1", "c2")})
        FROM ({steps}) s
        LEFT JOIN cal c1 ON c1.day = s.assigned_day
        LEFT JOIN cal c2 ON c2.day = s.finished_day
        GROUP BY s.department_id, s.key_area, s.month, s.case_type"""  # noqa: S608 - compiled
    for department, area, month, case_type, finished, on_time, workdays in recount.fetch(
        sql, [*params, *more]
    ):
        key = (department, area, recount.as_date(month), case_type)
        yield key, {"finished": finished, "on_time": on_time, "workdays": workdays}


def _counted_from_table() -> dict[Key, dict[str, int]]:
    """Cost: one grouped statement over the departments' finished assignments, one
    over the ratings of the case types that give ``rows()``, and the others' ratings
    read out (``_ratings_counted``)."""
    counted: dict[Key, dict[str, int]] = defaultdict(lambda: dict.fromkeys(HANDLING_FIGURES, 0))
    for key, facts in chain(_steps_grouped(), _ratings_grouped(), _ratings_counted()):
        totals = counted[key]
        for name, n in facts.items():
            totals[name] += int(n)
    return dict(counted)


def handling_counts_rebuild() -> int:
    """Count the summary again from the assignments and the case types' ratings
    (repair, rows written in bulk)."""
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
