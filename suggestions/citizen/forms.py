"""Input shapes of the citizen channel: the public forms and the staff action forms.

The API validates with these same forms, so the two interfaces accept and
refuse exactly the same things with the same translated messages.
"""

from __future__ import annotations

import datetime
import uuid
from typing import Any

from django import forms
from django.core import signing
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.core.validators import MaxLengthValidator
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from congress.models import Department, Region, User
from congress.uploads import CleanUpload, clean_attachment, clean_image
from representatives.models import Representative, Station
from suggestions.citizen import conf
from suggestions.citizen.privacy import normalize_mobile, validate_mobile
from suggestions.citizen.selectors import (
    categories,
    department_choices,
    merge_candidates,
    representative_choices,
)
from suggestions.citizen.services import Submission
from suggestions.models.citizen import (
    OPEN_ISSUE_STATUSES,
    CitizenIssue,
    ConversionKind,
    DeclineChannel,
    IssueCategory,
    IssueRating,
)

JOIN_SALT = "suggestions.citizen.join"


def sign_join(issue: CitizenIssue) -> str:
    """The value of "add mine to this problem": the id, signed so it cannot be guessed
    or altered, and never the problem's tracking code or link."""
    return signing.dumps(issue.pk, salt=JOIN_SALT)


def set_choices(form: forms.Form, name: str, queryset: QuerySet[Any]) -> None:
    """Give a model-choice field its (scoped) choices when the form is made."""
    field = form.fields[name]
    assert isinstance(field, forms.ModelChoiceField)
    field.queryset = queryset


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    """Several files in one input (Django's documented pattern)."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("widget", MultipleFileInput())
        super().__init__(*args, **kwargs)

    def clean(self, data: Any, initial: Any = None) -> list[UploadedFile]:
        single = super().clean
        if isinstance(data, list | tuple):
            return [single(item, initial) for item in data if item]
        return [single(data, initial)] if data else []


class MobileField(forms.CharField):
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("max_length", 20)
        super().__init__(*args, **kwargs)
        self.widget.attrs.update(
            {"inputmode": "tel", "autocomplete": "tel", "placeholder": "13812345678"}
        )

    def clean(self, value: Any) -> str:
        number = normalize_mobile(super().clean(value))
        validate_mobile(number)
        return number


def _photos(files: list[UploadedFile], limit: int) -> list[CleanUpload]:
    if len(files) > limit:
        raise ValidationError(_("最多上传%(n)s张照片。"), params={"n": limit}, code="too_many")
    cleaned, errors = [], []
    for upload in files:
        try:
            cleaned.append(clean_image(upload))
        except ValidationError as error:
            errors.append(
                ValidationError(
                    _("照片“%(name)s”：%(error)s"),
                    params={"name": (upload.name or "")[:40], "error": error.messages[0]},
                    code=error.code,
                )
            )
    if errors:
        raise ValidationError(errors)
    return cleaned


class IssueSubmitForm(forms.Form):
    """The phone form behind a station's or a representative's QR code."""

    idempotency_key = forms.UUIDField(widget=forms.HiddenInput)
    category = forms.ModelChoiceField(
        label=_("问题类别"),
        queryset=IssueCategory.objects.none(),
        empty_label=None,
        widget=forms.RadioSelect,
    )
    description = forms.CharField(
        label=_("问题描述"),
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text=_("说清楚什么问题、在哪里、持续多久、希望怎样解决。"),
    )
    address = forms.CharField(
        label=_("详细地点"),
        max_length=200,
        required=False,
        help_text=_("如：幸福路与解放路路口东侧50米"),
    )
    latitude = forms.DecimalField(
        max_digits=9, decimal_places=6, required=False, widget=forms.HiddenInput
    )
    longitude = forms.DecimalField(
        max_digits=9, decimal_places=6, required=False, widget=forms.HiddenInput
    )
    photos = MultipleFileField(
        label=_("照片"),
        required=False,
        help_text=_("最多6张，每张不超过10 MB；照片中的位置等信息会被自动清除。"),
    )
    citizen_name = forms.CharField(label=_("姓名（可不填）"), max_length=50, required=False)
    mobile = MobileField(
        label=_("手机号"),
        required=False,
        help_text=_("用于代表联系您和告知办理结果，任何页面只显示部分号码。"),
    )
    wants_sms = forms.BooleanField(label=_("通过短信接收查询码和办理进展"), required=False)
    public_anonymous = forms.BooleanField(label=_("在公示栏匿名显示"), required=False, initial=True)
    consent = forms.BooleanField(
        label=_("我已阅读并同意《个人信息处理告知》"),
        error_messages={"required": _("请阅读并同意个人信息处理告知后再提交。")},
    )
    join = forms.CharField(required=False, widget=forms.HiddenInput)
    # Honeypot: hidden from people by CSS, filled in by form-filling robots.
    website = forms.CharField(required=False, label=_("网址（请勿填写）"))

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        set_choices(self, "category", categories())
        description = self.fields["description"]
        assert isinstance(description, forms.CharField)
        description.max_length = conf.max_description()
        description.validators.append(MaxLengthValidator(conf.max_description()))
        description.widget.attrs["maxlength"] = conf.max_description()
        self.fields["photos"].widget.attrs.update({"accept": "image/*"})
        self.fields["website"].widget.attrs.update({"autocomplete": "off", "tabindex": "-1"})
        # The browser checks these before the photos upload (the page does not use
        # novalidate), in our words rather than its own.
        consent = self.fields["consent"]
        consent.widget.attrs["data-required-message"] = consent.error_messages["required"]
        if conf.sms_confirmation_required():
            self.fields["mobile"].widget.attrs["required"] = True

    @property
    def is_robot(self) -> bool:
        return bool(self.data.get("website"))

    def clean_photos(self) -> list[CleanUpload]:
        return _photos(self.cleaned_data.get("photos") or [], conf.max_photos())

    def clean_join(self) -> CitizenIssue | None:
        value = self.cleaned_data.get("join") or ""
        if not value:
            return None
        try:
            pk = signing.loads(value, salt=JOIN_SALT, max_age=7 * 86400)
        except signing.BadSignature:
            return None  # stale or tampered: the problem is simply submitted on its own
        return CitizenIssue.objects.filter(pk=pk, status__in=OPEN_ISSUE_STATUSES).first()

    def submission(
        self,
        *,
        region: Region,
        station: Station | None,
        representative: Representative | None,
        source: str,
    ) -> Submission:
        data = self.cleaned_data
        return Submission(
            category=data["category"],
            description=data["description"],
            region=region,
            station=station,
            representative=representative,
            address=data["address"],
            latitude=data["latitude"],
            longitude=data["longitude"],
            citizen_name=data["citizen_name"],
            mobile=data["mobile"],
            wants_sms=data["wants_sms"],
            public_anonymous=data["public_anonymous"],
            consent=data["consent"],
            photos=data["photos"],
            join=data["join"],
            source=source,
        )

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("wants_sms") and not data.get("mobile"):
            self.add_error("mobile", _("要接收短信，请填写手机号。"))
        if conf.sms_confirmation_required() and not data.get("mobile"):
            self.add_error("mobile", _("请填写手机号，以便短信确认。"))
        return data


class RateForm(forms.Form):
    rating = forms.ChoiceField(
        label=_("您对办理结果是否满意？"),
        choices=[
            (IssueRating.SATISFIED, IssueRating.SATISFIED.label),
            (IssueRating.BASICALLY, IssueRating.BASICALLY.label),
            (IssueRating.UNSATISFIED, IssueRating.UNSATISFIED.label),
        ],
        widget=forms.RadioSelect,
    )
    comment = forms.CharField(
        label=_("意见（可不填）"),
        max_length=500,
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )


class ConfirmForm(forms.Form):
    code = forms.CharField(
        label=_("短信验证码"),
        max_length=6,
        min_length=6,
        widget=forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "one-time-code"}),
    )


class LookupForm(forms.Form):
    """Find one's problem by the tracking code and the number it was sent from."""

    tracking_code = forms.CharField(label=_("查询码"), max_length=8, min_length=8)
    mobile = MobileField(label=_("提交时填写的手机号"))

    def clean_tracking_code(self) -> str:
        return str(self.cleaned_data["tracking_code"]).strip().upper()


class ContactConvertForm(forms.Form):
    category = forms.ModelChoiceField(
        label=_("问题类别"), queryset=IssueCategory.objects.none(), empty_label=None
    )
    description = forms.CharField(label=_("问题描述"), widget=forms.Textarea(attrs={"rows": 4}))

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        set_choices(self, "category", categories())


# --- staff, representative and department actions on one problem -------------------------


class ActionForm(forms.Form):
    """Every action form carries the version the page was drawn from: a click on a
    stale page is refused instead of undoing what someone else just did."""

    version = forms.IntegerField(required=False, widget=forms.HiddenInput)

    def __init__(self, *args: Any, issue: CitizenIssue, user: User, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.issue = issue
        self.user = user
        if not self.is_bound:
            self.initial.setdefault("version", issue.version)


class NoteForm(ActionForm):
    note = forms.CharField(
        label=_("说明"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )


class ReasonForm(ActionForm):
    reason = forms.CharField(label=_("理由"), widget=forms.Textarea(attrs={"rows": 2}))


def _representatives(user: User, issue: CitizenIssue) -> QuerySet[Representative]:
    return representative_choices(user, issue)


class AcceptForm(NoteForm):
    representative = forms.ModelChoiceField(
        label=_("交由代表办理"),
        queryset=Representative.objects.none(),
        required=False,
        empty_label=_("（默认：所反映的代表或网格责任代表）"),
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        set_choices(self, "representative", _representatives(self.user, self.issue))


class AssignForm(NoteForm):
    representative = forms.ModelChoiceField(
        label=_("办理代表"), queryset=Representative.objects.none()
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        set_choices(self, "representative", _representatives(self.user, self.issue))


class DeclineForm(ReasonForm):
    channel = forms.ChoiceField(label=_("建议反映渠道"), choices=DeclineChannel.choices)


class AnswerForm(NoteForm):
    answer = forms.CharField(
        label=_("给群众的答复"),
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("群众会在查询页面看到这段话，请用通俗的语言说明办理结果。"),
    )


class MergeForm(NoteForm):
    into = forms.ModelChoiceField(
        label=_("并入的问题"), queryset=CitizenIssue.objects.none(), to_field_name="tracking_code"
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        rows = merge_candidates(self.user, self.issue)
        # The page lists the newest 200; a posted choice is looked up in all of them
        # (a sliced queryset cannot be filtered: every merge was refused as invalid).
        set_choices(self, "into", rows if self.is_bound else rows[:200])
        into = self.fields["into"]
        assert isinstance(into, forms.ModelChoiceField)
        into.label_from_instance = lambda obj: f"{obj.tracking_code} {obj.title}"  # type: ignore[method-assign]

    def clean_into(self) -> CitizenIssue:
        value = self.cleaned_data["into"]
        return merge_candidates(self.user, self.issue).get(pk=value.pk)


class ConvertForm(NoteForm):
    to = forms.ChoiceField(label=_("转为"), choices=ConversionKind.choices)


class ForwardForm(NoteForm):
    department = forms.ModelChoiceField(label=_("承办单位"), queryset=Department.objects.none())
    public_note = forms.CharField(
        label=_("告知群众（可不填）"),
        required=False,
        help_text=_("不填则显示“已交有关部门办理”及办理期限。"),
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        set_choices(self, "department", department_choices(self.issue))


class DepartmentReplyForm(ActionForm):
    reply = forms.CharField(label=_("办理情况及答复"), widget=forms.Textarea(attrs={"rows": 5}))
    attachments = MultipleFileField(
        label=_("附件（PDF或图片）"), required=False, help_text=_("最多5个，每个不超过10 MB。")
    )

    def clean_attachments(self) -> list[CleanUpload]:
        files = self.cleaned_data.get("attachments") or []
        if len(files) > 5:
            raise ValidationError(_("最多上传5个附件。"))
        return [clean_attachment(upload) for upload in files]


class ExtensionForm(ReasonForm):
    until = forms.DateField(label=_("申请延期至"), widget=forms.DateInput(attrs={"type": "date"}))


class DecideForm(NoteForm):
    approve = forms.TypedChoiceField(
        label=_("决定"),
        choices=[("1", _("同意")), ("0", _("不同意"))],
        coerce=lambda value: value == "1",
        widget=forms.RadioSelect,
    )


class DecideExtensionForm(DecideForm):
    until = forms.DateField(
        label=_("延期至（可调整）"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}),
    )


class ReturnVisitForm(ActionForm):
    summary = forms.CharField(label=_("回访情况"), widget=forms.Textarea(attrs={"rows": 3}))


class BanForm(ReasonForm):
    days = forms.IntegerField(
        label=_("限制天数（不填为长期）"), required=False, min_value=1, max_value=3650
    )


# --- appointments --------------------------------------------------------------------------


class AppointmentRequestForm(forms.Form):
    idempotency_key = forms.UUIDField(widget=forms.HiddenInput)
    representative = forms.ModelChoiceField(
        label=_("约见代表"), queryset=Representative.objects.none(), empty_label=None
    )
    topic = forms.CharField(
        label=_("约见事由"), max_length=2000, widget=forms.Textarea(attrs={"rows": 4})
    )
    preferred_date = forms.DateField(
        label=_("希望见面日期"), widget=forms.DateInput(attrs={"type": "date"})
    )
    preferred_times = forms.CharField(
        label=_("希望时段"), max_length=100, required=False, help_text=_("如：上午、周末下午")
    )
    citizen_name = forms.CharField(label=_("姓名"), max_length=50)
    mobile = MobileField(label=_("手机号"), help_text=_("代表确认时间后会短信通知您。"))
    consent = forms.BooleanField(
        label=_("我已阅读并同意《个人信息处理告知》"),
        error_messages={"required": _("请阅读并同意个人信息处理告知后再提交。")},
    )
    website = forms.CharField(required=False, label=_("网址（请勿填写）"))

    def __init__(
        self, *args: Any, representatives: QuerySet[Representative], **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        set_choices(self, "representative", representatives)
        self.fields["website"].widget.attrs.update({"autocomplete": "off", "tabindex": "-1"})
        self.fields["preferred_date"].widget.attrs["min"] = timezone.localdate().isoformat()

    @property
    def is_robot(self) -> bool:
        return bool(self.data.get("website"))

    def clean_preferred_date(self) -> datetime.date:
        value: datetime.date = self.cleaned_data["preferred_date"]
        if value < timezone.localdate():
            raise ValidationError(_("希望日期不能早于今天。"))
        return value


class DepartmentAppointmentForm(forms.Form):
    idempotency_key = forms.UUIDField(widget=forms.HiddenInput, initial=uuid.uuid4)
    department = forms.ModelChoiceField(label=_("约见单位"), queryset=Department.objects.none())
    topic = forms.CharField(label=_("约见事由"), widget=forms.Textarea(attrs={"rows": 4}))
    preferred_date = forms.DateField(
        label=_("希望日期"), widget=forms.DateInput(attrs={"type": "date"})
    )
    preferred_times = forms.CharField(label=_("希望时段"), max_length=100, required=False)

    def __init__(self, *args: Any, departments: QuerySet[Any], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        set_choices(self, "department", departments)


class AppointmentTimeForm(forms.Form):
    scheduled_at = forms.DateTimeField(
        label=_("见面时间"), widget=forms.DateTimeInput(attrs={"type": "datetime-local"})
    )
    place = forms.CharField(label=_("地点"), max_length=150)
    note = forms.CharField(label=_("说明"), required=False)


class AppointmentReasonForm(forms.Form):
    reason = forms.CharField(label=_("理由"), widget=forms.Textarea(attrs={"rows": 2}))


class AppointmentCancelForm(forms.Form):
    reason = forms.CharField(label=_("理由（可不填）"), required=False)


class MeetingForm(forms.Form):
    summary = forms.CharField(label=_("见面情况"), widget=forms.Textarea(attrs={"rows": 4}))
    problems = forms.CharField(
        label=_("反映的问题（每行一个，将转为问题办理）"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    category = forms.ModelChoiceField(
        label=_("问题类别"), queryset=IssueCategory.objects.none(), required=False
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        set_choices(self, "category", categories())

    def problem_list(self) -> list[str]:
        text = self.cleaned_data.get("problems") or ""
        return [line.strip() for line in text.splitlines() if line.strip()]
