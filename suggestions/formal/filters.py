"""The list filter, shared by the HTML list and the API list (one query for both)."""

from __future__ import annotations

import django_filters
from django.db.models import Q, QuerySet
from django.utils.translation import gettext_lazy as _

from congress.models import Session, SessionKind
from suggestions.models.formal import (
    ReplyCategory,
    Suggestion,
    SuggestionCategory,
    SuggestionKind,
    SuggestionStatus,
)


class SuggestionFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(label=_("关键词"), method="filter_q")
    session = django_filters.ModelChoiceFilter(
        label=_("会议"),
        queryset=Session.objects.filter(kind=SessionKind.PLENARY).select_related("term__congress"),
    )
    status = django_filters.ChoiceFilter(label=_("状态"), choices=SuggestionStatus.choices)
    kind = django_filters.ChoiceFilter(label=_("类型"), choices=SuggestionKind.choices)
    category = django_filters.ChoiceFilter(label=_("类别"), choices=SuggestionCategory.choices)
    reply_category = django_filters.ChoiceFilter(label=_("答复类别"), choices=ReplyCategory.choices)
    is_key = django_filters.BooleanFilter(label=_("重点督办"))

    class Meta:
        model = Suggestion
        fields = ["q", "session", "status", "kind", "category", "reply_category", "is_key"]

    def filter_q(
        self, queryset: QuerySet[Suggestion], name: str, value: str
    ) -> QuerySet[Suggestion]:
        value = value.strip()
        if not value:
            return queryset
        query = Q(title__icontains=value) | Q(lead__name__icontains=value)
        if value.isdigit():
            query |= Q(number=int(value))
        return queryset.filter(query)
