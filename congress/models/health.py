"""Heartbeats of the background processes, read by /healthz."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class Heartbeat(models.Model):
    """The last sign of life of one background process: ``beat``, or ``worker:<node>``
    (one row per worker, so a container's own check does not pass on another's)."""

    process = models.CharField(_("进程"), max_length=200, primary_key=True)
    beat_at = models.DateTimeField(_("最近心跳"))

    class Meta:
        verbose_name = _("后台进程心跳")
        verbose_name_plural = _("后台进程心跳")

    def __str__(self) -> str:
        return self.process
