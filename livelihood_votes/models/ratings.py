"""The year-end rating (满意度测评) of the year's projects and the rectification of a
project rated 不满意 (docs/livelihood-rating.md).

A cycle has at most one rating round. Its ballots are the core's secret ballot box (one
option per project, the rating form, the cycle's electorate frozen when it opens); the
round keeps the outcome rule's name, copied from the setting when it opens, so a later
change of setting never changes a published result. At the close each project's result
is written here (the counts and the decision) and the decision on the project's row.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from congress.models import BallotBox, Department, Region
from congress.models.ballots import Rating
from livelihood_votes.models.cycles import Cycle
from livelihood_votes.models.projects import Project


class RatingStatus(models.TextChoices):
    OPEN = "open", _("测评中")
    CLOSED = "closed", _("已计票")
    PUBLISHED = "published", _("已公布")


class RatingRound(models.Model):
    """One cycle's year-end rating: its window (the cycle's evaluation dates when it
    opened), its ballot box, its outcome rule and its status."""

    cycle = models.OneToOneField(
        Cycle, verbose_name=_("年度工作"), on_delete=models.PROTECT, related_name="rating_round"
    )
    region = models.ForeignKey(
        Region, verbose_name=_("行政区划"), on_delete=models.PROTECT, related_name="+"
    )
    status = models.CharField(
        _("状态"),
        max_length=12,
        choices=RatingStatus.choices,
        default=RatingStatus.OPEN,
        editable=False,
    )
    box = models.OneToOneField(
        BallotBox,
        verbose_name=_("票箱"),
        on_delete=models.PROTECT,
        related_name="livelihood_rating",
    )
    outcome_rule = models.CharField(_("结果规则"), max_length=40)
    electorate = models.PositiveIntegerField(_("应参加测评人数"), default=0)
    opens_on = models.DateField(_("测评开始日期"))
    closes_on = models.DateField(_("测评截止日期"))
    opened_at = models.DateTimeField(_("开始时间"), auto_now_add=True)
    closed_at = models.DateTimeField(_("计票时间"), null=True, blank=True)
    published_at = models.DateTimeField(_("公布时间"), null=True, blank=True)
    opened_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("开始人"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    version = models.PositiveIntegerField(default=0, editable=False)

    class Meta:
        verbose_name = _("民生实事项目满意度测评")
        verbose_name_plural = _("民生实事项目满意度测评")
        ordering = ["-opened_at", "-pk"]
        indexes = [models.Index(fields=["status", "-opened_at"], name="rating_round_status")]

    def __str__(self) -> str:
        return str(_("%(cycle)s满意度测评") % {"cycle": self.cycle.title})

    def get_absolute_url(self) -> str:
        return reverse("livelihood_rating_manage", args=[self.cycle_id])


class RatingResult(models.Model):
    """One project's result in a closed round: the counts of each level and the
    decision of the round's outcome rule."""

    round = models.ForeignKey(
        RatingRound, verbose_name=_("测评"), on_delete=models.CASCADE, related_name="results"
    )
    project = models.ForeignKey(
        Project, verbose_name=_("项目"), on_delete=models.PROTECT, related_name="rating_results"
    )
    satisfied = models.PositiveIntegerField(_("满意"), default=0)
    basic = models.PositiveIntegerField(_("基本满意"), default=0)
    dissatisfied = models.PositiveIntegerField(_("不满意"), default=0)
    decision = models.CharField(_("测评结果"), max_length=16, choices=Rating.choices)

    class Meta:
        verbose_name = _("项目测评结果")
        verbose_name_plural = _("项目测评结果")
        ordering = ["round", "project__order", "project__pk"]
        constraints = [
            models.UniqueConstraint(fields=["round", "project"], name="rating_result_once")
        ]

    def __str__(self) -> str:
        return f"{self.project} · {self.get_decision_display()}"


class RectificationStatus(models.TextChoices):
    RECTIFYING = "rectifying", _("整改中")
    REPORTED = "reported", _("已报告整改情况")


class Rectification(models.Model):
    """整改: a project rated 不满意 is handed back to its responsible department, which
    rectifies and reports again. The deadline, reminders and escalation are the core
    loop's assignment of this case (case id: this row); ``carried_into`` is the
    project's row in the next year's cycle."""

    project = models.OneToOneField(
        Project,
        verbose_name=_("项目"),
        on_delete=models.PROTECT,
        related_name="rectification",
    )
    round = models.ForeignKey(
        RatingRound,
        verbose_name=_("测评"),
        on_delete=models.PROTECT,
        related_name="rectifications",
    )
    department = models.ForeignKey(
        Department, verbose_name=_("责任单位"), on_delete=models.PROTECT, related_name="+"
    )
    region = models.ForeignKey(
        Region, verbose_name=_("行政区划"), on_delete=models.PROTECT, related_name="+"
    )
    carried_into = models.OneToOneField(
        Project,
        verbose_name=_("结转到下年度的项目"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    status = models.CharField(
        _("状态"),
        max_length=12,
        choices=RectificationStatus.choices,
        default=RectificationStatus.RECTIFYING,
        editable=False,
    )
    created_at = models.DateTimeField(_("交办时间"), auto_now_add=True)

    class Meta:
        verbose_name = _("测评不满意项目整改")
        verbose_name_plural = _("测评不满意项目整改")
        ordering = ["-created_at", "-pk"]
        indexes = [models.Index(fields=["department", "status"], name="rectification_dept_status")]

    def __str__(self) -> str:
        return str(_("整改：%(title)s") % {"title": self.project.title})

    def get_absolute_url(self) -> str:
        return reverse("livelihood_rectification_detail", args=[self.pk])
