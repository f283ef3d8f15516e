"""Supervision plans, topics and findings (监督法 2024: the standing committee's annual supervision plan, 年度监督工作计划).

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
    # Set when the staff publish the topic's findings (向社会公布): the public page shows
    # them (titles, categories, departments, dates, status), never notes or evidence.
    published_at = models.DateTimeField(_("公布时间"), null=True, blank=True, editable=False)
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
            models.Index(
                fields=["region", "published_at", "id"], name="supervision_topic_published"
            ),
        ]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("supervision_topic_detail", args=[self.pk])


class GroupRole(models.TextChoices):
    LEADER = "leader", _("组长")
    DEPUTY = "deputy", _("副组长")
    MEMBER = "member", _("成员")


GROUP_ROLE_RANK: dict[str, int] = {"leader": 1, "deputy": 2, "member": 3}


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


class FindingCategory(models.Model):
    """A category of a topic's findings (问题清单 的 类别, e.g. 9 categories in an inquiry)."""

    topic = models.ForeignKey(
        Topic, verbose_name=_("监督议题"), on_delete=models.CASCADE, related_name="categories"
    )
    number = models.PositiveSmallIntegerField(_("序号"), default=1)
    title = models.CharField(_("类别"), max_length=200)

    class Meta:
        verbose_name = _("问题类别")
        verbose_name_plural = _("问题类别")
        ordering = ["topic", "number", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["topic", "title"], name="supervision_category_unique")
        ]

    def __str__(self) -> str:
        return self.title


class FindingStatus(models.TextChoices):
    RECTIFYING = "rectifying", _("整改中")
    CLAIMED = "claimed", _("申请销号")
    CLOSED_OFF = "closed_off", _("已销号")


class Finding(models.Model):
    """One specific problem found (问题清单的一项), handed to exactly one responsible
    department (对号入座) through the closed-loop engine, until staff close it off (销号)."""

    topic = models.ForeignKey(
        Topic, verbose_name=_("监督议题"), on_delete=models.PROTECT, related_name="findings"
    )
    category = models.ForeignKey(
        FindingCategory,
        verbose_name=_("问题类别"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="findings",
    )
    # The topic's region, copied: staff scopes filter on the finding alone.
    region = models.ForeignKey(
        Region,
        verbose_name=_("行政区划"),
        on_delete=models.PROTECT,
        related_name="+",
        editable=False,
    )
    number = models.PositiveIntegerField(_("编号"), editable=False)
    title = models.CharField(_("问题"), max_length=300)
    description = models.TextField(_("具体表现"), blank=True)
    department = models.ForeignKey(
        Department,
        verbose_name=_("责任单位"),
        on_delete=models.PROTECT,
        related_name="supervision_findings",
    )
    measures = models.TextField(_("整改措施"), blank=True)
    is_long_term = models.BooleanField(_("长期整改"), default=False)
    target = models.TextField(_("整改目标"), blank=True)
    milestones = models.TextField(_("阶段性计划"), blank=True, help_text=_("每行一项"))
    is_flagged = models.BooleanField(_("挂牌督办"), default=False)
    status = models.CharField(
        _("状态"),
        max_length=12,
        choices=FindingStatus.choices,
        default=FindingStatus.RECTIFYING,
        editable=False,
    )
    version = models.PositiveIntegerField(default=0, editable=False)
    # The due date of the open step (None once replied or closed off), kept by the
    # engine's on_steps_changed: 已超期 is due_on < today on an index.
    due_on = models.DateField(_("整改期限"), null=True, blank=True, editable=False)
    assignment = models.OneToOneField(
        "congress.Assignment",
        null=True,
        blank=True,
        editable=False,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    evidence = models.TextField(_("销号依据"), blank=True, editable=False)
    closed_off_at = models.DateTimeField(_("销号时间"), null=True, blank=True, editable=False)
    closed_on_time = models.BooleanField(null=True, editable=False)
    created_at = models.DateTimeField(_("创建时间"), auto_now_add=True)

    class Meta:
        verbose_name = _("问题清单")
        verbose_name_plural = _("问题清单")
        ordering = ["topic", "number"]
        constraints = [
            models.UniqueConstraint(fields=["topic", "number"], name="supervision_finding_number")
        ]
        indexes = [
            models.Index(fields=["department", "created_at", "id"], name="sup_finding_department"),
            models.Index(fields=["region", "status", "due_on"], name="sup_finding_region_due"),
            models.Index(fields=["topic", "status", "due_on"], name="sup_finding_topic_due"),
        ]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("supervision_finding_detail", args=[self.pk])


class InvestigationMethod(models.TextChoices):
    HEARING = "hearing", _("听取汇报")
    SITE_VISIT = "site_visit", _("实地察看")
    SYMPOSIUM = "symposium", _("座谈会")
    UNANNOUNCED = "unannounced", _("明察暗访")
    QUESTIONNAIRE = "questionnaire", _("问卷调查")


class Investigation(models.Model):
    """A visit of a topic's group (调研、视察)."""

    topic = models.ForeignKey(
        Topic, verbose_name=_("监督议题"), on_delete=models.CASCADE, related_name="investigations"
    )
    held_on = models.DateField(_("日期"))
    place = models.CharField(_("地点"), max_length=200)
    method = models.CharField(_("方式"), max_length=16, choices=InvestigationMethod.choices)
    participants = models.TextField(_("参加人员"), blank=True)
    notes = models.TextField(_("情况记录"), blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("记录人"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    created_at = models.DateTimeField(_("创建时间"), auto_now_add=True)

    class Meta:
        verbose_name = _("调研视察")
        verbose_name_plural = _("调研视察")
        ordering = ["topic", "held_on", "pk"]

    def __str__(self) -> str:
        return f"{self.held_on} {self.place}"


def investigation_photo_path(instance: InvestigationPhoto, filename: str) -> str:
    return f"supervision/{instance.token}{instance.extension}"


class InvestigationPhoto(models.Model):
    """A photo of a visit, checked and re-encoded by ``congress.uploads`` (no metadata)."""

    investigation = models.ForeignKey(
        Investigation, verbose_name=_("调研视察"), on_delete=models.CASCADE, related_name="photos"
    )
    token = models.CharField(max_length=32, unique=True, editable=False)
    file = models.FileField(_("照片"), upload_to=investigation_photo_path, max_length=200)
    original_name = models.CharField(_("文件名"), max_length=120)
    extension = models.CharField(max_length=10)
    content_type = models.CharField(max_length=80)

    class Meta:
        verbose_name = _("调研照片")
        verbose_name_plural = _("调研照片")

    def __str__(self) -> str:
        return self.original_name


class FollowUpReview(models.Model):
    """回头看: a review scheduled after N months that reopens the topic's unresolved
    findings and records what changed."""

    topic = models.ForeignKey(
        Topic, verbose_name=_("监督议题"), on_delete=models.CASCADE, related_name="reviews"
    )
    scheduled_on = models.DateField(_("计划日期"))
    held_on = models.DateField(_("开展日期"), null=True, blank=True, editable=False)
    summary = models.TextField(_("整改变化情况"), blank=True)
    reopened = models.PositiveIntegerField(_("重新整改问题数"), default=0, editable=False)
    # The review is a loop item of the congress staff of the topic's region, due on
    # ``scheduled_on``: the engine reminds them and escalates to the region above.
    assignment = models.OneToOneField(
        "congress.Assignment",
        null=True,
        blank=True,
        editable=False,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    created_at = models.DateTimeField(_("创建时间"), auto_now_add=True)

    class Meta:
        verbose_name = _("回头看")
        verbose_name_plural = _("回头看")
        ordering = ["topic", "scheduled_on", "pk"]

    def __str__(self) -> str:
        return str(self.scheduled_on)
