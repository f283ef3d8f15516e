"""Access rules of the region boundaries (congress/boundary_urls.py, docs/dashboard.md
"下级区划地图").

The boundaries page of 海州区 (in) or 临江区 (out): congress staff of the region or
above read it, administrators too; anyone else signed in gets 404 (a department's
clerk as well, who sees their department's region on the region pages). Saving (the
populations form; the upload is the same view and the same check) sends an
administrator back to the page; the region's staff, who may read it, get 403; anyone
else 404; nothing changes for the refused. The geometry the dashboard's map fetches
answers the same readers, 404 for the rest.
"""

from __future__ import annotations

from typing import Any

from congress.boundaries import boundary_load
from congress.models import Region, RegionLevel
from tests.security.access_rules import (
    DISTRICT,
    FORBIDDEN,
    OTHER_DISTRICT,
    REDIRECT,
    Builder,
    Case,
    Rule,
    only,
    scoped,
)
from tests.security.conftest import Cast


def _region(cast: Cast, side: str) -> Region:
    return cast.world.district if side == "in" else cast.world.other_district


def _child(cast: Cast, side: str) -> Region:
    """A township of the side (新浦街道 in 海州区; 临江区 gets 江滨街道)."""
    region = _region(cast, side)
    child = Region.objects.filter(parent=region).order_by("pk").first()
    if child is None:
        child = Region(
            name="江滨街道", level=RegionLevel.TOWNSHIP, parent=region, code="990103001000"
        )
        child.save()
    return child


def region(side: str) -> Builder:
    def build(cast: Cast) -> dict[str, Any]:
        return {"pk": _region(cast, side).pk}

    return build


def loaded(side: str) -> Builder:
    """The region, with its children's boundaries loaded (by the system)."""

    def build(cast: Cast) -> dict[str, Any]:
        key = f"boundary-{side}"
        if key not in cast.objects:
            child = _child(cast, side)
            ring = [[120.0, 30.0], [120.1, 30.0], [120.1, 30.1], [120.0, 30.1], [120.0, 30.0]]
            text = (
                '{"type":"FeatureCollection","features":[{"type":"Feature","properties":'
                f'{{"code":"{child.code}"}},"geometry":{{"type":"Polygon","coordinates":[{ring}]}}}}]}}'
            )
            boundary_load(region=_region(cast, side), geojson_text=text, by=None)
            cast.objects[key] = True
        return {"pk": _region(cast, side).pk}

    return build


def _populations(side: str) -> Builder:
    def build(cast: Cast) -> dict[str, Any]:
        return {"form": "population", f"population_{_child(cast, side).pk}": "123456"}

    return build


def _population_of(cast: Cast, args: dict[str, Any]) -> Any:
    return list(Region.objects.filter(parent_id=args["pk"]).values_list("pk", "population"))


def _save(side: str, readers: tuple[str, ...]) -> Case:
    return Case(
        f"save in {'海州区' if side == 'in' else '临江区'}: administrators; its staff 403",
        {**only(readers, ok=FORBIDDEN), "administrator": REDIRECT},
        region(side),
        "POST",
        _populations(side),
        unchanged=_population_of,
        writers=("administrator",),
    )


RULES: dict[str, Rule] = {
    "region_boundaries": Rule(
        (
            *scoped(region("in"), region("out")).cases,
            _save("in", DISTRICT),
            _save("out", OTHER_DISTRICT),
        )
    ),
    "region_boundaries_geojson": scoped(loaded("in"), loaded("out")),
}
