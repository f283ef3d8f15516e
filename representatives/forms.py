"""Input shapes for the HTML pages. Choice lists are limited to what the user may see."""

from __future__ import annotations

import datetime
import uuid
from typing import Any, cast

from django import forms
from django.core.files.uploadedfile import UploadedFile
from django.db.models import Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from congress.models import Congress, CongressLevel, Region, RegionLevel, Term
from congress.scoping import AnyUser, visible_regions
from congress.uploads import CleanUpload, clean_image
from representatives.models import (
    Activity,
    ActivityKind,
    Attendance,
    ContactKind,
    DutyPattern,
    DutyPatternKind,
    Mandate,
    Representative,
    Satisfaction,
    Station,
    StationRole,
    VoterDelegate,
)
from representatives.selectors import (
    has_active_mandate,
    visible_constituencies,
    visible_delegations,
    visible_grids,
    visible_groups,
    visible_representatives,
)
from representatives.services import CONTACT_LOG_MAX_PHOTOS
from representatives.validators import normalize_id_number, validate_id_number, validate_mobile

ADMIN_LEVELS = [
    RegionLevel.PROVINCE,
    RegionLevel.CITY,
    RegionLevel.COUNTY,
    RegionLevel.TOWNSHIP,
    RegionLevel.VILLAGE,
]
DATE_INPUT = forms.DateInput(attrs={"type": "date"})
TIME_INPUT = forms.TimeInput(attrs={"type": "time"}, format="%H:%M")


def _model_field(form: forms.BaseForm, name: str) -> forms.ModelChoiceField:
    """A form's model choice field, to narrow its queryset to what the user may see."""
    return cast(forms.ModelChoiceField, form.fields[name])


class RegionChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Any) -> str:
        return f"{'· ' * max(obj.depth - 1, 0)}{obj.name}"


def region_choices(user: AnyUser, levels: list[str] | None = None) -> QuerySet[Region]:
    return visible_regions(user).filter(level__in=levels or ADMIN_LEVELS).order_by("path")


class RepresentativeForm(forms.ModelForm):
    region = RegionChoiceField(queryset=Region.objects.none(), label=_("所属地区"))
    id_number = forms.CharField(
        label=_("身份证号"),
        required=False,
        max_length=18,
        help_text=_("已保存的身份证号不会显示；留空表示不修改。"),
    )

    class Meta:
        model = Representative
        fields = [
            "name",
            "gender",
            "ethnicity",
            "birth_year",
            "party",
            "sector",
            "occupation",
            "workplace",
            "mobile",
            "phone_policy",
            "public_note",
            "region",
            "photo",
        ]

    def __init__(self, *args: Any, user: AnyUser, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        _model_field(self, "region").queryset = region_choices(user)
        if self.instance.pk and self.instance.id_number:
            self.fields["id_number"].widget.attrs["placeholder"] = self.instance.masked_id_number

    def clean_id_number(self) -> str:
        value = normalize_id_number(self.cleaned_data.get("id_number") or "")
        if value:
            validate_id_number(value)
            clash = Representative.objects.filter(id_number=value).exclude(pk=self.instance.pk)
            if clash.exists():
                raise forms.ValidationError(_("该身份证号已登记为另一位代表。"))
        return value

    def clean_mobile(self) -> str:
        value = (self.cleaned_data.get("mobile") or "").strip()
        validate_mobile(value)
        return value

    def service_fields(self) -> dict[str, Any]:
        data = {
            name: self.cleaned_data[name] for name in self.Meta.fields if name in self.cleaned_data
        }
        if self.cleaned_data.get("id_number"):
            data["id_number"] = self.cleaned_data["id_number"]
        if not data.get("photo"):
            data.pop("photo", None)
        return data


class MandateForm(forms.ModelForm):
    class Meta:
        model = Mandate
        fields = [
            "level",
            "term",
            "constituency",
            "electoral_unit",
            "delegation",
            "group",
            "starts_on",
        ]
        widgets = {"starts_on": DATE_INPUT}

    def __init__(
        self, *args: Any, user: AnyUser, representative: Representative, **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        # The congresses above the representative's place, down to it: a district's staff
        # record that their representative also sits in the city and provincial congress.
        ancestors = representative.region.ancestor_ids()
        congress_q = Q(congress__region_id__in=ancestors)
        _model_field(self, "term").queryset = Term.objects.filter(congress_q).select_related(
            "congress"
        )
        self.fields["term"].required = False
        _model_field(self, "constituency").queryset = visible_constituencies(user).filter(
            congress__region_id__in=ancestors
        )
        _model_field(self, "delegation").queryset = visible_delegations(user).filter(
            congress__region_id__in=ancestors
        )
        _model_field(self, "electoral_unit").queryset = Congress.objects.exclude(
            level=CongressLevel.TOWNSHIP
        )
        _model_field(self, "group").queryset = visible_groups(user)
        if not self.initial.get("starts_on"):
            self.initial["starts_on"] = timezone.localdate()


class MandateEndForm(forms.Form):
    ends_on = forms.DateField(label=_("结束日期"), widget=DATE_INPUT, initial=timezone.localdate)
    reason = forms.CharField(label=_("原因"), max_length=200, required=False)
    terminate = forms.BooleanField(label=_("终止代表资格（非任期届满）"), required=False)


class LoginCreateForm(forms.Form):
    username = forms.RegexField(
        label=_("用户名"),
        regex=r"^[A-Za-z0-9_.-]{3,40}$",
        help_text=_("3–40位字母、数字或 _ . -"),
        error_messages={"invalid": _("用户名格式不正确。")},
    )


class ImportForm(forms.Form):
    file = forms.FileField(label=_("Excel 文件（.xlsx）"))


class ExportForm(forms.Form):
    full_id_numbers = forms.BooleanField(
        label=_("包含完整身份证号（用于重新导入；将记入审计日志）"), required=False
    )


class VoterDelegateForm(forms.ModelForm):
    region = RegionChoiceField(queryset=Region.objects.none(), label=_("所在街道（社区）"))

    class Meta:
        model = VoterDelegate
        fields = [
            "name",
            "gender",
            "kind",
            "region",
            "workplace",
            "mobile",
            "starts_on",
            "ends_on",
            "is_active",
        ]
        widgets = {"starts_on": DATE_INPUT, "ends_on": DATE_INPUT}

    def __init__(self, *args: Any, user: AnyUser, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        _model_field(self, "region").queryset = region_choices(
            user, [RegionLevel.TOWNSHIP, RegionLevel.VILLAGE]
        )

    def clean_mobile(self) -> str:
        value = (self.cleaned_data.get("mobile") or "").strip()
        validate_mobile(value)
        return value


class StationForm(forms.ModelForm):
    region = RegionChoiceField(queryset=Region.objects.none(), label=_("所在区划"))

    class Meta:
        model = Station
        fields = [
            "name",
            "kind",
            "specialty",
            "region",
            "address",
            "latitude",
            "longitude",
            "opening_hours",
            "facilities",
            "phone",
            "description",
            "is_active",
        ]
        widgets = {
            "facilities": forms.Textarea(attrs={"rows": 3}),
            "description": forms.Textarea(attrs={"rows": 3}),
        }

    def __init__(self, *args: Any, user: AnyUser, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        _model_field(self, "region").queryset = region_choices(user)


class StationGridsForm(forms.Form):
    grids = forms.ModelMultipleChoiceField(
        queryset=Region.objects.none(),
        required=False,
        label=_("覆盖网格"),
        widget=forms.SelectMultiple(attrs={"size": 12}),
    )

    def __init__(self, *args: Any, user: AnyUser, station: Station, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        _model_field(self, "grids").queryset = (
            visible_regions(user)
            .filter(
                path__startswith=station.region.path,
                level__in=[RegionLevel.VILLAGE, RegionLevel.GRID, RegionLevel.MICROGRID],
            )
            .order_by("path")
        )


def _county_of(region: Region) -> str:
    """The path of the county-level region containing ``region`` (or the region itself)."""
    segments = region.path.strip("/").split("/")
    depth = min(len(segments), 3)  # province / city / county
    return "/" + "/".join(segments[:depth]) + "/"


class StationMemberForm(forms.Form):
    representative = forms.ModelChoiceField(queryset=Representative.objects.none(), label=_("代表"))
    role = forms.ChoiceField(
        label=_("角色"), choices=StationRole.choices, initial=StationRole.MEMBER
    )

    def __init__(self, *args: Any, user: AnyUser, station: Station, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        # Representatives of any level living in the station's county (进站 is local).
        _model_field(self, "representative").queryset = (
            visible_representatives(user)
            .filter(has_active_mandate(), region__path__startswith=_county_of(station.region))
            .exclude(station_memberships__station=station, station_memberships__is_active=True)
        )


def stationed(station: Station) -> QuerySet[Representative]:
    return Representative.objects.filter(
        station_memberships__station=station, station_memberships__is_active=True
    ).distinct()


class DutyShiftForm(forms.Form):
    representative = forms.ModelChoiceField(
        queryset=Representative.objects.none(), label=_("值班代表")
    )
    date = forms.DateField(label=_("日期"), widget=DATE_INPUT)
    start_time = forms.TimeField(label=_("开始"), widget=TIME_INPUT, initial=datetime.time(9, 0))
    end_time = forms.TimeField(label=_("结束"), widget=TIME_INPUT, initial=datetime.time(11, 30))
    publish = forms.BooleanField(label=_("立即公示"), required=False, initial=True)

    def __init__(
        self, *args: Any, station: Station, all_representatives: bool = False, **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        # The service refuses a non-stationed representative; the API may offer anyone.
        _model_field(self, "representative").queryset = (
            Representative.objects.all() if all_representatives else stationed(station)
        )


class DutyPatternForm(forms.ModelForm):
    dates_text = forms.CharField(
        label=_("指定日期"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("YYYY-MM-DD，每行或逗号分隔"),
    )
    generate_until = forms.DateField(label=_("生成班次至"), widget=DATE_INPUT)
    publish = forms.BooleanField(label=_("立即公示"), required=False)

    class Meta:
        model = DutyPattern
        fields = [
            "kind",
            "month_digits",
            "weekdays",
            "starts_on",
            "ends_on",
            "start_time",
            "end_time",
            "rotation",
            "note",
        ]
        widgets = {
            "starts_on": DATE_INPUT,
            "ends_on": DATE_INPUT,
            "start_time": TIME_INPUT,
            "end_time": TIME_INPUT,
            "rotation": forms.CheckboxSelectMultiple,
        }

    def __init__(self, *args: Any, station: Station, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        _model_field(self, "rotation").queryset = stationed(station)
        today = timezone.localdate()
        self.initial.setdefault("starts_on", today)
        self.initial.setdefault("generate_until", today + datetime.timedelta(days=31))
        self.initial.setdefault("month_digits", "147")

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        kind = data.get("kind")
        if kind == DutyPatternKind.MONTH_DAYS:
            digits = (data.get("month_digits") or "").replace(" ", "")
            if not digits or not digits.isdigit():
                self.add_error("month_digits", _("请填写日期尾数，如 147。"))
            data["month_digits"] = digits
        elif kind == DutyPatternKind.WEEKLY:
            days = [d.strip() for d in (data.get("weekdays") or "").split(",") if d.strip()]
            if not days or any(d not in "1234567" or len(d) != 1 for d in days):
                self.add_error("weekdays", _("请填写 1–7 的星期数字，逗号分隔。"))
            data["weekdays"] = ",".join(days)
        elif kind == DutyPatternKind.DATES:
            raw = (data.get("dates_text") or "").replace(",", "\n").split()
            try:
                data["dates"] = sorted({datetime.date.fromisoformat(d).isoformat() for d in raw})
            except ValueError:
                self.add_error("dates_text", _("日期格式应为 YYYY-MM-DD。"))
            if not raw:
                self.add_error("dates_text", _("请至少填写一个日期。"))
        return data

    def service_fields(self) -> dict[str, Any]:
        data = {
            name: self.cleaned_data.get(name) for name in self.Meta.fields if name != "rotation"
        }
        data["dates"] = self.cleaned_data.get("dates", [])
        data["month_digits"] = data.get("month_digits") or ""
        data["weekdays"] = data.get("weekdays") or ""
        data["note"] = data.get("note") or ""
        return data


class PublishForm(forms.Form):
    until = forms.DateField(label=_("公示至"), widget=DATE_INPUT)


class ShiftActionForm(forms.Form):
    reason = forms.CharField(label=_("原因"), max_length=200, required=False)
    to_representative = forms.ModelChoiceField(
        queryset=Representative.objects.none(), label=_("换给"), required=False
    )

    def __init__(self, *args: Any, station: Station, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        _model_field(self, "to_representative").queryset = stationed(station)


class GridAssignForm(forms.Form):
    grid = forms.ModelChoiceField(queryset=Region.objects.none(), label=_("网格"))

    def __init__(
        self, *args: Any, user: AnyUser, representative: Representative, **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        _model_field(self, "grid").queryset = (
            visible_grids(user)
            .filter(path__startswith=_county_of(representative.region))
            .order_by("path")
        )


class MultiplePhotoInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultiplePhotoField(forms.FileField):
    """Several photos in one input (Django's documented pattern)."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("widget", MultiplePhotoInput())
        super().__init__(*args, **kwargs)

    def clean(self, data: Any, initial: Any = None) -> list[UploadedFile]:
        single = super().clean
        if isinstance(data, list | tuple):
            return [single(item, initial) for item in data if item]
        return [single(data, initial)] if data else []


class ContactLogForm(forms.Form):
    """Phone-first: few fields, today's date by default, problems one per line.

    ``idempotency_key`` is generated when the form is first shown and sent back
    unchanged on every retry, so a resend after a failed submit logs nothing twice.
    """

    idempotency_key = forms.UUIDField(widget=forms.HiddenInput)
    kind = forms.ChoiceField(
        label=_("方式"),
        choices=ContactKind.choices,
        widget=forms.RadioSelect,
        initial=ContactKind.VISIT,
    )
    contacted_on = forms.DateField(label=_("日期"), widget=DATE_INPUT)
    station = forms.ModelChoiceField(
        queryset=Station.objects.none(), required=False, label=_("家站点")
    )
    place = forms.CharField(label=_("地点"), max_length=100, required=False)
    people_count = forms.IntegerField(label=_("人数"), min_value=1, max_value=10000, initial=1)
    summary = forms.CharField(label=_("情况摘要"), widget=forms.Textarea(attrs={"rows": 3}))
    problems = forms.CharField(
        label=_("群众反映的问题（每行一条）"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )

    def __init__(self, *args: Any, representative: Representative | None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        today = timezone.localdate()
        self.initial.setdefault("contacted_on", today)
        self.initial.setdefault("idempotency_key", uuid.uuid4())
        self.fields["contacted_on"].widget.attrs["max"] = today.isoformat()
        if representative is not None:
            _model_field(self, "station").queryset = Station.objects.filter(
                members__representative=representative, members__is_active=True
            )

    def clean_contacted_on(self) -> datetime.date:
        value: datetime.date = self.cleaned_data["contacted_on"]
        if value > timezone.localdate():
            raise forms.ValidationError(_("联系日期不能晚于今天。"))
        return value

    def log_fields(self) -> dict[str, Any]:
        """The contact log's fields as its services take them (the page's new and edit
        forms and the offline sync write the same)."""
        data = self.cleaned_data
        fields = ("kind", "contacted_on", "station", "place", "people_count", "summary")
        return {name: data[name] for name in fields} | {"problems": self.problem_list()}

    def problem_list(self) -> list[str]:
        return [
            line.strip()
            for line in self.cleaned_data.get("problems", "").splitlines()
            if line.strip()
        ]


class ContactLogCreateForm(ContactLogForm):
    """A new log may carry photos; they are shrunk on the phone before upload
    (static/js/offline/photos.js), checked and re-encoded here without metadata
    (congress.uploads), and stored on the log's timeline."""

    photos = MultiplePhotoField(label=_("照片（可选）"), required=False)

    def __init__(self, *args: Any, representative: Representative | None, **kwargs: Any) -> None:
        super().__init__(*args, representative=representative, **kwargs)
        self.fields["photos"].widget.attrs.update(
            {"accept": "image/*", "data-shrink-photos": "1600"}
        )

    def clean_photos(self) -> list[CleanUpload]:
        files: list[UploadedFile] = self.cleaned_data.get("photos") or []
        if len(files) > CONTACT_LOG_MAX_PHOTOS:
            raise forms.ValidationError(
                _("最多上传%(n)s张照片。"), params={"n": CONTACT_LOG_MAX_PHOTOS}, code="too_many"
            )
        return [clean_image(upload) for upload in files]


class ActivityForm(forms.ModelForm):
    region = RegionChoiceField(queryset=Region.objects.none(), label=_("组织单位所在区划"))

    class Meta:
        model = Activity
        fields = [
            "title",
            "kind",
            "region",
            "starts_at",
            "half_days",
            "place",
            "capacity",
            "description",
        ]
        widgets = {
            "starts_at": forms.DateTimeInput(attrs={"type": "datetime-local"}),
            "description": forms.Textarea(attrs={"rows": 3}),
        }

    def __init__(self, *args: Any, user: AnyUser, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        _model_field(self, "region").queryset = region_choices(
            user, [RegionLevel.PROVINCE, RegionLevel.CITY, RegionLevel.COUNTY, RegionLevel.TOWNSHIP]
        )
        cast(forms.ChoiceField, self.fields["kind"]).choices = ActivityKind.choices


class AttendanceForm(forms.Form):
    """One select per participant, named ``rep_<id>``."""

    def __init__(self, *args: Any, activity: Activity, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.rows = list(activity.participations.select_related("representative"))
        for row in self.rows:
            self.fields[f"rep_{row.representative_id}"] = forms.ChoiceField(
                label=row.representative.name, choices=Attendance.choices, initial=row.attendance
            )

    def attendance(self) -> dict[int, str]:
        return {
            int(name[4:]): value
            for name, value in self.cleaned_data.items()
            if name.startswith("rep_")
        }


class EvaluationForm(forms.Form):
    representative = forms.ModelChoiceField(
        queryset=Representative.objects.none(),
        label=_("代表"),
        empty_label=None,
        widget=forms.RadioSelect,
    )
    rating = forms.ChoiceField(
        label=_("您的评价"), choices=Satisfaction.choices, widget=forms.RadioSelect
    )
    comment = forms.CharField(
        label=_("意见建议（选填）"),
        max_length=500,
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )

    def __init__(self, *args: Any, station: Station, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        _model_field(self, "representative").queryset = (
            stationed(station).filter(has_active_mandate()).order_by("name")
        )


class RankingForm(forms.Form):
    region = forms.ModelChoiceField(
        queryset=Region.objects.none(),
        required=False,
        label=_("地区"),
        # Nothing chosen ranks every representative the user may see.
        empty_label=_("全部地区"),
    )
    level = forms.ChoiceField(
        label=_("层级"), required=False, choices=[("", _("全部层级")), *CongressLevel.choices]
    )
    start = forms.DateField(label=_("起"), required=False, widget=DATE_INPUT)
    end = forms.DateField(label=_("止"), required=False, widget=DATE_INPUT)

    def __init__(self, *args: Any, user: AnyUser, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        # The page lays the choices out in one row without visible labels.
        for name in ("region", "level"):
            self.fields[name].widget.attrs["aria-label"] = str(self.fields[name].label)
        _model_field(self, "region").queryset = region_choices(
            user, [RegionLevel.CITY, RegionLevel.COUNTY, RegionLevel.TOWNSHIP]
        )

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("start") and data.get("end"):
            from representatives.points import check_ranking_period

            check_ranking_period(data["start"], data["end"])
        return data

    def period(self) -> tuple[datetime.date, datetime.date]:
        today = timezone.localdate()
        data = self.cleaned_data if self.is_valid() else {}
        start = data.get("start") or datetime.date(today.year, 1, 1)
        end = data.get("end") or today
        return (start, end) if start <= end else (end, start)
