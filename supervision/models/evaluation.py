"""Department evaluations (工作评议, 云评议): criteria, windows and scores
(docs/supervision-evaluation.md).

An evaluation is scored by the congress's representatives by secret ballot on the
core's ballot box (``congress/models/ballots.py``, a score box): the box holds the
sealed scores and, after the close, the published list; this app keeps what is
evaluated (its subjects: departments or appointed officials), the criteria with their
weights, the window, and, once closed, each subject's weighted mean and rank, copied
from the box's outcome. Nothing here names a voter.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from congress.models import BallotBox, Congress, Department, Region
from representatives.models import Delegation


class EvaluationStatus(models.TextChoices):
    DRAFT = "draft", _("筹备中")
    OPEN = "open", _("评议中")
    CLOSED = "closed", _("已计分")
    PUBLISHED = "published", _("已公布")
    CANCELLED = "cancelled", _("已取消")


class Evaluation(models.Model):
    """One evaluation (一次工作评议) of a congress: its subjects are scored on its criteria
    by its electorate (the representatives with a live seat, optionally of one
    delegation), frozen when it opens."""

    congress = models.ForeignKey(
        Congress, verbose_name=_("人大"), on_delete=models.PROTECT, related_name="+"
    )
    # The congress's region, copied: the scope filters on one column of the row.
    region = models.ForeignKey(
        Region, verbose_name=_("行政区划"), on_delete=models.PROTECT, related_name="+"
    )
    title = models.CharField(_("名称"), max_length=200)
    year = models.PositiveSmallIntegerField(_("年度"))
    opens_at = models.DateTimeField(_("开始评议时间"))
    closes_at = models.DateTimeField(_("截止评议时间"))
    delegation = models.ForeignKey(
        Delegation,
        verbose_name=_("限定代表团"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    status = models.CharField(
        _("状态"),
        max_length=10,
        choices=EvaluationStatus.choices,
        default=EvaluationStatus.DRAFT,
    )
    version = models.PositiveIntegerField(default=0, editable=False)
    box = models.OneToOneField(
        BallotBox,
        verbose_name=_("票箱"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="evaluation",
    )
    electorate = models.PositiveIntegerField(_("应评人数"), default=0)
    voted = models.PositiveIntegerField(_("参评人数"), default=0)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("创建人"),
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    created_at = models.DateTimeField(_("创建时间"), auto_now_add=True)
    published_at = models.DateTimeField(_("公布时间"), null=True, blank=True)

    class Meta:
        verbose_name = _("工作评议")
        verbose_name_plural = _("工作评议")
        indexes = [
            models.Index(fields=["region", "created_at", "id"], name="evaluation_region_new"),
            models.Index(fields=["congress", "status"], name="evaluation_congress_status"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(closes_at__gt=models.F("opens_at")),
                name="evaluation_window_ordered",
            )
        ]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        from django.urls import reverse

        return reverse("evaluation_detail", kwargs={"pk": self.pk})


class SubjectKind(models.TextChoices):
    DEPARTMENT = "department", _("部门")
    OFFICIAL = "official", _("任命人员")


class EvaluationSubject(models.Model):
    """What is scored: a department of the congress's region, or an appointed official
    (任命人员履职评议: a name and a post). ``score`` and ``rank`` are written at the
    close from the box's outcome (weighted mean, two decimals, half up)."""

    evaluation = models.ForeignKey(Evaluation, on_delete=models.CASCADE, related_name="subjects")
    kind = models.CharField(_("评议对象类型"), max_length=12, choices=SubjectKind.choices)
    department = models.ForeignKey(
        Department,
        verbose_name=_("部门"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    name = models.CharField(_("名称"), max_length=200)
    post = models.CharField(_("职务"), max_length=200, blank=True)
    order = models.PositiveSmallIntegerField(_("顺序"), default=0)
    score = models.DecimalField(_("综合得分"), max_digits=5, decimal_places=2, null=True)
    scored = models.PositiveIntegerField(_("有效评分票数"), default=0)
    rank = models.PositiveSmallIntegerField(_("名次"), null=True)

    class Meta:
        verbose_name = _("评议对象")
        verbose_name_plural = _("评议对象")
        ordering = ["evaluation", "order", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["evaluation", "department"],
                condition=models.Q(department__isnull=False),
                name="evaluation_subject_department_once",
            ),
            models.CheckConstraint(
                condition=(
                    models.Q(kind="department", department__isnull=False)
                    | models.Q(kind="official", department__isnull=True)
                ),
                name="evaluation_subject_kind_matches",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.name}（{self.post}）" if self.post else self.name


class EvaluationCriterion(models.Model):
    """A criterion (评议内容) with its weight in percent; an evaluation's weights add up to
    100."""

    evaluation = models.ForeignKey(Evaluation, on_delete=models.CASCADE, related_name="criteria")
    name = models.CharField(_("评议内容"), max_length=100)
    weight = models.PositiveSmallIntegerField(_("权重（%）"))
    order = models.PositiveSmallIntegerField(_("顺序"), default=0)

    class Meta:
        verbose_name = _("评议内容")
        verbose_name_plural = _("评议内容")
        ordering = ["evaluation", "order", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(weight__gte=1, weight__lte=100),
                name="evaluation_criterion_weight_range",
            )
        ]

    def __str__(self) -> str:
        return f"{self.name} {self.weight}%"
