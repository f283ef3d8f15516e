"""Region boundaries (GeoJSON) and population figures for the dashboard's map
(docs/dashboard.md, "下级区划地图").

Administrators manage regions (docs/architecture.md, "Who sees what"), so they load a
region's boundaries and set its children's populations; congress staff of the region or
above read them (the boundaries page, and the geometry the dashboard's map is drawn
from); anyone else finds nothing (404). Every write goes through ``boundary_load`` or
``population_set``, which check the acting user and write an audit row.
"""

from __future__ import annotations

import json
import math
from collections.abc import Mapping
from typing import Any

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.db.models import Count, QuerySet
from django.db.models.functions import Substr
from django.utils import timezone
from django.utils.translation import gettext as _

from congress.areas import AREA_DEPTHS
from congress.errors import OutOfJurisdiction, RuleViolation
from congress.models import AuditAction, Region, RegionLevel, User
from congress.models.boundaries import RegionBoundary
from congress.scoping import AnyUser, in_jurisdiction, is_staff_or_admin, region_scope_q

# A district's towns drawn from a statistics bureau's file are a few hundred kilobytes;
# a province's counties at full detail a few megabytes. Beyond this the page would
# carry more geometry than a dashboard needs: simplify the file first.
MAX_BYTES = 5 * 1024 * 1024
# The most populous city-level region is about 30 million; a typo with extra zeros is
# refused rather than drawn.
MAX_POPULATION = 100_000_000
# Properties a feature is matched by: the division code (a statistics bureau's 12
# digits, or the 6 or 9 digits of a GeoJSON made from the national map service,
# padded with zeros), else the name.
CODE_PROPERTIES = ("code", "adcode", "区划代码")
NAME_PROPERTIES = ("name", "名称")
GEOMETRIES = ("Polygon", "MultiPolygon")


# --- who may -------------------------------------------------------------------------


def can_manage_boundaries(user: AnyUser) -> bool:
    """Administrators load boundaries and set populations; staff read them."""
    return bool(user.is_authenticated and user.is_superuser)


def boundary_regions(user: AnyUser) -> QuerySet[Region]:
    """The regions whose boundaries a user may read: congress staff, their regions and
    below (not the department's region a clerk sees on the region pages);
    administrators, all; anyone else, none."""
    if not is_staff_or_admin(user):
        return Region.objects.none()
    query = region_scope_q(user, "path")
    return Region.objects.all() if query is None else Region.objects.filter(query)


def can_read_boundaries(user: AnyUser, region: Region) -> bool:
    return is_staff_or_admin(user) and in_jurisdiction(user, region)


def _require_manager(by: User | None, region: Region) -> None:
    """``None`` is the system (the demo). Staff who may read the page get 403 on a
    write, anyone else 404 (the region is not theirs to know)."""
    if by is None or can_manage_boundaries(by):
        return
    if can_read_boundaries(by, region):
        raise PermissionDenied
    raise OutOfJurisdiction


def map_levels_allow(region: Region) -> bool:
    """The dashboard draws the map of a region's children where the children have a
    dashboard of their own: down to the township (congress/dashboard.py, ``drillable``)."""
    return region.depth + 1 < AREA_DEPTHS


# --- reads ---------------------------------------------------------------------------


def boundary_of(region: Region) -> RegionBoundary | None:
    """The region's boundary without its geometry (which may be megabytes): one query."""
    return RegionBoundary.objects.filter(region=region).defer("geojson").first()


def boundary_version(region: Region) -> str:
    """A short version of the region's boundary ("" without one), for the map's URL
    and the geometry's ETag: one query on the unique region index."""
    row = RegionBoundary.objects.filter(region=region).values_list("pk", "loaded_at").first()
    if row is None:
        return ""
    return f"{row[0]}-{int(row[1].timestamp())}"


def grids_below(region: Region) -> dict[int, int]:
    """The number of grid regions (网格) below each child of ``region``: one grouped
    query on the region table's path index (a child's subtree is its path prefix, and
    every child's path has the same length)."""
    width = len(region.path) + 9  # a child's path: the parent's and one 8-hex segment, "/"
    rows = (
        Region.objects.filter(path__startswith=region.path, level=RegionLevel.GRID)
        .annotate(prefix=Substr("path", 1, width))
        .values("prefix")
        .annotate(n=Count("id"))
        .order_by()
    )
    by_path = {row["prefix"]: row["n"] for row in rows}
    return {int(path.strip("/").split("/")[-1], 16): n for path, n in by_path.items() if n}


# --- loading a boundary --------------------------------------------------------------


def _label(index: int, feature: Any) -> str:
    properties = feature.get("properties") if isinstance(feature, dict) else None
    properties = properties if isinstance(properties, dict) else {}
    text = next(
        (
            str(properties[key])
            for key in (*NAME_PROPERTIES, *CODE_PROPERTIES)
            if properties.get(key)
        ),
        _("无名称"),
    )
    return _("第%(n)d个要素（%(label)s）") % {"n": index + 1, "label": text[:60]}


def _ring_ok(ring: Any) -> bool:
    if not isinstance(ring, list) or len(ring) < 4:
        return False
    for position in ring:
        if not isinstance(position, list) or len(position) < 2:
            return False
        lon, lat = position[0], position[1]
        for number in (lon, lat):
            if isinstance(number, bool) or not isinstance(number, (int, float)):
                return False
            if not math.isfinite(number):
                return False
        if not (-180 <= lon <= 180 and -90 <= lat <= 90):
            return False
    return bool(ring[0][:2] == ring[-1][:2])


def _polygon_ok(polygon: Any) -> bool:
    return isinstance(polygon, list) and bool(polygon) and all(map(_ring_ok, polygon))


def _geometry_problem(geometry: Any) -> str:
    """What is wrong with a feature's geometry, or ""."""
    if not isinstance(geometry, dict) or geometry.get("type") not in GEOMETRIES:
        kind = geometry.get("type") if isinstance(geometry, dict) else None
        return _("几何类型须为 Polygon 或 MultiPolygon（此处为 %(kind)s）。") % {
            "kind": kind or _("空")
        }
    coordinates = geometry.get("coordinates")
    if geometry["type"] == "Polygon":
        ok = _polygon_ok(coordinates)
    else:
        ok = isinstance(coordinates, list) and bool(coordinates)
        ok = ok and all(_polygon_ok(polygon) for polygon in coordinates or [])
    if not ok:
        return _(
            "坐标不完整：每个环至少4个经纬度点、首尾相同，经度在 -180～180、纬度在 -90～90 之间。"
        )
    return ""


def _code_of(properties: Mapping[str, Any]) -> str:
    for key in CODE_PROPERTIES:
        value = properties.get(key)
        if value not in (None, ""):
            text = str(value).strip()
            if text.isdigit() and len(text) <= 12:
                return text.ljust(12, "0")
    return ""


def _name_of(properties: Mapping[str, Any]) -> str:
    for key in NAME_PROPERTIES:
        value = properties.get(key)
        if isinstance(value, str) and value.strip():
            return value.strip()
    return ""


def parse_boundary(
    region: Region, text: str | bytes, children: list[Region]
) -> tuple[str, list[int]]:
    """Check a FeatureCollection against ``region``'s children; returns the collection
    to store (each feature's properties reduced to its child) and the matched child ids
    in feature order. Raises ``RuleViolation`` naming the first problem found."""
    size = len(text.encode("utf-8") if isinstance(text, str) else text)
    if size > MAX_BYTES:
        raise RuleViolation(
            _(
                "文件为 %(size).1f MB，超过 %(limit)d MB 的上限：请先简化边界（如用 mapshaper）再加载。"
            )
            % {"size": size / 1024 / 1024, "limit": MAX_BYTES // 1024 // 1024}
        )
    if isinstance(text, bytes):
        try:
            text = text.decode("utf-8-sig")
        except UnicodeDecodeError:
            raise RuleViolation(_("文件不是 UTF-8 编码的文本，不是 GeoJSON 文件。")) from None
    try:
        document = json.loads(text)
    except ValueError as error:
        line, column = getattr(error, "lineno", 0), getattr(error, "colno", 0)
        raise RuleViolation(
            _("文件不是有效的 JSON（第%(line)d行第%(column)d列附近有误）。")
            % {"line": line, "column": column}
        ) from None
    if not isinstance(document, dict) or document.get("type") != "FeatureCollection":
        raise RuleViolation(
            _("文件须是一个 GeoJSON FeatureCollection（type 为 FeatureCollection）。")
        )
    features = document.get("features")
    if not isinstance(features, list) or not features:
        raise RuleViolation(_("FeatureCollection 中没有要素（features 为空）。"))
    by_code = {each.code: each for each in children if each.code}
    by_name: dict[str, list[Region]] = {}
    for each in children:
        by_name.setdefault(each.name.strip(), []).append(each)
    matched: dict[int, int] = {}  # child id → feature index
    stored, ids = [], []
    for index, feature in enumerate(features):
        label = _label(index, feature)
        if not isinstance(feature, dict) or feature.get("type") != "Feature":
            raise RuleViolation(_("%(feature)s不是 GeoJSON 要素（Feature）。") % {"feature": label})
        problem = _geometry_problem(feature.get("geometry"))
        if problem:
            raise RuleViolation(f"{label}：{problem}")
        properties = feature.get("properties")
        properties = properties if isinstance(properties, dict) else {}
        code, name = _code_of(properties), _name_of(properties)
        child: Region | None = by_code.get(code) if code else None
        if child is None and name:
            same = by_name.get(name, [])
            if len(same) > 1:
                raise RuleViolation(
                    _(
                        "%(feature)s：名称“%(name)s”对应多个下级区划，请在属性中写明区划代码（code）。"
                    )
                    % {"feature": label, "name": name}
                )
            child = same[0] if same else None
        if child is None:
            raise RuleViolation(
                _(
                    "%(feature)s不对应%(region)s的任何下级区划：属性中的区划代码（code 或 adcode）"
                    "和名称（name）都找不到。"
                )
                % {"feature": label, "region": region.name}
            )
        if child.pk in matched:
            raise RuleViolation(
                _(
                    "%(feature)s与第%(other)d个要素都对应“%(child)s”：每个下级区划只能有一个要素（多块用 MultiPolygon）。"
                )
                % {"feature": label, "other": matched[child.pk] + 1, "child": child.name}
            )
        matched[child.pk] = index
        ids.append(child.pk)
        stored.append(
            {
                "type": "Feature",
                "properties": {
                    "key": str(child.pk),
                    "region_id": child.pk,
                    "code": child.code or "",
                    "name": child.name,
                },
                "geometry": feature["geometry"],
            }
        )
    collection = {"type": "FeatureCollection", "features": stored}
    return json.dumps(collection, ensure_ascii=False, separators=(",", ":")), ids


def boundary_load(
    *, region: Region, geojson_text: str | bytes, by: User | None, source_name: str = ""
) -> RegionBoundary:
    """Load (or replace) the boundaries of ``region``'s children. Administrators only
    (staff of the region: 403; anyone else: 404); refused with a translated message
    naming the first feature that is wrong, and then nothing is changed. Writes an
    audit row (后台修改, ``detail.event`` = ``boundary_loaded``)."""
    from congress.audit import audit_record

    _require_manager(by, region)
    if not map_levels_allow(region):
        raise RuleViolation(
            _("只能加载省、市、县（区）的下级区划边界：数据看板到乡镇（街道）为止。")
        )
    children = list(Region.objects.filter(parent=region).order_by("code", "pk"))
    if not children:
        raise RuleViolation(_("%(region)s没有下级区划，无法加载边界。") % {"region": region.name})
    stored, ids = parse_boundary(region, geojson_text, children)
    with transaction.atomic():
        replaced = RegionBoundary.objects.filter(region=region).exists()
        boundary, _created = RegionBoundary.objects.update_or_create(
            region=region,
            defaults={
                "geojson": stored,
                "matched_ids": ids,
                "feature_count": len(ids),
                "size": len(stored.encode("utf-8")),
                "source_name": source_name[:200],
                "loaded_by": by,
                "loaded_at": timezone.now(),
            },
        )
        audit_record(
            action=AuditAction.ADMIN_CHANGE,
            actor=by,
            obj=region,
            detail={
                "event": "boundary_loaded",
                "features": len(ids),
                "bytes": boundary.size,
                "replaced": replaced,
            },
        )
    return boundary


# --- populations ---------------------------------------------------------------------


def population_set(
    *, region: Region, values: Mapping[int, int | None], by: User | None
) -> list[int]:
    """Set the 常住人口 of ``region``'s children: ``values`` maps a child's id to its
    population, or to ``None`` (not known). Administrators only, as ``boundary_load``.
    Every value is checked before anything is written; each change is an audit row
    (the child, from, to). Returns the ids of the children that changed."""
    from congress.audit import audit_record

    _require_manager(by, region)
    for value in values.values():
        if value is not None and (
            isinstance(value, bool) or not isinstance(value, int) or not 0 < value <= MAX_POPULATION
        ):
            raise RuleViolation(
                _("常住人口须为1到%(most)s之间的整数（人）。") % {"most": f"{MAX_POPULATION:,}"}
            )
    changed = []
    with transaction.atomic():
        children = {
            child.pk: child
            for child in Region.objects.select_for_update().filter(
                parent=region, pk__in=list(values)
            )
        }
        unknown = set(values) - set(children)
        if unknown:
            raise RuleViolation(_("只能填写%(region)s的下级区划的人口。") % {"region": region.name})
        for child_id, value in values.items():
            child = children[child_id]
            if child.population == value:
                continue
            Region.objects.filter(pk=child.pk).update(population=value)
            audit_record(
                action=AuditAction.ADMIN_CHANGE,
                actor=by,
                obj=child,
                detail={"event": "population_set", "from": child.population, "to": value},
            )
            changed.append(child.pk)
    return changed
