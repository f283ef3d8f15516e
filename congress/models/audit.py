"""The append-only audit trail (logins, permission changes, admin edits, exports)."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class AuditAction(models.TextChoices):
    LOGIN = "login", _("登录")
    LOGIN_FAILED = "login_failed", _("登录失败")
    LOGOUT = "logout", _("退出")
    GRANT_ADDED = "grant_added", _("授予角色")
    GRANT_REMOVED = "grant_removed", _("撤销角色")
    ADMIN_ADD = "admin_add", _("后台新增")
    ADMIN_CHANGE = "admin_change", _("后台修改")
    ADMIN_DELETE = "admin_delete", _("后台删除")
    EXPORT = "export", _("导出")
    REVEAL = "reveal", _("查看个人信息")
    OTP_ENABLED = "otp_enabled", _("启用两步验证")
    OTP_DISABLED = "otp_disabled", _("停用两步验证")
    PASSWORD_CHANGED = "password_changed", _("修改密码")
    ANONYMISED = "anonymised", _("匿名化个人信息")
    STATE_CHANGE = "state_change", _("状态变更")
    API_TOKEN_CREATED = "api_token_created", _("签发 API 令牌")
    API_TOKEN_REVOKED = "api_token_revoked", _("撤销 API 令牌")


class AuditEventQuerySet(models.QuerySet["AuditEvent"]):
    def update(self, **kwargs: Any) -> int:
        raise TypeError("The audit trail is append-only.")

    def delete(self) -> tuple[int, dict[str, int]]:
        raise TypeError("The audit trail is append-only.")


class AuditEvent(models.Model):
    at = models.DateTimeField(_("时间"), auto_now_add=True, db_index=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("操作人"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    # Kept apart from the actor so that a failed login for a name that does not
    # exist is still recorded (never the password).
    username = models.CharField(_("用户名"), max_length=150, blank=True)
    action = models.CharField(_("动作"), max_length=20, choices=AuditAction.choices)
    object_type = models.CharField(_("对象类型"), max_length=100, blank=True)
    object_id = models.CharField(_("对象ID"), max_length=64, blank=True)
    object_repr = models.CharField(_("对象"), max_length=200, blank=True)
    ip = models.GenericIPAddressField(_("IP地址"), null=True, blank=True)
    detail = models.JSONField(_("详情"), default=dict, blank=True)

    objects = AuditEventQuerySet.as_manager()

    class Meta:
        verbose_name = _("审计日志")
        verbose_name_plural = _("审计日志")
        ordering = ["-at", "-pk"]

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d %H:%M} {self.username} {self.get_action_display()}"

    def save(self, *args: Any, **kwargs: Any) -> None:
        if self.pk:
            raise TypeError("The audit trail is append-only.")
        super().save(*args, **kwargs)

    def delete(self, *args: Any, **kwargs: Any) -> tuple[int, dict[str, int]]:
        raise TypeError("The audit trail is append-only.")
