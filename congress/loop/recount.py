"""Summaries counted again in the database, for their rebuild and ``--check``.

A summary's figures are sums over the rows (problems, assignments); counting them
in Python meant reading every row out (5,000 at a time: minutes at 5 million
problems, docs/benchmarks.md). Here the database groups and sums them, and only the
summary rows come back (or go straight into their table with ``INSERT … SELECT``).

The one figure the database cannot count alone is working days (``workdays_between``
follows the State Council's calendar and the administrator's overrides). It is
carried into the statement as a small table of days: ``n`` is the number of working
days after the first day up to and including that day, so the working days after
``a`` up to ``b`` are ``n(b) - n(a)`` — exactly ``workdays_between(a, b)``, in both
directions. Days are joined on the local date (``TruncDate``), so a range of a few
hundred days is a hash join, not a lookup per row.

The statements use only joins of derived tables and ``CASE``: they run before the
indexes exist (``generate_city`` rebuilds them last) and on SQLite as on PostgreSQL.
"""

from __future__ import annotations

import datetime
from collections.abc import Sequence
from typing import Any

from django.db import connection
from django.db.models import QuerySet

from congress.workdays import is_workday

ONE_DAY = datetime.timedelta(days=1)


def workday_calendar(
    first: datetime.date | None, last: datetime.date | None
) -> tuple[str, list[Any]]:
    """A ``WITH`` clause naming ``cal (day, n)``: every day from ``first`` to ``last``
    with its working days counted from ``first`` (see the module). An empty range
    gives one row, so the statement stays valid."""
    if first is None or last is None:
        first = last = datetime.date(2000, 1, 1)
    days: list[Any] = []
    n, day = 0, first
    while day <= last:
        if day > first:
            n += is_workday(day)
        days += [connection.ops.adapt_datefield_value(day), n]
        day += ONE_DAY
    rows = ", ".join(["(%s, %s)"] * (len(days) // 2))
    return f"WITH cal (day, n) AS (VALUES {rows})", days


def compiled(queryset: QuerySet[Any]) -> tuple[str, list[Any]]:
    """The SQL of ``queryset`` and its parameters, to be used as a derived table."""
    sql, params = queryset.query.sql_with_params()
    return sql, list(params)


def workdays_sql(start: str, end: str) -> str:
    """The working days after the day column ``start`` up to ``end`` (both joined to
    ``cal`` as aliases), never below 0 (``max(days, 0)`` in the services); 0 when a
    day is missing (a NULL date)."""
    return f"CASE WHEN {end}.n > {start}.n THEN {end}.n - {start}.n ELSE 0 END"


def as_date(value: Any) -> datetime.date:
    """A month read back from a grouped statement: PostgreSQL's ``DATE_TRUNC`` gives a
    timestamp, SQLite's a text date."""
    if isinstance(value, datetime.datetime):
        return value.date()
    if isinstance(value, str):
        return datetime.date.fromisoformat(value[:10])
    assert isinstance(value, datetime.date)
    return value


def fetch(sql: str, params: Sequence[Any]) -> list[tuple[Any, ...]]:
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return list(cursor.fetchall())


def execute(sql: str, params: Sequence[Any]) -> None:
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
