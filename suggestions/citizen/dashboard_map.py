"""The citizens' panel's map of the child regions (docs/dashboard.md, "下级区划地图").

Shown when an administrator has loaded the boundaries of the shown region's children
(``congress.boundaries``). Each child is coloured by the problems received in the
period (the ranking's counts, from the monthly summary) per 10,000 residents when
every child has a population, else per grid (网格) below it: one measure for the whole
map, stated in its definition, since one colour scale cannot mix the two. Without a
boundary nothing is added (the ranking stays). Queries: the boundary's version (one),
the counts per child (one grouped query on the summary), and, per grid, the grids per
child (one grouped query on the region table's path index): never per row.
"""

from __future__ import annotations

from typing import Any

from django.db.models import Sum
from django.urls import reverse
from django.utils.translation import gettext as _

from congress.areas import AREA_FIELDS
from congress.boundaries import boundary_version, grids_below
from congress.dashboard import Chart, Scope, drillable

PER = 10_000


def received_by_child(scope: Scope, rows: Any) -> dict[int, int]:
    """The problems received in ``rows`` (the period's ``IssueMonthCount`` of the
    region) per child region, whose dashboard must exist (``drillable``): grouped on
    the rows' own ``area_N`` at the children's depth, so no region is joined. Read
    once per request for the ranking and the map (``Scope.once``)."""

    def read() -> dict[int, int]:
        column = AREA_FIELDS[scope.region.depth + 1]
        grouped = rows.values(column).annotate(n=Sum("received")).order_by()
        # Rows of the region's own area (a problem filed at the region itself) have
        # no child: their column at the children's depth is empty.
        return {row[column]: row["n"] or 0 for row in grouped if row[column] is not None}

    counted: dict[int, int] = scope.once("citizen received by child", read)
    return counted


def region_map(scope: Scope, rows: Any) -> list[Chart]:
    """The map chart of ``scope``'s children, or nothing (no boundary, or children
    without a dashboard of their own). ``rows`` are the period's summary rows of the
    region (``IssueMonthCount``), as the panel's other charts read them."""
    if not any(map(drillable, scope.children)):
        return []
    version = boundary_version(scope.region)
    if not version:
        return []
    received = received_by_child(scope, rows)
    children = scope.children
    per_resident = all(child.population for child in children)
    counts = [received[child.pk] for child in children]
    populations: list[int | float | None] = [child.population for child in children]
    values: list[int | float | None]
    series: list[tuple[str, list[int | float | None]]]
    if per_resident:
        values = [
            round(n * PER / (child.population or 1), 2)
            for n, child in zip(counts, children, strict=True)
        ]
        series = [(_("常住人口"), populations), (_("每万人口件数"), values)]
        definition = _(
            "本期收到的问题按下一级区划分，按每万常住人口的件数着色（件数 × 10000 ÷ 常住人口；"
            "常住人口由系统管理员按统计部门的数字填写）。颜色越深越多。"
        )
    else:
        grids = grids_below(scope.region)
        grid_counts: list[int | float | None] = [grids.get(child.pk, 0) for child in children]
        values = [round(n / g, 2) if g else None for n, g in zip(counts, grid_counts, strict=True)]
        series = [
            (_("常住人口"), populations),
            (_("网格数"), grid_counts),
            (_("每网格件数"), values),
        ]
        definition = _(
            "本期收到的问题按下一级区划分，按每个网格的件数着色（件数 ÷ 该区划下的网格数），"
            "因为有下级区划未填常住人口。颜色越深越多；没有网格的区划不着色。"
        )
    # The table lists the largest value first (not coloured: last), then by code.
    order = sorted(
        range(len(children)),
        key=lambda i: (
            values[i] is None,
            -(values[i] or 0),
            children[i].code or "",
            children[i].pk,
        ),
    )
    return [
        Chart(
            "map",
            _("下级区划地图"),
            "map",
            [children[i].name for i in order],
            [
                (_("收到"), [counts[i] for i in order]),
                *((name, [column[i] for i in order]) for name, column in series),
            ],
            definition,
            [scope.drill_url(children[i]) for i in order],
            geo_url=reverse("region_boundaries_geojson", args=[scope.region.pk]) + f"?v={version}",
            geo_keys=[str(children[i].pk) for i in order],
            hint=_("点击进入该区划。"),
        )
    ]
