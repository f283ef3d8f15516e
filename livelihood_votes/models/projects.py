"""The year's projects (民生实事项目): each an elected candidate, implemented by its
responsible department and watched by the congress until the year-end rating
(docs/livelihood-year.md). Progress facts are kept on the row by the services so that
lists and the public pages read one row per project."""

from __future__ import annotations

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from congress.models import Department
from congress.models.ballots import Rating
from livelihood_votes.models.cycles import Cycle
from livelihood_votes.models.votes import Candidate
from representatives.models import Representative


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
    # The plan (docs/livelihood-projects.md, "The plan").
    place = models.CharField(_("实施地点"), max_length=200, blank=True)
    starts_on = models.DateField(_("计划开始日期"), null=True, blank=True)
    co_departments = models.ManyToManyField(
        Department,
        verbose_name=_("配合单位"),
        blank=True,
        related_name="livelihood_co_projects",
    )
    # The "1+1+N" supervision group: a leading member, a committee, N representatives.
    group_leader = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("牵头领导"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="livelihood_projects_led",
    )
    group_committee = models.CharField(_("联系专委会"), max_length=100, blank=True)
    group_members = models.ManyToManyField(
        Representative,
        verbose_name=_("监督代表"),
        blank=True,
        related_name="livelihood_projects",
    )
    # More facts kept by the services: the last filed report (its month and text are
    # what the public page shows) and the next milestone not yet done.
    last_report_on = models.DateField(_("最近报告月份"), null=True, blank=True, editable=False)
    next_milestone_on = models.DateField(_("下一节点日期"), null=True, blank=True, editable=False)
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


class Milestone(models.Model):
    """A dated step of a project's plan (节点). Done when the department or staff mark it."""

    project = models.ForeignKey(
        Project, verbose_name=_("项目"), on_delete=models.CASCADE, related_name="milestones"
    )
    title = models.CharField(_("节点内容"), max_length=200)
    due_on = models.DateField(_("计划完成日期"))
    done_on = models.DateField(_("实际完成日期"), null=True, blank=True, editable=False)

    class Meta:
        verbose_name = _("实施节点")
        verbose_name_plural = _("实施节点")
        ordering = ["project", "due_on", "pk"]
        indexes = [models.Index(fields=["project", "due_on"], name="milestone_project_due")]

    def __str__(self) -> str:
        return self.title


class ReportStatus(models.TextChoices):
    AWAITED = "awaited", _("待报送")
    FILED = "filed", _("已报送")
    CANCELLED = "cancelled", _("已取消")


class ProgressReport(models.Model):
    """The responsible department's report for one month (月度进度报告): awaited from the
    1st of the month (a loop item of the department), filed with the percent complete,
    the money spent, what was done, the problems met and photos."""

    project = models.ForeignKey(
        Project, verbose_name=_("项目"), on_delete=models.CASCADE, related_name="reports"
    )
    month = models.DateField(_("月份"), help_text=_("该月的第一天"))
    due_on = models.DateField(_("报送期限"))
    status = models.CharField(
        _("状态"),
        max_length=16,
        choices=ReportStatus.choices,
        default=ReportStatus.AWAITED,
        editable=False,
    )
    percent_complete = models.PositiveSmallIntegerField(
        _("完成进度（%）"), null=True, blank=True, validators=[MaxValueValidator(100)]
    )
    spent = models.DecimalField(
        _("累计完成投资（万元）"), max_digits=12, decimal_places=2, null=True, blank=True
    )
    text = models.TextField(_("本月进展"), blank=True)
    problems = models.TextField(_("存在问题"), blank=True)
    backwards_reason = models.TextField(_("进度回调原因"), blank=True)
    filed_at = models.DateTimeField(_("报送时间"), null=True, blank=True, editable=False)
    filed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("报送人"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        editable=False,
    )
    late = models.BooleanField(_("逾期报送"), default=False, editable=False)
    version = models.PositiveIntegerField(default=0, editable=False)

    class Meta:
        verbose_name = _("月度进度报告")
        verbose_name_plural = _("月度进度报告")
        ordering = ["project", "-month"]
        constraints = [
            models.UniqueConstraint(fields=["project", "month"], name="report_one_per_month"),
        ]
        indexes = [
            models.Index(fields=["status", "due_on"], name="project_report_status_due"),
        ]

    def __str__(self) -> str:
        return f"{self.project} {self.month:%Y-%m}"


def project_photo_path(instance: ProjectPhoto, filename: str) -> str:
    return f"livelihood/{instance.token}{instance.extension}"


class ProjectPhoto(models.Model):
    """A photo of a monthly report or of an inspection, checked and re-encoded by
    ``congress.uploads`` (no metadata, no position). A report's photos are shown on the
    public page once the report is filed; an inspection's only to who sees the project."""

    report = models.ForeignKey(
        ProgressReport,
        verbose_name=_("月度进度报告"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="photos",
    )
    inspection = models.ForeignKey(
        "Inspection",
        verbose_name=_("视察"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="photos",
    )
    token = models.CharField(max_length=32, unique=True, editable=False)
    file = models.FileField(_("照片"), upload_to=project_photo_path, max_length=200)
    original_name = models.CharField(_("文件名"), max_length=120)
    extension = models.CharField(max_length=10)
    content_type = models.CharField(max_length=80)

    class Meta:
        verbose_name = _("项目照片")
        verbose_name_plural = _("项目照片")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(report__isnull=False, inspection__isnull=True)
                | models.Q(report__isnull=True, inspection__isnull=False),
                name="project_photo_one_owner",
            )
        ]

    def __str__(self) -> str:
        return self.original_name


class InspectionKind(models.TextChoices):
    INSPECTION = "inspection", _("视察")
    MIDYEAR = "midyear", _("年中视察")


class Inspection(models.Model):
    """视察 by the project's 1+1+N group (or the mid-year inspection of the year's
    projects), with notes and photos."""

    project = models.ForeignKey(
        Project, verbose_name=_("项目"), on_delete=models.CASCADE, related_name="inspections"
    )
    kind = models.CharField(
        _("类型"), max_length=16, choices=InspectionKind.choices, default=InspectionKind.INSPECTION
    )
    held_on = models.DateField(_("视察日期"))
    participants = models.TextField(_("参加人员"), blank=True)
    notes = models.TextField(_("视察情况"))
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("记录人"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    created_at = models.DateTimeField(_("记录时间"), auto_now_add=True)

    class Meta:
        verbose_name = _("视察")
        verbose_name_plural = _("视察")
        ordering = ["project", "-held_on", "-pk"]

    def __str__(self) -> str:
        return f"{self.held_on} {self.get_kind_display()}"


class Inquiry(models.Model):
    """询问 at the mid-year inspection (or a meeting): the question, who answered, the
    answer."""

    project = models.ForeignKey(
        Project, verbose_name=_("项目"), on_delete=models.CASCADE, related_name="inquiries"
    )
    asked_on = models.DateField(_("询问日期"))
    asker = models.CharField(_("询问人"), max_length=100)
    question = models.TextField(_("询问内容"))
    respondent = models.CharField(_("应询人"), max_length=100)
    answer = models.TextField(_("回答内容"), blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("记录人"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    created_at = models.DateTimeField(_("记录时间"), auto_now_add=True)

    class Meta:
        verbose_name = _("询问")
        verbose_name_plural = _("询问")
        ordering = ["project", "asked_on", "pk"]

    def __str__(self) -> str:
        return self.question[:40]


class CommentStatus(models.TextChoices):
    PENDING = "pending", _("待审核")
    PUBLISHED = "published", _("已公开")
    REJECTED = "rejected", _("未通过")


class Comment(models.Model):
    """A resident's comment on a project's public page (no account). Shown once staff
    publish it; the phone, optional, is for staff only and never shown or exported."""

    project = models.ForeignKey(
        Project, verbose_name=_("项目"), on_delete=models.CASCADE, related_name="comments"
    )
    text = models.TextField(_("留言内容"), max_length=1000)
    phone = models.CharField(_("联系电话"), max_length=20, blank=True)
    status = models.CharField(
        _("状态"),
        max_length=16,
        choices=CommentStatus.choices,
        default=CommentStatus.PENDING,
        editable=False,
    )
    created_at = models.DateTimeField(_("留言时间"), auto_now_add=True)
    moderated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("审核人"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        editable=False,
    )
    moderated_at = models.DateTimeField(_("审核时间"), null=True, blank=True, editable=False)

    class Meta:
        verbose_name = _("项目留言")
        verbose_name_plural = _("项目留言")
        ordering = ["project", "-created_at", "-pk"]
        indexes = [
            models.Index(
                fields=["project", "status", "-created_at"], name="project_comment_status"
            ),
        ]

    def __str__(self) -> str:
        return self.text[:40]
