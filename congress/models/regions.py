"""The jurisdiction tree and the congresses that sit on it."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.db import models, transaction
from django.db.models.functions import Concat, Length, Substr
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from congress.areas import AREA_DEPTHS, AREA_FIELDS, area_columns

# A path segment is the primary key in fixed-width hex, so that "this region and
# everything below it" is one indexed prefix query (path LIKE 'p%'), whatever the
# depth, and sorting by path lists a tree in order.
SEGMENT_WIDTH = 8


class RegionLevel(models.TextChoices):
    PROVINCE = "province", _("省")
    CITY = "city", _("市")
    COUNTY = "county", _("县（区）")
    TOWNSHIP = "township", _("乡镇（街道）")
    VILLAGE = "village", _("村（社区）")
    GRID = "grid", _("网格")
    MICROGRID = "microgrid", _("微网格")


LEVEL_ORDER = [choice.value for choice in RegionLevel]


class RegionQuerySet(models.QuerySet["Region"]):
    def subtree_of(self, region: Region) -> RegionQuerySet:
        return self.filter(path__startswith=region.path)


class Region(models.Model):
    name = models.CharField(_("名称"), max_length=100)
    level = models.CharField(_("层级"), max_length=16, choices=RegionLevel.choices)
    code = models.CharField(
        _("区划代码"),
        max_length=12,
        unique=True,
        null=True,
        blank=True,
        help_text=_("国家统计用区划代码（12位），网格可留空"),
    )
    parent = models.ForeignKey(
        "self",
        verbose_name=_("上级"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="children",
    )
    # db_index on PostgreSQL also creates the varchar_pattern_ops index that LIKE 'p%' uses.
    path = models.CharField(max_length=255, editable=False, db_index=True, default="")
    depth = models.PositiveSmallIntegerField(editable=False, default=0)
    # 常住人口 from the statistics bureau, set by administrators on the boundaries page
    # (congress/boundaries.py, population_set); the dashboard's map counts per 10,000.
    population = models.PositiveIntegerField(_("常住人口"), null=True, blank=True)

    objects = RegionQuerySet.as_manager()

    class Meta:
        verbose_name = _("行政区划")
        verbose_name_plural = _("行政区划")
        ordering = ["path"]
        indexes = [
            # The summaries' areas (a township or shallower, congress/areas.py) under a
            # region: a city's hundred areas, not its thousands of villages and grids.
            models.Index(
                fields=["path"],
                opclasses=["varchar_pattern_ops"],
                condition=models.Q(depth__lt=AREA_DEPTHS),
                name="region_area_path",
            ),
            # A jurisdiction's grids (网格, 微网格): the 进网格 coverage a staff home
            # counts reads a city's 5,760 grids, not its 7,305 regions.
            models.Index(
                fields=["path"],
                opclasses=["varchar_pattern_ops"],
                condition=models.Q(level__in=[RegionLevel.GRID, RegionLevel.MICROGRID]),
                name="region_grid_path",
            ),
            # The regions of some levels under a region (the forms' choice of a city,
            # district or town): a city's hundred such regions, not its 7,305.
            models.Index(
                fields=["level", "path"],
                opclasses=["varchar_pattern_ops", "varchar_pattern_ops"],
                name="region_level_path",
            ),
        ]

    def __str__(self) -> str:
        return self.name

    def save(self, *args: Any, **kwargs: Any) -> None:
        with transaction.atomic():
            if self.pk is None:
                super().save(*args, **kwargs)  # the path needs the new primary key
                self.path = self._computed_path()
                self.depth = self.path.count("/") - 2
                Region.objects.filter(pk=self.pk).update(path=self.path, depth=self.depth)
                return
            old_path = Region.objects.filter(pk=self.pk).values_list("path", flat=True).first()
            self.path = self._computed_path()
            self.depth = self.path.count("/") - 2
            super().save(*args, **kwargs)
            if old_path and old_path != self.path:
                self._move_descendants(old_path, self.path)

    def get_absolute_url(self) -> str:
        return reverse("region_detail", args=[self.pk])

    def _computed_path(self) -> str:
        prefix = self.parent.path if self.parent is not None else "/"
        return f"{prefix}{self.pk:0{SEGMENT_WIDTH}x}/"

    def _move_descendants(self, old_path: str, new_path: str) -> None:
        depth_change = new_path.count("/") - old_path.count("/")
        Region.objects.filter(path__startswith=old_path).exclude(pk=self.pk).update(
            path=Concat(models.Value(new_path), Substr("path", len(old_path) + 1)),
            depth=models.F("depth") + depth_change,
        )

    def ancestor_ids(self) -> list[int]:
        """Ids from the root down to this region, read from the path (no query)."""
        return [int(segment, 16) for segment in self.path.strip("/").split("/") if segment]

    def ancestors(self) -> RegionQuerySet:
        return Region.objects.filter(pk__in=self.ancestor_ids()[:-1]).order_by(Length("path"))

    def is_within(self, other: Region) -> bool:
        return self.path.startswith(other.path)


class AreaColumnsQuerySet(models.QuerySet[Any]):
    def bulk_create(self, objs: Iterable[Any], *args: Any, **kwargs: Any) -> list[Any]:
        """As ``save`` does, give rows without area columns their region's ancestors
        (``bulk_create`` skips ``save``): the regions not already on the rows are read
        in one query."""
        objs = list(objs)
        bare = [obj for obj in objs if obj.region_id is not None and obj.area_0 is None]
        unread = {obj.region_id for obj in bare if not obj._state.fields_cache.get("region")}
        regions = Region.objects.in_bulk(unread) if unread else {}
        for obj in bare:
            region = obj._state.fields_cache.get("region") or regions[obj.region_id]
            for name, value in area_columns(region).items():
                setattr(obj, name, value)
        return super().bulk_create(objs, *args, **kwargs)


class AreaFields(models.Model):
    """The ids of a region's ancestors at depths 0-3 (congress/areas.py), kept on a
    row; what keeps them in step is the subclass's (``AreaColumns``, a record's own
    region; ``representatives.models.HolderAreaColumns``, its representative's)."""

    area_0 = models.BigIntegerField(null=True, blank=True, editable=False)
    area_1 = models.BigIntegerField(null=True, blank=True, editable=False)
    area_2 = models.BigIntegerField(null=True, blank=True, editable=False)
    area_3 = models.BigIntegerField(null=True, blank=True, editable=False)

    class Meta:
        abstract = True


class AreaColumns(AreaFields):
    """A record that stands in one region (its ``region``) and keeps the ids of that
    region's ancestors at depths 0-3 on the row (congress/areas.py): staff of a region
    at depth N find theirs by ``area_N = region.pk`` on an index (``area_scope_q``),
    without joining the regions. Set by ``save`` from the region, so a service's and
    the admin's edits keep them, and by ``bulk_create``; rows copied by the database
    (``generate_city``) carry ``area_columns(region)``; a region moved in the tree
    takes its rows along (``rows_follow_region``)."""

    objects = AreaColumnsQuerySet.as_manager()

    class Meta:
        abstract = True

    def save(self, *args: Any, **kwargs: Any) -> None:
        fields = kwargs.get("update_fields")
        # A save of other columns only (a new token, a linked login) leaves the place
        # alone: no read of the region.
        region: Region | None = (
            getattr(self, "region", None) if fields is None or "region" in fields else None
        )
        if region is not None:
            for name, value in area_columns(region).items():
                setattr(self, name, value)
            if fields is not None:
                kwargs["update_fields"] = {*fields, *AREA_FIELDS}
        super().save(*args, **kwargs)


class CongressLevel(models.TextChoices):
    NATIONAL = "national", _("全国")
    PROVINCE = "province", _("省级")
    CITY = "city", _("设区的市级")
    COUNTY = "county", _("县级")
    TOWNSHIP = "township", _("乡镇级")


class Congress(models.Model):
    """The people's congress of a region (and its standing committee, above township)."""

    region = models.OneToOneField(
        Region, verbose_name=_("行政区划"), on_delete=models.PROTECT, related_name="congress"
    )
    name = models.CharField(_("名称"), max_length=100)
    level = models.CharField(_("级别"), max_length=16, choices=CongressLevel.choices)

    class Meta:
        verbose_name = _("人民代表大会")
        verbose_name_plural = _("人民代表大会")
        ordering = ["region__path"]

    def __str__(self) -> str:
        return self.name

    @property
    def has_standing_committee(self) -> bool:
        # Township congresses have a presidium (主席团), not a standing committee.
        return self.level != CongressLevel.TOWNSHIP

    def current_term(self) -> Term | None:
        return self.terms.order_by("-number").first()


class Term(models.Model):
    """A term of a congress (届), normally five years."""

    congress = models.ForeignKey(
        Congress, verbose_name=_("人大"), on_delete=models.CASCADE, related_name="terms"
    )
    number = models.PositiveSmallIntegerField(_("届次"))
    starts_on = models.DateField(_("开始日期"))
    ends_on = models.DateField(_("结束日期"), null=True, blank=True)

    class Meta:
        verbose_name = _("届")
        verbose_name_plural = _("届")
        ordering = ["congress", "-number"]
        constraints = [
            models.UniqueConstraint(fields=["congress", "number"], name="term_unique_number")
        ]

    def __str__(self) -> str:
        return _("%(congress)s第%(number)s届") % {"congress": self.congress, "number": self.number}


class SessionKind(models.TextChoices):
    PLENARY = "plenary", _("人民代表大会会议")
    STANDING_COMMITTEE = "standing", _("常委会会议")
    PRESIDIUM = "presidium", _("主席团会议")
    CHAIRPERSONS = "chairpersons", _("主任会议")


class Session(models.Model):
    """A meeting of a congress within a term (第N次会议)."""

    term = models.ForeignKey(
        Term, verbose_name=_("届"), on_delete=models.CASCADE, related_name="sessions"
    )
    kind = models.CharField(_("会议类型"), max_length=16, choices=SessionKind.choices)
    number = models.PositiveSmallIntegerField(_("次"))
    opens_on = models.DateField(_("开幕日期"))
    closes_on = models.DateField(_("闭幕日期"))

    class Meta:
        verbose_name = _("会议")
        verbose_name_plural = _("会议")
        ordering = ["-opens_on"]
        constraints = [
            models.UniqueConstraint(
                fields=["term", "kind", "number"], name="session_unique_number"
            ),
            models.CheckConstraint(
                condition=models.Q(closes_on__gte=models.F("opens_on")),
                name="session_closes_after_opening",
            ),
        ]

    def __str__(self) -> str:
        if self.kind == SessionKind.PLENARY:
            return _("%(term)s第%(number)s次会议") % {"term": self.term, "number": self.number}
        return _("%(term)s%(kind)s第%(number)s次会议") % {
            "term": self.term,
            "kind": self.get_kind_display(),
            "number": self.number,
        }


class WorkingCommittee(models.Model):
    """街道人大工作委员会 (人大工委): a subdistrict (街道) has no people's congress; the
    district's (county's) standing committee works there through this committee
    (地方组织法 第五十九条). Its staff are the district's congress staff with a grant on
    the 街道 region; the 议政会 of voter delegates is the subdistrict's (VoterDelegate)."""

    region = models.OneToOneField(
        Region,
        verbose_name=_("街道"),
        on_delete=models.PROTECT,
        related_name="working_committee",
    )
    congress = models.ForeignKey(
        Congress,
        verbose_name=_("所属区（县）人大"),
        on_delete=models.PROTECT,
        related_name="working_committees",
    )
    name = models.CharField(_("名称"), max_length=100)

    class Meta:
        verbose_name = _("街道人大工委")
        verbose_name_plural = _("街道人大工委")
        ordering = ["region__path"]

    def __str__(self) -> str:
        return self.name
