"""The audit page's edit history: what staff changed in the registry, value by value.

One kind of record at a time (representatives, stations, role grants, …): each
kind has its own history table, and a page that merged them would query every
table for every page. Auditors only (the audit permission or an administrator),
each seeing their own regions (congress.history.visible_history); a 404 for
everyone else, as on every page that is none of their business.
"""

from __future__ import annotations

import datetime
from typing import Any

from django import forms
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.db.models import QuerySet
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_GET

from congress.history import TRACKED, Tracked, history_entries, may_read_history, visible_history

PAGE_SIZE = 50


def _kinds() -> list[tuple[str, Any]]:
    return [(key, tracked.label) for key, tracked in TRACKED.items()]


class HistoryFilterForm(forms.Form):
    kind = forms.ChoiceField(label=_("记录类型"), choices=_kinds, required=False)
    username = forms.CharField(label=_("修改人"), required=False, max_length=150)
    object_id = forms.IntegerField(label=_("对象ID"), required=False, min_value=1)
    since = forms.DateField(
        label=_("起始日期"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    until = forms.DateField(
        label=_("截止日期"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )

    def tracked(self) -> Tracked:
        key = self.cleaned_data.get("kind") if self.is_bound and self.is_valid() else ""
        return TRACKED.get(key or "") or next(iter(TRACKED.values()))

    def apply(self, rows: QuerySet[Any], tracked: Tracked) -> QuerySet[Any]:
        data = self.cleaned_data
        if data.get("username"):
            rows = rows.filter(history_user__username__iexact=data["username"].strip())
        if data.get("object_id"):
            rows = rows.filter(**{tracked.model._meta.pk.attname: data["object_id"]})
        if data.get("since"):
            rows = rows.filter(history_date__gte=_start_of(data["since"]))
        if data.get("until"):
            rows = rows.filter(
                history_date__lt=_start_of(data["until"] + datetime.timedelta(days=1))
            )
        return rows


def _start_of(day: datetime.date) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time()))


@login_required
@require_GET
def audit_history(request: HttpRequest) -> HttpResponse:
    if not may_read_history(request.user):
        raise Http404
    form = HistoryFilterForm(request.GET or None)
    tracked = form.tracked()
    rows = visible_history(request.user, tracked)
    if form.is_bound and form.is_valid():
        rows = form.apply(rows, tracked)
    page = Paginator(rows.order_by("-history_date", "-history_id"), PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    query = request.GET.copy()
    query.pop("page", None)
    context = {
        "form": form,
        "page": page,
        "entries": history_entries(tracked, page.object_list),
        "tracked": tracked,
        "querystring": query.urlencode(),
    }
    return render(request, "congress/audit/history.html", context)
