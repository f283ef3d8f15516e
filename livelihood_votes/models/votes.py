"""The livelihood-project vote (民生实事项目代表票决制, 地方组织法 第十一、十二条): the
vote and its candidates. The year around it (the call, the projects, the rating) is in
cycles.py, projects.py and ratings.py beside this module.

Who voted and what was voted are the core's secret ballot (``congress/models/ballots.py``):
the vote opens a ``BallotBox`` (its electorate, the representatives with a live seat,
frozen then) and closes it. While open, ballots exist only sealed; at the close they are
published in random order with their receipts (docs/security.md, 'The secret ballot').

A project (projects.py) is an elected ``Candidate``.
"""

from __future__ import annotations

from django.conf import settings
from django.core.validators import MinValueValidator
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from congress.models import BallotBox, BallotKind, Congress, Department, Session

# The core's marks and ballot sources, under the names this app has always used.
from congress.models.ballots import BallotSource as BallotSource
from congress.models.ballots import Mark as Mark


class VoteStatus(models.TextChoices):
    DRAFT = "draft", _("筹备中")
    OPEN = "open", _("投票中")
    CLOSED = "closed", _("已结束")
    CANCELLED = "cancelled", _("已取消")


class BallotForm(models.TextChoices):
    """How a ballot is filled in (a setting of each vote; local rules vary)."""

    UP_TO_N = "up_to_n", _("限选：赞成不超过应选项目数")
    EXACTLY_N = "exactly_n", _("等额选：赞成须等于应选项目数")
    PER_CANDIDATE = "per_candidate", _("逐项表决：每个项目赞成、反对或弃权")


# The core's ballot form of each of this app's forms.
BOX_KIND = {
    BallotForm.UP_TO_N: BallotKind.UP_TO_N,
    BallotForm.EXACTLY_N: BallotKind.EXACTLY_N,
    BallotForm.PER_CANDIDATE: BallotKind.PER_OPTION,
}


class PassBase(models.TextChoices):
    """Of whom a project needs more than half the approvals to pass."""

    ELECTORATE = "electorate", _("全体代表的过半数")
    VOTERS = "voters", _("参加投票代表的过半数")


class LivelihoodVote(models.Model):
    """One 票决: ``seats`` projects elected from the candidates by the congress's
    representatives. The rules in force are copied onto the vote when it is created (or,
    for the electorate, when it opens), so a later change of settings never changes a
    result already published."""

    congress = models.ForeignKey(
        Congress, verbose_name=_("人大"), on_delete=models.PROTECT, related_name="livelihood_votes"
    )
    session = models.ForeignKey(
        Session,
        verbose_name=_("会议"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="livelihood_votes",
        help_text=_("在人民代表大会会议期间票决的，选择该次会议"),
    )
    year = models.PositiveSmallIntegerField(_("年度"))
    title = models.CharField(_("名称"), max_length=200)
    seats = models.PositiveSmallIntegerField(_("应选项目数"), validators=[MinValueValidator(1)])
    ballot_form = models.CharField(
        _("选票形式"), max_length=16, choices=BallotForm.choices, default=BallotForm.UP_TO_N
    )
    pass_base = models.CharField(
        _("通过标准"), max_length=12, choices=PassBase.choices, default=PassBase.ELECTORATE
    )
    runoff_of = models.ForeignKey(
        "self",
        verbose_name=_("补充票决的原票决"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="runoffs",
    )
    # The number of representatives with a live seat in the congress, frozen when the
    # vote opens: the quorum and the pass threshold are halves of it.
    electorate = models.PositiveIntegerField(_("应到代表数"), null=True, blank=True, editable=False)
    status = models.CharField(
        _("状态"),
        max_length=12,
        choices=VoteStatus.choices,
        default=VoteStatus.DRAFT,
        editable=False,
    )
    version = models.PositiveIntegerField(default=0, editable=False)
    # The secret ballot, from the moment the vote opens.
    box = models.OneToOneField(
        BallotBox,
        verbose_name=_("票箱"),
        null=True,
        blank=True,
        editable=False,
        on_delete=models.PROTECT,
        related_name="livelihood_vote",
    )
    opened_at = models.DateTimeField(_("开始投票时间"), null=True, blank=True, editable=False)
    closed_at = models.DateTimeField(_("结束投票时间"), null=True, blank=True, editable=False)
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
        verbose_name = _("民生实事项目票决")
        verbose_name_plural = _("民生实事项目票决")
        ordering = ["-year", "-pk"]
        constraints = [
            models.CheckConstraint(condition=models.Q(seats__gte=1), name="vote_seats_positive"),
            # A tie gets one run-off: a second click on 发起补充票决 (or two staff at once)
            # makes no second one. A cancelled run-off frees the tie for a new one.
            models.UniqueConstraint(
                fields=["runoff_of"],
                condition=~models.Q(status="cancelled"),
                name="vote_one_runoff_per_tie",
            ),
        ]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("livelihood_vote_detail", args=[self.pk])

    @property
    def is_runoff(self) -> bool:
        return self.runoff_of_id is not None


class Candidate(models.Model):
    """候选项目: what the government proposes, with its 责任单位, budget and 完成时限."""

    vote = models.ForeignKey(
        LivelihoodVote, verbose_name=_("票决"), on_delete=models.CASCADE, related_name="candidates"
    )
    title = models.CharField(_("项目名称"), max_length=200)
    summary = models.TextField(_("主要内容"), blank=True)
    department = models.ForeignKey(
        Department,
        verbose_name=_("责任单位"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="livelihood_candidates",
    )
    budget = models.DecimalField(
        _("预算（万元）"),
        max_digits=12,
        decimal_places=2,
        null=True,
        blank=True,
        validators=[MinValueValidator(0)],
    )
    deadline = models.CharField(_("完成时限"), max_length=100, blank=True)
    order = models.PositiveSmallIntegerField(_("序号"), default=0)

    class Meta:
        verbose_name = _("候选项目")
        verbose_name_plural = _("候选项目")
        ordering = ["vote", "order", "pk"]

    def __str__(self) -> str:
        return self.title
