"""The jurisdiction on the row: a case keeps the ids of its region's ancestors.

"Staff see their region and everything below it" (docs/architecture.md, 'Who sees
what') is, on a table of cases, ``area_N = region.pk`` where N is the staff
region's depth: an equality on the row's own column, which a composite index
(area_N, <the list's order>) serves in list order, without a join to the
regions and without sorting the jurisdiction (docs/architecture.md, "Reads that
do not grow with the data"). Depths 0-3 are kept: the levels that have a
congress and staff (province, city, county, township in a province's tree). A
region deeper than that (a village, a grid) is matched by its subtree's ids.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.db.models import Q, QuerySet

if TYPE_CHECKING:  # the models read AREA_FIELDS from here
    from congress.models import Region

AREA_DEPTHS = 4
AREA_FIELDS = [f"area_{n}" for n in range(AREA_DEPTHS)]


def area_columns(region: Region, *, prefix: str = "area_") -> dict[str, int | None]:
    """The ``area_N`` values of a case in ``region`` (read from its path, no query);
    ``prefix`` names another set of such columns (a suggestion's ``origin_area_N``)."""
    ancestry = region.ancestor_ids()
    return {f"{prefix}{n}": ancestry[n] if n < len(ancestry) else None for n in range(AREA_DEPTHS)}


def area_q(region: Region, *, region_field: str = "region_id", prefix: str = "area_") -> Q:
    """Rows in ``region`` and below, read from the row's own columns."""
    if region.depth < AREA_DEPTHS:
        return Q(**{f"{prefix}{region.depth}": region.pk})
    subtree = type(region).objects.subtree_of(region)
    return Q(**{f"{region_field}__in": subtree.values("pk")})


def areas_under(region: Region, *, field: str = "area") -> Q:
    """A summary's rows in ``region`` and below. A summary row's area is a township or
    shallower (a case's ``area_N`` at the deepest column kept), so only those regions
    are joined, on the partial index ``region_area_path``: a city's hundred areas,
    not its thousands of villages and grids (docs/architecture.md)."""
    return Q(**{f"{field}__path__startswith": region.path, f"{field}__depth__lt": AREA_DEPTHS})


def fill_area_columns(rows: QuerySet, regions: QuerySet, *, field: str = "region") -> int:
    """Give every row of ``rows`` (a table with ``area_N`` and a region in ``field``)
    its region's ancestors, one UPDATE per region that has rows; the regions' paths
    are read here, not through ``Region``'s methods, so that migrations can pass
    their historical models. Returns the rows updated."""
    column = f"{field}_id"
    places = rows.order_by().values(column).distinct()
    done = 0
    for region in regions.filter(pk__in=places).only("pk", "path").iterator():
        ancestry = [int(segment, 16) for segment in region.path.strip("/").split("/") if segment]
        done += rows.filter(**{column: region.pk}).update(
            **{
                name: ancestry[n] if n < len(ancestry) else None
                for n, name in enumerate(AREA_FIELDS)
            }
        )
    return done


def assignments_fill_areas(*, only_missing: bool = True) -> int:
    """Give assignments their area columns (rows written in bulk, a moved region):
    one UPDATE per region that has such assignments. Returns the rows updated."""
    from congress.models import Assignment, Region

    rows = Assignment.objects.all()
    if only_missing:
        rows = rows.filter(area_0__isnull=True)
    places = Region.objects.filter(pk__in=rows.order_by().values("region_id").distinct())
    done = 0
    for place in places.iterator(chunk_size=2000):
        done += rows.filter(region=place).update(**area_columns(place))
    return done


def rows_follow_region(rows: QuerySet, region: Region) -> int:
    """After ``region`` was saved: if it moved in the tree, the ``rows`` in its subtree
    (a table with ``region`` and ``area_N``) take their new area columns, one UPDATE
    per region that has such rows. Returns how many rows moved.

    Cheap when nothing moved (a rename): one row under the region is read and
    compared. A move rewrites the subtree's rows, an administrator's rare act, like
    the region's own path rewrite."""
    subtree = type(region).objects.filter(path__startswith=region.path)
    probe = rows.filter(region__in=subtree.values("pk")).select_related("region")
    sample = probe.first()
    if sample is None or area_columns(sample.region) == {
        name: getattr(sample, name) for name in AREA_FIELDS
    }:
        return 0
    moved = 0
    for place in subtree.filter(pk__in=probe.values("region_id")):
        moved += rows.filter(region=place).update(**area_columns(place))
    return moved
