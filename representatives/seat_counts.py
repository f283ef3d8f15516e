"""The seats summary (``SeatCount``): what the dashboard's 在任代表 figures read.

Counting a city's active seats through its representatives' regions grew with the
representatives (docs/benchmarks.md: 15 ms at 10,000 problems, 38 ms at 5M for a
city's 7,370 seats, ~96,000 in a province). The summary keeps, per area (the
representative's township, or its own region when shallower), the active seats by
level and the representatives holding one; a jurisdiction's figures are a sum over
its areas' rows, one query whatever the number of representatives.

Kept in step by recounting: whatever adds or ends a seat or moves a representative
calls ``seat_counts_refresh`` with the regions it touched, in the same transaction;
an area's recount reads only that area's representatives. The same recount marks
each of the area's representatives ``serving`` (在任: at least one active seat), the
fact the dashboard's ranking selects its people by (representatives/dashboard.py).
Rows written in bulk (the demo, ``generate_city``) are counted by
``seat_counts_rebuild``, and ``seat_counts_differences`` compares the summary with a
plain count (``manage.py seat_counts_rebuild --check``).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from typing import Any

from django.db import transaction
from django.db.models import Count, Exists, OuterRef, Q, QuerySet, Sum

from congress.areas import AREA_DEPTHS, area_q, areas_under
from congress.models import CongressLevel, Region
from congress.scoping import region_scope_q
from representatives.models import Mandate, MandateStatus, Representative, SeatCount

LEVELS = [level for level, _label in CongressLevel.choices]
# The summary's counted columns: a column per level (named as the level) and the people.
SEAT_FIGURES = (*LEVELS, "people")


def count_area_id(region: Region) -> int:
    """The area whose row counts a representative registered in ``region``: its
    township (the deepest area column), or the region itself when shallower."""
    return region.ancestor_ids()[min(region.depth, AREA_DEPTHS - 1)]


def _in_area(area: Region) -> Q:
    """The representatives whose seats the area's row counts."""
    if area.depth < AREA_DEPTHS - 1:
        return Q(representative__region_id=area.pk)
    return Q(representative__region__path__startswith=area.path)


def _people_of(area: Region) -> QuerySet[Representative]:
    """The representatives whose seats the area's row counts, on their own columns."""
    if area.depth < AREA_DEPTHS - 1:
        return Representative.objects.filter(region_id=area.pk)
    return Representative.objects.filter(area_q(area))


def _count(area: Region) -> dict[str, int]:
    """One area's figures, counted from the seats: one grouped query."""
    return Mandate.objects.filter(_in_area(area), status=MandateStatus.ACTIVE).aggregate(
        **{level: Count("pk", filter=Q(level=level)) for level in LEVELS},
        people=Count("representative_id", distinct=True),
    )


def _has_seat() -> Exists:
    return Exists(
        Mandate.objects.filter(representative=OuterRef("pk"), status=MandateStatus.ACTIVE)
    )


def _mark_serving(people: QuerySet[Representative]) -> int:
    """Set ``serving`` on those of ``people`` whose flag differs from their seats (two
    updates, of the changed rows only); how many changed."""
    started = people.filter(_has_seat(), serving=False).update(serving=True)
    return started + people.filter(~_has_seat(), serving=True).update(serving=False)


def seat_counts_refresh(regions: Iterable[Region | None]) -> None:
    """Recount the areas of these regions (a representative's old and new region, a
    seat's holder's region): their rows now equal the seats, and their people's
    ``serving`` flags too."""
    areas = {count_area_id(region) for region in regions if region is not None}
    if not areas:
        return
    with transaction.atomic():
        for area in Region.objects.filter(pk__in=areas).order_by("pk"):
            figures = _count(area)
            if any(figures.values()):
                SeatCount.objects.update_or_create(area=area, defaults=figures)
            else:
                SeatCount.objects.filter(area=area).delete()
            _mark_serving(_people_of(area))


def _counted() -> dict[int, dict[str, int]]:
    """Every area's figures counted from the seats: one grouped query by the holder's
    region, summed into areas by the regions' paths (read once)."""
    rows = (
        Mandate.objects.filter(status=MandateStatus.ACTIVE)
        .values("representative__region_id")
        .annotate(
            **{level: Count("pk", filter=Q(level=level)) for level in LEVELS},
            people=Count("representative_id", distinct=True),
        )
        .order_by()
    )
    by_region = {row["representative__region_id"]: row for row in rows}
    regions = Region.objects.filter(pk__in=list(by_region)).only("pk", "path", "depth")
    counted: dict[int, dict[str, int]] = defaultdict(lambda: dict.fromkeys(SEAT_FIGURES, 0))
    for region in regions.iterator(chunk_size=2000):
        row = by_region[region.pk]
        area = counted[count_area_id(region)]
        for name in SEAT_FIGURES:
            area[name] += row[name]
    return dict(counted)


def seat_counts_rebuild() -> int:
    """Replace the summary with a recount of every active seat, and set every
    representative's ``serving`` flag from their seats; the summary's rows written."""
    counted = _counted()
    with transaction.atomic():
        SeatCount.objects.all().delete()
        SeatCount.objects.bulk_create(
            [SeatCount(area_id=area, **figures) for area, figures in counted.items()],
            batch_size=2000,
        )
        _mark_serving(Representative.objects.all())
    return len(counted)


def serving_differences() -> int:
    """How many representatives' ``serving`` flag does not match their seats."""
    return Representative.objects.filter(
        (Q(serving=False) & _has_seat()) | (Q(serving=True) & ~_has_seat())
    ).count()


def seat_counts_differences() -> dict[int, tuple[dict[str, int], dict[str, int]]]:
    """The areas whose row differs from a recount: area → (kept, counted)."""
    zero = dict.fromkeys(SEAT_FIGURES, 0)
    kept = {
        row["area_id"]: {name: row[name] for name in SEAT_FIGURES}
        for row in SeatCount.objects.values("area_id", *SEAT_FIGURES)
    }
    counted = _counted()
    return {
        area: (kept.get(area, zero), counted.get(area, zero))
        for area in set(kept) | set(counted)
        if kept.get(area, zero) != counted.get(area, zero)
    }


def seat_figures(region: Region) -> dict[str, int]:
    """The region's active seats by level and its serving representatives, summed over
    its areas' rows: one query, bounded by the areas (not the representatives)."""
    sums: dict[str, Any] = SeatCount.objects.filter(areas_under(region)).aggregate(
        **{name: Sum(name) for name in SEAT_FIGURES}
    )
    return {name: sums[name] or 0 for name in SEAT_FIGURES}


def serving_in_scope(user: Any) -> int | None:
    """The serving representatives in a staff user's jurisdiction (the home's card),
    summed over the areas' rows of their staff regions (one query, each row once even
    where regions overlap); None when a staff region lies below the summary's areas,
    whose rows do not split it (the caller counts those people directly)."""
    scope = region_scope_q(user, "area__path")
    if scope is not None and any(region.depth > AREA_DEPTHS - 1 for region in user.staff_regions):
        return None
    rows = SeatCount.objects.all()
    if scope is not None:
        # The areas' depth as well as their paths: the join then reads the partial
        # index ``region_area_path`` (a city's hundred areas), not every region of
        # the city down to its grids (congress/areas.py, ``areas_under``).
        rows = rows.filter(scope, area__depth__lt=AREA_DEPTHS)
    return int(rows.aggregate(n=Sum("people"))["n"] or 0)
