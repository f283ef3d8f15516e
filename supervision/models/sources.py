"""A topic's linked sources: citizen problems and suggestions behind it (docs/supervision-sources.md).

A source names a case of the closed loop by its case-type key and id (the core's
registry, ``congress.topic_sources``, knows the apps that hold them: supervision
imports none of them). The title is a snapshot of the case's category, place and
date, never a citizen's name, phone or tracking link, so the topic's page and its
exports carry no personal data; the case's own page enforces its own access.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from supervision.models.topics import Topic


class TopicSource(models.Model):
    topic = models.ForeignKey(
        Topic, verbose_name=_("监督议题"), on_delete=models.CASCADE, related_name="sources"
    )
    case_type = models.CharField(_("事项类型"), max_length=60)
    case_id = models.PositiveBigIntegerField(_("事项ID"))
    number = models.CharField(_("编号"), max_length=30, blank=True)
    title = models.CharField(_("摘要"), max_length=200)
    case_created_at = models.DateTimeField(_("提出时间"))
    linked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("关联人"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    linked_at = models.DateTimeField(_("关联时间"), auto_now_add=True)

    class Meta:
        verbose_name = _("议题来源")
        verbose_name_plural = _("议题来源")
        ordering = ["-case_created_at", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["topic", "case_type", "case_id"], name="supervision_source_unique"
            )
        ]
        indexes = [
            # The topic's page lists its sources newest first on this index.
            models.Index(
                fields=["topic", "case_created_at", "id"], name="supervision_source_topic"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.number} {self.title}".strip()
