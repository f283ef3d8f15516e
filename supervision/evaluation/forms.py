"""Input shape of the evaluation pages (the jurisdiction check is the services')."""

from __future__ import annotations

import re
from typing import Any

from django import forms
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _t
from django.utils.translation import gettext_lazy as _

from congress.models import Congress, Department
from representatives.models import Delegation
from supervision.evaluation.services import Official

DEFAULT_CRITERIA = "工作作风 30\n依法行政 30\n服务质量 20\n办理代表建议 20"
_LINE = re.compile(r"^(?P<name>.+?)[\s,，:：]+(?P<weight>\d+)\s*%?$")


class EvaluationForm(forms.Form):
    congress = forms.ModelChoiceField(label=_("人大"), queryset=Congress.objects.none())
    title = forms.CharField(label=_("名称"), max_length=200)
    year = forms.IntegerField(label=_("年度"), min_value=2000, max_value=2100)
    opens_at = forms.DateTimeField(
        label=_("开始评议时间"), widget=forms.DateTimeInput(attrs={"type": "datetime-local"})
    )
    closes_at = forms.DateTimeField(
        label=_("截止评议时间"), widget=forms.DateTimeInput(attrs={"type": "datetime-local"})
    )
    departments = forms.ModelMultipleChoiceField(
        label=_("评议部门"),
        queryset=Department.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    officials = forms.CharField(
        label=_("评议的任命人员"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("每行一人：姓名，职务（可不填）"),
    )
    criteria = forms.CharField(
        label=_("评议内容及权重"),
        widget=forms.Textarea(attrs={"rows": 4}),
        initial=DEFAULT_CRITERIA,
        help_text=_("每行一项：名称 权重，权重之和须为100"),
    )
    delegation = forms.ModelChoiceField(
        label=_("限定代表团"),
        queryset=Delegation.objects.none(),
        required=False,
        help_text=_("不选则由该人大全体在任代表评议"),
    )

    def __init__(
        self,
        *args: Any,
        congresses: QuerySet[Congress],
        departments: QuerySet[Department],
        delegations: QuerySet[Delegation],
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        self.fields["congress"].queryset = congresses  # type: ignore[attr-defined]
        self.fields["departments"].queryset = departments  # type: ignore[attr-defined]
        self.fields["delegation"].queryset = delegations  # type: ignore[attr-defined]
        self.fields["year"].initial = timezone.localdate().year

    def clean_criteria(self) -> list[tuple[str, int]]:
        parsed = []
        for line in self.cleaned_data["criteria"].splitlines():
            if not line.strip():
                continue
            match = _LINE.match(line.strip())
            if match is None:
                raise forms.ValidationError(
                    _t("无法识别“%(line)s”：每行写评议内容的名称和权重，如“工作作风 30”。")
                    % {"line": line.strip()}
                )
            parsed.append((match["name"].strip(), int(match["weight"])))
        return parsed

    def clean_officials(self) -> list[Official]:
        return [
            parse_official(line)
            for line in self.cleaned_data["officials"].splitlines()
            if line.strip()
        ]


def parse_official(line: str) -> Official:
    parts = re.split(r"[,，、\s]+", line.strip(), maxsplit=1)
    return Official(name=parts[0], post=parts[1] if len(parts) > 1 else "")
