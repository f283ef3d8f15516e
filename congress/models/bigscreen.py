"""Models of the big screen (数据大屏): the read-only signed links (docs/dashboard.md,
"Big screen")."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from congress.models.regions import Region


class BigScreenLink(models.Model):
    """A read-only link that opens one region's big screen without signing in.

    Only the SHA-256 of the token is stored: whoever reads the table (a backup, a
    support query) cannot open a screen. The token itself is shown once, to the staff
    member who made it. A revoked link answers 404 like one that never existed."""

    region = models.ForeignKey(
        Region, verbose_name=_("行政区划"), on_delete=models.PROTECT, related_name="+"
    )
    label = models.CharField(_("用途"), max_length=100)
    token_hash = models.CharField(max_length=64, unique=True, editable=False)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("创建人"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    created_at = models.DateTimeField(_("创建时间"), auto_now_add=True)
    last_used_at = models.DateTimeField(_("最近使用"), null=True, blank=True, editable=False)
    revoked_at = models.DateTimeField(_("撤销时间"), null=True, blank=True, editable=False)
    revoked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("撤销人"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )

    class Meta:
        verbose_name = _("大屏链接")
        verbose_name_plural = _("大屏链接")
        ordering = ["-created_at", "-pk"]
        # The list of a jurisdiction's links is read newest first (keyset pages).
        indexes = [models.Index(fields=["created_at", "id"], name="bigscreen_link_created")]

    def __str__(self) -> str:
        return f"{self.region} · {self.label}"

    @property
    def revoked(self) -> bool:
        return self.revoked_at is not None
