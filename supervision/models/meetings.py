"""Standing-committee meetings (常委会会议), the reports heard at them, inquiry questions
and the members' satisfaction votes (满意度测评) on a report (docs/supervision-meetings.md).

A report's arrival is a loop item of the reporting body (``congress.Assignment`` of the
case type ``supervision.meeting_report``, due a configurable number of days before the
meeting, 监督法 2024); a late report is accepted and flagged (``AgendaItem.late``). A vote
is the core's secret ballot (``congress.models.ballots.BallotBox``, the rating form): this
app stores no ballot, only which box belongs to which report and the box's outcome.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from congress.models import BallotBox, Congress, Department, Region
from congress.models.ballots import Rating
from supervision.models.topics import Topic


class MeetingStatus(models.TextChoices):
    SCHEDULED = "scheduled", _("已安排")
    HELD = "held", _("已召开")
    CANCELLED = "cancelled", _("已取消")


class Meeting(models.Model):
    """第N次常委会会议 of a congress: its date, venue, members and agenda."""

    congress = models.ForeignKey(
        Congress, verbose_name=_("人大"), on_delete=models.PROTECT, related_name="+"
    )
    # The congress's region, copied so that the scope is a column of the row.
    region = models.ForeignKey(
        Region, verbose_name=_("行政区划"), on_delete=models.PROTECT, related_name="+"
    )
    number = models.PositiveSmallIntegerField(_("会议次数"))
    held_on = models.DateField(_("会议日期"))
    venue = models.CharField(_("会议地点"), max_length=100, blank=True)
    status = models.CharField(
        _("状态"), max_length=12, choices=MeetingStatus.choices, default=MeetingStatus.SCHEDULED
    )
    version = models.PositiveIntegerField(default=0, editable=False)
    created_at = models.DateTimeField(_("创建时间"), auto_now_add=True)

    class Meta:
        verbose_name = _("常委会会议")
        verbose_name_plural = _("常委会会议")
        ordering = ["-held_on", "-id"]
        indexes = [models.Index(fields=["region", "-held_on", "-id"], name="meeting_region_date")]
        constraints = [
            models.UniqueConstraint(fields=["congress", "number"], name="meeting_unique_number")
        ]

    def __str__(self) -> str:
        return str(
            _("%(congress)s常委会第%(number)s次会议")
            % {"congress": self.congress.name, "number": self.number}
        )

    def get_absolute_url(self) -> str:
        return reverse("supervision_meeting_detail", args=[self.pk])


class MeetingMember(models.Model):
    """A member of the standing committee called to the meeting (a ``Role.COMMITTEE``
    grant of the congress's region when the meeting was scheduled), and their attendance."""

    meeting = models.ForeignKey(
        Meeting, verbose_name=_("会议"), on_delete=models.CASCADE, related_name="members"
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("组成人员"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    # None: not recorded yet.
    attended = models.BooleanField(_("出席"), null=True)

    class Meta:
        verbose_name = _("会议组成人员")
        verbose_name_plural = _("会议组成人员")
        constraints = [
            models.UniqueConstraint(fields=["meeting", "user"], name="meeting_member_unique")
        ]
        # A member's home reads their meetings by user.
        indexes = [models.Index(fields=["user", "meeting"], name="meeting_member_user")]

    def __str__(self) -> str:
        return str(self.user)


class ItemKind(models.TextChoices):
    REPORT = "report", _("听取审议专项工作报告")
    INQUIRY = "inquiry", _("专题询问")


class ReportStatus(models.TextChoices):
    AWAITED = "awaited", _("待报送")
    RECEIVED = "received", _("已报送")
    # The kinds without a report (an inquiry) have no report status.
    NONE = "none", _("无需报送")


class VoteStatus(models.TextChoices):
    OPEN = "open", _("测评中")
    CLOSED = "closed", _("已测评")


class AgendaItem(models.Model):
    """One item of a meeting's agenda: a report to hear and review (by a reporting body,
    due before the meeting), or an inquiry. A report may be put to a satisfaction vote."""

    meeting = models.ForeignKey(
        Meeting, verbose_name=_("会议"), on_delete=models.CASCADE, related_name="items"
    )
    # Copied from the meeting for the scope of the API list and the clerk's lookups.
    region = models.ForeignKey(
        Region, verbose_name=_("行政区划"), on_delete=models.PROTECT, related_name="+"
    )
    kind = models.CharField(_("议题类型"), max_length=12, choices=ItemKind.choices)
    title = models.CharField(_("议题"), max_length=200)
    position = models.PositiveSmallIntegerField(_("顺序"), default=1)
    topic = models.ForeignKey(
        Topic,
        verbose_name=_("监督议题"),
        on_delete=models.PROTECT,
        related_name="agenda_items",
        null=True,
        blank=True,
    )
    department = models.ForeignKey(
        Department,
        verbose_name=_("报告单位"),
        on_delete=models.PROTECT,
        related_name="+",
        null=True,
        blank=True,
    )
    # 监督法 (2024 修正) 的三个时点, each a loop item (docs/supervision-meetings.md,
    # 'Rules'): the draft for comments reaches the committee (the body's), the report the
    # standing committee (``due_on``, the body's), the office sends it to the members (the
    # staff's). A stage without its due date (an item made before they were tracked, or a
    # handling report heard again) is not tracked.
    draft_due_on = models.DateField(_("征求意见稿送交期限"), null=True, blank=True)
    draft_text = models.TextField(_("征求意见稿"), blank=True)
    draft_received_at = models.DateTimeField(_("征求意见稿送交时间"), null=True, blank=True)
    draft_late = models.BooleanField(_("征求意见稿逾期送交"), default=False)
    draft_comments = models.TextField(_("对征求意见稿的意见"), blank=True)
    due_on = models.DateField(_("报送期限"), null=True, blank=True)
    # The report's status (an inquiry has none); moved by ``apply_transition`` only.
    status = models.CharField(
        _("报告状态"), max_length=10, choices=ReportStatus.choices, default=ReportStatus.NONE
    )
    report_text = models.TextField(_("报告正文"), blank=True)
    received_at = models.DateTimeField(_("报送时间"), null=True, blank=True)
    late = models.BooleanField(_("逾期报送"), default=False)
    members_due_on = models.DateField(_("发送组成人员期限"), null=True, blank=True)
    sent_to_members_at = models.DateTimeField(_("发送组成人员时间"), null=True, blank=True)
    members_late = models.BooleanField(_("逾期发送组成人员"), default=False)
    # A re-report after 不满意 points to the report that was not accepted.
    re_report_of = models.ForeignKey(
        "self",
        verbose_name=_("整改后再次报告"),
        on_delete=models.PROTECT,
        related_name="re_reports",
        null=True,
        blank=True,
    )
    version = models.PositiveIntegerField(default=0, editable=False)

    class Meta:
        verbose_name = _("会议议题")
        verbose_name_plural = _("会议议题")
        ordering = ["meeting", "position", "id"]
        indexes = [
            # The clerk's reports awaited, by department.
            models.Index(fields=["department", "status"], name="agenda_dept_report"),
        ]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("supervision_agenda_item", args=[self.pk])


class EvaluationVote(models.Model):
    """满意度测评 of one report by the meeting's members: the core's ballot box (rating
    form, one option: the report) and, once closed, the outcome under the rule copied
    here when it opened (a later change of settings changes no published result)."""

    item = models.OneToOneField(
        AgendaItem, verbose_name=_("议题"), on_delete=models.CASCADE, related_name="vote"
    )
    region = models.ForeignKey(
        Region, verbose_name=_("行政区划"), on_delete=models.PROTECT, related_name="+"
    )
    box = models.OneToOneField(
        BallotBox, verbose_name=_("票箱"), on_delete=models.PROTECT, related_name="+"
    )
    status = models.CharField(
        _("状态"), max_length=10, choices=VoteStatus.choices, default=VoteStatus.OPEN
    )
    outcome_rule = models.CharField(_("测评规则"), max_length=40)
    # The rule's word once closed (a congress.models.ballots.Rating value).
    outcome = models.CharField(_("测评结果"), max_length=16, blank=True, choices=Rating.choices)
    # A second 不满意 in the same chain of reports: 质询 or a special investigation.
    flagged_for_inquiry = models.BooleanField(_("建议质询或特定问题调查"), default=False)
    opened_at = models.DateTimeField(_("开始时间"), auto_now_add=True)
    version = models.PositiveIntegerField(default=0, editable=False)

    class Meta:
        verbose_name = _("满意度测评")
        verbose_name_plural = _("满意度测评")

    def __str__(self) -> str:
        return str(self.item)


class Question(models.Model):
    """One question at an inquiry (专题询问): who asked (a member or a representative, by
    name), who answered (an official of a department), the answer, and optionally the
    asker's satisfaction with it. A follow-up (追问) points to the question it follows."""

    item = models.ForeignKey(
        AgendaItem, verbose_name=_("议题"), on_delete=models.CASCADE, related_name="questions"
    )
    asker = models.CharField(_("询问人"), max_length=50)
    # The member who asked, when the asker is one of the meeting's members (a
    # representative invited to ask has no seat here): their home lists their questions.
    asked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("询问的组成人员"),
        on_delete=models.PROTECT,
        related_name="+",
        null=True,
        blank=True,
    )
    respondent = models.CharField(_("应询人"), max_length=80)
    department = models.ForeignKey(
        Department,
        verbose_name=_("应询单位"),
        on_delete=models.PROTECT,
        related_name="+",
        null=True,
        blank=True,
    )
    text = models.TextField(_("询问内容"))
    answer = models.TextField(_("回答内容"), blank=True)
    follow_up_of = models.ForeignKey(
        "self",
        verbose_name=_("追问"),
        on_delete=models.CASCADE,
        related_name="follow_ups",
        null=True,
        blank=True,
    )
    satisfaction = models.CharField(_("满意度"), max_length=16, blank=True, choices=Rating.choices)
    # When the satisfaction was recorded (or last changed): the month it counts in the
    # departments' league (meetings/handling_ratings.py).
    rated_at = models.DateTimeField(_("评价时间"), null=True, blank=True)
    created_at = models.DateTimeField(_("记录时间"), auto_now_add=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("记录人"),
        on_delete=models.SET_NULL,
        related_name="+",
        null=True,
    )

    class Meta:
        verbose_name = _("询问")
        verbose_name_plural = _("询问")
        ordering = ["item", "id"]

    def __str__(self) -> str:
        return self.text[:40]


class OpinionStatus(models.TextChoices):
    DRAFT = "draft", _("起草中")
    ISSUED = "issued", _("已交办")
    HANDLED = "handled", _("已报送研究处理情况")
    SCHEDULED = "scheduled", _("已列入会议议程")


class ReviewOpinion(models.Model):
    """审议意见 on a report heard at a meeting: drafted after the meeting, issued to a body
    (the government or one of its departments) with a handling deadline (a loop item of the
    body); its 研究处理情况报告 is received and put on a later meeting's agenda."""

    item = models.ForeignKey(
        AgendaItem, verbose_name=_("议题"), on_delete=models.PROTECT, related_name="opinions"
    )
    region = models.ForeignKey(
        Region, verbose_name=_("行政区划"), on_delete=models.PROTECT, related_name="+"
    )
    department = models.ForeignKey(
        Department, verbose_name=_("交办单位"), on_delete=models.PROTECT, related_name="+"
    )
    text = models.TextField(_("审议意见"))
    status = models.CharField(
        _("状态"), max_length=10, choices=OpinionStatus.choices, default=OpinionStatus.DRAFT
    )
    due_on = models.DateField(_("办理期限"), null=True, blank=True)
    handling_report = models.TextField(_("研究处理情况报告"), blank=True)
    handled_at = models.DateTimeField(_("报送时间"), null=True, blank=True)
    late = models.BooleanField(_("逾期报送"), default=False)
    # The later meeting's item where the handling report is heard.
    heard_at = models.OneToOneField(
        AgendaItem,
        verbose_name=_("听取研究处理情况报告的议题"),
        on_delete=models.PROTECT,
        related_name="handling_of",
        null=True,
        blank=True,
    )
    version = models.PositiveIntegerField(default=0, editable=False)
    created_at = models.DateTimeField(_("创建时间"), auto_now_add=True)

    class Meta:
        verbose_name = _("审议意见")
        verbose_name_plural = _("审议意见")
        ordering = ["-created_at", "-id"]
        indexes = [
            models.Index(fields=["department", "status"], name="opinion_dept_status"),
        ]

    def __str__(self) -> str:
        return str(_("关于《%(title)s》的审议意见") % {"title": self.item.title})

    def get_absolute_url(self) -> str:
        return reverse("supervision_opinion_detail", args=[self.pk])
