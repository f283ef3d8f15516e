"""Representatives, their seats, their stations, duty, grids, voter contacts and points.

Vocabulary (docs/architecture.md, 'Vocabulary'): a ``Representative`` is a person; a
``Mandate`` is their seat in one congress for one term, so one person may hold
several (五级代表). Stations (家站点) are where they meet voters; ``StationMember`` says
who is stationed (进站), ``DutyShift`` who is on duty when (接待选民日).
"""

from __future__ import annotations

import datetime
import secrets
import uuid
from collections.abc import Iterable
from typing import Any

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from congress import history
from congress.areas import AREA_FIELDS, area_q
from congress.models import AreaColumns, AreaFields, Congress, CongressLevel, Region, Term
from congress.validators import validate_plausible_date


def new_public_token() -> str:
    """An opaque link token for QR codes: never the database id, cannot be guessed."""
    return secrets.token_urlsafe(16)


def mask_id_number(value: str) -> str:
    """身份证号 is personal data: pages and default exports show only its ends."""
    if not value:
        return ""
    if len(value) <= 7:
        return "*" * len(value)
    return f"{value[:3]}{'*' * (len(value) - 7)}{value[-4:]}"


def mask_phone(value: str) -> str:
    if len(value) < 7:
        return value
    return f"{value[:3]}****{value[-4:]}"


class Gender(models.TextChoices):
    MALE = "male", _("男")
    FEMALE = "female", _("女")


class Party(models.TextChoices):
    CPC = "cpc", _("中共党员")
    DEMOCRATIC = "democratic", _("民主党派成员")
    NONE = "none", _("群众")


class Sector(models.TextChoices):
    """Occupational composition (代表构成), as reported after every election."""

    WORKER = "worker", _("工人")
    FARMER = "farmer", _("农民")
    PROFESSIONAL = "professional", _("专业技术人员")
    OFFICIAL = "official", _("党政领导干部")
    ENTERPRISE = "enterprise", _("企业负责人")
    MILITARY = "military", _("解放军和武警")
    OTHER = "other", _("其他")


class PhonePolicy(models.TextChoices):
    """How a representative's phone appears on public pages (亮身份, as they allow)."""

    PUBLIC = "public", _("公开本人手机号")
    STATION = "station", _("经家站点联系（显示站点电话）")
    HIDDEN = "hidden", _("不公开电话")


class Representative(AreaColumns):
    """A person who holds (or held) at least one seat. Their region is where they are
    registered and served by staff (their constituency's place); scoping reads its
    ancestors on the row (``AreaColumns``: a city's 7,370 on the area_N index)."""

    name = models.CharField(_("姓名"), max_length=50)
    gender = models.CharField(_("性别"), max_length=8, choices=Gender.choices)
    ethnicity = models.CharField(_("民族"), max_length=20, default="汉族")
    birth_year = models.PositiveSmallIntegerField(_("出生年份"), null=True, blank=True)
    party = models.CharField(_("政治面貌"), max_length=16, choices=Party.choices, default=Party.CPC)
    sector = models.CharField(
        _("界别（构成）"), max_length=16, choices=Sector.choices, default=Sector.OTHER
    )
    occupation = models.CharField(_("职务/职业"), max_length=100, blank=True)
    workplace = models.CharField(_("工作单位"), max_length=100, blank=True)
    mobile = models.CharField(_("手机号"), max_length=20, blank=True)
    # Unique so that an import recognises the same person at several levels; null
    # for people entered by hand without it. Shown masked everywhere.
    id_number = models.CharField(_("身份证号"), max_length=18, unique=True, null=True, blank=True)
    photo = models.ImageField(_("照片"), upload_to="representatives/photos/", blank=True)
    phone_policy = models.CharField(
        _("电话公开方式"), max_length=10, choices=PhonePolicy.choices, default=PhonePolicy.STATION
    )
    public_note = models.CharField(_("履职承诺（公开）"), max_length=200, blank=True)
    region = models.ForeignKey(
        Region, verbose_name=_("所属地区"), on_delete=models.PROTECT, related_name="representatives"
    )
    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        verbose_name=_("登录账号"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="representative",
    )
    public_token = models.CharField(
        _("公开链接令牌"), max_length=43, unique=True, default=new_public_token, editable=False
    )
    # 在任: holds at least one active seat. A fact of the seats kept on the row by the
    # seats summary's recount (representatives/seat_counts.py), so that the dashboard's
    # ranking reads a region's serving people on the area index, not a seat look-up each.
    serving = models.BooleanField(_("在任"), default=False, editable=False)
    created_at = models.DateTimeField(_("创建时间"), auto_now_add=True)
    updated_at = models.DateTimeField(_("更新时间"), auto_now=True)

    class Meta:
        verbose_name = _("人大代表")
        verbose_name_plural = _("人大代表")
        ordering = ["name", "pk"]
        # The SMS sign-in finds a representative by number on every code request, and
        # the bulk logins count numbers shared by two people (docs/representatives-accounts.md).
        indexes = [
            models.Index(fields=["mobile"], name="representative_mobile"),
            *(models.Index(fields=[name], name=f"representative_{name}") for name in AREA_FIELDS),
            # The activity ranking's people (the dashboard, the report, 活跃度排名): a
            # region's serving representatives with what the ranking sorts and prints,
            # read from the index alone (a city's 7,370 rows were 2,400 heap pages,
            # 5 ms of its statement at 5M; docs/benchmarks.md).
            *(
                models.Index(
                    fields=[name, "id", "name", "region"],
                    condition=models.Q(serving=True),
                    name=f"representative_serving{name[-1]}",
                )
                for name in AREA_FIELDS
            ),
        ]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("representative_detail", args=[self.pk])

    def get_public_url(self) -> str:
        return reverse("public_representative", args=[self.public_token])

    @property
    def masked_id_number(self) -> str:
        return mask_id_number(self.id_number or "")


class MandateStatus(models.TextChoices):
    ACTIVE = "active", _("在任")
    ENDED = "ended", _("任期届满")
    TERMINATED = "terminated", _("代表资格终止")


class Constituency(models.Model):
    """选区: the area that elects representatives directly (county and township congresses)."""

    congress = models.ForeignKey(
        Congress, verbose_name=_("人大"), on_delete=models.CASCADE, related_name="constituencies"
    )
    name = models.CharField(_("名称"), max_length=100)
    region = models.ForeignKey(
        Region,
        verbose_name=_("所在区划"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    class Meta:
        verbose_name = _("选区")
        verbose_name_plural = _("选区")
        ordering = ["congress", "name"]
        constraints = [
            models.UniqueConstraint(fields=["congress", "name"], name="constituency_unique_name")
        ]

    def __str__(self) -> str:
        return self.name


class Delegation(models.Model):
    """代表团: the representatives of one electoral unit at a session of a congress."""

    congress = models.ForeignKey(
        Congress, verbose_name=_("人大"), on_delete=models.CASCADE, related_name="delegations"
    )
    name = models.CharField(_("名称"), max_length=100)

    class Meta:
        verbose_name = _("代表团")
        verbose_name_plural = _("代表团")
        ordering = ["congress", "name"]
        constraints = [
            models.UniqueConstraint(fields=["congress", "name"], name="delegation_unique_name")
        ]

    def __str__(self) -> str:
        return self.name


class RepresentativeGroup(models.Model):
    """代表小组: representatives (often of several levels) who act together between sessions."""

    name = models.CharField(_("名称"), max_length=100)
    region = models.ForeignKey(
        Region,
        verbose_name=_("所在区划"),
        on_delete=models.PROTECT,
        related_name="representative_groups",
    )
    specialty = models.CharField(
        _("专业领域"), max_length=50, blank=True, help_text=_("专业代表小组填写，如教育、营商环境")
    )

    class Meta:
        verbose_name = _("代表小组")
        verbose_name_plural = _("代表小组")
        ordering = ["region__path", "name"]
        constraints = [models.UniqueConstraint(fields=["region", "name"], name="group_unique_name")]

    def __str__(self) -> str:
        return self.name


class Mandate(models.Model):
    """One seat: a level, and (when that congress is kept here) the term of the congress.

    National seats have no ``term`` here: the system records that a local person is
    also a 全国人大代表 without keeping the National People's Congress itself.
    """

    representative = models.ForeignKey(
        Representative, verbose_name=_("代表"), on_delete=models.CASCADE, related_name="mandates"
    )
    level = models.CharField(_("层级"), max_length=16, choices=CongressLevel.choices)
    term = models.ForeignKey(
        Term,
        verbose_name=_("届"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="mandates",
    )
    constituency = models.ForeignKey(
        Constituency,
        verbose_name=_("选区"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="mandates",
    )
    electoral_unit = models.ForeignKey(
        Congress,
        verbose_name=_("原选举单位"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        help_text=_("由下一级人大选举产生的代表填写"),
    )
    delegation = models.ForeignKey(
        Delegation,
        verbose_name=_("代表团"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="mandates",
    )
    group = models.ForeignKey(
        RepresentativeGroup,
        verbose_name=_("代表小组"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="mandates",
    )
    starts_on = models.DateField(_("任职开始"))
    ends_on = models.DateField(_("任职结束"), null=True, blank=True)
    status = models.CharField(
        _("状态"),
        max_length=12,
        choices=MandateStatus.choices,
        default=MandateStatus.ACTIVE,
        editable=False,
    )
    end_reason = models.CharField(_("终止原因"), max_length=200, blank=True)
    version = models.PositiveIntegerField(default=0, editable=False)

    class Meta:
        verbose_name = _("代表职务")
        verbose_name_plural = _("代表职务")
        ordering = ["representative", "level"]
        constraints = [
            # One person holds at most one live seat per level (五级代表: one per level).
            models.UniqueConstraint(
                fields=["representative", "level"],
                condition=Q(status="active"),
                name="mandate_one_active_per_level",
            ),
            models.UniqueConstraint(
                fields=["representative", "term"],
                condition=Q(term__isnull=False),
                name="mandate_one_per_term",
            ),
        ]
        indexes = [models.Index(fields=["level", "status"], name="mandate_level_status")]

    def __str__(self) -> str:
        return f"{self.representative} · {self.get_level_display()}"


class VoterDelegateKind(models.TextChoices):
    SUBDISTRICT = "subdistrict", _("街道议政代表")
    VOTER = "voter", _("选民代表")


class VoterDelegate(models.Model):
    """Subdistrict delegates (议政会): not congress members, but they join station work."""

    name = models.CharField(_("姓名"), max_length=50)
    gender = models.CharField(_("性别"), max_length=8, choices=Gender.choices)
    kind = models.CharField(
        _("类别"),
        max_length=12,
        choices=VoterDelegateKind.choices,
        default=VoterDelegateKind.SUBDISTRICT,
    )
    region = models.ForeignKey(
        Region,
        verbose_name=_("所在街道（社区）"),
        on_delete=models.PROTECT,
        related_name="voter_delegates",
    )
    workplace = models.CharField(_("工作单位"), max_length=100, blank=True)
    mobile = models.CharField(_("手机号"), max_length=20, blank=True)
    starts_on = models.DateField(_("任期开始"))
    ends_on = models.DateField(_("任期结束"), null=True, blank=True)
    is_active = models.BooleanField(_("在任"), default=True)
    # A delegate's login, so that they vote on the phone in their subdistrict's 民生实事
    # vote (docs/livelihood-subdistricts.md); most delegates vote on paper in the hall.
    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        verbose_name=_("登录账号"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="voter_delegate",
    )

    class Meta:
        verbose_name = _("议政代表")
        verbose_name_plural = _("议政代表")
        ordering = ["region__path", "name"]

    def __str__(self) -> str:
        return self.name


class HolderAreaQuerySet(models.QuerySet[Any]):
    def bulk_create(self, objs: Iterable[Any], *args: Any, **kwargs: Any) -> list[Any]:
        """As ``save`` does, give rows without area columns their representative's: the
        representatives not already on the rows are read in one query."""
        objs = list(objs)
        bare = [obj for obj in objs if obj.area_0 is None]
        unread = {
            obj.representative_id
            for obj in bare
            if not obj._state.fields_cache.get("representative")
        }
        people = (
            {
                row["pk"]: row
                for row in Representative.objects.filter(pk__in=unread).values("pk", *AREA_FIELDS)
            }
            if unread
            else {}
        )
        for obj in bare:
            holder = obj._state.fields_cache.get("representative")
            for name in AREA_FIELDS:
                value = getattr(holder, name) if holder else people[obj.representative_id][name]
                setattr(obj, name, value)
        return super().bulk_create(objs, *args, **kwargs)


# Where a record of a representative finds its representative's region (a region
# deeper than the area columns kept is matched by its subtree's ids through it).
HOLDER_REGION = "representative__region_id"


def holder_area_q(region: Region) -> Q:
    """The records (``HolderAreaColumns``) of the representatives registered in
    ``region`` and below, read from the records' own copy of their area."""
    return area_q(region, region_field=HOLDER_REGION)


class HolderAreaColumns(AreaFields):
    """A representative's own record (a contact with voters, a duty shift) that keeps
    its representative's ``area_N`` on the row (congress/areas.py): the dashboard's
    figures and the ranking's tallies of a region read ``area_N = region.pk`` on an
    index with the period, the region's records only, not a whole province's period
    joined to its people (docs/architecture.md, "Reads that do not grow with the
    data"). Set by ``save`` and ``bulk_create`` from the representative; a
    representative who moves, or whose region moves in the tree, takes their records
    along (``records_follow_representatives``)."""

    objects = HolderAreaQuerySet.as_manager()

    class Meta:
        abstract = True

    def save(self, *args: Any, **kwargs: Any) -> None:
        fields = kwargs.get("update_fields")
        # A save of other columns (a status, a summary) leaves the place alone.
        if fields is None or "representative" in fields:
            holder: Representative = self.representative  # type: ignore[attr-defined]
            for name in AREA_FIELDS:
                setattr(self, name, getattr(holder, name))
            if fields is not None:
                kwargs["update_fields"] = {*fields, *AREA_FIELDS}
        super().save(*args, **kwargs)


class StationKind(models.TextChoices):
    HOME = "home", _("代表之家")
    STATION = "station", _("代表联络站")
    POINT = "point", _("代表联系点")
    STUDIO = "studio", _("代表工作室")
    SPECIALIST_STUDIO = "specialist_studio", _("专业代表工作室")
    MICRO_HOME = "micro_home", _("代表微家")
    CENTRE = "centre", _("驻外代表服务中心")
    ONLINE = "online", _("网上联络站")


class Station(AreaColumns):
    """家站点: a place (or an online room) where representatives meet voters. Staff of
    a city count and list its stations on the (area_N, is_active) index (``AreaColumns``)."""

    name = models.CharField(_("名称"), max_length=100)
    kind = models.CharField(_("类型"), max_length=20, choices=StationKind.choices)
    specialty = models.CharField(
        _("专业领域"),
        max_length=50,
        blank=True,
        help_text=_("专业代表工作室填写，如教育、营商环境"),
    )
    region = models.ForeignKey(
        Region, verbose_name=_("所在区划"), on_delete=models.PROTECT, related_name="stations"
    )
    address = models.CharField(_("地址"), max_length=200, blank=True)
    latitude = models.DecimalField(_("纬度"), max_digits=9, decimal_places=6, null=True, blank=True)
    longitude = models.DecimalField(
        _("经度"), max_digits=9, decimal_places=6, null=True, blank=True
    )
    opening_hours = models.CharField(_("开放时间"), max_length=200, blank=True)
    facilities = models.TextField(_("设施"), blank=True, help_text=_("每行一项"))
    phone = models.CharField(_("联系电话"), max_length=30, blank=True)
    description = models.TextField(_("简介"), blank=True)
    grids = models.ManyToManyField(
        Region, verbose_name=_("覆盖网格"), blank=True, related_name="covering_stations"
    )
    public_token = models.CharField(
        _("公开链接令牌"), max_length=43, unique=True, default=new_public_token, editable=False
    )
    is_active = models.BooleanField(_("启用"), default=True)
    created_at = models.DateTimeField(_("创建时间"), auto_now_add=True)

    class Meta:
        verbose_name = _("家站点")
        verbose_name_plural = _("家站点")
        ordering = ["region__path", "kind", "name"]
        indexes = [
            models.Index(fields=[name, "is_active"], name=f"station_{name}") for name in AREA_FIELDS
        ]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("station_detail", args=[self.pk])

    def get_public_url(self) -> str:
        return reverse("public_station", args=[self.public_token])

    @property
    def facility_list(self) -> list[str]:
        return [line.strip() for line in self.facilities.splitlines() if line.strip()]


class RetiredToken(models.Model):
    """A public token that was rotated away: its QR code now opens a friendly "replaced"
    page (410). Only the token and when; nothing points back to the station or person."""

    token = models.CharField(max_length=43, unique=True)
    retired_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("已停用二维码")
        verbose_name_plural = _("已停用二维码")

    def __str__(self) -> str:
        return self.token[:6] + "…"


class StationRole(models.TextChoices):
    MEMBER = "member", _("进站代表")
    HEAD = "head", _("站长")
    LIAISON = "liaison", _("联络员")


class StationMember(models.Model):
    """进站: a representative (any level) stationed at a station."""

    station = models.ForeignKey(
        Station, verbose_name=_("家站点"), on_delete=models.CASCADE, related_name="members"
    )
    representative = models.ForeignKey(
        Representative,
        verbose_name=_("代表"),
        on_delete=models.CASCADE,
        related_name="station_memberships",
    )
    role = models.CharField(
        _("角色"), max_length=10, choices=StationRole.choices, default=StationRole.MEMBER
    )
    joined_on = models.DateField(_("进站日期"), default=timezone.localdate)
    left_on = models.DateField(_("离站日期"), null=True, blank=True)
    is_active = models.BooleanField(_("在站"), default=True)

    class Meta:
        verbose_name = _("进站代表")
        verbose_name_plural = _("进站代表")
        ordering = ["station", "role", "representative__name"]
        constraints = [
            models.UniqueConstraint(
                fields=["station", "representative"],
                condition=Q(is_active=True),
                name="station_member_unique_active",
            )
        ]

    def __str__(self) -> str:
        return f"{self.representative} @ {self.station}"


class DutyPatternKind(models.TextChoices):
    MONTH_DAYS = "month_days", _("逢日（如逢一四七）")
    WEEKLY = "weekly", _("每周")
    DATES = "dates", _("指定日期")


class DutyPattern(models.Model):
    """A recurring reception schedule; its representatives take turns (轮流值班)."""

    station = models.ForeignKey(
        Station, verbose_name=_("家站点"), on_delete=models.CASCADE, related_name="duty_patterns"
    )
    kind = models.CharField(_("规律"), max_length=12, choices=DutyPatternKind.choices)
    # 逢一四七 = "147": the days of the month whose last digit is 1, 4 or 7.
    month_digits = models.CharField(
        _("逢日尾数"), max_length=10, blank=True, help_text=_("如 147 表示逢一、四、七")
    )
    weekdays = models.CharField(
        _("星期"), max_length=20, blank=True, help_text=_("1=周一 … 7=周日，逗号分隔")
    )
    dates = models.JSONField(_("指定日期"), default=list, blank=True)
    starts_on = models.DateField(_("开始日期"))
    ends_on = models.DateField(_("结束日期"), null=True, blank=True)
    start_time = models.TimeField(_("开始时间"), default=datetime.time(9, 0))
    end_time = models.TimeField(_("结束时间"), default=datetime.time(11, 30))
    rotation = models.ManyToManyField(Representative, verbose_name=_("轮值代表"), related_name="+")
    note = models.CharField(_("说明"), max_length=100, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("值班规律")
        verbose_name_plural = _("值班规律")
        ordering = ["station", "pk"]

    def __str__(self) -> str:
        return f"{self.station} · {self.get_kind_display()}"

    def matches(self, day: datetime.date) -> bool:
        if day < self.starts_on or (self.ends_on and day > self.ends_on):
            return False
        if self.kind == DutyPatternKind.MONTH_DAYS:
            return str(day.day % 10) in self.month_digits
        if self.kind == DutyPatternKind.WEEKLY:
            return str(day.isoweekday()) in self.weekdays.replace(" ", "").split(",")
        return day.isoformat() in self.dates


class ShiftStatus(models.TextChoices):
    SCHEDULED = "scheduled", _("待值班")
    SERVED = "served", _("已值班")
    ON_LEAVE = "on_leave", _("请假")
    ABSENT = "absent", _("缺勤")
    SWAPPED = "swapped", _("已换班")
    CANCELLED = "cancelled", _("取消")


# A sitting that was cancelled (取消) is owed by nobody, and one handed over (已换班)
# is counted once, as its replacement shift: neither is a shift to serve (the
# dashboard's duty figures and the duty list's 应值班 and 到期未值班).
NOT_OWED = [ShiftStatus.CANCELLED, ShiftStatus.SWAPPED]


class DutyShift(HolderAreaColumns):
    """One representative on duty at one station for one sitting (接待选民日)."""

    station = models.ForeignKey(
        Station, verbose_name=_("家站点"), on_delete=models.CASCADE, related_name="shifts"
    )
    representative = models.ForeignKey(
        Representative,
        verbose_name=_("值班代表"),
        on_delete=models.CASCADE,
        related_name="duty_shifts",
    )
    date = models.DateField(_("日期"))
    start_time = models.TimeField(_("开始时间"))
    end_time = models.TimeField(_("结束时间"))
    pattern = models.ForeignKey(
        DutyPattern,
        verbose_name=_("值班规律"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="shifts",
    )
    swapped_from = models.ForeignKey(
        "self",
        verbose_name=_("替换的班次"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="replacements",
    )
    status = models.CharField(
        _("状态"),
        max_length=12,
        choices=ShiftStatus.choices,
        default=ShiftStatus.SCHEDULED,
        editable=False,
    )
    reason = models.CharField(_("原因"), max_length=200, blank=True)
    published_at = models.DateTimeField(_("公示时间"), null=True, blank=True)
    version = models.PositiveIntegerField(default=0, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("值班班次")
        verbose_name_plural = _("值班班次")
        ordering = ["date", "start_time", "station"]
        constraints = [
            models.UniqueConstraint(
                fields=["station", "representative", "date", "start_time"],
                condition=Q(status__in=["scheduled", "served", "on_leave", "absent"]),
                name="shift_unique_live",
            ),
            models.CheckConstraint(
                condition=Q(end_time__gt=models.F("start_time")), name="shift_ends_after_start"
            ),
        ]
        indexes = [
            models.Index(fields=["date", "status"], name="shift_date_status"),
            # A region's period (the dashboard's duty figures, the ranking's duty
            # tally): the region's shifts only, counted from the index; and 值班记录's
            # pages, newest first, in the index's own order (date, id): a city's
            # 1,500 shifts of one 接待日 are not read and sorted for 50 rows.
            *(
                models.Index(
                    fields=[f"area_{n}", "date", "id", "status", "representative"],
                    name=f"shift_area{n}_date_id",
                )
                for n in range(4)
            ),
        ]

    def __str__(self) -> str:
        return f"{self.date} {self.station} {self.representative}"


class DutyReminder(models.Model):
    """A reminder that was sent: one row per (shift, stage), so a retried task never sends
    twice."""

    shift = models.ForeignKey(DutyShift, on_delete=models.CASCADE, related_name="reminders")
    stage = models.CharField(max_length=20)
    sent_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("值班提醒")
        verbose_name_plural = _("值班提醒")
        constraints = [
            models.UniqueConstraint(fields=["shift", "stage"], name="duty_reminder_once")
        ]

    def __str__(self) -> str:
        return f"{self.shift_id}/{self.stage}"


class GridAssignment(models.Model):
    """责任田: a representative answers for a grid (or micro-grid, or whole village)."""

    representative = models.ForeignKey(
        Representative,
        verbose_name=_("代表"),
        on_delete=models.CASCADE,
        related_name="grid_assignments",
    )
    grid = models.ForeignKey(
        Region,
        verbose_name=_("网格"),
        on_delete=models.PROTECT,
        related_name="representative_assignments",
    )
    starts_on = models.DateField(_("开始日期"), default=timezone.localdate)
    ends_on = models.DateField(_("结束日期"), null=True, blank=True)
    is_active = models.BooleanField(_("有效"), default=True)

    class Meta:
        verbose_name = _("网格责任田")
        verbose_name_plural = _("网格责任田")
        ordering = ["grid__path", "representative__name"]
        constraints = [
            models.UniqueConstraint(
                fields=["representative", "grid"],
                condition=Q(is_active=True),
                name="grid_assignment_unique_active",
            )
        ]
        indexes = [
            # "Does this grid have a representative?", once per grid of a jurisdiction
            # (selectors.grid_coverage), answered from the index alone.
            models.Index(
                fields=["grid"], condition=Q(is_active=True), name="grid_assignment_active"
            )
        ]

    def __str__(self) -> str:
        return f"{self.representative} → {self.grid}"


class ContactKind(models.TextChoices):
    RECEPTION = "reception", _("进站接待")
    VISIT = "visit", _("走访")
    RETURN_VISIT = "return_visit", _("回访")
    PHONE = "phone", _("电话")
    WECHAT = "wechat", _("微信")
    MEETING = "meeting", _("座谈")


class ContactLog(HolderAreaColumns):
    """联系选民: one contact a representative had with voters."""

    representative = models.ForeignKey(
        Representative,
        verbose_name=_("代表"),
        on_delete=models.CASCADE,
        related_name="contact_logs",
    )
    kind = models.CharField(_("方式"), max_length=14, choices=ContactKind.choices)
    contacted_on = models.DateField(_("日期"))
    station = models.ForeignKey(
        Station,
        verbose_name=_("家站点"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="contact_logs",
    )
    place = models.CharField(_("地点"), max_length=100, blank=True)
    people_count = models.PositiveSmallIntegerField(_("人数"), default=1)
    summary = models.TextField(_("情况摘要"))
    # Generated by the form when it is first shown: a resend after a failed submit
    # on a weak network carries the same key and finds the row already there.
    idempotency_key = models.UUIDField(default=uuid.uuid4, editable=False)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(_("记录时间"), auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("联系选民记录")
        verbose_name_plural = _("联系选民记录")
        ordering = ["-contacted_on", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["representative", "idempotency_key"], name="contact_log_idempotent"
            )
        ]
        indexes = [
            models.Index(fields=["representative", "contacted_on"], name="contact_log_rep_date"),
            # A region's period (the dashboard's contacts, the ranking's tally): the
            # region's entries of the period only, counted from the index.
            *(
                models.Index(
                    fields=[f"area_{n}", "contacted_on", "representative"],
                    name=f"contact_log_area{n}_date",
                )
                for n in range(4)
            ),
        ]

    def __str__(self) -> str:
        return f"{self.contacted_on} {self.representative} {self.get_kind_display()}"


class ContactProblem(models.Model):
    """A problem raised in a contact; the suggestions app may turn it into a citizen issue."""

    log = models.ForeignKey(
        ContactLog, verbose_name=_("联系记录"), on_delete=models.CASCADE, related_name="problems"
    )
    text = models.CharField(_("问题"), max_length=500)
    case_type = models.CharField(_("转办事项类型"), max_length=60, blank=True)
    case_id = models.PositiveBigIntegerField(_("转办事项ID"), null=True, blank=True)
    converted_at = models.DateTimeField(_("转办时间"), null=True, blank=True)

    class Meta:
        verbose_name = _("反映的问题")
        verbose_name_plural = _("反映的问题")
        ordering = ["log", "pk"]

    def __str__(self) -> str:
        return self.text[:40]


class ActivityKind(models.TextChoices):
    TRAINING = "training", _("履职培训")
    INSPECTION = "inspection", _("视察")
    RESEARCH = "research", _("调研")
    LAW_ENFORCEMENT = "law_enforcement", _("执法检查")
    ATTEND_MEETING = "attend_meeting", _("列席常委会会议")
    THEME = "theme", _("主题活动")


class ActivityStatus(models.TextChoices):
    OPEN = "open", _("报名中")
    CLOSED = "closed", _("报名截止")
    COMPLETED = "completed", _("已结束")
    CANCELLED = "cancelled", _("已取消")


class Activity(models.Model):
    """A 履职 activity organised by a congress office, with sign-up and attendance."""

    title = models.CharField(_("名称"), max_length=150)
    kind = models.CharField(_("类型"), max_length=16, choices=ActivityKind.choices)
    region = models.ForeignKey(
        Region,
        verbose_name=_("组织单位所在区划"),
        on_delete=models.PROTECT,
        related_name="activities",
    )
    starts_at = models.DateTimeField(_("开始时间"), validators=[validate_plausible_date])
    # Absences cost points per half-day (the common local rule: 缺席半天 −1).
    half_days = models.PositiveSmallIntegerField(_("时长（半天）"), default=1)
    place = models.CharField(_("地点"), max_length=150, blank=True)
    description = models.TextField(_("内容"), blank=True)
    capacity = models.PositiveIntegerField(_("名额"), null=True, blank=True)
    status = models.CharField(
        _("状态"),
        max_length=12,
        choices=ActivityStatus.choices,
        default=ActivityStatus.OPEN,
        editable=False,
    )
    organizer = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("组织人"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    version = models.PositiveIntegerField(default=0, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("履职活动")
        verbose_name_plural = _("履职活动")
        ordering = ["-starts_at", "-pk"]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("activity_detail", args=[self.pk])


class Attendance(models.TextChoices):
    PENDING = "pending", _("已报名")
    PRESENT = "present", _("出席")
    EXCUSED = "excused", _("请假")
    ABSENT = "absent", _("缺席")


class ActivityParticipation(HolderAreaColumns):
    """A representative signed up for an activity, and whether they came. Keeps the
    representative's area (``HolderAreaColumns``), so that a region's ranking reads
    its people's attendance of a period without joining the region's people."""

    activity = models.ForeignKey(
        Activity, verbose_name=_("活动"), on_delete=models.CASCADE, related_name="participations"
    )
    representative = models.ForeignKey(
        Representative,
        verbose_name=_("代表"),
        on_delete=models.CASCADE,
        related_name="participations",
    )
    attendance = models.CharField(
        _("出席情况"), max_length=10, choices=Attendance.choices, default=Attendance.PENDING
    )
    signed_up_at = models.DateTimeField(_("报名时间"), default=timezone.now)

    class Meta:
        verbose_name = _("活动参加人")
        verbose_name_plural = _("活动参加人")
        ordering = ["activity", "representative__name"]
        constraints = [
            models.UniqueConstraint(
                fields=["activity", "representative"], name="participation_once"
            )
        ]

    def __str__(self) -> str:
        return f"{self.representative} @ {self.activity}"


class PointRuleFields(models.Model):
    """What a point rule says, in force (``PointRule``) or as a past year kept it
    (``PointRuleYear``)."""

    code = models.SlugField(_("代码"), max_length=40)
    label = models.CharField(_("名称"), max_length=60)
    points = models.IntegerField(_("分值"))
    is_active = models.BooleanField(_("启用"), default=True)
    description = models.CharField(_("说明"), max_length=200, blank=True)
    sort_order = models.PositiveSmallIntegerField(_("排序"), default=100)

    class Meta:
        abstract = True


class PointRule(PointRuleFields):
    """How many points one counted record is worth (履职积分); the records themselves are
    never typed in, they are counted from what happened (docs/rules.md, 'Point rules').

    A row with no ``congress`` is the installation's rule, which administrators add,
    rename and switch off in the admin. A row with a ``congress`` is that congress's own
    value for the code: it replaces the installation's (and any congress's above) for
    the representatives whose region lies under that congress. Only its ``points``
    count; the label, order and switch stay the installation's."""

    congress = models.ForeignKey(
        Congress,
        verbose_name=_("人大"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="point_rules",
    )

    class Meta:
        verbose_name = _("积分规则")
        verbose_name_plural = _("积分规则")
        ordering = ["sort_order", "code"]
        constraints = [
            models.UniqueConstraint(
                fields=["code"], condition=Q(congress__isnull=True), name="point_rule_one_per_code"
            ),
            models.UniqueConstraint(
                fields=["congress", "code"],
                condition=Q(congress__isnull=False),
                name="point_rule_one_per_congress_code",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.label} ({self.points:+d})"


class PointRuleYear(PointRuleFields):
    """The point rules as they stood at the end of a past year: every installation rule
    (``congress`` empty) and every congress's own value, copied before the first change
    made in a later year (``representatives/point_rules.py``, ``freeze_past_years``).
    A past year is counted with the first copy of that year or after it, so a change
    applies to the year in progress only (docs/rules.md)."""

    year = models.PositiveSmallIntegerField(_("年度"))
    congress = models.ForeignKey(
        Congress,
        verbose_name=_("人大"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="+",
    )

    class Meta:
        verbose_name = _("积分规则年度存档")
        verbose_name_plural = _("积分规则年度存档")
        ordering = ["year", "sort_order", "code"]
        indexes = [models.Index(fields=["year"], name="point_rule_year")]
        # Two edits racing to copy the same year write it once (``ignore_conflicts``).
        constraints = [
            models.UniqueConstraint(
                fields=["year", "code"],
                condition=Q(congress__isnull=True),
                name="point_rule_year_one_per_code",
            ),
            models.UniqueConstraint(
                fields=["year", "congress", "code"],
                condition=Q(congress__isnull=False),
                name="point_rule_year_one_per_congress_code",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.year} {self.label} ({self.points:+d})"


class Satisfaction(models.TextChoices):
    SATISFIED = "satisfied", _("满意")
    BASICALLY = "basically", _("基本满意")
    UNSATISFIED = "unsatisfied", _("不满意")


class VoterEvaluation(models.Model):
    """A voter's rating of a representative's yearly report (述职评议), given at the station.

    Anonymous by design: no name, no phone, no IP address is stored.
    """

    station = models.ForeignKey(
        Station, verbose_name=_("家站点"), on_delete=models.CASCADE, related_name="evaluations"
    )
    representative = models.ForeignKey(
        Representative, verbose_name=_("代表"), on_delete=models.CASCADE, related_name="evaluations"
    )
    year = models.PositiveSmallIntegerField(_("年度"))
    rating = models.CharField(_("评价"), max_length=12, choices=Satisfaction.choices)
    comment = models.CharField(_("意见"), max_length=500, blank=True)
    created_at = models.DateTimeField(_("时间"), auto_now_add=True)

    class Meta:
        verbose_name = _("选民评议")
        verbose_name_plural = _("选民评议")
        ordering = ["-created_at"]
        indexes = [models.Index(fields=["representative", "year"], name="evaluation_rep_year")]

    def __str__(self) -> str:
        return f"{self.representative} {self.year} {self.get_rating_display()}"


class SeatCount(models.Model):
    """The active seats (在任代表资格) of the representatives registered in an area, by
    level, and how many representatives hold at least one: the dashboard's 在任代表
    figures read these rows instead of counting a jurisdiction's seats
    (docs/dashboard.md, "代表工作"; docs/architecture.md, "Reads that do not grow with
    the data"). The area is the representative's township, or its own region when
    shallower, as for the problems' ``IssueCount``. The services that add or end a seat
    or move a representative recount the areas they touch
    (``representatives.seat_counts``); ``manage.py seat_counts_rebuild`` rebuilds them
    and ``--check`` compares them with a plain count."""

    area = models.OneToOneField(
        Region, primary_key=True, on_delete=models.CASCADE, related_name="+"
    )
    national = models.IntegerField(_("全国人大代表资格"), default=0)
    province = models.IntegerField(_("省级人大代表资格"), default=0)
    city = models.IntegerField(_("设区的市级人大代表资格"), default=0)
    county = models.IntegerField(_("县级人大代表资格"), default=0)
    township = models.IntegerField(_("乡镇级人大代表资格"), default=0)
    people = models.IntegerField(_("在任代表人数"), default=0)

    class Meta:
        verbose_name = _("在任代表资格统计")
        verbose_name_plural = _("在任代表资格统计")

    def __str__(self) -> str:
        return f"{self.area_id}: {self.people}"


# Edit history of the registry (congress/history.py). Personal fields are kept masked:
# a 代表微家 is often at a representative's home, so a station's address and phone too.
history.track(
    Representative,
    masked={"mobile": mask_phone, "id_number": mask_id_number},
    regions=("region__path",),
    exclude=("public_token", "updated_at", "serving"),
)
history.track(Mandate, regions=("representative__region__path",), exclude=("version",))
history.track(
    Station,
    masked={"address": history.mask_text, "phone": mask_phone},
    regions=("region__path",),
    exclude=("public_token",),
)
history.track(VoterDelegate, masked={"mobile": mask_phone}, regions=("region__path",))
history.track(PointRule)
