"""Input shape of the cycle's pages: a cycle, a proposal (public, representative,
department), the screening steps, a shortlisted project and the vote made from it. The
rules themselves (dates in order, the call's length, a plausible cost) are the services'."""

from __future__ import annotations

from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from congress.models import Congress, Department, Region, RegionLevel
from congress.uploads import CleanUpload, clean_image
from livelihood_votes.cycles import conf
from livelihood_votes.cycles.services import DATE_FIELDS
from livelihood_votes.models import (
    BallotForm,
    Cycle,
    Electorate,
    ProposalTheme,
    ScreeningReason,
)

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class CycleForm(forms.ModelForm):
    class Meta:
        model = Cycle
        fields = ["title", "electorate", *DATE_FIELDS]
        widgets = {name: DATE for name in DATE_FIELDS}

    def _post_clean(self) -> None:
        # The services change the row (and check it): the form only shapes the input,
        # so the instance stays as it was read until the service saves it.
        pass


class CycleCreateForm(CycleForm):
    congress = forms.ModelChoiceField(label=_("人大"), queryset=Congress.objects.none())
    region = forms.ModelChoiceField(
        label=_("街道（由议政会票决时选择）"), queryset=Region.objects.none(), required=False
    )

    class Meta(CycleForm.Meta):
        fields = ["congress", "region", "year", "title", "electorate", *DATE_FIELDS]

    def __init__(
        self,
        *args: Any,
        congresses: QuerySet[Congress],
        regions: QuerySet[Region],
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        self.fields["congress"].queryset = congresses  # type: ignore[attr-defined]
        self.fields["region"].queryset = regions.filter(level=RegionLevel.TOWNSHIP)  # type: ignore[attr-defined]
        self.fields["year"].initial = timezone.localdate().year
        self.fields["electorate"].initial = Electorate.REPRESENTATIVES


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    """Several files in one input (Django's documented pattern)."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("widget", MultipleFileInput(attrs={"accept": "image/*"}))
        super().__init__(*args, **kwargs)

    def clean(self, data: Any, initial: Any = None) -> list[UploadedFile]:
        single = super().clean
        if isinstance(data, list | tuple):
            return [single(item, initial) for item in data if item]
        return [single(data, initial)] if data else []


class ProposalForm(forms.Form):
    """What every channel gives: the project, where, roughly what it costs, who benefits."""

    title = forms.CharField(label=_("项目名称"), max_length=200)
    description = forms.CharField(
        label=_("要办的实事"),
        widget=forms.Textarea(attrs={"rows": 4}),
        max_length=4000,
        help_text=_("说明现在的问题和希望怎么办"),
    )
    place = forms.CharField(
        label=_("实施地点"),
        max_length=200,
        required=False,
        help_text=_("如街道、小区、路段或村"),
    )
    area = forms.ModelChoiceField(label=_("所在地区"), queryset=Region.objects.none())
    theme = forms.ChoiceField(label=_("领域"), choices=ProposalTheme.choices)
    estimated_cost = forms.DecimalField(
        label=_("估算投资（万元，可不填）"), max_digits=12, decimal_places=2, required=False
    )
    beneficiaries = forms.CharField(label=_("受益群体（可不填）"), max_length=200, required=False)
    photos = MultipleFileField(label=_("现场照片（可不填）"), required=False)

    def __init__(self, *args: Any, cycle: Cycle, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        areas = Region.objects.filter(pk=cycle.region_id) | Region.objects.filter(
            parent=cycle.region
        )
        self.fields["area"].queryset = areas.order_by("depth", "code", "name")  # type: ignore[attr-defined]
        self.fields["photos"].help_text = _("最多%(n)s张") % {"n": conf.max_photos()}

    def clean_photos(self) -> list[CleanUpload]:
        """Each photo checked and re-encoded without its metadata (``congress.uploads``)."""
        files = self.cleaned_data.get("photos") or []
        if len(files) > conf.max_photos():
            raise ValidationError(_("最多上传%(n)s张照片。") % {"n": conf.max_photos()})
        return [clean_image(upload) for upload in files]


class CitizenProposalForm(ProposalForm):
    mobile = forms.CharField(
        label=_("手机号"),
        max_length=20,
        help_text=_("仅用于确认和查询办理结果，不会公开"),
        widget=forms.TextInput(attrs={"inputmode": "tel", "autocomplete": "tel"}),
    )
    idempotency_key = forms.UUIDField(widget=forms.HiddenInput)
    # A field people leave empty and form-filling robots do not.
    website = forms.CharField(required=False, widget=forms.HiddenInput, label="")


class DepartmentProposalForm(ProposalForm):
    department = forms.ModelChoiceField(label=_("提出部门"), queryset=Department.objects.none())

    def __init__(self, *args: Any, departments: QuerySet[Department], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["department"].queryset = departments  # type: ignore[attr-defined]


class NoteForm(forms.Form):
    note = forms.CharField(
        label=_("筛选意见"),
        widget=forms.Textarea(attrs={"rows": 2}),
        required=False,
        max_length=2000,
    )


class ScreenOutForm(NoteForm):
    reason = forms.ChoiceField(
        label=_("不予采纳原因"),
        choices=[(k, v) for k, v in ScreeningReason.choices if k != ScreeningReason.MERGED],
    )


class MergeForm(NoteForm):
    into = forms.IntegerField(
        label=_("合并到（建议编号）"), min_value=1, help_text=_("保留的那条建议的编号")
    )


class ShortlistForm(forms.Form):
    proposals = forms.TypedMultipleChoiceField(
        label=_("来自哪些已采纳的建议"), coerce=int, widget=forms.CheckboxSelectMultiple
    )
    title = forms.CharField(label=_("项目名称"), max_length=200)
    description = forms.CharField(
        label=_("项目内容"), widget=forms.Textarea(attrs={"rows": 3}), max_length=4000
    )
    department = forms.ModelChoiceField(label=_("责任单位"), queryset=Department.objects.none())
    budget = forms.DecimalField(label=_("预算（万元）"), max_digits=12, decimal_places=2)
    deadline = forms.DateField(label=_("完成时限"), widget=DATE)
    place = forms.CharField(label=_("实施地点"), max_length=200)

    def __init__(
        self,
        *args: Any,
        choices: list[tuple[int, str]],
        departments: QuerySet[Department],
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        self.fields["proposals"].choices = choices  # type: ignore[attr-defined]
        self.fields["department"].queryset = departments  # type: ignore[attr-defined]


class ShortlistReviewForm(forms.Form):
    note = forms.CharField(
        label=_("审议情况"),
        max_length=500,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("例如：经市人大常委会主任会议审议，同意提交代表票决。"),
    )


class VoteFromShortlistForm(forms.Form):
    seats = forms.IntegerField(label=_("应选项目数"), min_value=1, max_value=500)
    ballot_form = forms.ChoiceField(
        label=_("选票形式"), choices=BallotForm.choices, initial=BallotForm.UP_TO_N
    )
