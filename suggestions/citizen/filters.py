"""The problem list's filters: one FilterSet for the HTML list, the API list and exports."""

from __future__ import annotations

from typing import Any

import django_filters
from django.db.models import Exists, OuterRef, Q, QuerySet
from django.forms import NullBooleanField, TextInput
from django.urls import reverse_lazy
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from congress.areas import area_q
from congress.models import Assignment, Department, Region
from congress.scoping import visible_departments, visible_regions
from representatives.models import Representative, Station
from representatives.selectors import visible_representatives, visible_stations
from suggestions.citizen import lookups
from suggestions.citizen.workflow import ISSUE_CASE
from suggestions.models.citizen import CitizenIssue, IssueCategory, IssueRating, IssueStatus


class LookupInput(TextInput):
    """The chosen object's id in a text field; ``static/js/lookup.js`` turns it into
    a search box over ``lookups.lookup`` (``data-lookup``), showing the chosen
    name (``data-label``, set by the filter set). Without JavaScript it stays a
    plain field for the id. No choice list is rendered: a city has ~1,100
    stations and ~7,500 representatives."""

    def __init__(self, kind: str) -> None:
        super().__init__(
            {
                "data-lookup": reverse_lazy("citizen_issue_lookup_field", args=[kind]),
                "placeholder": _("输入名称搜索（或编号）"),
                "autocomplete": "off",
                "data-empty": _("没有匹配的名称"),
            }
        )


# Filters whose choices are too many for a list: field name -> lookup kind.
LOOKUP_FIELDS = {
    "region": "region",
    "station": "station",
    "representative": "representative",
    "department": "department",
}


# Newest first, in the (area_N, created_at, id) index. 已超期 lists the longest
# overdue first, in the (area_N, next_due_on) index of open problems (the order of
# 督办提醒): newest first would sort every overdue problem of the jurisdiction.
LIST_ORDER = ("-created_at", "-pk")
OVERDUE_ORDER = ("next_due_on", "pk")


def list_ordering(overdue: Any) -> tuple[str, str]:
    """The list's keyset order for the value of its 已超期 filter (a parameter or a
    cleaned value)."""
    if isinstance(overdue, str):
        overdue = NullBooleanField().to_python(overdue)
    return OVERDUE_ORDER if overdue is True else LIST_ORDER


class CitizenIssueFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(label=_("查询码或关键词"), method="filter_q")
    # No DISTINCT: the row's own column joins nothing, and a DISTINCT over the page's
    # columns made PostgreSQL sort every problem of the status before the LIMIT.
    status = django_filters.MultipleChoiceFilter(
        label=_("状态"), choices=IssueStatus.choices, distinct=False
    )
    category = django_filters.ModelChoiceFilter(
        label=_("类别"), queryset=IssueCategory.objects.filter(is_active=True)
    )
    region = django_filters.ModelChoiceFilter(
        label=_("区划/网格"), queryset=Region.objects.none(), method="filter_region"
    )
    station = django_filters.ModelChoiceFilter(label=_("家站点"), queryset=Station.objects.none())
    representative = django_filters.ModelChoiceFilter(
        label=_("代表"), queryset=Representative.objects.none(), method="filter_representative"
    )
    representative_name = django_filters.CharFilter(
        label=_("代表姓名"), method="filter_representative_name"
    )
    place = django_filters.CharFilter(label=_("村（社区）、网格或地点"), method="filter_place")
    department = django_filters.ModelChoiceFilter(
        label=_("承办单位"), queryset=Department.objects.none(), method="filter_department"
    )
    overdue = django_filters.BooleanFilter(label=_("已超期"), method="filter_overdue")
    rating = django_filters.ChoiceFilter(label=_("评价"), choices=IssueRating.choices)
    supervision = django_filters.BooleanFilter(label=_("需督办"), field_name="needs_supervision")
    created_after = django_filters.DateFilter(
        label=_("提交日期起"), field_name="created_at", lookup_expr="date__gte"
    )
    created_before = django_filters.DateFilter(
        label=_("提交日期止"), field_name="created_at", lookup_expr="date__lte"
    )

    class Meta:
        model = CitizenIssue
        fields: list[str] = []

    def __init__(self, *args: Any, user: Any = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        user = user or getattr(self.request, "user", None)  # the API passes the request
        if user is not None:
            # Choices come from the user's own scope: no id outside it is accepted (the
            # search answers only names inside it). They are searched, never listed.
            self.filters["region"].queryset = visible_regions(user).select_related("parent")
            self.filters["station"].queryset = visible_stations(user)
            self.filters["representative"].queryset = visible_representatives(user)
            self.filters["department"].queryset = visible_departments(user)
        for name, kind in LOOKUP_FIELDS.items():
            self.filters[name].extra["widget"] = LookupInput(kind)

    @property
    def form(self) -> Any:
        """The form, its search fields showing the chosen names (one query each for a
        chosen value, whatever the scope's size)."""
        form = super().form
        if self.is_bound and not getattr(self, "_labelled", False):
            self._labelled = True
            # Each field's own value: the page's 状态 select sends status= for 全部, which
            # the multiple-choice field refuses, and that must not hide the chosen names.
            form.is_valid()
            for name, kind in LOOKUP_FIELDS.items():
                chosen = form.cleaned_data.get(name)
                if chosen is not None:
                    form.fields[name].widget.attrs["data-label"] = lookups.label(kind, chosen)
        return form

    def filter_q(
        self, queryset: QuerySet[CitizenIssue], name: str, value: str
    ) -> QuerySet[CitizenIssue]:
        value = value.strip()
        if not value:
            return queryset
        return queryset.filter(
            Q(tracking_code=value.upper()) | Q(title__icontains=value) | Q(address__icontains=value)
        )

    def filter_region(
        self, queryset: QuerySet[CitizenIssue], name: str, value: Region
    ) -> QuerySet[CitizenIssue]:
        return queryset.filter(area_q(value))

    def filter_representative(
        self, queryset: QuerySet[CitizenIssue], name: str, value: Representative
    ) -> QuerySet[CitizenIssue]:
        return queryset.filter(Q(handler=value) | Q(representative=value))

    def filter_representative_name(
        self, queryset: QuerySet[CitizenIssue], name: str, value: str
    ) -> QuerySet[CitizenIssue]:
        value = value.strip()
        if not value:
            return queryset
        return queryset.filter(
            Q(handler__name__icontains=value) | Q(representative__name__icontains=value)
        )

    def filter_place(
        self, queryset: QuerySet[CitizenIssue], name: str, value: str
    ) -> QuerySet[CitizenIssue]:
        value = value.strip()
        if not value:
            return queryset
        return queryset.filter(Q(region__name__icontains=value) | Q(address__icontains=value))

    def filter_department(
        self, queryset: QuerySet[CitizenIssue], name: str, value: Department
    ) -> QuerySet[CitizenIssue]:
        handed = Assignment.objects.filter(
            case_type=ISSUE_CASE, case_id=OuterRef("pk"), department=value
        )
        return queryset.filter(Exists(handed))

    def filter_overdue(
        self, queryset: QuerySet[CitizenIssue], name: str, value: bool | None
    ) -> QuerySet[CitizenIssue]:
        if value is None:
            return queryset
        # The row's own earliest open due date (kept by the engine's hook): an index
        # range, not a look into the steps of every row.
        late = Q(next_due_on__lt=timezone.localdate())
        return queryset.filter(late) if value else queryset.exclude(late)
