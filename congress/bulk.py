"""Many rows in one INSERT, without a model instance per row.

The reminder sweep writes tens of thousands of inbox, outbox and timeline rows at
a time; ``bulk_create`` spends most of that time building and preparing a model
instance per row (profiled: four fifths of a 10,000-reminder sweep), where the rows
here are plain tuples whose values the caller has already put in the database's
form. One statement per chunk of rows, each well under the driver's parameter
limit (SQLite: 999, as Django assumes; PostgreSQL: 65,535).

On PostgreSQL the rows go in by COPY instead (no ON CONFLICT needed): a multi-row
INSERT of thousands of rows is a statement the server parses and plans as large as
the data, and COPY took a third of its time (3,300 inbox rows: 0.42 s against 1.3 s
on the loaded benchmark machine). COPY returns nothing, so the ids asked for are
taken from the table's sequence first, in one statement.
"""

from __future__ import annotations

import datetime
import decimal
import io
from collections.abc import Sequence
from contextlib import nullcontext
from typing import Any, cast

from django.db import connection, models


def insert_rows(
    model: type[models.Model],
    fields: Sequence[str],
    rows: Sequence[Sequence[Any]],
    *,
    returning: Sequence[str] = (),
    skip_conflicts_on: Sequence[str] = (),
) -> list[tuple[Any, ...]]:
    """INSERT ``rows`` (one value per name in ``fields``, ready for the database) into
    ``model``'s table; returns the ``returning`` fields of the rows inserted, in the
    order given. With ``skip_conflicts_on`` (the fields of a unique constraint), a row
    that would break it is left out (ON CONFLICT DO NOTHING) and not returned.

    RETURNING and ON CONFLICT are PostgreSQL's and SQLite's alike; an SQLite older
    than 3.35 has no RETURNING, and gets one INSERT per row instead."""
    if not rows:
        return []
    if connection.vendor == "postgresql" and not skip_conflicts_on:
        copied = _copy_rows(model, fields, rows, returning)
        if copied is not None:
            return copied
    if returning and not connection.features.can_return_rows_from_bulk_insert:
        return _insert_one_by_one(model, fields, rows, returning, skip_conflicts_on)
    quote = connection.ops.quote_name

    def columns(names: Sequence[str]) -> str:
        return ", ".join(quote(_column(model, name)) for name in names)

    placeholders = f"({', '.join(['%s'] * len(fields))})"
    tail = ""
    if skip_conflicts_on:
        tail += f" ON CONFLICT ({columns(skip_conflicts_on)}) DO NOTHING"
    if returning:
        tail += f" RETURNING {columns(returning)}"
    per_statement = max(1, (connection.features.max_query_params or 65_535) // len(fields))
    found: list[tuple[Any, ...]] = []
    with connection.cursor() as cursor:
        for start in range(0, len(rows), per_statement):
            chunk = rows[start : start + per_statement]
            cursor.execute(
                f"INSERT INTO {quote(model._meta.db_table)} ({columns(fields)})"  # noqa: S608 - names from the model
                f" VALUES {', '.join([placeholders] * len(chunk))}{tail}",
                [value for row in chunk for value in row],
            )
            if returning:
                found += [tuple(row) for row in cursor.fetchall()]
    return found


def _insert_one_by_one(
    model: type[models.Model],
    fields: Sequence[str],
    rows: Sequence[Sequence[Any]],
    returning: Sequence[str],
    skip_conflicts_on: Sequence[str],
) -> list[tuple[Any, ...]]:
    """The same without RETURNING: the id is the last row id, the rest the values given."""
    found = []
    for row in rows:
        with connection.cursor() as cursor:
            insert_rows(model, fields, [row], skip_conflicts_on=skip_conflicts_on)
            cursor.execute("SELECT changes(), last_insert_rowid()")
            changed, pk = cursor.fetchone()
        if changed:
            values = dict(zip(fields, row, strict=True))
            found.append(tuple(pk if name == "id" else values[name] for name in returning))
    return found


def _copy_rows(
    model: type[models.Model],
    fields: Sequence[str],
    rows: Sequence[Sequence[Any]],
    returning: Sequence[str],
) -> list[tuple[Any, ...]] | None:
    """``insert_rows`` by COPY (PostgreSQL); None, having done nothing, if a value has
    no text form here (the caller then INSERTs). Ids asked for and not given are
    drawn from the table's sequence, so ``returning`` comes from the rows."""
    texts: list[list[str]] = []
    for row in rows:
        line = [_copy_text(value) for value in row]
        if None in line:
            return None
        texts.append(cast(list[str], line))
    table, quote = model._meta.db_table, connection.ops.quote_name
    names = list(fields)
    with connection.cursor() as cursor:
        if "id" in returning and "id" not in names:
            cursor.execute(
                "SELECT nextval(pg_get_serial_sequence(%s, 'id')) FROM generate_series(1, %s)",
                [table, len(rows)],
            )
            ids = [pk for (pk,) in cursor.fetchall()]
            names.append("id")
            texts = [[*line, str(pk)] for line, pk in zip(texts, ids, strict=True)]
            rows = [[*row, pk] for row, pk in zip(rows, ids, strict=True)]
        buffer = io.StringIO("".join("\t".join(line) + "\n" for line in texts))
        columns = ", ".join(quote(_column(model, name)) for name in names)
        _copy(cursor, f"COPY {quote(table)} ({columns}) FROM STDIN", buffer)
    at = [names.index(name) for name in returning]
    return [tuple(row[i] for i in at) for row in rows]


def _copy(cursor: Any, sql: str, buffer: io.StringIO) -> None:
    """Run COPY … FROM STDIN through Django's cursor wrappers, so that the statement
    is counted and logged like any other (execute_wrapper, CaptureQueriesContext)."""

    def executor(sql: str, params: Any, many: bool, context: dict[str, Any]) -> None:
        with connection.wrap_database_errors:
            cursor.cursor.copy_expert(sql, buffer)

    debug = getattr(cursor, "debug_sql", None)
    with debug(sql) if debug is not None else nullcontext():
        cursor._execute_with_wrappers(sql, None, False, executor)


_COPY_ESCAPES = str.maketrans({"\\": "\\\\", "\n": "\\n", "\r": "\\r", "\t": "\\t"})


def _copy_text(value: Any) -> str | None:
    """``value`` in COPY's text format; None if it has none here. (Called for every
    value of tens of thousands of rows: the common types first, by exact type.)"""
    kind = type(value)
    if kind is str:
        # Only a backslash and control characters need escaping; most text has neither.
        plain = value.isprintable() and "\\" not in value
        return value if plain else value.translate(_COPY_ESCAPES)
    if kind is int:
        return str(value)
    if value is None:
        return "\\N"
    if isinstance(value, bool):
        return "t" if value else "f"
    if isinstance(value, int | float | decimal.Decimal):
        return str(value)
    if isinstance(value, str):
        return str(value).translate(_COPY_ESCAPES)
    if isinstance(value, datetime.date | datetime.time):  # a datetime is a date
        return value.isoformat()
    if hasattr(value, "adapted") and hasattr(value, "dumps"):  # a JSON value (psycopg2's Json)
        return str(value.dumps(value.adapted)).translate(_COPY_ESCAPES)
    return None


def _column(model: type[models.Model], name: str) -> str:
    field = model._meta.get_field(name)
    assert isinstance(field, models.Field) and field.column  # a concrete field, not a relation
    return field.column


def db_value(model: type[models.Model], field: str, value: Any) -> Any:
    """``value`` in the database's form for ``field`` (a date-time, a JSON document)."""
    concrete = model._meta.get_field(field)
    assert isinstance(concrete, models.Field)
    return concrete.get_db_prep_save(value, connection)
