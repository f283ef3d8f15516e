"""Input shape of monitoring points, the questionnaire and a finding made from an answer
(the jurisdiction checks are the services' in supervision/monitoring.py)."""

from __future__ import annotations

from typing import Any

from django import forms
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from congress.models import Department, Region, RegionLevel
from representatives.models import Representative
from supervision.models.monitoring import PointKind, SurveyQuestionKind
from supervision.models.topics import FindingCategory

# A point is chosen in a place down to a township (乡镇、街道); a paste may name any code.
PLACE_LEVELS = [RegionLevel.CITY, RegionLevel.COUNTY, RegionLevel.TOWNSHIP]


class PointForm(forms.Form):
    name = forms.CharField(
        label=_("名称"), max_length=100, help_text=_("如企业、市场、政务服务大厅")
    )
    kind = forms.ChoiceField(label=_("类型"), choices=PointKind.choices)
    region = forms.ModelChoiceField(label=_("所在地区"), queryset=Region.objects.none())
    representative = forms.ModelChoiceField(
        label=_("联系代表"), queryset=Representative.objects.none(), required=False
    )

    def __init__(
        self,
        *args: Any,
        regions: QuerySet[Region],
        representatives: QuerySet[Representative],
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        self.fields["region"].queryset = regions.filter(  # type: ignore[attr-defined]
            level__in=PLACE_LEVELS
        ).order_by("path")
        self.fields["representative"].queryset = representatives  # type: ignore[attr-defined]


class PointsBulkForm(forms.Form):
    lines = forms.CharField(
        label=_("监测点"),
        widget=forms.Textarea(attrs={"rows": 10}),
        help_text=_("每行一个：名称, 类型（联系点、调查点、观察点）, 区划代码"),
    )


class QuestionForm(forms.Form):
    kind = forms.ChoiceField(label=_("题型"), choices=SurveyQuestionKind.choices)
    text = forms.CharField(label=_("题目"), max_length=200)
    options = forms.CharField(
        label=_("选项"),
        widget=forms.Textarea(attrs={"rows": 4}),
        required=False,
        help_text=_("单选题填写，每行一个选项；满意度题的选项固定为满意、基本满意、不满意"),
    )
    required = forms.BooleanField(label=_("必答"), required=False, initial=True)


class IntroForm(forms.Form):
    intro = forms.CharField(
        label=_("问卷说明"), widget=forms.Textarea(attrs={"rows": 3}), required=False
    )


class AnswerFindingForm(forms.Form):
    title = forms.CharField(label=_("问题"), max_length=300)
    category = forms.ModelChoiceField(
        label=_("问题类别"), queryset=FindingCategory.objects.none(), required=False
    )
    department = forms.ModelChoiceField(
        label=_("责任单位"),
        queryset=Department.objects.none(),
        required=False,  # the finding service says why it is needed (对号入座)
    )
    measures = forms.CharField(
        label=_("整改措施"), widget=forms.Textarea(attrs={"rows": 3}), required=False
    )

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
