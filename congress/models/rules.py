"""Rules per congress: the value each congress has chosen for a rule, inherited from the
congress above when it has chosen none (docs/rules.md)."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from congress.models.regions import Congress


class CongressRule(models.Model):
    """A congress's own value of one rule of ``congress.rules``'s registry. No row: the
    congress follows the congress above it (by region path), else the installation's
    setting, else the law's or practice's default. Each change is an audit row
    (``congress.rules.congress_rules_save``), so the row holds only the current value."""

    congress = models.ForeignKey(
        Congress, verbose_name=_("人大"), on_delete=models.CASCADE, related_name="rule_values"
    )
    key = models.CharField(_("规则"), max_length=64)
    value = models.JSONField(_("取值"))
    set_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("设置人"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    set_at = models.DateTimeField(_("设置时间"))

    class Meta:
        verbose_name = _("人大规则")
        verbose_name_plural = _("人大规则")
        constraints = [
            # Also the index of the one read: the rows of a region's congresses.
            models.UniqueConstraint(fields=["congress", "key"], name="congress_rule_unique_key")
        ]
        # One rule's rows across every congress (``congress.rules.rule_map``: the daily
        # duty run, retention, representatives' SMS mode on each notification).
        indexes = [models.Index(fields=["key"], name="congress_rule_key")]

    def __str__(self) -> str:
        return f"{self.congress_id}:{self.key}"


class CongressRuleChange(models.Model):
    """One change of a congress's rule, for the rules page's history: read by the
    congress on its own index instead of searching the whole audit trail, which keeps
    the same change as the record of who did what (``AuditEvent``)."""

    congress = models.ForeignKey(
        Congress, verbose_name=_("人大"), on_delete=models.CASCADE, related_name="+"
    )
    key = models.CharField(_("规则"), max_length=64)
    before = models.JSONField(_("原值"), null=True, blank=True)  # None: followed the congress above
    after = models.JSONField(_("新值"), null=True, blank=True)
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("设置人"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    at = models.DateTimeField(_("设置时间"))

    class Meta:
        verbose_name = _("人大规则变更")
        verbose_name_plural = _("人大规则变更")
        indexes = [
            models.Index(fields=["congress", "-at", "-id"], name="congress_rule_change_recent")
        ]

    def __str__(self) -> str:
        return f"{self.congress_id}:{self.key}@{self.at:%Y-%m-%d}"
