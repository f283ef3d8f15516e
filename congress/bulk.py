"""Many rows in one INSERT, without a model instance per row.

The reminder sweep writes tens of thousands of inbox, outbox and timeline rows at
a time; ``bulk_create`` spends most of that time building and preparing a model
instance per row (profiled: four fifths of a 10,000-reminder sweep), where the rows
here are plain tuples whose values the caller has already put in the database's
form. One statement per chunk of rows, each well under the driver's parameter
limit (SQLite: 999, as Django assumes; PostgreSQL: 65,535).
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

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


def _column(model: type[models.Model], name: str) -> str:
    field = model._meta.get_field(name)
    assert isinstance(field, models.Field) and field.column  # a concrete field, not a relation
    return field.column


def db_value(model: type[models.Model], field: str, value: Any) -> Any:
    """``value`` in the database's form for ``field`` (a date-time, a JSON document)."""
    concrete = model._meta.get_field(field)
    assert isinstance(concrete, models.Field)
    return concrete.get_db_prep_save(value, connection)
