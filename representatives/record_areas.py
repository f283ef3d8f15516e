"""The representatives' own records keep their representative's area on the row
(``HolderAreaColumns``: contacts with voters, duty shifts). Filled here where rows are
written in bulk by the database (a migration, ``generate_city``), and moved here when
a representative moves: edited to another region, imported with another region, or
their region moved in the tree (docs/architecture.md, "Reads that do not grow with
the data")."""

from __future__ import annotations

from typing import Any

from django.db import connection
from django.db.models import QuerySet

from congress.areas import AREA_FIELDS


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
    differs = " OR ".join(
        f"t.{quote(name)} IS NOT r.{quote(name)}"
        if connection.vendor == "sqlite"
        else f"t.{quote(name)} IS DISTINCT FROM r.{quote(name)}"
        for name in AREA_FIELDS
    )
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
                f"WHERE r.id = t.representative_id AND ({differs}){among}",
                params,
            )
            changed += cursor.rowcount
    return changed


def records_follow_representatives(holders: QuerySet[Any]) -> int:
    """After ``holders`` moved (their ``area_N`` changed): their contacts and duty
    shifts take the new columns. Nothing changes for a representative who did not
    move. Returns the rows changed."""
    from representatives.models import ContactLog, DutyShift, Representative

    return records_fill_areas([ContactLog, DutyShift], Representative, holders)
