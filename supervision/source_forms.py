"""Forms of topic selection from the data and a topic's sources (docs/supervision-sources.md)."""

from __future__ import annotations

from typing import Any

from django import forms
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from supervision.forms import TopicForm
from supervision.models.topics import SupervisionPlan


class PlanChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Any) -> str:
        return f"{obj.year} · {obj.title}"


class IdeaTopicForm(TopicForm):
    """以此立题: the plans' own topic form, with the plan to put the topic in."""

    plan = PlanChoiceField(label=_("列入监督工作计划"), queryset=SupervisionPlan.objects.none())
    field_order = ["plan", "kind", "title"]

    def __init__(self, *args: Any, plans: QuerySet[SupervisionPlan], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["plan"].queryset = plans  # type: ignore[attr-defined]
        self.order_fields(self.field_order)


class SourceNumberForm(forms.Form):
    number = forms.CharField(
        label=_("查询码或建议编号"),
        max_length=30,
        help_text=_("群众反映问题的查询码（如 AB12CD34），或代表建议的编号（如 12）。"),
    )
