"""Models of representatives' suggestions and motions (代表建议、议案).

A ``Suggestion`` is filed by one lead representative (领衔) with co-signers (附议),
each a ``SuggestionSigner`` row (the lead too, so "every signer" is one query). Its own
status moves through ``suggestions.formal.workflow``; the departments' work is done on
the closed-loop engine's ``Assignment`` rows (lead 主办 and co-handlers 协办), and the
answer is a ``SuggestionReply`` that every signer rates (``SuggestionRating``).
History is the engine's ``CaseEvent`` timeline under ``SUGGESTION_CASE``.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from congress.areas import AREA_DEPTHS
from congress.models import Assignment, CaseEvent, Congress, Department, Region, Session
from representatives.models import HolderAreaColumns

__all__ = [
    "GroupEvaluation",
    "HandlingContact",
    "HandlingMethod",
    "HandlingStage",
    "RatingChannel",
    "ReplyCategory",
    "SignedMonthCount",
    "SignerRole",
    "SignerStatus",
    "Suggestion",
    "SuggestionCategory",
    "SuggestionKind",
    "SuggestionRating",
    "SuggestionReply",
    "SuggestionSatisfaction",
    "SuggestionSigner",
    "SuggestionStatus",
]


class SuggestionKind(models.TextChoices):
    SUGGESTION = "suggestion", _("建议、批评和意见")
    MOTION = "motion", _("议案")


class SuggestionCategory(models.TextChoices):
    """The subject of a suggestion; it proposes a department and groups the report."""

    ECONOMY = "economy", _("经济发展")
    URBAN = "urban", _("城乡建设")
    TRANSPORT = "transport", _("交通运输")
    EDUCATION = "education", _("教育")
    HEALTH = "health", _("医疗卫生")
    SOCIAL = "social", _("社会保障")
    ENVIRONMENT = "environment", _("生态环境")
    AGRICULTURE = "agriculture", _("农业农村")
    CULTURE = "culture", _("文化旅游")
    LEGAL = "legal", _("政法")
    OTHER = "other", _("其他")


class SuggestionStatus(models.TextChoices):
    DRAFT = "draft", _("草稿")
    CO_SIGNING = "co_signing", _("征集附议")
    SUBMITTED = "submitted", _("已提交")
    PRE_RETURNED = "pre_returned", _("预审退回修改")
    REGISTERED = "registered", _("已立案")
    MERGED = "merged", _("已并案")
    CONVERTED = "converted", _("已转来信")
    DECLINED = "declined", _("不予立案")
    WITHDRAWN = "withdrawn", _("已撤回")
    HANDLING = "handling", _("办理中")
    REPLIED = "replied", _("已答复")
    REHANDLING = "rehandling", _("重新办理")
    RATED = "rated", _("已测评")
    CARRIED_OVER = "carried_over", _("跨年度跟踪")
    CLOSED = "closed", _("已办结")


class ReplyCategory(models.TextChoices):
    A = "A", _("A类（已解决或基本解决）")
    B = "B", _("B类（正在解决或列入计划）")
    C = "C", _("C类（需待以后解决）")
    D = "D", _("D类（留作参考）")


class SuggestionSatisfaction(models.TextChoices):
    SATISFIED = "satisfied", _("满意")
    BASICALLY = "basically", _("基本满意")
    UNSATISFIED = "unsatisfied", _("不满意")


# Statuses in which a suggestion waits on the congress office for a few days or weeks
# (the staff card counts them exactly; 跨年度跟踪 items are many and counted to a bound).
WAITING_ON_STAFF = ["submitted", "registered", "replied"]
# Submitted to the town office for pre-review, or returned by it (the origin's staff see them).
PRE_REVIEW_STATUSES = ["submitted", "pre_returned"]


class Suggestion(models.Model):
    kind = models.CharField(
        _("类型"), max_length=12, choices=SuggestionKind.choices, default=SuggestionKind.SUGGESTION
    )
    number = models.PositiveIntegerField(_("编号"), null=True, blank=True, editable=False)
    title = models.CharField(_("标题"), max_length=200)
    content = models.TextField(_("内容"))
    category = models.CharField(_("类别"), max_length=16, choices=SuggestionCategory.choices)
    research_basis = models.TextField(
        _("调研情况"), blank=True, help_text=_("提出建议前的调研、走访、座谈等情况")
    )
    session = models.ForeignKey(
        Session, verbose_name=_("会议"), on_delete=models.PROTECT, related_name="+"
    )
    # Copied from the session: every list, scope and report filters by it.
    congress = models.ForeignKey(
        Congress, verbose_name=_("人大"), on_delete=models.PROTECT, related_name="+"
    )
    lead = models.ForeignKey(
        "representatives.Representative",
        verbose_name=_("领衔代表"),
        on_delete=models.PROTECT,
        related_name="led_suggestions",
    )
    # The lead's region when filing: the town office that pre-reviews drafts
    # (镇街人大汇总把关) finds them through it.
    region = models.ForeignKey(
        Region, verbose_name=_("代表所在区划"), on_delete=models.PROTECT, related_name="+"
    )
    delegation = models.ForeignKey(
        "representatives.Delegation",
        verbose_name=_("代表团"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    by_delegation = models.BooleanField(_("以代表团名义提出"), default=False)
    status = models.CharField(
        _("状态"), max_length=16, choices=SuggestionStatus.choices, default=SuggestionStatus.DRAFT
    )
    version = models.PositiveIntegerField(default=0, editable=False)
    # The congress's rules in force when the suggestion was created (its deadlines;
    # ``congress.rules``, docs/rules.md): its handling follows these, so a later change
    # of the rules applies to new suggestions only. Empty on a suggestion from before
    # rules were recorded (it follows today's).
    rules_in_force = models.JSONField(_("立案时的规则"), default=dict, blank=True, editable=False)
    submitted_at = models.DateTimeField(_("提交时间"), null=True, blank=True)
    pre_submitted = models.BooleanField(_("会前预提交"), default=False)
    review_note = models.TextField(_("审查意见"), blank=True)
    merged_into = models.ForeignKey(
        "self",
        verbose_name=_("并入"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="merged",
    )
    converted_from_motion = models.BooleanField(_("由议案转为建议"), default=False)
    accepted_at = models.DateTimeField(_("立案时间"), null=True, blank=True)
    assign_by = models.DateField(_("交办期限"), null=True, blank=True)
    assign_reminded_on = models.DateField(null=True, blank=True, editable=False)
    assigned_at = models.DateTimeField(_("交办时间"), null=True, blank=True)
    # The current lead (主办) assignment: the first 交办, a re-交办 after a return, or a
    # carried-over item's follow-up. Set by the services in the same transition.
    lead_assignment = models.ForeignKey(
        Assignment,
        verbose_name=_("主办交办"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        editable=False,
    )
    reply_category = models.CharField(
        _("答复类别"), max_length=1, choices=ReplyCategory.choices, blank=True
    )
    first_replied_at = models.DateTimeField(_("首次答复时间"), null=True, blank=True)
    replied_on_time = models.BooleanField(_("按时答复"), null=True, blank=True)
    attitude_rating = models.CharField(
        _("办理态度评价"), max_length=12, choices=SuggestionSatisfaction.choices, blank=True
    )
    result_rating = models.CharField(
        _("办理结果评价"), max_length=12, choices=SuggestionSatisfaction.choices, blank=True
    )
    follow_up_category = models.CharField(
        _("跟踪办理类别"), max_length=1, choices=ReplyCategory.choices, blank=True
    )
    is_key = models.BooleanField(_("重点督办"), default=False)
    key_leading_official = models.CharField(
        _("领衔办理领导"), max_length=100, blank=True, help_text=_("如：副市长 张某某")
    )
    key_supervisor = models.CharField(
        _("牵头督办领导"), max_length=100, blank=True, help_text=_("如：常委会副主任 李某某")
    )
    key_committee = models.CharField(_("督办工委"), max_length=100, blank=True)
    publish_consent = models.BooleanField(_("同意公开办理答复"), default=False)
    closed_at = models.DateTimeField(_("办结时间"), null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(_("创建时间"), auto_now_add=True)
    updated_at = models.DateTimeField(_("更新时间"), auto_now=True)
    # Where the suggestion belongs, on the row, so that a jurisdiction's list is an
    # index range (docs/architecture.md, "Reads that do not grow with the data"):
    # ``area_N`` is the ancestor at depth N of the congress's region (the staff who
    # review, hand over and follow it up), ``origin_area_N`` that of the lead's
    # region when filing (the town office that pre-reviews it). Both are fixed at
    # filing: neither the session's congress nor the filing region changes later.
    area_0 = models.BigIntegerField(null=True, blank=True, editable=False)
    area_1 = models.BigIntegerField(null=True, blank=True, editable=False)
    area_2 = models.BigIntegerField(null=True, blank=True, editable=False)
    area_3 = models.BigIntegerField(null=True, blank=True, editable=False)
    origin_area_0 = models.BigIntegerField(null=True, blank=True, editable=False)
    origin_area_1 = models.BigIntegerField(null=True, blank=True, editable=False)
    origin_area_2 = models.BigIntegerField(null=True, blank=True, editable=False)
    origin_area_3 = models.BigIntegerField(null=True, blank=True, editable=False)

    class Meta:
        verbose_name = _("代表建议")
        verbose_name_plural = _("代表建议")
        ordering = ["-created_at", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["session", "number"],
                condition=Q(number__isnull=False),
                name="suggestion_unique_number",
            ),
        ]
        indexes = [
            models.Index(fields=["congress", "status"], name="suggestion_congress_status"),
            models.Index(fields=["session", "status"], name="suggestion_session_status"),
            # The list of a jurisdiction that holds most suggestions (a city's staff see
            # their districts' pre-review too, an OR no single area index orders):
            # newest first on this index, the scope a filter on the rows read.
            models.Index(fields=["created_at", "id"], name="suggestion_created"),
            # The suggestions submitted in a period (履职积分's tally, the ranking): read
            # from the period's few rows, not through every signer of the region.
            models.Index(fields=["submitted_at"], name="suggestion_submitted"),
            # 一对一重点督办: a handful a year, read on every staff home page.
            models.Index(
                fields=["status", "number"], name="suggestion_key", condition=Q(is_key=True)
            ),
            # A jurisdiction's list, newest first, read in index order (keyset pages).
            *(
                models.Index(fields=[f"area_{n}", "created_at", "id"], name=f"suggestion_area{n}")
                for n in range(AREA_DEPTHS)
            ),
            # The staff card's counts: the few suggestions waiting on the office, and
            # 跨年度跟踪 (carried over; without it here that count read the whole table
            # in a province: 27 → 10 ms at 300,000 suggestions, docs/benchmarks.md).
            *(
                models.Index(
                    fields=[f"area_{n}", "status"],
                    name=f"suggestion_area{n}_waiting",
                    condition=Q(status__in=[*WAITING_ON_STAFF, "carried_over"]),
                )
                for n in range(AREA_DEPTHS)
            ),
            # Pre-review (镇街人大汇总把关): the few submitted drafts of a town's representatives.
            *(
                models.Index(
                    fields=[f"origin_area_{n}"],
                    name=f"suggestion_origin{n}_review",
                    condition=Q(status__in=PRE_REVIEW_STATUSES),
                )
                for n in range(AREA_DEPTHS)
            ),
        ]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("formal_suggestion_detail", args=[self.pk])

    @property
    def is_motion(self) -> bool:
        return self.kind == SuggestionKind.MOTION

    @property
    def number_label(self) -> str:  # 第12号
        return _("第%(number)s号") % {"number": self.number} if self.number else "—"


class SignerRole(models.TextChoices):
    LEAD = "lead", _("领衔")
    CO_SIGNER = "co_signer", _("附议")


class SignerStatus(models.TextChoices):
    INVITED = "invited", _("待确认")
    CONFIRMED = "confirmed", _("已确认")
    DECLINED = "declined", _("已谢绝")


class SuggestionSigner(models.Model):
    """A representative who signs a suggestion: the lead, or a co-signer who confirms."""

    suggestion = models.ForeignKey(
        Suggestion, verbose_name=_("代表建议"), on_delete=models.CASCADE, related_name="signers"
    )
    representative = models.ForeignKey(
        "representatives.Representative",
        verbose_name=_("代表"),
        on_delete=models.PROTECT,
        related_name="signed_suggestions",
    )
    role = models.CharField(_("方式"), max_length=10, choices=SignerRole.choices)
    status = models.CharField(
        _("状态"), max_length=10, choices=SignerStatus.choices, default=SignerStatus.INVITED
    )
    version = models.PositiveIntegerField(default=0, editable=False)
    invited_at = models.DateTimeField(_("邀请时间"), auto_now_add=True)
    responded_at = models.DateTimeField(_("确认时间"), null=True, blank=True)

    class Meta:
        verbose_name = _("联名代表")
        verbose_name_plural = _("联名代表")
        ordering = ["suggestion", "-role", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["suggestion", "representative"], name="signer_once_per_suggestion"
            ),
            models.UniqueConstraint(
                fields=["suggestion"], condition=Q(role="lead"), name="signer_one_lead"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.representative} · {self.get_role_display()}"


class SignedMonthCount(HolderAreaColumns):
    """The suggestions taken up (立案) that a representative signed, per local month of
    submission and 履职积分 rule: "motion" for a motion they led, "suggestion" for any
    other. It is what the point source "suggestions" counts (docs/dashboard.md), one
    row per person, month and rule instead of one per signature.

    The formal services add to it when a suggestion is taken up, in the review's
    transaction (``suggestions.formal.points.count_taken_up``): the signers are final
    from submission, and a suggestion taken up is never untaken. ``manage.py
    signed_counts_rebuild`` counts it again from the signers; ``--check`` compares.
    Keeps the representative's area (``HolderAreaColumns``) for a region's ranking."""

    representative = models.ForeignKey(
        "representatives.Representative", on_delete=models.CASCADE, related_name="+"
    )
    month = models.DateField(_("月份"))  # the first day of the month submitted
    rule = models.CharField(_("积分项目"), max_length=20)
    count = models.IntegerField(_("件数"), default=0)

    class Meta:
        verbose_name = _("代表联名建议月度统计")
        verbose_name_plural = _("代表联名建议月度统计")
        constraints = [
            models.UniqueConstraint(
                fields=["representative", "month", "rule"], name="signedmonth_key"
            )
        ]
        # A period's rows (the ranking's month is often one without any: suggestions
        # are filed at the session), then its serving representatives among them.
        indexes = [
            models.Index(fields=["month", "representative"], name="signedmonth_month"),
            *(
                models.Index(fields=[f"area_{n}", "month"], name=f"signedmonth_area{n}")
                for n in range(AREA_DEPTHS)
            ),
        ]

    def __str__(self) -> str:
        return f"{self.representative_id}/{self.month:%Y-%m}/{self.rule}: {self.count}"


class SuggestionReply(models.Model):
    """The lead department's answer (答复函), or a carried-over item's follow-up report."""

    suggestion = models.ForeignKey(
        Suggestion, verbose_name=_("代表建议"), on_delete=models.CASCADE, related_name="replies"
    )
    assignment = models.ForeignKey(
        Assignment, verbose_name=_("交办事项"), on_delete=models.PROTECT, related_name="+"
    )
    department = models.ForeignKey(
        Department, verbose_name=_("承办单位"), on_delete=models.PROTECT, related_name="+"
    )
    # The engine's reply event: its attachments are the signed letter and documents.
    event = models.ForeignKey(
        CaseEvent, verbose_name=_("办理记录"), on_delete=models.PROTECT, related_name="+"
    )
    round = models.PositiveSmallIntegerField(_("答复轮次"), default=1)
    is_follow_up = models.BooleanField(_("跨年度跟踪报告"), default=False)
    category = models.CharField(_("答复类别"), max_length=1, choices=ReplyCategory.choices)
    text = models.TextField(_("答复内容"))
    signing_official = models.CharField(_("签发人"), max_length=50)
    on_time = models.BooleanField(_("按时答复"))
    replied_at = models.DateTimeField(_("答复时间"))
    replied_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        verbose_name = _("答复")
        verbose_name_plural = _("答复")
        ordering = ["suggestion", "replied_at", "pk"]

    def __str__(self) -> str:
        return f"{self.suggestion_id} · {self.category}"


class RatingChannel(models.TextChoices):
    ONLINE = "online", _("网上测评")
    PAPER = "paper", _("纸质征询意见表")


class SuggestionRating(models.Model):
    """One signer's rating of one reply (双测评: online, or a paper form entered by staff)."""

    reply = models.ForeignKey(
        SuggestionReply, verbose_name=_("答复"), on_delete=models.CASCADE, related_name="ratings"
    )
    representative = models.ForeignKey(
        "representatives.Representative",
        verbose_name=_("代表"),
        on_delete=models.PROTECT,
        related_name="suggestion_ratings",
    )
    attitude = models.CharField(
        _("办理态度"), max_length=12, choices=SuggestionSatisfaction.choices
    )
    result = models.CharField(_("办理结果"), max_length=12, choices=SuggestionSatisfaction.choices)
    comment = models.TextField(_("意见"), blank=True)
    channel = models.CharField(
        _("测评方式"), max_length=8, choices=RatingChannel.choices, default=RatingChannel.ONLINE
    )
    rated_at = models.DateTimeField(_("测评时间"), auto_now_add=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        verbose_name = _("办理测评")
        verbose_name_plural = _("办理测评")
        ordering = ["reply", "rated_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["reply", "representative"], name="rating_once_per_signer"
            )
        ]

    def __str__(self) -> str:
        return f"{self.representative} · {self.get_result_display()}"

    @property
    def is_unsatisfied(self) -> bool:
        return SuggestionSatisfaction.UNSATISFIED in (self.attitude, self.result)


class HandlingStage(models.TextChoices):
    """三见面: the department meets the representative before, during and after handling."""

    BEFORE = "before", _("办前")
    DURING = "during", _("办中")
    AFTER = "after", _("办后")


class HandlingMethod(models.TextChoices):
    FACE_TO_FACE = "face", _("当面沟通（面商）")
    SITE_VISIT = "site", _("现场察看")
    MEETING = "meeting", _("座谈会")
    PHONE = "phone", _("电话沟通")
    LETTER = "letter", _("书面沟通")


class HandlingContact(models.Model):
    """A contact between the handling department and the representative (面商)."""

    suggestion = models.ForeignKey(
        Suggestion, verbose_name=_("代表建议"), on_delete=models.CASCADE, related_name="contacts"
    )
    department = models.ForeignKey(
        Department, verbose_name=_("承办单位"), on_delete=models.PROTECT, related_name="+"
    )
    stage = models.CharField(_("阶段"), max_length=8, choices=HandlingStage.choices)
    method = models.CharField(_("方式"), max_length=8, choices=HandlingMethod.choices)
    contacted_on = models.DateField(_("日期"))
    note = models.TextField(_("沟通情况"))
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("办理沟通记录")
        verbose_name_plural = _("办理沟通记录")
        ordering = ["suggestion", "contacted_on", "pk"]

    def __str__(self) -> str:
        return f"{self.suggestion_id} · {self.get_stage_display()}"


class GroupEvaluation(models.Model):
    """二次评价: a representative group's collective evaluation of a livelihood reply."""

    suggestion = models.ForeignKey(
        Suggestion,
        verbose_name=_("代表建议"),
        on_delete=models.CASCADE,
        related_name="group_evaluations",
    )
    reply = models.ForeignKey(
        SuggestionReply, verbose_name=_("答复"), on_delete=models.CASCADE, related_name="+"
    )
    group = models.ForeignKey(
        "representatives.RepresentativeGroup",
        verbose_name=_("代表小组"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    held_on = models.DateField(_("评议日期"))
    participants = models.PositiveSmallIntegerField(_("参加人数"))
    result = models.CharField(_("评议结果"), max_length=12, choices=SuggestionSatisfaction.choices)
    comment = models.TextField(_("评议意见"), blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("代表小组二次评价")
        verbose_name_plural = _("代表小组二次评价")
        ordering = ["suggestion", "held_on", "pk"]

    def __str__(self) -> str:
        return f"{self.group} · {self.get_result_display()}"
