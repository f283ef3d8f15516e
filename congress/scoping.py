"""Who sees what (DESIGN.md §7): the one scoping function per core model.

Feature apps build their own ``visible_to`` functions from ``region_scope_q``,
so that "staff see their region and everything below it" means the same thing
everywhere. A row outside the scope is never fetched, so a detail view that
loads through these functions answers 404, not 403 that confirms it exists.
"""

from __future__ import annotations

from typing import Any, TypeVar

from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import ObjectDoesNotExist, ValidationError
from django.db.models import Model, Q, QuerySet
from django.http import Http404

from congress.models import Department, Region, User

AnyUser = User | AnonymousUser
M = TypeVar("M", bound=Model)


def region_scope_q(user: AnyUser, path_field: str) -> Q | None:
    """A filter for rows whose region path (``path_field``) lies in the user's staff regions.

    Returns ``None`` for "everything" (administrators). A user with no staff
    region gets a filter that matches nothing.
    """
    if not user.is_authenticated:
        return Q(pk__in=[])
    if user.is_superuser:
        return None
    query = Q(pk__in=[])
    for region in user.staff_regions:
        query |= Q(**{f"{path_field}__startswith": region.path})
    return query


def committee_scope_q(user: AnyUser, path_field: str) -> Q:
    """Committee members see the bodies of the regions whose committee they sit on."""
    query = Q(pk__in=[])
    if user.is_authenticated:
        for region in user.regions_for("committee"):
            query |= Q(**{f"{path_field}__startswith": region.path})
    return query


def _apply(queryset: QuerySet[Any], query: Q | None) -> QuerySet[Any]:
    return queryset if query is None else queryset.filter(query)


def visible_regions(user: AnyUser) -> QuerySet[Region]:
    """Staff: their regions and below. Handlers: their department's region.

    Everyone else sees no region through the staff pages (public pages read
    regions through their own public selectors).
    """
    query = region_scope_q(user, "path")
    if query is not None and user.is_authenticated:
        for department in Department.objects.filter(pk__in=user.department_ids):
            query |= Q(pk=department.region_id)
    return _apply(Region.objects.all(), query)


def visible_departments(user: AnyUser) -> QuerySet[Department]:
    """Staff: departments of their regions and below. Handlers: their own department."""
    query = region_scope_q(user, "region__path")
    if query is not None and user.is_authenticated:
        query |= Q(pk__in=user.department_ids)
    return _apply(Department.objects.select_related("region", "parent"), query)


def get_visible_or_404(queryset: QuerySet[M], **lookup: Any) -> M:
    """Fetch one object through a scoped queryset; outside the scope is a 404."""
    try:
        return queryset.get(**lookup)
    except (ObjectDoesNotExist, ValueError, ValidationError):
        # A malformed id ("abc" for a number) finds nothing, like a missing one.
        raise Http404 from None
