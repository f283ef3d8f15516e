"""The representatives' own records keep their representative's area on the row
(``HolderAreaColumns``: contacts with voters, duty shifts, activity participations,
and the summaries per representative and month that other apps keep: the closes
per handler, the suggestions signed). Filled here where rows are
written in bulk by the database (a migration, ``generate_city``), and moved here when
a representative moves: edited to another region, imported with another region, or
their region moved in the tree (docs/architecture.md, "Reads that do not grow with
the data")."""

from __future__ import annotations

from typing import Any

from django.apps import apps
from django.db import connection
from django.db.models import QuerySet

from congress.areas import AREA_FIELDS


def _differs() -> str:
    """A record ``t`` whose area columns are not its representative ``r``'s (nulls
    compared as values)."""
    quote = connection.ops.quote_name
    unlike = "IS NOT" if connection.vendor == "sqlite" else "IS DISTINCT FROM"
    return " OR ".join(f"t.{quote(name)} {unlike} r.{quote(name)}" for name in AREA_FIELDS)


def records_fill_areas(
    record_models: list[type[Any]], people: type[Any], holders: QuerySet[Any] | None = None
) -> int:
    """Copy each representative's ``area_N`` onto their records in ``record_models``,
    one ``UPDATE … FROM`` per table (a join, not a look-up per row); only the records
    of ``holders`` where given, and only rows whose columns differ. ``people`` is the
    representatives' model (a migration passes its historical models). Returns the
    rows changed."""
    quote = connection.ops.quote_name
    columns = ", ".join(f"{quote(name)} = r.{quote(name)}" for name in AREA_FIELDS)
    among, params = "", ()
    if holders is not None:
        sql, params = holders.order_by().values("pk").query.sql_with_params()
        among = f" AND r.id IN ({sql})"
    changed = 0
    with connection.cursor() as cursor:
        for model in record_models:
            cursor.execute(
                f"UPDATE {quote(model._meta.db_table)} AS t SET {columns} "  # noqa: S608 - names from the models
                f"FROM {quote(people._meta.db_table)} AS r "
                f"WHERE r.id = t.representative_id AND ({_differs()}){among}",
                params,
            )
            changed += cursor.rowcount
    return changed


def holder_record_models() -> list[type[Any]]:
    """Every installed table that keeps its representative's area."""
    from representatives.models import HolderAreaColumns

    return [model for model in apps.get_models() if issubclass(model, HolderAreaColumns)]


def records_area_differences() -> dict[str, int]:
    """How many rows of each holder's table do not keep their representative's area
    (``record_areas_rebuild --check``), by table."""
    from representatives.models import Representative

    quote = connection.ops.quote_name
    found = {}
    with connection.cursor() as cursor:
        for model in holder_record_models():
            cursor.execute(
                f"SELECT COUNT(*) FROM {quote(model._meta.db_table)} AS t "  # noqa: S608 - names from the models
                f"JOIN {quote(Representative._meta.db_table)} AS r "
                f"ON r.id = t.representative_id WHERE {_differs()}"
            )
            found[str(model._meta.verbose_name)] = cursor.fetchone()[0]
    return found


def records_areas_rebuild() -> int:
    """Give every holder's row its representative's area (repair). Returns the rows
    changed."""
    from representatives.models import Representative

    return records_fill_areas(holder_record_models(), Representative)


def records_follow_representatives(holders: QuerySet[Any]) -> int:
    """After ``holders`` moved (their ``area_N`` changed): their records take the new
    columns. Nothing changes for a representative who did not move. Returns the rows
    changed."""
    from representatives.models import Representative

    return records_fill_areas(holder_record_models(), Representative, holders)
