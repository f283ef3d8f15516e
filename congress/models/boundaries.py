"""Region boundaries (GeoJSON) loaded by administrators for the dashboard's map (docs/dashboard.md)."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from congress.models.regions import Region


class RegionBoundary(models.Model):
    """The boundaries of one region's children, as an administrator loaded them
    (``congress.boundaries.boundary_load``): one FeatureCollection, each feature matched
    to exactly one child region. A new load replaces the row (one per region).

    ``geojson`` is the collection the map is drawn from: the geometry as loaded, each
    feature's properties reduced to the child it was matched to (``region_id``, ``code``,
    ``name``), so it is served as stored, without parsing, and the map keys its areas by
    the child's id (a renamed region stays on the map)."""

    region = models.OneToOneField(
        Region, verbose_name=_("行政区划"), on_delete=models.CASCADE, related_name="boundary"
    )
    geojson = models.TextField(_("边界（GeoJSON）"))
    matched_ids = models.JSONField(_("对应的下级区划"), default=list)
    feature_count = models.PositiveIntegerField(_("要素数"), default=0)
    size = models.PositiveIntegerField(_("大小（字节）"), default=0)
    source_name = models.CharField(_("文件名"), max_length=200, blank=True)
    loaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("加载人"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    loaded_at = models.DateTimeField(_("加载时间"))

    class Meta:
        verbose_name = _("区划边界")
        verbose_name_plural = _("区划边界")

    def __str__(self) -> str:
        return f"{self.region} · {self.feature_count}"
