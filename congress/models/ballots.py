"""The secret ballot, once for every vote in the product (docs/security.md, 'The secret
ballot'; docs/architecture.md, 'The secret ballot').

A feature app's vote (the livelihood-project vote, a satisfaction rating of a report,
a department evaluation) holds one ``BallotBox``. The box knows its electorate (frozen
when it opens), its ballot form and its window; it knows nothing of what is voted on
(its options are the feature's ids) nor of who the voters are (an elector is the
feature's voter id, e.g. a representative's).

While the box is open a ballot exists only as a ``SealedBallot``: the choices and the
receipt sealed with the box's public key, padded to one size, nothing in the clear.
The private key is a file on the application server (``BALLOT_KEY_DIR``), never in the
database. At the close the sealed ballots are opened, shuffled and written as the
``PublishedBallot`` list in one transaction, the sealed rows deleted and the key file
destroyed: the ciphertexts left in backups and the write-ahead log can never be
opened, and nothing in the published list carries the order in which voters voted.
"""

from __future__ import annotations

import uuid

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from congress.models.regions import Region


class BallotKind(models.TextChoices):
    """The ballot forms, each with its validity rules (``congress/ballots/rules.py``)."""

    UP_TO_N = "up_to_n", _("限选：选择不超过应选数")
    EXACTLY_N = "exactly_n", _("等额选：须正好选择应选数")
    PER_OPTION = "per_option", _("逐项表决：每项赞成、反对或弃权")
    RATING = "rating", _("满意度测评：每项满意、基本满意或不满意选一")
    SCORE = "score", _("评分：每项打分")


class Mark(models.TextChoices):
    APPROVE = "approve", _("赞成")
    OPPOSE = "oppose", _("反对")
    ABSTAIN = "abstain", _("弃权")


class Rating(models.TextChoices):
    """The universal three levels (满意 / 基本满意 / 不满意) as a ballot's marks."""

    SATISFIED = "satisfied", _("满意")
    BASIC = "basic", _("基本满意")
    DISSATISFIED = "dissatisfied", _("不满意")


class BallotSource(models.TextChoices):
    ONLINE = "online", _("网上投票")
    PAPER = "paper", _("纸质选票")


class BoxStatus(models.TextChoices):
    OPEN = "open", _("投票中")
    CLOSED = "closed", _("已开箱计票")
    DISCARDED = "discarded", _("已作废")


class BallotBox(models.Model):
    """One secret vote's box: the form, the window, the public key, the frozen
    electorate's size and, once closed, the counts of the published list."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    region = models.ForeignKey(
        Region, verbose_name=_("行政区划"), on_delete=models.PROTECT, related_name="+"
    )
    kind = models.CharField(_("选票形式"), max_length=12, choices=BallotKind.choices)
    seats = models.PositiveSmallIntegerField(_("应选数"), default=0)
    # The feature's ids of what is voted on (candidates, items, criteria), in ballot order.
    options = models.JSONField(_("选项"), default=list)
    status = models.CharField(
        _("状态"), max_length=10, choices=BoxStatus.choices, default=BoxStatus.OPEN
    )
    electorate = models.PositiveIntegerField(_("应到人数"), default=0)
    public_key = models.BinaryField(_("公钥"), max_length=32)
    opened_at = models.DateTimeField(_("开始投票时间"), auto_now_add=True)
    closed_at = models.DateTimeField(_("开箱计票时间"), null=True, blank=True)
    # A score form's definition (``rules.ScoreForm.definition``): its scale, its criteria
    # with their weights, which cells are which department. Empty for the other forms.
    form = models.JSONField(_("选票定义"), default=dict, blank=True)
    # Written at the close, from the published list: {"ballots", "void", "blank",
    # "marks": {option: {mark: count}}} (a score form: {option: {"sum", "n"}}).
    counts = models.JSONField(_("计票结果"), null=True, blank=True)

    class Meta:
        verbose_name = _("票箱")
        verbose_name_plural = _("票箱")

    def __str__(self) -> str:
        return f"{self.get_kind_display()} · {self.get_status_display()}"


class Elector(models.Model):
    """One voter of a box's frozen electorate, and whether (and how) they voted. No
    time; a random key; the same row whatever the channel, so one ballot per voter is
    a compare-and-set on ``channel`` under the database's unique (box, voter)."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    box = models.ForeignKey(BallotBox, on_delete=models.CASCADE, related_name="electors")
    voter = models.PositiveBigIntegerField(_("投票人"))
    channel = models.CharField(
        _("方式"), max_length=8, choices=BallotSource.choices, null=True, blank=True
    )

    class Meta:
        verbose_name = _("投票人")
        verbose_name_plural = _("投票人")
        constraints = [
            models.UniqueConstraint(fields=["box", "voter"], name="elector_once_per_box")
        ]

    def __str__(self) -> str:
        return str(self.voter)


class SealedBallot(models.Model):
    """A ballot while the box is open: its choices and receipt sealed with the box's
    public key (libsodium's sealed box), padded to the box's one size. A paper sheet's
    number is in the clear (anonymous paper: it names nobody), so that a sheet counts
    once."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    box = models.ForeignKey(BallotBox, on_delete=models.CASCADE, related_name="sealed")
    sealed = models.BinaryField()
    source = models.CharField(max_length=8, choices=BallotSource.choices)
    sheet = models.PositiveIntegerField(null=True, blank=True)

    class Meta:
        verbose_name = _("密封选票")
        verbose_name_plural = _("密封选票")
        constraints = [
            models.UniqueConstraint(fields=["box", "sheet"], name="sealed_ballot_one_per_sheet")
        ]

    def __str__(self) -> str:
        return str(self.pk)


class PublishedBallot(models.Model):
    """The published ballot list (选票公示), written at the close in random order: the
    receipt, the marks ``{option: mark}`` as cast, void with its reason. Listed by
    receipt."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    box = models.ForeignKey(BallotBox, on_delete=models.CASCADE, related_name="published")
    receipt = models.CharField(_("回执码"), max_length=20)
    source = models.CharField(_("来源"), max_length=8, choices=BallotSource.choices)
    sheet = models.PositiveIntegerField(_("纸质选票编号"), null=True, blank=True)
    marks = models.JSONField(_("选票内容"), default=dict)
    void = models.BooleanField(_("无效票"), default=False)
    void_reason = models.CharField(_("无效原因"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("公示选票")
        verbose_name_plural = _("公示选票")
        ordering = ["box", "receipt"]
        constraints = [
            models.UniqueConstraint(fields=["box", "receipt"], name="published_receipt_once"),
            models.CheckConstraint(
                condition=models.Q(void=False) | ~models.Q(void_reason=""),
                name="published_void_has_reason",
            ),
        ]

    def __str__(self) -> str:
        return self.receipt

    @property
    def blank(self) -> bool:
        return not self.marks


class PaperReading(models.Model):
    """One staff member's reading of one paper sheet (双人录入), as a keyed digest: two
    readings agree when their digests are equal, and the key is derived from the box's
    private key, which is not in the database, so the digest says nothing of the marks.
    The reading itself is sealed into the box when a second reading agrees."""

    box = models.ForeignKey(BallotBox, on_delete=models.CASCADE, related_name="readings")
    sheet = models.PositiveIntegerField(_("纸质选票编号"))
    entered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("录入人"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    digest = models.CharField(max_length=64)
    created_at = models.DateTimeField(_("录入时间"), auto_now_add=True)

    class Meta:
        verbose_name = _("纸质选票录入")
        verbose_name_plural = _("纸质选票录入")
        ordering = ["box", "sheet", "created_at", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["box", "sheet", "entered_by"], name="paper_reading_one_per_teller"
            ),
            models.CheckConstraint(condition=models.Q(sheet__gte=1), name="paper_reading_sheet_1"),
        ]

    def __str__(self) -> str:
        return str(self.sheet)
