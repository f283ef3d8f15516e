"""Counts that do not grow with the data (docs/architecture.md, "Reads that do not
grow with the data").

A figure shown on every page is either read from summary rows that the services
keep in step in the same transaction (``counter_add``), or counted only up to
a bound (``bounded_count``: "1,000+") where an exact figure is not needed.
"""

from __future__ import annotations

from collections.abc import Hashable, Mapping
from dataclasses import dataclass
from typing import Any, TypeVar

from django.db import IntegrityError, transaction
from django.db.models import F, Model, QuerySet

# Beyond this a count says "1,000+": reading more rows to say 1,234 is not worth it.
COUNT_BOUND = 1000

Key = TypeVar("Key", bound=Hashable)


def counter_add(model: type[Model], *, delta: int, **key: Any) -> None:
    """Add ``delta`` to the ``count`` of the summary row ``key``, creating it if need be.

    An UPDATE with ``count = count + delta`` first: concurrent changes of the same
    row queue on its lock and none is lost. The first change of a key inserts the
    row; if another transaction inserted it meanwhile, the unique key refuses ours
    (after waiting for theirs to commit) and the UPDATE is run again on their row.
    """
    if not delta:
        return
    rows = model._default_manager.filter(**key)
    if rows.update(count=F("count") + delta):
        return
    try:
        with transaction.atomic():
            model._default_manager.create(count=delta, **key)
    except IntegrityError:
        rows.update(count=F("count") + delta)


def count_differences(
    kept: Mapping[Key, int], counted: Mapping[Key, int]
) -> dict[Key, tuple[int, int]]:
    """The keys whose kept count differs from a recount, a missing key being 0:
    {key: (kept, counted)} (the summaries' ``--check``)."""
    return {
        key: (kept.get(key, 0), counted.get(key, 0))
        for key in kept.keys() | counted.keys()
        if kept.get(key, 0) != counted.get(key, 0)
    }


@dataclass(frozen=True)
class BoundedCount:
    """A count read up to ``COUNT_BOUND`` rows; ``str()`` says "1,000+" above it."""

    value: int
    more: bool = False

    def __str__(self) -> str:
        return f"{self.value:,}+" if self.more else f"{self.value:,}"

    def __bool__(self) -> bool:
        return self.value > 0


def bounded_count(rows: QuerySet[Any], bound: int = COUNT_BOUND) -> BoundedCount:
    """Count ``rows`` reading at most ``bound + 1`` of them (one query).

    ``SELECT COUNT(*) FROM (SELECT 1 … LIMIT bound + 1)``: the cost is the bound,
    not the size of the table."""
    found = rows.order_by().values("pk")[: bound + 1].count()
    return BoundedCount(min(found, bound), more=found > bound)
