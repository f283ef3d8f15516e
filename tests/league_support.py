"""Shared checks of the departments' league (docs/dashboard.md, "承办单位") for the tests
of each case type's ratings: the summary recounted from the ratings' own tables, and
the league's row as the dashboard's API gives it (no tests here)."""

from __future__ import annotations

import datetime
from typing import Any

from django.db.models import QuerySet
from django.test import Client
from django.urls import reverse

from congress.loop.handling import handling_counts_differences, handling_counts_rebuild
from congress.models import HandlingCount, User
from tests.conftest import login


def rated_rows() -> list[tuple[int, str, datetime.date, int, int, int]]:
    """The summary's rows with ratings: (department, case type, month, rated, satisfied,
    unsatisfied)."""
    rows = HandlingCount.objects.filter(rated__gt=0).order_by("department", "case_type", "month")
    return [
        (r.department_id, r.case_type, r.month, r.rated, r.satisfied, r.unsatisfied) for r in rows
    ]


def recounted_the_same(rows: QuerySet[HandlingCount] | None = None) -> None:
    """The summary agrees with the ratings' tables, and ``rows``' ratings (else every
    row's) wiped and counted again from those tables come out the same."""
    if rows is None:
        rows = HandlingCount.objects.filter(rated__gt=0)
    assert handling_counts_differences() == {}
    rows.update(rated=0, satisfied=0, unsatisfied=0)
    assert handling_counts_differences() != {}
    handling_counts_rebuild()
    assert handling_counts_differences() == {}


def departments_panel(client: Client, user: User, month: datetime.date) -> dict[str, Any]:
    """The dashboard's 承办单位 panel for ``month``, as ``user`` reads it from the API."""
    login(client, user)
    period = f"?period=months&from={month:%Y-%m}&to={month:%Y-%m}"
    data = client.get(reverse("api-dashboard") + period).json()
    panel: dict[str, Any] = next(p for p in data["panels"] if p["key"] == "departments")
    return panel


def league_row(panel: dict[str, Any], department: str) -> list[Any]:
    """The league table's row of ``department`` (by name)."""
    row: list[Any] = next(r for r in panel["tables"][0]["rows"] if r[0] == department)
    return row
