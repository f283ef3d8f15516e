"""Scoped reads of assignments (docs/architecture.md, 'Who sees what')."""

from __future__ import annotations

from typing import Any

from django.db.models import (
    Q,
    QuerySet,
)

from congress.areas import area_q
from congress.models import (
    Assignment,
    Department,
)


def visible_assignments(user: Any) -> QuerySet[Assignment]:
    """Staff: cases in their regions and below. Handlers: their department's, and the
    departments they supervise. Anyone: what is assigned to them personally."""
    rows = Assignment.objects.select_related("department", "user", "staff_region", "region")
    if not user.is_authenticated:
        return rows.none()
    if user.is_superuser:
        return rows
    # Staff read the row's own area columns (congress/areas.py). The "assigned to
    # them personally" arm is left out when there is nothing there, so a staff
    # list is one index range in due-date order rather than an OR to be sorted.
    query = Q(user=user) if Assignment.objects.filter(user=user).exists() else Q(pk__in=[])
    for region in user.staff_regions:
        query |= area_q(region)
    if user.department_ids:
        # One indexed IN over their departments and those under them (looked up
        # first): an OR on the parent across the join read every step of the table.
        query |= Q(department_id__in=handled_department_ids(user))
    return rows.filter(query)


def handled_department_ids(user: Any) -> list[int]:
    """The user's departments and the departments under them (one query, or none)."""
    own = list(user.department_ids) if user.is_authenticated else []
    if not own:
        return []
    below = Department.objects.filter(parent_id__in=own).exclude(pk__in=own)
    return own + list(below.values_list("pk", flat=True))
