"""Keyset pagination: deep pages of a long list cost what the first page costs.

A page is "the next 50 rows after this one" in the list's order, read from an
index that matches the order (``WHERE (created_at, id) < (…) ORDER BY … LIMIT
51``), instead of counting every row and skipping ``OFFSET`` of them
(docs/architecture.md, "Reads that do not grow with the data"). The cursor is the
(sort value, primary key) of the row at the edge of the page, in the URL as
``after=`` (the next page) or ``before=`` (the previous one), beside the list's
own filters. The HTML lists render ``templates/congress/_pagination.html`` (首页 /
上一页 / 下一页); the API uses ``KeysetPagination``.
"""

from __future__ import annotations

import base64
import json
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from django.core.exceptions import ValidationError
from django.db.models import Model, Q, QuerySet
from rest_framework.pagination import BasePagination
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.utils.urls import remove_query_param, replace_query_param

AFTER = "after"
BEFORE = "before"
PAGE_SIZE = 50


@dataclass
class KeysetPage:
    """One page of rows and the cursors of its neighbours (``None``: no such page)."""

    object_list: list[Any]
    next_cursor: str | None = None
    previous_cursor: str | None = None
    is_first: bool = True
    keyset: bool = field(default=True, init=False)  # the pagination template asks

    def __iter__(self) -> Any:
        return iter(self.object_list)

    def __len__(self) -> int:
        return len(self.object_list)

    @property
    def has_next(self) -> bool:
        return self.next_cursor is not None

    @property
    def has_previous(self) -> bool:
        return self.previous_cursor is not None

    @property
    def has_other_pages(self) -> bool:
        return self.has_next or self.has_previous or not self.is_first


@dataclass(frozen=True)
class Ordering:
    """A list's order: one column, then the primary key, both the same direction.

    ``key`` is the name the page sorts and compares on: the column itself, or an
    alias ``<column>_key`` that the queryset carries (``sort_key``), the same value
    read from a joined table whose index is in the list's order. A department
    clerk's problems are read that way (``IssueDepartment``, docs/architecture.md,
    "Reads that do not grow with the data"): the planner cannot know that the
    problem's ``created_at`` follows the joined index, but it can walk an index by
    the column it is asked to sort on."""

    column: str
    descending: bool
    key: str = ""

    @classmethod
    def of(cls, fields: Sequence[str]) -> Ordering:
        column, tie = fields
        if tie.lstrip("-") not in ("pk", "id") or column.startswith("-") != tie.startswith("-"):
            raise ValueError("A keyset order is (column, pk), both in the same direction.")
        return cls(column.lstrip("-"), column.startswith("-"))

    def for_rows(self, rows: QuerySet[Any]) -> Ordering:
        """This order on ``rows``: sorted on their ``<column>_key`` alias if they have one."""
        alias = sort_key(self.column)
        key = alias if alias in rows.query.annotations else self.column
        return Ordering(self.column, self.descending, key)

    @property
    def sorted_on(self) -> str:
        return self.key or self.column

    def order_by(self, *, reverse: bool = False) -> list[str]:
        sign = "-" if self.descending != reverse else ""
        return [f"{sign}{self.sorted_on}", f"{sign}pk"]

    def beyond(self, value: Any, pk: int, *, reverse: bool = False) -> Q:
        """Rows that come after (value, pk) in this order (before it, if ``reverse``).

        Written as ``column <= value AND (column < value OR pk < pk)`` so the index
        on (column, pk) is entered at the cursor instead of filtered row by row."""
        down = self.descending != reverse
        edge, strict, pk_strict = ("lte", "lt", "lt") if down else ("gte", "gt", "gt")
        on = self.sorted_on
        return Q(**{f"{on}__{edge}": value}) & (
            Q(**{f"{on}__{strict}": value}) | Q(**{f"pk__{pk_strict}": pk})
        )

    def cursor_of(self, row: Model) -> str:
        value = getattr(row, self.column)
        raw = json.dumps([value.isoformat() if hasattr(value, "isoformat") else value, row.pk])
        return base64.urlsafe_b64encode(raw.encode()).decode().rstrip("=")

    def parse(self, model: type[Model], cursor: str) -> tuple[Any, int] | None:
        """The (value, pk) of a cursor; None for one that is not ours (a first page)."""
        try:
            padded = cursor + "=" * (-len(cursor) % 4)
            value, pk = json.loads(base64.urlsafe_b64decode(padded.encode()))
            parsed = model._meta.get_field(self.column).to_python(value)  # type: ignore[union-attr]
            if parsed is None or not isinstance(pk, int):
                return None
            return parsed, pk
        except (ValueError, TypeError, ValidationError, UnicodeDecodeError):
            return None


def sort_key(column: str) -> str:
    """The alias a queryset may carry to be sorted on instead of ``column`` (``Ordering``)."""
    return f"{column}_key"


def keyset_page(
    rows: QuerySet[Any],
    params: Mapping[str, Any],
    *,
    ordering: Sequence[str],
    size: int = PAGE_SIZE,
) -> KeysetPage:
    """The page of ``rows`` that ``params`` (``after``/``before``) point at, in ``ordering``.

    One query: ``size + 1`` rows, the extra one saying whether a further page exists.
    A malformed cursor shows the first page."""
    order = Ordering.of(ordering).for_rows(rows)
    model = rows.model
    after = order.parse(model, params.get(AFTER) or "") if params.get(AFTER) else None
    before = order.parse(model, params.get(BEFORE) or "") if params.get(BEFORE) else None
    if before is not None:
        found = list(
            rows.filter(order.beyond(*before, reverse=True)).order_by(
                *order.order_by(reverse=True)
            )[: size + 1]
        )
        more_before = len(found) > size
        found = found[:size][::-1]
        if not found:  # nothing before it any more: the first page
            return keyset_page(rows, {}, ordering=ordering, size=size)
        return KeysetPage(
            found,
            next_cursor=order.cursor_of(found[-1]),
            previous_cursor=order.cursor_of(found[0]) if more_before else None,
            is_first=not more_before,
        )
    if after is not None:
        rows = rows.filter(order.beyond(*after))
    found = list(rows.order_by(*order.order_by())[: size + 1])
    more = len(found) > size
    found = found[:size]
    return KeysetPage(
        found,
        next_cursor=order.cursor_of(found[-1]) if more else None,
        previous_cursor=order.cursor_of(found[0]) if after is not None and found else None,
        is_first=after is None,
    )


class KeysetPagination(BasePagination):
    """The API's keyset pages: ``{"next", "previous", "results"}`` where next and
    previous are URLs (the same query with ``after``/``before``), or null.

    The view names its order in ``keyset_ordering`` (default newest first)."""

    page_size = PAGE_SIZE

    def paginate_queryset(
        self, queryset: QuerySet[Any], request: Request, view: Any = None
    ) -> list[Any]:
        ordering = getattr(view, "keyset_ordering", ("-created_at", "-pk"))
        self.request = request
        self.page = keyset_page(queryset, request.query_params, ordering=ordering)
        return self.page.object_list

    def _link(self, key: str, cursor: str | None) -> str | None:
        if cursor is None:
            return None
        url = self.request.build_absolute_uri()
        url = remove_query_param(url, AFTER if key == BEFORE else BEFORE)
        return replace_query_param(remove_query_param(url, "page"), key, cursor)

    def get_paginated_response(self, data: Any) -> Response:
        return Response(
            {
                "next": self._link(AFTER, self.page.next_cursor),
                "previous": self._link(BEFORE, self.page.previous_cursor),
                "results": data,
            }
        )

    def get_paginated_response_schema(self, schema: dict[str, Any]) -> dict[str, Any]:
        return {
            "type": "object",
            "required": ["results"],
            "properties": {
                "next": {"type": "string", "nullable": True, "format": "uri"},
                "previous": {"type": "string", "nullable": True, "format": "uri"},
                "results": schema,
            },
        }
