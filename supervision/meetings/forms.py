"""Input shapes of the meeting pages and the API's action route. The jurisdiction check is
the services'; these only shape what was typed."""

from __future__ import annotations

from typing import Any

from django import forms
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from congress.models import Congress, Department
from congress.models.ballots import Rating
from congress.uploads import CleanUpload, clean_attachment
from supervision.models.meetings import AgendaItem, ItemKind, Question
from supervision.models.topics import Topic


class MeetingForm(forms.Form):
    congress = forms.ModelChoiceField(label=_("人大"), queryset=Congress.objects.none())
    number = forms.IntegerField(label=_("会议次数"), min_value=1, max_value=999)
    held_on = forms.DateField(label=_("会议日期"))
    venue = forms.CharField(label=_("会议地点"), max_length=100, required=False)

    def __init__(self, *args: Any, congresses: QuerySet[Congress], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["congress"].queryset = congresses  # type: ignore[attr-defined]


class AgendaItemForm(forms.Form):
    kind = forms.ChoiceField(label=_("议题类型"), choices=ItemKind.choices)
    title = forms.CharField(label=_("议题"), max_length=200)
    department = forms.ModelChoiceField(
        label=_("报告单位"), queryset=Department.objects.none(), required=False
    )
    topic = forms.ModelChoiceField(
        label=_("监督议题"), queryset=Topic.objects.none(), required=False
    )
    re_report_of = forms.ModelChoiceField(
        label=_("整改后再次报告（原报告）"), queryset=AgendaItem.objects.none(), required=False
    )

    def __init__(
        self,
        *args: Any,
        departments: QuerySet[Department],
        topics: QuerySet[Topic],
        earlier: QuerySet[AgendaItem],
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        self.fields["department"].queryset = departments  # type: ignore[attr-defined]
        self.fields["topic"].queryset = topics  # type: ignore[attr-defined]
        self.fields["re_report_of"].queryset = earlier  # type: ignore[attr-defined]


class AgendaEditForm(forms.Form):
    title = forms.CharField(label=_("议题"), max_length=200)
    topic = forms.ModelChoiceField(
        label=_("监督议题"), queryset=Topic.objects.none(), required=False
    )

    def __init__(self, *args: Any, topics: QuerySet[Topic], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["topic"].queryset = topics  # type: ignore[attr-defined]


class NothingForm(forms.Form):
    """An action that needs no input."""


class ReasonForm(forms.Form):
    reason = forms.CharField(
        label=_("原因"), max_length=500, widget=forms.Textarea(attrs={"rows": 2})
    )


class ReportForm(forms.Form):
    """The report as text, as a file (the document the body sent: PDF, Word, a scan), or
    both; the file is checked and stored on the step's timeline event."""

    text = forms.CharField(
        label=_("报告正文"), widget=forms.Textarea(attrs={"rows": 8}), required=False
    )
    attachment = forms.FileField(
        label=_("报告文件（可选）"),
        required=False,
        help_text=_("PDF 文件或 JPG、PNG、WebP 图片，一个文件。"),
    )

    def clean_attachment(self) -> CleanUpload | None:
        upload = self.cleaned_data.get("attachment")
        return clean_attachment(upload) if upload else None

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        written = (data.get("text") or "").strip()
        if not written and not data.get("attachment") and "attachment" not in self.errors:
            raise forms.ValidationError(_("请填写报告正文或上传报告文件。"))
        return data


class DraftForm(ReportForm):
    """The draft for comments (征求意见稿), in the same shapes as the report."""

    text = forms.CharField(
        label=_("征求意见稿正文"), widget=forms.Textarea(attrs={"rows": 8}), required=False
    )
    attachment = forms.FileField(
        label=_("征求意见稿文件（可选）"),
        required=False,
        help_text=_("PDF 文件或 JPG、PNG、WebP 图片，一个文件。"),
    )

    def clean(self) -> dict[str, Any]:
        data = forms.Form.clean(self) or {}
        written = (data.get("text") or "").strip()
        if not written and not data.get("attachment") and "attachment" not in self.errors:
            raise forms.ValidationError(_("请填写征求意见稿正文或上传文件。"))
        return data


class DraftCommentForm(forms.Form):
    """The committee's comments on the draft: a short text."""

    comments = forms.CharField(
        label=_("修改意见"), max_length=1000, widget=forms.Textarea(attrs={"rows": 3})
    )


class AttendanceForm(forms.Form):
    present = forms.MultipleChoiceField(
        label=_("出席人员"), required=False, widget=forms.CheckboxSelectMultiple
    )

    def __init__(self, *args: Any, members: list[tuple[int, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["present"].choices = members  # type: ignore[attr-defined]


class RatingBallotForm(forms.Form):
    """The member's ballot: exactly one of the three levels (the core refuses two)."""

    mark = forms.ChoiceField(
        label=_("您对该报告的评价"),
        choices=Rating.choices,
        widget=forms.RadioSelect,
        error_messages={"required": _("请选择满意、基本满意或不满意中的一项。")},
    )


class QuestionForm(forms.Form):
    asked_by = forms.TypedChoiceField(
        label=_("询问的组成人员"),
        coerce=int,
        empty_value=None,
        required=False,
        help_text=_("组成人员提问时选择，其首页会列出本人的询问；代表等其他人员只填姓名。"),
    )
    asker = forms.CharField(label=_("询问人"), max_length=50, required=False)
    respondent = forms.CharField(label=_("应询人"), max_length=80)
    department = forms.ModelChoiceField(
        label=_("应询单位"), queryset=Department.objects.none(), required=False
    )
    text = forms.CharField(label=_("询问内容"), widget=forms.Textarea(attrs={"rows": 3}))
    answer = forms.CharField(
        label=_("回答内容"), widget=forms.Textarea(attrs={"rows": 3}), required=False
    )
    satisfaction = forms.ChoiceField(
        label=_("满意度（可选）"), choices=[("", "—"), *Rating.choices], required=False
    )
    follow_up_of = forms.ModelChoiceField(
        label=_("追问（针对哪一问）"), queryset=Question.objects.none(), required=False
    )

    def __init__(
        self,
        *args: Any,
        departments: QuerySet[Department],
        questions: QuerySet[Question],
        members: list[tuple[int, str]],
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        self.fields["asked_by"].choices = [("", "—"), *members]  # type: ignore[attr-defined]
        self.fields["department"].queryset = departments  # type: ignore[attr-defined]
        self.fields["follow_up_of"].queryset = questions  # type: ignore[attr-defined]


class AnswerForm(forms.Form):
    answer = forms.CharField(label=_("回答内容"), widget=forms.Textarea(attrs={"rows": 4}))
    satisfaction = forms.ChoiceField(
        label=_("满意度（可选）"), choices=[("", "—"), *Rating.choices], required=False
    )


class OpinionForm(forms.Form):
    department = forms.ModelChoiceField(label=_("交办单位"), queryset=Department.objects.none())
    text = forms.CharField(label=_("审议意见"), widget=forms.Textarea(attrs={"rows": 8}))

    def __init__(self, *args: Any, departments: QuerySet[Department], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["department"].queryset = departments  # type: ignore[attr-defined]


class HandlingReportForm(forms.Form):
    text = forms.CharField(label=_("研究处理情况报告"), widget=forms.Textarea(attrs={"rows": 8}))


class ScheduleForm(forms.Form):
    meeting = forms.IntegerField(label=_("列入第几次会议（会议次数）"), min_value=1)
