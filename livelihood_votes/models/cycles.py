"""The year's cycle (民生实事项目年度工作): one per congress (or subdistrict) per year, with
the dated phases that enable and disable its actions (docs/livelihood-year.md).

The call for proposals, the proposals and their screening hang from a cycle; its vote is
the ``LivelihoodVote`` (votes.py) the shortlist goes to; its projects (projects.py) are the
vote's elected candidates.
"""

from __future__ import annotations

import secrets

from django.conf import settings
from django.core.validators import MinValueValidator
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from congress.models import Congress, Department, Region
from livelihood_votes.models.votes import LivelihoodVote


class Electorate(models.TextChoices):
    """Who votes and rates. A subdistrict (街道) has no people's congress: its 人大工委
    runs the year and the 议政会's voter delegates vote (docs/livelihood-year.md)."""

    REPRESENTATIVES = "representatives", _("人大代表")
    VOTER_DELEGATES = "voter_delegates", _("议政代表")


class Cycle(models.Model):
    """民生实事项目的一年: the call, the screening, the shortlist, the vote, the
    implementation, the mid-year inspection and the year-end rating. The phases' dates
    are columns so that "what may be done today" is a comparison on the row."""

    congress = models.ForeignKey(
        Congress,
        verbose_name=_("人大"),
        on_delete=models.PROTECT,
        related_name="livelihood_cycles",
        help_text=_("街道的年度工作由区（县）人大常委会的街道人大工委组织，选其所属的人大"),
    )
    region = models.ForeignKey(
        Region,
        verbose_name=_("行政区划"),
        on_delete=models.PROTECT,
        related_name="livelihood_cycles",
        help_text=_("人大所在的行政区划，或由议政会票决的街道"),
    )
    year = models.PositiveSmallIntegerField(_("年度"))
    title = models.CharField(_("名称"), max_length=200)
    electorate = models.CharField(
        _("票决和测评主体"),
        max_length=16,
        choices=Electorate.choices,
        default=Electorate.REPRESENTATIVES,
    )
    call_opens_on = models.DateField(_("征集开始日期"), null=True, blank=True)
    call_closes_on = models.DateField(_("征集截止日期"), null=True, blank=True)
    screening_closes_on = models.DateField(_("筛选截止日期"), null=True, blank=True)
    shortlist_closes_on = models.DateField(_("候选项目确定日期"), null=True, blank=True)
    vote_on = models.DateField(_("票决日期"), null=True, blank=True)
    implementation_starts_on = models.DateField(_("实施开始日期"), null=True, blank=True)
    midyear_on = models.DateField(_("年中视察日期"), null=True, blank=True)
    evaluation_opens_on = models.DateField(_("年终测评开始日期"), null=True, blank=True)
    evaluation_closes_on = models.DateField(_("年终测评截止日期"), null=True, blank=True)
    # The congress's review of the government's shortlist (主任会议或常委会会议审议) before
    # the vote is made from it: when, and what was decided. A change of the list clears it.
    shortlist_reviewed_at = models.DateTimeField(
        _("候选项目清单审议时间"), null=True, blank=True, editable=False
    )
    shortlist_review = models.CharField(
        _("候选项目清单审议情况"), max_length=500, blank=True, editable=False
    )
    vote = models.OneToOneField(
        LivelihoodVote,
        verbose_name=_("票决"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="cycle",
    )
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
        verbose_name = _("民生实事年度工作")
        verbose_name_plural = _("民生实事年度工作")
        ordering = ["-year", "region__path"]
        constraints = [
            models.UniqueConstraint(fields=["region", "year"], name="cycle_one_per_region_year"),
        ]
        indexes = [models.Index(fields=["congress", "-year"], name="cycle_congress_year")]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("livelihood_cycle_detail", args=[self.pk])


class ProposalChannel(models.TextChoices):
    CITIZEN = "citizen", _("群众（扫码或网上）")
    REPRESENTATIVE = "representative", _("人大代表")
    DEPARTMENT = "department", _("政府部门")
    PROBLEM = "problem", _("群众反映问题转来")


class ProposalTheme(models.TextChoices):
    EDUCATION = "education", _("教育")
    ELDERLY = "elderly", _("养老托育")
    HEALTH = "health", _("医疗卫生")
    TRANSPORT = "transport", _("交通出行")
    HOUSING = "housing", _("住房和城市更新")
    ENVIRONMENT = "environment", _("生态环境")
    WATER = "water", _("供水排水")
    EMPLOYMENT = "employment", _("就业和社会保障")
    CULTURE = "culture", _("文化体育")
    RURAL = "rural", _("乡村振兴")
    SAFETY = "safety", _("公共安全")
    OTHER = "other", _("其他")


class ProposalStatus(models.TextChoices):
    SUBMITTED = "submitted", _("待筛选")
    MERGED = "merged", _("已合并")
    SCREENED_OUT = "screened_out", _("未采纳")
    ACCEPTED = "accepted", _("拟列入候选项目")
    SHORTLISTED = "shortlisted", _("已列入候选项目")


class ScreeningReason(models.TextChoices):
    """Why a proposal did not go on: one recorded reason per proposal screened out."""

    NOT_FEASIBLE = "not_feasible", _("条件尚不具备")
    NOT_LIVELIHOOD = "not_livelihood", _("不属于民生实事范围")
    ALREADY_FUNDED = "already_funded", _("已列入其他计划或已安排资金")
    MERGED = "merged", _("已合并到其他建议")
    OTHER = "other", _("其他")


def new_tracking_token() -> str:
    """The secret in a proposer's tracking link: 192 random bits, never the id or phone."""
    return secrets.token_urlsafe(24)


class Proposal(models.Model):
    """One proposal (项目建议) received in a cycle's call, by any channel. Who proposed it
    is kept for the proposer's own tracking only: public pages and default exports show
    the area, the theme and the counts, never a proposer.

    A citizen's problem converted to 民生实事 while no call of its region is open waits
    with no cycle (``cycle`` null) until the next call of its region is created
    (docs/livelihood-call.md, "A problem proposed from its case")."""

    cycle = models.ForeignKey(
        Cycle,
        verbose_name=_("年度工作"),
        on_delete=models.PROTECT,
        related_name="proposals",
        null=True,
        blank=True,
    )
    channel = models.CharField(_("来源"), max_length=16, choices=ProposalChannel.choices)
    theme = models.CharField(
        _("领域"), max_length=16, choices=ProposalTheme.choices, default=ProposalTheme.OTHER
    )
    region = models.ForeignKey(
        Region,
        verbose_name=_("所在区划"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    # The area of the call the proposal is counted in: the region one level below the
    # cycle's (a district of a city's call, a town of a district's), or the cycle's own
    # region for a place at that level. Set at submission; the public counts and the
    # screening list's filter read it on the row.
    area = models.ForeignKey(
        Region,
        verbose_name=_("片区"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        editable=False,
    )
    title = models.CharField(_("项目名称"), max_length=200)
    description = models.TextField(_("项目内容"))
    place = models.CharField(_("实施地点"), max_length=200)
    estimated_cost = models.DecimalField(
        _("估算投资（万元）"), max_digits=12, decimal_places=2, null=True, blank=True
    )
    beneficiaries = models.CharField(_("受益群体"), max_length=200, blank=True)
    status = models.CharField(
        _("状态"),
        max_length=16,
        choices=ProposalStatus.choices,
        default=ProposalStatus.SUBMITTED,
        editable=False,
    )
    screening_reason = models.CharField(
        _("未采纳原因"), max_length=16, choices=ScreeningReason.choices, blank=True
    )
    screening_note = models.TextField(_("筛选意见"), blank=True)
    screened_at = models.DateTimeField(_("筛选时间"), null=True, blank=True, editable=False)
    merged_into = models.ForeignKey(
        "self",
        verbose_name=_("合并到"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="merged",
    )
    # How many proposals were merged into this one (itself not counted): kept by the
    # merge service, so the list shows it without a count per row.
    merged_count = models.PositiveIntegerField(_("合并的建议数"), default=0, editable=False)
    entry = models.ForeignKey(
        "livelihood_votes.ShortlistEntry",
        verbose_name=_("列入的候选项目"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="proposals",
    )
    candidate = models.ForeignKey(
        "livelihood_votes.Candidate",
        verbose_name=_("形成的候选项目"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="proposals",
    )
    # The proposer, for their own tracking only (never on a public page). A citizen
    # leaves a phone, kept as a citizen's problem keeps it: the number (to text them)
    # and its keyed hash (to find their earlier proposal in the call without reading
    # numbers); a representative or a department clerk is the signed-in user.
    mobile = models.CharField(_("手机号"), max_length=20, blank=True)
    mobile_hash = models.CharField(max_length=64, blank=True, editable=False)
    tracking_token = models.CharField(
        max_length=43, unique=True, default=new_tracking_token, editable=False
    )
    # From the public form when it is first shown: a retry or a double tap carries
    # the same key and finds the proposal already there (unique: the database decides).
    idempotency_key = models.UUIDField(unique=True, null=True, blank=True, editable=False)
    representative = models.ForeignKey(
        "representatives.Representative",
        verbose_name=_("提出代表"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="livelihood_proposals",
    )
    department = models.ForeignKey(
        Department,
        verbose_name=_("提出部门"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="livelihood_proposals",
    )
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("提交人"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    problem = models.ForeignKey(
        "suggestions.CitizenIssue",
        verbose_name=_("来源问题"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    version = models.PositiveIntegerField(default=0, editable=False)
    created_at = models.DateTimeField(_("提交时间"), auto_now_add=True)

    class Meta:
        verbose_name = _("项目建议")
        verbose_name_plural = _("项目建议")
        ordering = ["cycle", "-created_at", "-pk"]
        indexes = [
            models.Index(fields=["cycle", "status", "-created_at"], name="proposal_cycle_status"),
            models.Index(fields=["cycle", "channel"], name="proposal_cycle_channel"),
            models.Index(fields=["cycle", "-created_at", "-id"], name="proposal_cycle_new"),
            models.Index(fields=["cycle", "mobile_hash"], name="proposal_cycle_phone"),
            models.Index(fields=["cycle", "area", "-created_at"], name="proposal_cycle_area"),
            models.Index(fields=["cycle", "theme", "-created_at"], name="proposal_cycle_theme"),
        ]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("livelihood_proposal_detail", args=[self.pk])


class ShortlistEntry(models.Model):
    """One project of the government's shortlist (候选项目清单), built from accepted
    proposals (``Proposal.entry``); when the vote is created each entry becomes its
    ``Candidate`` and the proposals record it (``Proposal.candidate``)."""

    cycle = models.ForeignKey(
        Cycle, verbose_name=_("年度工作"), on_delete=models.CASCADE, related_name="shortlist"
    )
    title = models.CharField(_("项目名称"), max_length=200)
    description = models.TextField(_("项目内容"))
    department = models.ForeignKey(
        Department,
        verbose_name=_("责任单位"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    budget = models.DecimalField(
        _("预算（万元）"), max_digits=12, decimal_places=2, validators=[MinValueValidator(0)]
    )
    deadline = models.DateField(_("完成时限"))
    place = models.CharField(_("实施地点"), max_length=200)
    order = models.PositiveSmallIntegerField(_("票决顺序"), default=0)
    candidate = models.OneToOneField(
        "livelihood_votes.Candidate",
        verbose_name=_("候选项目"),
        null=True,
        blank=True,
        editable=False,
        on_delete=models.SET_NULL,
        related_name="shortlist_entry",
    )
    created_at = models.DateTimeField(_("创建时间"), auto_now_add=True)

    class Meta:
        verbose_name = _("候选项目清单")
        verbose_name_plural = _("候选项目清单")
        ordering = ["cycle", "order", "pk"]

    def __str__(self) -> str:
        return self.title
