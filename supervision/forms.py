"""Input shape of plans, topics and findings (the jurisdiction checks are the services')."""

from __future__ import annotations

from typing import Any

from django import forms
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from congress.models import Congress, Department
from congress.uploads import CleanUpload, clean_attachment, clean_image
from supervision.models.topics import (
    Committee,
    Finding,
    FindingCategory,
    GroupRole,
    InvestigationMethod,
    TopicKind,
)

DATE = forms.DateInput(attrs={"type": "date"})


class PlanForm(forms.Form):
    congress = forms.ModelChoiceField(label=_("人大"), queryset=Congress.objects.none())
    year = forms.IntegerField(label=_("年度"), min_value=2000, max_value=2100)
    title = forms.CharField(label=_("名称"), max_length=200)
    notes = forms.CharField(
        label=_("说明"), widget=forms.Textarea(attrs={"rows": 3}), required=False
    )

    def __init__(self, *args: Any, congresses: QuerySet[Congress], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["congress"].queryset = congresses  # type: ignore[attr-defined]
        self.fields["year"].initial = timezone.localdate().year


class PlanEditForm(forms.Form):
    title = forms.CharField(label=_("名称"), max_length=200)
    notes = forms.CharField(
        label=_("说明"), widget=forms.Textarea(attrs={"rows": 3}), required=False
    )


class AdoptForm(forms.Form):
    adopted_on = forms.DateField(label=_("通过日期"), widget=DATE, required=False)


class CommitteeForm(forms.Form):
    name = forms.CharField(label=_("委员会名称"), max_length=100)


class TopicForm(forms.Form):
    kind = forms.ChoiceField(label=_("监督方式"), choices=TopicKind.choices)
    title = forms.CharField(label=_("议题"), max_length=200)
    description = forms.CharField(
        label=_("内容说明"), widget=forms.Textarea(attrs={"rows": 4}), required=False
    )
    departments = forms.ModelMultipleChoiceField(
        label=_("相关部门"),
        queryset=Department.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    committees = forms.ModelMultipleChoiceField(
        label=_("牵头委员会"),
        queryset=Committee.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    starts_on = forms.DateField(label=_("开始日期"), widget=DATE, required=False)
    ends_on = forms.DateField(label=_("计划完成日期"), widget=DATE, required=False)

    def __init__(
        self,
        *args: Any,
        departments: QuerySet[Department],
        committees: QuerySet[Committee],
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        self.fields["departments"].queryset = departments  # type: ignore[attr-defined]
        self.fields["committees"].queryset = committees  # type: ignore[attr-defined]


class MemberForm(forms.Form):
    role = forms.ChoiceField(label=_("职务"), choices=GroupRole.choices, initial=GroupRole.MEMBER)
    name = forms.CharField(label=_("姓名"), max_length=50)
    position = forms.CharField(label=_("单位及职务"), max_length=100, required=False)


class CategoryForm(forms.Form):
    title = forms.CharField(label=_("类别"), max_length=200)


class FindingForm(forms.Form):
    category = forms.ModelChoiceField(
        label=_("问题类别"), queryset=FindingCategory.objects.none(), required=False
    )
    title = forms.CharField(label=_("问题"), max_length=300)
    description = forms.CharField(
        label=_("具体表现"), widget=forms.Textarea(attrs={"rows": 3}), required=False
    )
    department = forms.ModelChoiceField(
        label=_("责任单位"),
        queryset=Department.objects.none(),
        required=False,  # the service says why it is needed (对号入座), the form keeps the rest
    )
    measures = forms.CharField(
        label=_("整改措施"), widget=forms.Textarea(attrs={"rows": 3}), required=False
    )
    due_on = forms.DateField(
        label=_("整改期限"),
        widget=DATE,
        required=False,
        help_text=_("不填则按默认期限（按法定工作日历计算）"),
    )
    is_long_term = forms.BooleanField(label=_("长期整改"), required=False)
    target = forms.CharField(
        label=_("整改目标"), widget=forms.Textarea(attrs={"rows": 2}), required=False
    )
    milestones = forms.CharField(
        label=_("阶段性计划"),
        widget=forms.Textarea(attrs={"rows": 3}),
        required=False,
        help_text=_("每行一项"),
    )
    is_flagged = forms.BooleanField(label=_("挂牌督办"), required=False)

    def __init__(
        self,
        *args: Any,
        departments: QuerySet[Department],
        categories: QuerySet[FindingCategory],
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        self.fields["department"].queryset = departments  # type: ignore[attr-defined]
        self.fields["category"].queryset = categories  # type: ignore[attr-defined]


class FindingPlanForm(forms.Form):
    measures = forms.CharField(
        label=_("整改措施"), widget=forms.Textarea(attrs={"rows": 3}), required=False
    )
    is_long_term = forms.BooleanField(label=_("长期整改"), required=False)
    target = forms.CharField(
        label=_("整改目标"), widget=forms.Textarea(attrs={"rows": 2}), required=False
    )
    milestones = forms.CharField(
        label=_("阶段性计划"),
        widget=forms.Textarea(attrs={"rows": 3}),
        required=False,
        help_text=_("每行一项"),
    )


# --- a finding's actions (supervision/actions.py) ------------------------------------------


class ActionForm(forms.Form):
    """A step's form: ``text`` (what the step says) and, where it takes one, a file."""

    text_label: Any = _("说明")
    text_required = True
    takes_file = False

    text = forms.CharField(widget=forms.Textarea(attrs={"rows": 3}), required=False)
    expected_version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["text"].label = self.text_label
        if self.takes_file:
            self.fields["attachment"] = forms.FileField(label=_("附件（可选）"), required=False)

    def clean_attachment(self) -> CleanUpload | None:
        upload = self.cleaned_data.get("attachment")
        if not upload:
            return None
        return clean_attachment(upload)


class ProgressForm(ActionForm):
    text_label = _("整改进展")
    takes_file = True


class ClaimForm(ActionForm):
    text_label = _("整改完成情况")
    takes_file = True


class CloseOffForm(ActionForm):
    text_label = _("销号依据（核实情况）")
    takes_file = True


class ReasonForm(ActionForm):
    text_label = _("理由")


class NoteForm(ActionForm):
    text_label = _("备注")
    text_required = False


# --- investigations and follow-up reviews --------------------------------------------------


class InvestigationForm(forms.Form):
    held_on = forms.DateField(label=_("日期"), widget=DATE)
    place = forms.CharField(label=_("地点"), max_length=200)
    method = forms.ChoiceField(label=_("方式"), choices=InvestigationMethod.choices)
    participants = forms.CharField(
        label=_("参加人员"), widget=forms.Textarea(attrs={"rows": 2}), required=False
    )
    notes = forms.CharField(
        label=_("情况记录"), widget=forms.Textarea(attrs={"rows": 4}), required=False
    )
    photo = forms.FileField(label=_("照片（可选）"), required=False)

    def clean_photo(self) -> CleanUpload | None:
        upload = self.cleaned_data.get("photo")
        return clean_image(upload) if upload else None


class ReviewScheduleForm(forms.Form):
    scheduled_on = forms.DateField(label=_("计划日期"), widget=DATE, required=False)


class ReviewHoldForm(forms.Form):
    summary = forms.CharField(label=_("整改变化情况"), widget=forms.Textarea(attrs={"rows": 4}))
    reopen: forms.ModelMultipleChoiceField = forms.ModelMultipleChoiceField(
        label=_("重新整改的问题"),
        queryset=Finding.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )

    def __init__(self, *args: Any, findings: QuerySet[Any], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["reopen"].queryset = findings  # type: ignore[attr-defined]
