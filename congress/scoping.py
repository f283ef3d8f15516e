"""Who sees what and where one may act: the one scoping function per core model, and
the one jurisdiction check of every write.

Feature apps build their own ``visible_to`` functions from ``region_scope_q``,
so that "staff see their region and everything below it" means the same thing
everywhere. A row outside the scope is never fetched, so a detail view that
loads through these functions answers 404, not 403 that confirms it exists.

Writes are guarded where they happen: every service that creates an object or
changes its place calls ``require_in_jurisdiction`` with the old and the new
place, whichever interface called it (docs/security.md, "Writes stay in the
actor's jurisdiction").
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, TypeVar

from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import ObjectDoesNotExist, ValidationError
from django.db.models import Model, Q, QuerySet
from django.http import Http404

from congress.areas import area_q
from congress.errors import OutOfJurisdiction
from congress.models import Department, Region, User

AnyUser = User | AnonymousUser
M = TypeVar("M", bound=Model)


def acting_user(request: Any) -> User:
    """The signed-in user of a request, as the product's ``User``: for views behind
    ``login_required`` and API views whose permission requires a signed-in user, so
    services can record who acted. Anywhere else, read ``request.user`` as ``AnyUser``."""
    user: User = request.user
    return user


def is_staff_or_admin(user: AnyUser) -> bool:
    """Congress staff of some region, or an administrator: the office side of the
    product (the staff menus and cards, the registries, creating a vote, the second
    factor offered to those who hold the most). *Where* they may act is still their
    jurisdiction (``region_scope_q``, ``require_in_jurisdiction``)."""
    return bool(user.is_authenticated and (user.is_superuser or user.is_congress_staff))


def only_staff_region(user: AnyUser) -> Region | None:
    """The one region a staff member serves, or ``None`` (an administrator, someone
    with several regions or none): the region a list without one reads by default."""
    if not user.is_authenticated or user.is_superuser:
        return None
    regions = list(user.staff_regions)
    return regions[0] if len(regions) == 1 else None


def _staff_scope(user: AnyUser, within: Callable[[Region], Q]) -> Q | None:
    """The OR of ``within(region)`` over the user's staff regions; ``None`` for
    "everything" (administrators), a filter matching nothing for anyone else."""
    if not user.is_authenticated:
        return Q(pk__in=[])
    if user.is_superuser:
        return None
    query = Q(pk__in=[])
    for region in user.staff_regions:
        query |= within(region)
    return query


def region_scope_q(user: AnyUser, path_field: str) -> Q | None:
    """A filter for rows whose region path (``path_field``) lies in the user's staff regions.

    Returns ``None`` for "everything" (administrators). A user with no staff
    region gets a filter that matches nothing.
    """
    return _staff_scope(user, lambda region: Q(**{f"{path_field}__startswith": region.path}))


def area_scope_q(
    user: AnyUser, *, prefix: str = "area_", region_field: str = "region_id"
) -> Q | None:
    """``region_scope_q`` for a table that keeps its region's ancestors on the row
    (``area_0``…``area_3``, congress/areas.py): one indexed equality per staff region
    instead of a join to the regions and a path prefix. ``None`` for "everything".
    ``prefix`` and ``region_field`` name another row's columns (a shift's station's
    ``station__area_``) or a record's region held elsewhere (a contact's
    representative's, for staff of a region deeper than the columns kept)."""
    return _staff_scope(
        user, lambda region: area_q(region, region_field=region_field, prefix=prefix)
    )


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


def in_jurisdiction(user: AnyUser, region: Region) -> bool:
    """Staff whose regions hold ``region`` (theirs or below it), or an administrator."""
    if not user.is_authenticated:
        return False
    if user.is_superuser:
        return True
    return any(region.is_within(own) for own in user.staff_regions)


def within_reach(user: AnyUser, region: Region) -> bool:
    """In the user's jurisdiction or on the way up from it: staff hand work to the
    departments of the levels above (a district's problem may go to a city bureau)
    and record the higher-level seats of their own representatives."""
    if in_jurisdiction(user, region):
        return True
    return user.is_authenticated and any(own.is_within(region) for own in user.staff_regions)


def require_in_jurisdiction(user: AnyUser | None, *regions: Region | None) -> None:
    """Refuse (404) a write that names a place outside the acting user's jurisdiction.

    Services call it with the object's old place and its new one. ``None`` for a
    place means "none named"; ``None`` for the user is the system itself (seeding,
    periodic jobs, management commands), which acts everywhere.
    """
    if user is None:
        return
    for region in regions:
        if region is not None and not in_jurisdiction(user, region):
            raise OutOfJurisdiction


def require_within_reach(user: AnyUser | None, *regions: Region | None) -> None:
    """Like ``require_in_jurisdiction``, for the bodies above (departments, congresses)."""
    if user is None:
        return
    for region in regions:
        if region is not None and not within_reach(user, region):
            raise OutOfJurisdiction


def get_visible_or_404(queryset: QuerySet[M], **lookup: Any) -> M:
    """Fetch one object through a scoped queryset; outside the scope is a 404."""
    try:
        return queryset.get(**lookup)
    except (ObjectDoesNotExist, ValueError, ValidationError):
        # A malformed id ("abc" for a number) finds nothing, like a missing one.
        raise Http404 from None
