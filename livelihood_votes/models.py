"""The livelihood-project vote (民生实事项目代表票决制, 地方组织法 第十一、十二条): the
vote, its candidates, who voted and what was voted.

Secrecy is a property of the schema, not of the views: ``Participation`` (who voted)
and ``Ballot`` (what was voted) share only the vote. A ballot has no representative,
no timestamp and a random primary key; ballots are listed by their random receipt.
One ballot per representative is the database's unique (vote, representative) on
``Participation``, written in the same transaction as the ballot.

Proposal calls (征集), implementation tracking and the year-end satisfaction vote will
hang from these models (a project is an elected ``Candidate``).
"""

from __future__ import annotations

import uuid

from django.conf import settings
from django.core.validators import MinValueValidator
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from congress.models import Congress, Department, Session
from representatives.models import Representative


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


class PassBase(models.TextChoices):
    """Of whom a project needs more than half the approvals to pass."""

    ELECTORATE = "electorate", _("全体代表的过半数")
    VOTERS = "voters", _("参加投票代表的过半数")


class BallotSource(models.TextChoices):
    ONLINE = "online", _("网上投票")
    PAPER = "paper", _("纸质选票")


class Mark(models.TextChoices):
    APPROVE = "approve", _("赞成")
    OPPOSE = "oppose", _("反对")
    ABSTAIN = "abstain", _("弃权")


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


class Participation(models.Model):
    """Who voted (参加投票的代表), and nothing about what or when: no timestamp of its
    own, no link to the ballot. The unique constraint is the one-ballot rule. A random
    primary key: a sequence here (or on the marks) would order voters and ballots alike."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    vote = models.ForeignKey(
        LivelihoodVote,
        verbose_name=_("票决"),
        on_delete=models.CASCADE,
        related_name="participations",
    )
    representative = models.ForeignKey(
        Representative,
        verbose_name=_("代表"),
        on_delete=models.PROTECT,
        related_name="livelihood_participations",
    )
    # Online, or in the hall: signed in and handed a paper ballot (签到领票).
    channel = models.CharField(
        _("方式"), max_length=8, choices=BallotSource.choices, default=BallotSource.ONLINE
    )

    class Meta:
        verbose_name = _("参加投票")
        verbose_name_plural = _("参加投票")
        ordering = ["vote", "representative__name", "representative_id"]
        constraints = [
            models.UniqueConstraint(
                fields=["vote", "representative"], name="participation_one_per_representative"
            )
        ]

    def __str__(self) -> str:
        return f"{self.vote} · {self.representative}"


class Ballot(models.Model):
    """What was voted. A random primary key and a random receipt; no voter, no time,
    and listed by receipt, so nothing orders ballots the way voters were recorded."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    vote = models.ForeignKey(
        LivelihoodVote, verbose_name=_("票决"), on_delete=models.CASCADE, related_name="ballots"
    )
    receipt = models.CharField(_("回执码"), max_length=20, unique=True, editable=False)
    source = models.CharField(
        _("来源"), max_length=8, choices=BallotSource.choices, default=BallotSource.ONLINE
    )
    void = models.BooleanField(_("无效票"), default=False)
    void_reason = models.CharField(_("无效原因"), max_length=200, blank=True)
    # A paper ballot's sheet number, written on it by the counting desk as it comes out of
    # the box (an anonymous sheet: the number says nothing of who cast it). Unique per
    # vote, so two staff confirming the same sheet at the same instant make one ballot.
    sheet = models.PositiveIntegerField(_("纸质选票编号"), null=True, blank=True, editable=False)

    class Meta:
        verbose_name = _("选票")
        verbose_name_plural = _("选票")
        ordering = ["vote", "receipt"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(void=False) | ~models.Q(void_reason=""),
                name="ballot_void_has_reason",
            ),
            models.CheckConstraint(
                condition=models.Q(sheet__isnull=True) | models.Q(source="paper"),
                name="ballot_sheet_only_on_paper",
            ),
            models.UniqueConstraint(fields=["vote", "sheet"], name="ballot_one_per_sheet"),
        ]

    def __str__(self) -> str:
        return self.receipt


class BallotMark(models.Model):
    """One candidate's mark on one ballot. A select-up-to-N ballot holds an ``approve``
    mark for each ticked project; an approve-oppose-abstain ballot one mark per project.
    A random primary key, like the ballot's: sequential ids would give away the order."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    ballot = models.ForeignKey(
        Ballot, verbose_name=_("选票"), on_delete=models.CASCADE, related_name="marks"
    )
    candidate = models.ForeignKey(
        Candidate, verbose_name=_("候选项目"), on_delete=models.CASCADE, related_name="marks"
    )
    choice = models.CharField(_("意见"), max_length=8, choices=Mark.choices)

    class Meta:
        verbose_name = _("选票标记")
        verbose_name_plural = _("选票标记")
        constraints = [
            models.UniqueConstraint(fields=["ballot", "candidate"], name="mark_one_per_candidate")
        ]

    def __str__(self) -> str:
        return f"{self.candidate} · {self.get_choice_display()}"


class PaperBallotEntry(models.Model):
    """One staff member's reading of one paper sheet (双人录入). A sheet is counted (its
    ``Ballot`` made) when two different staff have entered the same reading; until then
    the readings wait here. Entries name the staff who typed them, never a voter: the
    sheets come out of the box anonymous and are numbered in the order they are counted.

    ``marks`` is the reading as ``{"<candidate id>": "approve" | "oppose" | "abstain"}``,
    normalised (an approve-oppose-abstain sheet holds every candidate, a blank one as
    弃权), so that two readings of the same paper compare equal."""

    vote = models.ForeignKey(
        LivelihoodVote,
        verbose_name=_("票决"),
        on_delete=models.CASCADE,
        related_name="paper_entries",
    )
    sheet = models.PositiveIntegerField(_("纸质选票编号"), validators=[MinValueValidator(1)])
    entered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("录入人"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    marks = models.JSONField(_("录入内容"), default=dict)
    created_at = models.DateTimeField(_("录入时间"), auto_now_add=True)

    class Meta:
        verbose_name = _("纸质选票录入")
        verbose_name_plural = _("纸质选票录入")
        ordering = ["vote", "sheet", "created_at", "pk"]
        constraints = [
            # Nobody confirms their own reading: one entry per sheet and person.
            models.UniqueConstraint(
                fields=["vote", "sheet", "entered_by"], name="paper_entry_one_per_teller"
            ),
            models.CheckConstraint(condition=models.Q(sheet__gte=1), name="paper_entry_sheet_1"),
        ]

    def __str__(self) -> str:
        return f"{self.vote} · {self.sheet}"
