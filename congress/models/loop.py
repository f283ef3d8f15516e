"""Timelines, assignments, deadlines, reminders (docs/architecture.md, 'The closed loop')."""

from __future__ import annotations

import uuid
from typing import Any

from django.conf import settings
from django.db import models, transaction
from django.db.models.signals import post_save
from django.dispatch import receiver
from django.utils.translation import gettext_lazy as _

from congress import history
from congress.areas import AREA_FIELDS
from congress.models.accounts import Department
from congress.models.regions import Region


class CaseEvent(models.Model):
    """One step on a case's timeline. History is read from these rows, never rebuilt.

    ``case_type`` is the registered key of the case's model (e.g.
    ``suggestions.citizenissue``); ``note`` is internal, ``public_note`` is the
    plain-language line a citizen sees on their tracking page (empty: not shown).
    """

    case_type = models.CharField(_("事项类型"), max_length=60)
    case_id = models.PositiveBigIntegerField(_("事项ID"))
    assignment = models.ForeignKey(
        "Assignment",
        verbose_name=_("交办"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="events",
    )
    at = models.DateTimeField(_("时间"), auto_now_add=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("操作人"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    actor_label = models.CharField(_("操作方"), max_length=100, blank=True)
    action = models.CharField(_("动作"), max_length=40)
    from_status = models.CharField(_("原状态"), max_length=30, blank=True)
    to_status = models.CharField(_("新状态"), max_length=30, blank=True)
    note = models.TextField(_("说明"), blank=True)
    public_note = models.TextField(_("公开说明"), blank=True)
    data = models.JSONField(_("数据"), default=dict, blank=True)

    class Meta:
        verbose_name = _("办理记录")
        verbose_name_plural = _("办理记录")
        ordering = ["at", "pk"]
        indexes = [models.Index(fields=["case_type", "case_id", "at"], name="caseevent_case")]

    def __str__(self) -> str:
        return f"{self.case_type}#{self.case_id} {self.action}"

    @property
    def action_label(self) -> str:
        return self._label("action", self.action)

    @property
    def to_status_label(self) -> str:
        return self._label("status", self.to_status)

    def _label(self, kind: str, key: str) -> str:
        from congress.registry import label_of

        return label_of(
            kind, key, case_type=self.case_type, of_assignment=self.assignment_id is not None
        )


def attachment_path(instance: EventAttachment, filename: str) -> str:
    # The stored name never comes from the user: only the extension we checked.
    return f"attachments/{instance.event.at:%Y/%m}/{instance.token}{instance.extension}"


class EventAttachment(models.Model):
    event = models.ForeignKey(
        CaseEvent, verbose_name=_("办理记录"), on_delete=models.CASCADE, related_name="attachments"
    )
    token = models.CharField(max_length=32, unique=True, editable=False)
    file = models.FileField(_("文件"), upload_to=attachment_path, max_length=200)
    original_name = models.CharField(_("文件名"), max_length=120)
    extension = models.CharField(max_length=10)
    content_type = models.CharField(max_length=80)
    size = models.PositiveIntegerField()

    class Meta:
        verbose_name = _("附件")
        verbose_name_plural = _("附件")

    def __str__(self) -> str:
        return self.original_name


class AssignmentRole(models.TextChoices):
    LEAD = "lead", _("主办")
    CO_HANDLER = "co_handler", _("协办")


class AssignmentStatus(models.TextChoices):
    ASSIGNED = "assigned", _("待签收")
    ACCEPTED = "accepted", _("已签收")
    IN_PROGRESS = "in_progress", _("办理中")
    ON_HOLD = "on_hold", _("暂停")
    EXTENSION_REQUESTED = "extension_requested", _("申请延期")
    RETURN_REQUESTED = "return_requested", _("申请退回")
    RETURNED = "returned", _("已退回")
    REPLIED = "replied", _("已答复")
    CLOSED = "closed", _("已办结")
    CANCELLED = "cancelled", _("已撤销")


OPEN_STATUSES = [
    AssignmentStatus.ASSIGNED,
    AssignmentStatus.ACCEPTED,
    AssignmentStatus.IN_PROGRESS,
    AssignmentStatus.ON_HOLD,
    AssignmentStatus.EXTENSION_REQUESTED,
    AssignmentStatus.RETURN_REQUESTED,
]


class Assignment(models.Model):
    """A piece of work handed to one assignee for one case, due by a date.

    The assignee is exactly one of: a department (承办单位), a user (e.g. a
    representative), or the congress staff of a region.
    """

    case_type = models.CharField(_("事项类型"), max_length=60)
    case_id = models.PositiveBigIntegerField(_("事项ID"))
    title = models.CharField(_("事项标题"), max_length=200)
    region = models.ForeignKey(
        Region, verbose_name=_("所属行政区划"), on_delete=models.PROTECT, related_name="+"
    )
    department = models.ForeignKey(
        Department,
        verbose_name=_("承办单位"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="assignments",
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("承办人"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="assignments",
    )
    staff_region = models.ForeignKey(
        Region,
        verbose_name=_("人大工作机构"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    role = models.CharField(
        _("承办方式"), max_length=12, choices=AssignmentRole.choices, default=AssignmentRole.LEAD
    )
    status = models.CharField(
        _("状态"),
        max_length=24,
        choices=AssignmentStatus.choices,
        default=AssignmentStatus.ASSIGNED,
    )
    status_before_pause = models.CharField(max_length=24, blank=True, editable=False)
    paused_on = models.DateField(null=True, blank=True, editable=False)
    version = models.PositiveIntegerField(default=0, editable=False)
    assigned_at = models.DateTimeField(_("交办时间"))
    due_on = models.DateField(_("办理期限"))
    original_due_on = models.DateField(_("原定期限"))
    latest_due_on = models.DateField(
        _("最长期限"), null=True, blank=True, help_text=_("延期不得超过此日期")
    )
    # How due_on was counted (start, amount, unit, working days added after pauses),
    # so a change of the calendar can count it again; null for a date a person chose.
    due_basis = models.JSONField(null=True, blank=True, editable=False)
    # Counted across a year whose holiday notice is not published yet (workdays.py).
    due_provisional = models.BooleanField(
        _("按暂定日历计算"),
        default=False,
        editable=False,
        help_text=_("期限跨越放假安排尚未公布的年份，暂按法定节假日和周末计算；公布后自动重新计算"),
    )
    closed_at = models.DateTimeField(_("办结时间"), null=True, blank=True)
    replied_at = models.DateTimeField(_("答复时间"), null=True, blank=True)
    # The sweep's work queue: the moment the next reminder stage falls due.
    # Indexed and null when nothing is pending, so a sweep reads only what is due.
    next_reminder_at = models.DateTimeField(null=True, blank=True, editable=False)
    # Stages up to this moment have been dealt with (sent, or passed over after an
    # outage in favour of a later one), so a catch-up never floods anyone.
    reminded_until = models.DateTimeField(null=True, blank=True, editable=False)
    escalation_level = models.PositiveSmallIntegerField(_("升级次数"), default=0)
    # The region's ancestors' ids (congress/areas.py): the overdue list of a
    # jurisdiction is a range of the (area_N, due_on, id) index of open rows.
    area_0 = models.BigIntegerField(null=True, blank=True, editable=False)
    area_1 = models.BigIntegerField(null=True, blank=True, editable=False)
    area_2 = models.BigIntegerField(null=True, blank=True, editable=False)
    area_3 = models.BigIntegerField(null=True, blank=True, editable=False)

    class Meta:
        verbose_name = _("交办事项")
        verbose_name_plural = _("交办事项")
        ordering = ["due_on", "pk"]
        indexes = [
            models.Index(
                fields=["next_reminder_at"],
                name="assignment_reminder_due",
                condition=models.Q(next_reminder_at__isnull=False),
            ),
            models.Index(fields=["case_type", "case_id"], name="assignment_case"),
            models.Index(fields=["status", "due_on"], name="assignment_status_due"),
            # 督办提醒: a jurisdiction's open assignments by due date (已超期, 即将到期).
            *(
                models.Index(
                    fields=[name, "due_on", "id"],
                    name=f"assignment_open_{name}",
                    condition=models.Q(status__in=OPEN_STATUSES),
                )
                for name in AREA_FIELDS
            ),
            # One case type's open steps in a jurisdiction by due date: a home card's
            # 建议 已超期 reads the suggestions' steps only, not every open step of the city.
            *(
                models.Index(
                    fields=[name, "case_type", "due_on"],
                    name=f"assignment_open_type_{name}",
                    condition=models.Q(status__in=OPEN_STATUSES),
                )
                for name in AREA_FIELDS
            ),
            # A department's open steps of one case type: a clerk's 待办, 超期, 即将到期.
            models.Index(
                fields=["department", "case_type", "due_on"],
                name="assignment_open_department",
                condition=models.Q(status__in=OPEN_STATUSES),
            ),
        ]
        constraints = [
            models.CheckConstraint(
                name="assignment_has_one_assignee",
                condition=(
                    models.Q(department__isnull=False, user__isnull=True, staff_region__isnull=True)
                    | models.Q(
                        department__isnull=True, user__isnull=False, staff_region__isnull=True
                    )
                    | models.Q(
                        department__isnull=True, user__isnull=True, staff_region__isnull=False
                    )
                ),
            ),
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def assignee_label(self) -> str:
        if self.department_id:
            return str(self.department)
        if self.user_id:
            return str(self.user)
        return _("%(region)s人大") % {"region": self.staff_region}

    @property
    def is_open(self) -> bool:
        return self.status in OPEN_STATUSES


class ReminderPolicy(models.Model):
    """Per case type, editable in the admin; a case type without a row uses the defaults."""

    case_type = models.CharField(_("事项类型"), max_length=60, unique=True)
    days_before = models.CharField(
        _("到期前提醒（工作日）"), max_length=40, default="3,1", help_text=_("逗号分隔，例如 3,1")
    )
    remind_on_due = models.BooleanField(_("到期当日提醒"), default=True)
    remind_daily_when_overdue = models.BooleanField(_("超期后每个工作日提醒"), default=True)
    escalate_after = models.PositiveSmallIntegerField(_("超期几个工作日升级督办"), default=3)
    escalate_again_after = models.PositiveSmallIntegerField(
        _("超期几个工作日再升级至上一级"), default=10
    )

    class Meta:
        verbose_name = _("提醒规则")
        verbose_name_plural = _("提醒规则")

    def __str__(self) -> str:
        return self.case_type

    @property
    def days_before_list(self) -> list[int]:
        days = {int(part) for part in self.days_before.split(",") if part.strip().isdigit()}
        return sorted(days, reverse=True)


class Reminder(models.Model):
    """One reminder stage sent for one assignment.

    Unique per (assignment, stage), so a retried or duplicated sweep sends nothing twice.
    """

    # No index of its own: the unique (assignment, stage) index leads with it, and every
    # sweep row would write a second one for nothing (docs/benchmarks.md, the sweep).
    assignment = models.ForeignKey(
        Assignment,
        verbose_name=_("交办事项"),
        on_delete=models.CASCADE,
        related_name="reminders",
        db_index=False,
    )
    stage = models.CharField(_("阶段"), max_length=32)
    sent_at = models.DateTimeField(_("发送时间"), auto_now_add=True)
    recipients = models.PositiveSmallIntegerField(_("接收人数"), default=0)

    class Meta:
        verbose_name = _("提醒记录")
        verbose_name_plural = _("提醒记录")
        ordering = ["sent_at", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["assignment", "stage"], name="reminder_once_per_stage")
        ]

    def __str__(self) -> str:
        return f"{self.assignment_id}:{self.stage}"

    @property
    def stage_label(self) -> str:
        """The stage in words: "before:3@2026-12-01" → 到期前3个工作日提醒."""
        name, _sep, day = self.stage.partition("@")
        kind, _sep, number = name.partition(":")
        if kind == "before":
            return _("到期前%(n)s个工作日提醒") % {"n": number}
        if kind == "due":
            return str(_("到期当日提醒"))
        if kind == "overdue":
            return _("超期提醒（%(day)s）") % {"day": day}
        if kind == "escalate":
            return str(_("升级督办（上级单位）") if number == "1" else _("升级督办（再上一级）"))
        return self.stage


class HolidayOverrideQuerySet(models.QuerySet["HolidayOverride"]):
    """Every bulk route tells the calendar too (the admin's "delete selected" is
    ``delete()`` here, an import is ``bulk_create``), so no route leaves a process
    counting deadlines on the old calendar."""

    def _dates(self) -> list[Any]:
        return list(self.values_list("date", flat=True))

    def delete(self) -> tuple[int, dict[str, int]]:
        with transaction.atomic():
            dates = self._dates()
            result = super().delete()
            if dates:
                _calendar_changed(*dates)
        return result

    def update(self, **kwargs: Any) -> int:
        with transaction.atomic():
            dates = self._dates()
            count = super().update(**kwargs)
            if count:
                _calendar_changed(*dates, *([kwargs["date"]] if "date" in kwargs else []))
        return count

    def bulk_create(self, objs: Any, *args: Any, **kwargs: Any) -> list[HolidayOverride]:
        with transaction.atomic():
            created = super().bulk_create(objs, *args, **kwargs)
            if created:
                _calendar_changed(*(obj.date for obj in created))
        return created

    def bulk_update(self, objs: Any, fields: Any, *args: Any, **kwargs: Any) -> int:
        objs = list(objs)
        with transaction.atomic():
            before = list(
                self.filter(pk__in=[obj.pk for obj in objs]).values_list("date", flat=True)
            )
            count = super().bulk_update(objs, fields, *args, **kwargs)
            if count:
                _calendar_changed(*before, *(obj.date for obj in objs))
        return count


class HolidayOverride(models.Model):
    """A day the official calendar package gets wrong or does not know yet (调休, new years).

    Entering any day of a year the package does not know marks that year's
    calendar as published (the State Council's notice): its deadlines are then
    no longer provisional, and the open ones are counted again.
    """

    date = models.DateField(_("日期"), unique=True)
    is_workday = models.BooleanField(_("是工作日"))
    note = models.CharField(_("说明"), max_length=100, blank=True)

    objects = HolidayOverrideQuerySet.as_manager()

    class Meta:
        verbose_name = _("节假日调整")
        verbose_name_plural = _("节假日调整")
        ordering = ["date"]

    def __str__(self) -> str:
        return f"{self.date} {_('上班') if self.is_workday else _('休息')}"

    def save(self, *args: Any, **kwargs: Any) -> None:
        with transaction.atomic():
            before = HolidayOverride.objects.filter(pk=self.pk).values_list("date", flat=True)
            changed = [*before, self.date] if self.pk else [self.date]
            super().save(*args, **kwargs)
            _calendar_changed(*changed)

    def delete(self, *args: Any, **kwargs: Any) -> tuple[int, dict[str, int]]:
        with transaction.atomic():
            result = super().delete(*args, **kwargs)
            _calendar_changed(self.date)
        return result


history.track(HolidayOverride)


def _calendar_changed(*dates: Any) -> None:
    from congress.workdays import calendar_changed

    calendar_changed(*dates)


@receiver(post_save, sender=HolidayOverride)
def _on_override_loaded(sender: Any, instance: HolidayOverride, raw: bool, **kwargs: Any) -> None:
    # loaddata (an import from a fixture) saves without calling save().
    if raw:
        _calendar_changed(instance.date)


class CalendarState(models.Model):
    """One row: what every process needs to know about the calendar's changes.

    ``revision`` is a new random value with every change of the overrides, in the
    same transaction, and each process compares it with the one its cached overrides
    came from. Random rather than a counter: a change rolled back after a process had
    read it inside its transaction must never have its number given to a later one.
    ``pending_from`` is the earliest changed day not yet taken into the
    open deadlines; ``settled_*`` say what the last recalculation saw, so a periodic
    job notices a change whose task was lost, or a calendar package that now
    knows more years.
    """

    revision = models.UUIDField(default=uuid.uuid4)
    pending_from = models.DateField(null=True, blank=True)
    settled_revision = models.UUIDField(null=True, blank=True)
    settled_package_year = models.PositiveSmallIntegerField(null=True, blank=True)

    class Meta:
        verbose_name = _("日历版本")
        verbose_name_plural = _("日历版本")

    def __str__(self) -> str:
        return str(self.revision)
