"""The year's projects (民生实事项目): each an elected candidate, implemented by its
responsible department and watched by the congress until the year-end rating
(docs/livelihood-year.md). Progress facts are kept on the row by the services so that
lists and the public pages read one row per project."""

from __future__ import annotations

from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from congress.models import Department
from congress.models.ballots import Rating
from livelihood_votes.models.cycles import Cycle
from livelihood_votes.models.votes import Candidate


class ProjectStatus(models.TextChoices):
    PLANNING = "planning", _("制定计划")
    IMPLEMENTING = "implementing", _("实施中")
    COMPLETED = "completed", _("已完成")
    RECTIFYING = "rectifying", _("整改中")
    CLOSED = "closed", _("已办结")


class Project(models.Model):
    """One elected project of a cycle. A project rated 不满意 is carried into the next
    year's tracking as a new row whose ``carried_from`` is the old one."""

    cycle = models.ForeignKey(
        Cycle, verbose_name=_("年度工作"), on_delete=models.PROTECT, related_name="projects"
    )
    candidate = models.OneToOneField(
        Candidate,
        verbose_name=_("候选项目"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="project",
    )
    carried_from = models.ForeignKey(
        "self",
        verbose_name=_("上年度结转项目"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="carried_into",
    )
    title = models.CharField(_("项目名称"), max_length=200)
    summary = models.TextField(_("主要内容"), blank=True)
    department = models.ForeignKey(
        Department,
        verbose_name=_("责任单位"),
        on_delete=models.PROTECT,
        related_name="livelihood_projects",
    )
    budget = models.DecimalField(
        _("预算（万元）"),
        max_digits=12,
        decimal_places=2,
        null=True,
        blank=True,
        validators=[MinValueValidator(0)],
    )
    deadline = models.DateField(_("完成时限"), null=True, blank=True)
    order = models.PositiveSmallIntegerField(_("序号"), default=0)
    status = models.CharField(
        _("状态"),
        max_length=16,
        choices=ProjectStatus.choices,
        default=ProjectStatus.PLANNING,
        editable=False,
    )
    # Facts kept by the services (the last accepted monthly report, the milestones).
    percent_complete = models.PositiveSmallIntegerField(
        _("完成进度（%）"), default=0, validators=[MaxValueValidator(100)], editable=False
    )
    spent = models.DecimalField(
        _("已完成投资（万元）"), max_digits=12, decimal_places=2, default=0, editable=False
    )
    behind_schedule = models.BooleanField(_("进度滞后"), default=False, editable=False)
    # The year-end rating's decision (ratings.py), once published.
    rating = models.CharField(
        _("测评结果"), max_length=16, choices=Rating.choices, blank=True, editable=False
    )
    version = models.PositiveIntegerField(default=0, editable=False)
    created_at = models.DateTimeField(_("创建时间"), auto_now_add=True)

    class Meta:
        verbose_name = _("民生实事项目")
        verbose_name_plural = _("民生实事项目")
        ordering = ["cycle", "order", "pk"]
        indexes = [
            models.Index(fields=["cycle", "status"], name="project_cycle_status"),
            models.Index(fields=["department", "status"], name="project_department_status"),
        ]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("livelihood_project_detail", args=[self.pk])
