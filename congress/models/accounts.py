"""Users, the departments that handle cases, and the roles that decide what a user sees."""

from __future__ import annotations

from functools import cached_property

from django.contrib.auth.models import AbstractUser
from django.db import models
from django.utils.translation import gettext_lazy as _

from congress import history
from congress.models.regions import Region


class DepartmentKind(models.TextChoices):
    GOVERNMENT = "government", _("政府部门")
    COURT = "court", _("人民法院")
    PROCURATORATE = "procuratorate", _("人民检察院")
    SUPERVISORY = "supervisory", _("监察委员会")
    ENTERPRISE = "enterprise", _("国有企业及其他单位")
    TOWNSHIP = "township", _("乡镇人民政府（街道办事处）")


class Department(models.Model):
    """A body that handles cases (承办单位), with a parent to escalate to."""

    name = models.CharField(_("名称"), max_length=100)
    short_name = models.CharField(_("简称"), max_length=40, blank=True)
    kind = models.CharField(_("类型"), max_length=16, choices=DepartmentKind.choices)
    region = models.ForeignKey(
        Region, verbose_name=_("所属行政区划"), on_delete=models.PROTECT, related_name="departments"
    )
    parent = models.ForeignKey(
        "self",
        verbose_name=_("上级（督办）单位"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="children",
        help_text=_("超期升级提醒发送到这里；为空则发送给本级人大工作人员。"),
    )
    is_active = models.BooleanField(_("在用"), default=True)

    class Meta:
        verbose_name = _("承办单位")
        verbose_name_plural = _("承办单位")
        ordering = ["region__path", "name"]
        constraints = [
            models.UniqueConstraint(fields=["region", "name"], name="department_unique_name")
        ]

    def __str__(self) -> str:
        return self.name


history.track(Department, regions=("region__path",))


class User(AbstractUser):
    """Everyone who logs in. What they may see comes from their role grants."""

    display_name = models.CharField(_("姓名"), max_length=50, blank=True)
    mobile = models.CharField(_("手机号"), max_length=20, blank=True)
    # Set when someone else chose the password (an initial login made by staff, a
    # reset by an administrator): they know it, so it must not stay. Cleared by
    # the user's own change (congress.auth.user_change_password).
    must_change_password = models.BooleanField(
        _("须修改密码"),
        default=False,
        help_text=_("由他人设置的密码：下次登录后须先修改密码，才能使用其他功能。"),
    )

    class Meta(AbstractUser.Meta):  # type: ignore[name-defined]
        verbose_name = _("用户")
        verbose_name_plural = _("用户")
        swappable = "AUTH_USER_MODEL"

    def __str__(self) -> str:
        return self.display_name or self.username

    @cached_property
    def grants(self) -> list[RoleGrant]:
        """All of this user's grants, read once per request (scoping uses them)."""
        if not self.pk:
            return []
        return list(self.role_grants.select_related("region", "department").order_by("role", "pk"))

    def regions_for(self, *roles: str) -> list[Region]:
        return [g.region for g in self.grants if g.role in roles and g.region is not None]

    @property
    def staff_regions(self) -> list[Region]:
        return self.regions_for(Role.STAFF)

    @property
    def department_ids(self) -> list[int]:
        return [g.department_id for g in self.grants if g.role == Role.HANDLER and g.department_id]

    @property
    def is_congress_staff(self) -> bool:
        return bool(self.staff_regions)

    @property
    def is_handler(self) -> bool:
        return bool(self.department_ids)

    @property
    def is_committee_member(self) -> bool:
        return any(g.role == Role.COMMITTEE for g in self.grants)

    @property
    def is_administrator(self) -> bool:
        return self.is_superuser


class Role(models.TextChoices):
    STAFF = "staff", _("人大工作人员")
    HANDLER = "handler", _("承办单位经办人")
    COMMITTEE = "committee", _("常委会组成人员")


class RoleGrant(models.Model):
    """One role of a user: staff of a region, handler of a department, committee member.

    A representative is linked through their Representative record, not a grant;
    an administrator is a superuser.
    """

    user = models.ForeignKey(
        User, verbose_name=_("用户"), on_delete=models.CASCADE, related_name="role_grants"
    )
    role = models.CharField(_("角色"), max_length=16, choices=Role.choices)
    region = models.ForeignKey(
        Region, verbose_name=_("行政区划"), null=True, blank=True, on_delete=models.PROTECT
    )
    department = models.ForeignKey(
        Department, verbose_name=_("承办单位"), null=True, blank=True, on_delete=models.PROTECT
    )
    granted_at = models.DateTimeField(_("授予时间"), auto_now_add=True)

    class Meta:
        verbose_name = _("角色授权")
        verbose_name_plural = _("角色授权")
        constraints = [
            models.CheckConstraint(
                name="grant_has_its_scope",
                condition=(
                    models.Q(role="handler", department__isnull=False, region__isnull=True)
                    | models.Q(
                        role__in=["staff", "committee"],
                        region__isnull=False,
                        department__isnull=True,
                    )
                ),
                violation_error_message=_(
                    "经办人须指定承办单位；工作人员和常委会组成人员须指定行政区划。"
                ),
            ),
            models.UniqueConstraint(
                fields=["user", "role", "region"],
                condition=models.Q(region__isnull=False),
                name="grant_unique_region",
            ),
            models.UniqueConstraint(
                fields=["user", "department"],
                condition=models.Q(department__isnull=False),
                name="grant_unique_department",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.user} · {self.get_role_display()} · {self.region or self.department}"


history.track(RoleGrant, regions=("region__path", "department__region__path"))
