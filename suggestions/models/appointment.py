"""约见: a citizen asks to meet a named representative (约见卡, seed 003), or a
representative asks, through the congress staff, to meet the head of a
government body (代表约见国家机关负责人)."""

from __future__ import annotations

import secrets
import uuid

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from congress.models import Department, Region


class AppointmentKind(models.TextChoices):
    CITIZEN = "citizen", _("群众约见代表")
    DEPARTMENT = "department", _("代表约见国家机关负责人")


class AppointmentStatus(models.TextChoices):
    REQUESTED = "requested", _("待确认")
    ROUTED = "routed", _("已转承办单位")
    PROPOSED = "proposed", _("已提议新时间")
    CONFIRMED = "confirmed", _("已确认")
    DECLINED = "declined", _("已婉拒")
    CANCELLED = "cancelled", _("已取消")
    HELD = "held", _("已见面")


def new_appointment_token() -> str:
    return secrets.token_urlsafe(24)


class Appointment(models.Model):
    kind = models.CharField(_("类型"), max_length=12, choices=AppointmentKind.choices)
    tracking_token = models.CharField(
        max_length=43, unique=True, default=new_appointment_token, editable=False
    )
    idempotency_key = models.UUIDField(unique=True, default=uuid.uuid4, editable=False)
    # Citizen kind: the representative asked for. Department kind: the one asking.
    representative = models.ForeignKey(
        "representatives.Representative",
        verbose_name=_("代表"),
        on_delete=models.PROTECT,
        related_name="appointments",
    )
    station = models.ForeignKey(
        "representatives.Station",
        verbose_name=_("家站点"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="appointments",
    )
    department = models.ForeignKey(
        Department,
        verbose_name=_("约见单位"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="appointments",
    )
    region = models.ForeignKey(
        Region, verbose_name=_("所在区划"), on_delete=models.PROTECT, related_name="+"
    )
    topic = models.TextField(_("约见事由"))
    preferred_date = models.DateField(_("希望日期"))
    preferred_times = models.CharField(_("希望时段"), max_length=100, blank=True)
    citizen_name = models.CharField(_("姓名"), max_length=50, blank=True)
    mobile = models.CharField(_("手机号"), max_length=20, blank=True)
    mobile_hash = models.CharField(max_length=64, blank=True, editable=False)
    consent_at = models.DateTimeField(null=True, blank=True)
    status = models.CharField(
        _("状态"),
        max_length=12,
        choices=AppointmentStatus.choices,
        default=AppointmentStatus.REQUESTED,
    )
    version = models.PositiveIntegerField(default=0, editable=False)
    # The congress's rules in force when it was requested (its deadlines; docs/rules.md).
    rules_in_force = models.JSONField(_("立案时的规则"), default=dict, blank=True, editable=False)
    scheduled_at = models.DateTimeField(_("约定时间"), null=True, blank=True)
    place = models.CharField(_("地点"), max_length=150, blank=True)
    response_note = models.TextField(_("答复说明"), blank=True)
    postponements = models.PositiveSmallIntegerField(_("改期次数"), default=0)
    reminded_at = models.DateTimeField(null=True, blank=True, editable=False)
    contact_log = models.ForeignKey(
        "representatives.ContactLog",
        verbose_name=_("联系选民记录"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    meeting_summary = models.TextField(_("见面情况"), blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(_("申请时间"), auto_now_add=True)
    anonymised_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("约见")
        verbose_name_plural = _("约见")
        ordering = ["-created_at", "-pk"]
        indexes = [
            models.Index(
                fields=["scheduled_at"],
                name="appointment_to_remind",
                condition=Q(status="confirmed", reminded_at__isnull=True),
            ),
            models.Index(fields=["representative", "status"], name="appointment_rep_status"),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} · {self.representative_id} · {self.preferred_date}"

    def get_absolute_url(self) -> str:
        return reverse("appointment_detail", args=[self.pk])

    def get_tracking_url(self) -> str:
        return reverse("appointment_track", args=[self.tracking_token])
