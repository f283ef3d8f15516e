"""Input shapes of the projects' steps (the jurisdiction checks are the services').

Each form takes the project it is for (``project=``), so the page, its POST and the API
build it the same way from the action table (actions.py)."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django import forms
from django.core.files.uploadedfile import UploadedFile
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from congress.models import Department, Role, User
from congress.uploads import CleanUpload, clean_image
from livelihood_votes import selectors as vote_selectors
from livelihood_votes.models.projects import (
    Comment,
    CommentStatus,
    InspectionKind,
    Milestone,
    Project,
)
from livelihood_votes.projects import conf
from representatives.models import Representative

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class ProjectForm(forms.Form):
    def __init__(self, *args: Any, project: Project, **kwargs: Any) -> None:
        self.project = project
        super().__init__(*args, **kwargs)


class NothingForm(ProjectForm):
    pass


class NoteForm(ProjectForm):
    note = forms.CharField(
        label=_("说明（可选）"), widget=forms.Textarea(attrs={"rows": 2}), required=False
    )


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class PhotosField(forms.FileField):
    """Several photos in one input (a phone's picker), each checked and re-encoded."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault(
            "widget", MultipleFileInput(attrs={"accept": "image/*", "multiple": True})
        )
        kwargs.setdefault("required", False)
        super().__init__(*args, **kwargs)

    def clean(self, data: Any, initial: Any = None) -> list[CleanUpload]:
        files = data if isinstance(data, list | tuple) else ([data] if data else [])
        files = [f for f in files if isinstance(f, UploadedFile)]
        if len(files) > conf.max_photos():
            raise forms.ValidationError(_("照片最多%(count)s张。") % {"count": conf.max_photos()})
        return [clean_image(f) for f in files]


def _departments() -> Any:
    return Department.objects.filter(is_active=True).select_related("region").order_by("name")


class PlanForm(ProjectForm):
    department = forms.ModelChoiceField(label=_("责任单位"), queryset=Department.objects.none())
    co_departments = forms.ModelMultipleChoiceField(
        label=_("配合单位"), queryset=Department.objects.none(), required=False
    )
    starts_on = forms.DateField(label=_("计划开始日期"), widget=DATE, required=False)
    deadline = forms.DateField(label=_("完成时限"), widget=DATE)
    budget = forms.DecimalField(
        label=_("预算（万元）"),
        min_value=Decimal(0),
        max_digits=12,
        decimal_places=2,
        required=False,
    )
    place = forms.CharField(label=_("实施地点"), max_length=200, required=False)
    group_leader = forms.ModelChoiceField(
        label=_("牵头领导"),
        queryset=User.objects.none(),
        required=False,
        help_text=_("“1+1+N”监督小组：一名常委会组成人员牵头"),
    )
    group_committee = forms.CharField(label=_("联系专委会"), max_length=100, required=False)
    group_members = forms.ModelMultipleChoiceField(
        label=_("监督代表"), queryset=Representative.objects.none(), required=False
    )

    def __init__(self, *args: Any, project: Project, **kwargs: Any) -> None:
        if not args and "initial" not in kwargs:
            kwargs["initial"] = {
                "department": project.department_id,
                "co_departments": list(project.co_departments.values_list("pk", flat=True)),
                "starts_on": project.starts_on,
                "deadline": project.deadline,
                "budget": project.budget,
                "place": project.place,
                "group_leader": project.group_leader_id,
                "group_committee": project.group_committee,
                "group_members": list(project.group_members.values_list("pk", flat=True)),
            }
        super().__init__(*args, project=project, **kwargs)
        region = project.cycle.region
        self.fields["department"].queryset = _departments()  # type: ignore[attr-defined]
        self.fields["co_departments"].queryset = _departments()  # type: ignore[attr-defined]
        self.fields["group_leader"].queryset = (  # type: ignore[attr-defined]
            User.objects.filter(Q(role_grants__role=Role.COMMITTEE, role_grants__region=region))
            .distinct()
            .order_by("username")
        )
        seated = vote_selectors.seated_representatives(project.cycle.congress)
        self.fields["group_members"].queryset = Representative.objects.filter(  # type: ignore[attr-defined]
            pk__in=seated
        ).order_by("name")


class MilestoneForm(ProjectForm):
    title = forms.CharField(label=_("节点内容"), max_length=200)
    due_on = forms.DateField(label=_("计划完成日期"), widget=DATE)


class MilestoneDoneForm(ProjectForm):
    milestone: forms.ModelChoiceField[Any] = forms.ModelChoiceField(
        label=_("节点"), queryset=Milestone.objects.none()
    )
    done_on = forms.DateField(label=_("实际完成日期"), widget=DATE, required=False)

    def __init__(self, *args: Any, project: Project, **kwargs: Any) -> None:
        super().__init__(*args, project=project, **kwargs)
        self.fields["milestone"].queryset = project.milestones.filter(  # type: ignore[attr-defined]
            done_on__isnull=True
        ).order_by("due_on", "pk")


class ReportForm(ProjectForm):
    percent_complete = forms.IntegerField(
        label=_("完成进度（%）"),
        min_value=0,
        max_value=100,
        widget=forms.NumberInput(attrs={"inputmode": "numeric"}),
    )
    spent = forms.DecimalField(
        label=_("累计完成投资（万元）"),
        min_value=Decimal(0),
        max_digits=12,
        decimal_places=2,
        widget=forms.NumberInput(attrs={"inputmode": "decimal", "step": "0.01"}),
    )
    text = forms.CharField(label=_("本月进展"), widget=forms.Textarea(attrs={"rows": 4}))
    problems = forms.CharField(
        label=_("存在问题"), widget=forms.Textarea(attrs={"rows": 2}), required=False
    )
    backwards_reason = forms.CharField(
        label=_("进度回调原因"),
        widget=forms.Textarea(attrs={"rows": 2}),
        required=False,
        help_text=_("完成进度低于上次报告时必填"),
    )
    photos = PhotosField(label=_("现场照片（可选）"))


class InspectionForm(ProjectForm):
    kind = forms.ChoiceField(
        label=_("类型"), choices=InspectionKind.choices, initial=InspectionKind.INSPECTION
    )
    held_on = forms.DateField(label=_("视察日期"), widget=DATE)
    participants = forms.CharField(
        label=_("参加人员"), widget=forms.Textarea(attrs={"rows": 2}), required=False
    )
    notes = forms.CharField(label=_("视察情况"), widget=forms.Textarea(attrs={"rows": 4}))
    photos = PhotosField(label=_("照片（可选）"))


class InquiryForm(ProjectForm):
    asked_on = forms.DateField(label=_("询问日期"), widget=DATE)
    asker = forms.CharField(label=_("询问人"), max_length=100)
    question = forms.CharField(label=_("询问内容"), widget=forms.Textarea(attrs={"rows": 3}))
    respondent = forms.CharField(label=_("应询人"), max_length=100)
    answer = forms.CharField(
        label=_("回答内容"), widget=forms.Textarea(attrs={"rows": 3}), required=False
    )


class ModerateForm(ProjectForm):
    comment: forms.ModelChoiceField[Any] = forms.ModelChoiceField(
        label=_("留言"), queryset=Comment.objects.none()
    )

    def __init__(self, *args: Any, project: Project, **kwargs: Any) -> None:
        super().__init__(*args, project=project, **kwargs)
        self.fields["comment"].queryset = project.comments.filter(  # type: ignore[attr-defined]
            status=CommentStatus.PENDING
        )


class CommentForm(forms.Form):
    """A resident's comment on the public page."""

    text = forms.CharField(
        label=_("留言"), max_length=1000, widget=forms.Textarea(attrs={"rows": 3})
    )
    phone = forms.CharField(
        label=_("联系电话（可选，不公开）"),
        max_length=20,
        required=False,
        widget=forms.TextInput(attrs={"inputmode": "tel", "autocomplete": "tel"}),
    )
