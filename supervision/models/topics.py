"""Supervision plans, topics and findings (监督法 2024 第十一条 年度监督工作计划).

A congress's standing committee adopts a plan per year (``SupervisionPlan``); each item of
it is a ``Topic`` of one kind (专题询问, 专项工作报告审议, 执法检查, …), with the departments
concerned, the committees in charge (``Committee``) and a leadership group
(``TopicMember``). Meetings, reports and evaluation votes (``models/meetings.py``) and
department evaluations (``models/evaluation.py``) hang from a topic.

A topic's region is its congress's region, copied onto the row so every scope filters on
the topic alone (docs/architecture.md, "Who sees what").
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from congress.models import Congress, Department, Region


class PlanStatus(models.TextChoices):
    DRAFT = "draft", _("草案")
    ADOPTED = "adopted", _("已通过")


class SupervisionPlan(models.Model):
    """The standing committee's supervision plan for one year (年度监督工作计划)."""

    congress = models.ForeignKey(
        Congress,
        verbose_name=_("人大"),
        on_delete=models.PROTECT,
        related_name="supervision_plans",
    )
    region = models.ForeignKey(
        Region,
        verbose_name=_("行政区划"),
        on_delete=models.PROTECT,
        related_name="+",
        editable=False,
    )
    year = models.PositiveSmallIntegerField(_("年度"))
    title = models.CharField(_("名称"), max_length=200)
    status = models.CharField(
        _("状态"),
        max_length=12,
        choices=PlanStatus.choices,
        default=PlanStatus.DRAFT,
        editable=False,
    )
    version = models.PositiveIntegerField(default=0, editable=False)
    adopted_on = models.DateField(_("通过日期"), null=True, blank=True)
    notes = models.TextField(_("说明"), blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("创建人"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    created_at = models.DateTimeField(_("创建时间"), auto_now_add=True)

    class Meta:
        verbose_name = _("监督工作计划")
        verbose_name_plural = _("监督工作计划")
        ordering = ["-year", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["congress", "year"], name="supervision_plan_one_per_year"
            )
        ]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("supervision_plan_detail", args=[self.pk])


class Committee(models.Model):
    """A committee of the congress (专门委员会 / 常委会工作委员会) that can be in charge of topics."""

    congress = models.ForeignKey(
        Congress,
        verbose_name=_("人大"),
        on_delete=models.PROTECT,
        related_name="supervision_committees",
    )
    name = models.CharField(_("名称"), max_length=100)
    is_active = models.BooleanField(_("在用"), default=True)

    class Meta:
        verbose_name = _("委员会")
        verbose_name_plural = _("委员会")
        ordering = ["congress", "name"]
        constraints = [
            models.UniqueConstraint(
                fields=["congress", "name"], name="supervision_committee_unique_name"
            )
        ]

    def __str__(self) -> str:
        return self.name


class TopicKind(models.TextChoices):
    INQUIRY = "inquiry", _("专题询问")
    WORK_REPORT = "work_report", _("专项工作报告审议")
    LAW_ENFORCEMENT = "law_enforcement", _("执法检查")
    CAMPAIGN = "campaign", _("专项监督")
    DEPARTMENT_EVALUATION = "department_evaluation", _("工作评议")
    BUDGET_AUDIT = "budget_audit", _("计划、预算和审计监督")


class TopicStatus(models.TextChoices):
    PLANNED = "planned", _("计划中")
    ACTIVE = "active", _("实施中")
    RECTIFYING = "rectifying", _("整改中")
    COMPLETED = "completed", _("已完成")
    CANCELLED = "cancelled", _("已取消")


class Topic(models.Model):
    """One item of a plan: a subject the standing committee supervises this year."""

    plan = models.ForeignKey(
        SupervisionPlan,
        verbose_name=_("监督工作计划"),
        on_delete=models.PROTECT,
        related_name="topics",
    )
    # The plan's congress and region, copied so lists and scopes read this row alone.
    congress = models.ForeignKey(
        Congress,
        verbose_name=_("人大"),
        on_delete=models.PROTECT,
        related_name="supervision_topics",
        editable=False,
    )
    region = models.ForeignKey(
        Region,
        verbose_name=_("行政区划"),
        on_delete=models.PROTECT,
        related_name="+",
        editable=False,
    )
    kind = models.CharField(_("监督方式"), max_length=24, choices=TopicKind.choices)
    title = models.CharField(_("议题"), max_length=200)
    description = models.TextField(_("内容说明"), blank=True)
    departments = models.ManyToManyField(
        Department, verbose_name=_("相关部门"), blank=True, related_name="supervision_topics"
    )
    committees = models.ManyToManyField(
        Committee, verbose_name=_("牵头委员会"), blank=True, related_name="topics"
    )
    starts_on = models.DateField(_("开始日期"), null=True, blank=True)
    ends_on = models.DateField(_("计划完成日期"), null=True, blank=True)
    status = models.CharField(
        _("状态"),
        max_length=12,
        choices=TopicStatus.choices,
        default=TopicStatus.PLANNED,
        editable=False,
    )
    version = models.PositiveIntegerField(default=0, editable=False)
    # Progress toward 销号清零, kept by the findings' services in the same transaction
    # (docs/architecture.md, "Reads that do not grow with the data").
    findings_count = models.PositiveIntegerField(_("问题数"), default=0, editable=False)
    findings_closed_off = models.PositiveIntegerField(_("已销号"), default=0, editable=False)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("创建人"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    created_at = models.DateTimeField(_("创建时间"), auto_now_add=True)

    class Meta:
        verbose_name = _("监督议题")
        verbose_name_plural = _("监督议题")
        ordering = ["-created_at", "-pk"]
        indexes = [
            models.Index(fields=["region", "created_at", "id"], name="supervision_topic_region"),
        ]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("supervision_topic_detail", args=[self.pk])


class GroupRole(models.TextChoices):
    LEADER = "leader", _("组长")
    DEPUTY = "deputy", _("副组长")
    MEMBER = "member", _("成员")


GROUP_ROLE_RANK = {GroupRole.LEADER: 1, GroupRole.DEPUTY: 2, GroupRole.MEMBER: 3}


class TopicMember(models.Model):
    """A member of a topic's leadership group (领导小组 / 检查组 / 调研组)."""

    topic = models.ForeignKey(
        Topic, verbose_name=_("监督议题"), on_delete=models.CASCADE, related_name="members"
    )
    role = models.CharField(
        _("职务"), max_length=8, choices=GroupRole.choices, default=GroupRole.MEMBER
    )
    name = models.CharField(_("姓名"), max_length=50)
    position = models.CharField(_("单位及职务"), max_length=100, blank=True)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("账号"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="supervision_memberships",
    )

    # 组长 first, then 副组长, then 成员: set from the role on save.
    rank = models.PositiveSmallIntegerField(default=3, editable=False)

    class Meta:
        verbose_name = _("领导小组成员")
        verbose_name_plural = _("领导小组成员")
        ordering = ["topic", "rank", "pk"]

    def __str__(self) -> str:
        return f"{self.get_role_display()} {self.name}"

    def save(self, *args: object, **kwargs: object) -> None:
        self.rank = GROUP_ROLE_RANK.get(self.role, 3)
        super().save(*args, **kwargs)  # type: ignore[arg-type]
