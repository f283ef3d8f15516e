"""The inbox and the outbox: every message is a row before it is sent anywhere."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class Channel(models.TextChoices):
    EMAIL = "email", _("电子邮件")
    SMS = "sms", _("短信")


class DeliveryMode(models.TextChoices):
    IMMEDIATE = "immediate", _("即时")
    DIGEST = "digest", _("每日汇总")
    OFF = "off", _("不发送")


class Notification(models.Model):
    """An in-app inbox message. Always created; e-mail and SMS are Deliveries of it."""

    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("接收人"),
        on_delete=models.CASCADE,
        related_name="notifications",
    )
    kind = models.CharField(_("类型"), max_length=40)
    title = models.CharField(_("标题"), max_length=200)
    body = models.TextField(_("内容"), blank=True)
    url = models.CharField(_("链接"), max_length=300, blank=True)
    case_type = models.CharField(max_length=60, blank=True)
    case_id = models.PositiveBigIntegerField(null=True, blank=True)
    created_at = models.DateTimeField(_("时间"), auto_now_add=True)
    read_at = models.DateTimeField(_("已读时间"), null=True, blank=True)

    class Meta:
        verbose_name = _("站内消息")
        verbose_name_plural = _("站内消息")
        ordering = ["-created_at", "-pk"]
        indexes = [
            models.Index(
                fields=["recipient", "created_at"],
                name="notification_unread",
                condition=models.Q(read_at__isnull=True),
            )
        ]

    def __str__(self) -> str:
        return self.title


class DeliveryStatus(models.TextChoices):
    PENDING = "pending", _("待发送")
    DIGEST = "digest", _("待汇总")
    SENT = "sent", _("已发送")
    FAILED = "failed", _("发送失败")
    SKIPPED = "skipped", _("未发送")


class Delivery(models.Model):
    """One channel's copy of a notification: the outbox row a Celery task works from."""

    # No index of its own: the unique (notification, channel) index leads with it.
    notification = models.ForeignKey(
        Notification, on_delete=models.CASCADE, related_name="deliveries", db_index=False
    )
    channel = models.CharField(_("渠道"), max_length=8, choices=Channel.choices)
    status = models.CharField(
        _("状态"), max_length=8, choices=DeliveryStatus.choices, default=DeliveryStatus.PENDING
    )
    attempts = models.PositiveSmallIntegerField(_("尝试次数"), default=0)
    claimed_until = models.DateTimeField(null=True, blank=True)
    sent_at = models.DateTimeField(_("发送时间"), null=True, blank=True)
    last_error = models.CharField(_("错误"), max_length=300, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("消息投递")
        verbose_name_plural = _("消息投递")
        constraints = [
            models.UniqueConstraint(fields=["notification", "channel"], name="delivery_per_channel")
        ]
        indexes = [
            models.Index(
                fields=["status", "created_at"],
                name="delivery_pending",
                condition=models.Q(status__in=["pending", "digest"]),
            )
        ]

    def __str__(self) -> str:
        return f"{self.notification_id}:{self.channel}:{self.status}"


class NotificationPreference(models.Model):
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notification_preferences"
    )
    channel = models.CharField(_("渠道"), max_length=8, choices=Channel.choices)
    mode = models.CharField(
        _("方式"), max_length=10, choices=DeliveryMode.choices, default=DeliveryMode.IMMEDIATE
    )
    last_digest_on = models.DateField(null=True, blank=True, editable=False)

    class Meta:
        verbose_name = _("通知偏好")
        verbose_name_plural = _("通知偏好")
        constraints = [
            models.UniqueConstraint(fields=["user", "channel"], name="preference_per_channel")
        ]

    def __str__(self) -> str:
        return f"{self.user_id}:{self.channel}:{self.mode}"


class NotificationAttachment(models.Model):
    """A file the e-mail copy of a notification carries (the SMS copy never does): a
    stored file the sender built once, e.g. a monthly report's PDF
    (``congress.reports``). Several notifications may name the same stored file, so
    every subscriber, and every retry of a delivery, sends the same bytes."""

    notification = models.ForeignKey(
        Notification, on_delete=models.CASCADE, related_name="attachments"
    )
    # The stored name, written by the sender (never a user's file name); the file
    # itself is kept by whoever built it and outlives this row.
    file = models.FileField(_("文件"), max_length=200)
    filename = models.CharField(_("附件名"), max_length=120)
    content_type = models.CharField(max_length=100)

    class Meta:
        verbose_name = _("邮件附件")
        verbose_name_plural = _("邮件附件")

    def __str__(self) -> str:
        return self.filename
