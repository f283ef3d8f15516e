"""Models of citizens' problems (群众身边事 / 码上办) and appointments (约见).

A ``CitizenIssue`` is submitted without an account from a station's or a
representative's QR code. The citizen holds two things: a short human tracking
code (to quote on the phone) and a secret tracking link (to see progress and
rate). Its own status moves through ``suggestions.citizen.workflow``; the work
of staff, representatives and departments is done on the closed-loop engine's
``Assignment`` rows under the same case key, so reminders, escalation and the
overdue lists work as for every other case. History is the ``CaseEvent``
timeline of ``ISSUE_CASE``.

Personal information (name, mobile) is kept only on the issue, shown masked
everywhere but to the handler who reveals it (audited), and scrubbed after the
retention period (``congress.retention``). Phone numbers are also kept as a
keyed hash, which is all the ban list and the rate limit ever see.
"""

from __future__ import annotations

import secrets
import uuid

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from congress.areas import AREA_DEPTHS
from congress.models import Region
from suggestions.models.appointment import Appointment, AppointmentKind, AppointmentStatus

__all__ = [
    "Appointment",
    "AppointmentKind",
    "AppointmentStatus",
    "BannedPhone",
    "CitizenIssue",
    "CitizenMessage",
    "ConversionKind",
    "DeclineChannel",
    "IssueCategory",
    "IssueCount",
    "IssueDepartment",
    "IssuePhoto",
    "IssueRating",
    "IssueSource",
    "IssueStatus",
    "MessageStatus",
    "SavedIssueFilter",
]


class IssueCategory(models.Model):
    """The configurable taxonomy of problems (the defaults are created after migrate)."""

    code = models.SlugField(_("代码"), max_length=30, unique=True)
    name = models.CharField(_("名称"), max_length=50)
    sort_order = models.PositiveSmallIntegerField(_("排序"), default=100)
    is_active = models.BooleanField(_("启用"), default=True)

    class Meta:
        verbose_name = _("问题类别")
        verbose_name_plural = _("问题类别")
        ordering = ["sort_order", "code"]

    def __str__(self) -> str:
        return self.name


class IssueStatus(models.TextChoices):
    PENDING_CONFIRMATION = "pending_confirmation", _("待短信确认")
    PENDING_REVIEW = "pending_review", _("待审核")
    SUBMITTED = "submitted", _("待受理")
    ACCEPTED = "accepted", _("已受理")
    WITH_REPRESENTATIVE = "with_representative", _("代表办理中")
    FORWARDED = "forwarded", _("部门办理中")
    DEPARTMENT_REPLIED = "department_replied", _("部门已答复")
    ANSWERED = "answered", _("已答复待评价")
    CLOSED = "closed", _("已办结")
    DECLINED = "declined", _("不予受理")
    MERGED = "merged", _("已合并办理")
    CONVERTED = "converted", _("已转为建议")
    REJECTED = "rejected", _("已屏蔽")


# Being worked on by someone: the statuses a similar-problem search offers to join.
OPEN_ISSUE_STATUSES = [
    IssueStatus.SUBMITTED,
    IssueStatus.ACCEPTED,
    IssueStatus.WITH_REPRESENTATIVE,
    IssueStatus.FORWARDED,
    IssueStatus.DEPARTMENT_REPLIED,
]
# Handled: what a station's public board (公示栏) shows.
HANDLED_ISSUE_STATUSES = [IssueStatus.ANSWERED, IssueStatus.CLOSED]
# Finished: personal data may be scrubbed once the retention period has run out.
FINAL_ISSUE_STATUSES = [
    IssueStatus.CLOSED,
    IssueStatus.DECLINED,
    IssueStatus.MERGED,
    IssueStatus.CONVERTED,
    IssueStatus.REJECTED,
]
# Not yet let through to handlers (unconfirmed, or held for moderation).
GATED_ISSUE_STATUSES = [
    IssueStatus.PENDING_CONFIRMATION,
    IssueStatus.PENDING_REVIEW,
    IssueStatus.REJECTED,
]


class IssueSource(models.TextChoices):
    STATION = "station", _("扫家站点二维码")
    REPRESENTATIVE = "representative", _("扫代表连心卡")
    WEB = "web", _("网上提交")
    CONTACT = "contact", _("代表联系选民时收集")
    API = "api", _("接口提交")


class IssueRating(models.TextChoices):
    SATISFIED = "satisfied", _("满意")
    BASICALLY = "basically", _("基本满意")
    UNSATISFIED = "unsatisfied", _("不满意")
    NOT_RATED = "not_rated", _("未评价")


class DeclineChannel(models.TextChoices):
    """Where a problem that representatives cannot take up belongs (告知正确渠道)."""

    HOTLINE = "hotline", _("12345政务服务便民热线")
    PETITION = "petition", _("信访部门")
    LITIGATION = "litigation", _("人民法院（诉讼）")
    ARBITRATION = "arbitration", _("劳动人事争议仲裁")
    POLICE = "police", _("公安机关（110）")
    OTHER = "other", _("其他渠道")


class ConversionKind(models.TextChoices):
    SUGGESTION = "suggestion", _("代表建议")
    LIVELIHOOD = "livelihood", _("民生实事项目建议")


def new_tracking_token() -> str:
    """The secret in a citizen's tracking link: 192 random bits, never the id or phone."""
    return secrets.token_urlsafe(24)


class CitizenIssue(models.Model):
    tracking_code = models.CharField(_("查询码"), max_length=8, unique=True, editable=False)
    tracking_token = models.CharField(
        max_length=43, unique=True, default=new_tracking_token, editable=False
    )
    # From the form when it is first shown: a retry or a double tap carries the
    # same key and finds the issue already there (unique: the database decides).
    idempotency_key = models.UUIDField(unique=True, default=uuid.uuid4, editable=False)
    source = models.CharField(_("来源"), max_length=16, choices=IssueSource.choices)
    category = models.ForeignKey(
        IssueCategory, verbose_name=_("类别"), on_delete=models.PROTECT, related_name="issues"
    )
    title = models.CharField(_("标题"), max_length=60)
    description = models.TextField(_("问题描述"))
    # Where the problem is: the station's region, or the grid a representative
    # answers for. Scoping ("staff see their region and below") reads its path.
    region = models.ForeignKey(
        Region, verbose_name=_("所在区划"), on_delete=models.PROTECT, related_name="+"
    )
    station = models.ForeignKey(
        "representatives.Station",
        verbose_name=_("家站点"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="citizen_issues",
    )
    representative = models.ForeignKey(
        "representatives.Representative",
        verbose_name=_("反映给代表"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="addressed_citizen_issues",
    )
    handler = models.ForeignKey(
        "representatives.Representative",
        verbose_name=_("办理代表"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="handled_citizen_issues",
    )
    address = models.CharField(_("详细地点"), max_length=200, blank=True)
    latitude = models.DecimalField(_("纬度"), max_digits=9, decimal_places=6, null=True, blank=True)
    longitude = models.DecimalField(
        _("经度"), max_digits=9, decimal_places=6, null=True, blank=True
    )
    citizen_name = models.CharField(_("姓名"), max_length=50, blank=True)
    mobile = models.CharField(_("手机号"), max_length=20, blank=True)
    mobile_hash = models.CharField(max_length=64, blank=True, editable=False)
    wants_sms = models.BooleanField(_("短信通知进展"), default=False)
    public_anonymous = models.BooleanField(_("公示时匿名"), default=True)
    consent_at = models.DateTimeField(_("同意个人信息告知时间"), null=True, blank=True)
    consent_version = models.CharField(_("告知版本"), max_length=20, blank=True)
    status = models.CharField(
        _("状态"), max_length=24, choices=IssueStatus.choices, default=IssueStatus.SUBMITTED
    )
    version = models.PositiveIntegerField(default=0, editable=False)
    # The congress's rules in force when the problem was submitted (its deadlines, the
    # SMS confirmation, the moderation words; ``congress.rules``, docs/rules.md): its
    # later steps follow these, so a later change of the rules applies to new problems
    # only. Empty on a problem from before rules were recorded (it follows today's).
    rules_in_force = models.JSONField(_("立案时的规则"), default=dict, blank=True, editable=False)
    moderation_reason = models.CharField(_("待审核原因"), max_length=200, blank=True)
    confirmation_code_hash = models.CharField(max_length=64, blank=True, editable=False)
    confirmation_attempts = models.PositiveSmallIntegerField(default=0, editable=False)
    decline_reason = models.TextField(_("不予受理理由"), blank=True)
    decline_channel = models.CharField(
        _("建议反映渠道"), max_length=16, choices=DeclineChannel.choices, blank=True
    )
    merged_into = models.ForeignKey(
        "self",
        verbose_name=_("并入"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="merged_issues",
    )
    supporters = models.PositiveIntegerField(
        _("同类反映人数"), default=1, help_text=_("含并入本件的反映")
    )
    converted_to = models.CharField(
        _("转为"), max_length=16, choices=ConversionKind.choices, blank=True
    )
    answer = models.TextField(_("答复群众"), blank=True)
    answered_at = models.DateTimeField(_("答复时间"), null=True, blank=True)
    rating = models.CharField(_("评价"), max_length=12, choices=IssueRating.choices, blank=True)
    rating_comment = models.CharField(_("评价意见"), max_length=500, blank=True)
    rated_at = models.DateTimeField(_("评价时间"), null=True, blank=True)
    rating_due_on = models.DateField(_("评价截止日"), null=True, blank=True)
    reopen_count = models.PositiveSmallIntegerField(_("重新办理次数"), default=0)
    needs_supervision = models.BooleanField(_("需督办"), default=False)
    hidden_from_public = models.BooleanField(_("不在公示栏显示"), default=False)
    closed_at = models.DateTimeField(_("办结时间"), null=True, blank=True)
    anonymised_at = models.DateTimeField(_("个人信息匿名化时间"), null=True, blank=True)
    created_at = models.DateTimeField(_("提交时间"), auto_now_add=True, db_index=True)
    updated_at = models.DateTimeField(_("更新时间"), auto_now=True)
    # Facts the lists filter on, kept on the row by the services so that a list is
    # an index range whatever the size of the table (docs/architecture.md, "Reads
    # that do not grow with the data"). ``area_N`` is the id of the region's
    # ancestor at depth N (itself included): staff of a region at depth N see
    # ``area_N = region.pk``, one equality that an index (area_N, created_at) serves
    # in list order. Depths 0-3 are the levels with a congress and staff
    # (province, city, county, township in a province's tree).
    area_0 = models.BigIntegerField(null=True, blank=True, editable=False)
    area_1 = models.BigIntegerField(null=True, blank=True, editable=False)
    area_2 = models.BigIntegerField(null=True, blank=True, editable=False)
    area_3 = models.BigIntegerField(null=True, blank=True, editable=False)
    # The earliest due date of the problem's open closed-loop steps (null: none
    # open), set by the engine's hook in the same transaction as the step's change:
    # "overdue" is ``next_due_on < today`` on an index, not a subquery per row.
    next_due_on = models.DateField(_("办理期限"), null=True, blank=True, editable=False)
    next_due_provisional = models.BooleanField(default=False, db_default=False, editable=False)

    class Meta:
        verbose_name = _("群众反映问题")
        verbose_name_plural = _("群众反映问题")
        ordering = ["-created_at", "-pk"]
        permissions = [("export_personal_data", _("导出群众个人信息"))]
        indexes = [
            models.Index(fields=["status", "created_at"], name="citizenissue_status"),
            models.Index(fields=["station", "status"], name="citizenissue_station"),
            models.Index(
                fields=["rating_due_on"],
                name="citizenissue_rating_due",
                condition=Q(status="answered"),
            ),
            models.Index(
                fields=["mobile_hash"], name="citizenissue_mobile", condition=~Q(mobile_hash="")
            ),
            # A jurisdiction's list, newest first, read in index order (keyset pages).
            *(
                models.Index(fields=[f"area_{n}", "created_at", "id"], name=f"citizenissue_area{n}")
                for n in range(AREA_DEPTHS)
            ),
            # A jurisdiction's open problems by due date: 已超期 and 即将到期 are ranges.
            *(
                models.Index(
                    fields=[f"area_{n}", "next_due_on"],
                    name=f"citizenissue_area{n}_due",
                    condition=Q(next_due_on__isnull=False),
                )
                for n in range(AREA_DEPTHS)
            ),
            models.Index(
                fields=["next_due_on"],
                name="citizenissue_due",
                condition=Q(next_due_on__isnull=False),
            ),
            # Problems a representative saw through to a close, by closing time: the
            # points' tally and the dashboard's activity ranking read a period of them.
            models.Index(
                # A representative's problems closed in a period (履职积分, the ranking):
                # by representative first, so each one's probe reads only its period.
                fields=["handler", "closed_at"],
                name="citizenissue_handled",
                condition=Q(status="closed", handler__isnull=False),
            ),
            # The same problems by closing time alone, with the representative: a
            # month's closes counted from the index only (the tally counts handlers,
            # not keys), where one city holds many of them (a million problems in one
            # city: last month's ranking 165 -> 37 ms). The planner takes this or the
            # probes above by cost.
            models.Index(
                fields=["closed_at", "handler"],
                name="citizenissue_closed_handler",
                condition=Q(status="closed", handler__isnull=False),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.tracking_code} {self.title}"

    def get_absolute_url(self) -> str:
        return reverse("citizen_issue_detail", args=[self.pk])

    def get_tracking_url(self) -> str:
        return reverse("citizen_issue_track", args=[self.tracking_token])

    @property
    def count_area_id(self) -> int | None:
        """The area whose ``IssueCount`` rows count this problem (see there)."""
        return self.area_3 or self.area_2 or self.area_1 or self.area_0


class IssueCount(models.Model):
    """How many problems an area holds, per status and 需督办 flag: the summary the
    home cards and list headers read instead of counting a jurisdiction's rows.

    The area is the problem's ancestor at depth 3 (a township in a province's
    tree), or its own region when that is shallower: the smallest unit any
    staff jurisdiction is made of. A jurisdiction's figure is the sum over the
    areas below it (a city: about a hundred areas), never a row per ancestor,
    which would make every submission in a city update the same city row and
    queue behind each other. The services keep it in step in the same
    transaction as the problem's change; ``manage.py issue_reads_rebuild``
    rebuilds it from the table.
    """

    area = models.ForeignKey(Region, on_delete=models.CASCADE, related_name="+")
    status = models.CharField(max_length=24, choices=IssueStatus.choices)
    needs_supervision = models.BooleanField(default=False)
    count = models.IntegerField(default=0)

    class Meta:
        verbose_name = _("群众反映问题统计")
        verbose_name_plural = _("群众反映问题统计")
        constraints = [
            models.UniqueConstraint(
                fields=["area", "status", "needs_supervision"], name="issuecount_key"
            )
        ]

    def __str__(self) -> str:
        return f"{self.area_id}/{self.status}/{self.needs_supervision}: {self.count}"


class IssueDepartment(models.Model):
    """A department a problem was handed to: what its clerks may see, with the
    problem's ``created_at`` kept on the row so a clerk's list is read in its order.

    A clerk sees every problem any of their departments was ever given a step of.
    Read from the steps, that scope is a semi-join the planner can only check row by
    row along the newest problems of the whole city, most of which no department has
    (yet): the busiest department's first page read 97,000 problems at a million.
    Here the index (department, problem's created_at, problem) hands out a
    department's newest problems in list order, so a clerk's page reads 51 entries
    at any size (docs/architecture.md, "Reads that do not grow with the data").
    The row also carries the problem's status, 需督办 flag and earliest open due date,
    so the clerk's home card counts them on this table's indexes up to a bound
    instead of grouping every problem the department ever held.

    The engine's hook (``issue_steps_changed``) adds the row and its due date in the
    same transaction as the step, the channel's one ``_transition`` its status and
    flag; ``manage.py issue_reads_rebuild`` rebuilds the table from the steps.
    """

    # No single-column indexes: the unique (issue, department) and the list's index
    # lead with each foreign key and serve its lookups and cascades.
    issue = models.ForeignKey(
        CitizenIssue, on_delete=models.CASCADE, related_name="handed_to", db_index=False
    )
    department = models.ForeignKey(
        "congress.Department", on_delete=models.CASCADE, related_name="+", db_index=False
    )
    issue_created_at = models.DateTimeField()
    status = models.CharField(max_length=24, choices=IssueStatus.choices)
    needs_supervision = models.BooleanField(default=False)
    next_due_on = models.DateField(null=True, blank=True)

    class Meta:
        verbose_name = _("问题交办单位")
        verbose_name_plural = _("问题交办单位")
        constraints = [
            models.UniqueConstraint(fields=["issue", "department"], name="issuedepartment_key")
        ]
        indexes = [
            models.Index(
                fields=["department", "-issue_created_at", "-issue"], name="issuedepartment_list"
            ),
            models.Index(
                fields=["department", "status", "needs_supervision"],
                name="issuedepartment_status",
            ),
            models.Index(
                fields=["department", "next_due_on"],
                name="issuedepartment_due",
                condition=models.Q(next_due_on__isnull=False),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.issue_id} → {self.department_id}"


def photo_path(instance: IssuePhoto, filename: str) -> str:
    # Never the citizen's file name: a random token and the extension we wrote.
    return f"citizen/{instance.created_at:%Y/%m}/{instance.token}{instance.extension}"


class IssuePhoto(models.Model):
    """A photo of a problem, re-encoded without metadata (``congress.uploads``)."""

    issue = models.ForeignKey(
        CitizenIssue, verbose_name=_("问题"), on_delete=models.CASCADE, related_name="photos"
    )
    token = models.CharField(max_length=32, unique=True, editable=False)
    file = models.FileField(_("照片"), upload_to=photo_path, max_length=200)
    extension = models.CharField(max_length=10)
    content_type = models.CharField(max_length=40)
    width = models.PositiveIntegerField(null=True, blank=True)
    height = models.PositiveIntegerField(null=True, blank=True)
    size = models.PositiveIntegerField(default=0)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("问题照片")
        verbose_name_plural = _("问题照片")
        ordering = ["issue", "pk"]

    def __str__(self) -> str:
        return f"{self.issue_id}/{self.token[:6]}"


class BannedPhone(models.Model):
    """A phone number that may not submit (abuse). Only its keyed hash is kept."""

    mobile_hash = models.CharField(max_length=64, unique=True, editable=False)
    reason = models.CharField(_("原因"), max_length=200)
    expires_at = models.DateTimeField(_("解除时间"), null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("操作人"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    created_at = models.DateTimeField(_("时间"), auto_now_add=True)

    class Meta:
        verbose_name = _("限制提交的手机号")
        verbose_name_plural = _("限制提交的手机号")
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.mobile_hash[:8]}… {self.reason}"


class SavedIssueFilter(models.Model):
    """A staff member's named search on the problem list (the query string)."""

    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="saved_issue_filters"
    )
    name = models.CharField(_("名称"), max_length=40)
    query = models.CharField(_("筛选条件"), max_length=1000)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("常用筛选")
        verbose_name_plural = _("常用筛选")
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(fields=["owner", "name"], name="saved_issue_filter_name")
        ]

    def __str__(self) -> str:
        return self.name


class MessageStatus(models.TextChoices):
    PENDING = "pending", _("待发送")
    SENT = "sent", _("已发送")
    FAILED = "failed", _("发送失败")
    SKIPPED = "skipped", _("未发送")


class CitizenMessage(models.Model):
    """An SMS to a citizen (who has no account, hence no inbox): the outbox row.

    The number is read from the issue or appointment when sending, never copied
    here; ``dedupe_key`` makes "the rating request for round 2" exist once, so a
    retried service or task never texts anyone twice.
    """

    issue = models.ForeignKey(
        CitizenIssue, null=True, blank=True, on_delete=models.CASCADE, related_name="messages"
    )
    appointment = models.ForeignKey(
        Appointment, null=True, blank=True, on_delete=models.CASCADE, related_name="messages"
    )
    dedupe_key = models.CharField(max_length=80, unique=True)
    text = models.CharField(_("内容"), max_length=300)
    status = models.CharField(
        _("状态"), max_length=8, choices=MessageStatus.choices, default=MessageStatus.PENDING
    )
    attempts = models.PositiveSmallIntegerField(default=0)
    claimed_until = models.DateTimeField(null=True, blank=True)
    sent_at = models.DateTimeField(null=True, blank=True)
    last_error = models.CharField(max_length=300, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("群众短信")
        verbose_name_plural = _("群众短信")
        ordering = ["-created_at"]
        indexes = [
            models.Index(
                fields=["created_at"],
                name="citizenmessage_pending",
                condition=Q(status="pending"),
            )
        ]

    def __str__(self) -> str:
        return self.dedupe_key
