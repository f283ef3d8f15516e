"""Scopes of a clerk's work that an index can serve (docs/architecture.md, "Reads that
do not grow with the data").

The engine's scope (``congress.loop.visible_assignments``) lets a clerk see the steps
of their departments and of the departments under them: ``department_id IN (…) OR
department.parent_id IN (…)``. The second arm is a join, and an ``OR`` across a
join is served by no index: every home card and list of a clerk read the whole
table of closed-loop steps. The departments under theirs change rarely and are
few: they are looked up first (one small query), and the scope becomes one
``department_id IN (…)`` on the department's index. ``scoped_assignments`` is the
engine's scope written that way; tests/test_home_queries.py checks that both give
the same rows.
"""

from __future__ import annotations

from django.db.models import Q, QuerySet

from congress.areas import area_q
from congress.models import Assignment, Department
from congress.scoping import AnyUser


def handled_department_ids(user: AnyUser) -> list[int]:
    """The user's departments and the departments under them (one query, or none)."""
    own = list(user.department_ids) if user.is_authenticated else []
    if not own:
        return []
    below = Department.objects.filter(parent_id__in=own).exclude(pk__in=own)
    return own + list(below.values_list("pk", flat=True))


def scoped_assignments(user: AnyUser) -> QuerySet[Assignment]:
    """The same rows as ``congress.loop.visible_assignments(user)``, with a clerk's
    departments as one indexed ``IN``."""
    from congress.loop import visible_assignments

    if not user.is_authenticated or user.is_superuser or not user.department_ids:
        return visible_assignments(user)
    rows = Assignment.objects.select_related("department", "user", "staff_region", "region")
    query = Q(user=user) if Assignment.objects.filter(user=user).exists() else Q(pk__in=[])
    for region in user.staff_regions:
        query |= area_q(region)
    query |= Q(department_id__in=handled_department_ids(user))
    return rows.filter(query)
