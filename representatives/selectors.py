"""Reads: one scoping function per model (docs/architecture.md, 'Who sees what'), and
the public pages' reads.

Staff see their region and everything below it (``region_scope_q``); a
representative sees their own records; an administrator sees everything. A
detail view loads through these, so anything outside the scope is a 404.
"""

from __future__ import annotations

import datetime
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from django.db.models import Exists, OuterRef, Prefetch, Q, QuerySet, Subquery
from django.http import Http404
from django.utils import timezone

from congress.models import Region, RegionLevel
from congress.scoping import (
    AnyUser,
    area_scope_q,
    in_jurisdiction,
    region_scope_q,
    visible_regions,
)
from representatives import conf
from representatives.models import (
    HOLDER_REGION,
    Activity,
    ActivityParticipation,
    Constituency,
    ContactLog,
    Delegation,
    DutyShift,
    GridAssignment,
    Mandate,
    MandateStatus,
    Representative,
    RepresentativeGroup,
    RetiredToken,
    ShiftStatus,
    Station,
    StationMember,
    VoterDelegate,
)
from representatives.registry import PublicCase, public_case_providers

GRID_LEVELS = [RegionLevel.GRID, RegionLevel.MICROGRID]


def representative_of(user: AnyUser) -> Representative | None:
    """The Representative record linked to this login, if any (cached on the user)."""
    if not user.is_authenticated:
        return None
    try:
        return user.representative
    except Representative.DoesNotExist:
        return None


def manages_region(user: AnyUser, region: Region) -> bool:
    """Staff whose jurisdiction contains ``region`` (or an administrator)."""
    return in_jurisdiction(user, region)


def _scoped(
    queryset: QuerySet[Any],
    user: AnyUser,
    path_field: str | None,
    own: Q | None = None,
    **areas: str,
) -> QuerySet[Any]:
    """Staff: rows whose region (``path_field``) is in their regions, or, with no path
    field, rows read by area columns (``area_scope_q``: the row's own, or those that
    ``areas`` names); a representative also sees what ``own`` matches."""
    query = region_scope_q(user, path_field) if path_field else area_scope_q(user, **areas)
    if query is None:
        return queryset
    if own is not None and representative_of(user) is not None:
        query |= own
    return queryset.filter(query)


def visible_representatives(user: AnyUser) -> QuerySet[Representative]:
    return _scoped(Representative.objects.select_related("region"), user, None, Q(user=user))


def visible_mandates(user: AnyUser) -> QuerySet[Mandate]:
    return _scoped(
        Mandate.objects.select_related(
            "representative",
            "term__congress",
            "constituency",
            "delegation",
            "group",
            "electoral_unit",
        ),
        user,
        "representative__region__path",
        Q(representative__user=user),
    )


def visible_voter_delegates(user: AnyUser) -> QuerySet[VoterDelegate]:
    return _scoped(VoterDelegate.objects.select_related("region"), user, "region__path")


def visible_constituencies(user: AnyUser) -> QuerySet[Constituency]:
    return _scoped(Constituency.objects.select_related("congress"), user, "congress__region__path")


def visible_delegations(user: AnyUser) -> QuerySet[Delegation]:
    return _scoped(Delegation.objects.select_related("congress"), user, "congress__region__path")


def visible_groups(user: AnyUser) -> QuerySet[RepresentativeGroup]:
    return _scoped(RepresentativeGroup.objects.select_related("region"), user, "region__path")


def visible_stations(user: AnyUser) -> QuerySet[Station]:
    stationed = (
        StationMember.objects.filter(representative__user=user, is_active=True)
        if user.is_authenticated
        else StationMember.objects.none()
    )
    return _scoped(
        Station.objects.select_related("region"),
        user,
        None,  # the station's own area columns
        Q(pk__in=stationed.values("station_id")),
    )


def visible_station_members(user: AnyUser) -> QuerySet[StationMember]:
    return _scoped(
        StationMember.objects.select_related("station", "representative"),
        user,
        "station__region__path",
        Q(representative__user=user),
    )


def visible_duty_shifts(user: AnyUser) -> QuerySet[DutyShift]:
    # Staff see the shifts at their stations (whoever stands them), read on the
    # stations' own area columns: a join on the station's key, not the regions'.
    return _scoped(
        DutyShift.objects.select_related("station", "representative"),
        user,
        None,
        Q(representative__user=user),
        prefix="station__area_",
        region_field="station__region_id",
    )


def visible_grid_assignments(user: AnyUser) -> QuerySet[GridAssignment]:
    return _scoped(
        GridAssignment.objects.select_related("grid", "representative"),
        user,
        "grid__path",
        Q(representative__user=user),
    )


def visible_contact_logs(user: AnyUser) -> QuerySet[ContactLog]:
    # Staff see the contacts of their representatives, on the logs' own copy of the
    # representative's area columns (``HolderAreaColumns``).
    return _scoped(
        ContactLog.objects.select_related("representative", "station"),
        user,
        None,
        Q(representative__user=user),
        region_field=HOLDER_REGION,
    )


def own_contact_logs(user: AnyUser) -> QuerySet[ContactLog]:
    """What a representative may edit: their own logs only (another's is a 404)."""
    return (
        visible_contact_logs(user).filter(representative__user=user)
        if user.is_authenticated
        else ContactLog.objects.none()
    )


def visible_activities(user: AnyUser) -> QuerySet[Activity]:
    own = None
    representative = representative_of(user)
    if representative is not None:
        # Activities organised for them: at their region or any region above it.
        own = Q(region_id__in=representative.region.ancestor_ids()) | Q(
            pk__in=ActivityParticipation.objects.filter(representative=representative).values(
                "activity_id"
            )
        )
    return _scoped(Activity.objects.select_related("region"), user, "region__path", own)


def visible_grids(user: AnyUser) -> QuerySet[Region]:
    return visible_regions(user).filter(level__in=GRID_LEVELS)


# --- lists built on the scopes ------------------------------------------------------


def active_mandates_prefetch() -> Prefetch:
    return Prefetch(
        "mandates",
        queryset=Mandate.objects.filter(status=MandateStatus.ACTIVE).order_by("level"),
        to_attr="active_mandates",
    )


def with_active_mandates(queryset: QuerySet[Representative]) -> QuerySet[Representative]:
    return queryset.prefetch_related(active_mandates_prefetch())


def has_active_mandate(level: str | None = None) -> Exists:
    mandates = Mandate.objects.filter(representative=OuterRef("pk"), status=MandateStatus.ACTIVE)
    if level:
        mandates = mandates.filter(level=level)
    return Exists(mandates)


def grid_coverage(user: AnyUser, within: Region | None = None) -> QuerySet[Region]:
    """Grids in scope with no representative responsible for them (进网格 gaps).

    Each grid looks up one active assignment of its own on the grid's index (a
    scalar subquery): as ``NOT EXISTS`` PostgreSQL turned it into an anti-join that
    hashed every grid assignment of the province (74,880 of them) for a city's
    5,760 grids, on every staff home page (38 → 17 ms; docs/benchmarks.md). The
    grids are found on their own partial index (``region_grid_path``) and each probe
    is an index-only look-up (``grid_assignment_active``): 9.8 → 5.4 ms at 5M."""
    grids = visible_grids(user)
    if within is not None:
        grids = grids.filter(path__startswith=within.path)
    active = GridAssignment.objects.filter(grid=OuterRef("pk"), is_active=True)
    # The grid's own id, so that the partial index of active assignments answers
    # without reading the row (docs/benchmarks.md).
    one = active.order_by().values("grid_id")[:1]
    return (
        grids.annotate(covered_by=Subquery(one))
        .filter(covered_by__isnull=True)
        .select_related("parent__parent")
    )


def grid_representatives(grid: Region) -> QuerySet[GridAssignment]:
    return (
        GridAssignment.objects.filter(grid=grid, is_active=True)
        .select_related("representative")
        .prefetch_related(
            Prefetch(
                "representative__mandates",
                queryset=Mandate.objects.filter(status=MandateStatus.ACTIVE),
                to_attr="active_mandates",
            )
        )
    )


def upcoming_shifts(representative: Representative, *, days: int = 30) -> QuerySet[DutyShift]:
    today = timezone.localdate()
    return representative.duty_shifts.filter(
        date__gte=today,
        date__lte=today + datetime.timedelta(days=days),
        status=ShiftStatus.SCHEDULED,
    ).select_related("station")


# --- public pages (no login, reached by a token) ---------------------------------------


class TokenRetired(Exception):
    """The link was valid once but its card was replaced: a friendly 410 page."""


def _by_token(queryset: QuerySet[Any], token: str) -> Any:
    found = queryset.filter(public_token=token).first()
    if found is not None:
        return found
    if RetiredToken.objects.filter(token=token).exists():
        raise TokenRetired
    raise Http404


def public_station(token: str) -> Station:
    return _by_token(Station.objects.select_related("region").filter(is_active=True), token)


def public_representative(token: str) -> Representative:
    return _by_token(
        with_active_mandates(Representative.objects.filter(has_active_mandate())), token
    )


@dataclass
class PublicStationPage:
    station: Station
    members: Sequence[StationMember]
    shifts: list[DutyShift]
    cases: list[PublicCase]


def public_station_page(station: Station) -> PublicStationPage:
    """Everything the public page shows, in a fixed number of queries whatever the size."""
    members = list(
        station.members.filter(is_active=True)
        .filter(representative__in=Representative.objects.filter(has_active_mandate()))
        .select_related("representative")
        .prefetch_related(
            Prefetch(
                "representative__mandates",
                queryset=Mandate.objects.filter(status=MandateStatus.ACTIVE).order_by("level"),
                to_attr="active_mandates",
            )
        )
        .order_by("role", "representative__name")
    )
    today = timezone.localdate()
    shifts = list(
        station.shifts.filter(
            published_at__isnull=False,
            date__gte=today,
            date__lte=today + datetime.timedelta(days=conf.public_schedule_days()),
            status__in=[ShiftStatus.SCHEDULED, ShiftStatus.SERVED],
        )
        .select_related("representative")
        .order_by("date", "start_time")
    )
    cases: list[PublicCase] = []
    for provider in public_case_providers:
        cases.extend(provider(station, 10))
    cases.sort(key=lambda case: case.date, reverse=True)
    return PublicStationPage(station=station, members=members, shifts=shifts, cases=cases[:10])


def public_representative_stations(representative: Representative) -> QuerySet[Station]:
    return Station.objects.filter(
        is_active=True, members__representative=representative, members__is_active=True
    ).select_related("region")
