"""The demo's map (docs/dashboard.md, "下级区划地图"): boundaries for 江海市's six
county-level areas with their populations (the city's dashboard colours them per
10,000 residents), and for the first district's towns without populations (its
dashboard colours them per grid). The shapes are made up: a lattice of adjacent
cells with wavy shared edges around a fictional place at sea, so neighbours share
their borders exactly. Loaded through the services, as an administrator would."""

from __future__ import annotations

import json
import math
from typing import Any

from congress.boundaries import boundary_load, population_set
from congress.models import Region

# Somewhere in the Yellow Sea: no real place is drawn.
ORIGIN = (123.0, 33.0)


def _point(x: int, y: int, cell: float) -> tuple[float, float]:
    """A lattice point, nudged (the same for every cell that shares it)."""
    dx = 0.18 * cell * math.sin(1.7 * x + 2.3 * y) if x > 0 else 0.0
    dy = 0.15 * cell * math.cos(2.1 * x + 1.3 * y) if y > 0 else 0.0
    return (round(ORIGIN[0] + x * cell + dx, 5), round(ORIGIN[1] + y * cell + dy, 5))


def _edge(a: tuple[int, int], b: tuple[int, int], cell: float) -> list[tuple[float, float]]:
    """The points from lattice point ``a`` to ``b``, with a wave that depends on the
    edge only (so the cell on each side draws it the same way), ``a`` excluded."""
    end = _point(*b, cell)
    low, high = min(a, b), max(a, b)
    seed = 3.1 * low[0] + 1.9 * low[1] + 0.7 * high[0] + 1.3 * high[1]
    points = []
    for step in range(1, 5):
        t = step / 4
        # Points are computed from the lower end, so both directions agree.
        u = t if a == low else 1 - t
        lo, hi = _point(*low, cell), _point(*high, cell)
        x = lo[0] + (hi[0] - lo[0]) * u
        y = lo[1] + (hi[1] - lo[1]) * u
        bump = 0.06 * cell * math.sin(math.pi * u) * math.sin(seed)
        if low[0] == high[0]:  # a vertical edge bends sideways
            x += bump
        else:
            y += bump
        points.append((round(x, 5), round(y, 5)))
    points[-1] = end
    return points


def _cell(col: int, row: int, cell: float) -> list[list[float]]:
    corners = [(col, row), (col + 1, row), (col + 1, row + 1), (col, row + 1)]
    ring = [list(_point(*corners[0], cell))]
    for a, b in zip(corners, corners[1:] + corners[:1], strict=True):
        ring += [list(p) for p in _edge(a, b, cell)]
    return ring


def lattice(regions: list[Region], columns: int, cell: float) -> str:
    """A FeatureCollection of one cell per region (row by row), matched by code."""
    features = []
    for index, region in enumerate(regions):
        col, row = index % columns, index // columns
        features.append(
            {
                "type": "Feature",
                "properties": {"code": region.code, "name": region.name},
                "geometry": {"type": "Polygon", "coordinates": [_cell(col, row, cell)]},
            }
        )
    return json.dumps({"type": "FeatureCollection", "features": features}, ensure_ascii=False)


def build(ctx: Any) -> None:
    counties = list(ctx.counties)
    boundary_load(
        region=ctx.city,
        geojson_text=lattice(counties, 3, 0.3),
        source_name="江海市县区边界（演示）.geojson",
        by=None,
    )
    # 常住人口 as a statistics bureau publishes them (round thousands).
    population_set(
        region=ctx.city,
        values={county.pk: ctx.rng.randrange(280, 960) * 1000 for county in counties},
        by=None,
    )
    first = counties[0]
    towns = [town for town in ctx.towns if town.parent_id == first.pk]
    boundary_load(
        region=first,
        geojson_text=lattice(towns, 4, 0.07),
        source_name=f"{first.name}乡镇街道边界（演示）.geojson",
        by=None,
    )
