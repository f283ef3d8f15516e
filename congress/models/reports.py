"""Models of the monthly and yearly reports (docs/dashboard.md, "Reports"): who
receives a region's monthly report, one row per report sent, which makes the
monthly mailing happen once however often the beat fires or the task retries, and
the PDF of a region's month, built once for all its subscribers."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class ReportSubscription(models.Model):
    """A staff member (a leader) receives the monthly report of a region in their
    jurisdiction (``congress.reports.report_subscribe``)."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("订阅人"),
        on_delete=models.CASCADE,
        related_name="report_subscriptions",
        db_index=False,  # the unique (user, region) index leads with it
    )
    region = models.ForeignKey(
        "congress.Region",
        verbose_name=_("区划"),
        on_delete=models.CASCADE,
        related_name="report_subscriptions",
    )
    created_at = models.DateTimeField(_("订阅时间"), auto_now_add=True)

    class Meta:
        verbose_name = _("月度报告订阅")
        verbose_name_plural = _("月度报告订阅")
        constraints = [
            models.UniqueConstraint(fields=["user", "region"], name="report_subscription_once")
        ]

    def __str__(self) -> str:
        return f"{self.user_id}:{self.region_id}"


class ReportMailing(models.Model):
    """The monthly report of ``month`` sent to one subscription: written in the same
    transaction as the notification, and unique, so a second run sends nothing."""

    subscription = models.ForeignKey(
        ReportSubscription,
        on_delete=models.CASCADE,
        related_name="mailings",
        db_index=False,  # the unique (subscription, month) index leads with it
    )
    month = models.DateField(_("月份"))  # the first day of the month reported on
    notification = models.ForeignKey(
        "congress.Notification", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(_("发送时间"), auto_now_add=True)

    class Meta:
        verbose_name = _("月度报告发送记录")
        verbose_name_plural = _("月度报告发送记录")
        constraints = [
            models.UniqueConstraint(
                fields=["subscription", "month"], name="report_mailing_once_a_month"
            )
        ]

    def __str__(self) -> str:
        return f"{self.subscription_id}:{self.month:%Y-%m}"


def report_file_path(instance: ReportFile, filename: str) -> str:
    # The region's id and the month only: no name, nothing a user typed.
    return f"reports/{instance.month:%Y/%m}/{instance.region_id}-{filename}"


class ReportFile(models.Model):
    """The PDF of a region's monthly report as mailed: built by the first mailing of
    the month and attached to every subscriber's e-mail (``NotificationAttachment``
    names this file), so a retry or a later subscriber sends the same bytes."""

    region = models.ForeignKey(
        "congress.Region",
        on_delete=models.CASCADE,
        related_name="+",
        db_index=False,  # the unique (region, month) index leads with it
    )
    month = models.DateField(_("月份"))  # the first day of the month reported on
    file = models.FileField(_("文件"), upload_to=report_file_path, max_length=200)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("月度报告文件")
        verbose_name_plural = _("月度报告文件")
        constraints = [
            models.UniqueConstraint(fields=["region", "month"], name="report_file_once_a_month")
        ]

    def __str__(self) -> str:
        return f"{self.region_id}:{self.month:%Y-%m}"
